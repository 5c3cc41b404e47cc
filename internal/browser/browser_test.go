package browser_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
	"go.uber.org/zap/zaptest"

	"portalbot/internal/browser"
	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fail"
)

func page(t *testing.T) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, "<title>hello portalbot</title>")
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func title(t *testing.T, tab context.Context, url string) string {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestLaunch(t *testing.T) {
	// The browser opens the run's first page itself, asked once, behind a
	// redirect as a portal's home page is when signed out.
	var asked atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/home":
			asked.Add(1)
			http.Redirect(w, r, "/sign-in", http.StatusFound)
		case "/sign-in":
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "signed-in", MaxAge: 3600})
			_, _ = fmt.Fprint(w, "<title>sign in</title><script>window.onload = () => { document.title += ', loaded' }</script>")
		}
	}))
	t.Cleanup(ts.Close)
	tab, stop, err := browser.Start(context.Background(), config.Browser{Viewport: config.Viewport{Width: 800, Height: 600, Scale: 1},
		Args:     []string{"--lang=fr-FR", "--disable-dev-shm-usage", "--disable-features=AutofillServerCommunication", "--enable-features=OverlayScrollbar", "--mute-audio=false"},
		StartURL: ts.URL + "/home"}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			stop()
		}
	}()
	if got := browser.LaunchedOn(tab); got != ts.URL+"/home" {
		t.Errorf("LaunchedOn = %q, want %q", got, ts.URL+"/home")
	}
	if status, err := browser.FirstLoad(tab); err != nil || status != http.StatusOK {
		t.Fatalf("FirstLoad: HTTP %d, %v; want the redirect's page, 200", status, err)
	}
	if got := browser.DocumentStatus(tab); got != http.StatusOK {
		t.Errorf("DocumentStatus = %d, want 200", got)
	}
	if got, err := chromedp.Run(tab, chromedp.Title()); err != nil || got != "sign in, loaded" || asked.Load() != 1 {
		t.Errorf("after FirstLoad: title %q (%v), the first page asked %d times; want the redirect's page loaded, asked once", got, err, asked.Load())
	}
	if got := title(t, tab, page(t)); got != "hello portalbot" {
		t.Errorf("title = %q", got)
	}
	w, err := chromedp.Run(tab, chromedp.Evaluate[int]("window.innerWidth"))
	if err != nil || w != 800 {
		t.Errorf("viewport width = %d, %v; want 800", w, err)
	}
	// The page script's flags (roles and names readable, trees kept), the
	// features turned off and on, incognito, and browser.args; a list of
	// features there adds to the bot's, --name=false leaves a flag out.
	cl, err := chromedp.CallBrowser(tab, cdpbrowser.GetBrowserCommandLine, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{browser.EngineFlag, browser.AccessibilityFlag, "--lang=fr-FR", "--disable-dev-shm-usage",
		"--disable-features=" + browser.DisabledFeatures + ",AutofillServerCommunication",
		"--enable-features=" + browser.EnabledFeatures + ",OverlayScrollbar", "--in-process-gpu", "--incognito"} {
		if !slices.Contains(cl.Arguments, f) {
			t.Errorf("the browser runs without %s: %q", f, cl.Arguments)
		}
	}
	for _, a := range cl.Arguments {
		if strings.HasPrefix(a, "--mute-audio") {
			t.Errorf("browser.args --mute-audio=false left %s in", a)
		}
	}
	// Stopped, the browser leaves neither its temporary profile nor a
	// process that names it.
	var profile string
	for _, a := range cl.Arguments {
		if d, ok := strings.CutPrefix(a, "--user-data-dir="); ok {
			profile = d
		}
	}
	if profile == "" {
		t.Fatalf("no --user-data-dir in %q", cl.Arguments)
	}
	// The portal's cookie is in the browser, and not on disk: incognito
	// keeps a session in memory.
	cookies, err := chromedp.CallBrowser(tab, storage.GetCookies, storage.GetCookiesParams{})
	if err != nil || len(cookies.Cookies) != 1 {
		t.Errorf("the browser's cookies: %v, %v; want the sign-in page's", cookies, err)
	}
	_ = filepath.WalkDir(profile, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "DevToolsActivePort" {
			t.Errorf("the browser wrote %s into its profile", p)
		}
		return nil
	})
	stop()
	stopped = true
	if _, err := os.Stat(profile); !os.IsNotExist(err) {
		t.Errorf("the profile %s is still there after stop (%v)", profile, err)
	}
	// Killed, they go once the kernel has torn them down: stop does not
	// wait for that.
	var named []int
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, f := range procs {
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "--user-data-dir="+profile) {
			named = append(named, pid)
		}
	}
	for _, pid := range browsertest.StillAlive(named, 5*time.Second) {
		t.Errorf("process %d still names the profile 5 s after stop", pid)
	}
}

func TestBadExecPathIsAConfigError(t *testing.T) {
	_, _, err := browser.Start(context.Background(), config.Browser{ExecPath: "/nonexistent/chrome"}, zaptest.NewLogger(t))
	if fail.KindOf(err) != fail.Config || !strings.Contains(err.Error(), "browser.exec_path") {
		t.Fatalf("err = %v, want a configuration error naming browser.exec_path", err)
	}
}

// With browser.remote_url the bot attaches to a browser that already runs
// (a fleet, a container) and leaves it running when it is done.
func TestAttachToRunningBrowser(t *testing.T) {
	url, stopBrowser, err := browsertest.Remote()
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(stopBrowser)
	tab, stop, err := browser.Start(context.Background(), config.Browser{RemoteURL: url, StartURL: page(t)}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	// A browser the bot attaches to opens no page of the run's by itself.
	if _, err := browser.FirstLoad(tab); !errors.Is(err, browser.ErrNotLaunched) || browser.LaunchedOn(tab) != "" {
		t.Errorf("FirstLoad on an attached browser = %v, LaunchedOn %q; want ErrNotLaunched and none", err, browser.LaunchedOn(tab))
	}
	url1 := page(t)
	if got := title(t, tab, url1); got != "hello portalbot" {
		t.Errorf("title = %q", got)
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.cookie = "session=1; max-age=600"`)); err != nil {
		t.Fatal(err)
	}
	stop()
	again, stopAgain, err := browser.Start(context.Background(), config.Browser{RemoteURL: url}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("detaching stopped the running browser: %v", err)
	}
	defer stopAgain()
	if got := title(t, again, url1); got != "hello portalbot" {
		t.Errorf("title after a second attach = %q", got)
	}
	// Each run has a browser context of its own: no session of another.
	if c, err := chromedp.Run(again, chromedp.Evaluate[string]("document.cookie")); err != nil || c != "" {
		t.Errorf("a second run sees the cookies of the first: %q, %v", c, err)
	}
}
