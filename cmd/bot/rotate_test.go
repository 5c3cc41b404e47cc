package main_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/flows"
	"portalbot/internal/fakeportal"
	"portalbot/internal/store"
)

// rotateCommand is `bot rotate xero` for the replicas, without screenshots
// (nobody looks at them here).
func rotateCommand(t testing.TB, cfg, out string, args ...string) *exec.Cmd {
	cmd := setUpCommand(t, cfg, out)
	cmd.Args = append(cmd.Args[:len(cmd.Args)-2], append([]string{"rotate", "xero"}, args...)...)
	return cmd
}

// setUpCommand is `bot run xero` without screenshots.
func setUpCommand(t testing.TB, cfg, out string) *exec.Cmd {
	cmd := command(t, cfg, out, "xero")
	cmd.Env = append(cmd.Env, "BOT_OUTPUT_SCREENSHOTS=off")
	return cmd
}

// Kill the rotation (SIGKILL) right after each step in turn: at that moment
// Codat holds a live secret (no downtime), and a second bot rotate ends with
// one or two live secrets, Codat holding a live one with the app's client
// id, and the secret file holding Codat's secret; all from the replicas'
// records.
func TestKillAtEveryRotationStep(t *testing.T) {
	steps, err := flows.RotateSteps("xero")
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(steps); k++ {
		// -short: only after the steps that change the state or a portal.
		if testing.Short() && !steps[k-1].Writes && steps[k-1].Name != "xero.plan_rotation" {
			continue
		}
		t.Run("after_"+steps[k-1].Name, func(t *testing.T) {
			t.Parallel()
			p, cfg, out := setup(t, fakeportal.Options{})
			if b, err := setUpCommand(t, cfg, out).CombinedOutput(); err != nil {
				t.Fatalf("the set-up run failed: %v\n%s", err, b)
			}
			first := rotateCommand(t, cfg, out)
			reached, log := startUntil(t, first, fmt.Sprintf("[%2d/", k+1))
			if reached {
				_ = first.Process.Kill()
			}
			_ = first.Wait()
			if !reached {
				t.Fatalf("the rotation ended before step %d:\n%s", k+1, log)
			}
			if err := p.Records().Delivered("xero", true); err != nil {
				t.Errorf("killed after %s: %v", steps[k-1].Name, err)
			}
			second := rotateCommand(t, cfg, out)
			if b, err := second.CombinedOutput(); err != nil {
				t.Fatalf("the second rotation failed: %v\n%s", err, b)
			}
			rec := p.Records()
			if err := rec.Delivered("xero", true); err != nil {
				t.Error(err)
			}
			sec, err := store.ReadSecret(filepath.Join(out, "secrets", "xero-acme-books-demo.secret"))
			if err != nil || sec.Reveal() != rec.Codat["gbol"].ClientSecret {
				t.Errorf("the secret file does not hold Codat's secret (%v)", err)
			}
			// The second rotation finished the first one, or made its own:
			// either way the older secret is gone.
			if n := len(rec.XeroApps[0].LiveSecrets()); n != 1 {
				t.Errorf("%d live secrets after the second rotation, want 1", n)
			}
		})
	}
}

// A second rotation with --max-age right after the first writes nothing and
// says so, from the binary.
func TestRotateMaxAgeIsANoOp(t *testing.T) {
	p, cfg, out := setup(t, fakeportal.Options{})
	if b, err := setUpCommand(t, cfg, out).CombinedOutput(); err != nil {
		t.Fatalf("the set-up run failed: %v\n%s", err, b)
	}
	if b, err := rotateCommand(t, cfg, out).CombinedOutput(); err != nil {
		t.Fatalf("the rotation failed: %v\n%s", err, b)
	}
	writes := len(p.Records().Writes)
	cmd := rotateCommand(t, cfg, out, "--max-age", "90d")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("exit %v, want 0\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "not due") || !strings.Contains(stdout.String(), `"outcome": "not due"`) {
		t.Errorf("the no-op does not say so:\n%s\n%s", stderr.String(), stdout.String())
	}
	if n := len(p.Records().Writes); n != writes {
		t.Errorf("the no-op wrote %d times", n-writes)
	}
}
