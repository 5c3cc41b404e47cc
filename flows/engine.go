// Package flows automates Codat's setup guides: one flow per portal task,
// each a list of named steps that reads like the guide, one step per line.
package flows

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/report"
	"portalbot/internal/secret"
	"portalbot/internal/state"
	"portalbot/selectors"
)

// Step is one line of a guide.
type Step struct {
	Name  string // stable name, e.g. "xero.generate_secret"
	Guide string // the guide's line it automates, for progress and docs
	// Writes says the step changes a portal; check mode never runs it.
	Writes bool
	// Frame is the element a docs screenshot of this step frames.
	Frame string
	// Done, when set, says the step's outcome is already in hand (from an
	// earlier run's state, or an app that exists): the step is not run.
	Done func(s *Session) bool
	Do   func(ctx context.Context, s *Session) error
}

// Session is one run: the tab, what the steps found so far, and the report.
type Session struct {
	Env      *Env
	Provider string
	Summary  *report.Summary
	Vars     map[string]string // {app}, {integration}, {key}

	tab   context.Context // the current tab (chromedp context)
	tabs  map[string]context.Context
	steps int
	total int

	// Found by the steps.
	ClientID     string
	ClientSecret secret.Secret
	AppID        string

	state            *state.State
	codatHeldAtStart bool

	mu           sync.Mutex
	secrets      []string // values scrubbed from everything the run writes
	console      []string
	portal       string // portal of the current step, for errors
	lastStep     string
	failureFiles []string
}

func newSession(tab context.Context, env *Env, provider string) *Session {
	s := &Session{
		Env: env, Provider: provider, tab: tab, tabs: map[string]context.Context{"main": tab},
		Vars:    map[string]string{"app": env.Config.App.Name},
		Summary: &report.Summary{Provider: provider, Mode: string(env.Mode), App: report.App{Name: env.Config.App.Name}, Steps: []report.Step{}},
	}
	for _, v := range []secret.Secret{env.Config.Xero.Password, env.Config.Xero.TOTPSecret,
		env.Config.FreeAgent.Password, env.Config.Codat.Password, env.Config.Codat.TOTPSecret} {
		s.AddSecret(v)
	}
	s.watchConsole(tab)
	return s
}

// AddSecret registers a value that must be scrubbed from every file and
// covered in every screenshot.
func (s *Session) AddSecret(v secret.Secret) {
	if v.Empty() {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets = append(s.secrets, v.Reveal())
}

// Scrub replaces every known secret value in text.
func (s *Session) Scrub(text string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.secrets {
		if len(v) >= 4 {
			text = strings.ReplaceAll(text, v, secret.Redacted)
		}
	}
	return text
}

func (s *Session) watchConsole(tab context.Context) {
	msgs := chromedp.Console(tab)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			s.mu.Lock()
			if len(s.console) < 200 {
				s.console = append(s.console, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
			}
			s.mu.Unlock()
		}
	}()
}

// Tab returns the chromedp context of the named tab, opening it in the same
// browser on first use (the guide keeps Xero's Configuration page open while
// the keys go into Codat).
func (s *Session) Tab(name string) (context.Context, error) {
	if t, ok := s.tabs[name]; ok {
		s.tab = t
		return t, nil
	}
	t, _ := chromedp.NewContext(s.tabs["main"])
	if err := chromedp.Do(t); err != nil {
		return nil, fmt.Errorf("open tab: %w", err)
	}
	if vp := s.Env.Config.Browser.Viewport; vp.Width > 0 && vp.Height > 0 {
		_ = chromedp.Do(t, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height)))
	}
	s.watchConsole(t)
	s.tabs[name] = t
	s.tab = t
	return t, nil
}

// finder returns a locator bound to this session's variables and, while
// signing in, to the origins the portal may show.
func (s *Session) finder(guard func(context.Context) error) *locate.Finder {
	if guard == nil && s.Env.Mode == ModeRun {
		guard = s.signedOut
	}
	return &locate.Finder{Vars: s.Vars, Guard: guard}
}

// El returns the selectors element called name.
func (s *Session) El(name string) *selectors.Element { return s.Env.Selectors.Element(name) }

