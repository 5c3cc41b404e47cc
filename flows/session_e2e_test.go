package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/internal/report"
	"portalbot/internal/session"
	"portalbot/selectors"
)

// runFresh runs provider in a browser context emptied of what earlier runs
// left (browsertest.Recycled), as a new bot process with a fresh profile
// would: only the session files carry a sign-in from one run to the next.
func runFresh(t *testing.T, cfg *config.Config, provider string) result {
	t.Helper()
	sel, err := selectors.Load(cfg.SelectorsDir)
	if err != nil {
		t.Fatal(err)
	}
	obs, logs := observer.New(zap.DebugLevel)
	log := zap.New(zapcore.NewTee(zaptest.NewLogger(t).Core(), obs))
	var progress bytes.Buffer
	env := &flows.Env{Config: cfg, Log: log, Progress: &progress, Now: time.Now, Selectors: sel, Mode: flows.ModeRun}
	release := runSlot()
	tab, drop := browsertest.Recycled(t, origins(cfg)...)
	sum, err := flows.RunProvider(tab, env, provider)
	drop()
	release()
	return printed(t, progress.String(), logs, sum, err)
}

// printed gathers everything a run printed, as runMode does.
func printed(t *testing.T, progress string, logs *observer.ObservedLogs, sum *report.Summary, err error) result {
	t.Helper()
	t.Logf("progress:\n%s", progress)
	var b strings.Builder
	b.WriteString(progress)
	for _, e := range logs.All() {
		fmt.Fprintf(&b, "%s %v\n", e.Message, e.ContextMap())
	}
	if err != nil {
		fmt.Fprintf(&b, "%v\n%+v\n", err, err)
	}
	if sum != nil {
		js, _ := json.Marshal(sum)
		b.Write(js)
	}
	return result{sum: sum, err: err, printed: b.String()}
}

// sessionFile reads a session file, checking it is private.
func sessionFile(t *testing.T, path string) *session.State {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("session file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	st, err := session.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// noCookieLeak fails when a value of a session file (a cookie, a local
// storage entry) is in what the run printed or in any file it wrote but the
// session files themselves: summaries, state, failure HTML and text,
// screenshots.
func noCookieLeak(t *testing.T, cfg *config.Config, printed string) {
	t.Helper()
	dir := cfg.Sessions()
	var values []string
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range files {
		st, err := session.Read(f)
		if err != nil {
			t.Errorf("session file %s: %v", f, err)
			continue
		}
		for _, v := range st.Values() {
			if len(v) >= 12 {
				values = append(values, v)
			}
		}
	}
	for _, v := range values {
		if strings.Contains(printed, v) {
			t.Errorf("a cookie value was printed")
		}
	}
	_ = filepath.WalkDir(cfg.Out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Dir(p) == filepath.Clean(dir) {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, v := range values {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("a cookie value is in %s", p)
			}
		}
		return nil
	})
}

// A second run reuses the session a first run saved (no password, no code
// posted), and a run that finds it expired signs in again and refreshes
// the file; the trusted device it kept spares it the code.
func TestSessionReuseAndRefresh(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{XeroTwoStep: true, CodatTwoStep: true})
	cfg := testConfig(t, p)
	cfg.Output.Screenshots = "off"

	r := runFresh(t, cfg, "xero")
	if r.err != nil {
		t.Fatalf("first run: %v", r.err)
	}
	rec := p.Records()
	if rec.PasswordPosts["xero"] != 1 || rec.CodePosts["xero"] != 1 || rec.PasswordPosts["codat"] != 1 || rec.CodePosts["codat"] != 1 {
		t.Fatalf("first run: password posts %v, code posts %v; want one of each per portal", rec.PasswordPosts, rec.CodePosts)
	}
	xeroFile := filepath.Join(cfg.Out, "sessions", "xero-demo-acme-books.example.json")
	codatFile := filepath.Join(cfg.Out, "sessions", "codat-demo-acme-books.example.json")
	xs := sessionFile(t, xeroFile)
	sessionFile(t, codatFile)
	names := map[string]bool{}
	for _, c := range xs.Cookies {
		names[c.Name] = true
	}
	if !names["xid_trusted"] || !names["xdev_session"] || names["codat_session"] {
		t.Errorf("xero session cookies = %v, want the developer session and the trusted device, and no Codat cookie", names)
	}
	for _, f := range []string{xeroFile, codatFile} {
		b, _ := os.ReadFile(f)
		for _, v := range []string{p.Creds.XeroPassword, p.Creds.XeroTOTPSecret, p.Creds.CodatPassword, p.Creds.CodatTOTPSecret} {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds a password or TOTP seed", f)
			}
		}
	}
	noLeak(t, cfg, r, r.sum.Secret.File, p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.XeroTOTPSecret)
	noCookieLeak(t, cfg, r.printed)

	r = runFresh(t, cfg, "xero")
	if r.err != nil {
		t.Fatalf("second run: %v", r.err)
	}
	if got := p.Records(); got.PasswordPosts["xero"] != 1 || got.CodePosts["xero"] != 1 || got.PasswordPosts["codat"] != 1 ||
		got.CodePosts["codat"] != 1 || got.SignIns["xero"] != 1 || got.SignIns["codat"] != 1 {
		t.Errorf("second run posted a sign-in form: password posts %v, code posts %v, sign-ins %v", got.PasswordPosts, got.CodePosts, got.SignIns)
	}
	if !strings.Contains(r.printed, "using the saved xero session") {
		t.Errorf("the run did not say it used the saved session")
	}
	noCookieLeak(t, cfg, r.printed)

	before, _ := os.ReadFile(xeroFile)
	p.ExpireSessions()
	r = runFresh(t, cfg, "xero")
	if r.err != nil {
		t.Fatalf("run after the sessions expired: %v", r.err)
	}
	got := p.Records()
	if got.PasswordPosts["xero"] != 2 || got.CodePosts["xero"] != 1 {
		t.Errorf("after expiry: xero password posts %d, code posts %d; want 2 and 1 (signed in again, the trusted device spared the code)",
			got.PasswordPosts["xero"], got.CodePosts["xero"])
	}
	after, _ := os.ReadFile(xeroFile)
	if bytes.Equal(before, after) {
		t.Errorf("the xero session file was not refreshed after signing in again")
	}
	sessionFile(t, xeroFile)
	noCookieLeak(t, cfg, r.printed)
	if err := got.Delivered("xero", true); err != nil {
		t.Error(err)
	}
}

