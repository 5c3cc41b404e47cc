package fakeportal

import (
	"net/url"
	"testing"
)

// "Trust this device" skips the code at the next sign-in, even after every
// session expired; the records count each password and code post.
func TestTrustedDeviceSkipsTwoStep(t *testing.T) {
	p := StartT(t, Options{XeroTwoStep: true})
	b := newBrowser(t)
	r := b.get(p.XeroDeveloperURL + "/app/manage")
	r = b.post(p.XeroLoginURL+"/identity/user/login?"+r.URL.RawQuery, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/authenticate")
	r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.XeroTOTPSecret)}, "trust": {"on"}})
	at(t, r, p.XeroDeveloperURL, "/app/manage")

	p.ExpireSessions()
	r = xeroSignIn(t, p, b, "/app/manage")
	at(t, r, p.XeroDeveloperURL, "/app/manage")
	rec := p.Records()
	if rec.PasswordPosts["xero"] != 2 || rec.CodePosts["xero"] != 1 || rec.SignIns["xero"] != 2 {
		t.Errorf("password posts %v, code posts %v, sign-ins %v; want 2, 1 (the trusted device skipped the second code), 2",
			rec.PasswordPosts, rec.CodePosts, rec.SignIns)
	}

	// Another browser is not trusted.
	other := newBrowser(t)
	r = other.get(p.XeroDeveloperURL + "/app/manage")
	r = other.post(p.XeroLoginURL+"/identity/user/login?"+r.URL.RawQuery, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/authenticate")
}

// The captcha comes once per browser: a browser signed in to the portal, or
// that solved it, signs in again without it.
func TestCaptchaOncePerBrowser(t *testing.T) {
	for _, portal := range []string{"xero", "codat", "freeagent"} {
		t.Run(portal, func(t *testing.T) {
			p := StartT(t, Options{Faults: Faults{CaptchaOn: portal}})
			b := newBrowser(t)
			r := signInPage(t, p, b, portal)
			must(t, r, 200, "Verify you are human")
			base := r.URL.Scheme + "://" + r.URL.Host
			r = b.post(base+"/challenge/verify", url.Values{"return": {r.URL.RequestURI()}, "robot": {"on"}})
			must(t, r, 200, signInMarks[portal]...)
			switch portal {
			case "xero":
				xeroSignIn(t, p, b, "/app/manage")
			case "codat":
				codatSignIn(t, p, b, "/settings/integrations/accounting")
			case "freeagent":
				faSignIn(t, p, b, "/apps")
			}
			if p.Records().SignIns[portal] != 1 {
				t.Fatalf("sign-ins = %v", p.Records().SignIns)
			}
			p.ExpireSessions()
			r = signInPage(t, p, b, portal)
			must(t, r, 200, signInMarks[portal]...)
			mustNot(t, r, "Verify you are human")
			if n := p.Records().PasswordPosts[portal]; n != 1 {
				t.Errorf("password posts = %d, want 1", n)
			}
		})
	}
}

// A browser signed in before the captcha came does not see it.
func TestCaptchaLetsASignedInBrowserThrough(t *testing.T) {
	p := StartT(t, Options{})
	b := newBrowser(t)
	xeroSignIn(t, p, b, "/app/manage")
	faSignIn(t, p, b, "/apps")
	for _, portal := range []string{"xero", "freeagent"} {
		p.SetFaults(Faults{CaptchaOn: portal})
		var r resp
		if portal == "xero" {
			r = b.get(p.XeroLoginURL + "/identity/user/login")
		} else {
			r = b.get(p.FreeAgentURL + "/users/sign_in")
		}
		mustNot(t, r, "Verify you are human")
	}
}
