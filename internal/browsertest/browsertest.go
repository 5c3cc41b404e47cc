// Package browsertest starts one real headless browser per test binary and
// opens a fresh tab per test, after chromedp's own testAllocate.
package browsertest

import (
	"context"
	"os"
	"sync"
	"testing"

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
)

// Viewport is the size every test tab gets.
var Viewport = config.Viewport{Width: 1280, Height: 800, Scale: 1}

// Main runs the tests of a package and closes the shared browser after them.
// Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if stop != nil {
		stop()
	}
	os.Exit(code)
}

// Browser returns the shared browser context, starting it on first use.
func Browser(t testing.TB) context.Context {
	t.Helper()
	once.Do(func() {
		browserC, stop, startErr = browser.Start(context.Background(),
			config.Browser{ExecPath: os.Getenv("BOT_TEST_BROWSER"), Viewport: Viewport}, zap.NewNop())
	})
	if startErr != nil {
		t.Fatalf("start browser: %v (run `make browser`)", startErr)
	}
	return browserC
}

// Tab opens a new tab in the shared browser, closed when the test ends.
func Tab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(Browser(t))
	t.Cleanup(cancel)
	vp := Viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height))); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}
