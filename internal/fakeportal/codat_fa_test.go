package fakeportal

import (
	"net/url"
	"strings"
	"testing"
)

func TestCodatSignIn(t *testing.T) {
	tests := []struct {
		name     string
		twoStep  bool
		password bool // right password
		code     bool // right code
		alert    string
	}{
		{name: "password", password: true},
		{name: "wrong password", alert: msgCodatWrongPassword},
		{name: "two-step", twoStep: true, password: true, code: true},
		{name: "two-step wrong code", twoStep: true, password: true, alert: msgCodatWrongCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := StartT(t, Options{CodatTwoStep: tc.twoStep})
			b := newBrowser(t)
			r := b.get(p.CodatURL + "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
			at(t, r, p.CodatLoginURL, "/u/login/identifier")
			must(t, r, 200, `<label for="username">Email address</label>`, ">Continue</button>", ">Continue with Google</button>")
			r = b.post(r.URL.String(), url.Values{"username": {p.Creds.CodatEmail}})
			at(t, r, p.CodatLoginURL, "/u/login/password")
			must(t, r, 200, `<label for="password">Password</label>`, `aria-label="Show password"`, ">Continue</button>", p.Creds.CodatEmail)
			pw := "wrong"
			if tc.password {
				pw = p.Creds.CodatPassword
			}
			r = b.post(r.URL.String(), url.Values{"password": {pw}})
			if tc.twoStep && tc.password {
				at(t, r, p.CodatLoginURL, "/u/mfa-otp-challenge")
				must(t, r, 200, ">"+LabelCodatOTP+"</label>", ">Continue</button>")
				c := "123456"
				if tc.code {
					c = code(t, p.Creds.CodatTOTPSecret)
				}
				r = b.post(r.URL.String(), url.Values{"code": {c}})
			}
			rec := p.Records()
			if tc.alert != "" {
				must(t, r, 400, `role="alert"`, tc.alert)
				if rec.FailedSignIns["codat"] != 1 || rec.SignIns["codat"] != 0 {
					t.Fatalf("sign-ins %v failed %v", rec.SignIns, rec.FailedSignIns)
				}
				return
			}
			// Back to the page asked for.
			at(t, r, p.CodatURL, "/settings/integrations/accounting/manage/gbol")
			if r.URL.Query().Get("integrationName") != "Xero" {
				t.Fatalf("lost the query: %s", r.URL)
			}
			must(t, r, 200, "<h1>Xero</h1>", ">Integration settings</h2>", ">Client ID</label>", ">Client secret</label>", ">Save</button>")
			if rec.SignIns["codat"] != 1 {
				t.Fatalf("sign-ins %v", rec.SignIns)
			}
		})
	}
}

func TestCodatSaveAndEnable(t *testing.T) {
	for _, key := range []string{KeyXero, KeyFreeAgent} {
		t.Run(key, func(t *testing.T) {
			p := StartT(t, Options{})
			b := newBrowser(t)
			name := map[string]string{KeyXero: "Xero", KeyFreeAgent: "FreeAgent"}[key]
			r := codatSignIn(t, p, b, "/settings/integrations/accounting")
			at(t, r, p.CodatURL, "/settings/integrations/accounting")
			must(t, r, 200, "<h1>Accounting integrations</h1>", ">Xero</span>", ">FreeAgent</span>", ">QuickBooks Online</span>",
				">Sage Business Cloud</span>", ">Set up</a>", `role="switch"`, `aria-label="Enable `+name+`"`)
			mustNot(t, r, ">Manage</a>")
			if !strings.Contains(r.Body, `data-key="`+key+`" aria-checked="false" aria-label="Enable `+name+`" disabled aria-disabled="true"`) {
				t.Fatalf("switch not disabled:\n%s", trunc(r.Body))
			}
			api := p.CodatURL + "/api/integrations/" + key
			// Cannot be turned on before it is configured.
			if r := b.postJSON(api+"/enabled", map[string]bool{"enabled": true}); r.Status != 409 {
				t.Fatalf("enable before set up: %d %v", r.Status, r.JSON)
			}
			// Settings page: dialog in the page, hidden, switch hidden.
			r = b.get(p.CodatURL + "/settings/integrations/accounting/manage/" + key + "?integrationName=" + name)
			must(t, r, 200, "<h1>"+name+"</h1>", `role="dialog" aria-modal="true"`, ">Enable "+name+"</h2>", ">Enable</button>", ">Later</button>",
				`id="switch-area" class="card" hidden`, `role="status"`)
			// A key with a space is refused, beside the field.
			r = b.postJSON(api+"/settings", map[string]string{"clientId": "ABC DEF", "clientSecret": "s3cr3t"})
			if r.Status != 422 || r.JSON["errors"].(map[string]any)["clientId"] != "Client ID must not contain spaces" {
				t.Fatalf("space: %d %v", r.Status, r.JSON)
			}
			if p.Records().Codat[key].Configured {
				t.Fatal("configured despite error")
			}
			r = b.postJSON(api+"/settings", map[string]string{"clientId": " ABCDEF0123 ", "clientSecret": "s3cr3t-value"})
			if r.Status != 200 || r.JSON["message"] != msgCodatSaved {
				t.Fatalf("save: %d %v", r.Status, r.JSON)
			}
			c := p.Records().Codat[key]
			if !c.Configured || c.Enabled || c.ClientID != "ABCDEF0123" || c.ClientSecret != "s3cr3t-value" || c.Saves != 1 {
				t.Fatalf("integration %+v", c)
			}
			// The dialog's Enable.
			if r := b.postJSON(api+"/enabled", map[string]bool{"enabled": true}); r.Status != 200 || r.JSON["enabled"] != true {
				t.Fatalf("enable: %d %v", r.Status, r.JSON)
			}
			if !p.Records().Codat[key].Enabled {
				t.Fatal("not enabled")
			}
			r = b.get(p.CodatURL + "/settings/integrations/accounting")
			if !strings.Contains(r.Body, `data-key="`+key+`" aria-checked="true" aria-label="Enable `+name+`">`) {
				t.Fatalf("switch not on:\n%s", trunc(r.Body))
			}
			must(t, r, 200, ">Manage</a>")
			r = b.get(p.CodatURL + "/settings/integrations/accounting/manage/" + key + "?integrationName=" + name)
			must(t, r, 200, `id="switch-area" class="card">`, `value="ABCDEF0123"`)
			mustNot(t, r, "s3cr3t-value")
			// Switch off again.
			if r := b.postJSON(api+"/enabled", map[string]bool{"enabled": false}); r.Status != 200 || r.JSON["enabled"] != false {
				t.Fatalf("disable: %d %v", r.Status, r.JSON)
			}
			var actions []string
			for _, w := range p.Records().Writes {
				actions = append(actions, w.Action)
				if strings.Contains(w.Detail, "s3cr3t") {
					t.Fatalf("secret in write %+v", w)
				}
			}
			if strings.Join(actions, ",") != "settings saved,integration enabled,integration disabled" {
				t.Fatalf("writes %v", actions)
			}
		})
	}
}

