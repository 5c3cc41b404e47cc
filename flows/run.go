package flows

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"portalbot/internal/fail"
	"portalbot/internal/report"
	"portalbot/internal/secret"
	"portalbot/internal/state"
	"portalbot/internal/store"
)

// Steps returns the whole job for provider, in the guide's order: the
// provider's part, then the one Codat part every provider shares. The
// Codat part runs in its own tab alongside the provider's (Step.Tab,
// Step.After).
func Steps(provider string) ([]Step, error) {
	p, err := providerNamed(provider)
	if err != nil {
		return nil, err
	}
	f := p.Provider.Run()
	steps := append([]Step{p.signInStep()}, f.Steps...)
	steps = append(steps, codatSteps(p, f.Keys)...)
	return append(steps, f.Final...), nil
}

// codatSteps are Codat's sign-in and part of provider p's job, in Codat's
// tab, typing the keys once the step keys has them.
func codatSteps(p *Portal, keys string) []Step {
	si := codatPortal.signInStep()
	si.Tab = TabCodat
	return append([]Step{si}, p.Provider.Integration.steps(keys)...)
}

func runProvider(ctx context.Context, env *Env, provider string) (*report.Summary, error) {
	start := env.Now()
	if env.Mode == "" {
		env.Mode = ModeRun
	}
	steps, err := StepsFor(provider, env.Mode)
	if err != nil {
		return nil, err
	}
	s := newSession(ctx, env, provider)
	env.Scrub = s.Scrub
	if env.Mode == ModeRun {
		lock, err := state.Acquire(s.outDir(), provider, env.Config.App.Name)
		if err != nil {
			return s.Summary, err
		}
		defer func() { _ = lock.Release() }()
		if s.state, err = state.Load(s.outDir(), provider, env.Config.App.Name); err != nil {
			return s.Summary, err
		}
		s.resume()
		s.codatHeldAtStart = s.codatHolds()
	}
	s.restoreSessions(ctx)
	out := s.run(ctx, steps)
	if out.abandoned != nil {
		return s.Summary, out.abandoned // as a kill: no restart, no report
	}
	// A session that expires in the middle of a step (a form posted, then
	// the sign-in page) is not a changed portal: every step can resume from
	// the state, so the run starts over once, signing in again.
	for restarts := 0; out.err != nil && out.expired && restarts < MaxRestarts; restarts++ {
		s.progress("the portal signed us out during %s: starting over from the saved state", out.failed)
		steps, _ = Steps(provider)
		s.resume()
		s.codatHeldAtStart = s.codatHolds()
		if out = s.run(ctx, steps); out.abandoned != nil {
			return s.Summary, out.abandoned
		}
	}
	s.saveSessions(ctx)
	err = out.err
	if err == nil && env.Mode == ModeCheck {
		err = checkOutcome(s)
	}
	s.Summary.DurationMS = env.Now().Sub(start).Milliseconds()
	if err != nil {
		s.Summary.Error = errorReport(s, err)
	}
	return s.Summary, err
}

func errorReport(s *Session, err error) *report.ErrorReport {
	s.mu.Lock()
	files := s.failureFiles
	s.mu.Unlock()
	r := &report.ErrorReport{Kind: fail.KindOf(err).String(), ExitCode: fail.ExitCode(err), Message: s.Scrub(err.Error()), Files: files}
	var fe *fail.Error
	if errors.As(err, &fe) {
		r.Portal, r.Page, r.Element = fe.Portal, fe.Page, fe.Element
	}
	return r
}

// SecretPath is where the client secret of provider's app is stored.
func SecretPath(out, provider, app string) string {
	return filepath.Join(out, "secrets", fmt.Sprintf("%s-%s.secret", provider, state.Slug(app)))
}

// resume takes from the state what an earlier run already has: the app, and
// a secret stored and still matching its fingerprint.
func (s *Session) resume() {
	st := s.state
	if st.AppID != "" {
		s.setApp(st.AppID, st.AppURL)
	}
	if st.SecretFile == "" || st.ClientID == "" {
		return
	}
	sec, err := store.ReadSecret(st.SecretFile)
	if err != nil || sec.Fingerprint() != st.SecretFingerprint {
		s.progress("the stored secret %s is missing or changed: a new one will be generated", st.SecretFile)
		st.SecretFile, st.SecretFingerprint = "", ""
		return
	}
	s.AddSecret(sec)
	s.locked(func() {
		s.ClientID, s.ClientSecret = st.ClientID, sec
		s.Summary.ClientID = st.ClientID
		s.Summary.Secret = report.SecretRef{File: st.SecretFile, SHA256Prefix: st.SecretFingerprint}
	})
	s.progress("resuming from %s", st.File())
}

// secretInHand says the run holds a client id and secret (read in this run
// or stored by an earlier one), so the provider's part is done.
func (s *Session) secretInHand() bool { return s.ClientID != "" && !s.ClientSecret.Empty() }

