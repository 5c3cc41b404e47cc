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

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp/jsonv2"
	"github.com/chromedp/cdproto/dom"
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
	// Guard, when set, runs before each look and stops the wait with its
	// error (a page on a foreign origin, a captcha).
	Guard func(ctx context.Context) error
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
	closest string // what the last drift attempt came nearest to
}

// Find waits until el resolves to exactly one visible element. It follows
// a rewording (see Drift) once the words as written have not been found for
// DriftAfter.
func (f *Finder) Find(ctx context.Context, el *selectors.Element) (*Match, error) {
	if len(el.Locators) == 0 {
		return nil, &NoLocatorError{Element: el.Name}
	}
	most := 0
	start := time.Now()
	for {
		if f.Guard != nil {
			if err := f.Guard(ctx); err != nil {
				return nil, err
			}
		}
		m, n, err := f.probe(ctx, el, time.Since(start) >= DriftAfter)
		if m != nil {
			return m, nil
		}
		most = max(most, n)
		if err != nil && ctx.Err() == nil && !transient(err) {
			return nil, err
		}
		if err := wait(ctx); err != nil {
			return nil, &NotFoundError{Element: el.Name, Page: el.Page, Ambiguous: most, Err: err, Closest: f.closest}
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
func (f *Finder) Gone(ctx context.Context, el *selectors.Element) error {
	for {
		m, _, err := f.Probe(ctx, el)
		if m == nil && (err == nil || transient(err)) {
			return nil
		}
		if err := wait(ctx); err != nil {
			return fmt.Errorf("%s still shown on page %s: %w", el.Name, el.Page, err)
		}
	}
}

// First waits until any of els resolves and returns the first that did: the
// way to tell which page the portal showed (form, two-step, error, captcha).
func (f *Finder) First(ctx context.Context, els ...*selectors.Element) (*Match, error) {
	for _, el := range els {
		if len(el.Locators) == 0 {
			return nil, &NoLocatorError{Element: el.Name}
		}
	}
	start := time.Now()
	for {
		if f.Guard != nil {
			if err := f.Guard(ctx); err != nil {
				return nil, err
			}
		}
		m, err := f.ProbeAny(ctx, time.Since(start) >= DriftAfter, nil, els...)
		if m != nil {
			return m, nil
		}
		if err != nil && ctx.Err() == nil && !transient(err) {
			return nil, err
		}
		if err := wait(ctx); err != nil {
			names := make([]string, len(els))
			for i, el := range els {
				names[i] = el.Name
			}
			return nil, &NotFoundError{Element: strings.Join(names, " or "), Page: els[0].Page, Err: err, Closest: f.closest}
		}
	}
}

// ProbeAny looks once for each of els as written, in order, and only when
// none is there (and drift is set) follows a rewording of each: a page that
// shows one of them as written is never taken for a reworded other. A match
// that skip refuses (a stale alert) does not count.
func (f *Finder) ProbeAny(ctx context.Context, drift bool, skip func(*Match) bool, els ...*selectors.Element) (*Match, error) {
	passes := []bool{false}
	if drift {
		passes = append(passes, true)
	}
	for _, d := range passes {
		for _, el := range els {
			m, _, err := f.probe(ctx, el, d)
			if err != nil {
				return nil, err
			}
			if m != nil && (skip == nil || !skip(m)) {
				return m, nil
			}
		}
	}
	return nil, nil
}

func wait(ctx context.Context) error {
	t := time.NewTimer(PollInterval)
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
	return f.probe(ctx, el, true)
}

// probe looks once, following a rewording when drift is set (and the
// element is not Exact).
func (f *Finder) probe(ctx context.Context, el *selectors.Element, drift bool) (*Match, int, error) {
	if f.group != "" {
		_, _ = chromedp.Call(ctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: f.group})
	}
	f.group = fmt.Sprintf("portalbot-%d", groups.Add(1))
	f.closest = ""
	m, n, err := f.look(ctx, el, drift)
	if m != nil && f.OnDrift != nil {
		for _, d := range m.Drifts {
			f.OnDrift(d)
		}
	}
	return m, n, err
}

// look is probe within the current object group (a nested look for an
// anchor keeps the outer look's page objects alive).
func (f *Finder) look(ctx context.Context, el *selectors.Element, drift bool) (*Match, int, error) {
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
	most := 0
	for i, loc := range el.Locators {
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

func (f *Finder) document(ctx context.Context) (runtime.RemoteObjectID, error) {
	res, exc, err := evaluate(ctx, "document", f.group)
	if err != nil {
		return "", err
	}
	if exc != nil {
		return "", fmt.Errorf("locate: %s", exc.Text)
	}
	return res.ObjectID, nil
}

func evaluate(ctx context.Context, expr, group string) (*runtime.RemoteObject, *runtime.ExceptionDetails, error) {
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: expr, ObjectGroup: group})
	return r.Result, r.ExceptionDetails, err
}

// controlRoles are the roles a label names.
var controlRoles = map[string]bool{
	"textbox": true, "searchbox": true, "combobox": true, "checkbox": true, "radio": true,
	"switch": true, "spinbutton": true, "slider": true, "listbox": true,
}

// titledRoles are the containers a person names by the title they show.
var titledRoles = map[string]bool{"dialog": true, "alertdialog": true}

// candidates returns the visible elements in root that loc (a locator of
// el) finds, how they were found when the page does not wire loc's name to
// them, and the drift of a near "@key" anchor found reworded (drift says
// the anchor may be).
func (f *Finder) candidates(ctx context.Context, root runtime.RemoteObjectID, el *selectors.Element, loc selectors.Locator, drift bool) (ids []runtime.RemoteObjectID, unwired string, anchorDrift *Drift, err error) {
	switch {
	case loc.Role != "" || loc.Name != "":
		roles := strings.Split(loc.Role, "|")
		ids, err = f.byAX(ctx, root, roles, loc.Name, nil)
		if err == nil && len(ids) == 0 && loc.Name != "" && !slices.ContainsFunc(roles, func(r string) bool { return !titledRoles[r] }) {
			// A dialog that shows its title without being named by it.
			unwired = "by its visible title: the " + loc.Role + " is not named"
			ids, err = f.byJS(ctx, root, jsByTitle, roles, loc.Name)
		}
	case loc.Label != "":
		ids, err = f.byAX(ctx, root, nil, loc.Label, controlRoles)
		if err == nil && len(ids) == 0 {
			// A label not wired to its field: read the form by position.
			unwired = "by position: the label is not wired to its field"
			ids, err = f.byJS(ctx, root, jsByLabelText, loc.Label)
		}
	case loc.Text != "":
		ids, err = f.byJS(ctx, root, jsByText, "text", loc.Text)
	case loc.Pattern != "":
		ids, err = f.byJS(ctx, root, jsByText, "pattern", loc.Pattern)
	case loc.Beside != "":
		ids, err = f.byJS(ctx, root, jsByText, "beside", loc.Beside)
	case loc.CSS != "":
		ids, err = f.byJS(ctx, root, jsByCSS, loc.CSS)
	}
	if err != nil || len(ids) == 0 {
		return nil, "", nil, err
	}
	var anchor runtime.RemoteObjectID
	if ref, ok := strings.CutPrefix(loc.Near, "@"); ok {
		if f.Set == nil {
			return nil, "", nil, fmt.Errorf("locate: %s: near %s needs the selectors data", el.Name, loc.Near)
		}
		closest := f.closest
		a, _, err := f.look(ctx, f.Set.Element(el.Page+"."+ref), drift)
		f.closest = closest
		if err != nil || a == nil {
			return nil, "", nil, err
		}
		anchor = a.obj
		if len(a.Drifts) > 0 {
			anchorDrift = &a.Drifts[len(a.Drifts)-1]
			anchorDrift.Part = "near"
		}
	}
	ids, err = f.pick(ctx, root, ids, loc, anchor)
	return ids, unwired, anchorDrift, err
}

func (f *Finder) byAX(ctx context.Context, root runtime.RemoteObjectID, roles []string, name string, only map[string]bool) ([]runtime.RemoteObjectID, error) {
	want := Norm(name)
	if len(roles) == 0 {
		roles = []string{""}
	}
	var out []runtime.RemoteObjectID
	for _, role := range roles {
		nodes, err := f.axNodes(ctx, root, role, only)
		if err != nil {
			return nil, err
		}
		for _, n := range nodes {
			if name == "" || Norm(n.name) == want {
				out = append(out, n.obj)
			}
		}
	}
	return out, nil
}

// axNode is an element of the accessibility tree with its computed name.
type axNode struct {
	name string
	obj  runtime.RemoteObjectID
}

// axNodes returns the elements in root whose computed role is role (any
// role for ""; only those in only, when set), with their accessible names.
func (f *Finder) axNodes(ctx context.Context, root runtime.RemoteObjectID, role string, only map[string]bool) ([]axNode, error) {
	res, err := chromedp.Call(ctx, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{ObjectID: root, Role: role})
	if err != nil {
		return nil, fmt.Errorf("locate: accessibility tree: %w", err)
	}
	var out []axNode
	for _, n := range res.Nodes {
		if n.Ignored || n.BackendDOMNodeID == 0 {
			continue
		}
		if only != nil && !only[axString(n.Role)] {
			continue
		}
		r, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.BackendDOMNodeID, ObjectGroup: f.group})
		if err != nil || r.Object == nil {
			continue
		}
		out = append(out, axNode{name: axString(n.Name), obj: r.Object.ObjectID})
	}
	return out, nil
}

