package fakeportal

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestXeroSignIn(t *testing.T) {
	tests := []struct {
		name     string
		twoStep  bool
		password func(p *Portals) string
		code     func(t *testing.T, p *Portals) string
		wantPath string // on the developer host, or "" to stay on identity
		alert    string
	}{
		{name: "password", password: func(p *Portals) string { return p.Creds.XeroPassword }, wantPath: "/app/manage"},
		{name: "wrong password", password: func(*Portals) string { return "nope" }, alert: msgXeroWrongPassword},
		{name: "two-step", twoStep: true, password: func(p *Portals) string { return p.Creds.XeroPassword },
			code: func(t *testing.T, p *Portals) string { return code(t, p.Creds.XeroTOTPSecret) }, wantPath: "/app/manage"},
		{name: "two-step wrong code", twoStep: true, password: func(p *Portals) string { return p.Creds.XeroPassword },
			code: func(*testing.T, *Portals) string { return "000000" }, alert: msgXeroWrongCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := StartT(t, Options{XeroTwoStep: tc.twoStep})
			b := newBrowser(t)
			r := b.get(p.XeroDeveloperURL + "/app/manage")
			at(t, r, p.XeroLoginURL, "/identity/user/login")
			ret := r.URL.Query().Get("ReturnUrl")
			if !strings.HasPrefix(ret, p.XeroDeveloperURL+"/") || !strings.Contains(ret, url.QueryEscape("/app/manage")) {
				t.Fatalf("ReturnUrl %q", ret)
			}
			// Email-first: the password step is in the page but hidden.
			must(t, r, 200, `data-automationid="Username--input"`, `data-automationid="PassWord--input"`,
				`data-automationid="LoginSubmit--button"`, `id="xl-password-step" hidden`, ">Log in to Xero<", ">Email address<", ">Password<")
			action := r.URL.String()
			// Email step by a server round trip: password now visible.
			r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}})
			must(t, r, 200, `id="xl-password-step">`, `value="`+p.Creds.XeroEmail+`"`)
			r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {tc.password(p)}})
			if tc.twoStep && tc.password(p) == p.Creds.XeroPassword {
				at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/authenticate")
				must(t, r, 200, `data-automationid="auth-onetimepassword--input"`, `data-automationid="auth-remembermecheckbox--input"`,
					`data-automationid="auth-submitcodebutton"`, ">Confirm<", ">Use another authentication method<", "Trust this device</label>", ">Authentication code<")
				r = b.post(r.URL.String(), url.Values{"code": {tc.code(t, p)}})
			}
			rec := p.Records()
			if tc.wantPath != "" {
				at(t, r, p.XeroDeveloperURL, tc.wantPath)
				must(t, r, 200, "<h1>My Apps</h1>", ">New app<")
				if rec.SignIns["xero"] != 1 || rec.FailedSignIns["xero"] != 0 {
					t.Fatalf("sign-ins %v failed %v", rec.SignIns, rec.FailedSignIns)
				}
				// Signed in: the page no longer redirects.
				at(t, b.get(p.XeroDeveloperURL+"/app/manage"), p.XeroDeveloperURL, "/app/manage")
				return
			}
			must(t, r, 200, `role="alert"`, tc.alert)
			if r.URL.Host != strings.TrimPrefix(p.XeroLoginURL, "http://") {
				t.Fatalf("left the identity host: %s", r.URL)
			}
			if rec.FailedSignIns["xero"] != 1 || rec.SignIns["xero"] != 0 {
				t.Fatalf("sign-ins %v failed %v", rec.SignIns, rec.FailedSignIns)
			}
		})
	}
}

func TestXeroLockAfterSix(t *testing.T) {
	p := StartT(t, Options{})
	b := newBrowser(t)
	r := b.get(p.XeroDeveloperURL + "/app/manage")
	action := r.URL.String()
	for i := 1; i <= 6; i++ {
		r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {fmt.Sprint("wrong", i)}})
		want := msgXeroWrongPassword
		if i == 6 {
			want = msgXeroLocked
		}
		must(t, r, 200, want)
	}
	rec := p.Records()
	if !rec.Locked["xero"] || rec.FailedSignIns["xero"] != 6 {
		t.Fatalf("locked %v failed %v", rec.Locked, rec.FailedSignIns)
	}
	// Even the right password is refused now.
	r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	must(t, r, 200, msgXeroLocked)
	at(t, r, p.XeroLoginURL, "/identity/user/login")
	if p.Records().SignIns["xero"] != 0 {
		t.Fatal("signed in while locked")
	}
}

var reAppID = regexp.MustCompile(`/app/manage/app/([0-9a-f-]{36})`)

