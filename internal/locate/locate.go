// Package locate finds the elements of the selectors data in a live page the
// way a person does (role and accessible name as the browser computes them,
// label, visible text), waits for them, and acts on them like a person:
// real mouse clicks on visible, stable, uncovered elements and typed text.
package locate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"portalbot/selectors"
)

// PollInterval is how often a wait looks again. Waits end on their
// condition or their context, never after a fixed time.
var PollInterval = 50 * time.Millisecond

// Match is an element found in the page, with the locator that found it.
type Match struct {
	Element *selectors.Element
	Index   int               // which locator of the element matched
	Locator selectors.Locator // that locator, with its variables filled
	// Unwired says how the element was found when the page does not wire
	// the name the locator gives to it ("by position: ..."), else "".
	Unwired string
	// Drifts say which of the element's words (or its scope's) the page
	// changed and what it shows instead; empty when it matched as written.
	Drifts []Drift
	// Href is the address of the document the element was found in, as
	// the look read it ("" for one found by the drift rules): a check of
	// where a value is about to be typed needs no second call.
	Href   string
	obj    runtime.RemoteObjectID
	finder *Finder // to find the element again when the page redraws it
}

// Via says which locator matched, for reports and regression checks.
func (m *Match) Via() string {
	via := m.Locator.String()
	if m.Unwired != "" {
		via += " (" + m.Unwired + ")"
	}
	if m.Index == 0 {
		return via
	}
	return fmt.Sprintf("%s (fallback #%d)", via, m.Index+1)
}

// Fallback says whether the element was found some other way than its
// first locator as written: a regression check reports it.
func (m *Match) Fallback() bool { return m.Index != 0 || m.Unwired != "" }

// Drifted says the page's words for the element changed (see Drift).
func (m *Match) Drifted() bool { return len(m.Drifts) > 0 }

// NotFoundError says an element did not resolve to exactly one visible
// element before the wait ended.
type NotFoundError struct {
	Element   string
	Page      string
	Ambiguous int   // the most matches one locator had, when more than one
	Err       error // why the wait ended
	// Closest says what came nearest when the words were reworded beyond
	// what the drift rules follow (or Exact forbade following them).
	Closest string
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("%s not found on page %s", e.Element, e.Page)
	if e.Ambiguous > 1 {
		msg = fmt.Sprintf("%s matched %d elements on page %s, expected one", e.Element, e.Ambiguous, e.Page)
	}
	if e.Closest != "" {
		msg += " (" + e.Closest + ")"
	}
	return msg
}

func (e *NotFoundError) Unwrap() error { return e.Err }

var groups atomic.Int64

// Finder resolves elements with variables ({app}, {integration}) filled.
type Finder struct {
	Vars map[string]string
	// Guard, when set, runs after each look of a wait and stops it with its
	// error (a page on a foreign origin, a sign-in page): href is the
	// address of the document looked at ("" when the look did not say; the
	// guard then reads it itself).
	Guard func(ctx context.Context, href string) error
	// Set is the selectors data the elements come from: near "@key"
	// references, and the words other elements claim (never taken for a
	// reworded one). May be nil.
	Set *selectors.Set
	// NoDrift looks for the words as written only.
	NoDrift bool
	// OnDrift, when set, hears of every match found although its words
	// changed (the run reports them).
	OnDrift func(Drift)
	group   string
	held    bool   // the group holds page objects: newGroup releases it
	closest string // what the last drift attempt came nearest to
	href    string // the address of the document of the last exact look
	// world is the execution context (document) of the last exact look,
	// 0 when it reached none.
	world runtime.ExecutionContextID
}

// Find waits until el resolves to exactly one visible element. The wait
// runs in the page and wakes on its changes; once the words as written have
// not been found for DriftAfter, each look also follows a rewording (see
// Drift).
func (f *Finder) Find(ctx context.Context, el *selectors.Element) (*Match, error) {
	return f.wait(ctx, []*selectors.Element{el}, false)
}

