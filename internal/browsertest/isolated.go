package browsertest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// IsolatedTab opens a tab of the shared browser in a browser context of its
// own (cookies, storage, cache: like a fresh profile), disposed of when the
// test ends. Use it where a test needs what a new browser process would
// see, e.g. a second run that must not inherit the first run's cookies.
func IsolatedTab(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(Browser(t), chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	vp := Viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height))); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}
