package browser

import (
	"context"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/chromedp"
)

// Lean turns off, in a tab the bot drives, the DOM and CSS domains chromedp
// enables for its node queries, which the bot does not use (it finds
// elements with its own page script). With the DOM domain on, chromedp
// asks the renderer for the document (DOM.getDocument) at each navigation,
// 20 to 40 ms of the renderer's main thread while the new page loads, and
// the browser reports each style sheet and media query. A domain the
// browser cannot turn off is left on: the tab works either way.
func Lean(tab context.Context) {
	_, _ = chromedp.Call(tab, dom.Disable, cdp.Empty{})
	_, _ = chromedp.Call(tab, css.Disable, cdp.Empty{})
}
