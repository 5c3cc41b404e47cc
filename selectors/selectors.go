// Package selectors is what the bot looks for on each page, as data: one
// embedded YAML file per portal, overridable from a directory at run time
// (selectors_dir), so a renamed button is a one-line change, not a release.
//
// Elements are found the way a person finds them: by role and accessible
// name, by label, by visible text, and by the data-automationid attributes the
// real Xero pages carry. CSS is a last resort and never an id or class that
// only the local replicas have.
package selectors

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var embedded embed.FS

// Set is every page and element the bot knows, by stable name.
type Set struct {
	Pages    map[string]*Page    // "xero.configuration"
	Elements map[string]*Element // "xero.configuration.generate_secret"
	Sources  map[string]string   // portal -> file it was read from
	Raw      map[string][]byte   // portal -> the YAML as read (bot check writes fixes from it)
}

// Page is one page (or dialog) of a portal.
type Page struct {
	Name   string `yaml:"-"`
	Portal string `yaml:"-"`
	// Host names the configured base URL the page lives on, e.g. "login" or
	// "developer" for Xero (see flows for the mapping).
	Host string `yaml:"host"`
	// Path is the page's path pattern, {name} for a variable part.
	Path string `yaml:"path"`
	// Ready is the element whose presence says the page is the expected one.
	Ready    string              `yaml:"ready"`
	Elements map[string]*Element `yaml:"elements"`
	Note     string              `yaml:"note"`
}

// Element is one thing a person looks for on a page.
type Element struct {
	Name string `yaml:"-"` // full name: page + "." + key
	Page string `yaml:"-"`
	// Locators are tried in order; the first that finds exactly one visible
	// element wins, and the resolution reports which one.
	Locators []Locator `yaml:"locators"`
	// Within narrows the search to inside one element (a dialog, a group):
	// one locator, or a list tried in order like Locators (a dialog whose
	// title was reworded keeps both titles).
	Within Scope `yaml:"within"`
	// Keywords are words a reworded name must still contain to be taken for
	// this element (the AI question: [AI, train]); see locate's drift rules.
	Keywords []string `yaml:"keywords"`
	// Exact forbids following a rewording: the element removes or replaces a
	// secret, or is one of a pair whose swap does harm (Enable/Later, Client
	// ID/Client secret). Reworded, it stops the run.
	Exact bool `yaml:"exact"`
	// Secret marks an element whose value is a secret: masked in every
	// screenshot, never logged.
	Secret bool `yaml:"secret"`
	// Mask covers the element in screenshots without making it a secret:
	// a client id is not secret, but the guides' images hide it too.
	Mask bool `yaml:"mask"`
	// Dynamic marks an element that shows data changing from one check to
	// the next (a count, a date, an id): covered in bot check's pictures so
	// that it is no visual difference. Elements looked for by the app's
	// name ({app}) are dynamic without it.
	Dynamic bool `yaml:"dynamic"`
	// When says the element shows only in a given situation (an error, a
	// second secret); a regression check does not expect it on the page.
	When string `yaml:"when"`
	// Mark is the spec's confidence: C confirmed, R reported, G our guess.
	Mark string `yaml:"mark"`
	Note string `yaml:"note"`
}

// Scope is the container an element is looked for in: the first of its
// locators that finds exactly one element. In YAML it is one locator or a
// list of them.
type Scope []Locator

// UnmarshalYAML takes one locator (a mapping) or a list of them.
func (s *Scope) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		var l Locator
		if err := decodeStrict(n, &l); err != nil {
			return err
		}
		*s = Scope{l}
		return nil
	}
	var ls []Locator
	if err := decodeStrict(n, &ls); err != nil {
		return err
	}
	*s = ls
	return nil
}

// decodeStrict decodes a node refusing unknown keys, as the whole file is.
func decodeStrict(n *yaml.Node, v any) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// Locator is one way to find an element, by what a person sees.
type Locator struct {
	Role    string `yaml:"role"`    // ARIA role as computed by the browser: button, textbox, switch, dialog...
	Name    string `yaml:"name"`    // accessible name, matched exactly
	Label   string `yaml:"label"`   // a form control whose label (accessible name) is this
	Text    string `yaml:"text"`    // an element whose visible text is exactly this
	Pattern string `yaml:"pattern"` // an element whose visible text matches this regular expression
	Beside  string `yaml:"beside"`  // the value shown beside a label with this text (dt/dd, label/input, th/td)
	CSS     string `yaml:"css"`     // last resort: attribute selectors the real portal has
	// Near narrows the matches to the nearest container around this visible
	// text ("re:" for a regular expression; "@key" for the element "key" of
	// the same page, found with its own locators): the row of "Xero" in a
	// list, the Yes of one question among several.
	Near string `yaml:"near"`
}

