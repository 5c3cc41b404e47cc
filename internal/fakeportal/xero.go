package fakeportal

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---------------------------------------------------------------- identity

type xeroLoginData struct {
	Action       string // form action
	ReturnURL    string
	Email        string
	PasswordStep bool
	EmailError   string
	Alert        string
}

func (p *Portals) xeroLoginMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/identity/user/login", http.StatusFound)
	})
	mux.HandleFunc("/identity/user/login", p.xeroLogin)
	mux.HandleFunc("/identity/user/login/two-factor/authenticate", p.xeroTwoFactor)
	mux.HandleFunc("GET /identity/user/login/two-factor/push", p.xeroPush)
	mux.HandleFunc("GET /identity/user/forgotpassword", func(w http.ResponseWriter, r *http.Request) {
		p.render(w, http.StatusOK, "xero", "Forgot password", "simple", map[string]string{
			"Heading": "Forgot your password?", "Text": "Password reset is not available in this replica.",
		})
	})
	mux.HandleFunc("GET /identity/user/logout", func(w http.ResponseWriter, r *http.Request) {
		p.dropSession(w, p.servers[srvXeroLogin], r)
		http.Redirect(w, r, "/identity/user/login", http.StatusFound)
	})
	mux.HandleFunc("POST /challenge/verify", p.captchaVerify("xero"))
	mux.HandleFunc("/", notFound(p, "xero"))
	return mux
}

// xeroReturnURL accepts only a URL on the developer host.
func (p *Portals) xeroReturnURL(raw string) string {
	if strings.HasPrefix(raw, p.XeroDeveloperURL+"/") {
		return raw
	}
	return p.XeroDeveloperURL + "/signin-oidc?returnTo=" + url.QueryEscape("/app/manage")
}

func (p *Portals) xeroLogin(w http.ResponseWriter, r *http.Request) {
	if p.signInGates(w, r, "xero") {
		return
	}
	s := p.servers[srvXeroLogin]
	ret := p.xeroReturnURL(r.FormValue("ReturnUrl"))
	d := xeroLoginData{Action: "/identity/user/login?ReturnUrl=" + url.QueryEscape(ret), ReturnURL: ret}
	if r.Method != http.MethodPost {
		if ss := p.getSession(s, r); ss != nil && ss.account != "" && !ss.pending {
			// Already signed in at the identity host: single sign-on.
			http.Redirect(w, r, withQuery(ret, "code", p.issueCode(ss.account)), http.StatusFound)
			return
		}
		p.render(w, http.StatusOK, "xero", "Log in | Xero", "xero_login", d)
		return
	}
	d.Email = strings.TrimSpace(r.FormValue("Username"))
	pw := r.FormValue("Password")
	if d.Email == "" {
		d.EmailError = "Enter your email address"
		p.render(w, http.StatusOK, "xero", "Log in | Xero", "xero_login", d)
		return
	}
	d.PasswordStep = true
	if pw == "" {
		// Email step done by a server round trip.
		p.render(w, http.StatusOK, "xero", "Log in | Xero", "xero_login", d)
		return
	}
	p.countPost("xero", postPassword)
	now := time.Now()
	isDemo := strings.EqualFold(d.Email, p.Creds.XeroEmail)
	p.mu.Lock()
	locked := isDemo && now.Before(p.st.xeroLockedUntil)
	ok := isDemo && pw == p.Creds.XeroPassword && !locked
	if !ok {
		p.st.failed["xero"]++
		if locked {
			p.logWrite("xero", "sign-in refused", "account locked")
			d.Alert = msgXeroLocked
		} else {
			p.logWrite("xero", "sign-in refused", "wrong email or password")
			d.Alert = msgXeroWrongPassword
			if isDemo {
				p.st.xeroRefused++
				if p.st.xeroRefused >= 6 {
					p.st.xeroLockedUntil = now.Add(2 * time.Hour)
					p.st.xeroRefused = 0
					p.logWrite("xero", "account locked", "6 refused passwords; locked for 2 hours")
					d.Alert = msgXeroLocked
				}
			}
		}
	} else {
		p.st.xeroRefused = 0
	}
	trusted := false
	if c, err := r.Cookie("xid_trusted"); err == nil {
		trusted = p.st.xeroTrusted[c.Value]
	}
	p.mu.Unlock()
	if !ok {
		p.render(w, http.StatusOK, "xero", "Log in | Xero", "xero_login", d)
		return
	}
	if p.opts.XeroTwoStep && !trusted {
		p.dropSession(w, s, r)
		p.newSession(w, s, &session{account: p.Creds.XeroEmail, pending: true, returnTo: ret})
		step := "/identity/user/login/two-factor/authenticate"
		if p.w26() {
			// Accounts on the Xero Verify app see the push screen first.
			step = "/identity/user/login/two-factor/push"
		}
		http.Redirect(w, r, step+"?returnUrl="+url.QueryEscape(ret), http.StatusFound)
		return
	}
	p.xeroComplete(w, r, nil, ret)
}

