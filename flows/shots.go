package flows

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/report"
	"portalbot/internal/shots"
	"portalbot/internal/store"
)

//go:embed js/shot_settle.js
var jsShotSettle string

//go:embed js/shot_region.js
var jsShotRegion string

// ShotsRun is a run of bot shots for one provider: the docs screenshots to
// take after the steps they follow, and what became of them. Set it as
// Env.Shots; RunProvider then takes each shot right after its step and
// reports every shot it could not take.
type ShotsRun struct {
	// Shots are this provider's shots (validated against the flow and the
	// selectors), in list order.
	Shots []shots.Shot
	// Dir is where the PNG files go (<out>/shots).
	Dir string
	// StopWhenDone ends the run once every shot is taken (--only): the rest
	// of the flow is left for the next run, which resumes from the state.
	StopWhenDone bool

	// Written are the files written, in the order taken.
	Written []string
	// Failed are the shots not written, each error naming its shot.
	Failed []error

	mu    sync.Mutex // the provider's and Codat's tabs take shots side by side
	taken map[string]bool
}

// errShotsDone ends a run of bot shots --only once its shot is taken.
var errShotsDone = errors.New("every shot asked for is taken")

// pageMargin is the empty page kept under the content of a page shot, in
// CSS pixels.
const pageMargin = 24

// MaskInset is the margin, in picture pixels, kept inside each mask's edges
// when checking that it is one solid colour.
const MaskInset = 1

// takeShots takes the shots that follow step st. A shot that fails is
// recorded and the run goes on; errShotsDone stops the run when the last
// shot asked for is taken and StopWhenDone is set.
func (s *Session) takeShots(ctx, tab context.Context, st Step) error {
	run := s.Env.Shots
	if run == nil {
		return nil
	}
	run.mu.Lock() // one shot at a time: each sets the viewport of its tab
	defer run.mu.Unlock()
	if run.taken == nil {
		run.taken = map[string]bool{}
	}
	for _, sh := range run.Shots {
		if sh.After != st.Name || run.taken[sh.File] {
			continue
		}
		run.taken[sh.File] = true
		path, err := s.takeShot(ctx, tab, sh)
		if err != nil {
			// Its kind decides the exit code; its words are scrubbed of
			// every known secret, as any error of a run.
			msg := s.Scrub(fmt.Sprintf("shot %s (after %s): %v", sh.File, st.Name, err))
			run.Failed = append(run.Failed, &fail.Error{Kind: fail.KindOf(err), Portal: portalOf(st.Name), Err: errors.New(msg)})
			s.progress("%s: not written", msg)
			continue
		}
		run.Written = append(run.Written, path)
		s.progress("shot %s written", path)
	}
	if run.StopWhenDone && len(run.taken) == len(run.Shots) {
		return errShotsDone
	}
	return nil
}

// runShots runs provider's flow for bot shots in a browser context of its
// own (no cookie or session of an earlier run shows in the pictures), with
// the configured viewport and scale, taking the shots after their steps.
func runShots(ctx context.Context, env *Env, provider string) (*report.Summary, error) {
	tab, closeTab := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer closeTab()
	vp := env.Config.Browser.Viewport
	if err := chromedp.Do(tab, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height), chromedp.EmulateScale(vp.Scale))); err != nil {
		return nil, env.Shots.finish(nil, fail.Wrap(fail.Unavailable, fmt.Errorf("open a browser context for the shots: %w", err)))
	}
	sum, err := runProvider(tab, env, provider)
	return sum, env.Shots.finish(sum, err)
}

// finish turns the run's outcome into bot shots' error: a run stopped by
// errShotsDone succeeded; shots whose step never ran (done by an earlier
// run, or the run failed before it) and shots that failed are reported.
func (r *ShotsRun) finish(sum *report.Summary, err error) error {
	if errors.Is(err, errShotsDone) {
		err = nil
		if sum != nil {
			sum.Error = nil
		}
	}
	var missing []string
	for _, sh := range r.Shots {
		if !r.taken[sh.File] {
			missing = append(missing, fmt.Sprintf("%s (after %s)", sh.File, sh.After))
		}
	}
	errs := []error{err}
	if len(missing) > 0 {
		e := &fail.Error{Kind: fail.Other, Err: fmt.Errorf("shots not taken: %s", strings.Join(missing, ", "))}
		if err == nil {
			e.Hint = "their steps did not run: an earlier run did them (its state under <out>/state) or the app exists already; " +
				"delete the app in the portal and its state file, or use another app.name"
		}
		errs = append(errs, e)
	}
	return errors.Join(append(errs, r.Failed...)...)
}

