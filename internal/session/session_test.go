package session_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portalbot/internal/browsertest"
	"portalbot/internal/session"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// site is a portal stand-in: "/" sets its cookies and local storage, "/who"
// says which cookies came back. hits counts the requests that reached it.
type site struct {
	*httptest.Server
	hits atomic.Int32
}

func newSite(t testing.TB, prefix string) *site {
	s := &site{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		switch r.URL.Path {
		case "/":
			http.SetCookie(w, &http.Cookie{Name: prefix + "_session", Value: prefix + "-session-token-0123456789", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
			http.SetCookie(w, &http.Cookie{Name: prefix + "_trusted", Value: prefix + "-trusted-token-0123456789", Path: "/", MaxAge: 3600})
			_, _ = fmt.Fprintf(w, `<title>set</title><script>localStorage.setItem(%q, "token-for-%s")</script>`, prefix+".auth", prefix)
		case "/who":
			var names []string
			for _, c := range r.Cookies() {
				names = append(names, c.Name+"="+c.Value)
			}
			_, _ = fmt.Fprintf(w, `<title>%s</title>`, strings.Join(names, ";"))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func navigate(t *testing.T, tab context.Context, url string) {
	t.Helper()
	if err := navigateErr(tab, url); err != nil {
		t.Fatal(err)
	}
}

func navigateErr(tab context.Context, url string) error {
	return chromedp.Do(tab, chromedp.Navigate(url))
}

// A state captured in one browser context and restored in a fresh one
// signs that one in: cookies (session and persistent) and local storage of
// the portal's origins, nothing of another site, and no request reaches
// the portal for the local storage.
func TestCaptureRestoreRoundTrip(t *testing.T) {
	portal, other := newSite(t, "portal"), newSite(t, "other")
	origins := []string{portal.URL}

	a := browsertest.Tab(t)
	navigate(t, a, other.URL+"/")
	navigate(t, a, portal.URL+"/")
	st, err := session.Capture(a, origins, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]session.Cookie{}
	for _, c := range st.Cookies {
		names[c.Name] = c
	}
	if len(names) != 2 || names["portal_session"].Expires != -1 || names["portal_trusted"].Expires <= 0 || !names["portal_session"].HTTPOnly {
		t.Fatalf("captured cookies = %+v, want portal_session (session, httpOnly) and portal_trusted (persistent) only", st.Cookies)
	}
	if len(st.Origins) != 1 || st.Origins[0].Origin != portal.URL || len(st.Origins[0].LocalStorage) != 1 || st.Origins[0].LocalStorage[0].Value != "token-for-portal" {
		t.Fatalf("captured origins = %+v, want the portal's local storage only", st.Origins)
	}

	path := session.Path(filepath.Join(t.TempDir(), "sessions"), "xero", "Dev@Acme.example")
	if filepath.Base(path) != "xero-dev-acme.example.json" {
		t.Errorf("path = %s", path)
	}
	if err := session.Write(path, st); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("session file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	var raw map[string]any
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &raw); err != nil || raw["cookies"] == nil || raw["origins"] == nil {
		t.Fatalf("file is not in storageState form: %s", b)
	}
	back, err := session.Read(path)
	if err != nil {
		t.Fatal(err)
	}

	hits := portal.hits.Load()
	fresh := browsertest.Tab(t)
	if err := session.Restore(fresh, back, origins, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := portal.hits.Load(); got != hits {
		t.Errorf("restoring made %d requests to the portal, want none", got-hits)
	}
	navigate(t, fresh, portal.URL+"/who")
	title, _ := chromedp.Run(fresh, chromedp.Title())
	if !strings.Contains(title, "portal_session=portal-session-token-0123456789") || !strings.Contains(title, "portal_trusted=") {
		t.Errorf("the portal saw cookies %q, want the restored ones", title)
	}
	if strings.Contains(title, "other_") {
		t.Errorf("another site's cookies were restored: %q", title)
	}
	v, err := chromedp.Run(fresh, chromedp.Evaluate[string](`localStorage.getItem("portal.auth")`))
	if err != nil || v != "token-for-portal" {
		t.Errorf("local storage = %q, %v; want the restored value", v, err)
	}

	// What was restored is the portal's again at the next capture, also
	// the local storage of an origin no page shows now.
	navigate(t, fresh, other.URL+"/who")
	again, err := session.Capture(fresh, origins, back)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Cookies) != 2 || len(again.Origins) != 1 || again.Origins[0].LocalStorage[0].Value != "token-for-portal" {
		t.Errorf("capture after restore = %+v; want the 2 cookies and the local storage kept", again)
	}
	// Nothing changed: the end of a run has nothing to write (Same); a
	// changed cookie is written.
	if !again.Same(back) {
		t.Error("the capture after a restore is not Same as what was restored")
	}
	again.Cookies[0].Value += "-refreshed"
	if again.Same(back) || again.Same(nil) {
		t.Error("a refreshed cookie, or no earlier state, counts as Same")
	}
}

func TestReadRefusesAFileOthersCanRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(p, []byte(`{"cookies":[{"name":"a","value":"secret-cookie-value"}],"origins":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := session.Read(p); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("err = %v, want a refusal naming chmod 600", err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"cookies": [secret-cookie-value`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := session.Read(p); err == nil || strings.Contains(err.Error(), "secret-cookie-value") {
		t.Errorf("err = %v, want an error that does not quote the file", err)
	}
	if st, err := session.Read(filepath.Join(t.TempDir(), "missing.json")); st != nil || err != nil {
		t.Errorf("missing file: %v, %v; want nil, nil", st, err)
	}
}

func TestExpiredCookiesAreNotRestored(t *testing.T) {
	portal := newSite(t, "portal")
	st := &session.State{Cookies: []session.Cookie{
		{Name: "old", Value: "expired-value", Domain: "127.0.0.1", Path: "/", Expires: float64(time.Now().Add(-time.Hour).Unix())},
		{Name: "new", Value: "live-value", Domain: "127.0.0.1", Path: "/", Expires: -1},
	}}
	tab := browsertest.Tab(t)
	if err := session.Restore(tab, st, []string{portal.URL}, time.Now()); err != nil {
		t.Fatal(err)
	}
	navigate(t, tab, portal.URL+"/who")
	if title, _ := chromedp.Run(tab, chromedp.Title()); title != "new=live-value" {
		t.Errorf("cookies sent = %q, want only the live one", title)
	}
}
