package fakeportal

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ---------------------------------------------------------------- helpers

var spaTokenRE = regexp.MustCompile(`<meta name="spa-view" content="([^"]+)">`)

// spaShell checks r is a spa shell and returns its view envelope, fetched
// as the page script does.
func spaShell(t *testing.T, b *browser, r resp, status int) map[string]any {
	t.Helper()
	must(t, r, status, `<div id="root"></div>`, `<script src="/_spa/app.js?v=`+spaAppVersion+`"></script>`)
	if strings.Contains(r.Body, "<form") || strings.Contains(r.Body, "<label") || strings.Contains(r.Body, "<button") {
		t.Fatalf("%s: the shell has server-rendered content:\n%s", r.URL, trunc(r.Body))
	}
	m := spaTokenRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("%s: no view token:\n%s", r.URL, trunc(r.Body))
	}
	base := r.URL.Scheme + "://" + r.URL.Host
	v := b.get(base + "/_spa/view/" + m[1])
	if v.Status != 200 || v.JSON == nil {
		t.Fatalf("view %s: status %d %s", m[1], v.Status, trunc(v.Body))
	}
	return v.JSON
}

// spaGetJSON asks for a page as the page's router does.
func spaGetJSON(t *testing.T, b *browser, u string) resp {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set(spaHeader, "1")
	req.Header.Set("Accept", "application/json")
	return b.do(req)
}

// spaPostForm posts a form as the page script does (fetch, form-encoded).
func spaPostForm(t *testing.T, b *browser, u string, v url.Values) resp {
	t.Helper()
	req, _ := newRequest(http.MethodPost, u, v)
	req.Header.Set(spaHeader, "1")
	req.Header.Set("Accept", "application/json")
	return b.do(req)
}

func envPage(t *testing.T, env map[string]any, page string) map[string]any {
	t.Helper()
	if env["page"] != page {
		t.Fatalf("page %v, want %s (env %v)", env["page"], page, env)
	}
	v, _ := env["view"].(map[string]any)
	if v == nil {
		t.Fatalf("no view in %v", env)
	}
	return v
}

// label returns the shown text of a label in an envelope, and whether it
// is rendered; it fails when the envelope does not carry the label.
func label(t *testing.T, env map[string]any, key string) (string, bool) {
	t.Helper()
	ls, _ := env["labels"].(map[string]any)
	l, _ := ls[key].(map[string]any)
	if l == nil {
		t.Fatalf("page %v: no label %q", env["page"], key)
	}
	s, _ := l["t"].(string)
	return s, l["show"] == true
}

func writeActions(r Records) []string {
	var out []string
	for _, w := range r.Writes {
		out = append(out, w.Portal+": "+w.Action)
	}
	return out
}

// ---------------------------------------------------------------- tests

func TestSPAVariantOption(t *testing.T) {
	if _, err := Start(Options{Variant: "bogus"}); err == nil {
		t.Fatal("unknown variant accepted")
	}
	// Classic stays the default: server HTML, no shell.
	p := StartT(t, Options{})
	b := newBrowser(t)
	r := b.get(p.XeroDeveloperURL + "/app/manage")
	must(t, r, 200, ">Email address</label>")
	mustNot(t, r, `<div id="root">`)
	if r := b.get(p.XeroLoginURL + "/_spa/app.js"); r.Status != 404 {
		t.Fatalf("classic serves the spa bundle: %d", r.Status)
	}
}

func TestSPABundle(t *testing.T) {
	p := StartT(t, Options{Variant: VariantSPA})
	b := newBrowser(t)
	for _, base := range []string{p.XeroLoginURL, p.XeroDeveloperURL, p.CodatURL, p.CodatLoginURL, p.FreeAgentURL} {
		r := b.get(base + "/_spa/app.js")
		must(t, r, 200, "Username--input", "PassWord--input", "LoginSubmit--button", "auth-onetimepassword--input",
			"auth-remembermecheckbox--input", "auth-submitcodebutton", "history.pushState", "aria-modal", "role: 'switch'")
	}
	for _, k := range []string{"Email address", "Add a new app", "Show client id", "Generate a secret", "Enable", "Later", "OAuth identifier"} {
		if !slices.Contains(spaLabelKeys, k) {
			t.Errorf("label %q not read from the bundle", k)
		}
	}
}