// region is what shot_region.js measures, in CSS pixels of the viewport.
type region struct {
	Content *rectF  `json:"content"` // what the shot shows, frames included; nil for a page
	Crop    *rectF  `json:"crop"`    // the content and its padding
	Clipped string  `json:"clipped"` // what cuts the content off, if anything
	VW      float64 `json:"vw"`
	VH      float64 `json:"vh"`
	Masks   []rectF `json:"masks"`
}

type rectF struct{ X, Y, W, H float64 }

// pixels is r in a picture scaled by k: rounded outwards (the crop keeps
// every pixel r touches) or inwards (a mask's pixels that are surely its).
func (r rectF) pixels(k float64, outwards bool) image.Rectangle {
	if outwards {
		return image.Rect(int(math.Floor(r.X*k)), int(math.Floor(r.Y*k)), int(math.Ceil((r.X+r.W)*k)), int(math.Ceil((r.Y+r.H)*k)))
	}
	return image.Rect(int(math.Ceil(r.X*k)), int(math.Ceil(r.Y*k)), int(math.Floor((r.X+r.W)*k)), int(math.Floor((r.Y+r.H)*k)))
}

// takeShot takes one shot in the current tab and writes it: the viewport and
// scale fixed, the page held still, the shot scrolled into view, every
// secret covered (and the shot's own masks and frames drawn), the viewport
// captured, cropped, and the masks checked on the pixels. A shot whose masks
// are not one solid colour is not written.
func (s *Session) takeShot(runCtx, tab context.Context, sh shots.Shot) (string, error) {
	ctx, cancel := context.WithTimeout(tab, s.Env.Config.Browser.StepTimeout)
	defer cancel()
	defer context.AfterFunc(runCtx, cancel)() // the run's own end stops the shot too

	vp := s.Env.Config.Browser.Viewport
	scale := vp.Scale
	if scale <= 0 {
		scale = 1
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height), chromedp.EmulateScale(scale))); err != nil {
		return "", fmt.Errorf("set the viewport: %w", err)
	}
	// The mouse rests where the last click was: a hover style or a tooltip
	// would show, or not, by timing.
	if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: 0, Y: 0}); err != nil {
		return "", fmt.Errorf("move the mouse away: %w", err)
	}
	find := func(names []string) ([]*locate.Match, error) {
		var out []*locate.Match
		for _, n := range names {
			m, err := s.finder(nil).Find(ctx, s.El(n)) // a finder each: matches stay valid together
			if err != nil {
				var nf *locate.NotFoundError
				if errors.As(err, &nf) {
					return nil, &fail.Error{Kind: fail.Mismatch, Portal: portalOf(sh.After), Page: nf.Page, Element: nf.Element, Err: err}
				}
				return nil, err
			}
			out = append(out, m)
		}
		return out, nil
	}
	of, err := find(sh.Of)
	if err != nil {
		return "", err
	}
	frames, err := find(sh.Frame)
	if err != nil {
		return "", err
	}
	masks, err := find(sh.Mask)
	if err != nil {
		return "", err
	}
	// Only once what the shot shows is there (a dialog a script opens a
	// little later), so that it too has ended its transition.
	if _, err := callPage(ctx, jsShotSettle, true); err != nil {
		return "", fmt.Errorf("hold the page still: %w", err)
	}
	args := []any{sh.Show, sh.Pad(), len(of)}
	for _, m := range append(append([]*locate.Match{}, of...), frames...) {
		args = append(args, m.ObjectID())
	}
	if _, err := callPage(ctx, jsShotRegion, false, append([]any{true}, args...)...); err != nil {
		return "", fmt.Errorf("scroll the shot into view: %w", err)
	}

	// The overlays: secrets (always), the shot's masks, its frames.
	uncover := func() {
		c, cancel := context.WithTimeout(tab, 5*time.Second)
		defer cancel()
		_ = chromedp.Do(c, chromedp.Evaluate[chromedp.Void](jsUncover))
	}
	defer uncover()
	if err := s.cover(ctx, "", ""); err != nil { // every portal's secrets, whatever the list says
		return "", fmt.Errorf("cover the secrets: %w", err)
	}
	for _, m := range masks {
		if err := m.Call(ctx, jsCover); err != nil {
			return "", fmt.Errorf("mask %s: %w", m.Element.Name, err)
		}
	}
	for _, m := range frames {
		if err := m.Call(ctx, jsFrame, FramePurple); err != nil {
			return "", fmt.Errorf("frame %s: %w", m.Element.Name, err)
		}
	}
	raw, err := callPage(ctx, jsShotRegion, false, append([]any{false}, args...)...)
	if err != nil {
		return "", fmt.Errorf("measure the shot: %w", err)
	}
	var reg region
	if err := json.Unmarshal(raw, &reg); err != nil {
		return "", fmt.Errorf("measure the shot: %w", err)
	}
	data, err := capture(ctx)
	if err != nil {
		return "", fmt.Errorf("capture: %w", err)
	}
	uncover()

	img, err := shots.Decode(data)
	if err != nil {
		return "", err
	}
	crop, err := cropFor(sh, reg, img.Bounds())
	if err != nil {
		return "", err
	}
	k := float64(img.Bounds().Dx()) / reg.VW
	if sh.Show == shots.ShowPage {
		// A page's empty background under its content says nothing.
		crop = shots.TrimBottom(img, int(math.Ceil(pageMargin*k)))
	}
	var regions []shots.Region
	for _, m := range reg.Masks {
		regions = append(regions, shots.Region{Rect: m.pixels(k, false).Sub(crop.Min)})
	}
	pic := shots.Crop(img, crop)
	if err := shots.CheckMasked(pic, regions, MaskInset); err != nil {
		return "", &fail.Error{Kind: fail.Mismatch, Portal: portalOf(sh.After),
			Hint: "the page draws over the bot's masks (a top-layer dialog?); nothing was written",
			Err:  err}
	}
	out, err := shots.Encode(pic)
	if err != nil {
		return "", err
	}
	path := filepath.Join(s.Env.Shots.Dir, sh.File)
	if err := store.WriteFile(path, out, 0o644); err != nil {
		return "", &fail.Error{Kind: fail.Other, Err: fmt.Errorf("write %s: %w", path, err)}
	}
	return path, nil
}

