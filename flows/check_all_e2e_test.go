package flows_test

import (
	"strings"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// bot check all on unchanged replicas, each with an app of the configured
// name (so every page is reached): exit 0, every unconditional element of
// every described page found, one sign-in per portal, and the replicas'
// records show no write at all (no app, no secret, no save, no switch).
func TestCheckAllWritesNothing(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	p.AddXeroApp(cfg.App.Name)
	p.AddFreeAgentApp(cfg.App.Name)
	before := p.Records()

	r := runWith(t, cfg, flows.All, func(env *flows.Env) { env.Mode = flows.ModeCheck })
	if r.err != nil {
		t.Fatalf("check all: %v", r.err)
	}
	after := p.Records()
	if w := after.Writes[len(before.Writes):]; len(w) != 0 {
		t.Errorf("check all wrote to a portal: %+v", w)
	}
	if len(after.XeroApps) != len(before.XeroApps) || len(after.FreeAgentApps) != len(before.FreeAgentApps) {
		t.Errorf("apps: xero %d→%d, freeagent %d→%d", len(before.XeroApps), len(after.XeroApps), len(before.FreeAgentApps), len(after.FreeAgentApps))
	}
	for key, c := range after.Codat {
		if b := before.Codat[key]; c.ClientID != b.ClientID || c.Enabled != b.Enabled {
			t.Errorf("Codat's %s changed: %+v → %+v", key, b, c)
		}
	}
	for _, portal := range []string{"xero", "freeagent", "codat"} {
		if n := after.SignIns[portal] - before.SignIns[portal]; n != 1 {
			t.Errorf("%s: %d sign-ins, want 1", portal, n)
		}
	}
	if r.sum.Provider != flows.All || r.sum.Mode != "check" {
		t.Errorf("summary is %s %s, want check all", r.sum.Mode, r.sum.Provider)
	}

	sel, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]report.Check{}
	for _, c := range r.sum.Checks {
		rows[c.Element] = c
	}
	for _, page := range []string{"xero.my_apps", "xero.new_app", "xero.app_details", "xero.configuration",
		"freeagent.my_apps", "freeagent.new_app", "freeagent.app", "codat.integrations", "codat.settings"} {
		for _, el := range sel.PageElements(page) {
			if el.When != "" {
				continue
			}
			if c, ok := rows[el.Name]; !ok || (c.Status != "found" && c.Status != "fallback") || c.Page != page {
				t.Errorf("%s (page %s): %+v, want found (or by a fallback locator)", el.Name, page, c)
			}
		}
	}
	// The rows come portal by portal, in the registry's order.
	order := map[string]int{"xero": 0, "freeagent": 1, "codat": 2}
	for i := 1; i < len(r.sum.Checks); i++ {
		a, b := r.sum.Checks[i-1].Page, r.sum.Checks[i].Page
		if order[strings.SplitN(a, ".", 2)[0]] > order[strings.SplitN(b, ".", 2)[0]] {
			t.Errorf("row %d (%s) after %s: not grouped by portal", i, b, a)
		}
	}
}

// For each described page, the replicas reword or remove one element: the
// check names exactly that element on that page, and nothing else.
func TestCheckNamesTheOneChangedElement(t *testing.T) {
	t.Parallel()
	short := 3 * time.Second // a step that waits in vain for the element
	tests := []struct {
		target, page, element string
		faults                fakeportal.Faults
		seed                  bool
		wait                  []string // steps that wait for the element: a short timeout
		exit                  int
	}{
		{target: "xero", page: "xero.my_apps", element: "xero.my_apps.new_app",
			faults: fakeportal.Faults{Remove: []string{"New app"}}, wait: []string{"xero.check_new_app"}, exit: 4},
		{target: "xero", page: "xero.new_app", element: "xero.new_app.redirect_uri",
			faults: fakeportal.Faults{Remove: []string{"Redirect URI"}}, exit: 4},
		{target: "xero", page: "xero.app_details", element: "xero.app_details.terms_url", seed: true,
			faults: fakeportal.Faults{Rename: map[string]string{"Terms and conditions URL": "Legal address"}}, exit: 4},
		{target: "xero", page: "xero.configuration", element: "xero.configuration.generate_secret", seed: true,
			faults: fakeportal.Faults{Rename: map[string]string{"Generate a secret": "Create a secret"}}, exit: 4},
		{target: "freeagent", page: "freeagent.my_apps", element: "freeagent.my_apps.nav_my_apps",
			faults: fakeportal.Faults{Remove: []string{"My Apps"}}, wait: []string{"freeagent.check_my_apps"}, exit: 4},
		{target: "freeagent", page: "freeagent.new_app", element: "freeagent.new_app.redirect_uris",
			faults: fakeportal.Faults{Remove: []string{"OAuth Redirect URIs"}}, exit: 4},
		{target: "freeagent", page: "freeagent.app", element: "freeagent.app.identifier", seed: true,
			faults: fakeportal.Faults{Rename: map[string]string{"OAuth identifier": "Client reference"}}, wait: []string{"freeagent.check_app"}, exit: 4},
		// A rewording the bot follows: drift, exit 7.
		{target: flows.All, page: "codat.integrations", element: "codat.integrations.heading",
			faults: fakeportal.Faults{Rename: map[string]string{"Accounting integrations": "Integrations"}}, exit: 7},
		{target: "xero", page: "codat.settings", element: "codat.settings.client_secret",
			faults: fakeportal.Faults{Remove: []string{"Client secret"}}, exit: 4},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, fakeportal.Options{Faults: tt.faults})
			cfg := testConfig(t, p)
			if tt.seed {
				p.AddXeroApp(cfg.App.Name)
				p.AddFreeAgentApp(cfg.App.Name)
			}
			before := len(p.Records().Writes)
			r := runWith(t, cfg, tt.target, func(env *flows.Env) {
				env.Mode = flows.ModeCheck
				env.StepTimeouts = map[string]time.Duration{}
				for _, st := range tt.wait {
					env.StepTimeouts[st] = short
				}
			})
			if got := fail.ExitCode(r.err); got != tt.exit {
				t.Fatalf("exit %d (%v), want %d", got, r.err, tt.exit)
			}
			if w := p.Records().Writes[before:]; len(w) != 0 {
				t.Errorf("check wrote to a portal: %+v", w)
			}
			var bad []report.Check
			for _, c := range r.sum.Checks {
				switch c.Status {
				case "missing", "ambiguous", "drift":
					bad = append(bad, c)
				}
			}
			if len(bad) != 1 || bad[0].Element != tt.element || bad[0].Page != tt.page {
				t.Fatalf("the check named %+v, want exactly %s on %s", bad, tt.element, tt.page)
			}
			if !strings.Contains(r.err.Error(), tt.element) || !strings.Contains(r.err.Error(), tt.page) {
				t.Errorf("the error does not name %s on %s: %v", tt.element, tt.page, r.err)
			}
		})
	}
}
