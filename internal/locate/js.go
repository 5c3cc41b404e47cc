package locate

import (
	"embed"
	"strings"
)

// The page-side code lives in js/*.js, embedded. engine.js is the bot's page
// script, installed once per document (engine.go); it calls the
// one-function files below as methods. Each file but prelude.js and
// engine.js is one function declaration; `this` is the scope element (or
// document). A function that needs the shared helpers (norm, deepAll,
// ownText, ...) says /*@prelude*/ where they go.

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

// jsState describes an element for the actions: where it is, whether it is
// enabled, its value and checked state.
var jsState = script("state")

// jsSelectAll selects the content of a field so typing replaces it.
var jsSelectAll = script("select_all")

// jsTexts returns the visible texts of the scope (at most args[0]): the
// pool a reworded text locator is compared with.
var jsTexts = script("texts")

// jsTitle returns the name a person gives a container: its accessible name
// or the heading it shows.
var jsTitle = script("title")

// engineFns are the one-function files the engine calls, by the name it
// calls them:
//   - byText: the innermost visible elements whose text is exactly the
//     words (mode "text"), matches a regexp ("pattern"), or the value
//     element beside a label with those words ("beside");
//   - byCSS: the elements of the scope that match a CSS selector;
//   - byTitle: the unnamed dialogs that show a visible title (what a person
//     calls "the Enable Xero dialog" when the page did not wire its title);
//   - byLabelText: the form control a visible text labels by position only
//     (a label not wired to its field): the nearest control after the text
//     in the smallest container holding one, no other text between;
//   - pick: the candidates a person can see, narrowed to the nearest
//     container around a text or an anchor element;
//   - state: where an element is, whether it is enabled, value, checked;
//   - hit: whether a press at (x, y) lands on the element (or its label)
//     and not on something covering it;
//   - clickTarget: the element to press (the label of a hidden styled box);
//   - armClick: the guard of the next real press: a press that would land
//     elsewhere is stopped before the page sees it and reported "missed";
//   - diagnose: what keeps a submit button disabled (unanswered question,
//     empty required field, unticked required box, error shown).
var engineFns = []struct{ name, file string }{
	{"byText", "by_text"}, {"byCSS", "by_css"}, {"byTitle", "by_title"}, {"byLabelText", "by_label_text"},
	{"pick", "pick"}, {"state", "state"}, {"hit", "hit"}, {"clickTarget", "click_target"},
	{"armClick", "arm_click"}, {"diagnose", "diagnose"},
}

// jsEngine is js/engine.js with the prelude and the functions it calls in
// place: evaluated once per document in the bot's isolated world, it
// defines globalThis.__portalbot and returns the document.
var jsEngine = func() string {
	var fns strings.Builder
	for _, f := range engineFns {
		fns.WriteString(f.name + ": " + script(f.file) + ",\n")
	}
	s := script("engine")
	return strings.Replace(s, "/*@fns*/", fns.String(), 1)
}()