// xeroComplete marks the identity session signed in and goes back to the
// developer portal with a one-time code.
func (p *Portals) xeroComplete(w http.ResponseWriter, r *http.Request, ss *session, ret string) {
	s := p.servers[srvXeroLogin]
	if ss != nil {
		p.mu.Lock()
		ss.pending = false
		p.mu.Unlock()
	} else {
		p.dropSession(w, s, r)
		p.newSession(w, s, &session{account: p.Creds.XeroEmail})
	}
	p.mu.Lock()
	p.st.signIns["xero"]++
	p.mu.Unlock()
	http.Redirect(w, r, withQuery(ret, "code", p.issueCode(p.Creds.XeroEmail)), http.StatusFound)
}

type xeroTwoFactorData struct {
	Action string
	Alert  string
}

type xeroPushData struct {
	Backup string // the code page
}

// xeroPush is the Xero Verify push-notification screen (wording 2026): it
// waits for an approval that never comes here; "Use a backup method
// instead" leads to the code page.
func (p *Portals) xeroPush(w http.ResponseWriter, r *http.Request) {
	ss := p.getSession(p.servers[srvXeroLogin], r)
	ret := p.xeroReturnURL(r.FormValue("returnUrl"))
	if ss == nil || !ss.pending {
		http.Redirect(w, r, "/identity/user/login?ReturnUrl="+url.QueryEscape(ret), http.StatusFound)
		return
	}
	p.render(w, http.StatusOK, "xero", "Check your Xero Verify app | Xero", "xero_push",
		xeroPushData{Backup: "/identity/user/login/two-factor/authenticate?returnUrl=" + url.QueryEscape(ret)})
}

func (p *Portals) xeroTwoFactor(w http.ResponseWriter, r *http.Request) {
	s := p.servers[srvXeroLogin]
	ss := p.getSession(s, r)
	ret := p.xeroReturnURL(r.FormValue("returnUrl"))
	if ss == nil || !ss.pending {
		http.Redirect(w, r, "/identity/user/login?ReturnUrl="+url.QueryEscape(ret), http.StatusFound)
		return
	}
	d := xeroTwoFactorData{Action: "/identity/user/login/two-factor/authenticate?returnUrl=" + url.QueryEscape(ret)}
	if r.Method != http.MethodPost {
		p.render(w, http.StatusOK, "xero", "Two-step authentication | Xero", "xero_twofactor", d)
		return
	}
	p.countPost("xero", postCode)
	if !validTOTP(r.FormValue("code"), p.Creds.XeroTOTPSecret) {
		p.refuse("xero", "two-step code refused", "")
		d.Alert = msgXeroWrongCode
		p.render(w, http.StatusOK, "xero", "Two-step authentication | Xero", "xero_twofactor", d)
		return
	}
	if r.FormValue("trust") == "on" {
		tok := randToken(24)
		p.mu.Lock()
		p.st.xeroTrusted[tok] = true
		p.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "xid_trusted", Value: tok, Path: "/", HttpOnly: true, MaxAge: 30 * 24 * 3600})
	}
	p.xeroComplete(w, r, ss, ret)
}

// --------------------------------------------------------------- developer

var xeroTypes = []struct{ Value, Label string }{
	{"web", "Web app"}, {"mobile", "Mobile or desktop app"}, {"custom", "Custom connection"},
}

