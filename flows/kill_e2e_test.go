package flows_test

import (
	"errors"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fakeportal"
)

// errKilled is what the AfterStep hook returns to stop a run as a kill.
var errKilled = errors.New("killed by the test")

// killWorkers is how many kill chains run at once, each with its own
// replicas and browser context in the one shared browser
// (BOT_TEST_KILL_WORKERS overrides it).
func killWorkers() int {
	if n, err := strconv.Atoi(os.Getenv("BOT_TEST_KILL_WORKERS")); err == nil && n > 0 {
		return n
	}
	return max(3, runtime.NumCPU())
}

// killChains is how many chains each provider's kill points are cut into
// (each chain starts on fresh replicas; more chains, more runs side by
// side).
const killChains = 2

// Stop the run right after each step in turn, as a kill would (the engine
// abandons the run: no cleanup, no state saved beyond what the step saved,
// its tabs and cookies dropped, the step the other tab was in cut short),
// and check from the replicas' records that nothing is lost or duplicated:
// one app, Codat holding a key pair the provider accepts now, the switch
// on, the secret file holding what Codat holds, and no secret generated
// twice for nothing. A kill after the last step is a rerun of a finished
// job: it redoes nothing.
//
// The kill points run as chains, as a user whose runs keep being killed
// would see them: the run is killed after a step, the next run (a resume,
// in a fresh browser context) is killed after the next step, and so on;
// the chain's last run completes the job and the end state is checked.
// Each point's kill comes in a run that really does the step: a step the
// resume finds done before (Codat's Enable dialog, once Save is done) is
// not a kill after it, and that point is then taken alone (a fresh run
// killed after it, and a rerun). The points are in the flow's order; each
// run also starts the other tab again, so each kill cuts the other tab
// wherever it is then. Three real SIGKILLs of the bot binary are in
// cmd/bot.
func TestKillAfterEveryStep(t *testing.T) {
	t.Parallel()
	type chain struct {
		provider string
		points   []string
	}
	var chains []chain
	for _, provider := range flows.Providers {
		var points []string
		for k, st := range steps(t, provider) {
			if testing.Short() && k%4 != 0 {
				continue
			}
			points = append(points, st.Name)
		}
		size := (len(points) + killChains - 1) / killChains
		for c := range slices.Chunk(points, size) {
			chains = append(chains, chain{provider, c})
		}
	}
	work := make(chan chain)
	var wg sync.WaitGroup
	for range killWorkers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				t.Run(c.provider+"/from_"+c.points[0], func(t *testing.T) {
					for _, missed := range killChain(t, c.provider, c.points) {
						t.Run("alone_after_"+missed, func(t *testing.T) { killAndResume(t, c.provider, missed) })
					}
				})
			}
		}()
	}
	for _, c := range chains {
		work <- c
	}
	close(work)
	wg.Wait()
}

// killChain kills runs of provider on fresh replicas after each of points
// in turn (each run a resume of the one before), completes the job with a
// last run and checks its end state. It returns the points no run of the
// chain did (found done before): they need a kill of their own.
func killChain(t *testing.T, provider string, points []string) (missed []string) {
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	cfg.Log.Level = "warn"
	var printed strings.Builder
	codatKills := 0
	for _, step := range points {
		r := killedAfter(t, cfg, provider, step)
		printed.WriteString("--- killed after " + step + ":\n" + r.printed)
		if !errors.Is(r.err, errKilled) {
			if r.err != nil {
				t.Fatalf("the run to be killed after %s failed: %v\n%s", step, r.err, printed.String())
			}
			t.Logf("after %s: the resume did not do it and finished the job", step)
			// It finished (the step was done before): the job is done,
			// and this point and the ones after it need runs of their own.
			checkDelivered(t, cfg, p, provider, r, codatKills)
			if t.Failed() {
				t.Logf("the chain's runs:\n%s", printed.String())
			}
			return append(missed, points[slices.Index(points, step):]...)
		}
		if status(r, step) == "done-before" {
			t.Logf("after %s: the resume found it done before", step)
			missed = append(missed, step)
		} else if strings.HasPrefix(step, "codat.") {
			codatKills++
		}
		noLeak(t, cfg, r, flows.SecretPath(cfg.Out, provider, cfg.App.Name), p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.FreeAgentPassword)
	}
	last := run(t, cfg, provider)
	printed.WriteString("--- the last run:\n" + last.printed)
	if last.err != nil {
		t.Fatalf("the last run of the chain failed: %v\n%s", last.err, printed.String())
	}
	// A chain that ends with the flow's last step killed a finished job:
	// the last run redoes nothing.
	all := steps(t, provider)
	if points[len(points)-1] == all[len(all)-1].Name && !slices.Contains(missed, points[len(points)-1]) && count(last, "done-before") == 0 {
		t.Errorf("the rerun of a finished job redid every step: %+v", last.sum.Steps)
	}
	// One secret live, and at most one more generated per kill in Codat's
	// tab (it may cut Xero's "Generate a secret" short: a secret made, not
	// stored; the next run makes another and removes the lost one).
	checkDelivered(t, cfg, p, provider, last, codatKills)
	if t.Failed() {
		t.Logf("the chain's runs:\n%s", printed.String())
	}
	return missed
}

