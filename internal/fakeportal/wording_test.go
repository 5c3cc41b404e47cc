package fakeportal

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestWordingOptions(t *testing.T) {
	for _, o := range []Options{{Wording: "2025"}, {XeroDialogScreens: 3}, {Faults: Faults{DriftRate: 2}}} {
		if _, err := Start(o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	for _, c := range []struct {
		opts           Options
		screens, limit int
	}{
		{Options{}, 1, 25},
		{Options{Wording: "2023"}, 1, 25},
		{Options{Wording: "2026"}, 2, 5},
		{Options{Wording: "2026", XeroDialogScreens: 1, XeroConnectionLimit: 25}, 1, 25},
		{Options{XeroDialogScreens: 2}, 2, 25},
	} {
		p := StartT(t, c.opts)
		if p.opts.XeroDialogScreens != c.screens || p.opts.XeroConnectionLimit != c.limit {
			t.Errorf("%+v: screens %d limit %d", c.opts, p.opts.XeroDialogScreens, p.opts.XeroConnectionLimit)
		}
	}
}

// The whole table "Seen in 2025–26" in the classic rendering.
func TestWording2026Classic(t *testing.T) {
	p := StartT(t, Options{Wording: Wording2026, XeroTwoStep: true})
	b := newBrowser(t)

	// Sign-in: the 2026 names, the confirmed attributes, the old ids.
	r := b.get(p.XeroDeveloperURL + "/app/manage")
	must(t, r, 200, `<label for="xl-form-email">Please enter your email</label>`, `id="xl-form-email"`,
		`data-automationid="Username--input"`, `<label for="xl-form-password">Please enter your password</label>`,
		`id="xl-form-password"`, `data-automationid="PassWord--input"`, `id="xl-form-submit" data-automationid="LoginSubmit--button"`)
	mustNot(t, r, ">Email address<", ">Password<")

	// Two-step: the push screen first, its backup link to the code page.
	action := p.XeroLoginURL + "/identity/user/login?" + r.URL.RawQuery
	r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/push")
	must(t, r, 200, "<h1>Check your Xero Verify app</h1>", ">Use a backup method instead</a>")
	m := regexp.MustCompile(`<a href="([^"]+)">Use a backup method instead</a>`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no backup link")
	}
	r = b.get(p.XeroLoginURL + strings.ReplaceAll(m[1], "&amp;", "&"))
	at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/authenticate")
	must(t, r, 200, `data-automationid="auth-onetimepassword--input"`, `data-automationid="auth-remembermecheckbox--input"> Remember me for 30 days</label>`,
		`data-automationid="auth-submitcodebutton"`)
	mustNot(t, r, "Trust this device")
	r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.XeroTOTPSecret)}})
	at(t, r, p.XeroDeveloperURL, "/app/manage")

	// The dialog: 2026 title, labels, question; two screens.
	must(t, r, 200, `<h2 id="new-app-title">Add a new Xero app</h2>`, `<label for="na-redirect">OAuth 2.0 redirect URI</label>`,
		">Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?</legend>",
		`<div id="na-screen-1">`, `<button type="button" id="na-next" disabled>Next</button>`,
		`<div id="na-screen-2" hidden>`, `<button type="button" class="secondary" id="na-back">Back</button>`)
	mustNot(t, r, ">Add a new app<", ">Redirect URI<", "train an AI model?")
	i1, i2 := strings.Index(r.Body, `id="na-screen-1"`), strings.Index(r.Body, `id="na-screen-2"`)
	for _, f := range []string{`name="name"`, `name="integration_type"`, `name="ai_training"`, `name="security"`} {
		if i := strings.Index(r.Body, f); i < i1 || i > i2 {
			t.Errorf("%s not on screen 1", f)
		}
	}
	for _, f := range []string{`name="company_url"`, `name="redirect_uri"`, `name="terms"`, `id="create-app"`} {
		if i := strings.Index(r.Body, f); i < i2 {
			t.Errorf("%s not on screen 2", f)
		}
	}

	// The company URL error.
	draft := b.post(p.XeroDeveloperURL+"/app/manage/api/app-drafts", newAppForm("Acme Books")).JSON["draft"].(string)
	f := newAppForm("")
	f.Set("draft", draft)
	f.Set("company_url", "http://example.com")
	r = b.post(p.XeroDeveloperURL+"/app/manage/app", f)
	must(t, r, 422, `<p id="na-company-error" class="error" role="alert">Enter a valid company or application URL</p>`,
		`<div id="na-screen-1" hidden>`, `<div id="na-screen-2">`, `value="`+draft+`"`, `value="Acme Books"`)
	f.Set("company_url", "https://example.com")
	r = b.post(p.XeroDeveloperURL+"/app/manage/app", f)
	if !reAppID.MatchString(r.URL.Path) {
		t.Fatalf("not created: %s\n%s", r.URL, trunc(r.Body))
	}

	// The connection limit label.
	r = b.get(p.XeroDeveloperURL + "/app/manage")
	must(t, r, 200, `<span class="badge">0 of 5 connections</span>`)
	mustNot(t, r, "max connections")

	// Codat: the switch is named by its state word, in its row.
	r = codatSignIn(t, p, b, "/settings/integrations/accounting")
	must(t, r, 200, `aria-labelledby="sw-gbol-state" disabled`, `<span id="sw-gbol-state">Disabled</span>`)
	mustNot(t, r, "Enable Xero")
	row := regexp.MustCompile(`(?s)<li class="row" role="group" aria-labelledby="int-gbol-name">.*?</li>`).FindString(r.Body)
	if !strings.Contains(row, `role="switch"`) || !strings.Contains(row, ">Disabled</span>") {
		t.Fatalf("the Xero row has no state-word switch:\n%s", row)
	}
	b.postJSON(p.CodatURL+"/api/integrations/gbol/settings", map[string]string{"clientId": "A", "clientSecret": "B"})
	b.postJSON(p.CodatURL+"/api/integrations/gbol/enabled", map[string]bool{"enabled": true})
	r = b.get(p.CodatURL + "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
	must(t, r, 200, `<span id="sw-gbol-state">Enabled</span>`, ">Enable Xero</h2>", `STATE[j.enabled ? 'Enabled' : 'Disabled'].t`)

	// FreeAgent: the casing.
	r = faSignIn(t, p, b, "/apps")
	must(t, r, 200, ">Create new app</a>")
	mustNot(t, r, "Create New App")
}

