package flows_test

import (
	"errors"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"portalbot/flows"
	"portalbot/internal/fakeportal"
)

// errKilled is what the AfterStep hook returns to stop a run as a kill.
var errKilled = errors.New("killed by the test")

// killWorkers is how many kill points run at once, each with its own
// replicas and browser context in the one shared browser
// (BOT_TEST_KILL_WORKERS overrides it).
func killWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("BOT_TEST_KILL_WORKERS")); err == nil && n > 0 {
		return n
	}
	return max(3, runtime.NumCPU())
}

// Stop the run right after each step in turn, as a kill would (the engine
// abandons the run: no cleanup, no state saved beyond what the step saved,
// its tabs and cookies dropped, the step the other tab was in cut short),
// run it again to completion, and check from the replicas' records that
// nothing is lost or duplicated: one app, Codat holding a key pair the
// provider accepts now, the switch on, the secret file holding what Codat
// holds, and no secret generated twice for nothing. A kill after the last
// step is a rerun of a finished job: it redoes nothing. Three real SIGKILLs
// of the bot binary are in cmd/bot.
func TestKillAfterEveryStep(t *testing.T) {
	type point struct{ provider, step string }
	var points []point
	for _, provider := range flows.Providers {
		for k, st := range steps(t, provider) {
			if testing.Short() && k%4 != 0 {
				continue
			}
			points = append(points, point{provider, st.Name})
		}
	}
	work := make(chan point)
	var wg sync.WaitGroup
	for range killWorkers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pt := range work {
				t.Run(pt.provider+"/after_"+pt.step, func(t *testing.T) { killAndResume(t, pt.provider, pt.step) })
			}
		}()
	}
	for _, pt := range points {
		work <- pt
	}
	close(work)
	wg.Wait()
}

func killAndResume(t *testing.T, provider, step string) {
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	cfg.Log.Level = "warn"
	reached := false
	first := runWith(t, cfg, provider, func(env *flows.Env) {
		env.AfterStep = func(name string) error {
			if name == step {
				reached = true
				return errKilled
			}
			return nil
		}
	})
	if !reached || !errors.Is(first.err, errKilled) {
		t.Fatalf("the first run was not stopped after %s: %v", step, first.err)
	}
	second := run(t, cfg, provider)
	if second.err != nil {
		t.Fatalf("the rerun failed: %v\n%s", second.err, second.printed)
	}
	rec := p.Records()
	if err := rec.Delivered(provider, true); err != nil {
		t.Error(err)
	}
	held := rec.Codat[map[string]string{"xero": fakeportal.KeyXero, "freeagent": fakeportal.KeyFreeAgent}[provider]].ClientSecret
	file := flows.SecretPath(cfg.Out, provider, cfg.App.Name)
	if b, err := os.ReadFile(file); err != nil || strings.TrimSpace(string(b)) != held {
		t.Errorf("the secret file %s does not hold the secret Codat holds (%v)", file, err)
	}
	if second.sum.Secret.File != file {
		t.Errorf("the summary names the secret file %q, want %q", second.sum.Secret.File, file)
	}
	// One secret, unless the kill cut Xero's "Generate a secret" short in
	// the other tab (a secret made, not stored: the rerun makes another and
	// removes the lost one).
	generated, removed := countWrites(p, "secret generated"), countWrites(p, "secret removed")
	if provider == "xero" && (generated > 2 || generated-removed != 1 || strings.HasPrefix(step, "xero.") && generated != 1) {
		t.Errorf("%d secrets generated, %d removed: want one live, and one generated when the kill was in Xero's own tab", generated, removed)
	}
	done := 0
	for _, s := range second.sum.Steps {
		if s.Status == "done-before" {
			done++
		}
	}
	if last := steps(t, provider); step == last[len(last)-1].Name && done == 0 {
		t.Errorf("the rerun of a finished job redid every step: %+v", second.sum.Steps)
	}
	noLeak(t, cfg, second, file, held, p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.FreeAgentPassword)
	if t.Failed() {
		t.Logf("first run:\n%s\nrerun:\n%s", first.printed, second.printed)
	}
}

func steps(t *testing.T, provider string) []flows.Step {
	t.Helper()
	steps, err := flows.Steps(provider)
	if err != nil {
		t.Fatal(err)
	}
	return steps
}