// String describes the locator as a person reads it, for reports.
func (l Locator) String() string {
	var parts []string
	if l.Role != "" {
		parts = append(parts, "role="+l.Role)
	}
	if l.Name != "" {
		parts = append(parts, fmt.Sprintf("name=%q", l.Name))
	}
	if l.Label != "" {
		parts = append(parts, fmt.Sprintf("label=%q", l.Label))
	}
	if l.Text != "" {
		parts = append(parts, fmt.Sprintf("text=%q", l.Text))
	}
	if l.Pattern != "" {
		parts = append(parts, fmt.Sprintf("pattern=%q", l.Pattern))
	}
	if l.Beside != "" {
		parts = append(parts, fmt.Sprintf("beside=%q", l.Beside))
	}
	if sel := l.CSS; sel != "" {
		parts = append(parts, fmt.Sprintf("css=%q", sel))
	}
	if l.Near != "" {
		parts = append(parts, fmt.Sprintf("near=%q", l.Near))
	}
	return strings.Join(parts, " ")
}

func (l Locator) validate() error {
	kinds := 0
	for _, s := range []string{l.Label, l.Text, l.Pattern, l.Beside, l.CSS} {
		if s != "" {
			kinds++
		}
	}
	if l.Role != "" || l.Name != "" {
		kinds++
	}
	if kinds != 1 {
		return fmt.Errorf("locator %s: give exactly one of role/name, label, text, pattern, beside, css", l)
	}
	if l.Pattern != "" {
		// The page runs the pattern as a JavaScript RegExp; "(?i)" at the
		// start is the one Go flag it understands (as the "i" flag).
		p := strings.TrimPrefix(l.Pattern, "(?i)")
		if _, err := regexp.Compile(p); err != nil || strings.Contains(p, "(?") && !strings.Contains(p, "(?:") {
			return fmt.Errorf("locator %s: a pattern must be a regular expression that Go and JavaScript both read (only a leading (?i) flag)", l)
		}
	}
	if l.CSS != "" && strings.ContainsAny(l.CSS, "#") {
		return fmt.Errorf("locator %s: an id selector is not something the real portal is known to have", l)
	}
	return nil
}

// file is the shape of one YAML file.
type file struct {
	Portal string           `yaml:"portal"`
	Pages  map[string]*Page `yaml:"pages"`
}

