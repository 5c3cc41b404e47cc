package fakeportal

// The drift fault (Faults.DriftSeed): the copy edits portals make every
// few months, applied to the labels of every page through the one label
// function (L), so headings, field labels, buttons, dialog titles,
// questions and messages all take part, in both renderings.
//
// Each label is changed with probability DriftRate, in one of these ways,
// decided from the seed and the label's own text only (so a label drifts
// the same way on every page, in every request, in both renderings):
//
//   - case: Sentence case <-> Title Case;
//   - punctuation: a trailing colon added or dropped, a trailing "?" or "."
//     dropped, "&" <-> "and", straight <-> curly apostrophes and quotes;
//   - a word added ("your", "the", "now");
//   - a word dropped (never a negation);
//   - a word replaced by a synonym ("Create" -> "Add", "URL" -> "address",
//     "app" -> "application", ...);
//   - a field's label moved into its placeholder, or into a tooltip (title
//     and aria-label only): no visible label any more.
//
// Never drifted: data (app names, ids, secrets, dates, URLs are not labels
// and never pass through L), the answers "Yes" and "No", the state words
// "Enabled" and "Disabled", and proper names (integrations, brands). Words
// holding a digit, "%", "@" or "://" are never changed.

import (
	"hash/fnv"
	"html/template"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// DefaultDriftRate is the chance a label drifts when Faults.DriftRate is 0.
const DefaultDriftRate = 0.12

// Ways a label drifts (DriftChange.How).
const (
	DriftCase        = "case"
	DriftPunctuation = "punctuation"
	DriftWordAdded   = "word added"
	DriftWordDropped = "word dropped"
	DriftSynonym     = "synonym"
	DriftPlaceholder = "moved into a placeholder"
	DriftTooltip     = "moved into a tooltip"
)

// DriftChange is one label the drift fault changed.
type DriftChange struct {
	Label  string // the label as the replica shows it without drift
	Became string // what it shows instead (the same words when moved)
	How    string // one of the Drift* ways
}

// drifter remembers the drift of every label asked for.
type drifter struct {
	seed int64
	rate float64

	mu      sync.Mutex
	memo    map[string]DriftChange // How "" = unchanged
	changes []DriftChange
}

// newDrifter returns nil when seed is 0 (drift off).
func newDrifter(seed int64, rate float64) *drifter {
	if seed == 0 {
		return nil
	}
	if rate == 0 {
		rate = DefaultDriftRate
	}
	return &drifter{seed: seed, rate: rate, memo: map[string]DriftChange{}}
}

// get returns the drift of label (How "" when it is left alone) and
// records a change the first time it is seen.
func (d *drifter) get(label string) DriftChange {
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.memo[label]; ok {
		return c
	}
	c := driftOf(d.seed, d.rate, label)
	d.memo[label] = c
	if c.How != "" {
		d.changes = append(d.changes, c)
	}
	return c
}

func (d *drifter) list() []DriftChange {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]DriftChange(nil), d.changes...)
}

// moved returns the labels moved into a placeholder or a tooltip.
func (d *drifter) moved() []DriftChange {
	var out []DriftChange
	for _, c := range d.list() {
		if c.How == DriftPlaceholder || c.How == DriftTooltip {
			out = append(out, c)
		}
	}
	return out
}

// noDrift are labels that are values or names, not copy.
var noDrift = map[string]bool{
	"Yes": true, "No": true, "Enabled": true, "Disabled": true,
	"Xero": true, "FreeAgent": true, "Codat": true, "QuickBooks Online": true, "Sage Business Cloud": true,
	"Xero Developer": true, "FreeAgent Developer Dashboard": true, "OR": true, "✕": true, "…": true,
}

