package flows

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"portalbot/internal/checkreport"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// Mode says whether a flow changes the portals.
type Mode string

// The modes.
const (
	ModeRun   Mode = "run"   // do the job
	ModeCheck Mode = "check" // walk the pages, resolve every selector, write nothing
	// ModeRotate replaces the app's client secret in the provider and in
	// Codat (bot rotate): see rotate.go.
	ModeRotate Mode = "rotate"
)

// RotateOptions shape a rotation.
type RotateOptions struct {
	// MaxAge: a live secret younger than this is kept (the run is a no-op);
	// 0 rotates whatever the age.
	MaxAge time.Duration
	// AcceptGap lets a portal that can only regenerate (the old secret
	// stops working at once, FreeAgent) rotate anyway, with a gap until
	// Codat holds the new one.
	AcceptGap bool
}

// Env is what a flow takes from outside: configuration, logger, progress
// stream, clock and the selectors data.
type Env struct {
	Config    *config.Config
	Log       *zap.Logger
	Progress  io.Writer // one human line per step (stderr)
	Now       func() time.Time
	Selectors *selectors.Set
	Mode      Mode
	Rotate    RotateOptions // ModeRotate only
	// Scrub is set by the flow when it starts: it replaces every secret
	// value the run knows (credentials, client secrets read or stored) with
	// [redacted], for what the caller writes after the run (a webhook).
	Scrub func(string) string
	// AfterStep, when set, is called after each step is done and its
	// outcome saved (from the goroutine of the step's tab: two tabs may
	// call it at once). An error from it abandons the run at once, as a
	// kill of the process would: the other tab's step is cut short where
	// it is, nothing more is saved, no failure is recorded, the run does
	// not start over, and RunProvider returns that error. The tests stop a
	// run after every step in turn with it, in process.
	AfterStep func(step string) error
	// StepTimeouts gives the steps it names a timeout of their own instead
	// of browser.step_timeout: the tests that expect an element to be
	// missing wait a second or two for it, not the whole step timeout.
	StepTimeouts map[string]time.Duration
	// Shots, when set, takes docs screenshots after their steps (bot
	// shots, shots.go).
	Shots *ShotsRun
	// Captures, when set, makes a check take one picture of each page it
	// checks (each screen of a dialog), once the page's elements are
	// resolved and with the page still on screen, secrets covered, with
	// the box of each element it found (check_picture.go), for bot check's
	// reports. The portals' tabs of bot check all add to it side by side.
	// Nil: no picture.
	Captures *checkreport.Captures
	// CheckWait, when set, is how long a check waits for each element once
	// its page is ready, instead of the package's CheckWait: the tests
	// shorten it to show that a page's last look, not the clock, tells a
	// reworded element from a missing one.
	CheckWait time.Duration
}

// RunProvider does the whole job for provider (one of Providers; in check
// mode also All, every portal at once) in the browser tab of ctx (a
// chromedp context). Each step is bounded by
// browser.step_timeout; the caller bounds the whole run (the CLI applies
// browser.timeout around the browser start and the flow). The summary is
// filled as far as the run got, also when it returns an error.
func RunProvider(ctx context.Context, env *Env, provider string) (*report.Summary, error) {
	if env.Mode == ModeRotate {
		return runRotate(ctx, env, provider)
	}
	if env.Shots != nil {
		return runShots(ctx, env, provider) // bot shots (shots.go)
	}
	return runProvider(ctx, env, provider)
}

// FirstPage is the page the first tab of a run of provider opens first:
// the home page of the portal whose sign-in begins that tab's steps, for a
// browser launched on it (config.Browser.StartURL), so that its first
// request leaves while the browser starts. It is "" when that tab does
// anything before its first page: a saved session of the run's portals to
// load into the browser first.
func FirstPage(env *Env, provider string) string {
	mode := env.Mode
	if mode == "" {
		mode = ModeRun
	}
	steps, err := StepsFor(provider, mode)
	if err != nil {
		return ""
	}
	s := &Session{Env: env, Provider: provider}
	if s.sessionsOn() {
		for _, portal := range sessionPortals(provider) {
			if _, err := os.Lstat(s.SessionPath(portal)); !errors.Is(err, fs.ErrNotExist) {
				return ""
			}
		}
	}
	lane := firstTab(provider)
	for _, st := range steps {
		if st.tab() != lane {
			continue
		}
		if p := portalNamed(portalOf(st.Name)); st.SignsIn && p != nil && p.Home != nil {
			return p.Home(s)
		}
		return ""
	}
	return ""
}

// StepsFor returns the steps a run of provider in mode goes through, in
// order: the names that screenshots and progress use.
func StepsFor(provider string, mode Mode) ([]Step, error) {
	if mode == ModeRotate {
		return RotateSteps(provider)
	}
	if mode == ModeCheck {
		portals, err := portalsOf(provider)
		if err != nil {
			return nil, err
		}
		return checkSteps(portals), nil
	}
	return Steps(provider)
}

// CheckStepNames refuses, as a configuration error, a name in names that is
// not a step of provider in mode (output.screenshot_steps), naming them all.
func CheckStepNames(provider string, mode Mode, names []string) error {
	steps, err := StepsFor(provider, mode)
	if err != nil {
		return err
	}
	known := make([]string, len(steps))
	for i, st := range steps {
		known[i] = st.Name
	}
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &fail.Error{Kind: fail.Config,
		Err:  fmt.Errorf("output.screenshot_steps: not a step of %s %s: %s", mode, provider, strings.Join(unknown, ", ")),
		Hint: fmt.Sprintf("the steps are: %s (bot steps %s)", strings.Join(known, ", "), provider)}
}
