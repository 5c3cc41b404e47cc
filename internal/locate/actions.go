package locate

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/dom"
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

// Click waits until the element is enabled, still for one poll and not
// covered, then clicks its centre with the mouse, as a person does. A styled
// checkbox whose input is hidden is clicked through its label.
//
// A button that stays disabled for DisabledGrace is looked at as a person
// would: when the form around it shows an unanswered question, an empty
// required field or an error, the click stops at once with a BlockedError
// naming them (a portal that added a question is a changed page, not a slow
// one).
func (m *Match) Click(ctx context.Context) error {
	var last State
	missed := false
	var disabledSince time.Time
	for {
		own, err := m.State(ctx) // finds a redrawn element again
		if err != nil {
			return fmt.Errorf("click %s: %w", m.Element.Name, err)
		}
		switch {
		case !own.Disabled:
			disabledSince = time.Time{}
		case disabledSince.IsZero():
			disabledSince = time.Now()
		case time.Since(disabledSince) >= DisabledGrace:
			if asks := m.blockers(ctx); len(asks) > 0 {
				return &BlockedError{Element: m.Element.Name, Page: m.Element.Page, Asks: asks}
			}
			disabledSince = time.Now() // nothing to name: look again later
		}
		target := m.obj
		if t, err := callOn(ctx, m.obj, jsClickTarget, "", false); err == nil && t.ObjectID != "" {
			target = t.ObjectID
		}
		_, _ = chromedp.Call(ctx, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{ObjectID: target})
		tm := &Match{obj: target}
		s, err := tm.State(ctx)
		if err != nil {
			return fmt.Errorf("click %s: %w", m.Element.Name, err)
		}
		stable := s.W > 0 && s.H > 0 && s.X == last.X && s.Y == last.Y && s.W == last.W && s.H == last.H && !own.Disabled
		if stable {
			x, y := s.X+s.W/2, s.Y+s.H/2
			hit, err := callOn(ctx, target, jsHit, "", true, x, y)
			if err == nil && string(hit.Value) == "true" {
				switch done, err := guardedClick(ctx, target, x, y); {
				case err != nil:
					return fmt.Errorf("click %s: %w", m.Element.Name, err)
				case done:
					return nil
				}
				missed = true // the page moved under the mouse: look again
				s = State{}
			}
		}
		last = s
		if err := wait(ctx); err != nil {
			why := "moving or covered"
			if missed {
				why = "moving: another element took the press"
			}
			if s.Disabled {
				why = "disabled"
			}
			return fmt.Errorf("click %s: still %s: %w", m.Element.Name, why, err)
		}
	}
}

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

// blockers reads what keeps the element's form from being sent.
func (m *Match) blockers(ctx context.Context) []string {
	r, err := callOn(ctx, m.obj, jsDiagnose, "", true)
	if err != nil {
		return nil
	}
	var got []struct{ Kind, Text string }
	if json.Unmarshal([]byte(r.Value), &got) != nil {
		return nil
	}
	out := make([]string, 0, len(got))
	for _, g := range got {
		out = append(out, fmt.Sprintf("%s %q", g.Kind, g.Text))
	}
	return out
}

// guardedClick presses and releases the mouse at (x, y) with a guard on
// target: done is false when the press would have landed on another element
// and was stopped before the page saw it.
func guardedClick(ctx context.Context, target runtime.RemoteObjectID, x, y float64) (done bool, err error) {
	g, err := callOn(ctx, target, jsArmClick, "", false)
	switch {
	case err != nil && transient(err):
		return false, nil // the element was redrawn meanwhile: look again
	case err != nil:
		return false, err
	}
	defer func() {
		_, _ = chromedp.Call(context.WithoutCancel(ctx), runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: g.ObjectID})
	}()
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		return false, err
	}
	st, err := callOn(ctx, g.ObjectID, jsDisarmClick, "", true)
	switch {
	case err == nil:
		return string(st.Value) != `"missed"`, nil
	case transient(err):
		return true, nil // the click navigated away: it was delivered
	default:
		return false, err
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
// waits for the page to show the new state.
func (m *Match) SetChecked(ctx context.Context, want bool) error {
	on, ok, err := m.Checked(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s has no checked state", m.Element.Name)
	}
	if on == want {
		return nil
	}
	if err := m.Click(ctx); err != nil {
		return err
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
		if err := wait(ctx); err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
	}
}

// Call runs a page function with this = the element, ignoring its result.
func (m *Match) Call(ctx context.Context, fn string, args ...any) error {
	_, err := callOn(ctx, m.obj, fn, "", true, args...)
	return err
}

// CallOnDocument runs a page function with this = document.
func CallOnDocument(ctx context.Context, fn string, args ...any) error {
	res, exc, err := evaluate(ctx, "document", "")
	if err != nil {
		return err
	}
	if exc != nil {
		return fmt.Errorf("locate: %s", exc.Text)
	}
	_, err = callOn(ctx, res.ObjectID, fn, "", true, args...)
	return err
}
