package locate

import (
	"embed"
	"strings"
)

// The page-side helpers live in js/*.js, embedded. Each file but prelude.js
// is one function declaration run with Runtime.callFunctionOn; `this` is the
// scope element (or document). A function that needs the shared helpers
// (norm, deepAll, ownText, ...) says /*@prelude*/ where they go.

//go:embed js/*.js
var jsFiles embed.FS

// script returns the function in js/<name>.js with the prelude in place.
func script(name string) string {
	b, err := jsFiles.ReadFile("js/" + name + ".js")
	if err != nil {
		panic("locate: missing embedded script " + name) // caught by every test
	}
	return strings.Replace(string(b), "/*@prelude*/", jsNorm, 1)
}

// jsNorm normalises a visible text or accessible name for an exact match:
// white space folded, a trailing required marker or colon dropped.
var jsNorm = func() string { b, _ := jsFiles.ReadFile("js/prelude.js"); return string(b) }()

// jsByText returns the innermost visible elements whose text is exactly
// args[0] (mode "text"), matches the regexp args[0] (mode "pattern"), or the
// value element beside a label whose text is args[0] (mode "beside").
var jsByText = script("by_text")

// jsByCSS returns the elements of the scope that match a CSS selector.
var jsByCSS = script("by_css")

// jsPick keeps the candidates (arguments after the first two) that a person
// can see, narrows them to the nearest container around the visible text
// args[0] when it is set, and returns their indexes.
var jsPick = script("pick")

// jsState describes an element for the actions: where it is, whether it is
// enabled, its value and checked state.
var jsState = script("state")

// jsHit says whether a click at (x, y) lands on the element, one of its
// descendants or one of its labels, and not on something covering it.
var jsHit = script("hit")

// jsClickTarget returns the element to click: the element itself, or the
// label of a hidden styled checkbox or radio.
var jsClickTarget = script("click_target")

// jsSelectAll selects the content of a field so typing replaces it.
var jsSelectAll = script("select_all")

// jsArmClick guards the next real click on the element: the page may move
// between the hit test and the press (a banner pushing the layout, a dialog
// still sliding in). A press that would land on anything else is stopped
// before the page sees it, so the bot never clicks the wrong thing, and the
// guard reports "missed" so the click is tried again. It returns the guard;
// jsDisarmClick removes it and says "hit", "missed" or "armed" (no event).
var jsArmClick = script("arm_click")

var jsDisarmClick = script("disarm_click")

// jsByLabelText finds the form control that a visible text labels by
// position only, as a person reads a form whose labels are not wired to
// their fields: the text, then the nearest control after it in the smallest
// container that holds one (before it, for a checkbox, radio or switch),
// with no other text between them and no label of its own that says
// something else. It is the fallback of a label locator when no control
// carries the label as its accessible name.
var jsByLabelText = script("by_label_text")

// jsByTitle finds the dialogs (or other containers of the given roles) that
// show the visible title args[1] and have no name at all: what a person
// calls "the Enable Xero dialog" when the page did not wire the title to
// the dialog. The title must be text of its own, not a button's or a
// field's; a dialog named something else is not it.
var jsByTitle = script("by_title")

// jsTexts returns the visible texts of the scope (at most args[0]): the
// pool a reworded text locator is compared with.
var jsTexts = script("texts")

// jsTitle returns the name a person gives a container: its accessible name
// or the heading it shows.
var jsTitle = script("title")

// jsDiagnose says what keeps a submit button disabled: unanswered
// questions, empty required fields, unticked required boxes, errors shown.
var jsDiagnose = script("diagnose")