// killedAfter runs provider and abandons the run right after step.
func killedAfter(t *testing.T, cfg *config.Config, provider, step string) result {
	t.Helper()
	return runWith(t, cfg, provider, func(env *flows.Env) {
		env.AfterStep = func(name string) error {
			if name == step {
				return errKilled
			}
			return nil
		}
	})
}

// status is the status of step in the run's summary ("" when absent).
func status(r result, step string) string {
	if r.sum == nil {
		return ""
	}
	for _, s := range r.sum.Steps {
		if s.Name == step {
			return s.Status
		}
	}
	return ""
}

// count is how many of the run's steps have the status.
func count(r result, status string) int {
	n := 0
	if r.sum != nil {
		for _, s := range r.sum.Steps {
			if s.Status == status {
				n++
			}
		}
	}
	return n
}

// checkDelivered checks the end state of a job from the replicas' records:
// delivered, the secret file holding what Codat holds and named by the
// summary, one Xero secret live with at most extra more generated, and no
// secret in what the last run printed or wrote.
func checkDelivered(t *testing.T, cfg *config.Config, p *fakeportal.Portals, provider string, last result, extra int) {
	t.Helper()
	rec := p.Records()
	if err := rec.Delivered(provider, true); err != nil {
		t.Error(err)
	}
	held := rec.Codat[map[string]string{"xero": fakeportal.KeyXero, "freeagent": fakeportal.KeyFreeAgent}[provider]].ClientSecret
	file := flows.SecretPath(cfg.Out, provider, cfg.App.Name)
	if b, err := os.ReadFile(file); err != nil || strings.TrimSpace(string(b)) != held {
		t.Errorf("the secret file %s does not hold the secret Codat holds (%v)", file, err)
	}
	if last.sum.Secret.File != file {
		t.Errorf("the summary names the secret file %q, want %q", last.sum.Secret.File, file)
	}
	generated, removed := countWrites(p, "secret generated"), countWrites(p, "secret removed")
	if provider == "xero" && (generated > 1+extra || generated-removed != 1) {
		t.Errorf("%d secrets generated, %d removed: want one live, and at most %d generated", generated, removed, 1+extra)
	}
	noLeak(t, cfg, last, file, held, p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.FreeAgentPassword)
}

// killAndResume kills a first run of provider on fresh replicas after step
// and checks that a rerun completes the job.
func killAndResume(t *testing.T, provider, step string) {
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	cfg.Log.Level = "warn"
	first := killedAfter(t, cfg, provider, step)
	if !errors.Is(first.err, errKilled) || status(first, step) != "ok" {
		t.Fatalf("the first run was not stopped after %s: %v", step, first.err)
	}
	second := run(t, cfg, provider)
	if second.err != nil {
		t.Fatalf("the rerun failed: %v\n%s", second.err, second.printed)
	}
	extra := 1 // the kill may cut Xero's "Generate a secret" short in the other tab
	if strings.HasPrefix(step, "xero.") {
		extra = 0
	}
	checkDelivered(t, cfg, p, provider, second, extra)
	if last := steps(t, provider); step == last[len(last)-1].Name && count(second, "done-before") == 0 {
		t.Errorf("the rerun of a finished job redid every step: %+v", second.sum.Steps)
	}
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