func xeroTypeLabel(v string) string {
	for _, t := range xeroTypes {
		if t.Value == v {
			return t.Label
		}
	}
	return ""
}

func (p *Portals) xeroDevMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/app/manage", http.StatusFound)
	})
	mux.HandleFunc("GET /signin-oidc", p.xeroDevCallback)
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		p.dropSession(w, p.servers[srvXeroDev], r)
		http.Redirect(w, r, p.XeroLoginURL+"/identity/user/logout", http.StatusFound)
	})
	mux.HandleFunc("GET /app/manage", p.xeroDev(p.xeroMyApps))
	mux.HandleFunc("GET /app/manage/{$}", p.xeroDev(p.xeroMyApps))
	mux.HandleFunc("POST /app/manage/app", p.xeroDev(p.xeroCreateApp))
	mux.HandleFunc("GET /app/manage/app", func(w http.ResponseWriter, r *http.Request) {
		// Where a create posted with an expired session comes back to.
		http.Redirect(w, r, "/app/manage", http.StatusFound)
	})
	mux.HandleFunc("GET /app/manage/app/{id}", p.xeroDev(p.xeroDetails))
	mux.HandleFunc("POST /app/manage/app/{id}", p.xeroDev(p.xeroDetailsSave))
	mux.HandleFunc("GET /app/manage/app/{id}/configuration", p.xeroDev(p.xeroConfig))
	mux.HandleFunc("POST /app/manage/app/{id}/configuration", p.xeroDev(p.xeroConfigSave))
	mux.HandleFunc("GET /app/manage/app/{id}/webhooks", p.xeroDev(p.xeroWebhooks))
	mux.HandleFunc("GET /app/manage/api/apps/{id}/client-id", p.xeroDev(p.xeroAPIClientID))
	mux.HandleFunc("POST /app/manage/api/apps/{id}/secrets", p.xeroDev(p.xeroAPIGenerate))
	mux.HandleFunc("POST /app/manage/api/apps/{id}/secrets/{slot}/remove", p.xeroDev(p.xeroAPIRemove))
	mux.HandleFunc("POST /app/manage/api/app-drafts", p.xeroDev(p.xeroAPIDraft))
	mux.HandleFunc("/", notFound(p, "xero"))
	return mux
}

// xeroDev requires a developer session: pages go to the identity sign-in,
// API calls get 401.
func (p *Portals) xeroDev(h http.HandlerFunc) http.HandlerFunc {
	return p.requireSession(srvXeroDev, "/app/manage/api/", func(w http.ResponseWriter, r *http.Request) {
		ret := p.XeroDeveloperURL + "/signin-oidc?returnTo=" + url.QueryEscape(r.URL.RequestURI())
		http.Redirect(w, r, p.XeroLoginURL+"/identity/user/login?ReturnUrl="+url.QueryEscape(ret), http.StatusFound)
	}, h)
}

func (p *Portals) xeroDevCallback(w http.ResponseWriter, r *http.Request) {
	to := localPath(r.URL.Query().Get("returnTo"), "/app/manage")
	acct, ok := p.redeemCode(r.URL.Query().Get("code"))
	if !ok {
		ret := p.XeroDeveloperURL + "/signin-oidc?returnTo=" + url.QueryEscape(to)
		http.Redirect(w, r, p.XeroLoginURL+"/identity/user/login?ReturnUrl="+url.QueryEscape(ret), http.StatusFound)
		return
	}
	s := p.servers[srvXeroDev]
	p.dropSession(w, s, r)
	p.newSession(w, s, &session{account: acct})
	http.Redirect(w, r, to, http.StatusFound)
}

type xeroNewAppForm struct {
	Open                                              bool
	Name, Type, CompanyURL, RedirectURI, AI, Security string
	Terms                                             bool
	Errors                                            map[string]string
	// Two-screen dialog: the screen shown (1 or 2), the draft id of the
	// first screen, a message for the whole dialog.
	Screen       int
	Draft, Alert string
}

type xeroMyAppsData struct {
	Email      string
	Apps       []XeroApp
	Limit      int
	LimitLabel string // "25 max connections"; 2026: "0 of 5 connections"
	Ask        bool
	Screens    int // the New app dialog's screens: 1 or 2
	Types      []struct{ Value, Label string }
	Form       xeroNewAppForm
}

