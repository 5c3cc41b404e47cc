package flows

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/checkreport"
	"portalbot/internal/locate"
	"portalbot/internal/shots"
	"portalbot/selectors"
)

// A check's pictures: when Env.Captures is set (bot check writes its
// reports), the check takes one picture of each page once it is done with
// it, with the secrets covered as in every screenshot and the data that
// changes between checks (the app's name, a count) covered in a light
// colour, and measures where each element it found is. Without
// Env.Captures no picture is taken.

//go:embed js/check_settle.js
var jsCheckSettle string

//go:embed js/check_cover.js
var jsCheckCover string

//go:embed js/check_masks.js
var jsCheckMasks string

// DynamicColour is the colour data that changes between checks is covered
// with in a check's pictures (secrets are dark, #222).
const DynamicColour = "#d9d2ec"

// The page is left to settle before its picture: a banner a page adds a
// moment after loading is in it, as a person would see it.
const (
	checkSettleAge   = 700 * time.Millisecond  // the document at least this old
	checkSettleQuiet = 250 * time.Millisecond  // and its DOM unchanged for this long
	checkSettleMax   = 3000 * time.Millisecond // at most this wait
)

// checkPictures holds the elements found on each page whose box is not
// measured yet.
type checkPictures struct {
	mu      sync.Mutex
	pending map[string][]*locate.Match // by page
}

// notePicture remembers m, found on page, to be outlined in its picture.
func (s *Session) notePicture(page string, m *locate.Match) {
	if s.Env.Captures == nil || m == nil {
		return
	}
	s.pics.mu.Lock()
	defer s.pics.mu.Unlock()
	if s.pics.pending == nil {
		s.pics.pending = map[string][]*locate.Match{}
	}
	s.pics.pending[page] = append(s.pics.pending[page], m)
}

// pagePicture is called when the check is done with a screen of page,
// still on screen, in the page's tab (checkVisit; two tabs may call it at
// once, for pages of their own portals): it takes the page's picture, or,
// when the page has one already, measures the elements found since
// (another screen when newScreen: the second screen of a dialog). A
// picture that fails is reported in it, and the check goes on. Nothing
// without Env.Captures.
func (s *Session) pagePicture(ctx context.Context, page string, newScreen bool) {
	caps := s.Env.Captures
	if caps == nil {
		return
	}
	s.pics.mu.Lock()
	pending := s.pics.pending[page]
	delete(s.pics.pending, page)
	s.pics.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	last, taken := caps.Last(page)
	if taken && !newScreen {
		caps.AddRects(page, measure(ctx, pending))
		return
	}
	screen := 1
	if taken {
		screen = last.Screen + 1
	}
	c, err := s.takePicture(ctx, page, screen, pending)
	if err != nil {
		c.Problem = s.Scrub(err.Error())
		c.PNG = nil
		s.Env.Log.Warn("check: no picture of the page", zap.String("page", page), zap.String("why", c.Problem))
	}
	caps.Add(c)
}

// measure is the box of each match, by element name; one that cannot be
// measured (gone from the page) has none.
func measure(ctx context.Context, ms []*locate.Match) map[string]checkreport.Rect {
	out := map[string]checkreport.Rect{}
	for _, m := range ms {
		mctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		x, y, w, h, err := m.Rect(mctx)
		cancel()
		if err == nil && w > 0 && h > 0 {
			out[m.Element.Name] = checkreport.Rect{X: x, Y: y, W: w, H: h}
		}
	}
	return out
}

// takePicture settles the page, covers secrets and dynamic data, measures
// the elements and the masks, captures the viewport and checks on the
// pixels that every mask is one solid colour.
func (s *Session) takePicture(ctx context.Context, page string, screen int, ms []*locate.Match) (checkreport.Capture, error) {
	c := checkreport.Capture{Page: page, Screen: screen, TakenAt: s.Env.Now()}
	t0 := time.Now()
	var phases []zap.Field // how long each part took, for the debug log
	phase := func(name string) {
		phases = append(phases, zap.Duration(name, time.Since(t0)))
	}
	defer func() {
		s.Env.Log.Debug("check picture", append([]zap.Field{zap.String("page", page), zap.Duration("took", time.Since(t0))}, phases...)...)
	}()
	raw, err := callPage(ctx, jsCheckSettle, true, checkSettleAge.Milliseconds(), checkSettleQuiet.Milliseconds(), checkSettleMax.Milliseconds())
	if err != nil {
		return c, fmt.Errorf("wait for the page to settle: %w", err)
	}
	var vp struct{ VW, VH float64 }
	if err := json.Unmarshal(raw, &vp); err != nil || vp.VW <= 0 {
		return c, fmt.Errorf("measure the viewport: %v", err)
	}
	c.ViewportW, c.ViewportH = vp.VW, vp.VH
	phase("settled")
	if _, err := callPage(ctx, jsShotSettle, true); err != nil {
		return c, fmt.Errorf("hold the page still: %w", err)
	}
	// The mouse away: a hover style would show, or not, by timing.
	if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: 0, Y: 0}); err != nil {
		return c, fmt.Errorf("move the mouse away: %w", err)
	}
	c.Rects = measure(ctx, ms)
	phase("measured")

	uncover := func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = chromedp.Do(uctx, chromedp.Evaluate[chromedp.Void](jsUncover))
	}
	defer uncover()
	// The check's own matches of the page's elements, still on the page
	// (measured just now): covered without being looked for again.
	onPage := map[string]*locate.Match{}
	for _, m := range ms {
		if _, ok := c.Rects[m.Element.Name]; ok {
			onPage[m.Element.Name] = m
		}
	}
	if err := s.coverSecrets(ctx, page, onPage); err != nil {
		return c, fmt.Errorf("cover the secrets: %w", err)
	}
	phase("secrets_covered")
	if err := s.coverDynamic(ctx, page, onPage); err != nil {
		return c, fmt.Errorf("cover the data that changes between checks: %w", err)
	}
	phase("dynamic_covered")
	raw, err = callPage(ctx, jsCheckMasks, false)
	if err != nil {
		return c, fmt.Errorf("measure the masks: %w", err)
	}
	var masks []rectF
	if err := json.Unmarshal(raw, &masks); err != nil {
		return c, fmt.Errorf("measure the masks: %w", err)
	}
	data, err := capture(ctx)
	if err != nil {
		return c, fmt.Errorf("capture: %w", err)
	}
	phase("captured")
	uncover()
	img, err := shots.Decode(data)
	if err != nil {
		return c, err
	}
	k := float64(img.Bounds().Dx()) / c.ViewportW
	var regions []shots.Region
	for _, m := range masks {
		c.Masks = append(c.Masks, checkreport.Rect{X: m.X, Y: m.Y, W: m.W, H: m.H})
		regions = append(regions, shots.Region{Rect: m.pixels(k, false)})
	}
	if err := shots.CheckMasked(img, regions, MaskInset); err != nil {
		return c, fmt.Errorf("picture not kept: %w", err)
	}
	c.PNG = data
	return c, nil
}

