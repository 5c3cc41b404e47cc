package flows_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fakeportal"
	"portalbot/internal/report"
	"portalbot/internal/secret"
	"portalbot/selectors"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// runSlots bounds how many runs the package's tests drive at once: one more
// than the cores (BOT_TEST_RUNS overrides it). The tests run side by side,
// and beyond that a run's steps starve: with seven runs at once on two
// cores, sign-ins took 8 s and failed their steps' 8 s timeout. A run waits
// for a slot before it starts, so the clock of its steps starts with it.
var runSlots = make(chan struct{}, func() int {
	if n, err := strconv.Atoi(os.Getenv("BOT_TEST_RUNS")); err == nil && n > 0 {
		return n
	}
	return runtime.NumCPU() + 1
}())

// runSlot waits for a slot for one run; release gives it back.
func runSlot() (release func()) {
	runSlots <- struct{}{}
	return func() { <-runSlots }
}

// testConfig points the bot at the replicas, with their demo accounts.
func testConfig(t *testing.T, p *fakeportal.Portals) *config.Config {
	t.Helper()
	c := p.Creds
	return &config.Config{
		// Generous: tests run side by side on a busy machine; a test that
		// expects a missing element waits less (expectMissing).
		Browser: config.Browser{Timeout: 3 * time.Minute, StepTimeout: 20 * time.Second, Viewport: browsertest.Viewport},
		Xero: config.Xero{LoginURL: p.XeroLoginURL, DeveloperURL: p.XeroDeveloperURL, Email: c.XeroEmail,
			Password: secret.New(c.XeroPassword), TOTPSecret: secret.New(c.XeroTOTPSecret)},
		FreeAgent: config.FreeAgent{URL: p.FreeAgentURL, Email: c.FreeAgentEmail, Password: secret.New(c.FreeAgentPassword)},
		Codat: config.Codat{URL: p.CodatURL, LoginURL: p.CodatLoginURL, Email: c.CodatEmail,
			Password: secret.New(c.CodatPassword), TOTPSecret: secret.New(c.CodatTOTPSecret), Enable: "now"},
		App: config.App{Name: "Acme Books", CompanyURL: "https://acme.example", PrivacyURL: "https://acme.example/privacy",
			TermsURL: "https://acme.example/terms", Description: "Acme's books, shared with Codat"},
		// No pictures: the tests that look at them ask for them.
		Output: config.Output{Screenshots: "failure"},
		Out:    t.TempDir(),
		Log:    config.Log{Level: "debug", Format: "console"},
	}
}

// result is one run: its summary and error, and everything it printed.
type result struct {
	sum     *report.Summary
	err     error
	printed string
}

// run runs provider against the replicas in a fresh tab of the shared browser.
func run(t *testing.T, cfg *config.Config, provider string) result {
	t.Helper()
	return runWith(t, cfg, provider, nil)
}

// expectMissing is the Env of a run that is expected to fail because an
// element of step is missing: the step waits two seconds for it, not the
// whole step timeout.
func expectMissing(steps ...string) func(*flows.Env) {
	return func(env *flows.Env) {
		env.StepTimeouts = map[string]time.Duration{}
		for _, s := range steps {
			env.StepTimeouts[s] = 2 * time.Second
		}
	}
}

// runWith runs provider with the Env that with changes (nil: none), in a
// tab of a browser context no other run holds meanwhile, which it empties
// when the run returns (browsertest.Recycled: every tab closed, every
// cookie, the replicas' storage and the HTTP cache cleared): the next run
// starts with no page and no cookie, like a new process.
func runWith(t *testing.T, cfg *config.Config, provider string, with func(*flows.Env)) result {
	t.Helper()
	if err := flows.ValidateConfig(cfg, provider); err != nil {
		t.Fatalf("test config is invalid: %v", err)
	}
	sel, err := selectors.Load(cfg.SelectorsDir)
	if err != nil {
		t.Fatal(err)
	}
	obs, logs := observer.New(zap.DebugLevel)
	log := zap.New(zapcore.NewTee(zaptest.NewLogger(t).Core(), obs))
	var progress bytes.Buffer
	env := &flows.Env{Config: cfg, Log: log, Progress: &progress, Now: time.Now, Selectors: sel, Mode: flows.ModeRun}
	if with != nil {
		with(env)
	}
	release := runSlot()
	tab, drop := browsertest.Recycled(t, origins(cfg)...)
	sum, err := flows.RunProvider(tab, env, provider)
	drop()
	release()
	t.Logf("progress:\n%s", progress.String())
	var b strings.Builder
	b.WriteString(progress.String())
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

// origins are the origins of the portals cfg names: every origin a run of
// the replicas visits.
func origins(cfg *config.Config) []string {
	var out []string
	for _, u := range []string{cfg.Xero.LoginURL, cfg.Xero.DeveloperURL, cfg.FreeAgent.URL, cfg.Codat.URL, cfg.Codat.LoginURL} {
		if o := browsertest.Origin(u); o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// noLeak fails when a secret value is in what the run printed or in any
// file it wrote, but for the one file meant to hold the client secret.
func noLeak(t *testing.T, cfg *config.Config, r result, secretFile string, values ...string) {
	t.Helper()
	for _, v := range values {
		if v == "" {
			continue
		}
		if strings.Contains(r.printed, v) {
			t.Errorf("a secret value was printed")
		}
		_ = filepath.WalkDir(cfg.Out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || p == secretFile {
				return err
			}
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("a secret value is in %s", p)
			}
			return nil
		})
	}
	noCookieLeak(t, cfg, r.printed)
}

func TestXeroToCodat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		enable     string
		opts       fakeportal.Options
		wantSwitch bool
		shots      bool // a docs run: a screenshot per step, secrets covered
	}{
		{"enable now", "now", fakeportal.Options{}, true, true},
		{"enable later", "later", fakeportal.Options{}, false, false},
		{"two-step code and a 5-connection limit", "now", fakeportal.Options{XeroTwoStep: true, XeroConnectionLimit: 5}, true, false},
	}
	for _, tt := range tests {
		for _, variant := range variants {
			t.Run(tt.name+"/"+variant, func(t *testing.T) {
				t.Parallel()
				opts := tt.opts
				opts.Variant = variant
				testXeroToCodat(t, opts, tt.enable, tt.wantSwitch, tt.shots && variant == fakeportal.VariantClassic)
			})
		}
	}
}

