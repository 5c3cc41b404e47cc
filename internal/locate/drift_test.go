package locate_test

import (
	"errors"
	"portalbot/internal/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"portalbot/internal/locate"
	"portalbot/selectors"
)

func TestSimilarity(t *testing.T) {
	tests := []struct {
		want, seen string
		keywords   []string
		atLeast    float64 // the score is at least this
		below      float64 // and below this (0: no bound)
	}{
		{"Create app", "Create App", nil, 1, 0},
		{"App name", "Application name", nil, 1, 0},
		{"Redirect URI", "OAuth 2.0 redirect URI", nil, locate.DriftThreshold, 0},
		{"Add a new app", "Add a new Xero app", nil, 0.8, 0},
		{"Client ID", "Client secret", nil, 0, locate.DriftThreshold},
		{"Client secret 1", "Client secret 2", nil, 0, 0.7},
		{"Yes", "No", nil, 0, 0.01},
		{"Will you use Xero data to train an AI model?", "Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?", []string{"AI", "train"}, 0.9, 0},
		{"Will you use Xero data to train an AI model?", "Do you understand and agree to meet Xero's minimum security requirements?", []string{"AI", "train"}, 0, 0.01},
		{"Will you use Xero data to train an AI model?", "Are you planning on training AI with data from Xero?", []string{"AI", "train"}, locate.DriftThreshold, 0},
		{"I have read and agree to the Xero Developer Platform Terms & Conditions", "I have read and agree to the Xero Developer Platform Terms and Conditions", nil, 1, 0},
		{"Email address", "Please enter your email", nil, 0.5, 0},
	}
	for _, tt := range tests {
		got := locate.Similarity(tt.want, tt.seen, tt.keywords)
		if got < tt.atLeast || (tt.below > 0 && got >= tt.below) {
			t.Errorf("Similarity(%q, %q) = %.2f, want in [%.2f, %.2f)", tt.want, tt.seen, got, tt.atLeast, tt.below)
		}
	}
}