// fieldLabels are the labels of form controls, which a copy edit can move
// into the control itself: true for a text field without a placeholder of
// its own (placeholder or tooltip), false for the others and checkboxes
// (tooltip only).
var fieldLabels = map[string]bool{
	"Email address": true, "Password": true, "Please enter your email": true, "Please enter your password": true,
	"Authentication code": true, "App name": true, "Company or application URL": false, "Redirect URI": true,
	"OAuth 2.0 redirect URI": true, "Privacy policy URL": false, "Terms and conditions URL": false,
	"Enter your one-time code": true, "Enter the code": true, "Client ID": true, "Client secret": true,
	"Email": true, "Name": true, "Description": true, "App homepage URL": true, "OAuth Redirect URIs": true,
	"Trust this device": false, "Remember me for 30 days": false, "Remember me": false, "Enable Accountancy Practice API": false,
	"I have read and agree to the Xero Developer Platform Terms & Conditions": false,
}

// droppable words go in copy edits without changing what a label asks.
var droppable = map[string]bool{
	"a": true, "an": true, "the": true, "your": true, "Your": true, "new": true, "please": true, "Please": true,
	"now": true, "also": true, "minimum": true, "max": true, "valid": true, "all": true, "any": true, "just": true,
	"this": true, "then": true, "only": true, "preferred": true, "successfully": true, "is": true, "again": true,
}

// properWords keep their case and are never dropped.
var properWords = map[string]bool{
	"Xero": true, "Xero's": true, "FreeAgent": true, "Codat": true, "Google": true, "OAuth": true,
	"API": true, "URL": true, "URI": true, "URIs": true, "ID": true, "AI": true, "2.0": true, "I": true,
	"Accountancy": true, "Practice": true, "Verify": true, "QuickBooks": true, "Sage": true,
}

// smallWords stay lower case in Title Case.
var smallWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "to": true, "of": true, "for": true,
	"in": true, "on": true, "with": true, "at": true, "by": true, "from": true,
}

// verbs start an action label: "Create app" -> "Create your app".
var verbs = map[string]bool{
	"Create": true, "Add": true, "Save": true, "Enable": true, "Generate": true, "Enter": true, "Remove": true,
	"Show": true, "Copy": true, "Set": true, "Manage": true, "Use": true, "Log": true, "Sign": true,
	"Confirm": true, "Continue": true, "Regenerate": true, "Edit": true, "Check": true, "Verify": true,
}

// nowVerbs alone on a button may become "Save now".
var nowVerbs = map[string]bool{"Save": true, "Continue": true, "Enable": true, "Confirm": true, "Verify": true}

// phraseSynonyms replace a label's first words.
var phraseSynonyms = map[string]string{
	"Log in": "Sign in", "Sign in": "Log in", "Log out": "Sign out", "Set up": "Configure",
}

// synonyms: one word for another, as copy edits do.
var synonyms = map[string]string{
	"Create": "Add", "create": "add", "Add": "Create", "add": "create",
	"URL": "address", "URI": "URL", "URIs": "URLs",
	"app": "application", "App": "Application", "application": "app", "Application": "App",
	"Generate": "Create", "Remove": "Delete", "Enter": "Type", "Show": "Reveal", "Hide": "Conceal",
	"Enable": "Activate", "Later": "Not now", "Continue": "Proceed", "Next": "Continue", "Back": "Previous",
	"Email": "E-mail", "email": "e-mail", "Manage": "Edit", "Confirm": "Verify", "Cancel": "Dismiss",
	"secret": "key", "identifier": "ID", "ID": "identifier", "name": "title", "Description": "Summary",
	"homepage": "website", "integrations": "connections", "integration": "connection", "code": "passcode",
	"device": "browser", "Save": "Update", "Regenerate": "Reset", "Close": "Dismiss",
	"Integrations": "Connections", "Settings": "Preferences", "Configuration": "Setup",
}

