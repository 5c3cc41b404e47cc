package locate

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portalbot/selectors"
)

// The bot's page script (js/engine.js) is installed once per document in
// an isolated world of the tab's main frame, as Playwright installs its
// injected script: the page's own scripts cannot see or change it, and a
// look or a wait is one call to the page instead of one per locator,
// candidate and check. A navigation destroys the world; the next call finds
// its objects gone and installs the engine in the new document.

// WorldName is the name of the bot's isolated world (shown by DevTools).
const WorldName = "portalbot"

// world is the bot's isolated world in a tab's current document.
type world struct {
	ctx runtime.ExecutionContextID
	doc runtime.RemoteObjectID // the document, seen from the world
}

// worlds holds the current world of each tab, by its chromedp target.
var worlds sync.Map // *chromedp.Target → world

func tabKey(ctx context.Context) any {
	if c := chromedp.FromContext(ctx); c != nil && c.Target != nil {
		return c.Target
	}
	return nil
}

// currentWorld returns the tab's world, installing the engine when the tab
// has none yet (or fresh is set: the document changed).
func currentWorld(ctx context.Context, fresh bool) (world, error) {
	key := tabKey(ctx)
	if key != nil && !fresh {
		if w, ok := worlds.Load(key); ok {
			return w.(world), nil
		}
	}
	tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return world{}, fmt.Errorf("locate: install the page script: %w", err)
	}
	if tree.FrameTree == nil || tree.FrameTree.Frame == nil {
		return world{}, fmt.Errorf("locate: install the page script: the tab has no frame")
	}
	iw, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: tree.FrameTree.Frame.ID, WorldName: WorldName})
	if err != nil {
		return world{}, fmt.Errorf("locate: install the page script: %w", err)
	}
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: jsEngine, ContextID: iw.ExecutionContextID})
	if err != nil {
		return world{}, fmt.Errorf("locate: install the page script: %w", err)
	}
	if r.ExceptionDetails != nil {
		return world{}, fmt.Errorf("locate: install the page script: %s", exceptionText(r.ExceptionDetails))
	}
	w := world{ctx: iw.ExecutionContextID, doc: r.Result.ObjectID}
	if key != nil {
		worlds.Store(key, w)
	}
	return w, nil
}

// Forget drops what the bot knows of the tab's page script (a tab closed).
func Forget(ctx context.Context) {
	if key := tabKey(ctx); key != nil {
		worlds.Delete(key)
	}
}

