package fakeportal

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// ------------------------------------------------------------ Auth0 login

type codatLoginData struct {
	Action     string
	State      string
	Email      string
	EmailError string
	Alert      string
}

func (p *Portals) codatLoginMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", p.codatAuthorize)
	mux.HandleFunc("/u/login/identifier", p.codatIdentifier)
	mux.HandleFunc("/u/login/password", p.codatPassword)
	mux.HandleFunc("/u/mfa-otp-challenge", p.codatMFA)
	mux.HandleFunc("/u/mfa-email-challenge", p.codatEmailCode)
	mux.HandleFunc("GET /u/reset-password", func(w http.ResponseWriter, r *http.Request) {
		p.render(w, http.StatusOK, "codat", "Reset password", "simple", map[string]string{
			"Heading": "Forgot Your Password?", "Text": "Password reset is not available in this replica.",
		})
	})
	mux.HandleFunc("GET /u/login/google", func(w http.ResponseWriter, r *http.Request) {
		p.render(w, http.StatusOK, "codat", "Google", "simple", map[string]string{
			"Heading": "Sign in with Google", "Text": "Social sign-in is not available in this replica.",
		})
	})
	mux.HandleFunc("GET /v2/logout", func(w http.ResponseWriter, r *http.Request) {
		p.dropSession(w, p.servers[srvCodatLogin], r)
		http.Redirect(w, r, p.CodatURL+"/", http.StatusFound)
	})
	mux.HandleFunc("POST /challenge/verify", p.captchaVerify("codat"))
	mux.HandleFunc("/", notFound(p, "codat"))
	return mux
}

func (p *Portals) codatCallbackURL() string { return p.CodatURL + "/callback" }

func (p *Portals) codatAuthorizeURL(returnTo string) string {
	q := url.Values{
		"client_id":     {"codat-portal"},
		"response_type": {"code"},
		"scope":         {"openid profile email"},
		"redirect_uri":  {p.codatCallbackURL()},
		"state":         {returnTo},
	}
	return p.CodatLoginURL + "/authorize?" + q.Encode()
}

func (p *Portals) newCodatTx(state string) string {
	id := randToken(24)
	p.mu.Lock()
	p.st.codatTx[id] = &codatTx{redirectURI: p.codatCallbackURL(), state: state, created: time.Now()}
	p.mu.Unlock()
	return id
}

func (p *Portals) codatAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("redirect_uri") != p.codatCallbackURL() {
		http.Error(w, "invalid redirect_uri", http.StatusBadRequest)
		return
	}
	if ss := p.getSession(p.servers[srvCodatLogin], r); ss != nil && ss.account != "" {
		http.Redirect(w, r, withQuery(p.codatCallbackURL(), "code", p.issueCode(ss.account), "state", q.Get("state")), http.StatusFound)
		return
	}
	tx := p.newCodatTx(q.Get("state"))
	http.Redirect(w, r, "/u/login/identifier?state="+url.QueryEscape(tx), http.StatusFound)
}

// codatTxFor returns the login transaction named in the request, making a
// new one (back to the portal home) when there is none.
func (p *Portals) codatTxFor(w http.ResponseWriter, r *http.Request) (string, *codatTx, bool) {
	id := r.FormValue("state")
	p.mu.Lock()
	tx := p.st.codatTx[id]
	p.mu.Unlock()
	if tx == nil {
		id = p.newCodatTx("/settings/integrations/accounting")
		http.Redirect(w, r, "/u/login/identifier?state="+url.QueryEscape(id), http.StatusFound)
		return "", nil, false
	}
	return id, tx, true
}

func (p *Portals) codatIdentifier(w http.ResponseWriter, r *http.Request) {
	if p.signInGates(w, r, "codat") {
		return
	}
	id, tx, ok := p.codatTxFor(w, r)
	if !ok {
		return
	}
	d := codatLoginData{Action: "/u/login/identifier?state=" + url.QueryEscape(id), State: id}
	if r.Method != http.MethodPost {
		p.mu.Lock()
		d.Email = tx.email
		p.mu.Unlock()
		p.render(w, http.StatusOK, "codat", "Log in | Codat", "codat_identifier", d)
		return
	}
	d.Email = strings.TrimSpace(r.FormValue("username"))
	if d.Email == "" || !strings.Contains(d.Email, "@") {
		d.EmailError = "Enter a valid email address."
		p.render(w, http.StatusBadRequest, "codat", "Log in | Codat", "codat_identifier", d)
		return
	}
	p.mu.Lock()
	tx.email = d.Email
	tx.passwordOK = false
	p.mu.Unlock()
	http.Redirect(w, r, "/u/login/password?state="+url.QueryEscape(id), http.StatusFound)
}

