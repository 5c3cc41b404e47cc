// Package fakeportal serves local replicas of the three portals the bot
// drives: Xero (identity + developer portal), Codat (Auth0-style sign-in +
// portal) and the FreeAgent developer dashboard, plus a "foreign" look-alike
// host used by the foreign-redirect fault. Every host is its own HTTP server
// on its own port, so origins are real. The replicas are stateful and record
// every write, so tests assert the end state from here.
//
// All visible labels of every page go through one function (see labels.go),
// which is where the Rename and Remove faults act.
package fakeportal

import (
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Options configures the replicas.
type Options struct {
	Faults Faults
	// XeroConnectionLimit is the N of the "N max connections" label on each
	// uncertified app card. Default 25.
	XeroConnectionLimit int
	// XeroAskQuestions: the two yes/no questions in the New app dialog.
	// Default (nil) true.
	XeroAskQuestions *bool
	// XeroTwoStep: the Xero demo account requires a TOTP code after the
	// password.
	XeroTwoStep bool
	// CodatTwoStep: the same for Codat (Auth0 MFA page).
	CodatTwoStep bool
	// FreeAgentPracticePreTicked renders "Enable Accountancy Practice API"
	// already ticked.
	FreeAgentPracticePreTicked bool
	// Logf is an optional request log (method, host, path, status; never a
	// query value, form value or secret).
	Logf func(format string, args ...any)

	// Host is the address to listen on; default 127.0.0.1.
	Host string
	// Ports optionally fixes the ports, in this order: Xero login, Xero
	// developer, Codat portal, Codat login, FreeAgent, foreign. Missing or 0
	// entries pick a free port.
	Ports []int

	// Variant is the rendering: "" or "classic" server HTML; "spa" the same
	// pages drawn by JavaScript with a DOM of their own (spa.go).
	Variant string

	// Deterministic gives the ids, secrets and dates the pages show fixed
	// values (deterministic.go), so two runs draw identical pages: for
	// screenshots compared byte for byte.
	Deterministic bool
}

// Faults are the fault modes. They can be changed at run time (SetFaults).
type Faults struct {
	Delay time.Duration // added to every request
	// Fail500Once: URL paths (exact match); the first request to each, on
	// any server, gets HTTP 500.
	Fail500Once []string
	// ExpireSessionOn: URL paths; the first signed-in request to each
	// drops the sessions of that portal (all its hosts: sign-in host too)
	// so the request goes back to sign-in, which then returns to the same
	// page. Requests made before signing in do not use it up. A fetch
	// (API) path answers 401 and the page reloads into the sign-in.
	ExpireSessionOn []string
	// CaptchaOn: "xero" | "codat" | "freeagent": its sign-in page shows a
	// captcha page instead of the form.
	CaptchaOn string
	// ForeignRedirectOn: "xero" | "codat" | "freeagent": its sign-in page
	// redirects (302) to the foreign server, which serves a look-alike form.
	ForeignRedirectOn string
	// Rename maps a visible label to a new one, applied to visible text and
	// accessible names everywhere.
	Rename map[string]string
	// Remove lists visible labels whose element is not rendered at all.
	Remove []string
	// LayoutShift: pages insert an ~80px banner at the top ~300ms after load.
	LayoutShift bool
}

// Creds are the demo accounts of the replicas.
type Creds struct {
	XeroEmail, XeroPassword, XeroTOTPSecret    string
	CodatEmail, CodatPassword, CodatTOTPSecret string
	FreeAgentEmail, FreeAgentPassword          string
}

// Portals is a running set of replicas.
type Portals struct {
	// Base URLs "http://127.0.0.1:PORT", no trailing slash.
	XeroLoginURL, XeroDeveloperURL, CodatURL, CodatLoginURL, FreeAgentURL, ForeignURL string
	Creds                                                                             Creds

	opts Options
	tmpl *template.Template

	fmu    sync.RWMutex
	faults Faults
	fired  map[string]bool // "500 "+path, "exp "+path

	detOnce sync.Once
	detSrc  *deterministic

	mu      sync.Mutex
	servers []*server
	st      state
	closed  bool
	wg      sync.WaitGroup
}

// Records is a snapshot of the replicas' state.
type Records struct {
	XeroApps      []XeroApp
	FreeAgentApps []FreeAgentApp
	// Codat by platform key: "gbol" Xero, "fbrh" FreeAgent, "qhyg"
	// QuickBooks Online, "tgff" Sage Business Cloud.
	Codat  map[string]CodatIntegration
	Writes []Write // chronological log of every state change
	// FailedSignIns by portal "xero" | "codat" | "freeagent" (refused
	// passwords and refused two-step codes).
	FailedSignIns map[string]int
	// Locked by portal ("xero"): the demo account is locked.
	Locked map[string]bool
	// SignIns counts completed sign-ins by portal.
	SignIns map[string]int
	// ForeignSubmissions counts forms posted to the foreign look-alike, by
	// the portal it imitates. The values posted are not kept.
	ForeignSubmissions map[string]int
}

// XeroApp is an app in the Xero developer portal.
type XeroApp struct {
	ID, Name, IntegrationType, CompanyURL, PrivacyURL, TermsURL, ClientID string
	RedirectURIs                                                          []string
	AITraining                                                            *bool
	SecurityAgreed                                                        bool
	TermsAccepted                                                         bool
	Secrets                                                               []XeroSecret
}

// XeroSecret is one client secret of a Xero app.
type XeroSecret struct {
	Slot      int
	Value     string
	CreatedAt time.Time
	Removed   bool
}

// LiveSecrets returns the values of the secrets not removed.
func (a XeroApp) LiveSecrets() []string {
	var out []string
	for _, s := range a.Secrets {
		if !s.Removed {
			out = append(out, s.Value)
		}
	}
	return out
}

// FreeAgentApp is an app in the FreeAgent developer dashboard.
type FreeAgentApp struct {
	ID, Name, Description, HomepageURL string
	RedirectURIs                       []string
	PracticeAPI                        bool
	Identifier, Secret                 string
}

// CodatIntegration is one accounting integration in the Codat portal.
type CodatIntegration struct {
	Key, Name, ClientID, ClientSecret string
	Configured, Enabled               bool
	Saves                             int
}

// Write is one state change. Detail never holds a secret.
type Write struct {
	Portal, Action, Detail string
	At                     time.Time
}

// Server indexes (also the order of Options.Ports).
const (
	srvXeroLogin = iota
	srvXeroDev
	srvCodat
	srvCodatLogin
	srvFreeAgent
	srvForeign
	numServers
)

type server struct {
	name   string // for logs
	portal string // "xero" | "codat" | "freeagent" | "foreign"
	cookie string
	url    string
	ln     net.Listener
	srv    *http.Server
	sess   map[string]*session // guarded by Portals.mu
}

// Start starts every replica on its own port.
func Start(opts Options) (*Portals, error) {
	if opts.XeroConnectionLimit <= 0 {
		opts.XeroConnectionLimit = 25
	}
	if opts.XeroAskQuestions == nil {
		t := true
		opts.XeroAskQuestions = &t
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	var err error
	if opts.Variant, err = spaVariant(opts.Variant); err != nil {
		return nil, err
	}
	p := &Portals{opts: opts, fired: map[string]bool{}}
	p.faults = copyFaults(opts.Faults)
	p.Creds = Creds{
		XeroEmail:         "demo@acme-books.example",
		XeroPassword:      "Xp-" + randToken(12),
		XeroTOTPSecret:    newTOTPSecret(),
		CodatEmail:        "demo@acme-books.example",
		CodatPassword:     "Cp-" + randToken(12),
		CodatTOTPSecret:   newTOTPSecret(),
		FreeAgentEmail:    "demo@acme-books.example",
		FreeAgentPassword: "Fp-" + randToken(12),
	}
	p.st.init()
	tmpl, err := parseTemplates(p)
	if err != nil {
		return nil, err
	}
	p.tmpl = tmpl

	defs := [numServers]struct{ name, portal, cookie string }{
		srvXeroLogin:  {"xero-login", "xero", "xid_session"},
		srvXeroDev:    {"xero-developer", "xero", "xdev_session"},
		srvCodat:      {"codat", "codat", "codat_session"},
		srvCodatLogin: {"codat-login", "codat", "codat_auth"},
		srvFreeAgent:  {"freeagent", "freeagent", "fa_session"},
		srvForeign:    {"foreign", "foreign", "foreign_session"},
	}
	for i, d := range defs {
		port := 0
		if i < len(opts.Ports) {
			port = opts.Ports[i]
		}
		ln, err := net.Listen("tcp", net.JoinHostPort(opts.Host, strconv.Itoa(port)))
		if err != nil {
			for _, s := range p.servers {
				_ = s.ln.Close()
			}
			return nil, fmt.Errorf("fakeportal: listen for %s: %w", d.name, err)
		}
		p.servers = append(p.servers, &server{
			name: d.name, portal: d.portal, cookie: d.cookie, ln: ln,
			url:  "http://" + ln.Addr().String(),
			sess: map[string]*session{},
		})
	}
	p.XeroLoginURL = p.servers[srvXeroLogin].url
	p.XeroDeveloperURL = p.servers[srvXeroDev].url
	p.CodatURL = p.servers[srvCodat].url
	p.CodatLoginURL = p.servers[srvCodatLogin].url
	p.FreeAgentURL = p.servers[srvFreeAgent].url
	p.ForeignURL = p.servers[srvForeign].url

	handlers := [numServers]http.Handler{
		srvXeroLogin:  p.xeroLoginMux(),
		srvXeroDev:    p.xeroDevMux(),
		srvCodat:      p.codatMux(),
		srvCodatLogin: p.codatLoginMux(),
		srvFreeAgent:  p.freeAgentMux(),
		srvForeign:    p.foreignMux(),
	}
	if opts.Variant == VariantSPA {
		for i, s := range p.servers {
			handlers[i] = p.spaHandler(s, handlers[i])
		}
	}
	for i, s := range p.servers {
		s.srv = &http.Server{Handler: p.wrap(s, handlers[i]), ReadHeaderTimeout: 10 * time.Second}
		p.wg.Add(1)
		go func(s *server) {
			defer p.wg.Done()
			if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) && p.opts.Logf != nil {
				p.opts.Logf("fakeportal: %s: %v", s.name, err)
			}
		}(s)
	}
	return p, nil
}

// StartT starts the replicas for a test and closes them at its end.
func StartT(t testing.TB, opts Options) *Portals {
	t.Helper()
	p, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// Close stops every server.
func (p *Portals) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	p.mu.Unlock()
	for _, s := range p.servers {
		_ = s.srv.Close() // Close ends the listener; its error says it was closed already
	}
	p.wg.Wait()
}

// SetFaults replaces the fault modes. Paths of Fail500Once and
// ExpireSessionOn fire again once each.
func (p *Portals) SetFaults(f Faults) {
	p.fmu.Lock()
	p.faults = copyFaults(f)
	p.fired = map[string]bool{}
	p.fmu.Unlock()
}

// Faults returns the current fault modes.
func (p *Portals) Faults() Faults {
	p.fmu.RLock()
	defer p.fmu.RUnlock()
	return copyFaults(p.faults)
}

// ExpireSessions drops every session on every server.
func (p *Portals) ExpireSessions() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range p.servers {
		s.sess = map[string]*session{}
	}
}

func (p *Portals) expirePortalLocked(portal string) {
	for _, s := range p.servers {
		if s.portal == portal {
			s.sess = map[string]*session{}
		}
	}
}

func copyFaults(f Faults) Faults {
	out := f
	out.Fail500Once = append([]string(nil), f.Fail500Once...)
	out.ExpireSessionOn = append([]string(nil), f.ExpireSessionOn...)
	out.Remove = append([]string(nil), f.Remove...)
	if f.Rename != nil {
		out.Rename = make(map[string]string, len(f.Rename))
		for k, v := range f.Rename {
			out.Rename[k] = v
		}
	}
	return out
}
