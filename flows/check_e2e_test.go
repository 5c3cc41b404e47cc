package flows_test

import (
	"strings"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
)

// A regression check writes nothing, resolves every unconditional element,
// and names each one that no longer matches.
func TestCheckWritesNothingAndNamesWhatChanged(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		provider  string
		opts      fakeportal.Options
		seed      bool
		wantExit  int
		wantBad   []string
		wantFell  []string // found, but not by the first locator as written
		wantDrift []string // found by words the data does not have
		// waits are the step timeouts of steps that wait for a page's
		// ready element in vain: signing in first, then a while.
		waits map[string]time.Duration
	}{
		{name: "xero unchanged", provider: "xero"},
		{name: "xero with an app", provider: "xero", seed: true},
		{name: "freeagent unchanged", provider: "freeagent"},
		{name: "xero with an app, single-page rendering", provider: "xero", seed: true, opts: fakeportal.Options{Variant: fakeportal.VariantSPA}},
		{name: "freeagent, single-page rendering with a label not wired", provider: "freeagent",
			opts:     fakeportal.Options{Variant: fakeportal.VariantSPA},
			wantFell: []string{"codat.settings.client_id"}},
		// "Website" shares no word with "Company or application URL": missing.
		// "Integrations" keeps the heading's words but one: a drift, named
		// with what the page shows, and the run would follow it.
		{name: "xero renamed", provider: "xero", wantExit: 4,
			opts:      fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Company or application URL": "Website", "Accounting integrations": "Integrations"}}},
			wantBad:   []string{"xero.new_app.company_url"},
			wantDrift: []string{"codat.integrations.heading"}},
		{name: "xero button renamed on Configuration", provider: "xero", seed: true, wantExit: 4,
			opts:    fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Generate a secret": "Create a secret"}}},
			wantBad: []string{"xero.configuration.generate_secret"}},
		{name: "freeagent field removed", provider: "freeagent", wantExit: 4,
			opts:    fakeportal.Options{Faults: fakeportal.Faults{Remove: []string{"OAuth Redirect URIs"}}},
			wantBad: []string{"freeagent.new_app.redirect_uris"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, tt.opts)
			cfg := testConfig(t, p)
			cfg.App.Name = "Acme Books Demo"
			if tt.seed {
				p.AddXeroApp(cfg.App.Name)
			}
			before := len(p.Records().Writes)
			r := runWith(t, cfg, tt.provider, func(env *flows.Env) { env.Mode, env.StepTimeouts = flows.ModeCheck, tt.waits })
			if got := fail.ExitCode(r.err); got != tt.wantExit {
				t.Fatalf("exit = %d (%v), want %d", got, r.err, tt.wantExit)
			}
			if w := p.Records().Writes[before:]; len(w) != 0 {
				t.Errorf("check mode wrote to a portal: %+v", w)
			}
			found := 0
			for _, c := range r.sum.Checks {
				if c.Status == "found" || c.Status == "fallback" {
					found++
				}
			}
			if found < 8 {
				t.Errorf("only %d elements found: %+v", found, r.sum.Checks)
			}
			for _, bad := range tt.wantBad {
				if !strings.Contains(r.err.Error(), bad) {
					t.Errorf("the error does not name %s: %v", bad, r.err)
				}
			}
			for _, want := range tt.wantDrift {
				drift := false
				for _, c := range r.sum.Checks {
					drift = drift || (c.Element == want && c.Status == "drift" && c.Seen != "")
				}
				if !drift {
					t.Errorf("%s is not reported as a drift with what the page shows: %+v", want, r.sum.Checks)
				}
			}
			for _, want := range tt.wantFell {
				fell := false
				for _, c := range r.sum.Checks {
					fell = fell || (c.Element == want && c.Status == "fallback" && strings.Contains(c.Via, "by position"))
				}
				if !fell {
					t.Errorf("%s is not reported as found by position: %+v", want, r.sum.Checks)
				}
			}
			if tt.seed {
				seen := false
				for _, c := range r.sum.Checks {
					seen = seen || (c.Element == "xero.configuration.show_client_id" && c.Status == "found")
				}
				if !seen {
					t.Errorf("the existing app's Configuration page was not checked")
				}
			}
		})
	}
}
