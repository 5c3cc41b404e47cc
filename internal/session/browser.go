package session

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

//go:embed read_storage.js
var readStorageJS string

//go:embed write_storage.js
var writeStorageJS string

// Capture reads the portal's signed-in state from the browser of tab (a
// chromedp context): the cookies its origins see, and the local storage of
// those origins that pages (tab among them) show now. Local storage can
// only be read by a page of its origin, and opening one costs a tab, so an
// origin no page shows keeps what prev had: its storage cannot have
// changed unless a page of it ran.
func Capture(tab context.Context, origins []string, prev *State, pages ...context.Context) (*State, error) {
	portal := parseOrigins(origins)
	res, err := chromedp.CallBrowser(tab, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: browserContext(tab)})
	if err != nil {
		return nil, fmt.Errorf("read the browser's cookies: %w", err)
	}
	st := &State{Cookies: []Cookie{}, Origins: []Origin{}}
	for _, c := range res.Cookies {
		if _, ok := belongs(c.Domain, c.SourcePort, portal); !ok {
			continue
		}
		exp := c.Expires
		if c.Session || exp <= 0 {
			exp = -1
		}
		st.Cookies = append(st.Cookies, Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires: exp, HTTPOnly: c.HTTPOnly, Secure: c.Secure, SameSite: string(c.SameSite)})
	}
	seen := map[string]bool{}
	for _, page := range append([]context.Context{tab}, pages...) {
		got, err := chromedp.Run(page, chromedp.Evaluate[pageStorage]("("+readStorageJS+")()"))
		if err != nil || seen[got.Origin] || !isOrigin(got.Origin, portal) {
			continue // between pages, or another site
		}
		seen[got.Origin] = true
		st.Origins = append(st.Origins, Origin{Origin: got.Origin, LocalStorage: got.Items})
	}
	st.keepOrigins(prev)
	// Playwright lists only origins that hold something.
	kept := st.Origins[:0]
	for _, o := range st.Origins {
		if len(o.LocalStorage) > 0 {
			kept = append(kept, o)
		}
	}
	st.Origins = kept
	return st, nil
}

// pageStorage is what read_storage.js returns.
type pageStorage struct {
	Origin string `json:"origin"`
	Items  []Item `json:"items"`
}

func isOrigin(o string, portal []origin) bool {
	for _, p := range portal {
		if p.raw == o {
			return true
		}
	}
	return false
}

// Restore puts st's cookies and local storage of the portal's origins into
// the browser of tab, before the tab's first navigation. Cookies of other
// sites in the file, and expired ones, are left out.
func Restore(tab context.Context, st *State, origins []string, now time.Time) error {
	if st.Empty() {
		return nil
	}
	portal := parseOrigins(origins)
	var params []*network.CookieParam
	for _, c := range st.live(now) {
		o, ok := belongs(c.Domain, -1, portal)
		if !ok {
			continue
		}
		path := c.Path
		if path == "" {
			path = "/"
		}
		// The browser takes the default port of the URL's scheme as the
		// cookie's source port unless told: say which origin set it.
		p := &network.CookieParam{Name: c.Name, Value: c.Value, URL: o.raw + path, Path: path,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: network.CookieSameSite(c.SameSite), SourcePort: int64(o.port)}
		if len(c.Domain) > 1 && c.Domain[0] == '.' {
			p.Domain = c.Domain // a domain cookie; without it, host-only like the original
		}
		if c.Expires > 0 {
			p.Expires = cdp.TimeSinceEpoch(c.Expires)
		}
		params = append(params, p)
	}
	if len(params) > 0 {
		if _, err := chromedp.CallBrowser(tab, storage.SetCookies, storage.SetCookiesParams{Cookies: params, BrowserContextID: browserContext(tab)}); err != nil {
			return fmt.Errorf("set the session's cookies: %w", err)
		}
	}
	stored := map[string][]Item{}
	var with []origin
	for _, o := range portal {
		for _, so := range st.Origins {
			if so.Origin == o.raw && len(so.LocalStorage) > 0 {
				stored[o.raw] = so.LocalStorage
				with = append(with, o)
			}
		}
	}
	return onOrigins(tab, with, func(t context.Context, o origin) error {
		arg, err := json.Marshal(stored[o.raw])
		if err != nil {
			return err
		}
		if _, err := chromedp.Run(t, chromedp.Evaluate[int]("("+writeStorageJS+")("+string(arg)+")")); err != nil {
			return fmt.Errorf("set the local storage of %s: %w", o.raw, err)
		}
		return nil
	})
}

func browserContext(tab context.Context) cdp.BrowserContextID {
	if c := chromedp.FromContext(tab); c != nil {
		return c.BrowserContextID
	}
	return ""
}

// blankPage is what the portal's origins answer in the helper tab.
var blankPage = []byte("<!doctype html><title>portalbot session</title>")

// onOrigins runs fn in a helper tab (same browser, same cookie jar and
// storage as tab) showing each origin in turn, to write local storage
// before any page of the origin ran. No request may reach the portal for
// it, so every request to those origins is answered in the browser itself
// with a blank page (Fetch interception, as Playwright does for
// storageState), and service workers are bypassed. A tab costs about a
// second on a busy machine: only a state with local storage needs it.
func onOrigins(tab context.Context, origins []origin, fn func(t context.Context, o origin) error) error {
	if len(origins) == 0 {
		return nil
	}
	t, cancel := chromedp.NewContext(tab)
	defer cancel()
	if err := chromedp.Do(t); err != nil {
		return fmt.Errorf("open a helper tab: %w", err)
	}
	paused := chromedp.Events(t, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(t, fetch.FulfillRequest, fetch.FulfillRequestParams{
				RequestID: ev.RequestID, ResponseCode: 200, Body: blankPage,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}, {Name: "Cache-Control", Value: "no-store"}},
			}) // the tab went away: nothing to answer
		}
	}()
	var patterns []*fetch.RequestPattern
	for _, o := range origins {
		patterns = append(patterns, &fetch.RequestPattern{URLPattern: o.raw + "/*", RequestStage: fetch.RequestStageRequest})
	}
	if _, err := chromedp.Call(t, fetch.Enable, fetch.EnableParams{Patterns: patterns}); err != nil {
		return fmt.Errorf("intercept the helper tab's requests: %w", err)
	}
	_, _ = chromedp.Call(t, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}) // older browsers: no service worker to bypass
	for _, o := range origins {
		if err := chromedp.Do(t, chromedp.Navigate(o.raw+"/")); err != nil {
			return fmt.Errorf("open %s in the helper tab: %w", o.raw, err)
		}
		if err := fn(t, o); err != nil {
			return err
		}
	}
	return nil
}