func (p *Portals) xeroMyAppsData() xeroMyAppsData {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := xeroMyAppsData{Email: p.Creds.XeroEmail, Limit: p.opts.XeroConnectionLimit, Ask: *p.opts.XeroAskQuestions, Types: xeroTypes,
		Screens: p.opts.XeroDialogScreens, LimitLabel: fmt.Sprintf("%d max connections", p.opts.XeroConnectionLimit)}
	if p.w26() {
		d.LimitLabel = fmt.Sprintf("0 of %d connections", p.opts.XeroConnectionLimit)
	}
	for _, a := range p.st.xeroApps {
		d.Apps = append(d.Apps, copyXeroApp(a))
	}
	return d
}

func (p *Portals) xeroMyApps(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusOK, "xero", "My Apps | Xero Developer", "xero_myapps", p.xeroMyAppsData())
}

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && strings.HasPrefix(s, "https://") && u.Host != ""
}

func redirectURIOK(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || strings.ContainsAny(s, " \t") {
		return false
	}
	return u.Scheme == "https" || (u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"))
}

func xeroNameError(name string) string {
	switch {
	case name == "":
		return "Enter an app name"
	case strings.Contains(strings.ToLower(name), "xero"):
		return "App name can't contain the word Xero"
	case len(name) > 100:
		return "App name must be 100 characters or fewer"
	}
	return ""
}

// xeroScreen1Errors checks the first screen of the New app form (name,
// integration type, the two questions).
func (p *Portals) xeroScreen1Errors(f *xeroNewAppForm) {
	if e := xeroNameError(f.Name); e != "" {
		f.Errors["name"] = e
	}
	if xeroTypeLabel(f.Type) == "" {
		f.Errors["integration_type"] = "Select an integration type"
	}
	if *p.opts.XeroAskQuestions {
		if f.AI != "yes" && f.AI != "no" {
			f.Errors["ai_training"] = "Select yes or no"
		}
		switch f.Security {
		case "yes":
		case "no":
			f.Errors["security"] = "You must agree to meet the minimum security requirements to create an app"
		default:
			f.Errors["security"] = "Select yes or no"
		}
	}
}

// xeroScreen2Errors checks the rest (company URL, redirect URI, terms).
func (p *Portals) xeroScreen2Errors(f *xeroNewAppForm) {
	if f.CompanyURL == "" {
		f.Errors["company_url"] = "Enter a company or application URL"
	} else if !httpsURL(f.CompanyURL) {
		f.Errors["company_url"] = "URL must start with https://"
	}
	if p.w26() && f.Errors["company_url"] != "" {
		f.Errors["company_url"] = msgXeroCompanyURL2026
	}
	if f.Type != "custom" {
		if f.RedirectURI == "" {
			f.Errors["redirect_uri"] = "Enter a redirect URI"
		} else if !redirectURIOK(f.RedirectURI) {
			f.Errors["redirect_uri"] = "Enter a valid redirect URI"
		}
	}
	if !f.Terms {
		f.Errors["terms"] = "You must agree to the terms and conditions"
	}
}

// recordSubmission keeps what a New app form post chose. Needs no lock.
func (p *Portals) recordSubmission(step string, f xeroNewAppForm) {
	sub := XeroSubmission{Step: step, Name: f.Name, AI: f.AI, Security: f.Security, Terms: f.Terms, Accepted: len(f.Errors) == 0}
	for k := range f.Errors {
		sub.Errors = append(sub.Errors, k)
	}
	slices.Sort(sub.Errors)
	p.mu.Lock()
	p.st.xeroSubs = append(p.st.xeroSubs, sub)
	p.mu.Unlock()
}

// xeroDraftTTL is how long a two-screen dialog's first screen is kept.
const xeroDraftTTL = 30 * time.Minute

// xeroAPIDraft is "Next" of the two-screen New app dialog: it checks the
// first screen and keeps it under a draft id the second screen sends back.
func (p *Portals) xeroAPIDraft(w http.ResponseWriter, r *http.Request) {
	f := xeroNewAppForm{
		Name:     strings.TrimSpace(r.FormValue("name")),
		Type:     r.FormValue("integration_type"),
		AI:       r.FormValue("ai_training"),
		Security: r.FormValue("security"),
		Errors:   map[string]string{},
	}
	p.xeroScreen1Errors(&f)
	p.recordSubmission("next", f)
	if len(f.Errors) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": p.lmap(f.Errors)})
		return
	}
	id := randToken(24)
	now := time.Now()
	p.mu.Lock()
	for k, d := range p.st.xeroDrafts {
		if now.Sub(d.created) > xeroDraftTTL {
			delete(p.st.xeroDrafts, k)
		}
	}
	p.st.xeroDrafts[id] = xeroDraft{name: f.Name, typ: f.Type, ai: f.AI, security: f.Security, created: now}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"draft": id})
}

