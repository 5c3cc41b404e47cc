package flows_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/secret"
	"portalbot/internal/session"
)

// The configuration's validation, with the rules the registry gives each
// portal (config.Portal): what a run of each provider, and bot check all,
// requires.

const (
	xeroCallback      = "https://xero.codat.io/oauth2/callback"
	freeagentCallback = "https://freeagent.codat.io/oauth/callback"
)

// validate is config.Validate for target, as the CLI calls it.
func validate(c *config.Config, target string) error {
	ps, err := flows.ConfigPortals(target)
	if err != nil {
		return err
	}
	return c.Validate(ps, flows.AllConfigPortals())
}

func wantConfigErr(t *testing.T, err error, contains ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a configuration error, got nil")
	}
	var fe *fail.Error
	if !errors.As(err, &fe) || fe.Kind != fail.Config {
		t.Fatalf("want *fail.Error of kind Config, got %T %v", err, err)
	}
	if fail.ExitCode(err) != 2 {
		t.Errorf("exit code = %d, want 2", fail.ExitCode(err))
	}
	for _, c := range contains {
		if !strings.Contains(err.Error(), c) {
			t.Errorf("error %q does not contain %q", err.Error(), c)
		}
	}
}

// validXero is a configuration Validate accepts for either provider.
func validXero() *config.Config {
	return &config.Config{
		Browser: config.Browser{Timeout: 3 * time.Minute, StepTimeout: 30 * time.Second,
			Viewport: config.Viewport{Width: 1280, Height: 800, Scale: 1}},
		Xero: config.Xero{LoginURL: "https://login.xero.com", DeveloperURL: "https://developer.xero.com",
			Email: "me@example.com", Password: secret.New("xero-pw-SENTINEL"), TOTPSecret: secret.New("TOTP-SENTINEL")},
		FreeAgent: config.FreeAgent{URL: "https://dev.freeagent.com", Email: "me@example.com", Password: secret.New("fa-pw-SENTINEL")},
		Codat: config.Codat{URL: "https://app.codat.io", LoginURL: "https://authentication.codat.io",
			Email: "me@example.com", Password: secret.New("codat-pw-SENTINEL"), Enable: "now"},
		App:    config.App{Name: "Acme Sync", CompanyURL: "https://acme.example", Description: "Sync for Acme"},
		Output: config.Output{Screenshots: "steps"},
		Out:    "out",
		Log:    config.Log{Level: "info", Format: "console"},
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		provider string
		mutate   func(*config.Config)
		want     []string // each must appear; nil: valid
	}{
		{"valid xero", "xero", func(*config.Config) {}, nil},
		{"valid freeagent", "freeagent", func(*config.Config) {}, nil},
		{"unknown provider", "sage", func(*config.Config) {}, []string{`unknown provider "sage"`}},
		{"xero password", "xero", func(c *config.Config) { c.Xero.Password = secret.Secret{} },
			[]string{"xero.password is required: set BOT_XERO_PASSWORD or BOT_XERO_PASSWORD_FILE"}},
		{"xero email", "xero", func(c *config.Config) { c.Xero.Email = "" }, []string{"xero.email is required: set BOT_XERO_EMAIL"}},
		{"xero creds not needed for freeagent", "freeagent", func(c *config.Config) { c.Xero.Password = secret.Secret{}; c.Xero.Email = "" }, nil},
		{"freeagent password", "freeagent", func(c *config.Config) { c.FreeAgent.Password = secret.Secret{} },
			[]string{"freeagent.password is required: set BOT_FREEAGENT_PASSWORD or BOT_FREEAGENT_PASSWORD_FILE"}},
		{"codat password", "xero", func(c *config.Config) { c.Codat.Password = secret.Secret{} },
			[]string{"codat.password is required: set BOT_CODAT_PASSWORD or BOT_CODAT_PASSWORD_FILE"}},
		{"codat email", "freeagent", func(c *config.Config) { c.Codat.Email = " " }, []string{"codat.email is required: set BOT_CODAT_EMAIL"}},
		{"app name", "freeagent", func(c *config.Config) { c.App.Name = "" }, []string{"app.name is required: set BOT_APP_NAME"}},
		{"app name with xero", "xero", func(c *config.Config) { c.App.Name = "My XERO sync" }, []string{`must not contain "Xero"`, "BOT_APP_NAME"}},
		{"app name with xero ok for freeagent", "freeagent", func(c *config.Config) { c.App.Name = "Xero bridge" }, nil},
		{"company url for xero", "xero", func(c *config.Config) { c.App.CompanyURL = "" }, []string{"app.company_url is required: set BOT_APP_COMPANY_URL"}},
		{"company url optional for freeagent", "freeagent", func(c *config.Config) { c.App.CompanyURL = "" }, nil},
		{"company url http", "xero", func(c *config.Config) { c.App.CompanyURL = "http://acme.example" }, []string{"app.company_url must start with https://", "BOT_APP_COMPANY_URL"}},
		{"privacy url http", "xero", func(c *config.Config) { c.App.PrivacyURL = "http://acme.example/p" }, []string{"app.privacy_url must start with https://", "BOT_APP_PRIVACY_URL"}},
		{"terms url http", "freeagent", func(c *config.Config) { c.App.TermsURL = "acme.example/t" }, []string{"app.terms_url must start with https://", "BOT_APP_TERMS_URL"}},
		{"redirect uri http", "xero", func(c *config.Config) { c.App.RedirectURI = "http://localhost/cb" }, []string{"app.redirect_uri must start with https://", "BOT_APP_REDIRECT_URI"}},
		{"redirect uri https", "xero", func(c *config.Config) { c.App.RedirectURI = "https://acme.example/cb" }, nil},
		{"redirect uri with a space", "xero", func(c *config.Config) { c.App.RedirectURI = "https://acme.example/cb?a=1 2" }, []string{"app.redirect_uri must not contain spaces"}},
		{"company url with a space", "xero", func(c *config.Config) { c.App.CompanyURL = "https://acme.example/a b" }, []string{"app.company_url must not contain spaces"}},
		{"xero's redirect uri for freeagent", "freeagent", func(c *config.Config) { c.App.RedirectURI = xeroCallback },
			[]string{"app.redirect_uri is Codat's callback for xero, not for freeagent", freeagentCallback}},
		{"freeagent's redirect uri for xero", "xero", func(c *config.Config) { c.App.RedirectURI = freeagentCallback }, []string{"not for xero", xeroCallback}},
		{"codat's own redirect uri", "xero", func(c *config.Config) { c.App.RedirectURI = xeroCallback }, nil},
		{"enable", "xero", func(c *config.Config) { c.Codat.Enable = "soon" }, []string{`codat.enable must be now or later (got "soon"): set BOT_CODAT_ENABLE`}},
		{"enable later", "xero", func(c *config.Config) { c.Codat.Enable = "later" }, nil},
		{"screenshots", "xero", func(c *config.Config) { c.Output.Screenshots = "all" }, []string{"output.screenshots must be steps, failure or off", "BOT_OUTPUT_SCREENSHOTS"}},
		{"log format", "xero", func(c *config.Config) { c.Log.Format = "text" }, []string{"log.format must be console or json", "BOT_LOG_FORMAT"}},
		{"log level", "xero", func(c *config.Config) { c.Log.Level = "loud" }, []string{"log.level must be", "BOT_LOG_LEVEL"}},
		{"description for freeagent", "freeagent", func(c *config.Config) { c.App.Description = "" }, []string{"app.description is required: set BOT_APP_DESCRIPTION"}},
		{"description optional for xero", "xero", func(c *config.Config) { c.App.Description = "" }, nil},
		{"freeagent sandbox", "freeagent", func(c *config.Config) { c.FreeAgent.URL = "https://api.sandbox.freeagent.com" },
			[]string{"Codat does not support", "sandbox", "BOT_FREEAGENT_URL"}},
		{"freeagent sandbox apex", "freeagent", func(c *config.Config) { c.FreeAgent.URL = "https://sandbox.freeagent.com/" }, []string{"Codat does not support"}},
		{"freeagent sandbox sub", "freeagent", func(c *config.Config) { c.FreeAgent.URL = "https://dev.sandbox.freeagent.com" }, []string{"Codat does not support"}},
		{"freeagent not sandbox", "freeagent", func(c *config.Config) { c.FreeAgent.URL = "https://notsandbox.freeagent.com" }, nil},
		{"portal http refused", "xero", func(c *config.Config) { c.Xero.LoginURL = "http://login.xero.com" }, []string{"xero.login_url must be an https:// URL", "BOT_XERO_LOGIN_URL"}},
		{"portal http loopback v4", "xero", func(c *config.Config) { c.Xero.DeveloperURL = "http://127.0.0.2:8081" }, nil},
		{"portal http loopback v6", "xero", func(c *config.Config) { c.Codat.URL = "http://[::1]:8083" }, nil},
		{"portal http localhost", "freeagent", func(c *config.Config) { c.FreeAgent.URL = "http://localhost:8082" }, nil},
		{"portal http private", "xero", func(c *config.Config) { c.Codat.LoginURL = "http://10.0.0.1" }, []string{"codat.login_url must be an https:// URL", "BOT_CODAT_LOGIN_URL"}},
		{"portal empty", "freeagent", func(c *config.Config) { c.Codat.URL = "" }, []string{"codat.url is required: set BOT_CODAT_URL"}},
		{"portal no host", "xero", func(c *config.Config) { c.Xero.DeveloperURL = "https://" }, []string{"xero.developer_url must be an https:// URL"}},
		{"portal userinfo redacted", "xero", func(c *config.Config) { c.Xero.LoginURL = "ftp://me:hunter2@login.xero.com" }, []string{"xero.login_url", "xxxxx"}},
		{"step timeout zero", "xero", func(c *config.Config) { c.Browser.StepTimeout = 0 }, []string{"browser.step_timeout must be greater than 0", "BOT_BROWSER_STEP_TIMEOUT"}},
		{"a browser arg that is not a flag", "xero", func(c *config.Config) { c.Browser.Args = []string{"--lang=fr", "B"} }, []string{`browser.args: "B" is not a browser flag`, "YAML list"}},
		{"a browser arg the bot sets itself", "xero", func(c *config.Config) { c.Browser.Args = []string{"--user-data-dir=/home/me/chrome"} },
			[]string{"the bot sets --user-data-dir itself", "browser.session_dir"}},
		{"timeout below step", "xero", func(c *config.Config) { c.Browser.Timeout = time.Second }, []string{"browser.timeout (1s) must be at least browser.step_timeout (30s)", "BOT_BROWSER_TIMEOUT"}},
		{"viewport", "xero", func(c *config.Config) { c.Browser.Viewport = config.Viewport{} },
			[]string{"browser.viewport.width", "browser.viewport.height", "browser.viewport.scale"}},
		{"out", "xero", func(c *config.Config) { c.Out = "" }, []string{"out is required: set BOT_OUT"}},
		{"pixel threshold above 1", "all", func(c *config.Config) { c.Check.PixelThreshold = 1.5 }, []string{"check.pixel_threshold must be from 0 to 1 (got 1.5)", "BOT_CHECK_PIXEL_THRESHOLD"}},
		{"diff ratio below 0", "xero", func(c *config.Config) { c.Check.MaxDiffRatio = -0.1 }, []string{"check.max_diff_ratio must be from 0 to 1", "BOT_CHECK_MAX_DIFF_RATIO"}},
		{"update baselines without a directory", "all", func(c *config.Config) { c.Check.UpdateBaselines = true }, []string{"check.update_baselines needs check.baselines_dir", "BOT_CHECK_BASELINES_DIR"}},
		{"update baselines", "all", func(c *config.Config) { c.Check.UpdateBaselines, c.Check.BaselinesDir = true, "baselines" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validXero()
			tt.mutate(c)
			err := validate(c, tt.provider)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			wantConfigErr(t, err, tt.want...)
			for _, s := range []string{"SENTINEL", "hunter2"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error reveals a secret: %q", err.Error())
				}
			}
		})
	}
}