// Find waits for the element called name.
func (s *Session) Find(ctx context.Context, name string) (*locate.Match, error) {
	return s.finder(nil).Find(ctx, s.El(name))
}

// Click waits for the element called name and clicks it.
func (s *Session) Click(ctx context.Context, name string) error {
	m, err := s.Find(ctx, name)
	if err != nil {
		return err
	}
	return m.Click(ctx)
}

// Fill waits for the field called name and types text into it.
func (s *Session) Fill(ctx context.Context, name, text string) error {
	m, err := s.Find(ctx, name)
	if err != nil {
		return err
	}
	return m.Fill(ctx, text)
}

// Location is the URL of the current tab.
func (s *Session) Location(ctx context.Context) (*url.URL, error) {
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return nil, err
	}
	return url.Parse(loc)
}

// Navigate loads u in the current tab; a network error is "unavailable".
func (s *Session) Navigate(ctx context.Context, u string) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return fail.Wrap(fail.Unavailable, fmt.Errorf("open %s: %w", redactURL(u), err))
	}
	return nil
}

// redactURL drops the query of a URL for messages (it may carry a state or
// a code).
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(bad url)"
	}
	p.RawQuery, p.Fragment = "", ""
	return p.String()
}

// run executes steps in order, one timeout each, with progress, screenshots
// and the report; it stops at the first failure, saving what a person needs
// to see why.
func (s *Session) run(ctx context.Context, steps []Step) error {
	s.total += len(steps)
	for _, st := range steps {
		s.steps++
		s.portal = strings.SplitN(st.Name, ".", 2)[0]
		s.lastStep = st.Name
		rec := report.Step{Name: st.Name, Status: "ok"}
		start := time.Now()
		if st.Done != nil && st.Done(s) {
			rec.Status = "done-before"
			s.Summary.Steps = append(s.Summary.Steps, rec)
			s.progress("[%2d/%d] %s: done before", s.steps, s.total, st.Name)
			continue
		}
		if s.Env.Mode == ModeCheck && st.Writes {
			rec.Status = "skipped"
			s.Summary.Steps = append(s.Summary.Steps, rec)
			s.progress("skip %s (writes; check mode)", st.Name)
			continue
		}
		s.progress("[%2d/%d] %s: %s", s.steps, s.total, st.Name, st.Guide)
		sctx, cancel := context.WithTimeout(s.tab, s.Env.Config.Browser.StepTimeout)
		stop := context.AfterFunc(ctx, cancel) // the run's own end stops the step too
		err := st.Do(sctx, s)
		stop()
		cancel()
		rec.DurationMS = time.Since(start).Milliseconds()
		if err != nil && s.Env.Mode == ModeCheck && s.checkContinues(err) {
			rec.Status, rec.Error = "failed", s.Scrub(err.Error())
			s.Summary.Steps = append(s.Summary.Steps, rec)
			s.progress("%s: %v (checking on)", st.Name, rec.Error)
			continue
		}
		if err != nil {
			err = s.classify(ctx, st, err)
			rec.Status, rec.Error = "failed", s.Scrub(err.Error())
			rec.Screenshot = s.saveFailure(st, err)
			s.Summary.Steps = append(s.Summary.Steps, rec)
			s.Env.Log.Warn("step failed", zap.String("step", st.Name), zap.Error(errors.New(rec.Error)))
			return err
		}
		if err := s.saveState(); err != nil {
			return err
		}
		if err := s.takeShots(ctx, st); err != nil { // bot shots (shots.go)
			return err
		}
		if s.wantScreenshot(st.Name) {
			rec.Screenshot = s.screenshot(st, filepath.Join(s.outDir(), "screenshots", s.Provider, fmt.Sprintf("%02d-%s.png", s.steps, st.Name)))
		}
		s.Summary.Steps = append(s.Summary.Steps, rec)
		s.Env.Log.Debug("step done", zap.String("step", st.Name), zap.Int64("ms", rec.DurationMS))
	}
	return nil
}

// wantScreenshot says whether the step gets a docs screenshot: every step
// with output.screenshots "steps", or only those output.screenshot_steps
// names.
func (s *Session) wantScreenshot(step string) bool {
	o := s.Env.Config.Output
	return o.Screenshots == "steps" && (len(o.ScreenshotSteps) == 0 || slices.Contains(o.ScreenshotSteps, step))
}

