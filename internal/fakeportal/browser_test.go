package fakeportal

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portalbot/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// pageHelpers defines window.fpt in the page (the replicas' own test
// helpers; the bot finds elements its own way).
//
//go:embed testdata/pagehelpers.js
var pageHelpers string

// tab drives one tab in a browser test of the replicas' page scripts.
type tab struct {
	t   *testing.T
	ctx context.Context
}

// newPage opens a tab for the replicas p, in a browser context emptied of
// what earlier tests left there.
func newPage(t *testing.T, p *Portals) *tab {
	t.Helper()
	page, _ := browsertest.Recycled(t, p.Origins()...)
	ctx, cancel := context.WithTimeout(page, 60*time.Second)
	t.Cleanup(cancel)
	return &tab{t: t, ctx: ctx}
}

func (pg *tab) open(u string) {
	pg.t.Helper()
	if err := chromedp.Do(pg.ctx, chromedp.Navigate(u)); err != nil {
		pg.t.Fatal(err)
	}
}

// js evaluates expr (with fpt defined); a navigation in between is retried.
func (pg *tab) js(expr string) any {
	pg.t.Helper()
	var err error
	for i := 0; i < 20; i++ {
		var v any
		if v, err = chromedp.Run(pg.ctx, chromedp.Evaluate[any](pageHelpers+"\n"+expr)); err == nil {
			return v
		}
		time.Sleep(50 * time.Millisecond) // a document being replaced
	}
	pg.t.Fatalf("%s: %v", expr, err)
	return nil
}

// until waits for expr to be true (5 s at most: the replicas answer at
// once, the spa draws within half a second).
func (pg *tab) until(what, expr string) {
	pg.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(40 * time.Millisecond)
	defer tick.Stop()
	for {
		v, err := chromedp.Run(pg.ctx, chromedp.Evaluate[any](pageHelpers+"\n"+expr))
		if err == nil && v == true {
			return
		}
		if time.Now().After(deadline) {
			pg.shot("timeout")
			pg.t.Fatalf("waited 5s for %s (%s): %v %v", what, expr, v, err)
		}
		select {
		case <-tick.C:
		case <-pg.ctx.Done():
			pg.t.Fatal(pg.ctx.Err())
		}
	}
}

// do runs fpt calls that must return true, once the page has what they
// need.
func (pg *tab) do(what, expr string) {
	pg.t.Helper()
	pg.until(what, expr)
}

func q(s string) string { b, _ := json.Marshal(s); return string(b) }

// shot saves a screenshot when FAKEPORTAL_SHOTS names a directory (to look
// at the pages by hand; tests take none otherwise).
func (pg *tab) shot(name string) {
	dir := os.Getenv("FAKEPORTAL_SHOTS")
	if dir == "" {
		return
	}
	if b, err := chromedp.Run(pg.ctx, chromedp.FullScreenshot(100)); err == nil {
		n := strings.ReplaceAll(strings.TrimPrefix(pg.t.Name(), "TestBrowser"), "/", "-")
		_ = os.WriteFile(filepath.Join(dir, n+"-"+name+".png"), b, 0o644)
	}
}

func variants(t *testing.T, f func(t *testing.T, variant string)) {
	for _, v := range []string{VariantClassic, VariantSPA} {
		t.Run(v, func(t *testing.T) { f(t, v) })
	}
}