// Load reads the embedded selectors, then replaces a portal's file with
// <dir>/<portal>.yaml where dir is set and the file exists.
//
// An override must name exactly the pages and elements of the file it
// replaces: one that lacks an element the flows use, or names one that does
// not exist (a typo), is refused here, before any browser starts, naming
// each difference.
func Load(dir string) (*Set, error) {
	s := &Set{Pages: map[string]*Page{}, Elements: map[string]*Element{}, Sources: map[string]string{}, Raw: map[string][]byte{}}
	entries, err := embedded.ReadDir(".")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("selectors_dir: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("selectors_dir %s is not a directory", dir)
		}
		over, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("selectors: %w", err)
		}
		for _, p := range over {
			if !names[filepath.Base(p)] {
				return nil, fmt.Errorf("selectors: %s: no built-in file %s to override (the files are %s)", p, filepath.Base(p), strings.Join(sortedKeys(names), ", "))
			}
		}
	}
	for _, n := range sortedKeys(names) {
		data, src, err := read(dir, n)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(src, "embedded:") {
			if err := s.add(data, src); err != nil {
				return nil, err
			}
			continue
		}
		base, err := embedded.ReadFile(n)
		if err != nil {
			return nil, err
		}
		want := &Set{Pages: map[string]*Page{}, Elements: map[string]*Element{}, Sources: map[string]string{}, Raw: map[string][]byte{}}
		if err := want.add(base, "embedded:"+n); err != nil {
			return nil, err
		}
		if err := s.add(data, src); err != nil {
			return nil, err
		}
		if err := sameNames(src, want, s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// sameNames says how an override's pages and elements differ from those of
// the file it replaces.
func sameNames(src string, want, got *Set) error {
	var missing, unknown []string
	for n := range want.Elements {
		if got.Elements[n] == nil {
			missing = append(missing, n)
		}
	}
	for n, el := range got.Elements {
		if want.Elements[n] == nil && want.Sources[portalOf(el.Page)] != "" {
			unknown = append(unknown, n)
		}
	}
	if len(missing)+len(unknown) == 0 {
		return nil
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "lacks "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		parts = append(parts, "names elements that do not exist: "+strings.Join(unknown, ", "))
	}
	return fmt.Errorf("selectors: %s %s (an override replaces the whole built-in file: start from a copy of it, or from the fix bot check wrote)", src, strings.Join(parts, "; "))
}

func portalOf(page string) string { p, _, _ := strings.Cut(page, "."); return p }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func read(dir, name string) ([]byte, string, error) {
	if dir != "" {
		p := filepath.Join(dir, name)
		data, err := os.ReadFile(p)
		if err == nil {
			return data, p, nil
		}
		if !os.IsNotExist(err) {
			return nil, "", fmt.Errorf("selectors: %w", err)
		}
	}
	data, err := embedded.ReadFile(name)
	return data, "embedded:" + name, err
}

func (s *Set) add(data []byte, src string) error {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("selectors: %s: %w", src, err)
	}
	if f.Portal == "" {
		return fmt.Errorf("selectors: %s: no portal", src)
	}
	s.Sources[f.Portal] = src
	s.Raw[f.Portal] = data
	for pname, p := range f.Pages {
		if !strings.HasPrefix(pname, f.Portal+".") {
			return fmt.Errorf("selectors: %s: page %q must start with %q", src, pname, f.Portal+".")
		}
		if p == nil {
			return fmt.Errorf("selectors: %s: page %s is empty", src, pname)
		}
		p.Name, p.Portal = pname, f.Portal
		s.Pages[pname] = p
		for key, el := range p.Elements {
			if el == nil {
				return fmt.Errorf("selectors: %s: %s.%s is empty", src, pname, key)
			}
			el.Name, el.Page = pname+"."+key, pname
			if len(el.Locators) == 0 {
				return fmt.Errorf("selectors: %s: %s has no locator", src, el.Name)
			}
			for _, l := range append(append([]Locator{}, el.Locators...), el.Within...) {
				if err := l.validate(); err != nil {
					return fmt.Errorf("selectors: %s: %s: %w", src, el.Name, err)
				}
				if ref, ok := strings.CutPrefix(l.Near, "@"); ok && (p.Elements[ref] == nil || ref == key) {
					return fmt.Errorf("selectors: %s: %s: near %q names no other element of page %s", src, el.Name, l.Near, pname)
				}
			}
			s.Elements[el.Name] = el
		}
		if p.Ready != "" && p.Elements[p.Ready] == nil {
			return fmt.Errorf("selectors: %s: page %s: ready element %q is not one of its elements", src, pname, p.Ready)
		}
	}
	return nil
}

// Element returns the element called name. A name the data lacks (a
// programming error that TestFlowsNameOnlyKnownElements catches) gives an
// element with no locator, which every lookup reports as a configuration
// error instead of panicking in the middle of a run.
func (s *Set) Element(name string) *Element {
	if el, ok := s.Elements[name]; ok {
		return el
	}
	page := name
	if i := strings.LastIndex(name, "."); i > 0 {
		page = name[:i]
	}
	return &Element{Name: name, Page: page}
}

// Page returns the page called name; an unknown name gives an empty page
// (see Element).
func (s *Set) Page(name string) *Page {
	if p, ok := s.Pages[name]; ok {
		return p
	}
	return &Page{Name: name, Portal: portalOf(name)}
}

// PageElements returns a page's elements sorted by name, for check mode.
func (s *Set) PageElements(page string) []*Element {
	var out []*Element
	for _, el := range s.Page(page).Elements {
		out = append(out, el)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Claimed returns the words that the elements of page other than except
// are looked for by: a reworded element is never taken to be one of these.
func (s *Set) Claimed(page, except string) []string {
	var out []string
	for _, el := range s.Page(page).Elements {
		if el.Name == except {
			continue
		}
		for _, l := range el.Locators {
			for _, w := range []string{l.Name, l.Label, l.Text, l.Beside} {
				if w != "" {
					out = append(out, w)
				}
			}
		}
	}
	return out
}