// The sign-in pages: a shell whose view carries the page's state, native
// form posts answered with a shell whose snapshot holds the result.
func TestSPASignInPages(t *testing.T) {
	tests := []struct {
		name   string
		portal string
		page   string
		labels []string
	}{
		{"xero", "xero", "xero_login", []string{"Log in to Xero", "Email address", "Password", "Log in", "Forgot password?"}},
		{"codat", "codat", "codat_identifier", []string{"Email address", "Continue", "Continue with Google", "Welcome"}},
		{"freeagent", "freeagent", "fa_signin", []string{"Sign in", "Email", "Password", "Remember me", "Forgot your password?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := StartT(t, Options{Variant: VariantSPA})
			b := newBrowser(t)
			r := signInPage(t, p, b, tc.portal)
			env := spaShell(t, b, r, 200)
			envPage(t, env, tc.page)
			for _, l := range tc.labels {
				if s, ok := label(t, env, l); s != l || !ok {
					t.Errorf("label %q: %q shown %v", l, s, ok)
				}
			}
		})
	}

	t.Run("xero wrong password keeps its alert", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA})
		b := newBrowser(t)
		r := b.get(p.XeroDeveloperURL + "/app/manage")
		r = b.post(r.URL.String(), url.Values{"Username": {p.Creds.XeroEmail}, "Password": {"nope"}})
		v := envPage(t, spaShell(t, b, r, 200), "xero_login")
		if v["alert"] != msgXeroWrongPassword || v["passwordStep"] != true {
			t.Fatalf("view %v", v)
		}
		r = xeroSignIn(t, p, b, "/app/manage")
		at(t, r, p.XeroDeveloperURL, "/app/manage")
		envPage(t, spaShell(t, b, r, 200), "xero_myapps")
	})
	t.Run("two-step pages", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA, XeroTwoStep: true, CodatTwoStep: true})
		b := newBrowser(t)
		r := b.get(p.XeroDeveloperURL + "/app/manage")
		r = b.post(r.URL.String(), url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
		at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/authenticate")
		env := spaShell(t, b, r, 200)
		envPage(t, env, "xero_twofactor")
		label(t, env, "Trust this device")
		label(t, env, "Confirm")
		label(t, env, "Use another authentication method")
		r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.XeroTOTPSecret)}, "trust": {"on"}})
		at(t, r, p.XeroDeveloperURL, "/app/manage")

		r = codatSignIn(t, p, b, "/settings/integrations/accounting")
		at(t, r, p.CodatURL, "/settings/integrations/accounting")
		envPage(t, spaShell(t, b, r, 200), "codat_integrations")
	})
}