// --no-session: nothing read, nothing written.
func TestNoSession(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := testConfig(t, p)
	cfg.Output.Screenshots = "off"
	cfg.Browser.NoSession = true
	if r := runFresh(t, cfg, "freeagent"); r.err != nil {
		t.Fatal(r.err)
	}
	if _, err := os.Stat(cfg.Sessions()); !os.IsNotExist(err) {
		t.Errorf("session directory: %v; want none with no_session", err)
	}
}

// With the captcha fault a run stops (exit 3) naming `bot login` and the
// file it writes; bot login, with a test standing in for the person who
// solves the captcha, saves the session; the next run succeeds without
// meeting the captcha again.
func TestCaptchaThenLogin(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{Faults: fakeportal.Faults{CaptchaOn: "xero"}, XeroTwoStep: true})
	cfg := testConfig(t, p)
	cfg.Output.Screenshots = "off"
	cfg.Browser.StepTimeout = 5 * time.Second
	xeroFile := filepath.Join(cfg.Out, "sessions", "xero-demo-acme-books.example.json")

	r := runFresh(t, cfg, "xero")
	t.Logf("run: %v", r.err)
	if fail.ExitCode(r.err) != 3 || !strings.Contains(r.err.Error(), "bot login xero") || !strings.Contains(r.err.Error(), xeroFile) {
		t.Fatalf("run = %v (exit %d), want exit 3 naming `bot login xero` and %s", r.err, fail.ExitCode(r.err), xeroFile)
	}

	sel, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	progress := &watch{want: "solve the check in the browser window", seen: make(chan struct{})}
	obs, logs := observer.New(zap.DebugLevel)
	env := &flows.Env{Config: cfg, Log: zap.New(zapcore.NewTee(zaptest.NewLogger(t).Core(), obs)), Progress: progress, Now: time.Now, Selectors: sel}
	tab := browsertest.Tab(t)
	solved := make(chan error, 1)
	go func() {
		select { // the person acts once the bot asked for help
		case <-progress.seen:
			solved <- solveCaptcha(tab)
		case <-time.After(30 * time.Second):
			solved <- errors.New("the bot never asked the person to solve the captcha")
		}
	}()
	path, err := flows.Login(tab, env, "xero", time.Minute)
	lr := printed(t, progress.String(), logs, nil, err)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := <-solved; err != nil {
		t.Fatalf("the person could not solve the captcha: %v", err)
	}
	if path != xeroFile {
		t.Errorf("login saved %s, want %s", path, xeroFile)
	}
	sessionFile(t, xeroFile)
	if rec := p.Records(); rec.SignIns["xero"] != 1 || rec.CodePosts["xero"] != 1 {
		t.Errorf("login: sign-ins %v, code posts %v; want the bot to sign in once with the TOTP code", rec.SignIns, rec.CodePosts)
	}

	r = runFresh(t, cfg, "xero")
	if r.err != nil {
		t.Fatalf("run after bot login: %v", r.err)
	}
	if rec := p.Records(); rec.PasswordPosts["xero"] != 1 {
		t.Errorf("xero password posts = %d, want 1 (the run reused the login's session)", rec.PasswordPosts["xero"])
	}
	noCookieLeak(t, cfg, r.printed+lr.printed)
	noLeak(t, cfg, result{printed: r.printed + lr.printed}, r.sum.Secret.File, p.Creds.XeroPassword, p.Creds.XeroTOTPSecret, p.Creds.CodatPassword)
}

// solveCaptcha is the person at the visible browser: it waits for the
// captcha in the login's tab, ticks "I'm not a robot" and presses Verify,
// through a DevTools session of its own on the same page.
func solveCaptcha(tab context.Context) error {
	id := chromedp.FromContext(tab).Target.TargetID
	person, cancel := chromedp.NewContext(tab, chromedp.WithTargetID(id), chromedp.WithDetachOnCancel())
	defer cancel()
	ctx, stop := context.WithTimeout(person, 30*time.Second)
	defer stop()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!document.querySelector('input[name="robot"]')`)); err != nil {
		return err
	}
	return chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](
		`document.querySelector('input[name="robot"]').checked = true; document.querySelector('input[name="robot"]').form.requestSubmit()`))
}

// watch is a progress stream that closes seen when a line holds want.
type watch struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	seen chan struct{}
	once sync.Once
}

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *watch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
