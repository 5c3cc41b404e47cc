package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/secret"
	"portalbot/internal/session"
)

// Sessions that last: each portal account's signed-in browser state
// (cookies, local storage) is kept in a file (internal/session) and loaded
// before the first page, so a scheduled run reuses what a person or an
// earlier run signed in, and never meets a captcha, an emailed code or a
// push approval again while the session lasts. A run that signs in writes
// a fresh file at once; every portal that showed a signed-in page is
// written again at the end of the run, so the file follows the portal's
// own refreshes.

// sessionFiles is what a run knows of its portals' session files. The
// portals' tabs sign in side by side: its maps change under the session's
// lock (files, loadedState, setLoaded, markReady, isReady).
type sessionFiles struct {
	loaded map[string]*session.State // what each file held at the start
	ready  map[string]bool           // portals that showed a signed-in page
}

func (s *Session) files() *sessionFiles {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sess == nil {
		s.sess = &sessionFiles{loaded: map[string]*session.State{}, ready: map[string]bool{}}
	}
	return s.sess
}

func (s *Session) loadedState(portal string) *session.State {
	f := s.files()
	s.mu.Lock()
	defer s.mu.Unlock()
	return f.loaded[portal]
}

func (s *Session) setLoaded(portal string, st *session.State) {
	f := s.files()
	s.locked(func() { f.loaded[portal] = st })
}

func (s *Session) markReady(portal string) {
	f := s.files()
	s.locked(func() { f.ready[portal] = true })
}

func (s *Session) isReady(portal string) bool {
	f := s.files()
	s.mu.Lock()
	defer s.mu.Unlock()
	return f.ready[portal]
}