// TestValidateListsEveryProblem checks one error holds every problem, one
// per line, and no secret.
func TestValidateListsEveryProblem(t *testing.T) {
	t.Parallel()
	c := validXero()
	c.Xero.Password = secret.Secret{}
	c.Codat.Email = ""
	c.App.Name = "Xero thing"
	c.Codat.Enable = "maybe"
	c.Browser.StepTimeout = 0
	err := validate(c, "xero")
	wantConfigErr(t, err)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 6 { // header + 5 problems
		t.Fatalf("want a header and 5 problem lines, got %d:\n%s", len(lines), err)
	}
	if !strings.Contains(lines[0], "5 problems") {
		t.Errorf("header %q does not count the problems", lines[0])
	}
	if strings.Contains(err.Error(), "SENTINEL") {
		t.Errorf("error reveals a secret: %q", err)
	}
}

// FirstPage: the page a launched browser opens as it starts is the home page
// of the portal whose sign-in begins the first tab (Codat's for FreeAgent,
// whose first tab is Codat's), and none when a saved session must be loaded
// into the browser first.
func TestFirstPage(t *testing.T) {
	cases := []struct {
		name, provider string
		mode           flows.Mode
		session        string // a session file of this portal exists
		noSession      bool   // browser.no_session
		want           string
	}{
		{name: "xero", provider: "xero", want: "https://developer.xero.com/app/manage"},
		{name: "freeagent: Codat's tab first", provider: "freeagent", want: "https://app.codat.io/settings/integrations/accounting"},
		{name: "check", provider: "xero", mode: flows.ModeCheck, want: "https://developer.xero.com/app/manage"},
		{name: "rotate", provider: "xero", mode: flows.ModeRotate, want: "https://developer.xero.com/app/manage"},
		{name: "a saved Xero session", provider: "xero", session: "xero"},
		{name: "a saved Codat session", provider: "xero", session: "codat"},
		{name: "sessions off: a file there is not read", provider: "xero", session: "xero", noSession: true, want: "https://developer.xero.com/app/manage"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validXero()
			cfg.Out = t.TempDir()
			cfg.Browser.NoSession = c.noSession
			if c.session != "" {
				dir := filepath.Join(cfg.Out, "sessions")
				if err := os.MkdirAll(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(session.Path(dir, c.session, "me@example.com"), []byte("{}"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := flows.FirstPage(&flows.Env{Config: cfg, Mode: c.mode}, c.provider); got != c.want {
				t.Errorf("FirstPage = %q, want %q", got, c.want)
			}
		})
	}
}
