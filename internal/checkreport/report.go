package checkreport

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"portalbot/internal/fail"
	"portalbot/internal/report"
)

// Version is the version of report.json's layout.
const Version = 1

// The statuses of an element (report.Check.Status).
const (
	Found       = "found"
	Fallback    = "fallback"
	Drift       = "drift"
	Missing     = "missing"
	Ambiguous   = "ambiguous"
	Conditional = "conditional"
)

// The outcomes of a page picture's comparison with its baseline.
const (
	VisualSame       = "same"        // within the allowed ratio
	VisualDiffers    = "differs"     // a visual difference: exit 8
	VisualNoBaseline = "no-baseline" // baselines are configured, this page has none yet
	VisualUpdated    = "updated"     // --update-baselines wrote it
	VisualOff        = "off"         // no baselines configured
	VisualNoPicture  = "no-picture"  // the picture was not kept (Screen.Problem)
)

// Report is report.json: every portal, page and element a check looked at,
// each page's picture and its comparison, and the outcome.
type Report struct {
	Version   int    `json:"version"`
	Command   string `json:"command"`    // "bot check xero"
	StartedAt string `json:"started_at"` // report.TimeFormat
	EndedAt   string `json:"ended_at"`
	// ExitCode is the process's exit code; Outcome its meaning.
	ExitCode int            `json:"exit_code"`
	Outcome  string         `json:"outcome"`
	Message  string         `json:"message,omitempty"` // the error, scrubbed of secrets
	Strict   bool           `json:"strict,omitempty"`
	Visual   VisualSettings `json:"visual"`
	Totals   Counts         `json:"totals"`
	Portals  []*Portal      `json:"portals"`
}

// VisualSettings are the comparison's settings (check.* in the config).
type VisualSettings struct {
	BaselinesDir    string  `json:"baselines_dir,omitempty"`
	PixelThreshold  float64 `json:"pixel_threshold"`
	MaxDiffRatio    float64 `json:"max_diff_ratio"`
	UpdateBaselines bool    `json:"update_baselines,omitempty"`
}

// Counts are elements by status, and page pictures that differ.
type Counts struct {
	Found       int `json:"found"`
	Fallback    int `json:"fallback"`
	Drift       int `json:"drift"`
	Missing     int `json:"missing"`
	Ambiguous   int `json:"ambiguous"`
	Conditional int `json:"conditional"`
	Pictures    int `json:"pictures"`
	VisualDiffs int `json:"visual_diffs"`
}

func (c *Counts) add(status string) {
	switch status {
	case Found:
		c.Found++
	case Fallback:
		c.Fallback++
	case Drift:
		c.Drift++
	case Missing:
		c.Missing++
	case Ambiguous:
		c.Ambiguous++
	case Conditional:
		c.Conditional++
	}
}

// Portal is one portal's pages.
type Portal struct {
	Name   string  `json:"name"`
	Title  string  `json:"title,omitempty"` // "FreeAgent", for people
	Counts Counts  `json:"counts"`
	Pages  []*Page `json:"pages"`
}

// Page is one page of a portal: its elements and its pictures.
type Page struct {
	Name     string     `json:"name"`
	Elements []*Element `json:"elements"`
	Screens  []*Screen  `json:"screens,omitempty"`
}

// Element is one element the check looked for.
type Element struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Via      string `json:"via,omitempty"`
	When     string `json:"when,omitempty"`
	Expected string `json:"expected,omitempty"`
	Seen     string `json:"seen,omitempty"`
	Fix      string `json:"fix,omitempty"`
	// Rect is where it is in the picture of Screen (CSS pixels); none for
	// an element not found.
	Rect   *Rect `json:"rect,omitempty"`
	Screen int   `json:"screen,omitempty"`
	// Since is, for an element drifting, missing or ambiguous, the start
	// of the first check of the history from which it has been so without
	// a break; SinceChecks counts those checks, this one included.
	Since       string `json:"since,omitempty"`
	SinceChecks int    `json:"since_checks,omitempty"`
}

// Screen is one picture of a page and its comparison with the baseline.
type Screen struct {
	Name      string  `json:"name"` // file stem: page, or page-2
	Screen    int     `json:"screen"`
	TakenAt   string  `json:"taken_at,omitempty"`
	Width     int     `json:"width,omitempty"` // pixels
	Height    int     `json:"height,omitempty"`
	ViewportW float64 `json:"viewport_w,omitempty"` // CSS pixels
	ViewportH float64 `json:"viewport_h,omitempty"`
	Masks     []Rect  `json:"masks,omitempty"`
	Problem   string  `json:"problem,omitempty"`
	// Picture is the screenshot's file under <out>/check/.
	Picture string `json:"picture,omitempty"`
	Visual  Visual `json:"visual"`

	png     []byte
	diffPNG []byte
	basePNG []byte
}

// Visual is a picture's comparison with its baseline. File names are
// relative to <out>/check/.
type Visual struct {
	Status     string  `json:"status"`
	DiffPixels int     `json:"diff_pixels,omitempty"`
	DiffRatio  float64 `json:"diff_ratio,omitempty"`
	Baseline   string  `json:"baseline,omitempty"` // the baseline's path
	Expected   string  `json:"expected,omitempty"` // visual/<portal>/<page>/expected.png
	Actual     string  `json:"actual,omitempty"`
	Diff       string  `json:"diff,omitempty"`
	Message    string  `json:"message,omitempty"`
}

