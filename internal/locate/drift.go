package locate

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/runtime"

	"portalbot/selectors"
)

// Portals reword their pages: "Add a new app" becomes "Add a new Xero app".
// When every locator of an element fails, the finder follows such a copy
// edit, but only when it is safe:
//
//  1. the same words normalised (case, punctuation, quotes and apostrophes,
//     "&" and "and", a trailing colon or asterisk, white space);
//  2. else the candidate of the same kind (the locator's role, a text field
//     for a label, a visible text for a text) in the same scope whose words
//     best match, taken only when it is the single candidate above
//     DriftThreshold and DriftLead ahead of the next, holds every keyword
//     of the element, and is not the words another element of the page is
//     looked for by;
//  3. a dialog whose title changed is still the dialog when it is the only
//     one open.
//
// An element marked exact (it removes or replaces a secret, or is one of a
// pair whose swap does harm) follows rule 1 only, on its own words (not its
// near anchor): "Remove" written "remove" is the same word, "Remove secret"
// is not. Never for words that are data (an {app} name), never for a pattern
// or CSS. Every element found this way
// carries a Drift, which the run reports.

// Drift says how an element was found although its words changed.
type Drift struct {
	Element  string `json:"element"`
	Page     string `json:"page"`
	Part     string `json:"part"`     // what changed: name, label, text, beside, near, within
	Expected string `json:"expected"` // the words the selectors data has
	Seen     string `json:"seen"`     // the words the page shows
	How      string `json:"how"`
	// Locator is the locator with the seen words: the fix for the data.
	Locator selectors.Locator `json:"-"`
	// Within says the drift is in the element's scope (its dialog).
	Within bool `json:"-"`
}

// The drift rules' numbers: a candidate's word similarity (0 to 1) must
// reach DriftThreshold and lead the next candidate by DriftLead. Two words
// of which one changed ("Client ID", "Client secret") score 0.5: never
// taken.
var (
	DriftThreshold = 0.6
	DriftLead      = 0.2
	// DriftAfter is how long Find looks for the words as written before it
	// follows a rewording: a page still drawing is not a reworded page.
	DriftAfter = 300 * time.Millisecond
	// DriftEvery is the longest gap between two looks of the drift rules
	// in a wait that goes on.
	DriftEvery = 2 * time.Second
)

// DriftPace paces the drift rules in a wait a flow runs itself (a value to
// show, one of several answers): called at each look, it says whether that
// look also follows rewordings, from DriftAfter into the wait, then less
// and less often (each gap twice the last, up to DriftEvery), as Find does.
// A look of the words as written costs one call; one that follows
// rewordings reads the names on the page too.
func DriftPace() func() bool {
	next, gap := time.Now().Add(DriftAfter), DriftAfter
	return func() bool {
		if time.Now().Before(next) {
			return false
		}
		gap = min(2*gap, DriftEvery)
		next = time.Now().Add(gap)
		return true
	}
}

// stopWords carry no meaning of their own in a label; they do not count
// towards similarity ("Please enter your email" is about "email").
var stopWords = map[string]bool{"a": true, "an": true, "the": true, "your": true, "you": true, "to": true, "of": true,
	"or": true, "and": true, "for": true, "in": true, "on": true, "with": true, "please": true, "now": true, "this": true, "my": true}

// synonyms are the words portals swap for one another in a copy edit; each
// maps to one spelling so that both compare equal.
var synonyms = map[string]string{"application": "app", "apps": "app", "applications": "app", "identifier": "id",
	"address": "url", "uri": "url", "uris": "url", "urls": "url", "link": "url", "add": "create", "new": "create",
	"generate": "create", "sign": "log", "signin": "login", "continue": "next", "submit": "confirm"}