// The 2026 Xero pages in a browser: the push screen and its backup link,
// the code page, then the two-screen dialog ("Next" disabled until the
// first screen is complete, "Back", "Create app").
func TestBrowser2026Xero(t *testing.T) {
	variants(t, func(t *testing.T, variant string) {
		p := StartT(t, Options{Variant: variant, Wording: Wording2026, XeroTwoStep: true})
		pg := newPage(t, p)
		pg.open(p.XeroDeveloperURL + "/app/manage")
		pg.do("the email", `fpt.fill("Please enter your email", `+q(p.Creds.XeroEmail)+`)`)
		pg.do("Log in", `fpt.click("Log in")`)
		pg.do("the password", `fpt.fill("Please enter your password", `+q(p.Creds.XeroPassword)+`)`)
		pg.do("Log in", `fpt.click("Log in")`)
		pg.until("the push screen", `fpt.shown("Check your Xero Verify app")`)
		pg.shot("push")
		pg.do("the backup method", `fpt.click("Use a backup method instead")`)
		pg.until("the code field", `!!document.querySelector('[data-automationid="auth-onetimepassword--input"]') && fpt.has("Remember me for 30 days")`)
		pg.shot("code")
		pg.do("the code", `fpt.fillCSS('[data-automationid="auth-onetimepassword--input"]', `+q(code(t, p.Creds.XeroTOTPSecret))+`)`)
		pg.do("Confirm", `fpt.click("Confirm")`)

		// My Apps, loaded: a click before its script has run opens nothing.
		pg.until("My Apps", `document.readyState === "complete" && fpt.has("New app")`)
		pg.do("New app", `fpt.click("New app")`)
		pg.until("the dialog", `fpt.shown("Add a new Xero app") && fpt.has("App name")`)
		pg.until("Next disabled", `fpt.disabled("Next") === true`)
		pg.do("the name", `fpt.fill("App name", "Acme Books")`)
		pg.do("Web app", `fpt.click("Web app")`)
		pg.do("the AI answer", `fpt.choose("Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?", "No")`)
		pg.until("Next still disabled", `fpt.disabled("Next") === true`)
		pg.do("the security answer", `fpt.choose("Do you understand and agree to meet Xero's minimum security requirements?", "Yes")`)
		pg.until("Next enabled", `fpt.disabled("Next") === false && !fpt.has("Company or application URL")`)
		pg.shot("screen1")
		pg.do("Next", `fpt.click("Next")`)
		pg.until("screen 2", `fpt.has("Company or application URL") && fpt.has("OAuth 2.0 redirect URI") && !fpt.has("App name")`)
		pg.do("Back", `fpt.click("Back")`)
		pg.until("screen 1 again, name kept", `fpt.value("App name") === "Acme Books"`)
		pg.do("Next", `fpt.click("Next")`)
		pg.until("screen 2", `fpt.has("Company or application URL")`)
		pg.do("the company URL", `fpt.fill("Company or application URL", "https://example.com")`)
		pg.do("the redirect URI", `fpt.fill("OAuth 2.0 redirect URI", "https://xero.codat.io/oauth2/callback")`)
		pg.until("Create app disabled before the terms", `fpt.disabled("Create app") === true`)
		pg.do("the terms", `fpt.click("I have read and agree to the Xero Developer Platform Terms & Conditions")`)
		pg.shot("screen2")
		pg.do("Create app", `fpt.disabled("Create app") === false && fpt.click("Create app")`)
		pg.until("the app page", `location.pathname.indexOf("/app/manage/app/") === 0 && fpt.shown("Acme Books")`)

		rec := p.Records()
		if len(rec.XeroApps) != 1 || rec.XeroApps[0].Name != "Acme Books" || *rec.XeroApps[0].AITraining || !rec.XeroApps[0].SecurityAgreed ||
			rec.XeroApps[0].CompanyURL != "https://example.com" {
			t.Fatalf("apps %+v", rec.XeroApps)
		}
		var steps []string
		for _, s := range rec.XeroSubmissions {
			steps = append(steps, s.Step)
		}
		if len(steps) != 3 || steps[2] != "create" || rec.SignIns["xero"] != 1 {
			t.Fatalf("submissions %v sign-ins %v", steps, rec.SignIns)
		}
		if h := rec.Harm("xero", false, false); h != nil {
			t.Fatalf("harm %q", h)
		}
		pg.open(p.XeroDeveloperURL + "/app/manage")
		pg.until("the limit label", `fpt.shown("0 of 5 connections")`)
	})
}

