package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/internal/browser"
	"portalbot/internal/fakeportal"
)

// Each bot process has a fresh browser profile: only the session file
// carries a sign-in from one to the next. With two-step on, `bot login`
// (under Xvfb, when it and a Chromium that can show a window are
// installed) or a first run signs in to Xero once; the next run posts no
// password and no code.
func TestSessionAcrossProcesses(t *testing.T) {
	p, cfg, out := setup(t, fakeportal.Options{XeroTwoStep: true, CodatTwoStep: true})
	xvfb, xerr := exec.LookPath("xvfb-run")
	_, verr := browser.FindVisible("")
	if xerr == nil && verr == nil {
		login := exec.Command(xvfb, "-a", bot, "--config", cfg, "--out", out, "login", "xero", "--wait", "1m")
		login.Env = launching(cfg, out, "xero").Env // its own, visible browser
		login.Dir = filepath.Dir(cfg)
		var stdout, stderr strings.Builder
		login.Stdout, login.Stderr = &stdout, &stderr
		if err := login.Run(); err != nil {
			t.Fatalf("bot login under Xvfb: %v\n%s", err, stderr.String())
		}
		want := filepath.Join(out, "sessions", "xero-demo-acme-books.example.json")
		if strings.TrimSpace(stdout.String()) != want {
			t.Errorf("bot login printed %q, want the session file %s", stdout.String(), want)
		}
		if fi, err := os.Stat(want); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("session file: %v, %v; want mode 0600", err, fi)
		}
	} else {
		t.Logf("bot login not run: no Xvfb or no Chromium that can show a window (%v, %v)", xerr, verr)
		if b, err := run(t, cfg, out).CombinedOutput(); err != nil {
			t.Fatalf("first run: %v\n%s", err, b)
		}
	}
	if b, err := run(t, cfg, out).CombinedOutput(); err != nil {
		t.Fatalf("run: %v\n%s", err, b)
	}
	rec := p.Records()
	if rec.PasswordPosts["xero"] != 1 || rec.CodePosts["xero"] != 1 {
		t.Errorf("xero password posts %d, code posts %d; want one sign-in in all", rec.PasswordPosts["xero"], rec.CodePosts["xero"])
	}
	if err := rec.Delivered("xero", true); err != nil {
		t.Error(err)
	}
}

// run is `bot run xero` without screenshots.
func run(t testing.TB, cfg, out string) *exec.Cmd {
	cmd := command(t, cfg, out, "xero")
	cmd.Args = append(cmd.Args, "--screenshots", "off")
	return cmd
}