// quietFinder finds elements to cover: it follows rewordings (covering
// more is safe) but reports none, since an element of another page or
// portal looked for here is no drift of this page.
func (s *Session) quietFinder() *locate.Finder {
	return &locate.Finder{Vars: s.varsNow(), Set: s.Env.Selectors}
}

// coverSecrets covers, as Session.cover does for every screenshot, the
// known secret values, password fields and every element of the page's
// portal marked secret or mask, with a finder that reports no drift. An
// element the check found on the page (onPage) is covered as found; a
// secret of the page the check did not find (a conditional one) is looked
// for also when reworded; the others (another page's, shown behind a
// dialog; a masked client id) as written, all in one look.
func (s *Session) coverSecrets(ctx context.Context, page string, onPage map[string]*locate.Match) error {
	s.mu.Lock()
	values := append([]string(nil), s.secrets...)
	s.mu.Unlock()
	if err := locate.CallOnDocument(ctx, jsCover, values); err != nil {
		return err
	}
	f := s.quietFinder()
	cover := func(m *locate.Match) error { return m.Call(ctx, jsCover) }
	var asWritten []*selectors.Element
	for _, el := range s.portalElements(page, func(el *selectors.Element) bool { return el.Secret || el.Mask }) {
		if m := onPage[el.Name]; m != nil && cover(m) == nil {
			continue
		}
		if !el.Secret || !strings.HasPrefix(el.Name, page+".") {
			asWritten = append(asWritten, el)
			continue
		}
		if m, _ := f.ProbeAny(ctx, true, nil, el); m != nil {
			if err := cover(m); err != nil {
				return err
			}
		}
	}
	return coverEach(ctx, f, asWritten, cover)
}

// coverDynamic covers what changes from one check to the next: the
// elements of page's portal marked dynamic in the selectors data or looked
// for by the app's name (a page may show another's behind a dialog), and
// any text holding the app's name. An element the check found on the page
// (onPage) is covered as found, the others as written, in one look.
func (s *Session) coverDynamic(ctx context.Context, page string, onPage map[string]*locate.Match) error {
	cover := func(m *locate.Match) error { return m.Call(ctx, jsCheckCover, []string{}, DynamicColour) }
	var asWritten []*selectors.Element
	for _, el := range s.portalElements(page, func(el *selectors.Element) bool {
		return (el.Dynamic || byAppName(el)) && !el.Secret && !el.Mask
	}) {
		if m := onPage[el.Name]; m == nil || cover(m) != nil {
			asWritten = append(asWritten, el)
		}
	}
	if err := coverEach(ctx, s.quietFinder(), asWritten, cover); err != nil {
		return err
	}
	values := []string{}
	if name := strings.TrimSpace(s.Env.Config.App.Name); name != "" {
		values = append(values, name)
	}
	return locate.CallOnDocument(ctx, jsCheckCover, values, DynamicColour)
}

// portalElements are the elements of page's portal that keep says, by
// name.
func (s *Session) portalElements(page string, keep func(*selectors.Element) bool) []*selectors.Element {
	portal := portalOf(page) + "."
	var out []*selectors.Element
	for _, name := range slices.Sorted(maps.Keys(s.Env.Selectors.Elements)) {
		if el := s.Env.Selectors.Elements[name]; strings.HasPrefix(name, portal) && keep(el) {
			out = append(out, el)
		}
	}
	return out
}

// coverEach covers each of els that the page shows as written: one look
// for them all (ProbeAny), and one more after each found.
func coverEach(ctx context.Context, f *locate.Finder, els []*selectors.Element, cover func(*locate.Match) error) error {
	for len(els) > 0 {
		m, _ := f.ProbeAny(ctx, false, nil, els...)
		if m == nil {
			return nil
		}
		if err := cover(m); err != nil {
			return err
		}
		els = slices.DeleteFunc(slices.Clone(els), func(el *selectors.Element) bool { return el == m.Element })
	}
	return nil
}

// byAppName says an element is looked for by the app's name: its words
// change with app.name.
func byAppName(el *selectors.Element) bool {
	for _, l := range el.Locators {
		if strings.Contains(l.Name+l.Label+l.Text+l.Beside, "{app}") {
			return true
		}
	}
	return false
}
