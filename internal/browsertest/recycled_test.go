package browsertest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"portalbot/internal/browsertest"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// A recycled browser context shows the next run nothing of the run before:
// no tab, no cookie, no local storage, and the HTTP cache empty.
func TestRecycledLeavesNothingOfTheRunBefore(t *testing.T) {
	var fetched atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/cached.js":
			fetched.Add(1)
			w.Header().Set("Cache-Control", "max-age=3600")
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = fmt.Fprint(w, "window.loaded = true;")
		case "/set":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/", MaxAge: 3600})
			_, _ = fmt.Fprint(w, `<!doctype html><script src="/cached.js"></script><script>localStorage.setItem("k", "v")</script>`)
		default:
			_, _ = fmt.Fprint(w, `<!doctype html><script src="/cached.js"></script>`)
		}
	}))
	defer ts.Close()
	origin := browsertest.Origin(ts.URL)

	tab, drop := browsertest.Recycled(t, origin)
	if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/set")); err != nil {
		t.Fatal(err)
	}
	other, _ := chromedp.NewContext(tab) // a run's second tab, left open
	if err := chromedp.Do(other, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	if n := fetched.Load(); n != 1 {
		t.Fatalf("the script was fetched %d times before the drop, want once (then cached)", n)
	}
	id := chromedp.FromContext(tab).BrowserContextID
	drop()

	tab, _ = browsertest.Recycled(t, origin)
	if got := chromedp.FromContext(tab).BrowserContextID; got != id {
		t.Fatalf("a new browser context %s, not the one recycled %s", got, id)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	seen, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.cookie + "|" + (localStorage.getItem("k") || "")`))
	if err != nil {
		t.Fatal(err)
	}
	if seen != "|" {
		t.Errorf("the next run sees cookie|storage %q, want nothing", seen)
	}
	if n := fetched.Load(); n != 2 {
		t.Errorf("the script was fetched %d times, want twice (the cache emptied)", n)
	}
	res, err := chromedp.CallBrowser(tab, target.GetTargets, target.GetTargetsParams{})
	if err != nil {
		t.Fatal(err)
	}
	tabs := 0
	for _, ti := range res.TargetInfos {
		if ti.BrowserContextID == id && ti.Type == "page" {
			tabs++
		}
	}
	if tabs != 2 {
		t.Errorf("%d tabs in the context, want 2 (the holder and the new run's)", tabs)
	}
}
