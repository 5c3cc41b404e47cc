package fakeportal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

type faData struct {
	SignedIn bool
	Email    string
	Flash    string // notice (role=status)
	Note     string // plain note, e.g. "You need to sign in"
	Alert    string
	Apps     []FreeAgentApp
	App      FreeAgentApp
	Errors   map[string]string
	// New app form
	Name, Description, HomepageURL, RedirectURIs string
	Practice                                     bool
	Heading, Text                                string
	// Wording 2026, app page: the secret is masked (HideSecret, Mask) or
	// shown this once (OnceSecret).
	HideSecret, OnceSecret bool
	Mask                   string
}

func (p *Portals) freeAgentMux() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		d := p.faBase(w, r)
		d.Heading, d.Text = "FreeAgent Developer Dashboard", "Build apps on the FreeAgent API."
		p.render(w, http.StatusOK, "freeagent", "FreeAgent Developer Dashboard", "fa_simple", d)
	})
	for path, hd := range map[string][2]string{
		"/docs":               {"API Docs", "The FreeAgent API documentation."},
		"/discussion":         {"Discussion", "Questions and answers about the FreeAgent API."},
		"/users/sign_up":      {"Sign up", "Sign-up is not available in this replica."},
		"/users/password/new": {"Forgot your password?", "Password reset is not available in this replica."},
	} {
		mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
			d := p.faBase(w, r)
			d.Heading, d.Text = hd[0], hd[1]
			p.render(w, http.StatusOK, "freeagent", hd[0]+" | FreeAgent Developer Dashboard", "fa_simple", d)
		})
	}
	mux.HandleFunc("/users/sign_in", p.faSignIn)
	mux.HandleFunc("GET /users/sign_out", func(w http.ResponseWriter, r *http.Request) {
		s := p.servers[srvFreeAgent]
		p.dropSession(w, s, r)
		p.newSession(w, s, &session{flash: "Signed out successfully."})
		http.Redirect(w, r, "/", http.StatusFound)
	})
	mux.HandleFunc("GET /apps", p.faAuth(p.faApps))
	mux.HandleFunc("GET /apps/new", p.faAuth(p.faNewApp))
	mux.HandleFunc("POST /apps", p.faAuth(p.faCreateApp))
	mux.HandleFunc("GET /apps/{id}", p.faAuth(p.faShowApp))
	mux.HandleFunc("POST /apps/{id}/regenerate_secret", p.faAuth(p.faRegenerate))
	mux.HandleFunc("POST /challenge/verify", p.captchaVerify("freeagent"))
	mux.HandleFunc("/", notFound(p, "freeagent"))
	return mux
}

// faBase reads the session and takes its flash.
func (p *Portals) faBase(w http.ResponseWriter, r *http.Request) faData {
	d := faData{Errors: map[string]string{}}
	ss := p.getSession(p.servers[srvFreeAgent], r)
	if ss == nil {
		return d
	}
	p.mu.Lock()
	d.SignedIn = ss.account != ""
	d.Email = ss.account
	d.Flash = ss.flash
	ss.flash = ""
	p.mu.Unlock()
	return d
}

func (p *Portals) faAuth(h http.HandlerFunc) http.HandlerFunc {
	return p.requireSession(srvFreeAgent, "", func(w http.ResponseWriter, r *http.Request) {
		ret := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			ret = "/apps"
		}
		s := p.servers[srvFreeAgent]
		p.dropSession(w, s, r)
		p.newSession(w, s, &session{returnTo: ret, flash: "You need to sign in or sign up before continuing."})
		http.Redirect(w, r, "/users/sign_in", http.StatusFound)
	}, h)
}

func (p *Portals) faSignIn(w http.ResponseWriter, r *http.Request) {
	if p.signInGates(w, r, "freeagent") {
		return
	}
	s := p.servers[srvFreeAgent]
	ss := p.getSession(s, r)
	if r.Method != http.MethodPost {
		if ss != nil && ss.account != "" {
			http.Redirect(w, r, "/apps", http.StatusFound)
			return
		}
		d := p.faBase(w, r)
		d.Note, d.Flash = d.Flash, ""
		p.render(w, http.StatusOK, "freeagent", "Sign in | FreeAgent Developer Dashboard", "fa_signin", d)
		return
	}
	p.countPost("freeagent", postPassword)
	email := strings.TrimSpace(r.FormValue("user[email]"))
	if !strings.EqualFold(email, p.Creds.FreeAgentEmail) || r.FormValue("user[password]") != p.Creds.FreeAgentPassword {
		p.refuse("freeagent", "sign-in refused", "invalid email or password")
		d := faData{Alert: msgFAInvalid, Email: email, Errors: map[string]string{}}
		p.render(w, http.StatusUnprocessableEntity, "freeagent", "Sign in | FreeAgent Developer Dashboard", "fa_signin", d)
		return
	}
	ret := "/apps"
	if ss != nil {
		ret = localPath(ss.returnTo, "/apps")
	}
	p.dropSession(w, s, r)
	p.newSession(w, s, &session{account: p.Creds.FreeAgentEmail, flash: msgFASignedIn})
	p.mu.Lock()
	p.st.signIns["freeagent"]++
	p.mu.Unlock()
	http.Redirect(w, r, ret, http.StatusFound)
}