func TestCodatAPIWithoutSession(t *testing.T) {
	p := StartT(t, Options{})
	b := newBrowser(t)
	if r := b.postJSON(p.CodatURL+"/api/integrations/gbol/enabled", map[string]bool{"enabled": true}); r.Status != 401 {
		t.Fatalf("status %d", r.Status)
	}
}

func TestFreeAgent(t *testing.T) {
	tests := []struct {
		name      string
		preTicked bool
		tick      bool
	}{
		{name: "unticked"},
		{name: "pre-ticked, left as is", preTicked: true, tick: true},
		{name: "pre-ticked, unticked", preTicked: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := StartT(t, Options{FreeAgentPracticePreTicked: tc.preTicked})
			b := newBrowser(t)
			r := b.get(p.FreeAgentURL + "/apps")
			at(t, r, p.FreeAgentURL, "/users/sign_in")
			must(t, r, 200, "<h1>Sign in</h1>", ">Email</label>", ">Password</label>", ">Sign in</button>", ">Forgot your password?</a>",
				">My Apps</a>", ">API Docs</a>", ">Discussion</a>", ">Sign up</a>", ">Log in</a>")
			r = b.post(p.FreeAgentURL+"/users/sign_in", url.Values{"user[email]": {p.Creds.FreeAgentEmail}, "user[password]": {"bad"}})
			must(t, r, 422, `role="alert"`, msgFAInvalid)
			r = b.post(p.FreeAgentURL+"/users/sign_in", url.Values{"user[email]": {p.Creds.FreeAgentEmail}, "user[password]": {p.Creds.FreeAgentPassword}})
			at(t, r, p.FreeAgentURL, "/apps")
			must(t, r, 200, "<h1>My Apps</h1>", ">Create New App</a>", ">Log out</a>")
			r = b.get(p.FreeAgentURL + "/apps/new")
			must(t, r, 200, ">Name</label>", ">Description</label>", ">App homepage URL</label>", ">OAuth Redirect URIs</label>",
				"Enable Accountancy Practice API</label>", ">Create App</button>")
			if got := strings.Contains(r.Body, `value="1" checked>`); got != tc.preTicked {
				t.Fatalf("pre-ticked %v, want %v", got, tc.preTicked)
			}
			form := url.Values{"app[name]": {""}, "app[description]": {"Demo"}, "app[redirect_uris]": {"https://freeagent.codat.io/oauth/callback"}, "app[practice_api]": {"0"}}
			must(t, b.post(p.FreeAgentURL+"/apps", form), 422, "Name can&#39;t be blank")
			form.Set("app[name]", "Acme Books Demo")
			form.Set("app[homepage_url]", "https://example.com")
			form.Set("app[redirect_uris]", "https://freeagent.codat.io/oauth/callback\r\nhttps://example.com/cb\r\n")
			if tc.tick {
				form["app[practice_api]"] = []string{"0", "1"}
			}
			r = b.post(p.FreeAgentURL+"/apps", form)
			rec := p.Records()
			if len(rec.FreeAgentApps) != 1 {
				t.Fatalf("apps %+v", rec.FreeAgentApps)
			}
			a := rec.FreeAgentApps[0]
			at(t, r, p.FreeAgentURL, "/apps/"+a.ID)
			if a.PracticeAPI != tc.tick || len(a.RedirectURIs) != 2 || a.Identifier == "" || a.Secret == "" || a.Description != "Demo" {
				t.Fatalf("app %+v", a)
			}
			for i := 0; i < 2; i++ { // visible on every visit
				must(t, r, 200, "<h1>Acme Books Demo</h1>", ">OAuth identifier</dt>", ">OAuth secret</dt>", a.Identifier, a.Secret)
				r = b.get(p.FreeAgentURL + "/apps/" + a.ID)
			}
			must(t, b.get(p.FreeAgentURL+"/apps"), 200, `href="/apps/`+a.ID+`">Acme Books Demo</a>`)
			for _, w := range p.Records().Writes {
				if strings.Contains(w.Detail, a.Secret) || strings.Contains(w.Detail, p.Creds.FreeAgentPassword) {
					t.Fatalf("secret in write %+v", w)
				}
			}
		})
	}
}
