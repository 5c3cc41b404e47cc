package browser_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap/zaptest"

	"portalbot/internal/browser"
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
	tab, stop, err := browser.Start(context.Background(), config.Browser{Viewport: config.Viewport{Width: 800, Height: 600, Scale: 1}}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if got := title(t, tab, page(t)); got != "hello portalbot" {
		t.Errorf("title = %q", got)
	}
	w, err := chromedp.Run(tab, chromedp.Evaluate[int]("window.innerWidth"))
	if err != nil || w != 800 {
		t.Errorf("viewport width = %d, %v; want 800", w, err)
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
	path, err := browser.Find("")
	if err != nil {
		t.Skip(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"--user-data-dir="+t.TempDir(), "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ws := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "DevTools listening on "); ok {
				ws <- url
			}
		}
	}()
	var url string
	select {
	case url = <-ws:
	case <-time.After(20 * time.Second):
		t.Fatal("the browser printed no DevTools URL")
	}
	tab, stop, err := browser.Start(context.Background(), config.Browser{RemoteURL: url}, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := title(t, tab, page(t)); got != "hello portalbot" {
		t.Errorf("title = %q", got)
	}
	stop()
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Errorf("detaching stopped the running browser: %v", err)
	}
}