func (p *Portals) xeroCreateApp(w http.ResponseWriter, r *http.Request) {
	ask := *p.opts.XeroAskQuestions
	two := p.opts.XeroDialogScreens == 2
	f := xeroNewAppForm{
		Open:        true,
		Name:        strings.TrimSpace(r.FormValue("name")),
		Type:        r.FormValue("integration_type"),
		CompanyURL:  strings.TrimSpace(r.FormValue("company_url")),
		RedirectURI: strings.TrimSpace(r.FormValue("redirect_uri")),
		AI:          r.FormValue("ai_training"),
		Security:    r.FormValue("security"),
		Terms:       r.FormValue("terms") == "on",
		Errors:      map[string]string{},
		Screen:      1,
	}
	if two {
		// The first screen counts as sent with "Next" (its draft), whatever
		// this post says about it.
		f.Draft = r.FormValue("draft")
		p.mu.Lock()
		d, ok := p.st.xeroDrafts[f.Draft]
		p.mu.Unlock()
		if ok && time.Since(d.created) <= xeroDraftTTL {
			f.Name, f.Type, f.AI, f.Security = d.name, d.typ, d.ai, d.security
			f.Screen = 2
		} else {
			f.Draft = ""
			f.Alert = msgXeroDraftExpired
			f.Errors["draft"] = msgXeroDraftExpired
		}
	}
	p.xeroScreen1Errors(&f)
	p.xeroScreen2Errors(&f)
	p.recordSubmission("create", f)
	if len(f.Errors) > 0 {
		if two && f.Screen == 2 {
			for _, k := range []string{"name", "integration_type", "ai_training", "security"} {
				if f.Errors[k] != "" {
					f.Screen = 1
				}
			}
		}
		delete(f.Errors, "draft")
		d := p.xeroMyAppsData()
		d.Form = f
		p.render(w, http.StatusUnprocessableEntity, "xero", "My Apps | Xero Developer", "xero_myapps", d)
		return
	}
	a := &XeroApp{
		ID: p.uuid(), Name: f.Name, IntegrationType: xeroTypeLabel(f.Type), CompanyURL: f.CompanyURL,
		ClientID: p.clientID(), TermsAccepted: true,
	}
	if f.RedirectURI != "" {
		a.RedirectURIs = []string{f.RedirectURI}
	}
	if ask {
		v := f.AI == "yes"
		a.AITraining = &v
		a.SecurityAgreed = true
	}
	p.mu.Lock()
	delete(p.st.xeroDrafts, f.Draft)
	p.st.xeroApps = append(p.st.xeroApps, a)
	p.logWrite("xero", "app created", fmt.Sprintf("%q (%s) id %s", a.Name, a.IntegrationType, a.ID))
	p.mu.Unlock()
	http.Redirect(w, r, "/app/manage/app/"+a.ID, http.StatusSeeOther)
}

// app returns a copy of the app in the path, or writes 404.
func (p *Portals) xeroPathApp(w http.ResponseWriter, r *http.Request) (XeroApp, bool) {
	p.mu.Lock()
	a := p.xeroApp(r.PathValue("id"))
	var c XeroApp
	if a != nil {
		c = copyXeroApp(a)
	}
	p.mu.Unlock()
	if a == nil {
		if strings.HasPrefix(r.URL.Path, "/app/manage/api/") {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "App not found"})
		} else {
			notFound(p, "xero")(w, r)
		}
		return c, false
	}
	return c, true
}

