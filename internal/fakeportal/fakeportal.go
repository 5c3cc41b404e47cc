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

	// Wording is the portals' copy: "" or "2023" the wording of the
	// portal-spec's main sections; "2026" the table "Seen in 2025–26"
	// (wording.go), in both renderings.
	Wording string
	// XeroDialogScreens is the shape of the New app dialog: 1 one form, 2
	// two screens joined by "Next". 0: 2 with Wording "2026", else 1.
	XeroDialogScreens int
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
	// CodatEmailCode: after the password, Codat asks for a code it says it
	// emailed (a new sign-in method, Auth0 style). The bot cannot read it.
	CodatEmailCode bool
	// CodatNoRole: the Codat user lacks the Developer or Administrator
	// role: the Accounting integrations page has no Set up / Manage buttons
	// and no switches, only a notice; the settings pages and their API
	// answer 403.
	CodatNoRole bool
	// DriftSeed, when not 0, rewrites visible labels the ways portals do
	// (drift.go), deterministically from the seed; Records.Drift lists what
	// changed.
	DriftSeed int64
	// DriftRate is the chance each label is changed when DriftSeed is set;
	// 0 means DefaultDriftRate.
	DriftRate float64
	// Latency: realistic, seeded answer times of pages and actions (latency.go).
	Latency Latency
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
	drift  *drifter        // nil when DriftSeed is 0; guarded by fmu
	lat    latencyLog

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
	// XeroSubmissions: every New app form the Xero developer portal
	// received ("Next" of a two-screen dialog and "Create app"), accepted or
	// not, with the answers chosen: a wrong choice shows here even when the
	// portal refused the form.
	XeroSubmissions []XeroSubmission
	// CodatEmailCodes: the emailed-code page (fault CodatEmailCode).
	CodatEmailCodes CodatEmailCodes
	// Drift: every label the DriftSeed fault changed, in catalogue order
	// then in order of first use.
	Drift []DriftChange
	// PasswordPosts and CodePosts count the password and two-step code
	// forms posted, by portal, accepted or not: a reused session posts none.
	PasswordPosts, CodePosts map[string]int
}

// XeroSubmission is one New app form post as the Xero portal received it.
type XeroSubmission struct {
	Step string // "next" (screen 1 of two) or "create"
	Name string
	// AI and Security are the answers chosen: "yes", "no" or "" (none).
	AI, Security string
	Terms        bool
	Accepted     bool
	Errors       []string // field keys refused
}

// CodatEmailCodes counts what happened on Codat's emailed-code page.
type CodatEmailCodes struct {
	Sent      int // times the page said a code was emailed
	Submitted int // codes typed and submitted
	Accepted  int // codes accepted (only the emailed one is)
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
	RemovedAt time.Time
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
	// SecretRegenerations counts "Regenerate secret" (wording 2026); each
	// made the secret before it stop working at once.
	SecretRegenerations int
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
	var err error
	if opts.Wording, err = checkWording(opts.Wording); err != nil {
		return nil, err
	}
	if opts.XeroConnectionLimit <= 0 {
		opts.XeroConnectionLimit = 25
		if opts.Wording == Wording2026 {
			opts.XeroConnectionLimit = 5
		}
	}
	switch opts.XeroDialogScreens {
	case 0:
		opts.XeroDialogScreens = 1
		if opts.Wording == Wording2026 {
			opts.XeroDialogScreens = 2
		}
	case 1, 2:
	default:
		return nil, fmt.Errorf("fakeportal: XeroDialogScreens %d (want 1 or 2)", opts.XeroDialogScreens)
	}
	if opts.Faults.DriftRate < 0 || opts.Faults.DriftRate > 1 {
		return nil, fmt.Errorf("fakeportal: DriftRate %v (want 0..1)", opts.Faults.DriftRate)
	}
	if opts.XeroAskQuestions == nil {
		t := true
		opts.XeroAskQuestions = &t
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Variant, err = spaVariant(opts.Variant); err != nil {
		return nil, err
	}
	p := &Portals{opts: opts, fired: map[string]bool{}}
	p.faults = copyFaults(opts.Faults)
	p.drift = newDrifter(p.faults.DriftSeed, p.faults.DriftRate)
	p.primeDriftLocked()
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
// A new DriftSeed or DriftRate starts a new drift (and its records).
func (p *Portals) SetFaults(f Faults) {
	p.fmu.Lock()
	old := p.faults
	p.faults = copyFaults(f)
	p.fired = map[string]bool{}
	if f.DriftSeed != old.DriftSeed || f.DriftRate != old.DriftRate {
		p.drift = newDrifter(f.DriftSeed, f.DriftRate)
		p.primeDriftLocked()
	}
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

// Origins are the origins of the replicas' servers (scheme://127.0.0.1:port),
// the look-alike one included: every origin a browser visiting them can
// store something for.
func (p *Portals) Origins() []string {
	out := make([]string, 0, len(p.servers))
	for _, s := range p.servers {
		out = append(out, s.url)
	}
	return out
}