// driftOf decides the drift of one label from the seed and its text.
func driftOf(seed int64, rate float64, label string) DriftChange {
	same := DriftChange{Label: label, Became: label}
	if noDrift[label] || !strings.ContainsFunc(label, unicode.IsLetter) || strings.Contains(label, "%") {
		return same
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(label))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	if r.Float64() >= rate {
		return same
	}
	ways := driftWays(label)
	var kinds []string
	for k, v := range ways {
		if len(v) > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return same
	}
	slices.Sort(kinds) // map order is random; the seed must decide alone
	k := kinds[r.IntN(len(kinds))]
	v := ways[k][r.IntN(len(ways[k]))]
	return DriftChange{Label: label, Became: v, How: k}
}

// driftWays lists, by way, the texts label can become (never itself).
func driftWays(label string) map[string][]string {
	ways := map[string][]string{}
	put := func(how, s string) {
		if s != "" && s != label && !slices.Contains(ways[how], s) {
			ways[how] = append(ways[how], s)
		}
	}
	core, tail := splitTail(label)
	words := strings.Split(core, " ")
	short := len(words) <= 8 && !strings.Contains(core, ". ")
	_, isField := fieldLabels[label]

	// case (labels, not sentences)
	if len(words) <= 6 && tail != "." {
		put(DriftCase, sentenceCase(words)+tail)
		put(DriftCase, titleCase(words)+tail)
	}
	// punctuation
	switch tail {
	case ":", "?", ".":
		put(DriftPunctuation, core)
	case "":
		if isField {
			put(DriftPunctuation, core+":")
		}
	}
	if strings.Contains(label, " & ") {
		put(DriftPunctuation, strings.Replace(label, " & ", " and ", 1))
	} else if strings.Contains(label, " and ") {
		put(DriftPunctuation, strings.Replace(label, " and ", " & ", 1))
	}
	if strings.Contains(label, "'") {
		put(DriftPunctuation, strings.ReplaceAll(label, "'", "’"))
	} else if strings.Contains(label, "’") {
		put(DriftPunctuation, strings.ReplaceAll(label, "’", "'"))
	}
	if strings.Count(label, `"`) == 2 {
		put(DriftPunctuation, strings.Replace(strings.Replace(label, `"`, "“", 1), `"`, "”", 1))
	}
	// a word added
	if short && tail != "?" {
		w0 := words[0]
		switch {
		case nowVerbs[w0] && len(words) == 1:
			put(DriftWordAdded, core+" now"+tail)
		case verbs[w0] && len(words) > 1 && !properWords[words[1]] &&
			!slices.Contains([]string{"a", "an", "the", "your", "another", "in", "up", "out", "Xero", "FreeAgent"}, words[1]):
			for _, add := range []string{"your", "the"} {
				put(DriftWordAdded, strings.Join(slices.Insert(slices.Clone(words), 1, add), " ")+tail)
			}
		case fieldLabels[label] && !verbs[w0] && w0 != "Your" && w0 != "Please":
			first := w0
			if !properWords[w0] {
				first = lowerFirst(w0)
			}
			put(DriftWordAdded, "Your "+strings.Join(append([]string{first}, words[1:]...), " ")+tail)
		}
	}
	// a word dropped
	if len(words) >= 2 {
		for i, w := range words {
			if !droppable[w] || (i == 0 && w != "Please" && w != "Your") {
				continue
			}
			nw := slices.Delete(slices.Clone(words), i, i+1)
			if i == 0 {
				nw[0] = upperFirst(nw[0])
			}
			put(DriftWordDropped, strings.Join(nw, " ")+tail)
		}
	}
	// a synonym
	for _, from := range slices.Sorted(maps.Keys(phraseSynonyms)) {
		if strings.HasPrefix(label, from+" ") || label == from {
			put(DriftSynonym, phraseSynonyms[from]+strings.TrimPrefix(label, from))
		}
	}
	for i, w := range words {
		if s, ok := synonyms[w]; ok && !protected(w) {
			nw := slices.Clone(words)
			nw[i] = s
			if r, _ := utf8.DecodeRuneInString(w); i == 0 && unicode.IsUpper(r) {
				nw[i] = upperFirst(s)
			}
			put(DriftSynonym, strings.Join(nw, " ")+tail)
		}
	}
	// moved into the control: the same words, no visible label
	if text, ok := fieldLabels[label]; ok {
		if text {
			ways[DriftPlaceholder] = []string{label}
		}
		ways[DriftTooltip] = []string{label}
	}
	return ways
}

