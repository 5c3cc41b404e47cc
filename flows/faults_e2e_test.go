package flows_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/internal/secret"
	"portalbot/internal/state"
)

// Each fault the replicas can inject, and what the bot does about it.
func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     fakeportal.Options
		provider string
		config   func(*config.Config)
		wantExit int
		wantMsg  string // in the error message
		missing  string // the step that fails for a missing element: it waits 2s for it
		check    func(t *testing.T, rec fakeportal.Records, r result)
	}{
		{name: "slow pages", provider: "xero", opts: fakeportal.Options{Faults: fakeportal.Faults{Delay: 80 * time.Millisecond}}},
		{name: "layout shift", provider: "freeagent", opts: fakeportal.Options{Faults: fakeportal.Faults{LayoutShift: true}}},
		{name: "Codat asks for a two-step code", provider: "freeagent", opts: fakeportal.Options{CodatTwoStep: true}},
		{name: "Codat two-step without a TOTP secret", provider: "freeagent", wantExit: 3, wantMsg: "BOT_CODAT_TOTP_SECRET",
			opts:   fakeportal.Options{CodatTwoStep: true},
			config: func(c *config.Config) { c.Codat.TOTPSecret = secret.Secret{} }},
		{name: "slow single-page rendering", provider: "xero",
			opts: fakeportal.Options{Variant: fakeportal.VariantSPA, Faults: fakeportal.Faults{Delay: 60 * time.Millisecond, LayoutShift: true}}},
		{name: "HTTP 500 once on My Apps", provider: "xero",
			opts: fakeportal.Options{Faults: fakeportal.Faults{Fail500Once: []string{"/app/manage"}}}},
		{name: "session expires mid-flow", provider: "xero",
			opts: fakeportal.Options{Faults: fakeportal.Faults{ExpireSessionOn: []string{"/settings/integrations/accounting/manage/gbol"}}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if rec.SignIns["codat"] != 2 {
					t.Errorf("Codat sign-ins = %d, want 2 (signed in again after the expiry)", rec.SignIns["codat"])
				}
			}},
		{name: "session expires on the create-app post", provider: "xero",
			opts: fakeportal.Options{Faults: fakeportal.Faults{ExpireSessionOn: []string{"/app/manage/app"}}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if err := rec.Delivered("xero", true); err != nil {
					t.Error(err)
				}
			}},
		{name: "session expires on Codat's save", provider: "freeagent",
			opts: fakeportal.Options{Faults: fakeportal.Faults{ExpireSessionOn: []string{"/api/integrations/fbrh/settings"}}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if err := rec.Delivered("freeagent", true); err != nil {
					t.Error(err)
				}
			}},
		{name: "wrong password", provider: "xero", wantExit: 3, wantMsg: "xero refused the sign-in",
			config: func(c *config.Config) { c.Xero.Password = secret.New("not-the-password") },
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if rec.FailedSignIns["xero"] != 1 {
					t.Errorf("refused sign-ins = %d, want exactly 1: the bot must never retry", rec.FailedSignIns["xero"])
				}
			}},
		{name: "a refused password is not tried again by the next run", provider: "xero", wantExit: 3, wantMsg: "not trying them again",
			config: func(c *config.Config) {
				c.Xero.Password = secret.New("not-the-password")
				if err := state.RecordRefused(c.Out, "xero", c.Xero.Email, "not-the-password", time.Now()); err != nil {
					panic(err)
				}
			},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if rec.FailedSignIns["xero"] != 0 {
					t.Errorf("the portal saw %d refused sign-ins, want 0", rec.FailedSignIns["xero"])
				}
			}},
		{name: "wrong Codat password", provider: "freeagent", wantExit: 3, wantMsg: "codat refused the sign-in",
			config: func(c *config.Config) { c.Codat.Password = secret.New("not-the-password") }},
		{name: "two-step without a TOTP secret", provider: "xero", wantExit: 3, wantMsg: "BOT_XERO_TOTP_SECRET",
			opts:   fakeportal.Options{XeroTwoStep: true},
			config: func(c *config.Config) { c.Xero.TOTPSecret = secret.Secret{} }},
		{name: "captcha", provider: "xero", wantExit: 3, wantMsg: "captcha",
			opts: fakeportal.Options{Faults: fakeportal.Faults{CaptchaOn: "xero"}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if len(r.sum.Error.Files) == 0 {
					t.Errorf("no screenshot saved for the captcha")
				}
			}},
		{name: "sign-in redirected to a foreign host", provider: "xero", wantExit: 6, wantMsg: "typed nothing",
			opts: fakeportal.Options{Faults: fakeportal.Faults{ForeignRedirectOn: "xero"}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				if n := rec.ForeignSubmissions["xero"]; n != 0 {
					t.Errorf("the foreign look-alike got %d submissions", n)
				}
			}},
		{name: "Codat sign-in redirected to a foreign host", provider: "freeagent", wantExit: 6, wantMsg: "typed nothing",
			opts: fakeportal.Options{Faults: fakeportal.Faults{ForeignRedirectOn: "codat"}}},
		{name: "an element renamed", provider: "xero", wantExit: 4, wantMsg: "generate_secret", missing: "xero.generate_secret",
			opts: fakeportal.Options{Faults: fakeportal.Faults{Rename: map[string]string{"Generate a secret": "Create a secret"}}},
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				e := r.sum.Error
				if e.Page != "xero.configuration" || !strings.Contains(e.Element, "xero.configuration.generate_secret") {
					t.Errorf("error names page %q element %q, want the Configuration page's generate_secret", e.Page, e.Element)
				}
				var png, html bool
				for _, f := range e.Files {
					png = png || strings.HasSuffix(f, ".png")
					html = html || strings.HasSuffix(f, ".html")
					if _, err := os.Stat(f); err != nil {
						t.Error(err)
					}
				}
				if !png || !html {
					t.Errorf("failure files = %v, want a screenshot and the page HTML", e.Files)
				}
			}},
		{name: "an element removed", provider: "freeagent", wantExit: 4, wantMsg: "redirect_uris", missing: "freeagent.fill_redirect_uris",
			opts: fakeportal.Options{Faults: fakeportal.Faults{Remove: []string{"OAuth Redirect URIs"}}}},
		{name: "portal too slow for the step timeout", provider: "xero", wantExit: 5,
			opts:   fakeportal.Options{Faults: fakeportal.Faults{Delay: 1500 * time.Millisecond}},
			config: func(c *config.Config) { c.Browser.StepTimeout = 500 * time.Millisecond },
			check: func(t *testing.T, rec fakeportal.Records, r result) {
				// The sign-in timed out on the sign-in page: not a session
				// that ended, so no second pass waiting out the same timeout.
				if strings.Contains(r.printed, "starting over") {
					t.Errorf("the run started over after its sign-in timed out:\n%s", r.printed)
				}
			}},
		{name: "portal down", provider: "xero", wantExit: 5,
			config: func(c *config.Config) { c.Xero.DeveloperURL = "http://127.0.0.1:9" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, tt.opts)
			cfg := testConfig(t, p)
			if tt.config != nil {
				tt.config(cfg)
			}
			var with func(*flows.Env)
			if tt.missing != "" {
				with = expectMissing(tt.missing)
			}
			r := runWith(t, cfg, tt.provider, with)
			if got := fail.ExitCode(r.err); got != tt.wantExit {
				t.Fatalf("exit code = %d (%v), want %d", got, r.err, tt.wantExit)
			}
			if tt.wantMsg != "" && !strings.Contains(r.err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", r.err, tt.wantMsg)
			}
			if tt.wantExit != 0 && (r.sum.Error == nil || r.sum.Error.ExitCode != tt.wantExit) {
				t.Errorf("summary error = %+v, want exit code %d", r.sum.Error, tt.wantExit)
			}
			rec := p.Records()
			if tt.check != nil {
				tt.check(t, rec, r)
			}
			noLeak(t, cfg, r, "", p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.FreeAgentPassword, p.Creds.XeroTOTPSecret)
		})
	}
}
