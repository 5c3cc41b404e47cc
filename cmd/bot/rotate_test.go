package main_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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

// Kill the rotation (SIGKILL) while Codat's Save is under way, the riskiest
// moment: the new secret is generated and stored, and Codat may or may not
// hold it yet. At that moment Codat holds a live secret (no downtime), and a
// second bot rotate ends with one live secret, Codat holding it with the
// app's client id, and the secret file holding Codat's secret; all from the
// replicas' records. Then a rotation with --max-age is a no-op. The kill
// after every step runs in process (flows.TestKillAfterEveryRotationStep);
// this one is a real kill of the binary: no deferred code runs, the lock
// goes with the process, the browser context with its connection.
func TestKillTheRotation(t *testing.T) {
	const step = "codat.save"
	p, cfg, out := setup(t, fakeportal.Options{})
	if b, err := setUpCommand(t, cfg, out).CombinedOutput(); err != nil {
		t.Fatalf("the set-up run failed: %v\n%s", err, b)
	}
	first := rotateCommand(t, cfg, out)
	reached, log := startUntil(t, first, "] "+step+": ")
	if reached {
		_ = first.Process.Kill()
	}
	_ = first.Wait()
	if !reached {
		t.Fatalf("the rotation ended before %s:\n%s", step, log)
	}
	if err := p.Records().Delivered("xero", true); err != nil {
		t.Errorf("killed during %s: %v", step, err)
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
	// The second rotation finished the first one: the older secret is gone.
	if n := len(rec.XeroApps[0].LiveSecrets()); n != 1 {
		t.Errorf("%d live secrets after the second rotation, want 1", n)
	}

	// A third rotation with --max-age right after writes nothing and says
	// so, from the binary (after a clean rotation: flows.TestRotateXero).
	writes := len(rec.Writes)
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