func TestXeroCreateApp(t *testing.T) {
	tests := []struct {
		name    string
		ask     bool
		edit    func(url.Values)
		wantErr string
	}{
		{name: "ok", ask: true, edit: func(url.Values) {}},
		{name: "ok without questions", ask: false, edit: func(v url.Values) { v.Del("ai_training"); v.Del("security") }},
		{name: "name with Xero", ask: true, edit: func(v url.Values) { v.Set("name", "My xero app") }, wantErr: "App name can't contain the word Xero"},
		{name: "http company URL", ask: true, edit: func(v url.Values) { v.Set("company_url", "http://example.com") }, wantErr: "URL must start with https://"},
		{name: "no terms", ask: true, edit: func(v url.Values) { v.Del("terms") }, wantErr: "You must agree to the terms and conditions"},
		{name: "question unanswered", ask: true, edit: func(v url.Values) { v.Del("ai_training") }, wantErr: "Select yes or no"},
		{name: "empty name", ask: true, edit: func(v url.Values) { v.Set("name", " ") }, wantErr: "Enter an app name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ask := tc.ask
			p := StartT(t, Options{XeroAskQuestions: &ask})
			b := newBrowser(t)
			r := xeroSignIn(t, p, b, "/app/manage")
			must(t, r, 200, `role="dialog"`, `aria-modal="true"`, `aria-labelledby="new-app-title"`, ">Add a new app<",
				">App name<", ">Integration type<", " Web app</label>", " Mobile or desktop app</label>", " Custom connection</label>",
				">Company or application URL<", ">Redirect URI<", "I have read and agree to the Xero Developer Platform Terms & Conditions",
				`id="create-app" disabled`)
			if tc.ask {
				must(t, r, 200, "Will you use Xero data to train an AI model?", "Do you understand and agree to meet Xero's minimum security requirements?")
			} else {
				mustNot(t, r, "Will you use Xero data")
			}
			v := newAppForm("Acme Books Demo")
			tc.edit(v)
			r = b.post(p.XeroDeveloperURL+"/app/manage/app", v)
			if tc.wantErr != "" {
				must(t, r, 422, tc.wantErr, `class="dialog open"`)
				if len(p.Records().XeroApps) != 0 {
					t.Fatal("app created despite error")
				}
				return
			}
			must(t, r, 200, "<h1>Acme Books Demo</h1>", ">App details<", ">Configuration<", ">Webhooks<",
				">Privacy policy URL<", ">Terms and conditions URL<")
			m := reAppID.FindStringSubmatch(r.URL.Path)
			if m == nil {
				t.Fatalf("landed on %s", r.URL)
			}
			rec := p.Records()
			if len(rec.XeroApps) != 1 {
				t.Fatalf("apps %+v", rec.XeroApps)
			}
			a := rec.XeroApps[0]
			if a.ID != m[1] || a.Name != "Acme Books Demo" || a.IntegrationType != "Web app" || !a.TermsAccepted ||
				!regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(a.ClientID) || len(a.RedirectURIs) != 1 {
				t.Fatalf("app %+v", a)
			}
			if tc.ask && (a.AITraining == nil || *a.AITraining || !a.SecurityAgreed) {
				t.Fatalf("answers %+v", a)
			}
			if w := lastWrite(rec); w.Portal != "xero" || w.Action != "app created" {
				t.Fatalf("write %+v", w)
			}
			// My Apps lists it with its limit.
			r = b.get(p.XeroDeveloperURL + "/app/manage")
			must(t, r, 200, `href="/app/manage/app/`+a.ID+`">Acme Books Demo</a>`, "25 max connections")
		})
	}
}

func TestXeroAppDetailsAndSeed(t *testing.T) {
	p := StartT(t, Options{XeroConnectionLimit: 5})
	seeded := p.AddXeroApp("Existing Books")
	b := newBrowser(t)
	r := xeroSignIn(t, p, b, "/app/manage/app/"+seeded.ID)
	at(t, r, p.XeroDeveloperURL, "/app/manage/app/"+seeded.ID)
	must(t, r, 200, "<h1>Existing Books</h1>")
	must(t, b.get(p.XeroDeveloperURL+"/app/manage"), 200, "5 max connections", ">Existing Books</a>")

	bad := url.Values{"name": {"Existing Books"}, "company_url": {"https://example.com"}, "privacy_url": {"http://example.com/privacy"}, "terms_url": {""}}
	r = b.post(p.XeroDeveloperURL+"/app/manage/app/"+seeded.ID, bad)
	must(t, r, 422, "URL must start with https://", `aria-describedby="ad-privacy-error"`)
	mustNot(t, r, msgXeroDetailsSaved)

	good := url.Values{"name": {"Existing Books"}, "company_url": {"https://example.com"},
		"privacy_url": {"https://example.com/privacy"}, "terms_url": {"https://example.com/terms"}}
	r = b.post(p.XeroDeveloperURL+"/app/manage/app/"+seeded.ID, good)
	must(t, r, 200, `role="status"`, msgXeroDetailsSaved, `value="https://example.com/privacy"`)
	a := p.Records().XeroApps[0]
	if a.PrivacyURL != "https://example.com/privacy" || a.TermsURL != "https://example.com/terms" {
		t.Fatalf("app %+v", a)
	}
	if w := lastWrite(p.Records()); w.Action != "app details saved" {
		t.Fatalf("write %+v", w)
	}
	must(t, b.get(p.XeroDeveloperURL+"/app/manage/app/"+seeded.ID+"/webhooks"), 200, "<h2>Webhooks</h2>")
}