func (p *Portals) codatPassword(w http.ResponseWriter, r *http.Request) {
	id, tx, ok := p.codatTxFor(w, r)
	if !ok {
		return
	}
	p.mu.Lock()
	email := tx.email
	p.mu.Unlock()
	if email == "" {
		http.Redirect(w, r, "/u/login/identifier?state="+url.QueryEscape(id), http.StatusFound)
		return
	}
	d := codatLoginData{Action: "/u/login/password?state=" + url.QueryEscape(id), State: id, Email: email}
	if r.Method != http.MethodPost {
		p.render(w, http.StatusOK, "codat", "Enter your password | Codat", "codat_password", d)
		return
	}
	p.countPost("codat", postPassword)
	if !strings.EqualFold(email, p.Creds.CodatEmail) || r.FormValue("password") != p.Creds.CodatPassword {
		p.refuse("codat", "sign-in refused", "wrong email or password")
		d.Alert = msgCodatWrongPassword
		p.render(w, http.StatusBadRequest, "codat", "Enter your password | Codat", "codat_password", d)
		return
	}
	p.mu.Lock()
	tx.passwordOK = true
	p.mu.Unlock()
	p.codatAfterPassword(w, r, id, tx)
}

// codatAfterPassword goes on from an accepted password: the emailed code
// (fault CodatEmailCode), then the two-step code, then the portal.
func (p *Portals) codatAfterPassword(w http.ResponseWriter, r *http.Request, id string, tx *codatTx) {
	emailFault := p.Faults().CodatEmailCode
	p.mu.Lock()
	emailDue := emailFault && !tx.emailOK
	p.mu.Unlock()
	switch {
	case emailDue:
		http.Redirect(w, r, "/u/mfa-email-challenge?state="+url.QueryEscape(id), http.StatusFound)
	case p.opts.CodatTwoStep:
		http.Redirect(w, r, "/u/mfa-otp-challenge?state="+url.QueryEscape(id), http.StatusFound)
	default:
		p.codatComplete(w, r, id, tx)
	}
}

// maskEmail shows an address as Auth0 does: "d***@acme-books.example".
func maskEmail(e string) string {
	at := strings.IndexByte(e, '@')
	if at < 1 {
		return "***"
	}
	return e[:1] + "***" + e[at:]
}

// codatEmailCode is the page asking for a code Codat says it emailed
// (fault CodatEmailCode): a new sign-in method must be confirmed. Only the
// code "sent" is accepted (CodatEmailedCode); the bot cannot read email.
func (p *Portals) codatEmailCode(w http.ResponseWriter, r *http.Request) {
	id, tx, ok := p.codatTxFor(w, r)
	if !ok {
		return
	}
	p.mu.Lock()
	passed, email := tx.passwordOK, tx.email
	p.mu.Unlock()
	if !passed {
		http.Redirect(w, r, "/u/login/identifier?state="+url.QueryEscape(id), http.StatusFound)
		return
	}
	d := codatLoginData{Action: "/u/mfa-email-challenge?state=" + url.QueryEscape(id), State: id, Email: maskEmail(email)}
	if r.Method != http.MethodPost {
		p.mu.Lock()
		if tx.emailCode == "" || r.URL.Query().Get("resend") == "1" {
			tx.emailCode = fmt.Sprintf("%06d", binary.BigEndian.Uint32(randBytes(4))%1000000)
			p.st.emailCodes.Sent++
			p.st.lastEmailCode = tx.emailCode
		}
		p.mu.Unlock()
		p.render(w, http.StatusOK, "codat", "Verify your identity | Codat", "codat_emailcode", d)
		return
	}
	p.mu.Lock()
	p.st.emailCodes.Submitted++
	good := tx.emailCode != "" && strings.TrimSpace(r.FormValue("code")) == tx.emailCode
	if good {
		p.st.emailCodes.Accepted++
		tx.emailOK = true
	}
	p.mu.Unlock()
	if !good {
		p.refuse("codat", "emailed code refused", "")
		d.Alert = msgCodatEmailWrongCode
		p.render(w, http.StatusBadRequest, "codat", "Verify your identity | Codat", "codat_emailcode", d)
		return
	}
	p.codatAfterPassword(w, r, id, tx)
}

