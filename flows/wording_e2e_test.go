package flows_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
)

// quick makes cfg a job that takes no pictures and gives up on a missing
// element after a short wait: these tests look at records, not pictures,
// and some expect the run to stop.
func quick(t *testing.T, p *fakeportal.Portals, step time.Duration) *config.Config {
	t.Helper()
	cfg := testConfig(t, p)
	cfg.Output.Screenshots = "off"
	cfg.Browser.StepTimeout = step
	return cfg
}

// TestWording2026: the pages as 2025-26 guides show them (new dialog title,
// two screens, "OAuth 2.0 redirect URI", the longer AI question, Xero's push
// screen, "Remember me", Codat's state-word switch, FreeAgent's secret shown
// once) are driven to the end in both renderings; the records show the right
// app and keys in Codat, and nothing harmful.
func TestWording2026(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		variant  string
	}{
		{"xero", ""}, {"xero", fakeportal.VariantSPA}, {"freeagent", ""}, {"freeagent", fakeportal.VariantSPA},
	}
	for _, tt := range tests {
		t.Run(tt.provider+" "+tt.variant, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, fakeportal.Options{Wording: fakeportal.Wording2026, Variant: tt.variant, XeroTwoStep: true})
			cfg := quick(t, p, 10*time.Second)
			r := run(t, cfg, tt.provider)
			if r.err != nil {
				t.Fatalf("run: %v", r.err)
			}
			rec := p.Records()
			if err := rec.Delivered(tt.provider, true); err != nil {
				t.Error(err)
			}
			if h := rec.Harm(tt.provider, false, true); len(h) > 0 {
				t.Errorf("harm: %v", h)
			}
		})
	}
}

// TestFreeAgentSecretShownOnce: an app that exists, whose secret the run
// does not hold and the page no longer shows, gets a new secret, delivered
// to Codat in the same run: Codat never keeps a dead one.
func TestFreeAgentSecretShownOnce(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{Wording: fakeportal.Wording2026})
	cfg := quick(t, p, 10*time.Second)
	p.AddFreeAgentApp(cfg.App.Name)
	r := run(t, cfg, "freeagent")
	if r.err != nil {
		t.Fatalf("run: %v", r.err)
	}
	if !strings.Contains(r.printed, "regenerating") {
		t.Error("the run did not say it regenerated the secret")
	}
	rec := p.Records()
	if err := rec.Delivered("freeagent", true); err != nil {
		t.Error(err)
	}
	if h := rec.Harm("freeagent", false, true); len(h) > 0 {
		t.Errorf("harm: %v", h)
	}
	// A second run holds the secret (state + file): it regenerates nothing.
	before := len(rec.Writes)
	if r := run(t, cfg, "freeagent"); r.err != nil {
		t.Fatalf("second run: %v", r.err)
	}
	for _, w := range p.Records().Writes[before:] {
		if strings.Contains(w.Action, "regenerat") {
			t.Errorf("the second run regenerated the secret: %+v", w)
		}
	}
}

