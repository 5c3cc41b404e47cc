package locate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// State is what a person sees of an element: where it is, whether it can be
// used, its value and whether it is ticked.
type State struct {
	X, Y, W, H float64
	Disabled   bool
	Checked    *bool
	Value      string
	IsField    bool
	Tag, Type  string
}

// State reads the element's state now. A page drawn by a framework may
// replace the element with a new one (same role, same name): the match then
// finds it again.
func (m *Match) State(ctx context.Context) (State, error) {
	var s State
	for try := 0; ; try++ {
		obj, err := callOn(ctx, m.obj, jsState, "", true)
		if err != nil {
			if try == 0 && m.refind(ctx) {
				continue
			}
			return s, err
		}
		var raw struct {
			X, Y, W, H float64
			Disabled   bool
			Checked    *bool
			Value      string
			IsField    bool
			Tag, Type  string
			Connected  bool
		}
		if err := json.Unmarshal([]byte(obj.Value), &raw); err != nil {
			return s, err
		}
		if !raw.Connected && try == 0 && m.refind(ctx) {
			continue
		}
		return State{X: raw.X, Y: raw.Y, W: raw.W, H: raw.H, Disabled: raw.Disabled, Checked: raw.Checked,
			Value: raw.Value, IsField: raw.IsField, Tag: raw.Tag, Type: raw.Type}, nil
	}
}

// refind resolves the element again, once, without waiting; it reports
// whether the match now points at a live element.
func (m *Match) refind(ctx context.Context) bool {
	if m.finder == nil || m.Element == nil {
		return false
	}
	f := &Finder{Vars: m.finder.Vars, Set: m.finder.Set, NoDrift: m.finder.NoDrift, OnDrift: m.finder.OnDrift}
	n, _, err := f.Probe(ctx, m.Element)
	if err != nil || n == nil {
		return false
	}
	m.obj, m.Index, m.Locator = n.obj, n.Index, n.Locator
	return true
}

// Value is the text a person reads in the element: a field's value, or the
// element's visible text.
func (m *Match) Value(ctx context.Context) (string, error) {
	s, err := m.State(ctx)
	return s.Value, err
}

// Rect is the element's box in CSS pixels of the viewport.
func (m *Match) Rect(ctx context.Context) (x, y, w, h float64, err error) {
	s, err := m.State(ctx)
	return s.X, s.Y, s.W, s.H, err
}

// Click waits until the element is enabled, in view, still for two frames
// and not covered, then clicks its centre with the mouse, as a person does.
// A styled checkbox whose input is hidden is clicked through its label.
//
// The waiting runs in the page (one call); the press is guarded there, so a
// press that would land on anything else (the page moved between the check
// and the press) is stopped before the page sees it and the click is tried
// again. A click that lands is told by the guard as it happens; when that
// word has not come, a second call asks the guard which happened (and
// removes it). A click is one call to the page (two when asked) and the two
// mouse events.
//
// A button that stays disabled for DisabledGrace is looked at as a person
// would: when the form around it shows an unanswered question, an empty
// required field or an error, the click stops at once with a BlockedError
// naming them (a portal that added a question is a changed page, not a slow
// one).
func (m *Match) Click(ctx context.Context) error {
	_, err := m.click(ctx, nil)
	return err
}

// errNoState: SetChecked's element has no checked state.
var errNoState = errors.New("no checked state")