// CodatEmailedCode is the last code Codat's emailed-code page "sent" (what
// a person would read in the mail), "" before any.
func (p *Portals) CodatEmailedCode() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st.lastEmailCode
}

func (p *Portals) codatMFA(w http.ResponseWriter, r *http.Request) {
	id, tx, ok := p.codatTxFor(w, r)
	if !ok {
		return
	}
	emailFault := p.Faults().CodatEmailCode
	p.mu.Lock()
	passed := tx.passwordOK && (tx.emailOK || !emailFault)
	p.mu.Unlock()
	if !passed {
		http.Redirect(w, r, "/u/login/identifier?state="+url.QueryEscape(id), http.StatusFound)
		return
	}
	d := codatLoginData{Action: "/u/mfa-otp-challenge?state=" + url.QueryEscape(id), State: id}
	if r.Method != http.MethodPost {
		p.render(w, http.StatusOK, "codat", "Verify your identity | Codat", "codat_mfa", d)
		return
	}
	p.countPost("codat", postCode)
	if !validTOTP(r.FormValue("code"), p.Creds.CodatTOTPSecret) {
		p.refuse("codat", "two-step code refused", "")
		d.Alert = msgCodatWrongCode
		p.render(w, http.StatusBadRequest, "codat", "Verify your identity | Codat", "codat_mfa", d)
		return
	}
	p.codatComplete(w, r, id, tx)
}

func (p *Portals) codatComplete(w http.ResponseWriter, r *http.Request, id string, tx *codatTx) {
	s := p.servers[srvCodatLogin]
	p.dropSession(w, s, r)
	p.newSession(w, s, &session{account: p.Creds.CodatEmail})
	p.mu.Lock()
	delete(p.st.codatTx, id)
	p.st.signIns["codat"]++
	p.mu.Unlock()
	http.Redirect(w, r, withQuery(tx.redirectURI, "code", p.issueCode(p.Creds.CodatEmail), "state", tx.state), http.StatusFound)
}

// ------------------------------------------------------------------ portal

type codatRow struct {
	Key, Name, ClientID, SwitchName string
	Configured, Enabled             bool
}

type codatPageData struct {
	Email string
	Rows  []codatRow
	Row   codatRow
	// NoRole (fault CodatNoRole): the user may not manage integrations.
	NoRole     bool
	NoRoleText string
}

func (p *Portals) codatMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /callback", p.codatCallback)
	mux.HandleFunc("GET /{$}", p.codatAuth(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/settings/integrations/accounting", http.StatusFound)
	}))
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		p.dropSession(w, p.servers[srvCodat], r)
		http.Redirect(w, r, p.CodatLoginURL+"/v2/logout", http.StatusFound)
	})
	mux.HandleFunc("GET /settings/integrations/accounting", p.codatAuth(p.codatIntegrations))
	mux.HandleFunc("GET /settings/integrations/accounting/manage/{key}", p.codatAuth(p.codatManage))
	mux.HandleFunc("POST /api/integrations/{key}/settings", p.codatAuth(p.codatAPISettings))
	mux.HandleFunc("POST /api/integrations/{key}/enabled", p.codatAuth(p.codatAPIEnabled))
	mux.HandleFunc("/", notFound(p, "codat"))
	return mux
}

// codatAuth requires a portal session: pages go to Auth0's authorize,
// API calls get 401.
func (p *Portals) codatAuth(h http.HandlerFunc) http.HandlerFunc {
	return p.requireSession(srvCodat, "/api/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, p.codatAuthorizeURL(r.URL.RequestURI()), http.StatusFound)
	}, h)
}

func (p *Portals) codatCallback(w http.ResponseWriter, r *http.Request) {
	to := localPath(r.URL.Query().Get("state"), "/settings/integrations/accounting")
	acct, ok := p.redeemCode(r.URL.Query().Get("code"))
	if !ok {
		http.Redirect(w, r, p.codatAuthorizeURL(to), http.StatusFound)
		return
	}
	s := p.servers[srvCodat]
	p.dropSession(w, s, r)
	p.newSession(w, s, &session{account: acct})
	http.Redirect(w, r, to, http.StatusFound)
}

func codatRowOf(c *CodatIntegration) codatRow {
	return codatRow{Key: c.Key, Name: c.Name, ClientID: c.ClientID, SwitchName: "Enable " + c.Name,
		Configured: c.Configured, Enabled: c.Enabled}
}

