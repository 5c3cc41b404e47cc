// Package shots is the list of screenshots a docs site publishes beside
// Codat's setup guides, as data: which step of which flow each follows, what
// it shows (the page, one element, or the section around some elements),
// what is framed in purple and what is masked, with its alt text, caption
// and the guide line it illustrates. The built-in list (default.yaml)
// reproduces the guides' own images under their own names; shots_file
// replaces it without a rebuild. The package also holds what is checked on
// the pictures themselves: masked regions of one colour, and the comparison
// with golden images.
package shots

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"portalbot/internal/fail"
)

//go:embed default.yaml
var defaultYAML []byte

// What a shot shows.
const (
	ShowPage    = "page"    // the viewport as it is after the step
	ShowElement = "element" // the box of the Of elements (with their labels) and padding
	ShowSection = "section" // the smallest card, panel, dialog or form around the Of elements, and padding
)

// DefaultPadding is the space in CSS pixels kept around an element or a
// section when a shot does not say.
const DefaultPadding = 16

// MaxPadding bounds padding: more is a page shot.
const MaxPadding = 200

// List is a shot list: the built-in one or a shots_file.
type List struct {
	Source string `yaml:"-"` // "embedded:default.yaml" or the file's path
	Shots  []Shot `yaml:"shots"`
}

// Shot is one picture: taken right after a step of a flow, cropped to what
// it shows, with every secret masked whatever the list says.
type Shot struct {
	// File is the PNG's name in <out>/shots/, e.g. the guide's own
	// "xero_app-client-secret-1-field-obscured.png".
	File string `yaml:"file"`
	// Flow is the provider whose run takes it: xero or freeagent (the Codat
	// steps belong to both).
	Flow string `yaml:"flow"`
	// After is the step it follows (bot steps <flow> lists them).
	After string `yaml:"after"`
	// Show is page, element or section.
	Show string `yaml:"show"`
	// Of are the selectors elements an element or section shot is built
	// around.
	Of []string `yaml:"of"`
	// Padding is the space kept around the element or section, in CSS
	// pixels (DefaultPadding when absent).
	Padding *int `yaml:"padding"`
	// Frame are the elements framed in purple.
	Frame []string `yaml:"frame"`
	// Mask are elements covered besides the secrets and password fields,
	// which are always covered.
	Mask []string `yaml:"mask"`
	// Alt is the image's alternative text; Caption the line shown under it.
	Alt     string `yaml:"alt"`
	Caption string `yaml:"caption"`
	// Guide is the line of the guide the picture illustrates, quoted.
	Guide string `yaml:"guide"`
}

// Pad is the shot's padding in CSS pixels.
func (s Shot) Pad() int {
	if s.Padding == nil {
		return DefaultPadding
	}
	return *s.Padding
}

// Elements are every selectors element the shot names.
func (s Shot) Elements() []string {
	return slices.Concat(s.Of, s.Frame, s.Mask)
}

// Load reads the shot list: file when set (shots_file), else the built-in
// one. Decoding is strict: a misspelt key is an error (exit 2).
func Load(file string) (*List, error) {
	data, src := defaultYAML, "embedded:default.yaml"
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fail.New(fail.Config, "shots_file: %w", err)
		}
		data, src = b, file
	}
	return Parse(data, src)
}

// Parse decodes a shot list strictly; src names it in errors.
func Parse(data []byte, src string) (*List, error) {
	l := &List{Source: src}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(l); err != nil {
		return nil, &fail.Error{Kind: fail.Config, Err: fmt.Errorf("shot list %s: %w", src, err),
			Hint: "see the built-in list, internal/shots/default.yaml, for the keys"}
	}
	return l, nil
}

// Known is what a shot list is checked against before any browser starts:
// the steps of each flow, and whether a selectors element exists.
type Known struct {
	Steps   map[string][]string // flow -> its step names, in order
	Element func(name string) bool
}

var fileName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|PNG)$`)

// Validate checks every shot against known and returns nil or one
// configuration error (exit 2) listing each problem with the shot it is in.
func (l *List) Validate(known Known) error {
	var problems []string
	add := func(i int, s Shot, format string, args ...any) {
		name := s.File
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		problems = append(problems, fmt.Sprintf("shot %s: %s", name, fmt.Sprintf(format, args...)))
	}
	if len(l.Shots) == 0 {
		problems = append(problems, "no shots")
	}
	seen := map[string]string{}
	flows := make([]string, 0, len(known.Steps))
	for f := range known.Steps {
		flows = append(flows, f)
	}
	slices.Sort(flows)
	for i, s := range l.Shots {
		switch {
		case s.File == "":
			add(i, s, "file is required")
		case !fileName.MatchString(s.File):
			add(i, s, "file must be a plain name ending in .png or .PNG (letters, digits, . _ -)")
		case seen[strings.ToLower(s.File)] != "":
			add(i, s, "file is used twice (also by %s)", seen[strings.ToLower(s.File)])
		default:
			seen[strings.ToLower(s.File)] = s.File
		}
		steps, ok := known.Steps[s.Flow]
		if !ok {
			add(i, s, "flow %q is not one of %s", s.Flow, strings.Join(flows, ", "))
		} else if !slices.Contains(steps, s.After) {
			add(i, s, "after: %q is not a step of %s (bot steps %s lists them)", s.After, s.Flow, s.Flow)
		}
		switch s.Show {
		case ShowPage:
		case ShowElement, ShowSection:
			if len(s.Of) == 0 {
				add(i, s, "show: %s needs of: the elements it is built around", s.Show)
			}
		default:
			add(i, s, "show must be page, element or section (got %q)", s.Show)
		}
		if p := s.Pad(); p < 0 || p > MaxPadding {
			add(i, s, "padding must be between 0 and %d (got %d)", MaxPadding, p)
		}
		portal, _, _ := strings.Cut(s.After, ".")
		for _, el := range s.Elements() {
			if !known.Element(el) {
				add(i, s, "%q is not an element of the selectors", el)
			} else if p, _, _ := strings.Cut(el, "."); ok && p != portal {
				add(i, s, "%q is on the %s portal, but step %s is on %s", el, p, s.After, portal)
			}
		}
		for _, f := range []struct{ key, v string }{{"alt", s.Alt}, {"caption", s.Caption}, {"guide", s.Guide}} {
			if strings.TrimSpace(f.v) == "" {
				add(i, s, "%s is required", f.key)
			}
		}
		if strings.ContainsAny(s.Alt+s.Caption, "\n\"[]") {
			add(i, s, `alt and caption must be one line without quotes or brackets (they go into Markdown)`)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &fail.Error{Kind: fail.Config,
		Err:  fmt.Errorf("shot list %s has %d problem(s):\n  %s", l.Source, len(problems), strings.Join(problems, "\n  ")),
		Hint: "fix the list (shots_file) or leave shots_file empty for the built-in one"}
}

// For returns the shots of flow, in list order.
func (l *List) For(flow string) []Shot {
	var out []Shot
	for _, s := range l.Shots {
		if s.Flow == flow {
			out = append(out, s)
		}
	}
	return out
}

// Named returns the shot whose file is name, or false.
func (l *List) Named(name string) (Shot, bool) {
	for _, s := range l.Shots {
		if s.File == name {
			return s, true
		}
	}
	return Shot{}, false
}

// Files are the shots' file names, in list order.
func (l *List) Files() []string {
	out := make([]string, len(l.Shots))
	for i, s := range l.Shots {
		out[i] = s.File
	}
	return out
}