// wait is Find for the first of els (any says they are alternatives, as
// First looks for them).
func (f *Finder) wait(ctx context.Context, els []*selectors.Element, any bool) (*Match, error) {
	for _, el := range els {
		if len(el.Locators) == 0 {
			return nil, &NoLocatorError{Element: el.Name}
		}
	}
	most := 0
	// The drift rules run DriftAfter into the wait, then less and less
	// often (each gap twice the last, up to DriftEvery): a rewording is
	// there once the page is, and each of their looks reads many names.
	next, gap := time.Now().Add(DriftAfter), DriftAfter
	for {
		if !f.NoDrift && !time.Now().Before(next) {
			var m *Match
			var err error
			if any {
				m, err = f.ProbeAny(ctx, true, nil, els...)
			} else {
				var n int
				m, n, err = f.probe(ctx, els[0], true, -1)
				most = max(most, n)
			}
			if m != nil {
				return m, nil
			}
			if err != nil && ctx.Err() == nil && !transient(err) {
				return nil, err
			}
			gap = min(2*gap, DriftEvery)
			next = time.Now().Add(gap)
		}
		m, _, n, err := f.exact(ctx, els, until(ctx, next))
		if f.Guard != nil && ctx.Err() == nil {
			href := ""
			if err == nil {
				href = f.href
			}
			if gerr := f.Guard(ctx, href); gerr != nil {
				return nil, gerr
			}
		}
		if m != nil {
			f.heard(m)
			return m, nil
		}
		if !any {
			most = max(most, n)
		}
		switch {
		case ctx.Err() != nil:
			names := make([]string, len(els))
			for i, el := range els {
				names[i] = el.Name
			}
			return nil, &NotFoundError{Element: strings.Join(names, " or "), Page: els[0].Page, Ambiguous: most, Err: ctx.Err(), Closest: f.closest}
		case err != nil && !transient(err):
			return nil, err
		case err != nil:
			// The page is navigating: look again once it has a document.
			nextDocument(ctx, f.world)
		}
	}
}

// NoLocatorError is an element name the selectors data does not have: a
// flow asking for it is a programming error, reported and never a panic.
type NoLocatorError struct{ Element string }

func (e *NoLocatorError) Error() string {
	return fmt.Sprintf("the selectors data has no element %s", e.Element)
}