// click is Click; with want, it is SetChecked's: a box already as wanted is
// not clicked (done, with checked = want), one with no state is an
// errNoState. checked is the element's state right after the click (nil:
// it has none, or the click navigated away).
func (m *Match) click(ctx context.Context, want *bool) (checked *bool, err error) {
	_, tw, err := followed(ctx)
	if err != nil {
		return nil, fmt.Errorf("click %s: %w", m.Element.Name, err)
	}
	missed := false
	refound := false
	for {
		ms := slice(ctx, time.Now(), 5*time.Second) // a deadline-less wait looks again every 5 s
		token := strconv.FormatUint(tokens.Add(1), 10)
		tw.expect(token)
		prep, err := m.prepareClick(ctx, ms, want, token)
		if err != nil || prep.X == nil || prep.Y == nil {
			tw.take(token) // no click armed: nothing will tell
		}
		if err != nil && !refound && (stale(err) || transient(err)) && m.refind(ctx) {
			refound = true
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("click %s: %w", m.Element.Name, err)
		}
		switch {
		case prep.NoState:
			return nil, errNoState
		case prep.Already:
			return want, nil
		case prep.Detached:
			// A framework redrew it: find it again (the same role and name).
			if !m.refind(ctx) {
				if err := wait(ctx); err != nil {
					return nil, fmt.Errorf("click %s: the page removed it: %w", m.Element.Name, err)
				}
			}
			continue
		case len(prep.Blocked) > 0:
			asks := make([]string, 0, len(prep.Blocked))
			for _, g := range prep.Blocked {
				asks = append(asks, fmt.Sprintf("%s %q", g.Kind, g.Text))
			}
			return nil, &BlockedError{Element: m.Element.Name, Page: m.Element.Page, Asks: asks}
		case prep.Timeout != "":
			if ctx.Err() != nil || ms <= 0 {
				why := "still " + prep.Timeout
				if missed {
					why = "still moving: another element took the press"
				}
				return nil, fmt.Errorf("click %s: %s: %w", m.Element.Name, why, context.DeadlineExceeded)
			}
			continue
		case prep.X == nil || prep.Y == nil:
			return nil, fmt.Errorf("click %s: the page script gave no point", m.Element.Name)
		}
		switch done, checked, err := guardedClick(ctx, tw, token, m.obj, *prep.X, *prep.Y); {
		case err != nil:
			return nil, fmt.Errorf("click %s: %w", m.Element.Name, err)
		case done:
			return checked, nil
		}
		missed = true // the page moved under the mouse: look again
	}
}

// prepared is what prepareClick answers (engine.js): the point to press,
// or why there is none.
type prepared struct {
	X, Y     *float64
	Detached bool
	Blocked  []struct{ Kind, Text string }
	Timeout  string
	Already  bool
	NoState  bool
}

// prepareClick waits in the page, at most ms, until the element can be
// clicked, and arms the guard of the press (token: the word it sends when
// the click lands).
func (m *Match) prepareClick(ctx context.Context, ms time.Duration, want *bool, token string) (prepared, error) {
	var prep prepared
	r, err := call(ctx, m.obj, jsPrepareClick, "", true, true, DisabledGrace.Milliseconds(), max(ms.Milliseconds(), 1), want, token)
	if err != nil {
		return prep, err
	}
	err = json.Unmarshal(r.Value, &prep)
	return prep, err
}

const jsPrepareClick = `function(graceMs, ms, want, token) { return globalThis.__portalbot.prepareClick(this, graceMs, ms, want, token); }`

const jsDisarm = `function() { return globalThis.__portalbot.disarm(this); }`

// DisabledGrace is how long a button may stay disabled before the bot
// looks for what the form asks that it has not answered.
var DisabledGrace = 1500 * time.Millisecond

// BlockedError says a button stays disabled because the form asks something
// the bot does not know: a question, a required field or box, or an error.
type BlockedError struct {
	Element, Page string
	Asks          []string // what the page shows for each, e.g. `question "Will you ...?"`
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("%s stays disabled: the form asks what the bot does not know: %s", e.Element, strings.Join(e.Asks, "; "))
}

// guardedClick presses and releases the mouse at (x, y), the guard armed
// by prepareClick (with token) watching: done is false when the press would
// have landed on another element and was stopped before the page saw it.
// checked is the element's checked state after the click, when it has one.
//
// A click that reached its target is told by the guard through the bot's
// binding as the page handles it, which is before the release's answer in
// practice, but on another channel than the mouse's: when it is told, the
// click is done and costs no call more (checked is then nil: the page may
// not have settled the box yet); else the bot asks the guard (one call),
// which also removes it.
func guardedClick(ctx context.Context, tw *tabWorld, token string, el runtime.RemoteObjectID, x, y float64) (done bool, checked *bool, err error) {
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		tw.take(token)
		return false, nil, err
	}
	if info, told := tw.take(token); told && info == "hit" {
		return true, nil, nil
	}
	r, err := call(ctx, el, jsDisarm, "", true, false)
	switch {
	case err == nil:
		// "hit": the click reached it. "missed" (stopped), "pressed" (the
		// element was redrawn between press and release: no click) or
		// "armed" (nothing came): not clicked, try again.
		var st struct {
			Guard   string
			Checked *bool
		}
		if err := json.Unmarshal(r.Value, &st); err != nil {
			return false, nil, err
		}
		return st.Guard == "hit", st.Checked, nil
	case transient(err) || stale(err):
		return true, nil, nil // the click navigated away: it was delivered
	default:
		return false, nil, err
	}
}

