package flows

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/google/renameio/v2"
	"go.yaml.in/yaml/v3"

	"portalbot/internal/locate"
	"portalbot/selectors"
)

// selectorFixes collects, during a check, what the selectors data should
// say for each element the page no longer shows as written: a rewording the
// bot followed (the seen words), or a later locator that matched. The check
// writes them as ready override files: <out>/selectors-fix/<portal>.yaml,
// the whole file with the seen words first, so that selectors_dir pointed
// there makes the next check clean.
type selectorFixes struct {
	mu    sync.Mutex
	items map[string]fixItem // by element name
}

type fixItem struct {
	element string
	loc     selectors.Locator // put first in the element's locators (or its within)
	within  bool
}

// add records the fix a match calls for, if any: a label read by position
// needs none (the data's words are right; the page does not wire them).
func (f *selectorFixes) add(el string, m *locate.Match) {
	var it fixItem
	switch {
	case m.Drifted():
		d := m.Drifts[len(m.Drifts)-1]
		if d.Part == "near" && d.Seen != "" && !strings.HasPrefix(m.Locator.Near, "@") {
			it = fixItem{element: el, loc: d.Locator}
		} else if d.Part == "near" {
			return // the anchor element drifted: its own check records it
		} else {
			it = fixItem{element: el, loc: d.Locator, within: d.Within}
		}
	case m.Index > 0:
		it = fixItem{element: el, loc: m.Element.Locators[m.Index]}
	default:
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.items == nil {
		f.items = map[string]fixItem{}
	}
	f.items[el] = it
}

// write writes one override file per portal that has fixes, under dir, and
// returns their paths by portal. vars turn the run's values back into the
// data's variables ({app}).
func (f *selectorFixes) write(set *selectors.Set, dir string, vars map[string]string) (map[string]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	byPortal := map[string][]fixItem{}
	for _, it := range f.items {
		byPortal[portalOf(it.element)] = append(byPortal[portalOf(it.element)], it)
	}
	out := map[string]string{}
	for portal, items := range byPortal {
		sort.Slice(items, func(i, j int) bool { return items[i].element < items[j].element })
		var doc yaml.Node
		if err := yaml.Unmarshal(set.Raw[portal], &doc); err != nil {
			return out, fmt.Errorf("selectors fix for %s: %w", portal, err)
		}
		// {integration} and {key} are the data of the portal the providers
		// deliver to (Codat's): a provider's data has {app} alone.
		pv := map[string]string{"app": vars["app"]}
		if p := portalNamed(portal); p != nil && p.Provider == nil {
			pv = vars
		}
		for _, it := range items {
			if err := applyFix(&doc, it, pv); err != nil {
				return out, fmt.Errorf("selectors fix for %s: %w", it.element, err)
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "# Written by `bot check`: %s as the portal shows it now (the seen words first).\n", portal)
		b.WriteString("# Use it with selectors_dir (BOT_SELECTORS_DIR) pointing at this directory.\n")
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(&doc); err != nil {
			return out, err
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return out, err
		}
		p := filepath.Join(dir, portal+".yaml")
		if err := renameio.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return out, err
		}
		out[portal] = p
	}
	return out, nil
}

// applyFix puts it's locator first in the element's locators (or within),
// dropping an identical one further down.
func applyFix(doc *yaml.Node, it fixItem, vars map[string]string) error {
	page, key := it.element[:strings.LastIndex(it.element, ".")], it.element[strings.LastIndex(it.element, ".")+1:]
	el := mapGet(mapGet(mapGet(mapGet(doc.Content[0], "pages"), page), "elements"), key)
	if el == nil {
		return fmt.Errorf("no element %s in the data", it.element)
	}
	field := "locators"
	if it.within {
		field = "within"
	}
	seq := mapGet(el, field)
	if seq != nil && seq.Kind == yaml.AliasNode {
		seq = seq.Alias // a dialog shared by the page's elements: fix it once for all
	}
	if seq == nil {
		return fmt.Errorf("%s has no %s", it.element, field)
	}
	n := locatorNode(templated(it.loc, vars))
	if seq.Kind == yaml.MappingNode { // one locator: make it a list
		old := *seq
		*seq = yaml.Node{Kind: yaml.SequenceNode, Style: seq.Style, Anchor: old.Anchor, Content: []*yaml.Node{&old}}
		old.Anchor = ""
	}
	kept := []*yaml.Node{n}
	for _, c := range seq.Content {
		if !sameLocator(c, n) {
			kept = append(kept, c)
		}
	}
	seq.Content = kept
	return nil
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// locatorNode is l as a one-line YAML mapping with its set fields only.
func locatorNode(l selectors.Locator) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, kv := range [][2]string{{"role", l.Role}, {"name", l.Name}, {"label", l.Label}, {"text", l.Text},
		{"pattern", l.Pattern}, {"beside", l.Beside}, {"css", l.CSS}, {"near", l.Near}} {
		if kv[1] == "" {
			continue
		}
		style := yaml.DoubleQuotedStyle
		if kv[0] == "role" {
			style = 0
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: kv[0]},
			&yaml.Node{Kind: yaml.ScalarNode, Value: kv[1], Style: style})
	}
	return n
}

func sameLocator(a, b *yaml.Node) bool {
	if a.Kind != yaml.MappingNode || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if a.Content[i].Value != b.Content[i].Value {
			return false
		}
	}
	return true
}

// templated turns the run's values in l back into the data's variables.
func templated(l selectors.Locator, vars map[string]string) selectors.Locator {
	r := func(s string) string {
		for k, v := range vars {
			if len(v) >= 3 {
				s = strings.ReplaceAll(s, v, "{"+k+"}")
			}
		}
		return s
	}
	l.Name, l.Label, l.Text, l.Beside, l.Near = r(l.Name), r(l.Label), r(l.Text), r(l.Beside), r(l.Near)
	return l
}
