package fakeportal

// The "spa" variant: the same replicas (paths, state, labels, records,
// faults) drawn by JavaScript in the browser, with a DOM of their own:
// generated class names, per-render random ids, labels wired in several
// ways, custom radio/checkbox/switch widgets, dialogs in a portal with a
// transition, toasts, client-side navigation and fetch form posts.
//
// How it hangs together: every server's handler is wrapped by spaHandler,
// which passes a *spaWriter to the classic handlers. The classic handlers
// are unchanged; their one rendering function (render) hands the page name
// and its data to spaRender, which turns the data into a sanitised JSON
// view. A document request gets a shell (<div id=root> + script) and a
// one-time token for the view snapshot (so POST results and one-time
// flashes survive); a request from the page's router (header X-Spa-Request)
// gets the view JSON itself. The script is spa/app.js.

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// Rendering variants (Options.Variant).
const (
	VariantClassic = "classic" // server HTML; also ""
	VariantSPA     = "spa"     // single-page rendering, see spa.go
)

// spaHeader marks a request from the spa router: answer with view JSON.
const spaHeader = "X-Spa-Request"

//go:embed spa/app.js
var spaAppJS []byte

var spaAppVersion = func() string {
	s := sha256.Sum256(spaAppJS)
	return hex.EncodeToString(s[:6])
}()

// spaKeys are the labels the script asks for with L("...") or S("...")
// (both wordings), K("2023", "2026") or N("2026 only"), read from the
// script itself so the list cannot drift; spaLabelKeys are their texts.
var spaKeys = scanLabels(string(spaAppJS), true)

var spaLabelKeys = func() []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range spaKeys {
		if !seen[k.text] {
			seen[k.text] = true
			out = append(out, k.text)
		}
	}
	return out
}()

// VariantEnv names an environment variable that sets the variant when
// Options.Variant is empty, so a whole test suite (e.g. the bot's browser
// tests) can run against the spa variant unchanged:
// FAKEPORTAL_VARIANT=spa go test ./flows/
const VariantEnv = "FAKEPORTAL_VARIANT"

// spaVariant validates a variant, applying VariantEnv to an empty one.
func spaVariant(v string) (string, error) {
	if v == "" {
		v = os.Getenv(VariantEnv)
	}
	switch v {
	case "", VariantClassic, VariantSPA:
		return v, nil
	}
	return v, fmt.Errorf("fakeportal: unknown variant %q (want %q or %q)", v, VariantClassic, VariantSPA)
}

// spaWriter carries, to render, what the request wants.
type spaWriter struct {
	http.ResponseWriter
	json bool
	srv  *server
}

func (w *spaWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// view snapshots for document loads, by token.
type spaSnap struct {
	srv     *server
	env     map[string]any
	created time.Time
}

var spaViews = struct {
	sync.Mutex
	m map[string]spaSnap
}{m: map[string]spaSnap{}}

const spaViewTTL = 10 * time.Minute

func spaPut(s *server, env map[string]any) string {
	tok := randToken(24)
	now := time.Now()
	spaViews.Lock()
	defer spaViews.Unlock()
	for k, v := range spaViews.m {
		if now.Sub(v.created) > spaViewTTL {
			delete(spaViews.m, k)
		}
	}
	spaViews.m[tok] = spaSnap{srv: s, env: env, created: now}
	return tok
}

func spaGet(s *server, tok string) (map[string]any, bool) {
	spaViews.Lock()
	defer spaViews.Unlock()
	v, ok := spaViews.m[tok]
	if !ok || v.srv != s || time.Since(v.created) > spaViewTTL {
		return nil, false
	}
	return v.env, true
}

// spaHandler wraps one server's classic handler.
func (p *Portals) spaHandler(s *server, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/_spa/app.js" {
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(spaAppJS)
			return
		}
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/_spa/view/") {
			env, ok := spaGet(s, strings.TrimPrefix(r.URL.Path, "/_spa/view/"))
			if !ok {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": "view expired"})
				return
			}
			writeJSON(w, http.StatusOK, env)
			return
		}
		wantJSON := r.Header.Get(spaHeader) == "1"
		if wantJSON && p.spaNeedsSession(s, r.URL.Path) {
			if ss := p.getSession(s, r); ss == nil || ss.account == "" {
				// The router reloads the page, which goes to sign-in.
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "Your session has expired. Log in again."})
				return
			}
		}
		h.ServeHTTP(&spaWriter{ResponseWriter: w, json: wantJSON, srv: s}, r)
	})
}

