// Package flows automates Codat's setup guides: one flow per portal task,
// each a list of named steps that reads like the guide, one step per line.
package flows

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/browser"
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
	// Tab is the browser tab the step works in: "" the provider's
	// (TabProvider), "codat" Codat's (TabCodat). The engine gives the step
	// a context of that tab; the steps of one tab run in their order, the
	// tabs side by side (Codat signs in while the provider's app is made).
	Tab string
	// After names steps of another tab whose outcome this step needs (the
	// keys Codat is given, Codat holding the new secret), or whose time it
	// should not take (a page load beside the run's critical path): it
	// starts once they are done. A name that is not a step of the run is
	// ignored.
	After []string
	// SignsIn says the step is its portal's sign-in. It fails on the
	// sign-in page when the portal is slow, down or refuses: that is not a
	// session ending mid-flow, and the run does not start over for it.
	SignsIn bool
	// Done, when set, says the step's outcome is already in hand (from an
	// earlier run's state, or an app that exists): the step is not run.
	Done func(s *Session) bool
	Do   func(ctx context.Context, s *Session) error
}

// The tabs a run works in.
const (
	TabProvider = "main"  // the provider's developer portal
	TabCodat    = "codat" // the Codat portal, opened on its first step
)

func (st Step) tab() string {
	if st.Tab == "" {
		return TabProvider
	}
	return st.Tab
}

// portalOf is the portal of a step: the first part of its name.
func portalOf(step string) string { return strings.SplitN(step, ".", 2)[0] }

// Session is one run: its tabs, what the steps found so far, and the report.
// The steps of two tabs run at once: what both read and write (the summary,
// the state, the variables, the keys) changes under mu.
type Session struct {
	Env      *Env
	Provider string
	Summary  *report.Summary

	tabs  map[string]context.Context // by Step.Tab, guarded by mu
	first context.Context            // the browser's first tab, whose lane firstTab says; the others open beside it
	t0    time.Time                  // the run's start: step times are from here
	// launched is the page the first tab was launched on
	// (browser.LaunchedOn), until that tab's first navigation.
	launched string

	// Found by the steps.
	ClientID     string
	ClientSecret secret.Secret
	AppID        string

	state            *state.State
	codatHeldAtStart bool

	fixes        selectorFixes   // check mode: what the selectors data should say now
	skipped      map[string]bool // check mode: pages the walk could not reach
	pics         checkPictures   // check mode: the elements to outline in the pages' pictures
	mu           sync.Mutex
	drifts       []locate.Drift    // rewordings followed, one per element and words
	vars         map[string]string // {app}, {integration}, {key}, {id}
	secrets      []string          // values scrubbed from everything the run writes
	console      []string
	failureFiles []string

	sess *sessionFiles // the portals' session files (session.go)
}

func newSession(tab context.Context, env *Env, provider string) *Session {
	s := &Session{
		Env: env, Provider: provider, tabs: map[string]context.Context{firstTab(provider): tab}, first: tab, t0: env.Now(),
		launched: browser.LaunchedOn(tab),
		vars:     map[string]string{"app": env.Config.App.Name},
		Summary:  &report.Summary{Provider: provider, Mode: string(env.Mode), App: report.App{Name: env.Config.App.Name}, Steps: []report.Step{}},
	}
	s.Summary.StartedAt = s.t0.UTC().Format(report.TimeFormat)
	// Codat's row is the provider's integration; bot check all checks
	// Codat once, on the first provider's row.
	if ps, err := portalsOf(provider); err == nil && ps[0].Provider != nil {
		c := ps[0].Provider.Integration
		s.vars["integration"], s.vars["key"] = c.integration, c.key
	}
	for _, v := range []secret.Secret{env.Config.Xero.Password, env.Config.Xero.TOTPSecret,
		env.Config.FreeAgent.Password, env.Config.Codat.Password, env.Config.Codat.TOTPSecret} {
		s.AddSecret(v)
	}
	s.prepare(tab)
	return s
}