// The 2026 Codat switch (named by its state word) and FreeAgent's secret
// shown once, regenerated, in a browser.
func TestBrowser2026CodatFreeAgent(t *testing.T) {
	variants(t, func(t *testing.T, variant string) {
		p := StartT(t, Options{Variant: variant, Wording: Wording2026})
		pg := newPage(t, p)

		pg.open(p.FreeAgentURL + "/apps")
		pg.do("the email", `fpt.fill("Email", `+q(p.Creds.FreeAgentEmail)+`)`)
		pg.do("the password", `fpt.fill("Password", `+q(p.Creds.FreeAgentPassword)+`)`)
		pg.do("Sign in", `fpt.click("Sign in")`)
		pg.do("Create new app", `fpt.click("Create new app")`)
		pg.do("the name", `fpt.fill("Name", "Acme FA")`)
		pg.do("Create App", `fpt.click("Create App")`)
		pg.until("the app page", `fpt.shown("Acme FA") && location.pathname !== "/apps/new"`)
		first := p.Records().FreeAgentApps[0]
		pg.until("the secret, once", `document.body.innerText.indexOf(`+q(first.Secret)+`) >= 0 || Array.prototype.some.call(document.querySelectorAll("input"), function (i) { return i.value === `+q(first.Secret)+`; })`)
		pg.open(p.FreeAgentURL + "/apps/" + first.ID)
		pg.until("Regenerate secret", `fpt.has("Regenerate secret")`)
		pg.shot("masked")
		if pg.js(`document.documentElement.outerHTML.indexOf(`+q(first.Secret)+`) >= 0`) == true {
			t.Fatal("the secret is in the page opened again")
		}
		pg.do("Regenerate secret", `fpt.click("Regenerate secret")`)
		pg.until("a new secret", `!fpt.has("Regenerate secret") && fpt.shown("Acme FA")`)
		now := p.Records().FreeAgentApps[0]
		if now.Secret == first.Secret || now.SecretRegenerations != 1 {
			t.Fatalf("app %+v", now)
		}
		pg.until("the new secret shown", `document.documentElement.outerHTML.indexOf(`+q(now.Secret)+`) >= 0 || Array.prototype.some.call(document.querySelectorAll("input"), function (i) { return i.value === `+q(now.Secret)+`; })`)
		pg.shot("regenerated")

		pg.open(p.CodatURL + "/settings/integrations/accounting/manage/fbrh?integrationName=FreeAgent")
		pg.do("the email", `fpt.fill("Email address", `+q(p.Creds.CodatEmail)+`)`)
		pg.do("Continue", `fpt.click("Continue")`)
		pg.do("the password", `fpt.fill("Password", `+q(p.Creds.CodatPassword)+`)`)
		pg.do("Continue", `fpt.click("Continue")`)
		// The spa's "Client ID" is a text above an unwired field (no name).
		pg.do("the client ID", `fpt.fillCSS("input[name=clientId]", `+q(now.Identifier)+`)`)
		pg.do("the client secret", `fpt.fill("Client secret", `+q(now.Secret)+`)`)
		pg.do("Save", `fpt.click("Save")`)
		pg.until("the dialog", `fpt.shown("Enable FreeAgent") && fpt.disabled("Enable") === false`)
		pg.until("the switch off", `fpt.switchName() === "Disabled false"`)
		pg.do("Enable", `fpt.click("Enable")`)
		pg.until("the switch on", `fpt.switchName() === "Enabled true" && !fpt.shown("Enable FreeAgent")`)
		pg.shot("enabled")
		if err := p.Records().Delivered("freeagent", true); err != nil {
			t.Fatal(err)
		}
		pg.open(p.CodatURL + "/settings/integrations/accounting")
		pg.until("the row's switch", `fpt.shown("Accounting integrations") && document.querySelectorAll("[role=switch]").length === 4`)
		pg.shot("integrations")
		pg.do("turn it off", `fpt.clickCSS("[role=switch][data-key=fbrh]")`)
		pg.until("off", `Array.prototype.some.call(document.querySelectorAll("[role=switch]"), function (s) { return s.getAttribute("aria-checked") === "false" && fpt.shown("Disabled"); }) && !fpt.shown("Enabled")`)
		if p.Records().Codat[KeyFreeAgent].Enabled {
			t.Fatal("still enabled")
		}
	})
}

// A label the drift fault moved into its field: no visible label, the
// words in the placeholder (or the tooltip), in both renderings.
func TestBrowserDriftMoved(t *testing.T) {
	seed := int64(0)
	for s := int64(1); seed == 0; s++ {
		if driftOf(s, DefaultDriftRate, "Email address").How == DriftPlaceholder &&
			driftOf(s, DefaultDriftRate, "Continue").How == DriftSynonym {
			seed = s
		}
	}
	became := driftOf(seed, DefaultDriftRate, "Continue").Became
	variants(t, func(t *testing.T, variant string) {
		p := StartT(t, Options{Variant: variant, Faults: Faults{DriftSeed: seed}})
		pg := newPage(t, p)
		pg.open(p.CodatURL + "/settings/integrations/accounting")
		pg.until("the sign-in form", `fpt.has(`+q(became)+`)`)
		pg.shot("moved")
		pg.until("the email field", `document.querySelector("input[name=username]").placeholder === "Email address" && !fpt.shown("Email address")`)
		if pg.js(`fpt.has("Continue")`) == true {
			t.Fatal("the button kept its old words")
		}
	})
}