// The two-screen dialog creates an app only through "Next" then "Create
// app", and records the answers of each.
func TestXeroTwoScreenDialog(t *testing.T) {
	p := StartT(t, Options{XeroDialogScreens: 2})
	b := newBrowser(t)
	xeroSignIn(t, p, b, "/app/manage")
	base := p.XeroDeveloperURL

	// The whole form at once, without "Next": refused, back to screen 1.
	r := b.post(base+"/app/manage/app", newAppForm("Acme Books"))
	must(t, r, 422, `<div role="alert" class="alert">`+msgXeroDraftExpired, `<div id="na-screen-1">`, `<div id="na-screen-2" hidden>`)
	if n := len(p.Records().XeroApps); n != 0 {
		t.Fatalf("%d apps without Next", n)
	}

	// "Next" with the first screen incomplete or wrong: field errors.
	bad := url.Values{"name": {"My Xero app"}, "integration_type": {"web"}, "ai_training": {"no"}, "security": {"no"}}
	r = b.post(base+"/app/manage/api/app-drafts", bad)
	if r.Status != 422 {
		t.Fatalf("status %d", r.Status)
	}
	errs, _ := r.JSON["errors"].(map[string]any)
	if errs["name"] != "App name can't contain the word Xero" || errs["security"] == nil || errs["ai_training"] != nil {
		t.Fatalf("errors %v", errs)
	}
	// Complete: a draft, then the second screen creates the app.
	r = b.post(base+"/app/manage/api/app-drafts", newAppForm("Acme Books"))
	draft, _ := r.JSON["draft"].(string)
	if r.Status != 200 || draft == "" {
		t.Fatalf("draft: %d %v", r.Status, r.JSON)
	}
	second := url.Values{"draft": {draft}, "company_url": {"https://example.com"},
		"redirect_uri": {"https://xero.codat.io/oauth2/callback"}, "terms": {"on"},
		// A second screen does not carry the first: these are ignored.
		"name": {"Other"}, "ai_training": {"yes"}}
	r = b.post(base+"/app/manage/app", second)
	if !reAppID.MatchString(r.URL.Path) {
		t.Fatalf("not created: %s\n%s", r.URL, trunc(r.Body))
	}
	rec := p.Records()
	if len(rec.XeroApps) != 1 || rec.XeroApps[0].Name != "Acme Books" || *rec.XeroApps[0].AITraining {
		t.Fatalf("apps %+v", rec.XeroApps)
	}
	var steps []string
	for _, s := range rec.XeroSubmissions {
		steps = append(steps, s.Step+" "+s.AI+"/"+s.Security+" "+map[bool]string{true: "ok", false: "refused"}[s.Accepted])
	}
	want := []string{"create no/yes refused", "next no/no refused", "next no/yes ok", "create no/yes ok"}
	if !slices.Equal(steps, want) {
		t.Fatalf("submissions %q, want %q", steps, want)
	}
	if h := rec.Harm("xero", false, false); len(h) != 1 || !strings.Contains(h[0], `"no" to the security`) {
		t.Fatalf("harm %q", h)
	}
	// The draft is used up.
	r = b.post(base+"/app/manage/app", second)
	must(t, r, 422, msgXeroDraftExpired)
}