func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal([]byte(v.Value), &s) != nil {
		return ""
	}
	return s
}

// Norm folds white space and drops a trailing required marker or colon, the
// way jsNorm does in the page.
func Norm(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, suf := range []string{"*", "(required)", ":"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suf))
	}
	return s
}

func (f *Finder) byJS(ctx context.Context, root runtime.RemoteObjectID, fn string, args ...any) ([]runtime.RemoteObjectID, error) {
	obj, err := callOn(ctx, root, fn, f.group, false, args...)
	if err != nil {
		return nil, err
	}
	return f.arrayItems(ctx, obj.ObjectID)
}

func (f *Finder) arrayItems(ctx context.Context, arr runtime.RemoteObjectID) ([]runtime.RemoteObjectID, error) {
	if arr == "" {
		return nil, nil
	}
	props, err := chromedp.Call(ctx, runtime.GetProperties, runtime.GetPropertiesParams{ObjectID: arr, OwnProperties: new(true)})
	if err != nil {
		return nil, err
	}
	var out []runtime.RemoteObjectID
	for _, p := range props.Result {
		if p.Value != nil && p.Value.Subtype == runtime.RemoteObjectSubtypeNode && p.Enumerable {
			out = append(out, p.Value.ObjectID)
		}
	}
	return out, nil
}

