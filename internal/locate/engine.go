package locate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"portalbot/selectors"
)

// The bot's page script (js/engine.js) lives in an isolated world of the
// tab's main frame, as Playwright's injected script does: the page's own
// scripts cannot see or change it, and a look or a wait is one call to the
// page instead of one per locator, candidate and check. The first use in a
// tab registers the script for every new document of the tab (the browser
// runs it as it creates the document, while the page loads) and installs
// it in the current one; the tab's events say which execution context is
// the world of the current document, so a navigation costs no call.

// WorldName is the name of the bot's isolated world (shown by DevTools).
const WorldName = "portalbot"

// sayBinding is the function the bot's world has to tell the bot what a
// look found (Runtime.addBinding, in that world alone): a look's answer
// then takes one call. Its events come on the tab's session before the
// call's answer, in the order the page sent them.
const sayBinding = "__portalbotSay"

// tabWorld is what the bot knows of its world in one tab.
type tabWorld struct {
	mu      sync.Mutex
	ctx     runtime.ExecutionContextID // the world of the current document; 0 when unknown
	unique  string                     // its unique id (what a destroyed event names)
	changed chan struct{}              // closed (and replaced) when ctx changes
	said    map[string]string          // what the looks in progress told through sayBinding, by token ("" not yet)
}

// expect says a look of token is about to ask the page: what it tells is
// kept until take.
func (t *tabWorld) expect(token string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.said == nil {
		t.said = map[string]string{}
	}
	t.said[token] = ""
}

// tell keeps what the look of token told, when a look is waiting for it (a
// wait the bot gave up on may still answer later: that is dropped).
func (t *tabWorld) tell(token, info string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.said[token]; ok {
		t.said[token] = info
	}
}

// take returns what the look of token told, and stops waiting for it.
func (t *tabWorld) take(token string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	v := t.said[token]
	delete(t.said, token)
	return v, v != ""
}

func (t *tabWorld) get() runtime.ExecutionContextID {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ctx
}

func (t *tabWorld) set(id runtime.ExecutionContextID, unique string) {
	t.mu.Lock()
	t.ctx, t.unique = id, unique
	t.signal()
	t.mu.Unlock()
}

// signal wakes the waits for a change of ctx; t.mu is held.
func (t *tabWorld) signal() {
	if t.changed != nil {
		close(t.changed)
	}
	t.changed = make(chan struct{})
}

// next waits up to d for the tab to announce a world other than failed
// (the document it was in is gone: the new one's world comes with the
// script already run) and returns it, or 0.
func (t *tabWorld) next(ctx context.Context, failed runtime.ExecutionContextID, d time.Duration) runtime.ExecutionContextID {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		t.mu.Lock()
		id := t.ctx
		if t.changed == nil {
			t.changed = make(chan struct{})
		}
		ch := t.changed
		t.mu.Unlock()
		if id != 0 && id != failed {
			return id
		}
		select {
		case <-ch:
		case <-timer.C:
			return 0
		case <-ctx.Done():
			return 0
		}
	}
}

// nextDocument waits, after a look in world failed because its document
// went away, until the tab announces the next document's world, so the look
// is tried again as soon as there is a page to look at; at most
// PollInterval, for an error that was not a navigation (the world is the
// same) or a tab the bot has not looked at yet.
func nextDocument(ctx context.Context, failed runtime.ExecutionContextID) {
	if c := chromedp.FromContext(ctx); failed != 0 && c != nil && c.Target != nil {
		if v, ok := worlds.Load(c.Target); ok {
			v.(*tabWorld).next(ctx, failed, PollInterval)
			return
		}
	}
	_ = wait(ctx)
}

// worlds holds each tab's world, by its chromedp target.
var worlds sync.Map // *chromedp.Target → *tabWorld

// Prepare registers the engine for the tab's documents to come: each is
// created with the bot's world and the engine in it, so the first look on
// a page finds them there. Call it before the tab's first navigation; a
// tab never prepared is prepared at its first look, which then also
// installs the engine in the document it shows (about 40 ms of calls on a
// page the bot waits on).
func Prepare(ctx context.Context) error {
	_, _, err := followed(ctx)
	return err
}

// followed returns the tab's chromedp target and its world, which it
// starts to follow (and registers the engine for) on first use.
func followed(ctx context.Context) (*chromedp.Target, *tabWorld, error) {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		if err := chromedp.Do(ctx); err != nil { // a tab not opened yet
			return nil, nil, fmt.Errorf("locate: %w", err)
		}
		if c = chromedp.FromContext(ctx); c == nil || c.Target == nil {
			return nil, nil, fmt.Errorf("locate: not a browser tab")
		}
	}
	v, loaded := worlds.LoadOrStore(c.Target, &tabWorld{})
	tw := v.(*tabWorld)
	if !loaded {
		if err := watch(ctx, c.Target.TargetID, tw); err != nil {
			worlds.Delete(c.Target)
			return nil, nil, err
		}
	}
	return c.Target, tw, nil
}