// FreeAgent 2026: the OAuth secret shows once; "Regenerate secret" makes a
// new one (the old one dead at once) and shows it once.
func TestFreeAgentSecretOnce(t *testing.T) {
	p := StartT(t, Options{Wording: Wording2026})
	seeded := p.AddFreeAgentApp("Old app")
	b := newBrowser(t)
	faSignIn(t, p, b, "/apps")
	r := b.post(p.FreeAgentURL+"/apps", url.Values{"app[name]": {"Acme"}, "app[redirect_uris]": {"https://freeagent.codat.io/oauth/callback"}})
	app := p.Records().FreeAgentApps[1]
	must(t, r, 200, app.Secret, "Copy the OAuth secret now", app.Identifier)
	mustNot(t, r, "Regenerate secret")

	r = b.get(r.URL.String())
	must(t, r, 200, app.Identifier, strings.Repeat("•", 22), ">Regenerate secret</button>")
	mustNot(t, r, app.Secret)
	mustNot(t, b.get(p.FreeAgentURL+"/apps/"+seeded.ID), seeded.Secret)

	// Codat holds the first secret; regenerating kills it.
	codatSignIn(t, p, b, "/settings/integrations/accounting")
	b.postJSON(p.CodatURL+"/api/integrations/fbrh/settings", map[string]string{"clientId": app.Identifier, "clientSecret": app.Secret})
	r = b.post(p.FreeAgentURL+"/apps/"+app.ID+"/regenerate_secret", nil)
	rec := p.Records()
	now := rec.FreeAgentApps[1]
	if now.Secret == app.Secret || now.SecretRegenerations != 1 || lastWrite(rec).Action != "secret regenerated" {
		t.Fatalf("not regenerated: %+v %+v", now, lastWrite(rec))
	}
	must(t, r, 200, now.Secret, msgFARegenerated)
	mustNot(t, r, app.Secret)
	mustNot(t, b.get(r.URL.String()), now.Secret)
	if h := rec.Harm("freeagent", false, false); len(h) != 1 || !strings.Contains(h[0], "does not accept") {
		t.Fatalf("harm %q", h)
	}
	// The 2023 wording has no regeneration and shows the secret every time.
	p2 := StartT(t, Options{})
	b2 := newBrowser(t)
	faSignIn(t, p2, b2, "/apps")
	old := p2.AddFreeAgentApp("Old app")
	must(t, b2.get(p2.FreeAgentURL+"/apps/"+old.ID), 200, old.Secret)
	if r := b2.post(p2.FreeAgentURL+"/apps/"+old.ID+"/regenerate_secret", nil); r.Status != 404 {
		t.Fatalf("regenerate in 2023: %d", r.Status)
	}
}