// Input is what a check hands over to make its reports.
type Input struct {
	Command   string
	Started   time.Time
	Ended     time.Time
	Summaries []*report.Summary // the check's (bot check all: one, every portal's rows)
	Captures  []Capture
	// Err is the check's outcome before the visual comparison.
	Err      error
	Settings VisualSettings
	Strict   bool
	// Dir is <out>/check; HistoryDir is --history ("" for none).
	Dir        string
	HistoryDir string
	// Scrub replaces every secret value the run knows; nil: none known.
	Scrub func(string) string
	// Titles are the portals' names for people, by portal ("FreeAgent");
	// a portal without one is shown by its name.
	Titles map[string]string
}

// portalOf is the portal of a page or element name: its first part.
func portalOf(name string) string { p, _, _ := strings.Cut(name, "."); return p }

// build groups the checks by portal and page, in the order the check met
// them, and joins each capture to its page and each element to its box.
func build(in Input) *Report {
	r := &Report{
		Version: Version, Command: in.Command, Strict: in.Strict, Visual: in.Settings,
		StartedAt: in.Started.UTC().Format(report.TimeFormat), EndedAt: in.Ended.UTC().Format(report.TimeFormat),
		Portals: []*Portal{},
	}
	portals := map[string]*Portal{}
	pages := map[string]*Page{}
	page := func(name string) *Page {
		if p, ok := pages[name]; ok {
			return p
		}
		pn := portalOf(name)
		po, ok := portals[pn]
		if !ok {
			po = &Portal{Name: pn, Title: in.Titles[pn]}
			portals[pn] = po
			r.Portals = append(r.Portals, po)
		}
		p := &Page{Name: name, Elements: []*Element{}}
		pages[name] = p
		po.Pages = append(po.Pages, p)
		return p
	}
	elements := map[string]*Element{}
	for _, sum := range in.Summaries {
		if sum == nil {
			continue
		}
		for _, c := range sum.Checks {
			p := page(c.Page)
			e, ok := elements[c.Element]
			if !ok { // an element in two summaries: the later result
				e = &Element{Name: c.Element}
				elements[c.Element] = e
				p.Elements = append(p.Elements, e)
			}
			e.Status, e.Via, e.When, e.Expected, e.Seen, e.Fix = c.Status, c.Via, c.When, c.Expected, c.Seen, c.Fix
		}
	}
	for _, c := range in.Captures {
		p := page(c.Page)
		s := &Screen{Name: c.Name(), Screen: c.Screen, ViewportW: c.ViewportW, ViewportH: c.ViewportH,
			Masks: c.Masks, Problem: c.Problem, png: c.PNG}
		if c.PNG != nil {
			if cfg, err := png.DecodeConfig(bytes.NewReader(c.PNG)); err == nil {
				s.Width, s.Height = cfg.Width, cfg.Height
			}
		}
		if !c.TakenAt.IsZero() {
			s.TakenAt = c.TakenAt.UTC().Format(report.TimeFormat)
		}
		p.Screens = append(p.Screens, s)
		for name, rect := range c.Rects {
			if e, ok := elements[name]; ok && e.Status != Missing && e.Status != Ambiguous {
				rc := rect
				e.Rect, e.Screen = &rc, c.Screen
			}
		}
	}
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			for _, e := range p.Elements {
				po.Counts.add(e.Status)
				r.Totals.add(e.Status)
			}
		}
	}
	return r
}

// count fills the picture counts once the comparison is done.
func (r *Report) count() {
	r.Totals.Pictures, r.Totals.VisualDiffs = 0, 0
	for _, po := range r.Portals {
		po.Counts.Pictures, po.Counts.VisualDiffs = 0, 0
		for _, p := range po.Pages {
			for _, s := range p.Screens {
				if s.png != nil {
					po.Counts.Pictures++
				}
				if s.Visual.Status == VisualDiffers {
					po.Counts.VisualDiffs++
				}
			}
		}
		r.Totals.Pictures += po.Counts.Pictures
		r.Totals.VisualDiffs += po.Counts.VisualDiffs
	}
}

// Outcome is the check's error once the pictures are compared: a page that
// no longer matches (exit 4) or any other failure keeps its error; else a
// visual difference is exit 8, named page by page, unless every page that
// differs shows a rewording the check followed (the drift, exit 7, explains
// it: take the fix first); else the check's own outcome (drift or success).
func Outcome(checkErr error, r *Report, dir string) error {
	k := fail.KindOf(checkErr)
	if checkErr != nil && k != fail.Drifted {
		return checkErr
	}
	var differ []string
	first := ""
	unexplained := false
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			for _, s := range p.Screens {
				if s.Visual.Status == VisualDiffers {
					unexplained = unexplained || pageCount(p, Drift) == 0
					differ = append(differ, fmt.Sprintf("%s: %s", s.Name, s.Visual.Message))
					if first == "" {
						first = p.Name
					}
				}
			}
		}
	}
	if len(differ) == 0 || (k == fail.Drifted && !unexplained) {
		return checkErr
	}
	sort.Strings(differ)
	err := &fail.Error{Kind: fail.VisualDiff, Portal: portalOf(first), Page: first,
		Hint: fmt.Sprintf("every element was found, but the page looks different: compare the pictures in %s; if the change is wanted, run again with --update-baselines",
			filepath.Join(dir, "report.html")),
		Err: fmt.Errorf("%d page picture(s) differ from their baseline:\n  %s", len(differ), strings.Join(differ, "\n  "))}
	if checkErr != nil {
		return errors.Join(err, fmt.Errorf("also: %w", checkErr))
	}
	return err
}

// PNG is the screen's picture (secrets and dynamic data covered).
func (s *Screen) PNG() []byte { return s.png }

// BaselinePNG is the baseline it was compared with, when it differs.
func (s *Screen) BaselinePNG() []byte { return s.basePNG }

// DiffPNG is the diff image, when it differs.
func (s *Screen) DiffPNG() []byte { return s.diffPNG }
