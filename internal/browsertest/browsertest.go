// Package browsertest starts one real headless browser per test binary and
// opens a fresh tab per test, after chromedp's own testAllocate. Each tab
// lives in a browser context of its own (cookies, storage), as in a browser
// just launched, so tests that share the browser never share a session.
package browsertest

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/browser"
	"portalbot/internal/config"
)

var (
	once     sync.Once
	browserC context.Context
	stop     func()
	startErr error

	pagesOnce sync.Once
	pagesC    context.Context
	pagesErr  error
	holder    *httptest.Server
)

// Viewport is the size every test tab gets.
var Viewport = config.Viewport{Width: 1280, Height: 800, Scale: 1}

// Args are the tests' browser flags beyond the bot's own. With one renderer
// process at most, Chrome puts the tabs of one browser context on one site
// into one renderer: a run's two tabs share one (the replicas all live on
// 127.0.0.1, where the real portals are on two sites), which saves starting
// a renderer per run: 11–13 % of the CPU of the Xero, FreeAgent and fault
// tests, and the flows package alone 445 core-seconds instead of 581. Runs
// in other browser contexts keep renderers of their own. Two pages on one
// main thread also make for harsher timing: looks land on pages still
// loading.
var Args = append([]string{"--renderer-process-limit=1"}, extraArgs()...)

// extraArgs are flags added from BOT_TEST_BROWSER_ARGS (separated by
// spaces: a flag's value may hold commas, as --disable-features=A,B does),
// to try a flag on the tests' browser without a change to the code.
func extraArgs() []string {
	return strings.Fields(os.Getenv("BOT_TEST_BROWSER_ARGS"))
}

// Main runs the tests of a package and closes the shared browser after them.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if stop != nil {
		stop()
	}
	if holder != nil {
		holder.Close()
	}
	os.Exit(code)
}

// Browser returns the shared browser context, starting it on first use.
func Browser(t testing.TB) context.Context {
	t.Helper()
	once.Do(func() {
		browserC, stop, startErr = browser.Start(context.Background(),
			config.Browser{ExecPath: os.Getenv("BOT_TEST_BROWSER"), Viewport: Viewport, Args: Args}, zap.NewNop())
	})
	if startErr != nil {
		t.Fatalf("start browser: %v (run `make browser`)", startErr)
	}
	return browserC
}

// Tab opens a new tab in a new browser context of the shared browser
// (cookies, storage, cache of its own: what a new browser process would
// see), closed when the test ends.
func Tab(t testing.TB) context.Context {
	t.Helper()
	tab, _ := Session(t)
	return tab
}

// Session opens a new tab in a new browser context of the shared browser:
// no cookie of another test or run. drop closes the context's tabs (the
// flows' second tab too) and disposes of it, as a killed browser loses its
// pages; it is also called when the test ends.
func Session(t testing.TB) (tab context.Context, drop func()) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(Browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	vp := Viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height))); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx, cancel
}

// Page opens a new tab in the browser context that the test binary's pages
// share, closed when the test ends. It is for tests of what a page shows,
// served by the test itself: they need no cookie or storage of their own,
// and a tab there costs a fraction of one in a context of its own. One tab
// of the context stays on a loopback page of this package for the binary's
// life, so the renderer that 127.0.0.1's pages share stays up between tests
// (tabs are its users: a renderer with none exits, and the next tab would
// start another, about 0.25 core-seconds). A test that navigates its tab
// from case to case pays only the navigations.
func Page(t testing.TB) context.Context {
	t.Helper()
	b := Browser(t)
	pagesOnce.Do(func() { pagesC, _, pagesErr = holding(b) })
	if pagesErr != nil {
		t.Fatalf("open the pages' browser context: %v", pagesErr)
	}
	ctx, cancel := chromedp.NewContext(pagesC)
	t.Cleanup(cancel)
	vp := Viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height))); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

// holding opens a new browser context of the browser b with one tab on the
// holder page (holderURL), which keeps the renderer of 127.0.0.1's pages in
// that context up while it lives; cancel closes it and disposes of the
// context.
func holding(b context.Context) (holder context.Context, cancel context.CancelFunc, err error) {
	holder, cancel = chromedp.NewContext(b, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(holder, chromedp.Navigate(holderURL())); err != nil {
		cancel()
		return nil, nil, err
	}
	return holder, cancel, nil
}

var holderOnce sync.Once

// holderURL is the loopback page that holds a browser context's renderer
// (Page, Recycled), served until the test binary ends.
func holderURL() string {
	holderOnce.Do(func() {
		holder = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!doctype html><title>holder</title>"))
		}))
	})
	return holder.URL
}

// Remote starts a headless browser of its own that processes attach to
// through its DevTools websocket (browser.remote_url), so that tests of the
// bot binary share one browser instead of launching one each. stop kills it
// and removes its profile.
func Remote() (wsURL string, stop func(), err error) {
	path, err := browser.Find(os.Getenv("BOT_TEST_BROWSER"))
	if err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "portalbot-browser")
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--hide-scrollbars", "--mute-audio", browser.EngineFlag, browser.AccessibilityFlag, "--disable-partial-raster",
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+dir)
	cmd.Args = append(append(append(cmd.Args, browser.StartFlags...), Args...), "about:blank")
	// Its own process group, killed as a whole: Debian's
	// chromium-headless-shell is a script that runs the browser as a child.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("start %s: %w", path, err)
	}
	stop = func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	ws := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				ws <- strings.TrimSpace(url)
			}
		}
	}()
	select {
	case url := <-ws:
		return url, stop, nil
	case <-time.After(30 * time.Second):
		stop()
		return "", nil, fmt.Errorf("%s printed no DevTools URL in 30s", path)
	}
}

// Alive says process pid runs: it exists and is not a zombie (Linux: read
// from /proc; elsewhere false). Tests use it to see that a stopped browser
// left no process behind.
func Alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(f) > 0 && f[0] != "Z"
}

// StillAlive waits, up to d, until none of pids is alive, and returns those
// that still are then. A process killed with SIGKILL runs no code of its
// own after the kill, but the kernel takes a while (tens of ms for a
// browser) to tear it down: a test of a process that was killed looks for
// it to be gone, not gone at once.
func StillAlive(pids []int, d time.Duration) []int {
	deadline := time.Now().Add(d)
	for {
		var alive []int
		for _, p := range pids {
			if Alive(p) {
				alive = append(alive, p)
			}
		}
		if len(alive) == 0 || time.Now().After(deadline) {
			return alive
		}
		time.Sleep(10 * time.Millisecond)
	}
}