// pick keeps what a person can see, near the locator's text when it has one.
func (f *Finder) pick(ctx context.Context, root runtime.RemoteObjectID, ids []runtime.RemoteObjectID, loc selectors.Locator, anchor runtime.RemoteObjectID) ([]runtime.RemoteObjectID, error) {
	// An element found by its role alone (an alert, a switch) must show
	// some text or be a control: an empty live region is not an alert.
	needText := loc.Name == "" && loc.Role != "" && !controlRoles[loc.Role] && !titledRoles[loc.Role]
	var a any
	if anchor != "" {
		a = anchor
	}
	args := []any{loc.Near, false, needText, a}
	switch {
	case anchor != "":
		args = []any{"", false, needText, anchor}
	case strings.HasPrefix(loc.Near, "re:"):
		args = []any{strings.TrimPrefix(loc.Near, "re:"), true, needText, nil}
	}
	for _, id := range ids {
		args = append(args, id)
	}
	obj, err := callOn(ctx, root, jsPick, f.group, true, args...)
	if err != nil {
		return nil, err
	}
	var idx []int
	if err := json.Unmarshal([]byte(obj.Value), &idx); err != nil {
		return nil, fmt.Errorf("locate: pick: %w", err)
	}
	out := make([]runtime.RemoteObjectID, 0, len(idx))
	for _, i := range idx {
		out = append(out, ids[i])
	}
	return out, nil
}

// callOn runs fn with this = obj; arguments that are RemoteObjectIDs are
// passed as objects, the rest as JSON values.
func callOn(ctx context.Context, obj runtime.RemoteObjectID, fn, group string, byValue bool, args ...any) (*runtime.RemoteObject, error) {
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
	r, err := chromedp.Call(ctx, runtime.CallFunctionOn, p)
	if err != nil {
		return nil, err
	}
	if r.ExceptionDetails != nil {
		msg := r.ExceptionDetails.Text
		if r.ExceptionDetails.Exception != nil {
			msg += " " + r.ExceptionDetails.Exception.Description
		}
		return nil, errors.New("locate: page script: " + msg)
	}
	return r.Result, nil
}