func TestFaultCodatEmailCode(t *testing.T) {
	for _, two := range []bool{false, true} {
		p := StartT(t, Options{CodatTwoStep: two, Faults: Faults{CodatEmailCode: true}})
		b := newBrowser(t)
		r := b.get(p.CodatURL + "/settings/integrations/accounting")
		r = b.post(r.URL.String(), url.Values{"username": {p.Creds.CodatEmail}})
		r = b.post(r.URL.String(), url.Values{"password": {p.Creds.CodatPassword}})
		at(t, r, p.CodatLoginURL, "/u/mfa-email-challenge")
		must(t, r, 200, "<h1>Verify Your Identity</h1>", "We&#39;ve sent an email with your code to <span>d***@acme-books.example</span>",
			`<label for="code">Enter the code</label>`, ">Continue</button>")
		// The one-time-code page cannot be skipped to.
		if r2 := b.get(strings.Replace(r.URL.String(), "mfa-email-challenge", "mfa-otp-challenge", 1)); r2.URL.Path != "/u/login/identifier" {
			t.Fatalf("skipped the emailed code: %s", r2.URL)
		}
		r = b.post(r.URL.String(), url.Values{"code": {"000000"}})
		must(t, r, 400, msgCodatEmailWrongCode)
		rec := p.Records()
		if rec.CodatEmailCodes != (CodatEmailCodes{Sent: 1, Submitted: 1}) || rec.SignIns["codat"] != 0 || rec.FailedSignIns["codat"] != 1 {
			t.Fatalf("records %+v %v %v", rec.CodatEmailCodes, rec.SignIns, rec.FailedSignIns)
		}
		// A person who reads the mail gets in.
		r = b.post(r.URL.String(), url.Values{"code": {p.CodatEmailedCode()}})
		if two {
			at(t, r, p.CodatLoginURL, "/u/mfa-otp-challenge")
			r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.CodatTOTPSecret)}})
		}
		at(t, r, p.CodatURL, "/settings/integrations/accounting")
		if c := p.Records().CodatEmailCodes; c.Accepted != 1 {
			t.Fatalf("records %+v", c)
		}
	}
}

func TestFaultCodatNoRole(t *testing.T) {
	for _, w := range []string{"", Wording2026} {
		p := StartT(t, Options{Wording: w, Faults: Faults{CodatNoRole: true}})
		b := newBrowser(t)
		r := codatSignIn(t, p, b, "/settings/integrations/accounting")
		must(t, r, 200, "<h1>Accounting integrations</h1>", `<div role="alert" class="alert">`+msgCodatNoRole+`</div>`,
			">Xero</span>", ">FreeAgent</span>")
		mustNot(t, r, ">Set up<", ">Manage<", `role="switch"`)
		r = b.get(p.CodatURL + "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
		must(t, r, 403, msgCodatNoRole)
		mustNot(t, r, "Client ID", "Client secret")
		if r := b.postJSON(p.CodatURL+"/api/integrations/gbol/settings", map[string]string{"clientId": "A", "clientSecret": "B"}); r.Status != 403 || r.JSON["error"] != msgCodatNoRole {
			t.Fatalf("settings: %d %v", r.Status, r.JSON)
		}
		if r := b.postJSON(p.CodatURL+"/api/integrations/gbol/enabled", map[string]bool{"enabled": true}); r.Status != 403 {
			t.Fatalf("enable: %d", r.Status)
		}
		if c := p.Records().Codat[KeyXero]; c.Configured || c.Enabled || c.ClientID != "" {
			t.Fatalf("changed: %+v", c)
		}
	}
}

// Rename and Remove act on the 2026 labels too.
func TestWording2026RenameRemove(t *testing.T) {
	p := StartT(t, Options{Wording: Wording2026, Faults: Faults{
		Rename: map[string]string{"Add a new Xero app": "Create an app", "Next": "Continue"},
		Remove: []string{"OAuth 2.0 redirect URI"},
	}})
	b := newBrowser(t)
	r := xeroSignIn(t, p, b, "/app/manage")
	must(t, r, 200, `<h2 id="new-app-title">Create an app</h2>`, `id="na-next" disabled>Continue</button>`)
	mustNot(t, r, "Add a new Xero app", "OAuth 2.0 redirect URI", `id="na-redirect"`)
}
