package fakeportal

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// signInPage returns the sign-in URL of a portal (reached as a person does).
func signInPage(t *testing.T, p *Portals, b *browser, portal string) resp {
	t.Helper()
	switch portal {
	case "xero":
		return b.get(p.XeroDeveloperURL + "/app/manage")
	case "codat":
		return b.get(p.CodatURL + "/settings/integrations/accounting")
	default:
		return b.get(p.FreeAgentURL + "/apps")
	}
}

var signInMarks = map[string][]string{
	"xero":      {`data-automationid="Username--input"`, ">Email address</label>", ">Password</label>", ">Log in</button>"},
	"codat":     {">Email address</label>", ">Continue</button>"},
	"freeagent": {">Email</label>", ">Password</label>", ">Sign in</button>"},
}

func TestFaultDelay(t *testing.T) {
	p := StartT(t, Options{Faults: Faults{Delay: 120 * time.Millisecond}})
	b := newBrowser(t)
	start := time.Now()
	must(t, b.get(p.FreeAgentURL+"/users/sign_in"), 200)
	if el := time.Since(start); el < 120*time.Millisecond {
		t.Fatalf("took %v", el)
	}
	p.SetFaults(Faults{})
	start = time.Now()
	must(t, b.get(p.FreeAgentURL+"/users/sign_in"), 200)
	if el := time.Since(start); el >= 120*time.Millisecond {
		t.Fatalf("still slow: %v", el)
	}
}

func TestFaultFail500Once(t *testing.T) {
	p := StartT(t, Options{Faults: Faults{Fail500Once: []string{"/app/manage", "/apps/new"}}})
	b := newBrowser(t)
	must(t, b.get(p.XeroDeveloperURL+"/app/manage"), 500, "Something went wrong")
	r := xeroSignIn(t, p, b, "/app/manage")
	at(t, r, p.XeroDeveloperURL, "/app/manage")
	must(t, r, 200, "<h1>My Apps</h1>")
	must(t, b.get(p.XeroDeveloperURL+"/app/manage"), 200)

	faSignIn(t, p, b, "/apps")
	must(t, b.get(p.FreeAgentURL+"/apps/new"), 500)
	must(t, b.get(p.FreeAgentURL+"/apps/new"), 200, ">Create App</button>")
	// SetFaults re-arms.
	p.SetFaults(Faults{Fail500Once: []string{"/apps/new"}})
	must(t, b.get(p.FreeAgentURL+"/apps/new"), 500)
}

