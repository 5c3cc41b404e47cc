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
	// Within narrows the search to inside one element (a dialog, a group).
	Within *Locator `yaml:"within"`
	// Secret marks an element whose value is a secret: masked in every
	// screenshot, never logged.
	Secret bool `yaml:"secret"`
	// Mask covers the element in screenshots without making it a secret:
	// a client id is not secret, but the guides' images hide it too.
	Mask bool `yaml:"mask"`
	// When says the element shows only in a given situation (an error, a
	// second secret); a regression check does not expect it on the page.
	When string `yaml:"when"`
	// Mark is the spec's confidence: C confirmed, R reported, G our guess.
	Mark string `yaml:"mark"`
	Note string `yaml:"note"`
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
	// text ("re:" for a regular expression): the row of "Xero" in a list, the
	// Yes of one question among several.
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
func Load(dir string) (*Set, error) {
	s := &Set{Pages: map[string]*Page{}, Elements: map[string]*Element{}, Sources: map[string]string{}}
	entries, err := embedded.ReadDir(".")
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	if dir != "" {
		over, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			return nil, fmt.Errorf("selectors: %w", err)
		}
		for _, p := range over {
			names[filepath.Base(p)] = true
		}
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		data, src, err := read(dir, n)
		if err != nil {
			return nil, err
		}
		if err := s.add(data, src); err != nil {
			return nil, err
		}
	}
	return s, nil
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
	for pname, p := range f.Pages {
		if !strings.HasPrefix(pname, f.Portal+".") {
			return fmt.Errorf("selectors: %s: page %q must start with %q", src, pname, f.Portal+".")
		}
		p.Name, p.Portal = pname, f.Portal
		s.Pages[pname] = p
		for key, el := range p.Elements {
			el.Name, el.Page = pname+"."+key, pname
			if len(el.Locators) == 0 {
				return fmt.Errorf("selectors: %s: %s has no locator", src, el.Name)
			}
			for _, l := range el.Locators {
				if err := l.validate(); err != nil {
					return fmt.Errorf("selectors: %s: %s: %w", src, el.Name, err)
				}
			}
			if el.Within != nil {
				if err := el.Within.validate(); err != nil {
					return fmt.Errorf("selectors: %s: %s within: %w", src, el.Name, err)
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

// Element returns the element called name, or panics: names are constants in
// the flows and a missing one is a programming error caught by tests.
func (s *Set) Element(name string) *Element {
	el, ok := s.Elements[name]
	if !ok {
		panic("selectors: no element " + name)
	}
	return el
}

// Page returns the page called name, or panics (see Element).
func (s *Set) Page(name string) *Page {
	p, ok := s.Pages[name]
	if !ok {
		panic("selectors: no page " + name)
	}
	return p
}

// PageElements returns a page's elements sorted by name, for check mode.
func (s *Set) PageElements(page string) []*Element {
	var out []*Element
	for _, el := range s.Pages[page].Elements {
		out = append(out, el)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