func TestLoose(t *testing.T) {
	for in, want := range map[string]string{
		"Terms & Conditions:":    "terms and conditions",
		"Xero’s  minimum *":      "xeros minimum",
		`"Create" app (beta)`:    "create app beta",
		"OAuth 2.0 redirect URI": "oauth 2 0 redirect uri",
	} {
		if got := locate.Loose(in); got != want {
			t.Errorf("Loose(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNormIsTheSameInGoAndInThePage runs the page's norm over the same
// texts as Go's Norm: an exact match means the same on both sides.
func TestNormIsTheSameInGoAndInThePage(t *testing.T) {
	texts := []string{"  App   name ", "App name *", "App name:", "Client ID (required)", "Email\u00a0address", "Redirect URI :", "a\n\tb", "Terms & Conditions"}
	ctx := open(t, `<p>x</p>`, 15*time.Second)
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](locate.NormScriptForTest(texts)))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range texts {
		if got[i] != locate.Norm(s) {
			t.Errorf("page norm(%q) = %q, Go Norm = %q", s, got[i], locate.Norm(s))
		}
	}
}

// TestFollowsRewordingSafely: a copy edit is followed when one candidate of
// the same kind in the same scope clearly matches, and never otherwise.
func TestFollowsRewordingSafely(t *testing.T) {
	dialog := selectors.Locator{Role: "dialog", Name: "Add a new app"}
	ai := "Will you use Xero data to train an AI model?"
	tests := []struct {
		name  string
		html  string
		el    *selectors.Element
		want  string // value or text found; "" for nothing
		drift string // what the drift says; "" with want: as written
	}{
		{"case and punctuation", `<button>Create App</button>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Create app"}), "Create App", "the same words"},
		{"& and and", `<label><input type=checkbox value=t> I have read and agree to the Terms and Conditions</label>`,
			el("e", nil, selectors.Locator{Role: "checkbox", Name: "I have read and agree to the Terms & Conditions"}), "t", "the same words"},
		{"a word added to a label", `<label>OAuth 2.0 redirect URI <input value=r></label><label>Company or application URL <input value=c></label>`,
			el("e", nil, selectors.Locator{Label: "Redirect URI"}), "r", "similar words"},
		{"a synonym", `<label>Application name <input value=n></label><label>Company URL <input value=c></label>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "n", "similar words"},
		{"a label moved into the placeholder", `<input placeholder="App name" value=p><input placeholder="Company URL" value=c>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "p", ""},
		{"a label moved into a tooltip", `<input title="Application name" value=p><input title="Company URL" value=c>`,
			el("e", nil, selectors.Locator{Label: "App name"}), "p", "similar words"},
		{"one changed word of two is not followed", `<label>Client secret <input value=s></label>`,
			el("e", nil, selectors.Locator{Label: "Client ID"}), "", ""},
		{"two alike candidates: neither", `<button>Save draft</button><button>Save changes</button>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Save"}), "", ""},
		{"only the same role", `<a href="#">Create app</a>`,
			el("e", nil, selectors.Locator{Role: "button", Name: "Create app"}), "", ""},
		{"only in scope", `<div role="dialog" aria-label="Add a new app"><button>Cancel</button></div><button>Create App</button>`,
			el("e", &dialog, selectors.Locator{Role: "button", Name: "Create app"}), "", ""},
		{"an exact element never follows", `<button>Remove secret</button>`,
			exact(el("e", nil, selectors.Locator{Role: "button", Name: "Remove"})), "", ""},
		{"an exact element takes its own words in another case", `<button>remove</button>`,
			exact(el("e", nil, selectors.Locator{Role: "button", Name: "Remove"})), "remove", "the same words"},
		{"an exact element takes nothing near a reworded text", `<div><p>Client secret one</p><button>Remove</button></div>`,
			exact(el("e", nil, selectors.Locator{Role: "button", Name: "Remove", Near: "Client secret 1"})), "", ""},
		{"dialog retitled, the only one open", `<div role="dialog" aria-label="Add a new Xero app"><label>App name <input value=a></label></div>`,
			el("e", &dialog, selectors.Locator{Label: "App name"}), "a", "similar words"},
		{"dialog retitled, two open: neither", `<div role="dialog" aria-label="Cookie settings"><button>OK</button></div><div role="dialog" aria-label="Newsletter"><button>OK</button></div>`,
			el("e", &dialog, selectors.Locator{Role: "button", Name: "OK"}), "", ""},
		{"question reworded, with keywords, beside another question",
			`<div><p>Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?</p><label><input type=radio name=a value=ay>Yes</label><label><input type=radio name=a value=an>No</label></div>
			 <div><p>Do you understand and agree to meet Xero's minimum security requirements?</p><label><input type=radio name=b value=by>Yes</label><label><input type=radio name=b value=bn>No</label></div>`,
			keywords(el("e", nil, selectors.Locator{Role: "radio", Name: "No", Near: ai}), "AI", "train"), "an", "similar words"},
		{"question reworded beyond its keywords: nothing",
			`<div><p>Will Xero data feed a machine learning system?</p><label><input type=radio name=a value=ay>Yes</label><label><input type=radio name=a value=an>No</label></div>`,
			keywords(el("e", nil, selectors.Locator{Role: "radio", Name: "No", Near: ai}), "AI", "train"), "", ""},
	}
	tab := browsertest.Page(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := show(t, tab, tt.html, 15*time.Second)
			f := &locate.Finder{}
			m, _, err := f.Probe(ctx, tt.el)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if m != nil {
					t.Fatalf("found %s (drifts %+v); want nothing", m.Via(), m.Drifts)
				}
				return
			}
			if m == nil {
				t.Fatalf("found nothing; want %q", tt.want)
			}
			if got, _ := m.Value(ctx); got != tt.want {
				t.Errorf("found %q via %s, want %q", got, m.Via(), tt.want)
			}
			switch {
			case tt.drift == "" && m.Drifted():
				t.Errorf("drifts %+v, want as written", m.Drifts)
			case tt.drift != "" && (!m.Drifted() || !strings.Contains(m.Drifts[len(m.Drifts)-1].How, tt.drift)):
				t.Errorf("drifts %+v, want one that says %q", m.Drifts, tt.drift)
			}
		})
	}
}