// codatHeld says Codat held this run's keys when the run started, so its
// settings steps are done before (the state changes during the run; this
// does not).
func (s *Session) codatHeld() bool { return s.codatHeldAtStart }

// codatHolds says Codat was given this very client id and secret.
func (s *Session) codatHolds() bool {
	return s.state != nil && s.secretInHand() && s.state.CodatClientID == s.ClientID &&
		s.state.CodatFingerprint == s.ClientSecret.Fingerprint()
}

// storeSecret writes the secret to its file (0600, atomic) and records
// where, and its fingerprint, in the summary: never the value.
func (s *Session) storeSecret(v secret.Secret) error {
	p := SecretPath(s.outDir(), s.Provider, s.Env.Config.App.Name)
	fp, err := store.WriteSecret(p, v)
	if err != nil {
		return &fail.Error{Kind: fail.Other, Err: fmt.Errorf("the secret was read but could not be stored: %w", err)}
	}
	s.locked(func() {
		s.Summary.Secret = report.SecretRef{File: p, SHA256Prefix: fp}
		if s.state != nil {
			s.state.SecretFile, s.state.SecretFingerprint = p, fp
			s.state.SecretStoredAt = s.Env.Now().UTC()
		}
	})
	if err := s.saveState(); err != nil {
		return err
	}
	s.progress("secret stored in %s (sha256 %s…)", p, fp)
	return nil
}

// finalSteps finish the provider's tab while Codat takes the keys: the
// connection limit of an uncertified app, then (once Codat holds the new
// secret) the older secret nothing holds any more. The limit is read once
// Codat has saved the keys: My Apps loading beside Codat's typing and
// Save would share the cores with the run's critical path, while Codat's
// Enable dialog, which follows, leaves the tab a second with nothing to do.
func (x *xero) finalSteps() []Step {
	return []Step{
		{Name: "xero.read_connection_limit", After: []string{"codat.save"}, Guide: "Note the app's connection limit (25 in the guide, 5 under Xero's 2026 pricing)",
			Frame: "xero.my_apps.connection_limit", Do: x.readConnectionLimit},
		{Name: "xero.remove_unused_secrets", After: []string{"codat.save"}, Guide: "Remove the older client secret, which nothing holds now (rotation)", Writes: true, Do: x.removeUnusedSecrets},
	}
}

// readConnectionLimit reads the limit on My Apps. An app that existed had
// it read there at the start (xero.open_my_apps); a new one shows it once
// created, so the tab goes back to My Apps while Codat takes the keys.
func (x *xero) readConnectionLimit(ctx context.Context, s *Session) error {
	if s.Summary.Limits.Connections != "" && !s.wantScreenshot("xero.read_connection_limit") {
		return nil // read on the way in; a docs run still shows the page
	}
	if _, err := s.open(ctx, xeroSignIn(s), x.myAppsURL(s), "xero.my_apps.heading"); err != nil {
		return err
	}
	m, err := s.Find(ctx, "xero.my_apps.connection_limit")
	if err != nil {
		return err
	}
	v, err := m.Value(ctx)
	if err != nil {
		return err
	}
	s.Summary.Limits.Connections = strings.TrimSpace(v)
	return nil
}

// MaxRestarts is how many times a run starts over after a session expired
// in the middle of a step.
var MaxRestarts = 1

// onSignInPage says the tab shows one of the portals' sign-in forms.
func (s *Session) onSignInPage(tab context.Context) bool {
	ctx, cancel := context.WithTimeout(tab, 3*time.Second)
	defer cancel()
	f := s.finder(nil)
	for _, p := range registry {
		for _, sc := range p.SignIn(s).screens {
			for _, fl := range sc.fields {
				if m, _, _ := f.Probe(ctx, s.El(fl.element)); m != nil {
					return true
				}
			}
		}
	}
	return false
}

// errSignedOut is what a wait returns when the portal shows its sign-in page
// instead of the page the step expects.
var errSignedOut = errors.New("the portal signed us out")

// signedOutDuring says err, in tab, is the portal ending the session
// mid-step; a refused sign-in, a captcha or an unsafe page never qualify.
func (s *Session) signedOutDuring(tab context.Context, err error) bool {
	if errors.Is(err, errSignedOut) {
		return true
	}
	k := fail.KindOf(err)
	return (k == fail.Mismatch || k == fail.Unavailable) && s.onSignInPage(tab)
}

// signedOut is the guard of every wait outside sign-in: the tab on a
// sign-in page (the identity host, or a sign-in path) ends the wait at once.
func (s *Session) signedOut(ctx context.Context, href string) error {
	u, err := s.at(ctx, href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	portal := ""
	for _, p := range registry {
		if p.OnSignInPage(s.Env.Config, u) {
			portal = p.Name
			break
		}
	}
	if portal == "" {
		return nil
	}
	return &fail.Error{Kind: fail.Unavailable, Portal: portal, Err: fmt.Errorf("%w (session expired?) while on %s", errSignedOut, redactURL(u.String()))}
}