// variants are the replicas' renderings: the classic pages, and the same
// contract drawn as a single-page app with a DOM of its own.
var variants = []string{fakeportal.VariantClassic, fakeportal.VariantSPA}

// testXeroToCodat runs the Xero job against fresh replicas and checks the
// end state from their records.
func testXeroToCodat(t *testing.T, opts fakeportal.Options, enable string, wantSwitch, shots bool) {
	p := fakeportal.StartT(t, opts)
	cfg := testConfig(t, p)
	cfg.Codat.Enable = enable
	if shots {
		cfg.Output.Screenshots = "steps"
	}
	r := run(t, cfg, "xero")
	if r.err != nil {
		t.Fatalf("run: %v", r.err)
	}
	rec := p.Records()
	if len(rec.XeroApps) != 1 {
		t.Fatalf("Xero has %d apps, want 1", len(rec.XeroApps))
	}
	app := rec.XeroApps[0]
	if app.Name != cfg.App.Name || app.CompanyURL != cfg.App.CompanyURL || app.PrivacyURL != cfg.App.PrivacyURL || app.TermsURL != cfg.App.TermsURL {
		t.Errorf("app = %+v, want the configured name and URLs", app)
	}
	if len(app.RedirectURIs) != 1 || app.RedirectURIs[0] != xeroCallback {
		t.Errorf("redirect URIs = %v, want [%s]", app.RedirectURIs, xeroCallback)
	}
	if app.IntegrationType != "Web app" && app.IntegrationType != "web" {
		t.Errorf("integration type = %q, want Web app", app.IntegrationType)
	}
	live := app.LiveSecrets()
	if len(live) != 1 {
		t.Fatalf("app has %d live secrets, want 1", len(live))
	}
	codat := rec.Codat["gbol"]
	if codat.ClientID != app.ClientID || codat.ClientSecret != live[0] {
		t.Errorf("Codat holds other keys than the ones Xero issued")
	}
	if codat.Enabled != wantSwitch || r.sum.Codat.Enabled != wantSwitch || !r.sum.Codat.Saved {
		t.Errorf("switch = %v (summary %+v), want %v", codat.Enabled, r.sum.Codat, wantSwitch)
	}
	if r.sum.ClientID != app.ClientID || r.sum.App.ID != app.ID {
		t.Errorf("summary = %+v, want client id and app id of %+v", r.sum, app)
	}
	wantLimit := opts.XeroConnectionLimit
	if wantLimit == 0 {
		wantLimit = 25
	}
	if want := fmt.Sprintf("%d max connections", wantLimit); r.sum.Limits.Connections != want {
		t.Errorf("limit = %q, want %q", r.sum.Limits.Connections, want)
	}
	st, err := os.Stat(r.sum.Secret.File)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file %s: %v, mode %v; want 0600", r.sum.Secret.File, err, st.Mode())
	}
	if b, _ := os.ReadFile(r.sum.Secret.File); strings.TrimSpace(string(b)) != live[0] {
		t.Errorf("the stored secret is not the one Xero issued")
	}
	for _, s := range r.sum.Steps {
		if s.Status != "ok" || (s.Screenshot != "") != shots {
			t.Errorf("step %+v: want ok, with a screenshot: %v", s, shots)
		}
	}
	noLeak(t, cfg, r, r.sum.Secret.File, live[0], p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.XeroTOTPSecret)
	codatOverlapsProvider(t, r.sum, "xero")
}

// codatOverlapsProvider checks from the summary's step times that Codat's
// sign-in ran while the provider's steps did (its own tab, side by side).
func codatOverlapsProvider(t *testing.T, sum *report.Summary, provider string) {
	t.Helper()
	var codat *report.Step
	for i, s := range sum.Steps {
		if s.Name == "codat.sign_in" {
			codat = &sum.Steps[i]
		}
	}
	if codat == nil {
		t.Fatalf("no codat.sign_in in %+v", sum.Steps)
	}
	for _, s := range sum.Steps {
		if strings.HasPrefix(s.Name, provider+".") && s.StartedMS < codat.EndedMS && codat.StartedMS < s.EndedMS {
			return
		}
	}
	t.Errorf("codat.sign_in (%d–%d ms) overlaps no %s step: %+v", codat.StartedMS, codat.EndedMS, provider, sum.Steps)
}