// TestWordsOfAnotherElementAreNeverTaken: "Generate a secret" is not
// "Generate another secret", which the data has as another element.
func TestWordsOfAnotherElementAreNeverTaken(t *testing.T) {
	set := newSet(&selectors.Element{Name: "p.gen", Page: "p", Locators: []selectors.Locator{{Role: "button", Name: "Generate a secret"}}},
		&selectors.Element{Name: "p.another", Page: "p", Locators: []selectors.Locator{{Role: "button", Name: "Generate another secret"}}})
	ctx := open(t, `<button>Generate another secret</button>`, 15*time.Second)
	f := &locate.Finder{Set: set}
	if m, _, err := f.Probe(ctx, set.Element("p.gen")); err != nil || m != nil {
		t.Fatalf("Probe = %v, %v; want nothing", m, err)
	}
}

// TestNearAnElement: "@key" anchors on another element, found reworded.
func TestNearAnElement(t *testing.T) {
	q := &selectors.Element{Name: "p.q", Page: "p", Keywords: []string{"AI", "train"}, Locators: []selectors.Locator{{Text: "Will you use Xero data to train an AI model?"}}}
	no := &selectors.Element{Name: "p.no", Page: "p", Locators: []selectors.Locator{{Role: "radio", Name: "No", Near: "@q"}}}
	set := newSet(q, no)
	ctx := open(t, `<div><p>Do you agree?</p><label><input type=radio name=b value=bn>No</label></div>
		<div><p>Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?</p><label><input type=radio name=a value=an>No</label></div>`, 15*time.Second)
	m, err := (&locate.Finder{Set: set}).Find(ctx, no)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.Value(ctx); v != "an" || !m.Drifted() || m.Drifts[0].Part != "near" {
		t.Errorf("found %q with drifts %+v; want the No of the AI question, its question drifted", v, m.Drifts)
	}
}

// TestAnUnknownQuestionIsNamedAtOnce: a submit that stays disabled because
// the form asks something the bot does not know is named within seconds.
func TestAnUnknownQuestionIsNamedAtOnce(t *testing.T) {
	ctx := open(t, `<div role="dialog" aria-label="New app"><form>
		<fieldset><legend>Will your app store payroll data?</legend><label><input type=radio name=p required>Yes</label><label><input type=radio name=p>No</label></fieldset>
		<label>Name <input required value="x"></label>
		<button disabled>Create app</button></form></div>`, 15*time.Second)
	m, err := (&locate.Finder{}).Find(ctx, el("create", nil, selectors.Locator{Role: "button", Name: "Create app"}))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = m.Click(ctx)
	var b *locate.BlockedError
	if !errors.As(err, &b) {
		t.Fatalf("Click = %v, want a BlockedError", err)
	}
	if !strings.Contains(b.Error(), `question "Will your app store payroll data?"`) || strings.Contains(b.Error(), "Name") {
		t.Errorf("error %q: want the question named, not the filled field", b)
	}
	if d := time.Since(start); d > 10*time.Second { // the step timeout is 30 s; a loaded machine is slower than 5 s
		t.Errorf("named after %s, want within a few seconds", d)
	}
}

func exact(e *selectors.Element) *selectors.Element { e.Exact = true; return e }

func keywords(e *selectors.Element, k ...string) *selectors.Element { e.Keywords = k; return e }

// newSet is the selectors data of one page "p" with els.
func newSet(els ...*selectors.Element) *selectors.Set {
	p := &selectors.Page{Name: "p", Elements: map[string]*selectors.Element{}}
	s := &selectors.Set{Pages: map[string]*selectors.Page{"p": p}, Elements: map[string]*selectors.Element{}}
	for _, e := range els {
		p.Elements[strings.TrimPrefix(e.Name, "p.")] = e
		s.Elements[e.Name] = e
	}
	return s
}
