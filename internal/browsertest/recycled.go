package browsertest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// keptContext is a browser context of the shared browser that runs take in
// turn. Its holder tab stays on this package's loopback page, so the
// renderer that 127.0.0.1's pages share in it stays up from run to run.
type keptContext struct {
	holder context.Context
	cancel context.CancelFunc // closes the holder and disposes of the context
	id     cdp.BrowserContextID
	tab    target.ID // the holder's
}

var (
	keptMu   sync.Mutex
	keptFree []*keptContext
)

// Recycled is Session in a browser context that earlier runs used and
// left, emptied of what they left: every tab closed, every cookie, the
// storage of each of origins (local storage, IndexedDB, cache storage,
// service workers…) and the HTTP cache cleared. A run then sees what a new
// browser would show it on those origins, at a fraction of the cost of a
// new context: the context keeps its renderer (about 0.2 core-seconds a run
// on this project's machine). origins must be every origin the run visits
// (cookies are cleared whatever their site). No two runs hold one context at
// once. drop empties the context and gives it back; a context that cannot
// be emptied is disposed of.
func Recycled(t testing.TB, origins ...string) (tab context.Context, drop func()) {
	t.Helper()
	for _, o := range origins {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			t.Fatalf("Recycled: %q is not an origin (scheme://host:port)", o)
		}
	}
	k := takeContext(t)
	ctx, cancel := chromedp.NewContext(k.holder)
	drop = sync.OnceFunc(func() {
		cancel()
		if err := k.empty(origins); err != nil {
			t.Logf("a browser context not emptied, disposed of: %v", err)
			k.cancel()
			return
		}
		keptMu.Lock()
		keptFree = append(keptFree, k)
		keptMu.Unlock()
	})
	t.Cleanup(drop)
	vp := Viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height))); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx, drop
}

// Origin is the origin of a URL (scheme://host[:port]), "" when it has
// none.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// takeContext takes a free kept context, or makes one.
func takeContext(t testing.TB) *keptContext {
	t.Helper()
	keptMu.Lock()
	if n := len(keptFree); n > 0 {
		k := keptFree[n-1]
		keptFree = keptFree[:n-1]
		keptMu.Unlock()
		return k
	}
	keptMu.Unlock()
	h, cancel, err := holding(Browser(t))
	if err != nil {
		t.Fatalf("open a browser context: %v", err)
	}
	c := chromedp.FromContext(h)
	return &keptContext{holder: h, cancel: cancel, id: c.BrowserContextID, tab: c.Target.TargetID}
}

// empty closes every tab of the context but the holder (waiting until they
// are gone, so nothing of the run goes on), then clears the cookies, the
// storage of the origins and of those the tabs were on, and the HTTP cache.
func (k *keptContext) empty(origins []string) error {
	origins = slices.Clone(origins)
	ctx, cancel := context.WithTimeout(k.holder, 10*time.Second)
	defer cancel()
	for {
		res, err := chromedp.CallBrowser(ctx, target.GetTargets, target.GetTargetsParams{})
		if err != nil {
			return fmt.Errorf("list the tabs: %w", err)
		}
		open, holder := 0, false
		for _, ti := range res.TargetInfos {
			if ti.BrowserContextID != k.id {
				continue
			}
			if ti.TargetID == k.tab {
				holder = true
				continue
			}
			open++
			if o := Origin(ti.URL); strings.HasPrefix(o, "http") && !slices.Contains(origins, o) {
				origins = append(origins, o) // where a tab ended, in case the run went beyond them
			}
			_, _ = chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: ti.TargetID})
		}
		if !holder {
			return errors.New("the holder tab is gone")
		}
		if open == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d tabs still open: %w", open, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if _, err := chromedp.CallBrowser(ctx, storage.ClearCookies, storage.ClearCookiesParams{BrowserContextID: k.id}); err != nil {
		return fmt.Errorf("clear the cookies: %w", err)
	}
	for _, o := range origins {
		if _, err := chromedp.Call(ctx, storage.ClearDataForOrigin, storage.ClearDataForOriginParams{Origin: o, StorageTypes: "all"}); err != nil {
			return fmt.Errorf("clear the storage of %s: %w", o, err)
		}
	}
	if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		return fmt.Errorf("clear the HTTP cache: %w", err)
	}
	return nil
}