// stale errors say the world's document is gone (the tab navigated).
func stale(err error) bool {
	s := err.Error()
	for _, w := range []string{"Cannot find context", "context with specified id", "Execution context was destroyed",
		"Could not find object", "Invalid remote object id", "Inspected target navigated", "__portalbot"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// onEngine runs fn (a function of the engine, this = the document) in the
// tab's world, installing the engine again when the document changed.
func onEngine(ctx context.Context, fn, group string, byValue, await bool, args ...any) (*runtime.RemoteObject, error) {
	for try := 0; ; try++ {
		w, err := currentWorld(ctx, try > 0)
		if err != nil {
			return nil, err
		}
		r, err := call(ctx, w.doc, fn, group, byValue, await, args...)
		if err != nil && try == 0 && ctx.Err() == nil && stale(err) {
			continue
		}
		return r, err
	}
}

// jsLoc is a locator as the engine reads it, with the run's variables in
// place and a near "@key" anchor as the element it names.
type jsLoc struct {
	Role    string `json:"role,omitempty"`
	Name    string `json:"name,omitempty"`
	Label   string `json:"label,omitempty"`
	Text    string `json:"text,omitempty"`
	Pattern string `json:"pattern,omitempty"`
	Beside  string `json:"beside,omitempty"`
	CSS     string `json:"css,omitempty"`
	Near    string `json:"near,omitempty"`
	Anchor  *jsEl  `json:"anchor,omitempty"`
}

// jsEl is an element as the engine reads it: its scope and its locators.
type jsEl struct {
	Scope []jsLoc `json:"scope,omitempty"`
	Locs  []jsLoc `json:"locs"`
}

// spec describes el for the engine.
func (f *Finder) spec(el *selectors.Element, depth int) (*jsEl, error) {
	if len(el.Locators) == 0 {
		return nil, &NoLocatorError{Element: el.Name}
	}
	out := &jsEl{}
	for _, w := range el.Within {
		l, err := f.jsLoc(el, w, depth)
		if err != nil {
			return nil, err
		}
		out.Scope = append(out.Scope, l)
	}
	for _, loc := range el.Locators {
		l, err := f.jsLoc(el, loc, depth)
		if err != nil {
			return nil, err
		}
		out.Locs = append(out.Locs, l)
	}
	return out, nil
}

func (f *Finder) jsLoc(el *selectors.Element, loc selectors.Locator, depth int) (jsLoc, error) {
	loc = f.fill(loc)
	l := jsLoc{Role: loc.Role, Name: loc.Name, Label: loc.Label, Text: loc.Text, Pattern: loc.Pattern,
		Beside: loc.Beside, CSS: loc.CSS, Near: loc.Near}
	if ref, ok := strings.CutPrefix(loc.Near, "@"); ok {
		if f.Set == nil {
			return l, fmt.Errorf("locate: %s: near %s needs the selectors data", el.Name, loc.Near)
		}
		if depth > 4 {
			return l, fmt.Errorf("locate: %s: near %s: anchors nest too deep", el.Name, loc.Near)
		}
		a, err := f.spec(f.Set.Element(el.Page+"."+ref), depth+1)
		if err != nil {
			return l, err
		}
		l.Near, l.Anchor = "", a
	}
	return l, nil
}

// found is the engine's answer to a look or a wait.
type found struct {
	Index   int    `json:"index"`
	Unwired string `json:"unwired"`
	Most    int    `json:"most"`
	Which   int    `json:"which"`
	Timeout bool   `json:"timeout"`
	Error   string `json:"error"`
}

const jsFind = `function(specs, ms) { return globalThis.__portalbot.find(this, specs, ms); }`

// exact looks for els as written, in order, and returns the first found
// (which says which); with d > 0 it waits up to d in the page for one of
// them to show, waking on DOM changes.
func (f *Finder) exact(ctx context.Context, els []*selectors.Element, d time.Duration) (m *Match, which, most int, err error) {
	specs := make([]*jsEl, len(els))
	for i, el := range els {
		if specs[i], err = f.spec(el, 0); err != nil {
			return nil, -1, 0, err
		}
	}
	f.newGroup(ctx)
	obj, err := onEngine(ctx, jsFind, f.group, false, d > 0, specs, d.Milliseconds())
	if err != nil {
		return nil, -1, 0, err
	}
	props, err := chromedp.Call(ctx, runtime.GetProperties, runtime.GetPropertiesParams{ObjectID: obj.ObjectID, OwnProperties: new(true)})
	if err != nil {
		return nil, -1, 0, err
	}
	var el runtime.RemoteObjectID
	var got found
	for _, p := range props.Result {
		if p.Value == nil {
			continue
		}
		switch p.Name {
		case "0":
			el = p.Value.ObjectID
		case "1":
			var s string
			if json.Unmarshal(p.Value.Value, &s) == nil {
				_ = json.Unmarshal([]byte(s), &got)
			}
		}
	}
	if got.Error != "" {
		return nil, -1, got.Most, fmt.Errorf("locate: page script: %s", got.Error)
	}
	if el == "" || got.Which < 0 || got.Which >= len(els) {
		return nil, -1, got.Most, nil
	}
	e := els[got.Which]
	if got.Index < 0 || got.Index >= len(e.Locators) {
		return nil, -1, got.Most, fmt.Errorf("locate: page script: locator %d of %s", got.Index, e.Name)
	}
	return &Match{Element: e, Index: got.Index, Locator: f.fill(e.Locators[got.Index]), Unwired: got.Unwired, obj: el, finder: f}, got.Which, 1, nil
}

// newGroup releases the page objects of the finder's previous look and
// starts a new group for this one.
func (f *Finder) newGroup(ctx context.Context) {
	if f.group != "" {
		_, _ = chromedp.Call(ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: f.group})
	}
	f.group = fmt.Sprintf("portalbot-%d", groups.Add(1))
}

// slice is how long one wait in the page lasts: until d (from start) when
// that is ahead, else a short slice so the caller looks again its own way
// (drift rules, guard); never past ctx's deadline.
func slice(ctx context.Context, start time.Time, d time.Duration) time.Duration {
	s := d - time.Since(start)
	if s <= 0 {
		s = 250 * time.Millisecond
	}
	if dl, ok := ctx.Deadline(); ok {
		s = min(s, time.Until(dl)-25*time.Millisecond)
	}
	return max(s, 0)
}

func exceptionText(e *runtime.ExceptionDetails) string {
	msg := e.Text
	if e.Exception != nil && e.Exception.Description != "" {
		msg += " " + e.Exception.Description
	}
	return msg
}
