package checkreport

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"path/filepath"
	"strings"
	"time"
)

//go:embed report.html.tmpl
var htmlTemplate string

// statusOrder is the order elements are listed in: what a person must act
// on first.
var statusOrder = map[string]int{Missing: 0, Ambiguous: 1, Drift: 2, Fallback: 3, Found: 4, Conditional: 5}

// HTML is report.html: one self-contained file (pictures inlined as data:
// URIs, its style inline, nothing fetched) a person opens to see what
// changed, page by page. dir is where it is written, for the links to the
// override files.
func HTML(r *Report, dir string) ([]byte, error) {
	funcs := template.FuncMap{
		"png": func(b []byte) template.URL {
			if b == nil {
				return ""
			}
			return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(b)) // #nosec: our own PNG bytes
		},
		"short": func(page, name string) string { return strings.TrimPrefix(name, page+".") },
		"pct": func(v, of float64) string {
			if of <= 0 {
				return "0"
			}
			return fmt.Sprintf("%.3f%%", 100*v/of)
		},
		"percent": func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) },
		"link": func(path string) string {
			if path == "" {
				return ""
			}
			abs, err1 := filepath.Abs(path)
			base, err2 := filepath.Abs(dir)
			if err1 != nil || err2 != nil {
				return filepath.ToSlash(path)
			}
			rel, err := filepath.Rel(base, abs)
			if err != nil {
				return filepath.ToSlash(abs)
			}
			return filepath.ToSlash(rel)
		},
		"since": sinceText,
		"when": func(s string) string {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return s
			}
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		},
		"duration": func() string {
			a, err1 := time.Parse(time.RFC3339, r.StartedAt)
			b, err2 := time.Parse(time.RFC3339, r.EndedAt)
			if err1 != nil || err2 != nil {
				return ""
			}
			return b.Sub(a).Round(100 * time.Millisecond).String()
		},
		"verdict":   func() string { return verdict(r) },
		"tone":      func() string { return tone(r.ExitCode) },
		"sorted":    sortedElements,
		"onScreen":  onScreen,
		"notShown":  notShown,
		"drifts":    drifts,
		"pageTone":  pageTone,
		"pageCount": pageCount,
		"anchor":    func(s string) string { return "page-" + strings.ReplaceAll(s, ".", "-") },
		"add":       func(a, b int) int { return a + b },
		"numbered":  numbered,
	}
	t, err := template.New("report").Funcs(funcs).Parse(htmlTemplate)
	if err != nil {
		return nil, fmt.Errorf("parse the HTML template: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, r); err != nil {
		return nil, fmt.Errorf("write report.html: %w", err)
	}
	return b.Bytes(), nil
}

// verdict is the exit code's meaning in a sentence.
func verdict(r *Report) string {
	switch r.ExitCode {
	case 0:
		if r.Totals.Pictures > 0 && r.Visual.BaselinesDir != "" && !r.Visual.UpdateBaselines {
			return "Every element found; every page looks as its baseline."
		}
		return "Every element found as the selectors say."
	case 4:
		return "Some elements are no longer on their page: the portal changed. Update the selectors for the elements in red."
	case 7:
		return "Every element found, some only by following a rewording (amber): the bot works; take the override files written for them."
	case 8:
		return "Every element found, but a page looks different from its baseline: compare the pictures below."
	}
	return "The check did not finish: " + r.Outcome + "."
}

func tone(code int) string {
	switch code {
	case 0:
		return "ok"
	case 7, 8:
		return "warn"
	}
	return "bad"
}

func sortedElements(p *Page) []*Element {
	out := make([]*Element, 0, len(p.Elements))
	for _, e := range p.Elements {
		if e.Status != Conditional {
			out = append(out, e)
		}
	}
	// Stable: the check's order within a status.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && statusOrder[out[j].Status] < statusOrder[out[j-1].Status]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// numberedElement is an element with the number its box carries.
type numberedElement struct {
	*Element
	N int
}

// numbered numbers the elements of p with a box, in the listed order.
func numbered(p *Page) map[string]int {
	out := map[string]int{}
	n := 0
	for _, e := range sortedElements(p) {
		if e.Rect != nil {
			n++
			out[e.Name] = n
		}
	}
	return out
}

// onScreen are the elements outlined on screen s of p.
func onScreen(p *Page, s *Screen) []numberedElement {
	nums := numbered(p)
	var out []numberedElement
	for _, e := range sortedElements(p) {
		if e.Rect != nil && e.Screen == s.Screen {
			out = append(out, numberedElement{e, nums[e.Name]})
		}
	}
	return out
}

// notShown are the elements of p not found: they have no box.
func notShown(p *Page) []*Element {
	var out []*Element
	for _, e := range p.Elements {
		if e.Status == Missing || e.Status == Ambiguous {
			out = append(out, e)
		}
	}
	return out
}

func drifts(p *Page) []*Element {
	var out []*Element
	for _, e := range p.Elements {
		if e.Status == Drift || e.Status == Fallback {
			out = append(out, e)
		}
	}
	return out
}

// pageTone is the worst of a page: bad (missing), visual, warn (drift), ok.
func pageTone(p *Page) string {
	t := "ok"
	for _, e := range p.Elements {
		switch e.Status {
		case Missing, Ambiguous:
			return "bad"
		case Drift:
			t = "warn"
		}
	}
	for _, s := range p.Screens {
		if s.Visual.Status == VisualDiffers {
			return "visual"
		}
	}
	return t
}

// pageCount counts the elements of p with one of the statuses.
func pageCount(p *Page, statuses ...string) int {
	n := 0
	for _, e := range p.Elements {
		for _, s := range statuses {
			if e.Status == s {
				n++
			}
		}
	}
	return n
}
