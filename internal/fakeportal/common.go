package fakeportal

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

// L returns the visible label for s after the Rename fault, else after
// the drift fault. Every visible label and accessible name of every page
// goes through here.
func (p *Portals) L(s string) string {
	p.fmu.RLock()
	defer p.fmu.RUnlock()
	if n, ok := p.faults.Rename[s]; ok {
		return n
	}
	if p.drift != nil {
		return p.drift.get(s).Became
	}
	return s
}

// primeDrift decides the drift of every label of the catalogue, so the
// records (and cmd/fakeportals) list the changes before any page is
// drawn. Needs p.fmu held for writing.
func (p *Portals) primeDriftLocked() {
	if p.drift == nil {
		return
	}
	for _, l := range catalogue(p.opts.Wording, p.opts.XeroConnectionLimit) {
		if _, renamed := p.faults.Rename[l]; renamed || slices.Contains(p.faults.Remove, l) {
			continue
		}
		p.drift.get(l)
	}
}

// moveMode says whether the drift fault moved the field label s into its
// control: DriftPlaceholder, DriftTooltip or "".
func (p *Portals) moveMode(s string) string {
	p.fmu.RLock()
	defer p.fmu.RUnlock()
	if _, renamed := p.faults.Rename[s]; renamed || p.drift == nil {
		return ""
	}
	switch c := p.drift.get(s); c.How {
	case DriftPlaceholder, DriftTooltip:
		return c.How
	}
	return ""
}

// driftList returns the drift fault's changes so far.
func (p *Portals) driftList() []DriftChange {
	p.fmu.RLock()
	defer p.fmu.RUnlock()
	if p.drift == nil {
		return nil
	}
	return p.drift.list()
}

// show reports whether the element labelled s is rendered (Remove fault).
func (p *Portals) show(s string) bool {
	p.fmu.RLock()
	defer p.fmu.RUnlock()
	return !slices.Contains(p.faults.Remove, s)
}

func parseTemplates(p *Portals) (*template.Template, error) {
	funcs := template.FuncMap{
		"K":    p.K,
		"N":    func(s string) string { return s },
		"w26":  p.w26,
		"L":    p.L,
		"show": p.show,
		"Lf":   func(format string, args ...any) string { return p.L(fmt.Sprintf(format, args...)) },
		"showf": func(format string, args ...any) bool {
			return p.show(fmt.Sprintf(format, args...))
		},
		"when": func(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") },
		"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"join": strings.Join,
		"add1": func(i int) int { return i + 1 },
		"labels": func(keys ...string) map[string]any {
			// labels for page JS: {"x": {"t": renamed, "show": bool}}
			m := map[string]any{}
			for _, k := range keys {
				m[k] = map[string]any{"t": p.L(k), "show": p.show(k)}
			}
			return m
		},
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	return template.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html")
}

// page is the data of every page: the body template's own data in D.
type page struct {
	Title       string
	Portal      string
	Body        template.HTML
	LayoutShift bool
	// Designed: the replicas have a designed latency (a benchmark): the
	// page reports its own designed waits (a dialog's entrance) to
	// /__replica/designed, so the floor counts them.
	Designed bool
}

// render writes a full page: body template name with data d inside the
// portal's shell.
func (p *Portals) render(w http.ResponseWriter, status int, portal, title, name string, d any) {
	if p.opts.Variant == VariantSPA {
		p.spaRender(w, status, portal, title, name, d)
		return
	}
	var body bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&body, name, d); err != nil {
		http.Error(w, "template "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	var out bytes.Buffer
	pg := page{Title: title, Portal: portal, Body: template.HTML(p.moveLabels(body.String())), LayoutShift: p.Faults().LayoutShift, Designed: p.Faults().Latency.Max > 0}
	if err := p.tmpl.ExecuteTemplate(&out, "shell", pg); err != nil {
		http.Error(w, "template shell: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(out.Bytes()) // the client went away: nothing to do
}

// fragment renders one template to a string (for fetch responses).
func (p *Portals) fragment(name string, d any) string {
	var b bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&b, name, d); err != nil {
		return "<p>template error</p>"
	}
	return b.String()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing to do
}

// statusRecorder keeps the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// wrap adds the request log and the per-request faults.
func (p *Portals) wrap(s *server, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p.opts.Logf != nil {
				// Path only: queries carry codes and return URLs.
				p.opts.Logf("%s %s %s -> %d (%s)", s.name, r.Method, r.URL.Path, rec.status, time.Since(start).Round(time.Millisecond))
			}
		}()
		f := p.Faults()
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if r.Method == http.MethodPost && r.URL.Path == designedPath {
			p.designedReport(s, w, r) // the replica's own bookkeeping: no latency
			return
		}
		if !p.designedLatency(s, r, f.Latency) {
			return
		}
		// A real origin check: a form or fetch from another origin is refused.
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "" && o != "null" && o != s.url {
				http.Error(rec, "Forbidden: cross-origin request", http.StatusForbidden)
				return
			}
		}
		if slices.Contains(f.Fail500Once, r.URL.Path) && p.fireOnce("500 "+r.URL.Path) {
			p.render(rec, http.StatusInternalServerError, s.portal, "Something went wrong", "error500", nil)
			return
		}
		if slices.Contains(f.ExpireSessionOn, r.URL.Path) && p.signedIn(s, r) && p.fireOnce("exp "+r.URL.Path) {
			p.mu.Lock()
			p.expirePortalLocked(s.portal)
			p.mu.Unlock()
		}
		h.ServeHTTP(rec, r)
	})
}

