package fakeportal

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// state is everything the replicas remember. Guarded by Portals.mu.
type state struct {
	xeroApps   []*XeroApp
	faApps     []*FreeAgentApp
	codat      map[string]*CodatIntegration
	codatOrder []string
	writes     []Write
	failed     map[string]int
	signIns    map[string]int
	foreign    map[string]int
	// passwordPosts, codePosts: sign-in forms posted, by portal (trust.go).
	passwordPosts, codePosts map[string]int

	xeroRefused     int
	xeroLockedUntil time.Time
	xeroTrusted     map[string]bool // trusted-device tokens
	xeroSubs        []XeroSubmission
	xeroDrafts      map[string]xeroDraft // two-screen dialog: screen 1 sent with Next
	emailCodes      CodatEmailCodes
	lastEmailCode   string
	faUnseen        map[string]bool // FreeAgent app ids whose secret the next app page shows (wording 2026)

	codes   map[string]authCode // one-time codes from a sign-in host to its portal
	codatTx map[string]*codatTx // Auth0-style login transactions
}

type authCode struct {
	account string
	expires time.Time
}

type codatTx struct {
	redirectURI string // portal callback
	state       string // portal's state (the return path)
	email       string
	passwordOK  bool
	emailCode   string // fault CodatEmailCode: the code "emailed"
	emailOK     bool
	created     time.Time
}

// xeroDraft is the first screen of a two-screen New app dialog, sent with
// "Next".
type xeroDraft struct {
	name, typ, ai, security string
	created                 time.Time
}

// session is one signed-in (or half signed-in) browser on one server.
type session struct {
	account  string // empty: anonymous
	pending  bool   // Xero: password accepted, two-step due
	returnTo string
	flash    string // FreeAgent: one-time message
	created  time.Time
}

// Codat platform keys.
const (
	KeyXero       = "gbol"
	KeyFreeAgent  = "fbrh"
	KeyQuickBooks = "qhyg"
	KeySage       = "tgff"
)

func (s *state) init() {
	s.codat = map[string]*CodatIntegration{}
	for _, c := range []struct{ key, name string }{
		{KeyXero, "Xero"}, {KeyFreeAgent, "FreeAgent"},
		{KeyQuickBooks, "QuickBooks Online"}, {KeySage, "Sage Business Cloud"},
	} {
		s.codat[c.key] = &CodatIntegration{Key: c.key, Name: c.name}
		s.codatOrder = append(s.codatOrder, c.key)
	}
	s.failed = map[string]int{}
	s.signIns = map[string]int{}
	s.foreign = map[string]int{}
	s.passwordPosts, s.codePosts = map[string]int{}, map[string]int{}
	s.xeroTrusted = map[string]bool{}
	s.xeroDrafts = map[string]xeroDraft{}
	s.faUnseen = map[string]bool{}
	s.codes = map[string]authCode{}
	s.codatTx = map[string]*codatTx{}
}

// logWrite appends a write; detail must not hold a secret. Needs p.mu.
func (p *Portals) logWrite(portal, action, detail string) {
	p.st.writes = append(p.st.writes, Write{Portal: portal, Action: action, Detail: detail, At: time.Now()})
}

// Records returns a deep copy of the state.
func (p *Portals) Records() Records {
	drift := p.driftList()
	p.mu.Lock()
	defer p.mu.Unlock()
	r := Records{
		Drift:              drift,
		CodatEmailCodes:    p.st.emailCodes,
		Codat:              map[string]CodatIntegration{},
		Writes:             append([]Write(nil), p.st.writes...),
		FailedSignIns:      copyCounts(p.st.failed),
		Locked:             map[string]bool{},
		SignIns:            copyCounts(p.st.signIns),
		ForeignSubmissions: copyCounts(p.st.foreign),
		PasswordPosts:      copyCounts(p.st.passwordPosts),
		CodePosts:          copyCounts(p.st.codePosts),
	}
	for _, a := range p.st.xeroApps {
		r.XeroApps = append(r.XeroApps, copyXeroApp(a))
	}
	for _, s := range p.st.xeroSubs {
		s.Errors = append([]string(nil), s.Errors...)
		r.XeroSubmissions = append(r.XeroSubmissions, s)
	}
	for _, a := range p.st.faApps {
		c := *a
		c.RedirectURIs = append([]string(nil), a.RedirectURIs...)
		r.FreeAgentApps = append(r.FreeAgentApps, c)
	}
	for k, v := range p.st.codat {
		r.Codat[k] = *v
	}
	if time.Now().Before(p.st.xeroLockedUntil) {
		r.Locked["xero"] = true
	}
	return r
}

func copyCounts(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func copyXeroApp(a *XeroApp) XeroApp {
	c := *a
	c.RedirectURIs = append([]string(nil), a.RedirectURIs...)
	c.Secrets = append([]XeroSecret(nil), a.Secrets...)
	if a.AITraining != nil {
		v := *a.AITraining
		c.AITraining = &v
	}
	return c
}

// AddXeroApp seeds an existing app for the demo Xero account (not recorded
// in Writes).
func (p *Portals) AddXeroApp(name string) XeroApp {
	p.mu.Lock()
	defer p.mu.Unlock()
	no := false
	a := &XeroApp{
		ID: p.uuid(), Name: name, IntegrationType: "Web app",
		CompanyURL:   "https://example.com",
		ClientID:     p.clientID(),
		RedirectURIs: []string{"https://xero.codat.io/oauth2/callback"},
		AITraining:   &no, SecurityAgreed: true, TermsAccepted: true,
	}
	p.st.xeroApps = append(p.st.xeroApps, a)
	return copyXeroApp(a)
}

// AddFreeAgentApp seeds an existing app for the demo FreeAgent account (not
// recorded in Writes).
func (p *Portals) AddFreeAgentApp(name string) FreeAgentApp {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := &FreeAgentApp{
		ID: fmt.Sprint(len(p.st.faApps) + 1001), Name: name,
		RedirectURIs: []string{"https://freeagent.codat.io/oauth/callback"},
		Identifier:   p.token("fa-identifier", 22), Secret: p.token("fa-secret", 22),
	}
	p.st.faApps = append(p.st.faApps, a)
	c := *a
	c.RedirectURIs = append([]string(nil), a.RedirectURIs...)
	return c
}

func (p *Portals) xeroApp(id string) *XeroApp {
	for _, a := range p.st.xeroApps {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (a *XeroApp) liveSlots() map[int]*XeroSecret {
	m := map[int]*XeroSecret{}
	for i := range a.Secrets {
		if !a.Secrets[i].Removed {
			m[a.Secrets[i].Slot] = &a.Secrets[i]
		}
	}
	return m
}

// random helpers

func randBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// randToken returns n characters of base64url.
func randToken(n int) string {
	return base64.RawURLEncoding.EncodeToString(randBytes(n))[:n]
}

func newClientID() string { return strings.ToUpper(hex.EncodeToString(randBytes(16))) }

// newXeroSecret is 48 characters of base64url.
func newXeroSecret() string { return base64.RawURLEncoding.EncodeToString(randBytes(36)) }

func newUUID() string {
	b := randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func newTOTPSecret() string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(randBytes(20))
}

// validTOTP checks a 6-digit RFC 6238 code (SHA-1, 30 s), ±1 step.
func validTOTP(code, secret string) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	ok, err := totp.ValidateCustom(code, secret, time.Now().UTC(), totp.ValidateOpts{
		Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
	})
	return err == nil && ok
}