type xeroDetailsData struct {
	Email  string
	App    XeroApp
	Nav    string
	Saved  bool
	Errors map[string]string
	// form values (the submitted ones after an error)
	Name, CompanyURL, PrivacyURL, TermsURL string
}

func (p *Portals) xeroDetails(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	d := xeroDetailsData{Email: p.Creds.XeroEmail, App: a, Nav: "details", Saved: r.URL.Query().Get("saved") == "1",
		Name: a.Name, CompanyURL: a.CompanyURL, PrivacyURL: a.PrivacyURL, TermsURL: a.TermsURL}
	p.render(w, http.StatusOK, "xero", a.Name+" | Xero Developer", "xero_details", d)
}

func (p *Portals) xeroDetailsSave(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	d := xeroDetailsData{Email: p.Creds.XeroEmail, App: a, Nav: "details", Errors: map[string]string{},
		Name:       strings.TrimSpace(r.FormValue("name")),
		CompanyURL: strings.TrimSpace(r.FormValue("company_url")),
		PrivacyURL: strings.TrimSpace(r.FormValue("privacy_url")),
		TermsURL:   strings.TrimSpace(r.FormValue("terms_url")),
	}
	if e := xeroNameError(d.Name); e != "" {
		d.Errors["name"] = e
	}
	if !httpsURL(d.CompanyURL) {
		d.Errors["company_url"] = "URL must start with https://"
	}
	if d.PrivacyURL != "" && !httpsURL(d.PrivacyURL) {
		d.Errors["privacy_url"] = "URL must start with https://"
	}
	if d.TermsURL != "" && !httpsURL(d.TermsURL) {
		d.Errors["terms_url"] = "URL must start with https://"
	}
	if len(d.Errors) > 0 {
		p.render(w, http.StatusUnprocessableEntity, "xero", a.Name+" | Xero Developer", "xero_details", d)
		return
	}
	p.mu.Lock()
	if app := p.xeroApp(a.ID); app != nil {
		var changed []string
		for _, c := range []struct {
			label    string
			dst      *string
			newValue string
		}{
			{"name", &app.Name, d.Name}, {"company URL", &app.CompanyURL, d.CompanyURL},
			{"privacy URL", &app.PrivacyURL, d.PrivacyURL}, {"terms URL", &app.TermsURL, d.TermsURL},
		} {
			if *c.dst != c.newValue {
				changed = append(changed, c.label)
				*c.dst = c.newValue
			}
		}
		detail := "no change"
		if len(changed) > 0 {
			detail = "changed " + strings.Join(changed, ", ")
		}
		p.logWrite("xero", "app details saved", fmt.Sprintf("%q: %s", app.Name, detail))
	}
	p.mu.Unlock()
	http.Redirect(w, r, "/app/manage/app/"+a.ID+"?saved=1", http.StatusSeeOther)
}

type xeroSlotData struct {
	AppID     string
	Slot      int
	Live      bool
	Value     string // only right after generation
	CreatedAt time.Time
}

type xeroConfigData struct {
	Email        string
	App          XeroApp
	Nav          string
	Saved        bool
	Slots        []xeroSlotData
	Live         int
	RedirectURIs []string
	Errors       map[string]string
	Mask         string
}

func xeroSlots(a XeroApp) ([]xeroSlotData, int) {
	slots := []xeroSlotData{{AppID: a.ID, Slot: 1}, {AppID: a.ID, Slot: 2}}
	live := 0
	for _, s := range a.Secrets {
		if !s.Removed && s.Slot >= 1 && s.Slot <= 2 {
			slots[s.Slot-1].Live = true
			slots[s.Slot-1].CreatedAt = s.CreatedAt
			live++
		}
	}
	return slots, live
}

func (p *Portals) xeroConfigPage(w http.ResponseWriter, status int, a XeroApp, saved bool, uris []string, errs map[string]string) {
	d := xeroConfigData{Email: p.Creds.XeroEmail, App: a, Nav: "configuration", Saved: saved, Errors: errs,
		Mask: strings.Repeat("•", 32)}
	d.Slots, d.Live = xeroSlots(a)
	d.RedirectURIs = uris
	if len(d.RedirectURIs) == 0 {
		d.RedirectURIs = []string{""}
	}
	p.render(w, status, "xero", a.Name+" | Configuration | Xero Developer", "xero_config", d)
}