// currentWorld returns the execution context of the bot's world in the
// tab's current document: the one the tab's events announced, or (first
// use, or fresh: the known one is gone and none was announced) one it
// creates and installs the engine in.
func currentWorld(ctx context.Context, fresh bool) (runtime.ExecutionContextID, error) {
	return world(ctx, fresh, 0)
}

// world is currentWorld, and more: when failed names a world a call has
// just found gone (the tab navigated), it first waits up to a second for
// the tab to announce the next document's world (in which the registered
// script has run) before it installs the engine itself.
func world(ctx context.Context, fresh bool, failed runtime.ExecutionContextID) (runtime.ExecutionContextID, error) {
	tgt, tw, err := followed(ctx)
	if err != nil {
		return 0, err
	}
	if id := tw.get(); id != 0 && id != failed && !fresh {
		return id, nil
	}
	if failed != 0 && !fresh {
		if id := tw.next(ctx, failed, time.Second); id != 0 {
			return id, nil
		}
	}
	iw, err := chromedp.Call(ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: cdp.FrameID(tgt.TargetID), WorldName: WorldName})
	if err != nil {
		return 0, fmt.Errorf("locate: install the page script: %w", err)
	}
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: jsEngine, ContextID: iw.ExecutionContextID})
	if err != nil {
		return 0, fmt.Errorf("locate: install the page script: %w", err)
	}
	if r.ExceptionDetails != nil {
		return 0, fmt.Errorf("locate: install the page script: %s", exceptionText(r.ExceptionDetails))
	}
	tw.mu.Lock()
	if tw.ctx != iw.ExecutionContextID { // its created event may have come first
		tw.ctx, tw.unique = iw.ExecutionContextID, ""
		tw.signal()
	}
	tw.mu.Unlock()
	return iw.ExecutionContextID, nil
}

// watch registers the engine for the tab's new documents and follows the
// tab's execution contexts: the world created for a new main-frame document
// becomes the current one.
func watch(ctx context.Context, tab target.ID, tw *tabWorld) error {
	err := chromedp.Listen(context.WithoutCancel(ctx), func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExecutionContextCreated:
			if ev.Context == nil || ev.Context.Name != WorldName {
				return
			}
			var aux struct {
				FrameID string `json:"frameId"`
			}
			if json.Unmarshal(ev.Context.AuxData, &aux) == nil && aux.FrameID == string(tab) {
				tw.set(ev.Context.ID, ev.Context.UniqueID)
			}
		case *runtime.EventExecutionContextDestroyed:
			tw.mu.Lock()
			if tw.unique == ev.ExecutionContextUniqueID {
				tw.ctx, tw.unique = 0, ""
				tw.signal()
			}
			tw.mu.Unlock()
		case *runtime.EventExecutionContextsCleared:
			tw.set(0, "")
		case *runtime.EventBindingCalled:
			if ev.Name != sayBinding {
				return
			}
			if token, info, ok := strings.Cut(ev.Payload, " "); ok {
				tw.tell(token, info)
			}
		}
	})
	if err != nil {
		return fmt.Errorf("locate: follow the tab's documents: %w", err)
	}
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: sayBinding, ExecutionContextName: WorldName}); err != nil {
		return fmt.Errorf("locate: add the page script's binding (Runtime.addBinding in a named world, which an old Chromium lacks: use a current one, e.g. Debian's chromium-headless-shell, `make browser`): %w", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: jsEngine, WorldName: WorldName}); err != nil {
		return fmt.Errorf("locate: register the page script: %w", err)
	}
	return nil
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

// onEngine calls method of the engine with the document and args (JSON
// values) in the tab's world, waiting for its promise when await is set;
// when the document changed meanwhile it calls again in the new one.
func onEngine(ctx context.Context, method, group string, byValue, await bool, args ...any) (*runtime.RemoteObject, error) {
	r, _, err := onEngineIn(ctx, method, group, byValue, await, args...)
	return r, err
}

