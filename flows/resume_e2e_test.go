package flows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/internal/state"
)

func endState(t *testing.T, p *fakeportal.Portals, provider string, wantEnabled bool) {
	t.Helper()
	if err := p.Records().Delivered(provider, wantEnabled); err != nil {
		t.Error(err)
	}
}

// An app deleted in the portal after a run: the state still names it, so
// the rerun stops (exit 4) and says which state file to remove, and creates
// nothing.
func TestStateOfADeletedAppSaysWhatToRemove(t *testing.T) {
	t.Parallel()
	for _, provider := range []string{"xero", "freeagent"} {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			first := fakeportal.StartT(t, fakeportal.Options{})
			cfg := testConfig(t, first)
			if r := run(t, cfg, provider); r.err != nil {
				t.Fatal(r.err)
			}
			again := fakeportal.StartT(t, fakeportal.Options{}) // the same accounts, no app
			out := cfg.Out
			cfg = testConfig(t, again)
			cfg.Out = out
			r := runWith(t, cfg, provider, expectMissing(provider+".create_app"))
			if fail.ExitCode(r.err) != 4 {
				t.Fatalf("exit = %d (%v), want 4", fail.ExitCode(r.err), r.err)
			}
			file := state.Path(out, provider, cfg.App.Name)
			if !strings.Contains(r.err.Error(), file) || !strings.Contains(r.err.Error(), "remove that file") {
				t.Errorf("the error does not say to remove %s: %v", file, r.err)
			}
			if w := again.Records().Writes; len(w) != 0 {
				t.Errorf("the rerun wrote to the portals: %+v", w)
			}
		})
	}
}

// With the state gone (or a run killed between "Generate a secret" and
// storing it), the app is reused, a new secret goes to Codat, and the one
// nothing holds is removed.
func TestLostSecretIsRotated(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	if r := run(t, cfg, "xero"); r.err != nil {
		t.Fatal(r.err)
	}
	first := p.Records().XeroApps[0].LiveSecrets()
	if err := os.RemoveAll(filepath.Join(cfg.Out, "state")); err != nil {
		t.Fatal(err)
	}
	r := run(t, cfg, "xero")
	if r.err != nil {
		t.Fatal(r.err)
	}
	endState(t, p, "xero", true)
	live := p.Records().XeroApps[0].LiveSecrets()
	if len(live) != 1 || live[0] == first[0] {
		t.Errorf("live secrets after rotation: %d (old one still live: %v), want only the new one", len(live), len(live) > 0 && live[0] == first[0])
	}
	if countWrites(p, "secret removed") != 1 {
		t.Errorf("want the old secret removed once")
	}
}

func TestSecondRunWhileOneRunsIsRefused(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	lock, err := state.Acquire(cfg.Out, "xero", cfg.App.Name)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Release() }()
	r := run(t, cfg, "xero")
	if fail.ExitCode(r.err) != 6 || !strings.Contains(r.err.Error(), "already running") {
		t.Fatalf("err = %v, want exit 6 naming the other run", r.err)
	}
	if len(p.Records().XeroApps) != 0 {
		t.Errorf("the refused run created an app")
	}
}

func countWrites(p *fakeportal.Portals, action string) int {
	n := 0
	for _, w := range p.Records().Writes {
		if w.Action == action {
			n++
		}
	}
	return n
}