// prepare readies a tab of the session before its first page: its console
// followed, chromedp's DOM mirror off (browser.Lean) and the locate engine
// registered for each document to come (locate.Prepare), so that a page's
// first look finds it there.
func (s *Session) prepare(tab context.Context) {
	s.watchConsole(tab)
	if err := locate.Prepare(tab); err != nil {
		// The first look registers it again and says what failed.
		s.Env.Log.Debug("register the page script", zap.Error(err))
	}
	browser.Lean(tab)
}

// locked runs f under the session's lock: a write the other tab's steps,
// or the state file, may read.
func (s *Session) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// varsNow is a copy of the run's variables.
func (s *Session) varsNow() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.vars)
}

// setApp records the app the run works on.
func (s *Session) setApp(id, url string) {
	s.locked(func() {
		s.AppID, s.vars["id"] = id, id
		s.Summary.App.ID, s.Summary.App.URL = id, url
	})
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
	return scrub(s.secrets, text)
}

func scrub(secrets []string, text string) string {
	for _, v := range secrets {
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

// firstTab is the lane that gets the browser's first tab, open and ready
// when the run starts: the job's longer path (ProviderFlow.CodatFirst),
// the provider's unless said otherwise.
func firstTab(provider string) string {
	if p, err := providerNamed(provider); err == nil && p.Provider != nil && p.Provider.CodatFirst {
		return TabCodat
	}
	return TabProvider
}

// tab returns the chromedp context of the named tab, opening it in the same
// browser (and browser context) on first use: the guide keeps the
// provider's page open while the keys go into Codat.
func (s *Session) tab(name string) (context.Context, error) {
	s.mu.Lock()
	t, ok := s.tabs[name]
	s.mu.Unlock()
	if ok {
		return t, nil
	}
	t, _ = chromedp.NewContext(s.first)
	if err := chromedp.Do(t); err != nil {
		return nil, fmt.Errorf("open the %s tab: %w", name, err)
	}
	if vp := s.Env.Config.Browser.Viewport; vp.Width > 0 && vp.Height > 0 {
		_ = chromedp.Do(t, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height)))
	}
	s.prepare(t)
	s.locked(func() { s.tabs[name] = t })
	return t, nil
}

// finder returns a locator bound to this session's variables and, while
// signing in, to the origins the portal may show.
func (s *Session) finder(guard func(context.Context, string) error) *locate.Finder {
	if guard == nil && s.Env.Mode == ModeRun {
		guard = s.signedOut
	}
	s.mu.Lock()
	vars := maps.Clone(s.vars)
	s.mu.Unlock()
	return &locate.Finder{Vars: vars, Guard: guard, Set: s.Env.Selectors, OnDrift: s.noteDrift}
}

// noteDrift records a rewording the finder followed, once per element and
// words: a WARN line, a progress line, and the summary's drift list.
func (s *Session) noteDrift(d locate.Drift) {
	expected, seen := s.Scrub(d.Expected), s.Scrub(d.Seen) // Scrub locks s.mu too
	s.mu.Lock()
	for _, o := range s.drifts {
		if o.Expected == d.Expected && o.Seen == d.Seen && (o.Element == d.Element || (o.Within && d.Within)) {
			s.mu.Unlock()
			return
		}
	}
	s.drifts = append(s.drifts, d)
	s.Summary.Drift = append(s.Summary.Drift, report.Drift{Element: d.Element, Page: d.Page,
		Expected: expected, Seen: seen, How: d.How})
	s.mu.Unlock()
	what := d.Part
	if d.Within {
		what = "container"
	}
	s.Env.Log.Warn("the portal reworded an element; the bot followed the copy edit",
		zap.String("element", d.Element), zap.String("part", what), zap.String("expected", expected),
		zap.String("seen", seen), zap.String("how", d.How))
	s.progress("drift: %s: %s %q now reads %q (%s): update the selectors (bot check writes the fix)", d.Element, what, expected, seen, d.How)
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

// Location is the URL of the tab of ctx.
func (s *Session) Location(ctx context.Context) (*url.URL, error) {
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return nil, err
	}
	return url.Parse(loc)
}

// at is the URL href says (the address a look of the page script read),
// or, when it is empty, the tab's own.
func (s *Session) at(ctx context.Context, href string) (*url.URL, error) {
	if href == "" {
		return s.Location(ctx)
	}
	return url.Parse(href)
}