// The JSON of the signed-in pages: labels and state, as the router gets them.
func TestSPAPagesJSON(t *testing.T) {
	p := StartT(t, Options{Variant: VariantSPA, XeroConnectionLimit: 5})
	b := newBrowser(t)
	app := p.AddXeroApp("Acme Books")
	fa := p.AddFreeAgentApp("Acme FA")
	xeroSignIn(t, p, b, "/app/manage")
	codatSignIn(t, p, b, "/settings/integrations/accounting")
	faSignIn(t, p, b, "/apps")

	tests := []struct {
		url    string
		page   string
		labels []string
		check  func(t *testing.T, v map[string]any)
	}{
		{p.XeroDeveloperURL + "/app/manage", "xero_myapps",
			[]string{"My Apps", "New app", "Add a new app", "App name", "Integration type", "Web app", "Mobile or desktop app",
				"Custom connection", "Company or application URL", "Redirect URI", "Will you use Xero data to train an AI model?",
				"Do you understand and agree to meet Xero's minimum security requirements?", "Yes", "No",
				"I have read and agree to the Xero Developer Platform Terms & Conditions", "Create app", "5 max connections"},
			func(t *testing.T, v map[string]any) {
				apps := v["apps"].([]any)
				if len(apps) != 1 || apps[0].(map[string]any)["name"] != "Acme Books" || v["ask"] != true {
					t.Fatalf("view %v", v)
				}
				if strings.Contains(fmt.Sprint(v), app.ClientID) {
					t.Fatal("client id in the My Apps JSON")
				}
			}},
		{p.XeroDeveloperURL + "/app/manage/app/" + app.ID, "xero_details",
			[]string{"App details", "Configuration", "Webhooks", "App name", "Company or application URL", "Privacy policy URL",
				"Terms and conditions URL", "Save", "App details saved"},
			func(t *testing.T, v map[string]any) {
				if v["name"] != "Acme Books" || v["companyUrl"] != "https://example.com" || v["nav"] != "details" {
					t.Fatalf("view %v", v)
				}
			}},
		{p.XeroDeveloperURL + "/app/manage/app/" + app.ID + "/configuration", "xero_config",
			[]string{"Client id", "Show client id", "Hide client id", "Generate a secret", "Generate another secret",
				"Client secret 1", "Client secret 2", "Remove", "Redirect URIs", "+ Add another redirect URI", "Save",
				"Created", "Redirect URI 1"},
			func(t *testing.T, v map[string]any) {
				if v["mask"] != "••••••••" || v["live"] != float64(0) || strings.Contains(fmt.Sprint(v), app.ClientID) {
					t.Fatalf("view %v", v)
				}
			}},
		{p.XeroDeveloperURL + "/app/manage/app/" + app.ID + "/webhooks", "xero_webhooks", []string{"Webhooks"}, nil},
		{p.CodatURL + "/settings/integrations/accounting", "codat_integrations",
			[]string{"Accounting integrations", "Set up", "Manage", "Enable Xero", "Enable FreeAgent", "Xero", "FreeAgent",
				"QuickBooks Online", "Sage Business Cloud"},
			func(t *testing.T, v map[string]any) {
				rows := v["rows"].([]any)
				if len(rows) != 4 || rows[0].(map[string]any)["key"] != KeyXero || rows[0].(map[string]any)["configured"] != false {
					t.Fatalf("view %v", v)
				}
			}},
		{p.CodatURL + "/settings/integrations/accounting/manage/" + KeyFreeAgent + "?integrationName=FreeAgent", "codat_manage",
			[]string{"Integration settings", "Client ID", "Client secret", "Save", "Enable", "Later", "Enable FreeAgent"},
			func(t *testing.T, v map[string]any) {
				if v["row"].(map[string]any)["name"] != "FreeAgent" {
					t.Fatalf("view %v", v)
				}
			}},
		{p.FreeAgentURL + "/apps", "fa_apps", []string{"My Apps", "API Docs", "Discussion", "Log out", "Create New App"}, nil},
		{p.FreeAgentURL + "/apps/new", "fa_new",
			[]string{"Name", "Description", "App homepage URL", "OAuth Redirect URIs", "Enable Accountancy Practice API", "Create App"},
			func(t *testing.T, v map[string]any) {
				if v["practice"] != false {
					t.Fatalf("view %v", v)
				}
			}},
		{p.FreeAgentURL + "/apps/" + fa.ID, "fa_app", []string{"OAuth identifier", "OAuth secret"},
			func(t *testing.T, v map[string]any) {
				a := v["app"].(map[string]any)
				if a["identifier"] != fa.Identifier || a["secret"] != fa.Secret {
					t.Fatalf("view %v", v)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.page, func(t *testing.T) {
			// A document load: the shell and its snapshot.
			env := spaShell(t, b, b.get(tc.url), 200)
			envPage(t, env, tc.page)
			// The router: the same page as JSON.
			r := spaGetJSON(t, b, tc.url)
			if r.Status != 200 || r.JSON == nil {
				t.Fatalf("router %s: %d %s", tc.url, r.Status, trunc(r.Body))
			}
			v := envPage(t, r.JSON, tc.page)
			for _, l := range tc.labels {
				if s, ok := label(t, r.JSON, l); s != l || !ok {
					t.Errorf("label %q: %q shown %v", l, s, ok)
				}
			}
			if tc.check != nil {
				tc.check(t, v)
			}
		})
	}
}

// Every visible label of portal-spec.md is in the bundle and carried by
// the JSON of the spa pages.
func TestSPASpecLabels(t *testing.T) {
	spec := []string{
		// Xero
		"Email address", "Password", "Log in", "Log in to Xero", "Trust this device", "Confirm",
		"Use another authentication method", "My Apps", "New app", "Add a new app", "App name", "Integration type",
		"Company or application URL", "Redirect URI",
		"Will you use Xero data to train an AI model?",
		"Do you understand and agree to meet Xero's minimum security requirements?", "Yes", "No",
		"I have read and agree to the Xero Developer Platform Terms & Conditions", "Create app", "App details",
		"Configuration", "Webhooks", "Privacy policy URL", "Terms and conditions URL", "Save", "App details saved",
		"Client id", "Show client id", "Generate a secret", "Generate another secret", "Remove", "Redirect URIs",
		"+ Add another redirect URI",
		// FreeAgent
		"API Docs", "Discussion", "Sign up", "Log out", "Sign in", "Email", "Forgot your password?", "Create New App",
		"Name", "Description", "App homepage URL", "OAuth Redirect URIs", "Enable Accountancy Practice API",
		"Create App", "OAuth identifier", "OAuth secret",
		// Codat
		"Continue", "Accounting integrations", "Set up", "Manage", "Integration settings", "Client ID",
		"Client secret", "Enable", "Later",
	}
	for _, l := range spec {
		if !strings.Contains(string(spaAppJS), `"`+l+`"`) {
			t.Errorf("bundle lacks %q", l)
		}
	}
	// From the server's data: integration types, names, numbered labels.
	dynamic := []string{"Web app", "Mobile or desktop app", "Custom connection", "Client secret 1", "Client secret 2", "Enable Xero", "Enable FreeAgent", "25 max connections",
		"Xero", "FreeAgent", "QuickBooks Online", "Sage Business Cloud"}
	p := StartT(t, Options{Variant: VariantSPA})
	b := newBrowser(t)
	app := p.AddXeroApp("Acme Books")
	xeroSignIn(t, p, b, "/app/manage")
	codatSignIn(t, p, b, "/settings/integrations/accounting")
	fa := p.AddFreeAgentApp("Acme FA")
	faSignIn(t, p, b, "/apps")
	seen := map[string]bool{}
	for _, u := range []string{p.XeroDeveloperURL + "/app/manage", p.XeroDeveloperURL + "/app/manage/app/" + app.ID + "/configuration",
		p.CodatURL + "/settings/integrations/accounting", p.FreeAgentURL + "/apps/" + fa.ID} {
		r := spaGetJSON(t, b, u)
		for k, v := range r.JSON["labels"].(map[string]any) {
			if v.(map[string]any)["t"] == k {
				seen[k] = true
			}
		}
	}
	for _, l := range append(spec, dynamic...) {
		if !seen[l] {
			t.Errorf("JSON lacks label %q", l)
		}
	}
}

// The same writes, through the classic forms and through the spa's fetch
// calls, give the same records.
func TestSPAWritesRecordedIdentically(t *testing.T) {
	type result struct {
		actions []string
		rec     Records
	}
	run := func(t *testing.T, variant string) result {
		p := StartT(t, Options{Variant: variant})
		b := newBrowser(t)
		spa := variant == VariantSPA
		post := func(u string, v url.Values) resp {
			if spa {
				return spaPostForm(t, b, u, v)
			}
			return b.post(u, v)
		}

		// Xero: a refused app, then create, details, secrets, redirect URIs.
		xeroSignIn(t, p, b, "/app/manage")
		bad := newAppForm("My Xero App")
		r := post(p.XeroDeveloperURL+"/app/manage/app", bad)
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("refused create: %d", r.Status)
		}
		if spa {
			v := envPage(t, r.JSON, "xero_myapps")
			f := v["form"].(map[string]any)
			if f["open"] != true || f["errors"].(map[string]any)["name"] != "App name can't contain the word Xero" {
				t.Fatalf("form %v", f)
			}
		}
		r = post(p.XeroDeveloperURL+"/app/manage/app", newAppForm("Acme Books"))
		if !strings.HasPrefix(r.URL.Path, "/app/manage/app/") || r.Status != 200 {
			t.Fatalf("create landed on %s (%d)", r.URL, r.Status)
		}
		id := strings.TrimPrefix(r.URL.Path, "/app/manage/app/")
		if spa {
			v := envPage(t, r.JSON, "xero_details")
			if v["name"] != "Acme Books" {
				t.Fatalf("details %v", v)
			}
		}
		r = post(p.XeroDeveloperURL+"/app/manage/app/"+id, url.Values{"name": {"Acme Books"}, "company_url": {"https://example.com"},
			"privacy_url": {"https://example.com/privacy"}, "terms_url": {"https://example.com/terms"}})
		if r.URL.Query().Get("saved") != "1" {
			t.Fatalf("details save landed on %s", r.URL)
		}
		if spa && envPage(t, r.JSON, "xero_details")["saved"] != true {
			t.Fatalf("not saved: %v", r.JSON)
		}
		api := p.XeroDeveloperURL + "/app/manage/api/apps/" + id
		g1 := b.postJSON(api+"/secrets", nil)
		g2 := b.postJSON(api+"/secrets", nil)
		if g1.Status != 200 || g2.Status != 200 || g2.JSON["slot"] != float64(2) {
			t.Fatalf("generate: %d %d %v", g1.Status, g2.Status, g2.JSON)
		}
		if r := b.postJSON(api+"/secrets/1/remove", nil); r.Status != 200 {
			t.Fatalf("remove: %d", r.Status)
		}
		r = post(p.XeroDeveloperURL+"/app/manage/app/"+id+"/configuration", url.Values{"redirect_uri": {"https://xero.codat.io/oauth2/callback", "https://example.com/cb"}})
		if r.URL.Query().Get("saved") != "1" {
			t.Fatalf("config save landed on %s", r.URL)
		}
		if spa {
			v := envPage(t, r.JSON, "xero_config")
			slots := v["slots"].([]any)
			s2 := slots[1].(map[string]any)
			if s2["live"] != true || s2["createdText"] == "" || strings.Contains(fmt.Sprint(v), g2.JSON["value"].(string)) {
				t.Fatalf("after save, slot 2 %v", s2)
			}
		}

		// Codat: save settings, enable.
		codatSignIn(t, p, b, "/settings/integrations/accounting")
		if r := b.postJSON(p.CodatURL+"/api/integrations/"+KeyXero+"/enabled", map[string]bool{"enabled": true}); r.Status != http.StatusConflict {
			t.Fatalf("enable before setup: %d", r.Status)
		}
		if r := b.postJSON(p.CodatURL+"/api/integrations/"+KeyXero+"/settings", map[string]string{"clientId": "ABC 123", "clientSecret": "s"}); r.Status != 422 {
			t.Fatalf("key with a space: %d", r.Status)
		}
		if r := b.postJSON(p.CodatURL+"/api/integrations/"+KeyXero+"/settings", map[string]string{"clientId": "ABC123", "clientSecret": "sec"}); r.Status != 200 {
			t.Fatalf("save: %d", r.Status)
		}
		if r := b.postJSON(p.CodatURL+"/api/integrations/"+KeyXero+"/enabled", map[string]bool{"enabled": true}); r.Status != 200 {
			t.Fatalf("enable: %d", r.Status)
		}
		if spa {
			r := spaGetJSON(t, b, p.CodatURL+"/settings/integrations/accounting")
			row := envPage(t, r.JSON, "codat_integrations")["rows"].([]any)[0].(map[string]any)
			if row["configured"] != true || row["enabled"] != true {
				t.Fatalf("row %v", row)
			}
		}

		// FreeAgent: a refused app, then create.
		faSignIn(t, p, b, "/apps")
		r = post(p.FreeAgentURL+"/apps", url.Values{"app[name]": {""}, "app[practice_api]": {"0"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("refused FA create: %d", r.Status)
		}
		r = post(p.FreeAgentURL+"/apps", url.Values{"app[name]": {"Acme FA"}, "app[description]": {"d"},
			"app[homepage_url]": {"https://example.com"}, "app[redirect_uris]": {"https://freeagent.codat.io/oauth/callback"},
			"app[practice_api]": {"0"}})
		if !strings.HasPrefix(r.URL.Path, "/apps/") {
			t.Fatalf("FA create landed on %s", r.URL)
		}
		if spa {
			v := envPage(t, r.JSON, "fa_app")
			if v["flash"] != msgFACreated || v["app"].(map[string]any)["name"] != "Acme FA" {
				t.Fatalf("fa app %v", v)
			}
		}
		rec := p.Records()
		return result{writeActions(rec), rec}
	}
	var classic, spa result
	t.Run("classic", func(t *testing.T) { classic = run(t, VariantClassic) })
	t.Run("spa", func(t *testing.T) { spa = run(t, VariantSPA) })
	if t.Failed() {
		return
	}
	if !slices.Equal(classic.actions, spa.actions) {
		t.Fatalf("writes differ:\nclassic %q\nspa     %q", classic.actions, spa.actions)
	}
	a := spa.rec.XeroApps[0]
	if a.Name != "Acme Books" || len(a.LiveSecrets()) != 1 || len(a.RedirectURIs) != 2 || a.PrivacyURL != "https://example.com/privacy" {
		t.Fatalf("xero app %+v", a)
	}
	if c := spa.rec.Codat[KeyXero]; !c.Configured || !c.Enabled || c.ClientID != "ABC123" {
		t.Fatalf("codat %+v", c)
	}
	if f := spa.rec.FreeAgentApps[0]; f.Name != "Acme FA" || f.PracticeAPI || len(f.RedirectURIs) != 1 {
		t.Fatalf("freeagent %+v", f)
	}
}

func TestSPAFaults(t *testing.T) {
	t.Run("rename and remove", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA, Faults: Faults{
			Rename: map[string]string{"Generate a secret": "Create a secret", "Log in": "Sign in now", "Enable Xero": "Turn on Xero"},
			Remove: []string{"Show client id", "Later"},
		}})
		b := newBrowser(t)
		env := spaShell(t, b, b.get(p.XeroDeveloperURL+"/app/manage"), 200)
		if s, _ := label(t, env, "Log in"); s != "Sign in now" {
			t.Fatalf("Log in: %q", s)
		}
		app := p.AddXeroApp("Acme Books")
		xeroSignIn(t, p, b, "/app/manage")
		r := spaGetJSON(t, b, p.XeroDeveloperURL+"/app/manage/app/"+app.ID+"/configuration")
		if s, _ := label(t, r.JSON, "Generate a secret"); s != "Create a secret" {
			t.Fatalf("Generate a secret: %q", s)
		}
		if _, ok := label(t, r.JSON, "Show client id"); ok {
			t.Fatal("Show client id not removed")
		}
		codatSignIn(t, p, b, "/settings/integrations/accounting")
		r = spaGetJSON(t, b, p.CodatURL+"/settings/integrations/accounting/manage/gbol?integrationName=Xero")
		if s, _ := label(t, r.JSON, "Enable Xero"); s != "Turn on Xero" {
			t.Fatalf("Enable Xero: %q", s)
		}
		if _, ok := label(t, r.JSON, "Later"); ok {
			t.Fatal("Later not removed")
		}
	})
	t.Run("500 once", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA, Faults: Faults{Fail500Once: []string{"/app/manage"}}})
		b := newBrowser(t)
		r := b.get(p.XeroDeveloperURL + "/app/manage")
		must(t, r, 500, "Something went wrong", `<div id="root"></div>`)
		at(t, xeroSignIn(t, p, b, "/app/manage"), p.XeroDeveloperURL, "/app/manage")
	})
	t.Run("session expires on a router request", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA})
		b := newBrowser(t)
		app := p.AddXeroApp("Acme Books")
		xeroSignIn(t, p, b, "/app/manage")
		cfg := "/app/manage/app/" + app.ID + "/configuration"
		p.SetFaults(Faults{ExpireSessionOn: []string{cfg}})
		if r := spaGetJSON(t, b, p.XeroDeveloperURL+cfg); r.Status != http.StatusUnauthorized {
			t.Fatalf("router after expiry: %d", r.Status)
		}
		// The script then loads the page, which goes to sign-in and back.
		r := b.get(p.XeroDeveloperURL + cfg)
		at(t, r, p.XeroLoginURL, "/identity/user/login")
		at(t, xeroSignIn(t, p, b, cfg), p.XeroDeveloperURL, cfg)
	})
	t.Run("layout shift flag", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA, Faults: Faults{LayoutShift: true}})
		b := newBrowser(t)
		env := spaShell(t, b, signInPage(t, p, b, "freeagent"), 200)
		if env["layoutShift"] != true {
			t.Fatalf("env %v", env)
		}
	})
	t.Run("captcha and foreign", func(t *testing.T) {
		p := StartT(t, Options{Variant: VariantSPA, Faults: Faults{CaptchaOn: "codat", ForeignRedirectOn: "xero"}})
		b := newBrowser(t)
		v := envPage(t, spaShell(t, b, signInPage(t, p, b, "codat"), 200), "captcha")
		if v["return"] == "" {
			t.Fatalf("captcha %v", v)
		}
		r := signInPage(t, p, b, "xero")
		if !strings.HasPrefix(r.URL.String(), p.ForeignURL+"/xero/") {
			t.Fatalf("landed on %s", r.URL)
		}
		envPage(t, spaShell(t, b, r, 200), "xero_login")
	})
}
