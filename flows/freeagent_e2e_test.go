package flows_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portalbot/internal/fakeportal"
)

func TestFreeAgentToCodat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		enable     string
		opts       fakeportal.Options
		wantSwitch bool
	}{
		{"enable now", "now", fakeportal.Options{}, true},
		{"enable later, practice API box pre-ticked", "later", fakeportal.Options{FreeAgentPracticePreTicked: true}, false},
	}
	for _, tt := range tests {
		for _, variant := range variants {
			t.Run(tt.name+"/"+variant, func(t *testing.T) {
				t.Parallel()
				opts := tt.opts
				opts.Variant = variant
				testFreeAgentToCodat(t, opts, tt.enable, tt.wantSwitch)
			})
		}
	}
}

// testFreeAgentToCodat runs the FreeAgent job against fresh replicas and
// checks the end state from their records.
func testFreeAgentToCodat(t *testing.T, opts fakeportal.Options, enable string, wantSwitch bool) {
	p := fakeportal.StartT(t, opts)
	cfg := testConfig(t, p)
	cfg.Codat.Enable = enable
	if enable == "later" { // docs of two steps only (the default screenshots: failure)
		cfg.Output.ScreenshotSteps = []string{"freeagent.read_credentials", "codat.fill_client_secret"}
	}
	r := run(t, cfg, "freeagent")
	if r.err != nil {
		t.Fatalf("run: %v", r.err)
	}
	shots, _ := filepath.Glob(filepath.Join(cfg.Out, "screenshots", "freeagent", "*.png"))
	var want []string
	for _, st := range r.sum.Steps {
		if st.Status == "ok" && slices.Contains(cfg.Output.ScreenshotSteps, st.Name) {
			want = append(want, st.Name)
		}
		if (st.Screenshot != "") != slices.Contains(want, st.Name) {
			t.Errorf("step %s: screenshot %q, want one: %v", st.Name, st.Screenshot, slices.Contains(want, st.Name))
		}
	}
	if len(shots) != len(want) {
		t.Errorf("%d screenshots, want %d (%v): %v", len(shots), len(want), want, shots)
	}
	rec := p.Records()
	if len(rec.FreeAgentApps) != 1 {
		t.Fatalf("FreeAgent has %d apps, want 1", len(rec.FreeAgentApps))
	}
	app := rec.FreeAgentApps[0]
	if app.Name != cfg.App.Name || app.Description != cfg.App.Description {
		t.Errorf("app = %+v, want the configured name and description", app)
	}
	if len(app.RedirectURIs) != 1 || app.RedirectURIs[0] != freeagentCallback {
		t.Errorf("redirect URIs = %v, want [%s]", app.RedirectURIs, freeagentCallback)
	}
	if app.PracticeAPI {
		t.Errorf("the Accountancy Practice API is on; the guide says leave it unticked")
	}
	codat := rec.Codat["fbrh"]
	if codat.ClientID != app.Identifier || codat.ClientSecret != app.Secret {
		t.Errorf("Codat's FreeAgent settings hold other keys than the ones FreeAgent issued")
	}
	if codat.Enabled != wantSwitch || r.sum.Codat.Enabled != wantSwitch {
		t.Errorf("switch = %v, want %v", codat.Enabled, wantSwitch)
	}
	if x := rec.Codat["gbol"]; x.Configured || x.Enabled || x.ClientID != "" || x.Saves != 0 {
		t.Errorf("the Xero row was touched: %+v", x)
	}
	if b, _ := os.ReadFile(r.sum.Secret.File); strings.TrimSpace(string(b)) != app.Secret {
		t.Errorf("the stored secret is not the one FreeAgent issued")
	}
	noLeak(t, cfg, r, r.sum.Secret.File, app.Secret, p.Creds.FreeAgentPassword, p.Creds.CodatPassword)
	codatOverlapsProvider(t, r.sum, "freeagent")
}