func (s *Session) outDir() string {
	if s.Env.Config.Out == "" {
		return "out"
	}
	return s.Env.Config.Out
}

func (s *Session) progress(format string, args ...any) {
	if s.Env.Progress != nil {
		fmt.Fprintf(s.Env.Progress, "%s: %s\n", s.Provider, s.Scrub(fmt.Sprintf(format, args...)))
	}
}

// classify turns a step's error into the outcome a scheduler acts on, with
// the portal, page and element a person needs to look at.
func (s *Session) classify(ctx context.Context, st Step, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return &fail.Error{Kind: fail.Other, Portal: s.portal,
			Hint: "the state is saved: run again to continue",
			Err:  fmt.Errorf("%s: stopped (interrupted)", st.Name)}
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		if fe.Portal == "" {
			fe.Portal = s.portal
		}
		return fmt.Errorf("%s: %w", st.Name, err)
	}
	var nf *locate.NotFoundError
	if errors.As(err, &nf) {
		// A page that answered with a server error or did not load is the
		// portal being down, not its UI having changed.
		if status := s.documentStatus(); status >= 500 {
			return &fail.Error{Kind: fail.Unavailable, Portal: s.portal, Page: nf.Page,
				Err: fmt.Errorf("%s: the portal answered HTTP %d: %w", st.Name, status, err)}
		}
		if ctx.Err() != nil {
			return &fail.Error{Kind: fail.Unavailable, Portal: s.portal, Err: fmt.Errorf("%s: %w", st.Name, ctx.Err())}
		}
		return &fail.Error{Kind: fail.Mismatch, Portal: s.portal, Page: nf.Page, Element: nf.Element,
			Hint: "the portal's page changed or is slow: see the saved screenshot and HTML, and selectors_dir to override a selector",
			Err:  fmt.Errorf("%s: %w", st.Name, err)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &fail.Error{Kind: fail.Unavailable, Portal: s.portal,
			Hint: fmt.Sprintf("no answer within browser.step_timeout (%s)", s.Env.Config.Browser.StepTimeout),
			Err:  fmt.Errorf("%s: %w", st.Name, err)}
	}
	return &fail.Error{Kind: fail.Other, Portal: s.portal, Err: fmt.Errorf("%s: %w", st.Name, err)}
}

// documentStatus is the HTTP status of the current page's document.
func (s *Session) documentStatus() int {
	ctx, cancel := context.WithTimeout(s.tab, 2*time.Second)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(performance.getEntriesByType("navigation")[0] || {}).responseStatus || 0`))
	if err != nil {
		return 0
	}
	return n
}

// saveState records what the run has done so far (after every step), so a
// rerun continues where this one stopped.
func (s *Session) saveState() error {
	if s.state == nil || s.Env.Mode != ModeRun {
		return nil
	}
	st := s.state
	st.AppID, st.AppURL, st.ClientID = s.Summary.App.ID, s.Summary.App.URL, s.ClientID
	st.Enabled = s.Summary.Codat.Enabled
	if err := st.Save(s.Env.Now()); err != nil {
		return &fail.Error{Kind: fail.Other, Err: fmt.Errorf("save state: %w", err)}
	}
	return nil
}

// openExistingApp clicks the app's link on My Apps. When the link is not
// there although an earlier run's state says the app exists, the app was
// most likely deleted or renamed in the portal: the error says which state
// file to remove to start over.
func (s *Session) openExistingApp(ctx context.Context, link string) error {
	err := s.Click(ctx, link)
	var nf *locate.NotFoundError
	if err == nil || s.AppID == "" || !errors.As(err, &nf) {
		return err
	}
	return &fail.Error{Kind: fail.Mismatch, Portal: s.portal, Page: nf.Page, Element: nf.Element,
		Hint: fmt.Sprintf("the state file %s says app %s exists, but My Apps has no app named %q: if it was deleted or renamed, remove that file to start over",
			state.Path(s.outDir(), s.Provider, s.Env.Config.App.Name), s.AppID, s.Env.Config.App.Name),
		Err: err}
}