// Navigate loads u in the tab of ctx; a network error is "unavailable".
// The first tab's first page, when the browser was launched on it
// (FirstPage), is not asked for again: Navigate waits for it to load, and
// returns its HTTP status, which that wait tells. Other loads give 0 (the
// caller asks the page: documentStatus).
func (s *Session) Navigate(ctx context.Context, u string) (status int, err error) {
	if s.launchedOn(ctx, u) {
		status, err := browser.FirstLoad(ctx)
		if err == nil {
			return status, nil
		}
		if ctx.Err() != nil {
			return 0, fail.Wrap(fail.Unavailable, fmt.Errorf("open %s: %w", redactURL(u), err))
		}
		// Not loaded (an error page, or no page at all): ask as usual,
		// which says what went wrong.
		s.Env.Log.Debug("the first page of the launch", zap.Error(err))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return 0, fail.Wrap(fail.Unavailable, fmt.Errorf("open %s: %w", redactURL(u), err))
	}
	return 0, nil
}

// launchedOn says the tab of ctx is the browser's first tab, launched on u
// and not navigated since: the first navigation of that tab answers it,
// once.
func (s *Session) launchedOn(ctx context.Context, u string) bool {
	c, first := chromedp.FromContext(ctx), chromedp.FromContext(s.first)
	if c == nil || first == nil || c.Target == nil || c.Target != first.Target {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	on := s.launched
	s.launched = ""
	return on != "" && on == u
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

// run executes the steps, those of each tab in order and the tabs side by
// side, each step with its own timeout, progress, screenshot and record in
// the report. The first failure stops the run: the other tab ends the step
// it is in (so a secret it is reading is stored) and starts no other.
func (s *Session) run(ctx context.Context, steps []Step) outcome {
	r := &runner{s: s, total: len(steps), pos: map[string]int{}, done: map[string]chan struct{}{}, stop: make(chan struct{})}
	lanes := map[string][]Step{}
	var order []string
	for i, st := range steps {
		r.pos[st.Name] = i + 1
		r.done[st.Name] = make(chan struct{})
		if _, ok := lanes[st.tab()]; !ok {
			order = append(order, st.tab())
		}
		lanes[st.tab()] = append(lanes[st.tab()], st)
	}
	ctx, r.kill = context.WithCancel(ctx)
	defer r.kill()
	var wg sync.WaitGroup
	for _, name := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.lane(ctx, name, lanes[name])
		}()
	}
	wg.Wait()
	if r.err == nil && r.abandoned == nil && ctx.Err() != nil {
		// Stopped while waiting for the other tab, with no step failing.
		for _, st := range steps {
			select {
			case <-r.done[st.Name]:
				continue
			default:
			}
			r.err = &fail.Error{Kind: fail.Other, Portal: portalOf(st.Name),
				Hint: "the state is saved: run again to continue",
				Err:  fmt.Errorf("%s: stopped (interrupted)", st.Name)}
			r.failed = st.Name
			break
		}
	}
	return outcome{err: r.err, failed: r.failed, expired: r.expired, abandoned: r.abandoned}
}

// outcome is how a pass of the engine ended.
type outcome struct {
	err       error  // the first failure, nil when every step is done
	failed    string // its step
	expired   bool   // it was the portal ending the session: the run may start over
	abandoned error  // what Env.AfterStep returned, when it stopped the run
}

// runner is one pass of the engine over the steps.
type runner struct {
	s     *Session
	total int
	pos   map[string]int           // 1-based place of each step in the flow
	done  map[string]chan struct{} // closed when the step is done
	kill  context.CancelFunc       // abandons the run (Env.AfterStep)

	mu        sync.Mutex
	stop      chan struct{} // closed on the first failure
	err       error         // the first failure
	failed    string        // its step
	expired   bool          // it was the portal ending the session
	abandoned error         // what Env.AfterStep returned
}

