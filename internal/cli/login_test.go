package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/config"
)

// loginFakes are the stubs of bot login: the display, the visible browser
// and the sign-in a person finishes.
type loginFakes struct {
	display     map[string]string
	started     *config.Browser
	loginPortal string
	loginWait   time.Duration
	loginErr    error
}

func newLoginFactory(t *testing.T) (*Factory, *fakes, *loginFakes) {
	t.Helper()
	f, fk := newTestFactory(t)
	lf := &loginFakes{display: map[string]string{"DISPLAY": ":0"}}
	f.Getenv = func(k string) string { return lf.display[k] }
	f.StartVisibleBrowser = func(ctx context.Context, cfg config.Browser, _ *zap.Logger) (context.Context, func(), error) {
		lf.started = &cfg
		return ctx, func() {}, nil
	}
	f.Login = func(ctx context.Context, env *flows.Env, portal string, wait time.Duration) (string, error) {
		lf.loginPortal, lf.loginWait = portal, wait
		if lf.loginErr != nil {
			return "", lf.loginErr
		}
		return filepath.Join(env.Config.Sessions(), portal+"-me-example.com.json"), nil
	}
	return f, fk, lf
}

func TestLogin(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		display   map[string]string
		wantExit  int
		wantErr   []string // in stderr
		wantStart bool
	}{
		{name: "signed in", args: []string{"login", "xero", "--wait", "2m"}, wantStart: true},
		{name: "codat", args: []string{"login", "codat"}, wantStart: true},
		{name: "wayland display", args: []string{"login", "freeagent"}, display: map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, wantStart: true},
		{name: "no display", args: []string{"login", "xero"}, display: map[string]string{}, wantExit: 2,
			wantErr: []string{"needs a display", "sudo apt-get install chromium", "copy the session file",
				filepath.Join("out", "sessions", "xero-me-example.com.json"), "--remote-debugging-port=9222", "ssh -R 9222:127.0.0.1:9222",
				"BOT_BROWSER_REMOTE_URL=http://127.0.0.1:9222 bot login xero"}},
		{name: "no display, attached to a remote browser", args: []string{"login", "xero"}, display: map[string]string{},
			env: map[string]string{"BOT_BROWSER_REMOTE_URL": "http://127.0.0.1:9222"}, wantStart: true},
		{name: "no email", args: []string{"login", "codat"}, env: map[string]string{"BOT_CODAT_EMAIL": ""}, wantExit: 2,
			wantErr: []string{"codat.email is required: set BOT_CODAT_EMAIL"}},
		{name: "no password is fine: the person types it", args: []string{"login", "freeagent"},
			env: map[string]string{"BOT_FREEAGENT_PASSWORD": ""}, wantStart: true},
		{name: "unknown portal", args: []string{"login", "quickbooks"}, wantExit: 2, wantErr: []string{"needs one portal, xero, freeagent, codat"}},
		{name: "no session makes no sense", args: []string{"login", "xero"}, env: map[string]string{"BOT_BROWSER_NO_SESSION": "true"}, wantExit: 2,
			wantErr: []string{"browser.no_session"}},
		{name: "bad wait", args: []string{"login", "xero", "--wait", "0s"}, wantExit: 2, wantErr: []string{"--wait"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk, lf := newLoginFactory(t)
			validEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			if tt.display != nil {
				lf.display = tt.display
			}
			code := Execute(context.Background(), f, tt.args)
			if code != tt.wantExit {
				t.Fatalf("exit %d, want %d: %s", code, tt.wantExit, fk.errOut)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(fk.errOut.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, fk.errOut)
				}
			}
			if (lf.started != nil) != tt.wantStart {
				t.Fatalf("browser started = %v, want %v", lf.started != nil, tt.wantStart)
			}
			noSecrets(t, fk)
			if !tt.wantStart {
				return
			}
			want := filepath.Join("out", "sessions", tt.args[1]+"-me-example.com.json")
			if strings.TrimSpace(fk.out.String()) != want || lf.loginPortal != tt.args[1] {
				t.Errorf("stdout = %q, login portal %q; want the session path %s", fk.out, lf.loginPortal, want)
			}
			if tt.env["BOT_BROWSER_REMOTE_URL"] != "" && lf.started.RemoteURL != tt.env["BOT_BROWSER_REMOTE_URL"] {
				t.Errorf("remote url = %q", lf.started.RemoteURL)
			}
			if len(tt.args) > 3 && lf.loginWait != 2*time.Minute {
				t.Errorf("wait = %s, want 2m", lf.loginWait)
			}
		})
	}
}

func TestRunNoSessionFlag(t *testing.T) {
	f, fk := newTestFactory(t)
	validEnv(t)
	if code := Execute(context.Background(), f, []string{"run", "xero", "--no-session"}); code != 0 {
		t.Fatalf("exit %d: %s", code, fk.errOut)
	}
	if !fk.env.Config.Browser.NoSession {
		t.Error("--no-session did not reach the flow")
	}
}