func (p *Portals) codatData() codatPageData {
	d := codatPageData{Email: p.Creds.CodatEmail}
	if p.Faults().CodatNoRole {
		d.NoRole, d.NoRoleText = true, msgCodatNoRole
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, k := range p.st.codatOrder {
		d.Rows = append(d.Rows, codatRowOf(p.st.codat[k]))
	}
	return d
}

func (p *Portals) codatIntegrations(w http.ResponseWriter, r *http.Request) {
	p.render(w, http.StatusOK, "codat", "Accounting integrations | Codat", "codat_integrations", p.codatData())
}

// codatNoRole answers 403 to a user without the role to manage
// integrations (fault CodatNoRole): a page says so, an API call too.
func (p *Portals) codatNoRole(w http.ResponseWriter, r *http.Request) bool {
	if !p.Faults().CodatNoRole {
		return false
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		p.mu.Lock()
		p.logWrite("codat", "change refused", "no role to manage integrations: "+r.URL.Path)
		p.mu.Unlock()
		writeJSON(w, http.StatusForbidden, map[string]string{"error": p.L(msgCodatNoRole)})
		return true
	}
	p.render(w, http.StatusForbidden, "codat", "Access denied | Codat", "codat_forbidden", p.codatData())
	return true
}

func (p *Portals) codatManage(w http.ResponseWriter, r *http.Request) {
	if p.codatNoRole(w, r) {
		return
	}
	d := p.codatData()
	found := false
	for _, row := range d.Rows {
		if row.Key == r.PathValue("key") {
			d.Row, found = row, true
		}
	}
	if !found {
		notFound(p, "codat")(w, r)
		return
	}
	p.render(w, http.StatusOK, "codat", d.Row.Name+" | Accounting integrations | Codat", "codat_manage", d)
}

func keyError(label, v string) string {
	if v == "" {
		return "Enter a " + strings.ToLower(label[:1]) + label[1:]
	}
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		return label + " must not contain spaces"
	}
	return ""
}

func (p *Portals) codatAPISettings(w http.ResponseWriter, r *http.Request) {
	if p.codatNoRole(w, r) {
		return
	}
	var body struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Bad request"})
		return
	}
	id := strings.TrimSpace(body.ClientID)
	sec := strings.TrimSpace(body.ClientSecret)
	errs := map[string]string{}
	if e := keyError("Client ID", id); e != "" {
		errs["clientId"] = p.L(e)
	}
	if e := keyError("Client secret", sec); e != "" {
		errs["clientSecret"] = p.L(e)
	}
	p.mu.Lock()
	c := p.st.codat[r.PathValue("key")]
	if c == nil {
		p.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Integration not found"})
		return
	}
	if len(errs) > 0 {
		p.mu.Unlock()
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
		return
	}
	c.ClientID, c.ClientSecret, c.Configured = id, sec, true
	c.Saves++
	p.logWrite("codat", "settings saved", fmt.Sprintf("%s (%s): client ID and client secret set", c.Name, c.Key))
	row := codatRowOf(c)
	p.mu.Unlock()
	p.designedUI("codat", "the Enable dialog opens", EnableDialogDelay)
	writeJSON(w, http.StatusOK, map[string]any{
		"message":    p.L(msgCodatSaved),
		"showStatus": p.show(msgCodatSaved),
		"configured": true,
		"enabled":    row.Enabled,
	})
}

func (p *Portals) codatAPIEnabled(w http.ResponseWriter, r *http.Request) {
	if p.codatNoRole(w, r) {
		return
	}
	var body struct {
		Enabled bool `json:"enabled"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<12)).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Bad request"})
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.st.codat[r.PathValue("key")]
	if c == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Integration not found"})
		return
	}
	if body.Enabled && !c.Configured {
		writeJSON(w, http.StatusConflict, map[string]any{"error": p.L("Set up this integration before enabling it"), "enabled": false})
		return
	}
	if c.Enabled != body.Enabled {
		c.Enabled = body.Enabled
		action := "integration disabled"
		if c.Enabled {
			action = "integration enabled"
		}
		p.logWrite("codat", action, fmt.Sprintf("%s (%s)", c.Name, c.Key))
	}
	p.designedUI("codat", "the Enable dialog closes", DialogCloseDelay)
	writeJSON(w, http.StatusOK, map[string]any{"enabled": c.Enabled})
}