// sessionPortals are the portals a run for target signs in to.
func sessionPortals(target string) []string {
	ps, _ := portalsOf(target)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

// portalOrigins are the origins whose cookies and storage make up portal's
// session: its sign-in host and its app.
func (s *Session) portalOrigins(portal string) []string {
	if p := portalNamed(portal); p != nil {
		return p.Origins(s.Env.Config)
	}
	return nil
}

// portalAccount is the email of the account the bot signs in to portal with.
func (s *Session) portalAccount(portal string) string {
	if p := portalNamed(portal); p != nil {
		return s.Env.Config.Value(p.Config.Email)
	}
	return ""
}

// SessionPath is the session file of portal's account under cfg.
func (s *Session) SessionPath(portal string) string {
	return session.Path(s.Env.Config.Sessions(), portal, s.portalAccount(portal))
}

func (s *Session) sessionsOn() bool {
	return !s.Env.Config.Browser.NoSession
}

// keepValues registers a state's cookie and storage values as secrets, so
// they are scrubbed from every message and file and covered in screenshots.
// Short values ("1", "true") are flags, not credentials, and would scrub
// ordinary words.
func (s *Session) keepValues(st *session.State) {
	for _, v := range st.Values() {
		if len(v) >= minSecretCookie {
			s.AddSecret(secret.New(v))
		}
	}
}

// minSecretCookie is the length from which a cookie or storage value is
// treated as a credential.
const minSecretCookie = 12

// restoreSessions loads the session files of the run's portals into the
// browser before its first page. A missing file is a first run; a file
// that cannot be read or loaded is reported and the run signs in as if it
// had none.
func (s *Session) restoreSessions(ctx context.Context) {
	if !s.sessionsOn() {
		return
	}
	for _, portal := range sessionPortals(s.Provider) {
		path := s.SessionPath(portal)
		st, err := session.Read(path)
		if err != nil {
			s.progress("the saved %s session is not used: %v", portal, err)
			continue
		}
		if st == nil {
			continue
		}
		s.keepValues(st)
		s.setLoaded(portal, st)
		rctx, cancel := context.WithTimeout(ctx, s.Env.Config.Browser.StepTimeout)
		err = session.Restore(rctx, st, s.portalOrigins(portal), s.Env.Now())
		cancel()
		if err != nil {
			s.Env.Log.Warn("could not load the saved session", zap.String("portal", portal), zap.String("file", path), zap.Error(errors.New(s.Scrub(err.Error()))))
			continue
		}
		s.progress("using the saved %s session %s", portal, path)
	}
}

// sessionReady is told that portal's signed-in page showed in the tab of
// ctx; signedIn says the bot signed in to get there, and then the session
// file is written at once, so a run that fails later keeps it. Its local
// storage is read from that tab alone: another tab may be loading a page,
// and waiting for it would hold this one up.
func (s *Session) sessionReady(ctx context.Context, portal string, signedIn bool) {
	s.markReady(portal)
	if signedIn {
		s.saveSession(ctx, portal)
	}
}

// saveSessions writes again the session file of every portal that showed a
// signed-in page during the run (the portal may have refreshed its cookies).
// The portals' captures run side by side: each is a few calls to the
// browser, on the exit's path.
func (s *Session) saveSessions(ctx context.Context) {
	if ctx.Err() != nil {
		return // stopped: the browser may be going away
	}
	s.mu.Lock()
	main := s.first
	var pages []context.Context
	for _, t := range s.tabs {
		pages = append(pages, t)
	}
	s.mu.Unlock()
	var wg sync.WaitGroup
	for _, portal := range sessionPortals(s.Provider) {
		if s.isReady(portal) {
			wg.Go(func() {
				sctx, cancel := context.WithTimeout(main, s.Env.Config.Browser.StepTimeout)
				defer cancel()
				s.saveSession(sctx, portal, pages...)
			})
		}
	}
	wg.Wait()
}

// saveSession captures portal's state from the browser (its local storage
// from pages) and writes its file. A failure is a warning: the run itself
// succeeded, the next one signs in.
func (s *Session) saveSession(ctx context.Context, portal string, pages ...context.Context) {
	if !s.sessionsOn() {
		return
	}
	path := s.SessionPath(portal)
	loaded := s.loadedState(portal)
	st, err := session.Capture(ctx, s.portalOrigins(portal), loaded, pages...)
	if st != nil {
		s.keepValues(st)
	}
	if err == nil && st.Same(loaded) {
		// The file holds it already (read at the start, or written at the
		// sign-in): the end of a run writes nothing it would not change.
		return
	}
	if err == nil && len(st.Cookies) == 0 {
		// A signed-in portal with no cookie at all is a capture gone
		// wrong: keep the earlier file rather than an empty one.
		err = errors.New("no cookie of the portal's origins in the browser; the earlier file is kept")
	}
	if err == nil {
		err = session.Write(path, st)
	}
	if err != nil {
		s.Env.Log.Warn("could not save the session", zap.String("portal", portal), zap.String("file", path), zap.Error(errors.New(s.Scrub(err.Error()))))
		return
	}
	s.setLoaded(portal, st)
	s.Env.Log.Debug("session saved", zap.String("portal", portal), zap.String("file", path), zap.Int("cookies", len(st.Cookies)))
}

// personHint is the hint of a sign-in only a person can finish (a captcha,
// an emailed code, a push approval): `bot login`, and the file it writes.
func (s *Session) personHint(portal string) string {
	h := fmt.Sprintf("a person must sign in once: run `bot login %s` on a machine with a display (it saves the session to %s; copy that file here if you run it elsewhere), then run the bot again",
		portal, s.SessionPath(portal))
	if !s.sessionsOn() {
		h += " without --no-session"
	}
	return h
}

// tickTrust ticks the two-step page's "Trust this device" / "Remember me",
// when the page has one, so the session file keeps the trusted-device
// cookie and the next sign-in needs no code.
func (s *Session) tickTrust(ctx context.Context, f *locate.Finder, si *signIn) {
	if si.trust == "" || !s.sessionsOn() {
		return
	}
	m, _, err := f.Probe(ctx, s.El(si.trust))
	if err != nil || m == nil {
		return
	}
	if err := m.SetChecked(ctx, true); err != nil {
		s.Env.Log.Debug("could not tick the trust-this-device box", zap.String("portal", si.portal), zap.Error(err))
	}
}

// Login opens portal's signed-in page in the tab of ctx (a visible browser,
// or one attached through browser.remote_url) and, when the portal shows
// its sign-in instead, fills what the bot can (email, password, a code
// from the TOTP secret, "Trust this device") and waits, up to wait, while a
// person does the rest: a captcha, an emailed code, a push approval. Once
// the signed-in page shows, it saves the session file and returns its
// path. Credentials are typed only on the portal's sign-in origin.
func Login(ctx context.Context, env *Env, portal string, wait time.Duration) (string, error) {
	env.Mode = ModeLogin
	s := newSession(ctx, env, portal)
	si, readyURL, ready, err := loginTarget(s, portal)
	if err != nil {
		return "", err
	}
	path := s.SessionPath(portal)
	if st, err := session.Read(path); err != nil {
		s.progress("not using the earlier session: %v", err)
	} else if st != nil {
		s.keepValues(st)
		s.setLoaded(portal, st)
		if err := session.Restore(ctx, st, s.portalOrigins(portal), env.Now()); err != nil {
			s.progress("could not load the earlier session: %v", s.Scrub(err.Error()))
		} else {
			s.progress("loaded the earlier session %s", path)
		}
	}
	if _, err := s.Navigate(ctx, readyURL); err != nil {
		return "", err
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	person := &locate.Finder{Vars: s.varsNow(), Set: s.Env.Selectors} // a person may go anywhere: no origin guard
	first := si.screens[0].fields[0].element
	m, err := person.First(wctx, s.El(ready), s.El(first), s.El(si.captcha))
	if err != nil {
		return "", s.loginWaitErr(ctx, wctx, portal, wait, err)
	}
	if m.Element.Name == si.captcha {
		s.progress("solve the check in the browser window; the bot fills in the rest")
		if m, err = person.First(wctx, s.El(ready), s.El(first)); err != nil {
			return "", s.loginWaitErr(ctx, wctx, portal, wait, err)
		}
	}
	if m.Element.Name != ready {
		s.progress("filling in the sign-in of %s", si.email)
		sctx, scancel := context.WithTimeout(wctx, env.Config.Browser.StepTimeout)
		_, err := s.signIn(sctx, si, ready, nil)
		scancel()
		var fe *fail.Error
		if errors.As(err, &fe) && fe.Kind == fail.Unsafe {
			return "", err
		}
		if err != nil {
			s.progress("%s", loginNeedsPerson(err))
		}
		if err := s.waitForPerson(wctx, person, si, ready); err != nil {
			return "", s.loginWaitErr(ctx, wctx, portal, wait, err)
		}
	}
	s.markReady(portal)
	sctx, scancel := context.WithTimeout(ctx, env.Config.Browser.StepTimeout)
	defer scancel()
	st, err := session.Capture(sctx, s.portalOrigins(portal), s.loadedState(portal))
	if err == nil {
		err = session.Write(path, st)
	}
	if err != nil {
		return "", &fail.Error{Kind: fail.Other, Portal: portal, Err: fmt.Errorf("signed in, but could not save the session: %s", s.Scrub(err.Error()))}
	}
	return path, nil
}

// ModeLogin is `bot login`: sign in with a person's help, keep the session.
const ModeLogin Mode = "login"

// loginTarget is the sign-in of portal, the page a signed-in account sees
// and that page's ready element.
func loginTarget(s *Session, portal string) (*signIn, string, string, error) {
	if p := portalNamed(portal); p != nil {
		return p.SignIn(s), p.Home(s), p.HomeReady, nil
	}
	return nil, "", "", fail.New(fail.Config, "unknown portal %q: choose one of %s", portal, strings.Join(LoginPortals, ", "))
}

// loginNeedsPerson says what the person is to do after the bot stopped.
func loginNeedsPerson(err error) string {
	return "finish signing in in the browser window (the bot stopped: " + firstLine(err.Error()) + ")"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// waitForPerson waits for the signed-in page while a person finishes the
// sign-in, ticking "Trust this device" for them when the two-step page
// shows it.
func (s *Session) waitForPerson(ctx context.Context, person *locate.Finder, si *signIn, ready string) error {
	ticked := false
	return locate.Until(ctx, "the signed-in page", func(ctx context.Context) (bool, error) {
		if m, _, _ := person.Probe(ctx, s.El(ready)); m != nil {
			return true, nil
		}
		if !ticked && si.trust != "" {
			if m, _, _ := person.Probe(ctx, s.El(si.trust)); m != nil {
				ticked = m.SetChecked(ctx, true) == nil
			}
		}
		return false, nil
	})
}

// loginWaitErr explains a wait for the person that ended without the
// signed-in page.
func (s *Session) loginWaitErr(ctx, wctx context.Context, portal string, wait time.Duration, err error) error {
	switch {
	case ctx.Err() != nil:
		return &fail.Error{Kind: fail.Other, Portal: portal, Err: fmt.Errorf("login stopped before the %s sign-in finished: %w", portal, ctx.Err())}
	case wctx.Err() != nil:
		return &fail.Error{Kind: fail.Unavailable, Portal: portal,
			Hint: "run bot login again, with a longer --wait if needed",
			Err:  fmt.Errorf("the %s sign-in did not finish within %s", portal, wait)}
	}
	return &fail.Error{Kind: fail.Other, Portal: portal, Err: fmt.Errorf("waiting for the %s sign-in: %s (was the browser window closed?)", portal, s.Scrub(err.Error()))}
}
