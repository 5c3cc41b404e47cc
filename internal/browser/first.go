package browser

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// A browser the bot launches may open the run's first page itself: the
// address is on its command line instead of about:blank, so the first
// request leaves while the browser is still starting (its first tab's
// renderer, the protocol's session and the bot's own preparation of the tab
// all come after it otherwise). On this 2-core VM the request left
// 0.13–0.17 s after the launch instead of 0.21–0.25 s for a bare browser,
// and about 0.3 s in a run, whose tab is prepared before it navigates.

// launchedKey is the context key of the page a tab was launched on.
type launchedKey struct{}

// startURL is cfg.StartURL when it is an absolute http(s) address, else ""
// (nothing that the command line could read as a flag).
func startURL(raw string) string {
	u, err := url.Parse(raw)
	if raw == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return raw
}

// openOn makes the browser's command line open page in its first tab
// instead of about:blank (the last argument chromedp gives it).
func openOn(cmd *exec.Cmd, page string) {
	if page == "" {
		return
	}
	for i := len(cmd.Args) - 1; i > 0; i-- {
		if cmd.Args[i] == "about:blank" {
			cmd.Args[i] = page
			return
		}
	}
}

// LaunchedOn is the page the tab of ctx was launched on (config.Browser's
// StartURL, for a browser the bot launched), "" for any other tab.
func LaunchedOn(ctx context.Context) string {
	u, _ := ctx.Value(launchedKey{}).(string)
	return u
}

// ErrNotLaunched says a tab shows no page of its own launch: it must be
// navigated.
var ErrNotLaunched = errors.New("the tab was not launched on a page")

//go:embed js/status.js
var jsStatus string

// jsLoaded is js/loaded.js with js/status.js in place: the status is read
// one way wherever it is read.
var jsLoaded = strings.Replace(loadedJS, "/*@status*/", "(\n"+jsStatus+")", 1)

//go:embed js/loaded.js
var loadedJS string

// DocumentStatus is the HTTP status of the document of the tab of ctx, 0
// when the browser does not tell it or the page cannot be asked.
func DocumentStatus(ctx context.Context) int {
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](jsStatus))
	if err != nil {
		return 0
	}
	return n
}

// FirstLoad waits until the tab of ctx, launched on a page (LaunchedOn),
// shows the page that navigation ended on (after the site's redirects),
// loaded: what a navigation waits for, without asking the site again. It
// returns the page's HTTP status (0 when the browser does not tell it). A
// tab that is on no page and going to none (about:blank) gives
// ErrNotLaunched; a page that could not be loaded (the browser's error
// page) an error.
func FirstLoad(ctx context.Context) (status int, err error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil || LaunchedOn(ctx) == "" {
		return 0, ErrNotLaunched
	}
	info, err := chromedp.Call(ctx, target.GetTargetInfo, target.GetTargetInfoParams{TargetID: c.Target.TargetID})
	if err != nil {
		return 0, fmt.Errorf("the first page: %w", err)
	}
	if info.TargetInfo == nil || info.TargetInfo.URL == "" || info.TargetInfo.URL == "about:blank" {
		return 0, ErrNotLaunched
	}
	type loaded struct {
		Href   string `json:"href"`
		Status int    `json:"status"`
	}
	for {
		// On the tab's first, blank document the call waits until that
		// document is replaced, and ends with it: ask the next one.
		got, err := chromedp.Run(ctx, chromedp.Evaluate[loaded](jsLoaded, chromedp.EvalAwaitPromise))
		switch {
		case err == nil && (strings.HasPrefix(got.Href, "http://") || strings.HasPrefix(got.Href, "https://")):
			return got.Status, nil
		case err == nil:
			return 0, fmt.Errorf("the first page did not load (the browser shows %s)", strings.SplitN(got.Href, "?", 2)[0])
		case ctx.Err() != nil:
			return 0, fmt.Errorf("the first page did not load: %w", ctx.Err())
		case !replaced(err):
			return 0, fmt.Errorf("the first page: %w", err)
		}
	}
}

// replaced says a call ended because the tab's document was replaced.
func replaced(err error) bool {
	s := err.Error()
	for _, w := range []string{"Execution context was destroyed", "Cannot find context", "Inspected target navigated"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
