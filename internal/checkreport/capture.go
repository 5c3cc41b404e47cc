// Package checkreport turns what bot check saw into the files a CI job and
// a person read: <out>/check/report.json, junit.xml and report.html, and
// compares each page's picture with its baseline. It takes plain data (the
// summaries' checks and the pictures the flows captured); it drives no
// browser.
package checkreport

import (
	"sort"
	"strconv"
	"sync"
	"time"
)

// Rect is a box in CSS pixels of the viewport the picture was taken in.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Capture is one picture of a page a check took once it was done with the
// page: the viewport with every secret and dynamic region covered, and
// where each element it found is.
type Capture struct {
	// Page is the page's name in the selectors data ("xero.my_apps").
	Page string
	// Screen is 1 for the page's first picture, 2 for the second screen of
	// a dialog of two screens, and so on.
	Screen int
	// PNG is the picture; nil when it was not kept (see Problem).
	PNG []byte
	// Viewport is the size of the viewport in CSS pixels: the picture is
	// Scale times larger.
	ViewportW, ViewportH float64
	// Rects is the box of each element found on the page, by element name.
	Rects map[string]Rect
	// Masks are the covered regions: secrets (dark) and data that changes
	// from one check to the next (light), checked to be one colour each.
	Masks []Rect
	// Problem says why there is no picture (a mask the page drew over).
	Problem string
	TakenAt time.Time
}

// Name is the capture's file stem: the page's name, with "-2" and so on
// for a later screen.
func (c Capture) Name() string {
	if c.Screen > 1 {
		return c.Page + "-" + strconv.Itoa(c.Screen)
	}
	return c.Page
}

// Captures collects the pictures of a check; the flows' tabs add to it side
// by side. The zero value is ready to use.
type Captures struct {
	mu   sync.Mutex
	list []Capture
}

// Add keeps c, replacing an earlier picture of the same page and screen.
func (cs *Captures) Add(c Capture) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if c.Screen < 1 {
		c.Screen = 1
	}
	for i := range cs.list {
		if cs.list[i].Page == c.Page && cs.list[i].Screen == c.Screen {
			cs.list[i] = c
			return
		}
	}
	cs.list = append(cs.list, c)
}

// Last is the latest screen taken of page, if any.
func (cs *Captures) Last(page string) (Capture, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	var out Capture
	ok := false
	for _, c := range cs.list {
		if c.Page == page && (!ok || c.Screen > out.Screen) {
			out, ok = c, true
		}
	}
	return out, ok
}

// AddRects adds element boxes to the latest screen of page (elements the
// check resolved after taking the picture, on the same screen).
func (cs *Captures) AddRects(page string, rects map[string]Rect) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	best := -1
	for i, c := range cs.list {
		if c.Page == page && (best < 0 || c.Screen > cs.list[best].Screen) {
			best = i
		}
	}
	if best < 0 {
		return
	}
	if cs.list[best].Rects == nil {
		cs.list[best].Rects = map[string]Rect{}
	}
	for k, v := range rects {
		cs.list[best].Rects[k] = v
	}
}

// All returns the captures, sorted by page and screen.
func (cs *Captures) All() []Capture {
	if cs == nil {
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	out := append([]Capture(nil), cs.list...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Page != out[j].Page {
			return out[i].Page < out[j].Page
		}
		return out[i].Screen < out[j].Screen
	})
	return out
}