// splitTail splits a trailing ":", "?" or "." off label.
func splitTail(label string) (string, string) {
	for _, t := range []string{":", "?", "."} {
		if strings.HasSuffix(label, t) && len(label) > 1 {
			return strings.TrimSuffix(label, t), t
		}
	}
	return label, ""
}

// protected words are never changed: numbers, formats, addresses.
func protected(w string) bool {
	return strings.ContainsAny(w, "0123456789%@") || strings.Contains(w, "://") || !strings.ContainsFunc(w, unicode.IsLetter)
}

func sentenceCase(words []string) string {
	out := slices.Clone(words)
	for i, w := range out {
		if i == 0 || protected(w) || properWords[w] {
			continue
		}
		if isCapitalised(w) {
			out[i] = lowerFirst(w)
		}
	}
	return strings.Join(out, " ")
}

func titleCase(words []string) string {
	out := slices.Clone(words)
	for i, w := range out {
		if protected(w) || (i > 0 && smallWords[w]) {
			continue
		}
		out[i] = upperFirst(w)
	}
	return strings.Join(out, " ")
}

// isCapitalised: an upper-case letter then only lower-case ones.
func isCapitalised(w string) bool {
	r, n := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	return !strings.ContainsFunc(w[n:], unicode.IsUpper)
}

func lowerFirst(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToLower(r)) + w[n:]
}

func upperFirst(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// moveLabels applies the "moved" drifts to a page of the classic
// rendering: a field's <label for> is taken out and its words put into the
// control's placeholder (DriftPlaceholder; a control that has a
// placeholder already gets the tooltip) or title and aria-label
// (DriftTooltip); a checkbox's wrapping label keeps the box and loses its
// words to the box's title and aria-label. (The spa script does the same
// in its field helpers.)
func (p *Portals) moveLabels(page string) string {
	p.fmu.RLock()
	d := p.drift
	p.fmu.RUnlock()
	if d == nil {
		return page
	}
	for _, c := range d.moved() {
		if p.moveMode(c.Label) == "" {
			continue // renamed
		}
		esc := template.HTMLEscapeString(c.Label)
		forRE := regexp.MustCompile(`<label for="([^"]+)">` + regexp.QuoteMeta(esc) + `</label>\n?`)
		for _, m := range forRE.FindAllStringSubmatch(page, -1) {
			ctlRE := regexp.MustCompile(`<(?:input|textarea)\b[^>]*\bid="` + regexp.QuoteMeta(m[1]) + `"[^>]*>`)
			loc := ctlRE.FindStringIndex(page)
			if loc == nil {
				continue
			}
			tag := page[loc[0]:loc[1]]
			attrs := ` title="` + esc + `" aria-label="` + esc + `"`
			if c.How == DriftPlaceholder && !strings.Contains(tag, "placeholder=") {
				attrs = ` placeholder="` + esc + `"`
			}
			sp := strings.IndexByte(tag, ' ')
			page = page[:loc[0]] + tag[:sp] + attrs + tag[sp:] + page[loc[1]:]
			page = strings.Replace(page, m[0], "", 1)
		}
		choiceRE := regexp.MustCompile(`(<label class="choice"><input [^>]*)> ` + regexp.QuoteMeta(esc) + `</label>`)
		page = choiceRE.ReplaceAllStringFunc(page, func(s string) string {
			m := choiceRE.FindStringSubmatch(s)
			return m[1] + ` title="` + esc + `" aria-label="` + esc + `"></label>`
		})
	}
	return page
}
