package fakeportal

import (
	"net/http"
	"net/url"
)

// The foreign host serves look-alike sign-in forms with the same labels as
// the real ones. A form posted here is counted (never its values) and the
// page comes back with a vague error, as a phishing page would.
func (p *Portals) foreignMux() http.Handler {
	mux := http.NewServeMux()
	const vague = "Something went wrong. Please try again."
	record := func(portal string) {
		p.mu.Lock()
		p.st.foreign[portal]++
		p.logWrite("foreign", "credentials submitted", "look-alike "+portal+" sign-in form")
		p.mu.Unlock()
	}
	mux.HandleFunc("/xero/identity/user/login", func(w http.ResponseWriter, r *http.Request) {
		d := xeroLoginData{Action: "/xero/identity/user/login?" + r.URL.RawQuery, ReturnURL: r.FormValue("ReturnUrl")}
		if r.Method == http.MethodPost {
			d.Email = r.FormValue("Username")
			d.PasswordStep = true
			if r.FormValue("Password") != "" {
				record("xero")
				d.Alert = vague
			}
		}
		p.render(w, http.StatusOK, "xero", "Log in | Xero", "xero_login", d)
	})
	mux.HandleFunc("/codat/u/login/identifier", func(w http.ResponseWriter, r *http.Request) {
		st := r.FormValue("state")
		if r.Method == http.MethodPost {
			http.Redirect(w, r, "/codat/u/login/password?state="+url.QueryEscape(st)+"&email="+url.QueryEscape(r.FormValue("username")), http.StatusFound)
			return
		}
		d := codatLoginData{Action: "/codat/u/login/identifier?state=" + url.QueryEscape(st), State: st}
		p.render(w, http.StatusOK, "codat", "Log in | Codat", "codat_identifier", d)
	})
	mux.HandleFunc("/codat/u/login/password", func(w http.ResponseWriter, r *http.Request) {
		st := r.FormValue("state")
		d := codatLoginData{Action: "/codat/u/login/password?state=" + url.QueryEscape(st), State: st, Email: r.FormValue("email")}
		if r.Method == http.MethodPost {
			d.Email = r.FormValue("username")
			record("codat")
			d.Alert = vague
		}
		p.render(w, http.StatusOK, "codat", "Enter your password | Codat", "codat_password", d)
	})
	mux.HandleFunc("/freeagent/users/sign_in", func(w http.ResponseWriter, r *http.Request) {
		d := faData{Errors: map[string]string{}}
		if r.Method == http.MethodPost {
			record("freeagent")
			d.Email = r.FormValue("user[email]")
			d.Alert = vague
		}
		p.render(w, http.StatusOK, "freeagent", "Sign in | FreeAgent Developer Dashboard", "fa_signin", d)
	})
	mux.HandleFunc("/", notFound(p, "foreign"))
	return mux
}
