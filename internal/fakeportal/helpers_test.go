package fakeportal

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// browser is a cookie-keeping HTTP client that follows redirects.
type browser struct {
	t *testing.T
	c *http.Client
}

type resp struct {
	Status int
	Body   string
	URL    *url.URL // final URL after redirects
	JSON   map[string]any
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, c: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

func (b *browser) do(req *http.Request) resp {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer func() { _ = res.Body.Close() }()
	body, _ := io.ReadAll(res.Body)
	r := resp{Status: res.StatusCode, Body: string(body), URL: res.Request.URL}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &r.JSON); err != nil {
			b.t.Fatalf("%s %s: bad JSON: %v", req.Method, req.URL, err)
		}
	}
	return r
}

func (b *browser) get(u string) resp {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.do(req)
}

func (b *browser) post(u string, v url.Values) resp {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) postJSON(u string, v any) resp {
	b.t.Helper()
	var body io.Reader = http.NoBody
	if v != nil {
		data, _ := json.Marshal(v)
		body = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(http.MethodPost, u, body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	return b.do(req)
}

func must(t *testing.T, r resp, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d\n%s", r.URL, r.Status, status, trunc(r.Body))
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) && !strings.Contains(html.UnescapeString(r.Body), s) {
			t.Fatalf("%s: body lacks %q\n%s", r.URL, s, trunc(r.Body))
		}
	}
}

func mustNot(t *testing.T, r resp, absent ...string) {
	t.Helper()
	for _, s := range absent {
		if strings.Contains(r.Body, s) || strings.Contains(html.UnescapeString(r.Body), s) {
			t.Fatalf("%s: body has %q", r.URL, s)
		}
	}
}

func trunc(s string) string {
	if i, j := strings.Index(s, "<style>"), strings.Index(s, "</style>"); i >= 0 && j > i {
		s = s[:i] + s[j+len("</style>"):]
	}
	if len(s) > 3000 {
		return s[:3000] + "..."
	}
	return s
}

func at(t *testing.T, r resp, base, path string) {
	t.Helper()
	got := r.URL.Scheme + "://" + r.URL.Host + r.URL.Path
	if got != base+path {
		t.Fatalf("landed on %s, want %s%s", r.URL, base, path)
	}
}

func code(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// xeroSignIn signs in from a developer page and returns the landing page.
func xeroSignIn(t *testing.T, p *Portals, b *browser, path string) resp {
	t.Helper()
	r := b.get(p.XeroDeveloperURL + path)
	at(t, r, p.XeroLoginURL, "/identity/user/login")
	action := p.XeroLoginURL + "/identity/user/login?" + r.URL.RawQuery
	r = b.post(action, url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	if strings.HasSuffix(r.URL.Path, "/two-factor/authenticate") {
		r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.XeroTOTPSecret)}})
	}
	return r
}

// codatSignIn signs in from a portal page and returns the landing page.
func codatSignIn(t *testing.T, p *Portals, b *browser, path string) resp {
	t.Helper()
	r := b.get(p.CodatURL + path)
	at(t, r, p.CodatLoginURL, "/u/login/identifier")
	r = b.post(r.URL.String(), url.Values{"username": {p.Creds.CodatEmail}})
	at(t, r, p.CodatLoginURL, "/u/login/password")
	r = b.post(r.URL.String(), url.Values{"password": {p.Creds.CodatPassword}})
	if r.URL.Path == "/u/mfa-otp-challenge" {
		r = b.post(r.URL.String(), url.Values{"code": {code(t, p.Creds.CodatTOTPSecret)}})
	}
	return r
}

func faSignIn(t *testing.T, p *Portals, b *browser, path string) resp {
	t.Helper()
	r := b.get(p.FreeAgentURL + path)
	at(t, r, p.FreeAgentURL, "/users/sign_in")
	return b.post(p.FreeAgentURL+"/users/sign_in", url.Values{"user[email]": {p.Creds.FreeAgentEmail}, "user[password]": {p.Creds.FreeAgentPassword}})
}

func newAppForm(name string) url.Values {
	return url.Values{
		"name": {name}, "integration_type": {"web"}, "company_url": {"https://example.com"},
		"redirect_uri": {"https://xero.codat.io/oauth2/callback"}, "ai_training": {"no"}, "security": {"yes"}, "terms": {"on"},
	}
}

func lastWrite(r Records) Write {
	if len(r.Writes) == 0 {
		return Write{}
	}
	return r.Writes[len(r.Writes)-1]
}

func newRequest(method, u string, v url.Values) (*http.Request, error) {
	req, err := http.NewRequest(method, u, strings.NewReader(v.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req, err
}