// Gone waits until el no longer resolves (a dialog closed, a toast left).
// The wait runs in the page; the end is confirmed by a look that follows
// rewordings, so an element found reworded is not taken for gone.
func (f *Finder) Gone(ctx context.Context, el *selectors.Element) error {
	spec, err := f.spec(el, 0)
	if err != nil {
		return err
	}
	start := time.Now()
	for {
		r, err := onEngine(ctx, "gone", "", true, true, spec, slice(ctx, start, 0).Milliseconds())
		if err == nil && string(r.Value) == "true" {
			m, _, err := f.Probe(ctx, el)
			if m == nil && (err == nil || transient(err)) {
				return nil
			}
		}
		if err != nil && ctx.Err() == nil && !transient(err) {
			return fmt.Errorf("wait for %s to close: %w", el.Name, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%s still shown on page %s: %w", el.Name, el.Page, ctx.Err())
		}
		if err != nil {
			_ = wait(ctx)
		}
	}
}

// Gone waits until the element m found is removed or hidden (the dialog it
// found closed), waiting in the page. Unlike Finder.Gone it holds the very
// element found, so one found reworded is not taken for gone.
func (m *Match) Gone(ctx context.Context) error {
	for {
		r, err := call(ctx, m.obj, jsHidden, "", true, true, slice(ctx, time.Now(), 5*time.Second).Milliseconds())
		switch {
		case err != nil && (stale(err) || transient(err)):
			return nil // the page it was on has gone
		case err != nil:
			return fmt.Errorf("wait for %s to close: %w", m.Element.Name, err)
		case string(r.Value) == "true":
			return nil
		case ctx.Err() != nil:
			return fmt.Errorf("%s still shown on page %s: %w", m.Element.Name, m.Element.Page, ctx.Err())
		}
	}
}

const jsHidden = `function(ms) { return globalThis.__portalbot.hidden(this, ms); }`

// First waits until any of els resolves and returns the first that did: the
// way to tell which page the portal showed (form, two-step, error, captcha).
func (f *Finder) First(ctx context.Context, els ...*selectors.Element) (*Match, error) {
	return f.wait(ctx, els, true)
}

// ProbeAny looks once for each of els as written, in order, and only when
// none is there (and drift is set) follows a rewording of each: a page that
// shows one of them as written is never taken for a reworded other. A match
// that skip refuses (a stale alert) does not count.
func (f *Finder) ProbeAny(ctx context.Context, drift bool, skip func(*Match) bool, els ...*selectors.Element) (*Match, error) {
	return f.WaitAny(ctx, 0, drift, skip, els...)
}

// WaitAny is ProbeAny whose first look as written waits up to d in the page
// for one of els to show (waking on the page's changes, not polling); a
// match skip refuses is looked past without waiting.
func (f *Finder) WaitAny(ctx context.Context, d time.Duration, drift bool, skip func(*Match) bool, els ...*selectors.Element) (*Match, error) {
	for rest := els; len(rest) > 0; d = 0 {
		m, which, _, err := f.exact(ctx, rest, capped(ctx, d))
		if err != nil {
			return nil, err
		}
		if m == nil {
			break
		}
		if skip == nil || !skip(m) {
			f.heard(m)
			return m, nil
		}
		rest = rest[which+1:]
	}
	if !drift || f.NoDrift {
		return nil, nil
	}
	for _, el := range els {
		m, _, err := f.probe(ctx, el, true, -1)
		if err != nil {
			return nil, err
		}
		if m != nil && (skip == nil || !skip(m)) {
			return m, nil
		}
	}
	return nil, nil
}

// wait waits PollInterval, or until ctx ends.
func wait(ctx context.Context) error { return waitFor(ctx, PollInterval) }

// waitFor waits d, or until ctx ends.
func waitFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// transient errors come from a page that navigates while it is looked at.
func transient(err error) bool {
	s := err.Error()
	for _, w := range []string{"Cannot find context", "context with specified id", "Execution context was destroyed",
		"Could not find node", "No node with given id", "Node is detached", "Could not compute", "Object reference chain", "Invalid remote object id",
		"Inspected target navigated", "No node found", "does not belong to the document"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// Probe looks once, following a rewording: the match, or nil and the most
// candidates one locator had (to report ambiguity).
func (f *Finder) Probe(ctx context.Context, el *selectors.Element) (*Match, int, error) {
	m, _, n, err := f.exact(ctx, []*selectors.Element{el}, 0)
	if m != nil || err != nil || n > 1 || f.NoDrift {
		if m != nil {
			f.heard(m)
		}
		return m, n, err
	}
	return f.probe(ctx, el, true, n)
}

// heard tells OnDrift of the rewordings m was found despite.
func (f *Finder) heard(m *Match) {
	if f.OnDrift != nil {
		for _, d := range m.Drifts {
			f.OnDrift(d)
		}
	}
}

// probe looks once, following a rewording when drift is set (and the
// element is not Exact). seen is, when the page script has just looked for
// el as written and found no locator unique, the most candidates one had
// (else -1): look then does not look again as written where the page
// script's look was the same.
func (f *Finder) probe(ctx context.Context, el *selectors.Element, drift bool, seen int) (*Match, int, error) {
	f.newGroup(ctx)
	f.closest = ""
	m, n, err := f.look(ctx, el, drift, seen)
	if m != nil {
		f.heard(m)
	}
	return m, n, err
}

// look is probe within the current object group (a nested look for an
// anchor keeps the outer look's page objects alive).
func (f *Finder) look(ctx context.Context, el *selectors.Element, drift bool, seen int) (*Match, int, error) {
	drift = drift && !f.NoDrift
	root, err := f.document(ctx)
	if err != nil {
		return nil, 0, err
	}
	var drifts []Drift
	if len(el.Within) > 0 {
		scope, d, err := f.scope(ctx, root, el, drift)
		if err != nil || scope == "" {
			return nil, 0, err
		}
		root = scope
		if d != nil {
			drifts = append(drifts, *d)
		}
	}
	most := max(seen, 0)
	for i, loc := range el.Locators {
		// The page script's look as written found what this one would: in
		// the same scope (not one found reworded), with no anchor that
		// may be found reworded.
		if seen >= 0 && len(drifts) == 0 && !strings.HasPrefix(loc.Near, "@") {
			continue
		}
		loc = f.fill(loc)
		ids, unwired, anchorDrift, err := f.candidates(ctx, root, el, loc, drift && !el.Exact)
		if err != nil {
			return nil, most, err
		}
		if len(ids) == 1 {
			m := &Match{Element: el, Index: i, Locator: loc, Unwired: unwired, Drifts: drifts, obj: ids[0], finder: f}
			if anchorDrift != nil {
				m.Drifts = append(m.Drifts, *anchorDrift)
			}
			return m, 1, nil
		}
		most = max(most, len(ids))
	}
	if !drift || most > 1 {
		return nil, most, nil
	}
	ids, d, closest, err := f.drift(ctx, root, el, el.Locators, false)
	if err != nil || len(ids) != 1 {
		f.closest = closest
		return nil, most, err
	}
	return &Match{Element: el, Index: slices.IndexFunc(el.Locators, func(l selectors.Locator) bool { return l == d.Locator || partsEqual(l, d.Locator) }),
		Locator: d.Locator, Drifts: append(drifts, *d), obj: ids[0], finder: f}, 1, nil
}

// partsEqual says a drifted locator comes from l (all but its words equal).
func partsEqual(l, d selectors.Locator) bool {
	return l.Role == d.Role && l.CSS == d.CSS && l.Pattern == d.Pattern &&
		(l.Name == d.Name || l.Label == d.Label || l.Text == d.Text || l.Beside == d.Beside || l.Near == d.Near)
}

// scope resolves el's Within: the first locator that finds exactly one
// element, else (with drift) the drift rules on them.
func (f *Finder) scope(ctx context.Context, root runtime.RemoteObjectID, el *selectors.Element, drift bool) (runtime.RemoteObjectID, *Drift, error) {
	for _, w := range el.Within {
		ids, _, _, err := f.candidates(ctx, root, el, f.fill(w), false)
		if err != nil {
			return "", nil, err
		}
		if len(ids) == 1 {
			return ids[0], nil, nil
		}
	}
	if !drift {
		return "", nil, nil
	}
	ids, d, closest, err := f.drift(ctx, root, el, el.Within, true)
	if err != nil || len(ids) != 1 {
		f.closest = closest
		return "", nil, err
	}
	return ids[0], d, nil
}

func (f *Finder) fill(l selectors.Locator) selectors.Locator {
	l.Name, l.Label, l.Text, l.Beside, l.Near = f.fillText(l.Name), f.fillText(l.Label), f.fillText(l.Text), f.fillText(l.Beside), f.fillText(l.Near)
	return l
}

// fillText puts the run's variables ({app}, {integration}) into s.
func (f *Finder) fillText(s string) string {
	for k, v := range f.Vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// document is the tab's document seen from the bot's world, where every
// element the finder returns lives (so the engine's actions apply to it).
func (f *Finder) document(ctx context.Context) (runtime.RemoteObjectID, error) {
	for try := 0; ; try++ {
		id, err := currentWorld(ctx, try > 0)
		if err != nil {
			return "", err
		}
		f.held = true
		r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: "document", ContextID: id, ObjectGroup: f.group})
		if err != nil && try == 0 && stale(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		return r.Result.ObjectID, nil
	}
}

// titledRoles are the containers a person names by the title they show.
var titledRoles = map[string]bool{"dialog": true, "alertdialog": true}

// candidates returns the visible elements in root that loc (a locator of
// el) finds, how they were found when the page does not wire loc's name to
// them, and the drift of a near "@key" anchor found reworded (drift says
// the anchor may be). The page script does the looking (one call); an
// anchor is found first, by the finder, so that it may drift too.
func (f *Finder) candidates(ctx context.Context, root runtime.RemoteObjectID, el *selectors.Element, loc selectors.Locator, drift bool) (ids []runtime.RemoteObjectID, unwired string, anchorDrift *Drift, err error) {
	var anchor any // JSON null: no anchor
	if ref, ok := strings.CutPrefix(loc.Near, "@"); ok {
		if f.Set == nil {
			return nil, "", nil, fmt.Errorf("locate: %s: near %s needs the selectors data", el.Name, loc.Near)
		}
		closest := f.closest
		a, _, err := f.look(ctx, f.Set.Element(el.Page+"."+ref), drift, -1)
		f.closest = closest
		if err != nil || a == nil {
			return nil, "", nil, err
		}
		anchor = a.obj
		if len(a.Drifts) > 0 {
			anchorDrift = &a.Drifts[len(a.Drifts)-1]
			anchorDrift.Part = "near"
		}
		loc.Near = ""
	}
	f.held = true
	arr, err := call(ctx, root, jsCands, f.group, false, false, toJSLoc(loc), anchor)
	if err != nil {
		return nil, "", nil, err
	}
	if arr.ObjectID == "" {
		return nil, "", nil, nil
	}
	props, err := chromedp.Call(ctx, runtime.GetProperties, runtime.GetPropertiesParams{ObjectID: arr.ObjectID, OwnProperties: new(true)})
	if err != nil {
		return nil, "", nil, err
	}
	for _, p := range props.Result {
		switch {
		case p.Value == nil:
		case p.Name == "unwired":
			_ = json.Unmarshal(p.Value.Value, &unwired)
		case p.Value.Subtype == runtime.RemoteObjectSubtypeNode && p.Enumerable:
			ids = append(ids, p.Value.ObjectID)
		}
	}
	if len(ids) == 0 {
		unwired = ""
	}
	return ids, unwired, anchorDrift, nil
}

const jsCands = `function(loc, anchor) { return globalThis.__portalbot.cands(this, loc, anchor); }`

// names returns the distinct accessible names of the visible elements of
// roles in root (of the text-entry roles, for textEntry).
func (f *Finder) names(ctx context.Context, root runtime.RemoteObjectID, roles []string, textEntry bool) ([]string, error) {
	r, err := call(ctx, root, jsNames, "", true, false, roles, textEntry)
	if err != nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal(r.Value, &out); err != nil {
		return nil, fmt.Errorf("locate: names: %w", err)
	}
	return out, nil
}

const jsNames = `function(roles, textEntry) { return globalThis.__portalbot.names(this, roles, textEntry); }`

// Norm folds white space and drops a trailing required marker or colon, the
// way jsNorm does in the page.
func Norm(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, suf := range []string{"*", "(required)", ":"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suf))
	}
	return s
}

// callOn runs fn with this = obj; arguments that are RemoteObjectIDs are
// passed as objects, the rest as JSON values.
func callOn(ctx context.Context, obj runtime.RemoteObjectID, fn, group string, byValue bool, args ...any) (*runtime.RemoteObject, error) {
	return call(ctx, obj, fn, group, byValue, false, args...)
}

// call is callOn that waits for a promise fn returns when await is set.
func call(ctx context.Context, obj runtime.RemoteObjectID, fn, group string, byValue, await bool, args ...any) (*runtime.RemoteObject, error) {
	cargs := make([]*runtime.CallArgument, 0, len(args))
	for _, a := range args {
		if id, ok := a.(runtime.RemoteObjectID); ok {
			cargs = append(cargs, &runtime.CallArgument{ObjectID: id})
			continue
		}
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		cargs = append(cargs, &runtime.CallArgument{Value: jsonv2.Value(b)})
	}
	p := runtime.CallFunctionOnParams{FunctionDeclaration: fn, ObjectID: obj, Arguments: cargs, ObjectGroup: group}
	if byValue {
		p.ReturnByValue = new(true)
	}
	if await {
		p.AwaitPromise = new(true)
	}
	r, err := chromedp.Call(ctx, runtime.CallFunctionOn, p)
	if err != nil {
		return nil, err
	}
	if r.ExceptionDetails != nil {
		return nil, errors.New("locate: page script: " + exceptionText(r.ExceptionDetails))
	}
	return r.Result, nil
}