// cropFor is the part of the captured viewport (bounds, in pixels) a shot
// keeps: the whole viewport for a page; else the element or section, its
// purple frames and its padding. What it shows must be whole (nothing cut
// off by the viewport or a scrolling area); the padding is clipped to the
// viewport.
func cropFor(sh shots.Shot, reg region, bounds image.Rectangle) (image.Rectangle, error) {
	if sh.Show == shots.ShowPage || reg.Content == nil || reg.Crop == nil {
		return bounds, nil
	}
	c := *reg.Content
	if reg.Clipped != "" {
		return image.Rectangle{}, &fail.Error{Kind: fail.Other,
			Err:  fmt.Errorf("the %s would be cut off: %s", sh.Show, reg.Clipped),
			Hint: "raise browser.viewport.height, or show a smaller element or section"}
	}
	const eps = 0.5
	if c.X < -eps || c.Y < -eps || c.X+c.W > reg.VW+eps || c.Y+c.H > reg.VH+eps {
		return image.Rectangle{}, &fail.Error{Kind: fail.Other,
			Err:  fmt.Errorf("the %s is %.0fx%.0f CSS pixels and does not fit in the %.0fx%.0f viewport", sh.Show, c.W, c.H, reg.VW, reg.VH),
			Hint: "raise browser.viewport.width/height, or show a smaller element or section"}
	}
	k := float64(bounds.Dx()) / reg.VW
	return reg.Crop.pixels(k, true).Intersect(bounds), nil
}

// callPage runs a page function with this = document, in the bot's world
// (where the elements found live), and returns its result as JSON.
func callPage(ctx context.Context, fn string, await bool, args ...any) ([]byte, error) {
	b, err := locate.CallPage(ctx, fn, await, args...)
	if err == nil && len(b) == 0 {
		return []byte("null"), nil
	}
	return b, err
}