// spaNeedsSession mirrors the classic handlers' sign-in gates (xeroDev,
// codatAuth, faAuth) for router requests, which must not follow a redirect
// to another origin.
func (p *Portals) spaNeedsSession(s *server, path string) bool {
	switch s {
	case p.servers[srvXeroDev]:
		return path != "/" && path != "/signin-oidc" && path != "/logout"
	case p.servers[srvCodat]:
		return path != "/callback" && path != "/logout"
	case p.servers[srvFreeAgent]:
		return path == "/apps" || strings.HasPrefix(path, "/apps/")
	}
	return false
}

// spaRender is render for the spa variant.
func (p *Portals) spaRender(w http.ResponseWriter, status int, portal, title, name string, d any) {
	view, extra := p.spaView(name, d)
	env := map[string]any{
		"page":        name,
		"title":       title,
		"portal":      portal,
		"status":      status,
		"layoutShift": p.Faults().LayoutShift,
		"labels":      p.spaLabels(extra),
		"view":        view,
	}
	if p.w26() {
		env["wording"] = Wording2026
	}
	sw, _ := w.(*spaWriter)
	if sw != nil && sw.json {
		writeJSON(w, status, env)
		return
	}
	tok := ""
	if sw != nil {
		tok = spaPut(sw.srv, env)
	}
	var b bytes.Buffer
	b.WriteString("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
	b.WriteString("<title>" + template.HTMLEscapeString(title) + "</title>")
	if tok != "" {
		b.WriteString("<meta name=\"spa-view\" content=\"" + tok + "\">")
	} else {
		// Not through spaHandler (the 500 fault in wrap): the view inline.
		js, _ := jsonString(env)
		b.WriteString("<script type=\"application/json\" data-spa-inline>" + js + "</script>")
	}
	b.WriteString("</head><body><div id=\"root\"></div>")
	b.WriteString("<script src=\"/_spa/app.js?v=" + spaAppVersion + "\"></script></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v) // escapes <, > and &
	return string(b), err
}

// spaLabels: every label of the script for this wording and the page's
// own ones, after the Rename, Remove and drift faults: {"label": {"t":
// shown text, "show": bool}}, plus "m": the drift that moved a field label
// into its control (DriftPlaceholder or DriftTooltip).
func (p *Portals) spaLabels(extra []string) map[string]any {
	m := make(map[string]any, len(spaKeys)+len(extra))
	w := orDefault(p.opts.Wording, Wording2023)
	keys := make([]string, 0, len(spaKeys)+len(extra))
	for _, k := range spaKeys {
		if k.wording == "" || k.wording == w {
			keys = append(keys, k.text)
		}
	}
	for _, k := range append(keys, extra...) {
		show := p.show(k)
		t := k
		if show { // a removed label is not drawn: no drift to record
			t = p.L(k)
		}
		l := map[string]any{"t": t, "show": show}
		switch p.moveMode(k) {
		case DriftPlaceholder:
			l["m"] = "placeholder"
		case DriftTooltip:
			l["m"] = "tooltip"
		}
		m[k] = l
	}
	return m
}

// lopt is L for an optional message.
func (p *Portals) lopt(s string) string {
	if s == "" {
		return ""
	}
	return p.L(s)
}

func (p *Portals) lmap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = p.L(v)
	}
	return out
}