// Fill replaces the field's content with text, typed as input events so
// that pages built with a framework see it, and checks the result.
func (m *Match) Fill(ctx context.Context, text string) error {
	if _, err := callOn(ctx, m.obj, jsSelectAll, "", false); err != nil {
		return fmt.Errorf("fill %s: focus: %w", m.Element.Name, err)
	}
	if text == "" {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Delete)); err != nil {
			return fmt.Errorf("fill %s: %w", m.Element.Name, err)
		}
	} else if _, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: text}); err != nil {
		return fmt.Errorf("fill %s: %w", m.Element.Name, err)
	}
	got, err := m.Value(ctx)
	if err != nil {
		return fmt.Errorf("fill %s: read back: %w", m.Element.Name, err)
	}
	if got != text {
		// Never print the values: the field may hold a secret.
		return fmt.Errorf("fill %s: the field did not take the text", m.Element.Name)
	}
	return nil
}

// Checked says whether a checkbox, radio or switch is on; ok is false for an
// element that has no such state.
func (m *Match) Checked(ctx context.Context) (on, ok bool, err error) {
	s, err := m.State(ctx)
	if err != nil || s.Checked == nil {
		return false, false, err
	}
	return *s.Checked, true, nil
}

// SetChecked clicks the element when its state differs from want, then
// waits for the page to show the new state. The look at the state before
// and after rides on the click's own calls to the page (prepareClick and
// disarm): a box ticked as a person does it costs no more calls than a
// click.
func (m *Match) SetChecked(ctx context.Context, want bool) error {
	checked, err := m.click(ctx, &want)
	if errors.Is(err, errNoState) {
		return fmt.Errorf("%s has no checked state", m.Element.Name)
	}
	if err != nil {
		return err
	}
	if checked != nil && *checked == want {
		return nil
	}
	for {
		on, _, err := m.Checked(ctx)
		if err != nil {
			return err
		}
		if on == want {
			return nil
		}
		if err := wait(ctx); err != nil {
			return fmt.Errorf("%s did not turn %v: %w", m.Element.Name, onOff(want), err)
		}
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// ObjectID is the page object of the element, for callers that draw over
// it (screenshots).
func (m *Match) ObjectID() runtime.RemoteObjectID { return m.obj }

// Until polls cond until it says done, returns an error, or ctx ends: the
// one way flows wait for a page condition that is not an element.
func Until(ctx context.Context, what string, cond func(ctx context.Context) (bool, error)) error {
	for {
		done, err := cond(ctx)
		if err != nil && !transient(err) {
			return err
		}
		if done {
			return nil
		}
		if err := pause(ctx); err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
	}
}

// pause waits until the page in ctx's tab changes (a DOM mutation, or a
// field's value set by a script, which no mutation tells), at most
// PollInterval: a poll looks again as soon as there is something new to
// see, not at its next tick. A page that cannot be asked (it is between
// documents) is waited for the rest of PollInterval.
func pause(ctx context.Context) error {
	start := time.Now()
	d := capped(ctx, PollInterval)
	if _, err := onEngine(ctx, "changed", "", true, true, d.Milliseconds()); err == nil {
		return ctx.Err()
	}
	return waitFor(ctx, max(PollInterval-time.Since(start), 0))
}

// Call runs a page function with this = the element, ignoring its result.
func (m *Match) Call(ctx context.Context, fn string, args ...any) error {
	_, err := callOn(ctx, m.obj, fn, "", true, args...)
	return err
}

// CallOnDocument runs a page function with this = document, in the bot's
// world (where the elements the finder returns live, so they can be
// passed as arguments).
func CallOnDocument(ctx context.Context, fn string, args ...any) error {
	_, err := CallPage(ctx, fn, false, args...)
	return err
}

// CallPage runs fn with this = document in the bot's world and returns its
// result as JSON (a promise awaited when await is set). Arguments that are
// page objects (Match.ObjectID) are passed as objects, the rest as JSON.
func CallPage(ctx context.Context, fn string, await bool, args ...any) ([]byte, error) {
	f := &Finder{}
	f.newGroup(ctx)
	defer func() {
		// Released even when ctx ended, but never waited on for long: the
		// tab may be gone.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_, _ = chromedp.Call(rctx, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: f.group})
	}()
	doc, err := f.document(ctx)
	if err != nil {
		return nil, err
	}
	r, err := call(ctx, doc, fn, "", true, await, args...)
	if err != nil {
		return nil, err
	}
	return r.Value, nil
}