// stopped says the run is over for the steps not yet started.
func (r *runner) stopped() bool {
	select {
	case <-r.stop:
		return true
	default:
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.abandoned != nil
}

// lane runs the steps of one tab in order.
func (r *runner) lane(ctx context.Context, tab string, steps []Step) {
	for _, st := range steps {
		for _, name := range st.After {
			ch, ok := r.done[name]
			if !ok {
				continue
			}
			select {
			case <-ch:
			case <-r.stop:
				return
			case <-ctx.Done():
				return
			}
		}
		if r.stopped() {
			return
		}
		if err := r.step(ctx, tab, st); err != nil {
			return
		}
		close(r.done[st.Name])
		if r.s.Env.AfterStep != nil {
			if err := r.s.Env.AfterStep(st.Name); err != nil {
				r.mu.Lock()
				if r.abandoned == nil {
					r.abandoned = err
				}
				r.mu.Unlock()
				r.kill() // the other tab's step ends where it is, as in a kill
				return
			}
		}
	}
}

func (r *runner) isAbandoned() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.abandoned != nil
}

// record adds a step's outcome to the summary, with the times its work
// started and ended from the start of the run (a screenshot after it is
// not part of it), and returns it.
func (r *runner) record(rec report.Step, start, end time.Time) report.Step {
	s := r.s
	rec.StartedMS, rec.EndedMS = start.Sub(s.t0).Milliseconds(), end.Sub(s.t0).Milliseconds()
	rec.DurationMS = end.Sub(start).Milliseconds()
	s.locked(func() { s.Summary.Steps = append(s.Summary.Steps, rec) })
	return rec
}

// step runs one step in its tab; a non-nil error ends the lane.
func (r *runner) step(ctx context.Context, tabName string, st Step) error {
	s := r.s
	pos := r.pos[st.Name]
	rec := report.Step{Name: st.Name, Status: "ok"}
	start := s.Env.Now()
	if st.Done != nil && st.Done(s) {
		rec.Status = "done-before"
		r.record(rec, start, start)
		s.progress("[%2d/%d] %s: done before", pos, r.total, st.Name)
		return nil
	}
	if s.Env.Mode == ModeCheck && st.Writes {
		rec.Status = "skipped"
		r.record(rec, start, start)
		s.progress("skip %s (writes; check mode)", st.Name)
		return nil
	}
	s.progress("[%2d/%d] %s: %s", pos, r.total, st.Name, st.Guide)
	tab, err := s.tab(tabName)
	if err == nil {
		timeout := s.Env.Config.Browser.StepTimeout
		if d, ok := s.Env.StepTimeouts[st.Name]; ok {
			timeout = d
		}
		sctx, cancel := context.WithTimeout(tab, timeout)
		stop := context.AfterFunc(ctx, cancel) // the run's own end stops the step too
		err = st.Do(sctx, s)
		stop()
		cancel()
	} else {
		tab = s.first
	}
	end := s.Env.Now()
	if r.isAbandoned() {
		return errAbandoned // a kill: nothing recorded, nothing saved
	}
	if err != nil && s.Env.Mode == ModeCheck && s.checkContinues(tab, err) {
		rec.Status, rec.Error = "failed", s.Scrub(err.Error())
		r.record(rec, start, end)
		s.progress("%s: %v (checking on)", st.Name, rec.Error)
		return nil
	}
	if err != nil {
		err = s.classify(ctx, tab, st, err)
		r.mu.Lock()
		first := r.err == nil
		if first {
			r.err, r.failed = err, st.Name
			close(r.stop)
		}
		r.mu.Unlock()
		rec.Status, rec.Error = "failed", s.Scrub(err.Error())
		var files []string
		rec.Screenshot, files = s.saveFailure(tab, st, pos, err)
		if first {
			s.locked(func() { s.failureFiles = files })
			r.expired = s.Env.Mode == ModeRun && !st.SignsIn && s.signedOutDuring(tab, err)
		}
		r.record(rec, start, end)
		s.Env.Log.Warn("step failed", zap.String("step", st.Name), zap.Error(errors.New(rec.Error)))
		return err
	}
	err = s.saveState()
	if err == nil {
		err = s.takeShots(ctx, tab, st) // bot shots (shots.go)
	}
	if err != nil {
		r.mu.Lock()
		if r.err == nil {
			r.err, r.failed = err, st.Name
			close(r.stop)
		}
		r.mu.Unlock()
		return err
	}
	if s.wantScreenshot(st.Name) {
		rec.Screenshot = s.screenshot(tab, st, filepath.Join(s.outDir(), "screenshots", s.Provider, fmt.Sprintf("%02d-%s.png", pos, st.Name)))
	}
	rec = r.record(rec, start, end)
	s.Env.Log.Debug("step done", zap.String("step", st.Name), zap.Int64("ms", rec.DurationMS))
	return nil
}