// spaView turns a page's template data into its JSON view (never a secret
// the classic page does not show) and the page's dynamic label keys.
func (p *Portals) spaView(name string, d any) (map[string]any, []string) {
	when := func(t time.Time) string { return t.Local().Format("2 Jan 2006 15:04") }
	switch v := d.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]string: // simple
		return map[string]any{"heading": p.L(v["Heading"]), "text": p.L(v["Text"])}, nil
	case map[string]any: // captcha
		return map[string]any{"return": v["Return"], "error": v["Error"]}, nil
	case xeroLoginData:
		return map[string]any{"action": v.Action, "returnUrl": v.ReturnURL, "email": v.Email,
			"passwordStep": v.PasswordStep, "emailError": p.lopt(v.EmailError), "alert": p.lopt(v.Alert)}, nil
	case xeroTwoFactorData:
		return map[string]any{"action": v.Action, "alert": p.lopt(v.Alert)}, nil
	case xeroPushData:
		return map[string]any{"backup": v.Backup}, nil
	case xeroMyAppsData:
		apps := []map[string]any{}
		for _, a := range v.Apps {
			apps = append(apps, map[string]any{"id": a.ID, "name": a.Name, "integrationType": a.IntegrationType})
		}
		types := []map[string]string{}
		extra := []string{v.LimitLabel}
		for _, t := range v.Types {
			types = append(types, map[string]string{"value": t.Value, "label": t.Label})
			extra = append(extra, t.Label)
		}
		f := v.Form
		form := map[string]any{"open": f.Open, "name": f.Name, "type": f.Type, "companyUrl": f.CompanyURL,
			"redirectUri": f.RedirectURI, "ai": f.AI, "security": f.Security, "terms": f.Terms, "errors": p.lmap(f.Errors)}
		out := map[string]any{"email": v.Email, "apps": apps, "limit": v.Limit, "limitLabel": v.LimitLabel, "ask": v.Ask,
			"types": types, "form": form}
		if v.Screens == 2 {
			out["screens"] = 2
			form["screen"], form["draft"], form["alert"] = f.Screen, f.Draft, p.lopt(f.Alert)
		}
		return out, extra
	case xeroDetailsData:
		return map[string]any{"email": v.Email, "app": map[string]any{"id": v.App.ID, "name": v.App.Name}, "nav": v.Nav,
			"saved": v.Saved, "errors": p.lmap(v.Errors), "name": v.Name, "companyUrl": v.CompanyURL,
			"privacyUrl": v.PrivacyURL, "termsUrl": v.TermsURL}, nil
	case xeroConfigData:
		slots := []map[string]any{}
		for _, s := range v.Slots {
			m := map[string]any{"slot": s.Slot, "live": s.Live}
			if s.Live {
				m["createdAt"] = s.CreatedAt.UTC().Format(time.RFC3339)
				m["createdText"] = when(s.CreatedAt)
			}
			slots = append(slots, m)
		}
		extra := []string{"Client secret 1", "Client secret 2"}
		for i := 1; i <= 10; i++ {
			extra = append(extra, fmt.Sprintf("Redirect URI %d", i))
		}
		return map[string]any{"email": v.Email, "app": map[string]any{"id": v.App.ID, "name": v.App.Name}, "nav": v.Nav,
			"saved": v.Saved, "slots": slots, "live": v.Live, "redirectUris": v.RedirectURIs, "errors": p.lmap(v.Errors),
			"mask": "••••••••"}, extra
	case codatLoginData:
		return map[string]any{"action": v.Action, "state": v.State, "email": v.Email,
			"emailError": p.lopt(v.EmailError), "alert": p.lopt(v.Alert)}, nil
	case codatPageData:
		var extra []string
		row := func(r codatRow) map[string]any {
			extra = append(extra, r.Name, r.SwitchName)
			return map[string]any{"key": r.Key, "name": r.Name, "switchName": r.SwitchName,
				"configured": r.Configured, "enabled": r.Enabled}
		}
		rows := []map[string]any{}
		for _, r := range v.Rows {
			rows = append(rows, row(r))
		}
		out := map[string]any{"email": v.Email, "rows": rows}
		if v.NoRole {
			out["noRole"], out["noRoleText"] = true, p.L(v.NoRoleText)
		}
		if v.Row.Key != "" {
			cur := row(v.Row)
			cur["clientId"] = v.Row.ClientID
			out["row"] = cur
		}
		return out, extra
	case faData:
		apps := []map[string]any{}
		for _, a := range v.Apps {
			apps = append(apps, map[string]any{"id": a.ID, "name": a.Name, "description": a.Description})
		}
		out := map[string]any{"signedIn": v.SignedIn, "flash": p.lopt(v.Flash), "note": p.lopt(v.Note),
			"alert": p.lopt(v.Alert), "email": v.Email, "apps": apps, "errors": p.lmap(v.Errors),
			"name": v.Name, "description": v.Description, "homepageUrl": v.HomepageURL,
			"redirectUris": v.RedirectURIs, "practice": v.Practice,
			"heading": p.lopt(v.Heading), "text": p.lopt(v.Text)}
		if v.App.ID != "" {
			a := v.App
			out["app"] = map[string]any{"id": a.ID, "name": a.Name, "description": a.Description,
				"homepageUrl": a.HomepageURL, "redirectUris": append([]string{}, a.RedirectURIs...),
				"practice": a.PracticeAPI, "identifier": a.Identifier, "secret": a.Secret}
			if v.HideSecret {
				delete(out["app"].(map[string]any), "secret")
				out["hideSecret"], out["mask"] = true, v.Mask
			}
			if v.OnceSecret {
				out["onceSecret"] = true
			}
		}
		return out, nil
	}
	return map[string]any{"unknown": name}, nil
}