func TestFaultExpireSession(t *testing.T) {
	t.Run("xero", func(t *testing.T) {
		p := StartT(t, Options{XeroTwoStep: true})
		app := p.AddXeroApp("Acme Books Demo")
		path := "/app/manage/app/" + app.ID + "/configuration"
		p.SetFaults(Faults{ExpireSessionOn: []string{path}})
		b := newBrowser(t)
		at(t, xeroSignIn(t, p, b, "/app/manage"), p.XeroDeveloperURL, "/app/manage")
		// Expired: back to sign-in (password and code again), then the same page.
		r := xeroSignIn(t, p, b, path)
		at(t, r, p.XeroDeveloperURL, path)
		must(t, r, 200, ">Generate a secret<")
		must(t, b.get(p.XeroDeveloperURL+path), 200) // only once
		if n := p.Records().SignIns["xero"]; n != 2 {
			t.Fatalf("sign-ins %d", n)
		}
	})
	t.Run("codat api", func(t *testing.T) {
		p := StartT(t, Options{})
		b := newBrowser(t)
		codatSignIn(t, p, b, "/settings/integrations/accounting")
		p.SetFaults(Faults{ExpireSessionOn: []string{"/api/integrations/gbol/settings"}})
		r := b.postJSON(p.CodatURL+"/api/integrations/gbol/settings", map[string]string{"clientId": "A", "clientSecret": "B"})
		if r.Status != 401 {
			t.Fatalf("status %d", r.Status)
		}
		// The page reloads and signs in again.
		r = codatSignIn(t, p, b, "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
		at(t, r, p.CodatURL, "/settings/integrations/accounting/manage/gbol")
		if r := b.postJSON(p.CodatURL+"/api/integrations/gbol/settings", map[string]string{"clientId": "A", "clientSecret": "B"}); r.Status != 200 {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("ExpireSessions", func(t *testing.T) {
		p := StartT(t, Options{})
		b := newBrowser(t)
		faSignIn(t, p, b, "/apps")
		must(t, b.get(p.FreeAgentURL+"/apps"), 200, "<h1>My Apps</h1>")
		p.ExpireSessions()
		r := faSignIn(t, p, b, "/apps/new")
		at(t, r, p.FreeAgentURL, "/apps/new")
	})
}

func TestFaultCaptcha(t *testing.T) {
	for _, portal := range []string{"xero", "codat", "freeagent"} {
		t.Run(portal, func(t *testing.T) {
			p := StartT(t, Options{Faults: Faults{CaptchaOn: portal}})
			b := newBrowser(t)
			r := signInPage(t, p, b, portal)
			must(t, r, 200, "<h1>Verify you are human</h1>", " I'm not a robot</label>")
			mustNot(t, r, "Email")
			// Verify without ticking: still the captcha.
			ret := r.URL.RequestURI()
			base := r.URL.Scheme + "://" + r.URL.Host
			r = b.post(base+"/challenge/verify", url.Values{"return": {ret}})
			must(t, r, 200, "Verify you are human", "Please tick the box")
			// A person ticks the box: the form comes.
			r = b.post(base+"/challenge/verify", url.Values{"return": {ret}, "robot": {"on"}})
			must(t, r, 200, signInMarks[portal]...)
		})
	}
}

func TestFaultForeignRedirect(t *testing.T) {
	for _, portal := range []string{"xero", "codat", "freeagent"} {
		t.Run(portal, func(t *testing.T) {
			p := StartT(t, Options{Faults: Faults{ForeignRedirectOn: portal}})
			b := newBrowser(t)
			r := signInPage(t, p, b, portal)
			if got := r.URL.Scheme + "://" + r.URL.Host; got != p.ForeignURL {
				t.Fatalf("landed on %s, want the foreign host %s", r.URL, p.ForeignURL)
			}
			must(t, r, 200, signInMarks[portal]...)
			form := url.Values{"Username": {"x@example.com"}, "Password": {"x"}, "username": {"x@example.com"}, "password": {"x"},
				"user[email]": {"x@example.com"}, "user[password]": {"x"}}
			if portal == "codat" {
				r = b.post(r.URL.String(), form) // identifier, then password
			}
			b.post(r.URL.String(), form)
			rec := p.Records()
			if rec.ForeignSubmissions[portal] != 1 || rec.SignIns[portal] != 0 {
				t.Fatalf("foreign %v sign-ins %v", rec.ForeignSubmissions, rec.SignIns)
			}
		})
	}
}

func TestFaultRenameRemove(t *testing.T) {
	p := StartT(t, Options{Faults: Faults{
		Rename: map[string]string{"Generate a secret": "Create a secret", "Log in": "Sign in now", "Enable Xero": "Turn on Xero", "Create App": "Register App"},
		Remove: []string{"Show client id", "Later"},
	}})
	app := p.AddXeroApp("Acme Books Demo")
	b := newBrowser(t)
	r := b.get(p.XeroDeveloperURL + "/app/manage/app/" + app.ID + "/configuration")
	must(t, r, 200, ">Sign in now</button>")
	mustNot(t, r, ">Log in</button>")
	r = xeroSignIn(t, p, b, "/app/manage/app/"+app.ID+"/configuration")
	must(t, r, 200, ">Create a secret</button>", "Copy client id")
	mustNot(t, r, "Generate a secret", `aria-label="Show client id"`)

	r = codatSignIn(t, p, b, "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
	must(t, r, 200, `aria-label="Turn on Xero"`, ">Turn on Xero</h2>", ">Enable</button>")
	mustNot(t, r, "Enable Xero", ">Later</button>")

	faSignIn(t, p, b, "/apps")
	r = b.get(p.FreeAgentURL + "/apps/new")
	must(t, r, 200, ">Register App</button>")

	// Changed at run time.
	p.SetFaults(Faults{Remove: []string{"Create App"}})
	r = b.get(p.FreeAgentURL + "/apps/new")
	mustNot(t, r, "Register App", ">Create App<")
	p.SetFaults(Faults{})
	must(t, b.get(p.FreeAgentURL+"/apps/new"), 200, ">Create App</button>")
}

func TestFaultLayoutShift(t *testing.T) {
	p := StartT(t, Options{})
	b := newBrowser(t)
	mustNot(t, b.get(p.FreeAgentURL+"/users/sign_in"), "b.className='shift-banner'")
	p.SetFaults(Faults{LayoutShift: true})
	for _, u := range []string{p.FreeAgentURL + "/users/sign_in", p.XeroDeveloperURL + "/app/manage", p.CodatURL + "/"} {
		must(t, b.get(u), 200, "b.className='shift-banner'", "}, 300);")
	}
}

func TestRecordsAreCopies(t *testing.T) {
	p := StartT(t, Options{})
	p.AddXeroApp("One")
	r := p.Records()
	r.XeroApps[0].Name = "changed"
	r.XeroApps[0].RedirectURIs[0] = "changed"
	*r.XeroApps[0].AITraining = true
	r.Codat[KeyXero] = CodatIntegration{Enabled: true}
	r2 := p.Records()
	if r2.XeroApps[0].Name != "One" || r2.XeroApps[0].RedirectURIs[0] == "changed" || *r2.XeroApps[0].AITraining || r2.Codat[KeyXero].Enabled {
		t.Fatalf("records share state: %+v", r2)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			p.AddXeroApp(fmt.Sprint("app", i))
			_ = p.Records()
			p.SetFaults(Faults{Delay: time.Duration(i)})
		}(i)
	}
	wg.Wait()
	if n := len(p.Records().XeroApps); n != 9 {
		t.Fatalf("apps %d", n)
	}
}

func TestNoSecretsInLogsOrWrites(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	p := StartT(t, Options{XeroTwoStep: true, CodatTwoStep: true, Logf: func(f string, a ...any) {
		mu.Lock()
		lines = append(lines, fmt.Sprintf(f, a...))
		mu.Unlock()
	}})
	b := newBrowser(t)
	xeroSignIn(t, p, b, "/app/manage")
	r := b.post(p.XeroDeveloperURL+"/app/manage/app", newAppForm("Acme Books Demo"))
	id := reAppID.FindStringSubmatch(r.URL.Path)[1]
	sec := b.postJSON(p.XeroDeveloperURL+"/app/manage/api/apps/"+id+"/secrets", nil).JSON["value"].(string)
	codatSignIn(t, p, b, "/settings/integrations/accounting")
	b.postJSON(p.CodatURL+"/api/integrations/gbol/settings", map[string]string{"clientId": "CID", "clientSecret": sec})
	faSignIn(t, p, b, "/apps")
	b.post(p.FreeAgentURL+"/users/sign_in", url.Values{"user[email]": {"a@b.c"}, "user[password]": {"hunter2-secret"}})

	secrets := []string{sec, "hunter2-secret", p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.FreeAgentPassword,
		p.Creds.XeroTOTPSecret, p.Creds.CodatTOTPSecret}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) == 0 {
		t.Fatal("no log")
	}
	all := strings.Join(lines, "\n")
	for _, w := range p.Records().Writes {
		all += "\n" + w.Detail
	}
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Fatalf("secret %q... in logs or writes", s[:3])
		}
	}
}

func TestOriginCheck(t *testing.T) {
	p := StartT(t, Options{})
	b := newBrowser(t)
	req := url.Values{"user[email]": {p.Creds.FreeAgentEmail}, "user[password]": {p.Creds.FreeAgentPassword}}
	r, _ := newRequest("POST", p.FreeAgentURL+"/users/sign_in", req)
	r.Header.Set("Origin", p.ForeignURL)
	if got := b.do(r); got.Status != 403 {
		t.Fatalf("cross-origin post: %d", got.Status)
	}
}

func TestFaultExpireSessionNotUsedUpBeforeSignIn(t *testing.T) {
	p := StartT(t, Options{Faults: Faults{ExpireSessionOn: []string{"/apps"}}})
	b := newBrowser(t)
	r := faSignIn(t, p, b, "/apps") // the anonymous request does not fire it
	at(t, r, p.FreeAgentURL, "/users/sign_in")
	r = b.post(p.FreeAgentURL+"/users/sign_in", url.Values{"user[email]": {p.Creds.FreeAgentEmail}, "user[password]": {p.Creds.FreeAgentPassword}})
	at(t, r, p.FreeAgentURL, "/apps")
	if n := p.Records().SignIns["freeagent"]; n != 2 {
		t.Fatalf("sign-ins %d", n)
	}
	must(t, b.get(p.FreeAgentURL+"/apps"), 200, "<h1>My Apps</h1>")
}