func (p *Portals) faApps(w http.ResponseWriter, r *http.Request) {
	d := p.faBase(w, r)
	p.mu.Lock()
	for _, a := range p.st.faApps {
		d.Apps = append(d.Apps, *a)
	}
	p.mu.Unlock()
	p.render(w, http.StatusOK, "freeagent", "My Apps | FreeAgent Developer Dashboard", "fa_apps", d)
}

func (p *Portals) faNewApp(w http.ResponseWriter, r *http.Request) {
	d := p.faBase(w, r)
	d.Practice = p.opts.FreeAgentPracticePreTicked
	p.render(w, http.StatusOK, "freeagent", "New App | FreeAgent Developer Dashboard", "fa_new", d)
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && !strings.ContainsAny(s, " \t")
}

func (p *Portals) faCreateApp(w http.ResponseWriter, r *http.Request) {
	d := p.faBase(w, r)
	d.Name = strings.TrimSpace(r.FormValue("app[name]"))
	d.Description = strings.TrimSpace(r.FormValue("app[description]"))
	d.HomepageURL = strings.TrimSpace(r.FormValue("app[homepage_url]"))
	d.RedirectURIs = r.FormValue("app[redirect_uris]")
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form: "+err.Error(), http.StatusBadRequest)
		return
	}
	for _, v := range r.PostForm["app[practice_api]"] {
		if v == "1" {
			d.Practice = true
		}
	}
	if d.Name == "" {
		d.Errors["name"] = "Name can't be blank"
	}
	if d.HomepageURL != "" && !httpURL(d.HomepageURL) {
		d.Errors["homepage_url"] = "App homepage URL is invalid"
	}
	var uris []string
	for _, line := range strings.Split(strings.ReplaceAll(d.RedirectURIs, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !httpURL(line) {
			d.Errors["redirect_uris"] = "OAuth Redirect URIs must be valid URLs, one per line"
		}
		uris = append(uris, line)
	}
	if len(d.Errors) > 0 {
		p.render(w, http.StatusUnprocessableEntity, "freeagent", "New App | FreeAgent Developer Dashboard", "fa_new", d)
		return
	}
	p.mu.Lock()
	a := &FreeAgentApp{
		ID: fmt.Sprint(len(p.st.faApps) + 1001), Name: d.Name, Description: d.Description, HomepageURL: d.HomepageURL,
		RedirectURIs: uris, PracticeAPI: d.Practice, Identifier: p.token("fa-identifier", 22), Secret: p.token("fa-secret", 22),
	}
	p.st.faApps = append(p.st.faApps, a)
	p.st.faUnseen[a.ID] = true
	p.logWrite("freeagent", "app created", fmt.Sprintf("%q id %s, practice API %v, redirect URIs %s", a.Name, a.ID, a.PracticeAPI, strings.Join(uris, " ")))
	p.mu.Unlock()
	if ss := p.getSession(p.servers[srvFreeAgent], r); ss != nil {
		p.mu.Lock()
		ss.flash = msgFACreated
		p.mu.Unlock()
	}
	http.Redirect(w, r, "/apps/"+a.ID, http.StatusSeeOther)
}

func (p *Portals) faShowApp(w http.ResponseWriter, r *http.Request) {
	d := p.faBase(w, r)
	found := false
	p.mu.Lock()
	for _, a := range p.st.faApps {
		if a.ID == r.PathValue("id") {
			d.App = *a
			d.App.RedirectURIs = append([]string(nil), a.RedirectURIs...)
			found = true
			if p.w26() {
				// Shown once: on the page right after creation or
				// regeneration, never again.
				d.OnceSecret, d.HideSecret = p.st.faUnseen[a.ID], !p.st.faUnseen[a.ID]
				delete(p.st.faUnseen, a.ID)
			}
		}
	}
	p.mu.Unlock()
	if d.HideSecret {
		d.App.Secret, d.Mask = "", strings.Repeat("•", 22)
	}
	if !found {
		notFound(p, "freeagent")(w, r)
		return
	}
	p.render(w, http.StatusOK, "freeagent", d.App.Name+" | FreeAgent Developer Dashboard", "fa_app", d)
}

// faRegenerate is "Regenerate secret" (wording 2026): a new OAuth secret,
// the one before it stops working at once; the app page shows the new one
// once.
func (p *Portals) faRegenerate(w http.ResponseWriter, r *http.Request) {
	if !p.w26() {
		notFound(p, "freeagent")(w, r)
		return
	}
	p.mu.Lock()
	var app *FreeAgentApp
	for _, a := range p.st.faApps {
		if a.ID == r.PathValue("id") {
			app = a
		}
	}
	if app != nil {
		app.Secret = randToken(22)
		app.SecretRegenerations++
		p.st.faUnseen[app.ID] = true
		p.logWrite("freeagent", "secret regenerated", fmt.Sprintf("%q id %s", app.Name, app.ID))
	}
	p.mu.Unlock()
	if app == nil {
		notFound(p, "freeagent")(w, r)
		return
	}
	if ss := p.getSession(p.servers[srvFreeAgent], r); ss != nil {
		p.mu.Lock()
		ss.flash = msgFARegenerated
		p.mu.Unlock()
	}
	http.Redirect(w, r, "/apps/"+app.ID, http.StatusSeeOther)
}