func (p *Portals) fireOnce(key string) bool {
	p.fmu.Lock()
	defer p.fmu.Unlock()
	if p.fired[key] {
		return false
	}
	p.fired[key] = true
	return true
}

// sessions

// signedIn reports whether the request carries a signed-in session of s.
func (p *Portals) signedIn(s *server, r *http.Request) bool {
	ss := p.getSession(s, r)
	return ss != nil && ss.account != "" && !ss.pending
}

func (p *Portals) getSession(s *server, r *http.Request) *session {
	c, err := r.Cookie(s.cookie)
	if err != nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return s.sess[c.Value]
}

// newSession stores ss and sets the cookie. Needs no lock held.
func (p *Portals) newSession(w http.ResponseWriter, s *server, ss *session) {
	tok := randToken(32)
	ss.created = time.Now()
	p.mu.Lock()
	s.sess[tok] = ss
	p.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func (p *Portals) dropSession(w http.ResponseWriter, s *server, r *http.Request) {
	if c, err := r.Cookie(s.cookie); err == nil {
		p.mu.Lock()
		delete(s.sess, c.Value)
		p.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookie, Value: "", Path: "/", MaxAge: -1})
}

// issueCode makes a one-time code a portal exchanges for a session.
func (p *Portals) issueCode(account string) string {
	code := randToken(24)
	p.mu.Lock()
	p.st.codes[code] = authCode{account: account, expires: time.Now().Add(2 * time.Minute)}
	p.mu.Unlock()
	return code
}

func (p *Portals) redeemCode(code string) (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.st.codes[code]
	delete(p.st.codes, code)
	if !ok || time.Now().After(c.expires) {
		return "", false
	}
	return c.account, true
}

// localPath accepts only a path on the same host ("/x", not "//x").
func localPath(s, def string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return def
	}
	return s
}

// withQuery adds k=v to a URL.
func withQuery(raw string, kv ...string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// captcha: the sign-in page of the portal named in CaptchaOn shows a
// challenge instead of the form. Ticking "I'm not a robot" and pressing
// "Verify" sets a cookie and goes back to the sign-in page.

func captchaCookie(portal string) string { return "captcha_ok_" + portal }

// captchaGate renders the captcha page and returns true when the portal's
// sign-in must show it.
func (p *Portals) captchaGate(w http.ResponseWriter, r *http.Request, portal string) bool {
	if p.Faults().CaptchaOn != portal {
		return false
	}
	if p.passedCaptcha(r, portal) {
		return false
	}
	p.render(w, http.StatusOK, portal, "Verify you are human", "captcha", map[string]any{
		"Return": r.URL.RequestURI(),
		"Error":  r.URL.Query().Get("captcha_error") != "",
	})
	return true
}

func (p *Portals) captchaVerify(portal string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ret := localPath(r.FormValue("return"), "/")
		if r.FormValue("robot") != "on" {
			http.Redirect(w, r, withQuery(ret, "captcha_error", "1"), http.StatusSeeOther)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: captchaCookie(portal), Value: "1", Path: "/"})
		u, _ := url.Parse(ret)
		q := u.Query()
		q.Del("captcha_error")
		u.RawQuery = q.Encode()
		http.Redirect(w, r, u.String(), http.StatusSeeOther)
	}
}

// foreignGate redirects the sign-in page to the foreign look-alike.
func (p *Portals) foreignGate(w http.ResponseWriter, r *http.Request, portal string) bool {
	if p.Faults().ForeignRedirectOn != portal {
		return false
	}
	target := p.ForeignURL + "/" + portal + r.URL.Path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, target, http.StatusFound)
	return true
}

// signInGates applies the captcha and foreign-redirect faults to a sign-in
// page (GET only).
func (p *Portals) signInGates(w http.ResponseWriter, r *http.Request, portal string) bool {
	if r.Method != http.MethodGet {
		return false
	}
	return p.foreignGate(w, r, portal) || p.captchaGate(w, r, portal)
}

func notFound(p *Portals, portal string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.render(w, http.StatusNotFound, portal, "Page not found", "notfound", nil)
	}
}

// requireSession serves h to a signed-in session of server srv. Without
// one, an API call (a path under apiPrefix, when set) gets a 401 the page's
// script shows, and a page goes to signIn.
func (p *Portals) requireSession(srv int, apiPrefix string, signIn, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ss := p.getSession(p.servers[srv], r); ss != nil && ss.account != "" {
			h(w, r)
			return
		}
		if apiPrefix != "" && strings.HasPrefix(r.URL.Path, apiPrefix) {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Your session has expired. Log in again."})
			return
		}
		signIn(w, r)
	}
}

// refuse records a refused sign-in or code on portal: it counts toward the
// portal's failures (Xero locks after 6) and is in the records.
func (p *Portals) refuse(portal, what, detail string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.st.failed[portal]++
	p.logWrite(portal, what, detail)
}