// TestRewordingsThatMustStop: a reworded element the bot must not follow
// (exact: it replaces a secret or picks between harmful choices), or a
// question it does not know, stops the run with exit 4 naming it, and the
// records show nothing wrong done.
func TestRewordingsThatMustStop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		opts     fakeportal.Options
		want     []string // in the error
	}{
		{"Generate a secret reworded", "xero",
			fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Generate a secret": "Create a secret"}}},
			[]string{"xero.configuration.generate_secret"}},
		{"Enable in Codat's dialog reworded", "freeagent",
			fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Enable": "Turn on"}}},
			[]string{"codat.enable_dialog.enable"}},
		{"an unknown question in the new-app dialog", "xero",
			fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Will you use Xero data to train an AI model?": "Will your app store payroll records?"}}},
			[]string{"asks what the bot does not know", `question "Will your app store payroll records?"`}},
		{"an unknown question on the first of two screens", "xero",
			fakeportal.Options{Wording: fakeportal.Wording2026, Faults: fakeportal.Faults{Rename: map[string]string{
				"Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?": "Will your app store payroll records?"}}},
			[]string{"xero.new_app.next", `question "Will your app store payroll records?"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, tt.opts)
			cfg := quick(t, p, 4*time.Second)
			r := run(t, cfg, tt.provider)
			if got := fail.ExitCode(r.err); got != 4 {
				t.Fatalf("exit %d (%v), want 4", got, r.err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("error %q does not name %q", r.err, w)
				}
			}
			rec := p.Records()
			if h := rec.Harm(tt.provider, false, true); len(h) > 0 {
				t.Errorf("harm: %v", h)
			}
			for _, w := range rec.Writes {
				if strings.Contains(w.Action, "removed") || strings.Contains(w.Action, "enabled") {
					t.Errorf("wrote %+v although the run had to stop", w)
				}
			}
		})
	}
}

// TestDriftSeeds: the replicas reword their pages the ways portals do
// (case, punctuation, a word added, dropped or swapped for a synonym, a label
// moved into a placeholder or a tooltip). Every run either completes with
// the records right, or stops with exit 4 having done nothing wrong. `make
// test` runs a few seeds; `make drift` runs DRIFT_SEEDS of them (50).
func TestDriftSeeds(t *testing.T) {
	t.Parallel()
	n := 3
	if v, err := strconv.Atoi(os.Getenv("DRIFT_SEEDS")); err == nil && v > 0 {
		n = v
	}
	// The seeds run side by side: a run that stops waits out its step
	// timeout for an element, which costs the machine nothing (it holds
	// one of the runs' slots meanwhile, runSlots).
	var mu sync.Mutex
	completed, runs := 0, 0
	t.Run("seeds", func(t *testing.T) {
		for seed := int64(1); seed <= int64(n); seed++ {
			for _, provider := range []string{"xero", "freeagent"} {
				t.Run(provider+" seed "+strconv.FormatInt(seed, 10), func(t *testing.T) {
					t.Parallel()
					// A copy edit changes a few labels at a time: 5% of them.
					opts := fakeportal.Options{Faults: fakeportal.Faults{DriftSeed: seed, DriftRate: 0.05}}
					if seed%2 == 0 {
						opts.Wording = fakeportal.Wording2026
					}
					if seed%3 == 0 {
						opts.Variant = fakeportal.VariantSPA
					}
					p := fakeportal.StartT(t, opts)
					cfg := quick(t, p, 8*time.Second) // a sign-in of three pages must fit, on a loaded machine too
					r := run(t, cfg, provider)
					rec := p.Records()
					mu.Lock()
					runs++
					mu.Unlock()
					for _, d := range rec.Drift {
						t.Logf("reworded: %q -> %q (%s)", d.Label, d.Became, d.How)
					}
					switch code := fail.ExitCode(r.err); code {
					case 0:
						mu.Lock()
						completed++
						mu.Unlock()
						if err := rec.Delivered(provider, true); err != nil {
							t.Errorf("exit 0 but %v", err)
						}
					case 4:
						t.Logf("stopped: %v", r.err)
					default:
						t.Errorf("exit %d (%v): want 0, or 4 for a rewording it must not follow", code, r.err)
					}
					if h := rec.Harm(provider, false, true); len(h) > 0 {
						t.Errorf("harm: %v", h)
					}
				})
			}
		}
	})
	t.Logf("drift: %d of %d runs completed, the others stopped with exit 4 doing nothing wrong", completed, runs)
	if os.Getenv("DRIFT_SEEDS") != "" {
		_ = os.WriteFile(filepath.Join(os.TempDir(), "portalbot-drift.txt"),
			[]byte(strconv.Itoa(completed)+" of "+strconv.Itoa(runs)+" completed\n"), 0o644)
	}
}

// TestCheckNamesADriftAndWritesItsFix: one reworded element is named with
// its page and seen words (exit 7), and the override file the check writes
// makes the next check clean. The first check waits 1 ms for each element,
// less than the drift rules wait before they look (locate.DriftAfter), as a
// loaded machine makes any wait too short: the last look before an element
// is called missing still follows the rewording.
func TestCheckNamesADriftAndWritesItsFix(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Redirect URI": "Callback redirect URI"}}})
	cfg := quick(t, p, 10*time.Second)
	r := runWith(t, cfg, "xero", func(env *flows.Env) { env.Mode, env.CheckWait = flows.ModeCheck, time.Millisecond })
	if got := fail.ExitCode(r.err); got != 7 {
		t.Fatalf("exit %d (%v), want 7 (drift only)", got, r.err)
	}
	var drifted []string
	fix := ""
	for _, c := range r.sum.Checks {
		if c.Status == "drift" {
			drifted = append(drifted, c.Element+" "+c.Page+" "+c.Seen)
			fix = c.Fix
		}
	}
	if len(drifted) != 1 || drifted[0] != "xero.new_app.redirect_uri xero.new_app Callback redirect URI" {
		t.Fatalf("drifts %v, want exactly the redirect URI field with its seen words", drifted)
	}
	if fix == "" {
		t.Fatal("no fix file named")
	}
	cfg.SelectorsDir = filepath.Dir(fix)
	if r := runWith(t, cfg, "xero", func(env *flows.Env) { env.Mode = flows.ModeCheck }); r.err != nil {
		t.Fatalf("check with the fix: %v", r.err)
	}
}

// TestCodatAsksForWhatOnlyAPersonHas: an emailed code to confirm a new
// sign-in, or a user without the role to manage integrations, stops the run
// with exit 3 saying so; Codat holds nothing new.
func TestCodatAsksForWhatOnlyAPersonHas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		faults fakeportal.Faults
		want   []string
	}{
		{"an emailed code", fakeportal.Faults{CodatEmailCode: true}, []string{"sent by email", "bot login codat"}},
		{"no role to manage integrations", fakeportal.Faults{CodatNoRole: true}, []string{"cannot manage integrations", "Developer or Administrator"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fakeportal.StartT(t, fakeportal.Options{Faults: tt.faults})
			r := run(t, quick(t, p, 8*time.Second), "freeagent")
			if got := fail.ExitCode(r.err); got != 3 {
				t.Fatalf("exit %d (%v), want 3", got, r.err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("error %q does not say %q", r.err, w)
				}
			}
			rec := p.Records()
			if rec.Codat[fakeportal.KeyFreeAgent].Configured || rec.CodatEmailCodes.Accepted > 0 {
				t.Errorf("Codat changed: %+v, codes %+v", rec.Codat[fakeportal.KeyFreeAgent], rec.CodatEmailCodes)
			}
		})
	}
}