// onEngineIn is onEngine, and also says which world (the document's) the
// call ran in: a later call on its objects that finds the document gone
// waits for the next one (nextDocument).
func onEngineIn(ctx context.Context, method, group string, byValue, await bool, args ...any) (*runtime.RemoteObject, runtime.ExecutionContextID, error) {
	var expr strings.Builder
	expr.WriteString("globalThis.__portalbot." + method + "(document")
	for _, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, 0, err
		}
		expr.WriteString(", ")
		expr.Write(b)
	}
	expr.WriteString(")")
	// try 0 in the known world; try 1 in the next document's world (the
	// tab navigated); try 2 in a world installed afresh.
	var failed runtime.ExecutionContextID
	for try := 0; ; try++ {
		wait := failed
		if try != 1 {
			wait = 0
		}
		id, err := world(ctx, try == 2, wait)
		if err != nil {
			return nil, 0, err
		}
		p := runtime.EvaluateParams{Expression: expr.String(), ContextID: id, ObjectGroup: group}
		if byValue {
			p.ReturnByValue = new(true)
		}
		if await {
			p.AwaitPromise = new(true)
		}
		r, err := chromedp.Call(ctx, runtime.Evaluate, p)
		if err == nil && r.ExceptionDetails != nil {
			err = errors.New("locate: page script: " + exceptionText(r.ExceptionDetails))
		}
		if err != nil && try < 2 && ctx.Err() == nil && stale(err) {
			failed = id
			continue
		}
		if err != nil {
			return nil, id, err
		}
		return r.Result, id, nil
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

// toJSLoc is loc as the engine reads it (variables already filled, a near
// "@key" not yet resolved).
func toJSLoc(loc selectors.Locator) jsLoc {
	return jsLoc{Role: loc.Role, Name: loc.Name, Label: loc.Label, Text: loc.Text, Pattern: loc.Pattern,
		Beside: loc.Beside, CSS: loc.CSS, Near: loc.Near}
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
	l := toJSLoc(loc)
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
	Href    string `json:"href"` // the document's address
}

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
	_, tw, err := followed(ctx)
	if err != nil {
		return nil, -1, 0, err
	}
	token := strconv.FormatUint(tokens.Add(1), 10)
	tw.expect(token)
	obj, id, err := onEngineIn(ctx, "find", f.group, false, d > 0, specs, d.Milliseconds(), token)
	f.world = id
	info, told := tw.take(token)
	if err != nil {
		f.held = true // it may have answered before the error
		return nil, -1, 0, err
	}
	f.held = obj.ObjectID != "" // an element, or the array of a world without the binding
	el, got, err := f.answer(ctx, obj, info, told)
	if err != nil {
		return nil, -1, 0, err
	}
	f.href = got.Href
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
	return &Match{Element: e, Index: got.Index, Locator: f.fill(e.Locators[got.Index]), Unwired: got.Unwired, Href: got.Href, obj: el, finder: f}, got.Which, 1, nil
}

// tokens numbers the looks, so that what a look tells through sayBinding
// is matched to its call.
var tokens atomic.Uint64

// answer reads a look's answer: the element, and what the look told
// through sayBinding before it answered (info, when told); or, from a
// world without the binding, both from the array it answered with (a
// second call).
func (f *Finder) answer(ctx context.Context, obj *runtime.RemoteObject, info string, told bool) (runtime.RemoteObjectID, found, error) {
	var got found
	if obj.Subtype != runtime.RemoteObjectSubtypeArray {
		if !told {
			// The binding's event comes before the call's answer on the
			// tab's session; a browser that broke that order would land
			// here, on every look.
			return "", got, errors.New("locate: page script: the look answered before telling what it found (the browser delivered the binding's event late); run again, and report the browser's version if it repeats")
		}
		if err := json.Unmarshal([]byte(info), &got); err != nil {
			return "", got, fmt.Errorf("locate: page script: %w", err)
		}
		return obj.ObjectID, got, nil
	}
	props, err := chromedp.Call(ctx, runtime.GetProperties, runtime.GetPropertiesParams{ObjectID: obj.ObjectID, OwnProperties: new(true)})
	if err != nil {
		return "", got, err
	}
	var el runtime.RemoteObjectID
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
	return el, got, nil
}

// newGroup releases the page objects of the finder's previous look, when
// it kept any (a look that found nothing keeps none: the polls of a wait
// cost no release), and starts a new group for this one.
func (f *Finder) newGroup(ctx context.Context) {
	if g := f.group; g != "" && f.held {
		// Nothing waits for it: the objects of another group are not the
		// next look's, and a tab that is gone has released them already.
		go func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			defer cancel()
			_, _ = chromedp.Call(rctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: g})
		}()
	}
	f.group, f.held = fmt.Sprintf("portalbot-%d", groups.Add(1)), false
}

// slice is how long one wait in the page lasts: until d (from start) when
// that is ahead, else a short slice so the caller looks again its own way
// (drift rules, guard); never past ctx's deadline.
func slice(ctx context.Context, start time.Time, d time.Duration) time.Duration {
	s := d - time.Since(start)
	if s <= 0 {
		s = 250 * time.Millisecond
	}
	return capped(ctx, s)
}

// until is how long one wait of Find lasts in the page: until next (the
// drift rules' next turn) when that is ahead, within 250–500 ms otherwise,
// so the guard looks again at least twice a second; never past ctx's
// deadline.
func until(ctx context.Context, next time.Time) time.Duration {
	s := time.Until(next)
	if s <= 0 || s > 500*time.Millisecond {
		s = min(max(s, 250*time.Millisecond), 500*time.Millisecond)
	}
	return capped(ctx, s)
}

// capped is d, ending 25 ms before ctx's deadline.
func capped(ctx context.Context, d time.Duration) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		d = min(d, time.Until(dl)-25*time.Millisecond)
	}
	return max(d, 0)
}

func exceptionText(e *runtime.ExceptionDetails) string {
	msg := e.Text
	if e.Exception != nil && e.Exception.Description != "" {
		msg += " " + e.Exception.Description
	}
	return msg
}