// errAbandoned ends a lane of a run that Env.AfterStep abandoned.
var errAbandoned = errors.New("run abandoned")

// wantScreenshot says whether the step gets a docs screenshot: the steps
// output.screenshot_steps names (unless output.screenshots is "off"), else
// every step with output.screenshots "steps".
func (s *Session) wantScreenshot(step string) bool {
	o := s.Env.Config.Output
	if len(o.ScreenshotSteps) > 0 {
		return o.Screenshots != "off" && slices.Contains(o.ScreenshotSteps, step)
	}
	return o.Screenshots == "steps"
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
func (s *Session) classify(ctx, tab context.Context, st Step, err error) error {
	portal := portalOf(st.Name)
	if errors.Is(ctx.Err(), context.Canceled) {
		return &fail.Error{Kind: fail.Other, Portal: portal,
			Hint: "the state is saved: run again to continue",
			Err:  fmt.Errorf("%s: stopped (interrupted)", st.Name)}
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		if fe.Portal == "" {
			fe.Portal = portal
		}
		return fmt.Errorf("%s: %w", st.Name, err)
	}
	var blocked *locate.BlockedError
	if errors.As(err, &blocked) {
		return &fail.Error{Kind: fail.Mismatch, Portal: portal, Page: blocked.Page, Element: blocked.Element,
			Hint: "the portal added a question or field the bot does not know: answer it once by hand, or update the bot",
			Err:  fmt.Errorf("%s: %w", st.Name, err)}
	}
	var nl *locate.NoLocatorError
	if errors.As(err, &nl) {
		return &fail.Error{Kind: fail.Config, Portal: portal, Err: fmt.Errorf("%s: %w", st.Name, err)}
	}
	var nf *locate.NotFoundError
	if errors.As(err, &nf) {
		// A page that answered with a server error or did not load is the
		// portal being down, not its UI having changed.
		if status := s.documentStatus(tab); status >= 500 {
			return &fail.Error{Kind: fail.Unavailable, Portal: portal, Page: nf.Page,
				Err: fmt.Errorf("%s: the portal answered HTTP %d: %w", st.Name, status, err)}
		}
		if ctx.Err() != nil {
			return &fail.Error{Kind: fail.Unavailable, Portal: portal, Err: fmt.Errorf("%s: %w", st.Name, ctx.Err())}
		}
		return &fail.Error{Kind: fail.Mismatch, Portal: portal, Page: nf.Page, Element: nf.Element,
			Hint: "the portal's page changed or is slow: see the saved screenshot and HTML, and selectors_dir to override a selector",
			Err:  fmt.Errorf("%s: %w", st.Name, err)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &fail.Error{Kind: fail.Unavailable, Portal: portal,
			Hint: fmt.Sprintf("no answer within browser.step_timeout (%s)", s.Env.Config.Browser.StepTimeout),
			Err:  fmt.Errorf("%s: %w", st.Name, err)}
	}
	return &fail.Error{Kind: fail.Other, Portal: portal, Err: fmt.Errorf("%s: %w", st.Name, err)}
}

// documentStatus is the HTTP status of the document of the tab of ctx.
func (s *Session) documentStatus(tab context.Context) int {
	ctx, cancel := context.WithTimeout(tab, 2*time.Second)
	defer cancel()
	return browser.DocumentStatus(ctx)
}

// saveState records what the run has done so far (after every step), so a
// rerun continues where this one stopped.
func (s *Session) saveState() error {
	if s.state == nil || s.Env.Mode != ModeRun {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
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
	return &fail.Error{Kind: fail.Mismatch, Portal: s.Provider, Page: nf.Page, Element: nf.Element,
		Hint: fmt.Sprintf("the state file %s says app %s exists, but My Apps has no app named %q: if it was deleted or renamed, remove that file to start over",
			state.Path(s.outDir(), s.Provider, s.Env.Config.App.Name), s.AppID, s.Env.Config.App.Name),
		Err: err}
}