// Loose is s as words compare across a copy edit: lower case, quotes,
// apostrophes and punctuation dropped, "&" read as "and", white space
// folded, a trailing required marker or colon gone. Two labels with the same
// Loose form say the same words.
func Loose(s string) string {
	s = Norm(s)
	s = strings.ReplaceAll(s, "&", " and ")
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '"' || r == '“' || r == '”':
			// "Xero's" and "Xero’s" and "Xeros" are one word
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// words are the meaningful words of s for similarity, synonyms folded; a
// text of stop words only keeps them.
func words(s string) []string {
	all := strings.Fields(Loose(s))
	keepStop := !slices.ContainsFunc(all, func(w string) bool { return !stopWords[w] })
	var out []string
	for _, w := range all {
		if stopWords[w] && !keepStop {
			continue
		}
		w = strings.TrimSuffix(w, "s") // "requirements", "secrets"
		if syn, ok := synonyms[w]; ok {
			w = syn
		} else if syn, ok := synonyms[w+"s"]; ok {
			w = syn
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Similarity is how alike two labels' words are, from 0 to 1: the Dice
// coefficient of their word sets, raised to DriftThreshold when seen keeps
// every word of want (a word added: "Redirect URI", "OAuth 2.0 redirect
// URI"; never for one word: "Apps" is not "Check your Xero Verify app"),
// plus 0.3 when seen holds every keyword; 0 when it lacks one.
func Similarity(want, seen string, keywords []string) float64 {
	a, b := words(want), words(seen)
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	for _, k := range keywords {
		if !hasKeyword(b, k) {
			return 0
		}
	}
	common := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			common++
		}
	}
	score := 2 * float64(common) / float64(len(a)+len(b))
	if common == len(a) && len(a) >= 2 && score >= 0.4 {
		score = max(score, DriftThreshold)
	}
	if len(keywords) > 0 {
		score = min(1, score+0.3) // every keyword is there
	}
	return score
}

func hasKeyword(ws []string, k string) bool {
	kw := words(k)
	if len(kw) == 0 {
		return true
	}
	for _, w := range ws {
		if w == kw[0] || (len(kw[0]) >= 4 && strings.HasPrefix(w, kw[0])) {
			return true
		}
	}
	return false
}

// choice is the outcome of the drift rules over a pool of seen words.
type choice struct {
	seen, how string
	closest   string // for the error when nothing was taken
}

// choose applies rules 1 and 2 to pool: the words the page shows for
// candidates of the right kind in scope.
func choose(want string, pool []string, keywords, claimed []string) choice {
	isClaimed := func(p string) bool {
		return slices.ContainsFunc(claimed, func(c string) bool { return Loose(c) == Loose(p) })
	}
	var same []string
	for _, p := range pool {
		if Loose(p) == Loose(want) && !slices.Contains(same, p) {
			same = append(same, p)
		}
	}
	if len(same) == 1 {
		return choice{seen: same[0], how: "the same words, written differently"}
	}
	if len(same) > 1 {
		return choice{closest: fmt.Sprintf("%q and %q are alike", same[0], same[1])}
	}
	type scored struct {
		text  string
		score float64
	}
	var ranked []scored
	for _, p := range pool {
		if isClaimed(p) || slices.ContainsFunc(ranked, func(s scored) bool { return s.text == p }) {
			continue
		}
		if sc := Similarity(want, p, keywords); sc > 0 {
			ranked = append(ranked, scored{p, sc})
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].score > ranked[j].score })
	if len(ranked) == 0 {
		return choice{}
	}
	best, next := ranked[0], 0.0
	if len(ranked) > 1 {
		next = ranked[1].score
	}
	c := choice{closest: fmt.Sprintf("%q (%.2f)", best.text, best.score)}
	if len(ranked) > 1 {
		c.closest += fmt.Sprintf(", %q (%.2f)", ranked[1].text, ranked[1].score)
	}
	if best.score >= DriftThreshold-1e-9 && best.score-next >= DriftLead-1e-9 {
		c.seen = best.text
		c.how = fmt.Sprintf("similar words (%.2f; next %.2f)", best.score, next)
	}
	return c
}

// hasVar says the words are data filled in at run time ({app}): data is
// never taken for something similar.
func hasVar(s string) bool { return strings.Contains(s, "{") }

// driftParts are the parts of a locator that may follow a rewording.
func driftParts(orig selectors.Locator) []string {
	var parts []string
	switch {
	case orig.Name != "" && !hasVar(orig.Name):
		parts = append(parts, "name")
	case orig.Label != "" && !hasVar(orig.Label):
		parts = append(parts, "label")
	case orig.Text != "" && !hasVar(orig.Text):
		parts = append(parts, "text")
	case orig.Beside != "" && !hasVar(orig.Beside):
		parts = append(parts, "beside")
	}
	if orig.Near != "" && !hasVar(orig.Near) && !strings.HasPrefix(orig.Near, "re:") && !strings.HasPrefix(orig.Near, "@") {
		parts = append(parts, "near")
	}
	return parts
}

func partOf(l *selectors.Locator, part string) *string {
	switch part {
	case "name":
		return &l.Name
	case "label":
		return &l.Label
	case "text":
		return &l.Text
	case "beside":
		return &l.Beside
	case "near":
		return &l.Near
	}
	return nil
}

// drift tries the drift rules on each locator of el in root and returns
// the first element they find, with the drift recorded; closest says what
// came nearest when nothing was taken.
func (f *Finder) drift(ctx context.Context, root runtime.RemoteObjectID, el *selectors.Element, locs []selectors.Locator, within bool) (ids []runtime.RemoteObjectID, d *Drift, closest string, err error) {
	var claimed []string
	if f.Set != nil && !within {
		for _, c := range f.Set.Claimed(el.Page, el.Name) {
			claimed = append(claimed, f.fillText(c))
		}
	}
	exact := el.Exact && !within
	for _, orig := range locs {
		loc := f.fill(orig)
		for _, part := range driftParts(orig) {
			if exact && part == "near" {
				continue
			}
			want := *partOf(&loc, part)
			pool, err := f.pool(ctx, root, loc, part)
			if err != nil {
				return nil, nil, "", err
			}
			c := choose(want, pool, el.Keywords, claimed)
			if exact && c.seen != "" && Loose(c.seen) != Loose(want) {
				c = choice{closest: fmt.Sprintf("%q (the element is exact: only the same words are taken)", c.seen)}
			}
			if c.seen == want {
				// The same words, written the same: no copy edit. The look as
				// written missed an element the page added or wired just
				// after it (seen in the kill tests as a "drift" from "Client
				// secret 1" to "Client secret 1"); the next look finds it as
				// written, with no drift reported.
				continue
			}
			if c.seen == "" {
				if c.closest != "" && closest == "" {
					closest = fmt.Sprintf("%s %q: closest %s", part, want, c.closest)
				}
				continue
			}
			fixed := loc
			*partOf(&fixed, part) = c.seen
			got, _, _, err := f.candidates(ctx, root, el, fixed, false)
			if err != nil {
				return nil, nil, "", err
			}
			if len(got) == 1 {
				fix := orig
				*partOf(&fix, part) = c.seen
				return got, &Drift{Element: el.Name, Page: el.Page, Part: part, Expected: want, Seen: c.seen, How: c.how, Locator: fix, Within: within}, "", nil
			}
		}
		// A dialog whose title changed is still the dialog when it is the
		// only one open.
		if orig.Name != "" && !hasVar(orig.Name) && onlyTitled(orig.Role) && !exact {
			open, _, _, err := f.candidates(ctx, root, el, selectors.Locator{Role: orig.Role, Near: loc.Near}, false)
			if err != nil {
				return nil, nil, "", err
			}
			if len(open) == 1 {
				seen := f.nameOf(ctx, open[0])
				fix := orig
				fix.Name = seen
				how := "the only " + orig.Role + " open"
				if seen == "" {
					fix = selectors.Locator{Role: orig.Role}
					how += " (it shows no title)"
				}
				return open, &Drift{Element: el.Name, Page: el.Page, Part: "name", Expected: loc.Name, Seen: seen, How: how, Locator: fix, Within: within}, "", nil
			}
		}
	}
	return nil, nil, closest, nil
}

func onlyTitled(role string) bool {
	for _, r := range strings.Split(role, "|") {
		if !titledRoles[r] {
			return false
		}
	}
	return true
}

// pool returns the words the page shows, in root, for the candidates of
// the same kind as loc's part: the names of elements of loc's role, the
// names of text fields for a label, the visible texts for a text.
func (f *Finder) pool(ctx context.Context, root runtime.RemoteObjectID, loc selectors.Locator, part string) ([]string, error) {
	switch part {
	case "name":
		return f.names(ctx, root, strings.Split(loc.Role, "|"), false)
	case "label":
		return f.names(ctx, root, nil, true)
	}
	f.held = true
	obj, err := callOn(ctx, root, jsTexts, f.group, true, 400)
	if err != nil {
		return nil, err
	}
	var out []string
	if err := json.Unmarshal([]byte(obj.Value), &out); err != nil {
		return nil, fmt.Errorf("locate: texts: %w", err)
	}
	return out, nil
}

// nameOf is the accessible name of one element, or its visible title.
func (f *Finder) nameOf(ctx context.Context, obj runtime.RemoteObjectID) string {
	r, err := callOn(ctx, obj, jsTitle, "", true)
	if err != nil {
		return ""
	}
	var s string
	_ = json.Unmarshal([]byte(r.Value), &s)
	return s
}