func (p *Portals) xeroConfig(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	p.xeroConfigPage(w, http.StatusOK, a, r.URL.Query().Get("saved") == "1", a.RedirectURIs, nil)
}

func (p *Portals) xeroConfigSave(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	var uris []string
	errs := map[string]string{}
	for _, u := range r.PostForm["redirect_uri"] {
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		if !redirectURIOK(u) {
			errs[strconv.Itoa(len(uris))] = "Enter a valid redirect URI"
		}
		uris = append(uris, u)
	}
	if len(uris) == 0 && a.IntegrationType != "Custom connection" {
		errs["0"] = "Add at least one redirect URI"
	}
	if len(errs) > 0 {
		p.xeroConfigPage(w, http.StatusUnprocessableEntity, a, false, uris, errs)
		return
	}
	p.mu.Lock()
	if app := p.xeroApp(a.ID); app != nil {
		app.RedirectURIs = uris
		p.logWrite("xero", "redirect URIs saved", fmt.Sprintf("%q: %s", app.Name, strings.Join(uris, " ")))
	}
	p.mu.Unlock()
	http.Redirect(w, r, "/app/manage/app/"+a.ID+"/configuration?saved=1", http.StatusSeeOther)
}

func (p *Portals) xeroWebhooks(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	p.render(w, http.StatusOK, "xero", a.Name+" | Webhooks | Xero Developer", "xero_webhooks",
		xeroDetailsData{Email: p.Creds.XeroEmail, App: a, Nav: "webhooks"})
}

func (p *Portals) xeroAPIClientID(w http.ResponseWriter, r *http.Request) {
	a, ok := p.xeroPathApp(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"clientId": a.ClientID})
}

func (p *Portals) xeroAPIGenerate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p.mu.Lock()
	app := p.xeroApp(id)
	if app == nil {
		p.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "App not found"})
		return
	}
	live := app.liveSlots()
	slot := 0
	for _, s := range []int{1, 2} {
		if live[s] == nil {
			slot = s
			break
		}
	}
	if slot == 0 {
		p.mu.Unlock()
		writeJSON(w, http.StatusConflict, map[string]string{"error": p.L("You can have at most two client secrets. Remove one to generate another.")})
		return
	}
	sec := XeroSecret{Slot: slot, Value: p.xeroSecret(), CreatedAt: p.now()}
	app.Secrets = append(app.Secrets, sec)
	p.logWrite("xero", "secret generated", fmt.Sprintf("%q: client secret %d", app.Name, slot))
	a := copyXeroApp(app)
	p.mu.Unlock()
	slots, n := xeroSlots(a)
	sd := slots[slot-1]
	sd.Value = sec.Value
	writeJSON(w, http.StatusOK, map[string]any{
		"slot":        slot,
		"value":       sec.Value,
		"createdAt":   sec.CreatedAt.UTC().Format(time.RFC3339),
		"slotHTML":    p.fragment("xero_secret_slot", sd),
		"actionsHTML": p.fragment("xero_secret_actions", n),
	})
}

func (p *Portals) xeroAPIRemove(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	slot, _ := strconv.Atoi(r.PathValue("slot"))
	p.mu.Lock()
	app := p.xeroApp(id)
	if app == nil {
		p.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "App not found"})
		return
	}
	sec := app.liveSlots()[slot]
	if sec == nil {
		p.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Secret not found"})
		return
	}
	sec.Removed, sec.RemovedAt = true, time.Now()
	p.logWrite("xero", "secret removed", fmt.Sprintf("%q: client secret %d", app.Name, slot))
	a := copyXeroApp(app)
	p.mu.Unlock()
	slots, n := xeroSlots(a)
	writeJSON(w, http.StatusOK, map[string]any{
		"slot":        slot,
		"slotHTML":    p.fragment("xero_secret_slot", slots[slot-1]),
		"actionsHTML": p.fragment("xero_secret_actions", n),
	})
}