func TestXeroConfiguration(t *testing.T) {
	p := StartT(t, Options{})
	app := p.AddXeroApp("Acme Books Demo")
	b := newBrowser(t)
	cfg := p.XeroDeveloperURL + "/app/manage/app/" + app.ID + "/configuration"
	api := p.XeroDeveloperURL + "/app/manage/api/apps/" + app.ID
	r := xeroSignIn(t, p, b, "/app/manage/app/"+app.ID+"/configuration")
	at(t, r, p.XeroDeveloperURL, "/app/manage/app/"+app.ID+"/configuration")
	must(t, r, 200, `<label for="client-id">Client id</label>`, `aria-label="Show client id"`, `aria-label="Copy client id"`,
		">Generate a secret<", ">Redirect URIs<", ">+ Add another redirect URI<", "https://xero.codat.io/oauth2/callback")
	mustNot(t, r, app.ClientID, "Client secret 1")

	// The eye button fetches the client id.
	j := b.get(api + "/client-id").JSON
	if j["clientId"] != app.ClientID {
		t.Fatalf("client id %v", j)
	}

	gen := func(wantSlot int) string {
		t.Helper()
		r := b.postJSON(api+"/secrets", nil)
		if r.Status != 200 || r.JSON["slot"] != float64(wantSlot) {
			t.Fatalf("generate: %d %v", r.Status, r.JSON)
		}
		v, _ := r.JSON["value"].(string)
		if !regexp.MustCompile(`^[A-Za-z0-9_-]{48}$`).MatchString(v) {
			t.Fatalf("secret %q", v)
		}
		html := r.JSON["slotHTML"].(string)
		if !strings.Contains(html, fmt.Sprintf("Client secret %d", wantSlot)) || !strings.Contains(html, `value="`+v+`"`) ||
			!strings.Contains(html, "you won&#39;t be able to see it again") {
			t.Fatalf("slot html %s", html)
		}
		return v
	}
	s1 := gen(1)
	// Reload: value gone, creation date shown, button reads "Generate another secret".
	r = b.get(cfg)
	must(t, r, 200, "Client secret 1", "Created <time", ">Generate another secret<", ">Remove<")
	mustNot(t, r, s1, ">Generate a secret<")
	s2 := gen(2)
	if s1 == s2 {
		t.Fatal("same secret twice")
	}
	r = b.postJSON(api+"/secrets", nil)
	if r.Status != 409 {
		t.Fatalf("third secret: %d", r.Status)
	}
	must(t, b.get(cfg), 200, "Client secret 1", "Client secret 2", "You can have up to two client secrets")
	// Rotation: remove 1, the next goes to slot 1.
	r = b.postJSON(api+"/secrets/1/remove", nil)
	if r.Status != 200 || strings.Contains(r.JSON["slotHTML"].(string), "Client secret") {
		t.Fatalf("remove: %d %v", r.Status, r.JSON)
	}
	a := p.Records().XeroApps[0]
	if live := a.LiveSecrets(); len(live) != 1 || live[0] != s2 {
		t.Fatalf("live %v", live)
	}
	s3 := gen(1)
	if live := p.Records().XeroApps[0].LiveSecrets(); len(live) != 2 || live[1] != s3 {
		t.Fatalf("live %v", live)
	}

	// Redirect URIs.
	r = b.post(cfg, url.Values{"redirect_uri": {"https://xero.codat.io/oauth2/callback", "not a uri"}})
	must(t, r, 422, "Enter a valid redirect URI")
	r = b.post(cfg, url.Values{"redirect_uri": {"https://xero.codat.io/oauth2/callback", "https://example.com/cb", ""}})
	must(t, r, 200, msgXeroConfigSaved, `value="https://example.com/cb"`, "Redirect URI 2")
	mustNot(t, r, s3)
	if got := p.Records().XeroApps[0].RedirectURIs; len(got) != 2 {
		t.Fatalf("uris %v", got)
	}

	var actions []string
	for _, w := range p.Records().Writes {
		actions = append(actions, w.Action)
	}
	want := "secret generated,secret generated,secret removed,secret generated,redirect URIs saved"
	if strings.Join(actions, ",") != want {
		t.Fatalf("writes %v", actions)
	}
}
