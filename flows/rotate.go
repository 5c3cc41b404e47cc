package flows

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/report"
	"portalbot/internal/state"
)

// bot rotate replaces the client secret of an app that bot run set up,
// reusing the run's steps: the provider's sign-in and app, Codat's part, and
// Xero's secret slots.
//
// Xero has two secret slots, so a rotation has no downtime: the new secret
// goes into the free slot, is stored before the page is left, is delivered
// to Codat, and only once Codat saved it is the older one removed. The state
// records each stage (RotationStarted, CodatSlot, SecretStoredAt), so a run
// killed anywhere and started again finishes the same rotation: Codat holds
// a live secret at every moment, and the secret file ends matching Codat's.
//
// FreeAgent can only regenerate its one secret: the old one stops working
// at once, so Codat holds a dead secret until it saves the new one. That gap
// is refused unless the user accepts it (--accept-gap); then the secret is
// regenerated and delivered in one go and the gap's length reported.

// rotation is one bot rotate run.
type rotation struct {
	opts RotateOptions
	x    *xero
	fa   *freeagent

	notDue      bool      // the live secret is younger than --max-age: every step is done
	resumed     bool      // an earlier, interrupted rotation already stored the new secret
	deliver     bool      // Codat does not hold the secret in hand: its settings steps run
	removeFirst int       // Xero: the slot to free before generating (Codat does not hold it)
	gapStart    time.Time // FreeAgent: when the old secret stopped working
}

// RotateSteps returns the steps of bot rotate for provider, in order.
func RotateSteps(provider string) ([]Step, error) {
	p, err := providerNamed(provider)
	if err != nil {
		return nil, err
	}
	return (&rotation{x: &xero{}, fa: &freeagent{}}).steps(p), nil
}

// CheckRotate refuses, before anything starts, a rotation that would cut
// Codat off: a portal that can only regenerate (FreeAgent) without
// --accept-gap.
func CheckRotate(provider string, opts RotateOptions) error {
	p, err := providerNamed(provider)
	if err != nil {
		return err
	}
	if p.Provider.RegenerateOnly && !opts.AcceptGap {
		return &fail.Error{Kind: fail.Unsafe, Portal: p.Name,
			Hint: "to rotate anyway, at a quiet time, add --accept-gap: the bot regenerates and delivers in one go and reports the gap",
			Err: fmt.Errorf("%s can only regenerate an app's secret: the old one stops working at once, so Codat's %s "+
				"connections fail until Codat holds the new one (there is no second slot as on Xero); nothing was done", p.Title, p.Title)}
	}
	return nil
}

// steps are the rotation of p: its sign-in and part (ProviderFlow.Rotate),
// Codat's sign-in and part, which deliver only when a new secret was made,
// then p's final steps.
func (r *rotation) steps(p *Portal) []Step {
	notDue := func(*Session) bool { return r.notDue }
	held := func(*Session) bool { return r.notDue || !r.deliver }
	f := p.Provider.Rotate(r)
	steps := append([]Step{p.signInStep()}, f.Steps...)
	for _, st := range codatSteps(p, f.Keys) {
		if st.Done != nil {
			st.Done = held
			// Whether Codat gets a new secret is known only once the
			// provider's lane has planned and generated it.
			st.After = []string{f.Keys}
		} else {
			st.Done = notDue
		}
		if st.Name == "codat.save" {
			st.Do = r.saveInCodat(st.Do)
		}
		steps = append(steps, st)
	}
	return append(steps, f.Final...)
}

// xeroSteps are Xero's part of a rotation (after its sign-in).
func (r *rotation) xeroSteps() Flow {
	notDue := func(*Session) bool { return r.notDue }
	generated := func(*Session) bool { return r.notDue || r.resumed }
	x := r.x
	return Flow{Keys: "xero.generate_secret", Steps: []Step{
		{Name: "xero.open_my_apps", Guide: "Select the My Apps tab", Frame: "xero.my_apps.app_link", Do: x.openMyApps},
		{Name: "xero.open_app", Guide: "Open the app named in the configuration", Do: r.openXeroApp},
		{Name: "xero.open_configuration", Guide: "Select Configuration in the left pane", Do: x.openConfiguration},
		{Name: "xero.reveal_client_id", Guide: "Click the eye icon to reveal the client id", Frame: "xero.configuration.client_id", Do: x.revealClientID},
		{Name: "xero.plan_rotation", Guide: "Read both client secret slots: which one Codat holds, and how old it is", Do: r.planXero},
		{Name: "xero.remove_unheld_secret", Guide: "Both slots are full: remove the secret Codat does not hold", Writes: true, Done: generated, Do: r.removeUnheld},
		// No frame: which slot is free is known only when the step runs.
		{Name: "xero.generate_secret", Guide: "Generate a secret in the free slot, copy it and store it before leaving the page", Writes: true,
			Done: generated, Do: r.generateXero},
	}, Final: []Step{{Name: "xero.remove_old_secret", Guide: "Remove the older client secret: Codat holds the new one",
		Writes: true, Done: notDue, After: []string{"codat.verify_switch"}, Do: r.removeOldXero}}}
}

// freeagentSteps are FreeAgent's part of a rotation (after its sign-in).
func (r *rotation) freeagentSteps() Flow {
	notDue := func(*Session) bool { return r.notDue }
	generated := func(*Session) bool { return r.notDue || r.resumed }
	fa := r.fa
	return Flow{Keys: "freeagent.regenerate_secret", Steps: []Step{
		{Name: "freeagent.open_my_apps", Guide: "In the navigation bar, click My Apps", Done: notDue, Do: fa.openMyApps},
		{Name: "freeagent.open_app", Guide: "Open the app named in the configuration", Done: notDue, Do: r.openFreeAgentApp},
		{Name: "freeagent.regenerate_secret", Guide: "Regenerate the OAuth secret (the old one stops working now) and store the new one", Writes: true,
			Frame: "freeagent.app.secret", Done: generated, Do: r.regenerateFreeAgent},
	}, Final: []Step{{Name: "freeagent.finish_rotation", Guide: "Record the rotation and the gap",
		Done: notDue, After: []string{"codat.verify_switch"}, Do: r.finish}}}
}

// runRotate is RunProvider for ModeRotate: the session runs as a run (it
// writes, keeps state, signs in again when a session expires) and its
// summary says rotate.
func runRotate(ctx context.Context, env *Env, provider string) (*report.Summary, error) {
	start := env.Now()
	if err := CheckRotate(provider, env.Rotate); err != nil {
		return nil, err
	}
	p, err := providerNamed(provider)
	if err != nil {
		return nil, err
	}
	r := &rotation{opts: env.Rotate, x: &xero{}, fa: &freeagent{}}
	steps := r.steps(p)
	runEnv := *env
	runEnv.Mode = ModeRun
	s := newSession(ctx, &runEnv, provider)
	env.Scrub = s.Scrub
	s.Summary.Mode = string(ModeRotate)
	s.Summary.Rotation = &report.Rotation{Outcome: "failed"}
	finish := func(err error) (*report.Summary, error) {
		s.Summary.DurationMS = env.Now().Sub(start).Milliseconds()
		if err != nil {
			s.Summary.Error = errorReport(s, err)
		}
		return s.Summary, err
	}

	lock, err := state.Acquire(s.outDir(), provider, env.Config.App.Name)
	if err != nil {
		return finish(err)
	}
	defer func() { _ = lock.Release() }()
	if s.state, err = state.Load(s.outDir(), provider, env.Config.App.Name); err != nil {
		return finish(err)
	}
	s.resume()
	s.Summary.Rotation.PreviousSHA256Prefix = s.state.CodatFingerprint
	if r.dueFromState(s) {
		// Known from the state alone: no portal is opened, nothing written.
		return finish(nil)
	}
	out := s.run(ctx, steps)
	if out.abandoned != nil {
		return s.Summary, out.abandoned // as a kill: no restart, no report
	}
	for restarts := 0; out.err != nil && out.expired && restarts < MaxRestarts; restarts++ {
		s.progress("the portal signed us out during %s: starting over from the saved state", out.failed)
		s.resume()
		*r = rotation{opts: env.Rotate, x: &xero{}, fa: &freeagent{}}
		steps = r.steps(p)
		if out = s.run(ctx, steps); out.abandoned != nil {
			return s.Summary, out.abandoned
		}
	}
	return finish(out.err)
}

// dueFromState says, from the state alone, that the secret Codat holds is
// younger than --max-age: the rotation is not due, and the summary says so.
func (r *rotation) dueFromState(s *Session) bool {
	st := s.state
	if r.opts.MaxAge <= 0 || !st.RotationStarted.IsZero() || st.SecretStoredAt.IsZero() || !s.codatHolds() {
		return false
	}
	return r.notDueAt(s, st.SecretStoredAt, "stored "+st.SecretStoredAt.Format(time.RFC3339)+", the state says")
}

// notDueAt marks the rotation not due when a secret created at created is
// younger than --max-age, and says so.
func (r *rotation) notDueAt(s *Session, created time.Time, how string) bool {
	age := s.Env.Now().Sub(created)
	if age >= r.opts.MaxAge {
		return false
	}
	r.notDue = true
	days := math.Round(age.Hours()/24*10) / 10
	msg := fmt.Sprintf("not due: the live secret is %s old (%s), younger than --max-age %s; nothing was changed",
		FormatAge(age), how, FormatAge(r.opts.MaxAge))
	s.Summary.Rotation.Outcome, s.Summary.Rotation.Message, s.Summary.Rotation.SecretAgeDays = "not due", msg, days
	s.Summary.Rotation.PreviousSHA256Prefix = ""
	s.Summary.Codat.Saved = s.codatHolds()
	s.Summary.Codat.Enabled = s.state.Enabled
	s.progress("%s", msg)
	return true
}

// FormatAge writes a duration in days (and hours under two days), the unit
// of --max-age.
func FormatAge(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return d.Round(time.Minute).String()
}

// openXeroApp opens the app found on My Apps (or named by the state); there
// is nothing to rotate without one.
func (r *rotation) openXeroApp(ctx context.Context, s *Session) error {
	if !r.x.reused {
		return noApp(s, "xero.my_apps", "xero.my_apps.app_link")
	}
	return r.x.createApp(ctx, s) // with an app of that name, it opens it
}

func noApp(s *Session, page, element string) error {
	return &fail.Error{Kind: fail.Mismatch, Page: page, Element: element,
		Hint: fmt.Sprintf("bot rotate replaces the secret of an app that exists; set it up with bot run %s", s.Provider),
		Err:  fmt.Errorf("no app named %q on My Apps: nothing to rotate", s.Env.Config.App.Name)}
}

// slot is what one of Xero's "Client secret N" shows.
type slot struct {
	live    bool
	created time.Time // zero when the date could not be read
	text    string    // what the slot shows: its creation date, or right after Generate the secret
}

// date says when the slot's secret was created, as the page shows it; never
// the slot's text itself, which right after Generate is the secret.
func (sl slot) date() string {
	if sl.created.IsZero() {
		return "no creation date"
	}
	return "Created " + sl.created.Format("2 Jan 2006 15:04")
}

// readSlots reads both secret slots of the Configuration page. A look that
// fails (the page navigated away, the run is stopping) is an error, never a
// slot taken for empty: the plan would record that Codat's secret is gone.
func (r *rotation) readSlots(ctx context.Context, s *Session) ([2]slot, error) {
	var out [2]slot
	for i := range out {
		name := fmt.Sprintf("xero.configuration.client_secret_%d", i+1)
		m, _, err := s.finder(nil).Probe(ctx, s.El(name))
		if err != nil {
			return out, fmt.Errorf("read Client secret %d: %w", i+1, err)
		}
		if m == nil {
			continue
		}
		out[i].live = true
		if out[i].text, err = m.Value(ctx); err != nil {
			return out, fmt.Errorf("read Client secret %d: %w", i+1, err)
		}
		out[i].created, _ = ParseCreated(out[i].text)
	}
	return out, nil
}

// codatSlot is the slot of the secret Codat holds, from the state; 0 when
// the state does not say.
func (r *rotation) codatSlot(s *Session) int {
	st := s.state
	switch {
	case s.codatHolds() && st.SecretSlot != 0:
		return st.SecretSlot
	case st.CodatFingerprint != "" && st.CodatSlot != 0:
		return st.CodatSlot
	}
	return 0
}

// planXero decides what this rotation does from the page and the state:
// finish an interrupted one, do nothing (not due), or free a slot and
// generate. It records the start of a rotation, and which slot Codat holds,
// before anything changes.
func (r *rotation) planXero(ctx context.Context, s *Session) error {
	st := s.state
	slots, err := r.readSlots(ctx, s)
	if err != nil {
		return err
	}
	live := 0
	for _, sl := range slots {
		if sl.live {
			live++
		}
	}
	// An earlier rotation stored its new secret: finish it.
	if !st.RotationStarted.IsZero() && !st.SecretStoredAt.Before(st.RotationStarted) && s.secretInHand() &&
		st.SecretSlot != 0 && slots[st.SecretSlot-1].live {
		r.resumed, r.deliver = true, !s.codatHolds()
		s.progress("finishing the rotation started %s: Client secret %d is the new one", st.RotationStarted.Format(time.RFC3339), st.SecretSlot)
		return nil
	}
	held := r.codatSlot(s)
	if r.opts.MaxAge > 0 {
		var created time.Time
		how := ""
		switch {
		case held != 0 && slots[held-1].live:
			created, how = slots[held-1].created, fmt.Sprintf("Client secret %d, which Codat holds, shows %s", held, slots[held-1].date())
		case held == 0 && live == 1:
			for i, sl := range slots {
				if sl.live {
					created, how = sl.created, fmt.Sprintf("Client secret %d, the only live one, shows %s", i+1, sl.date())
				}
			}
		}
		if !created.IsZero() && r.notDueAt(s, created, how) {
			return nil
		}
		if created.IsZero() && live > 0 {
			s.progress("the age of the live secret is unknown (neither the state nor the page says): rotating")
		}
	}
	if held != 0 && !slots[held-1].live {
		s.progress("Client secret %d, which Codat held, is not live any more: Codat's Xero connections fail until it holds the new one", held)
		held = 0
	}
	if live == 2 {
		if held == 0 {
			return &fail.Error{Kind: fail.Unsafe, Portal: "xero", Page: "xero.configuration",
				Hint: fmt.Sprintf("the state file %s does not say which one Codat holds (it is missing, or from before this version); "+
					"remove the one Codat does not use in the Xero portal, then run again", state.Path(s.outDir(), "xero", s.Env.Config.App.Name)),
				Err: errors.New("both client secrets are live and removing the wrong one would cut Codat off: nothing was changed")}
		}
		r.removeFirst = 3 - held
	}
	st.RotationStarted, st.CodatSlot = s.Env.Now().UTC(), held
	r.deliver = true
	if held != 0 {
		s.progress("Codat holds Client secret %d (%s): it stays live until Codat holds the new one", held, slots[held-1].date())
	} else {
		s.progress("the state does not say which secret Codat holds; %d is live: the new one goes into a free slot", live)
	}
	if s.secretInHand() {
		s.Summary.Rotation.PreviousSHA256Prefix = s.ClientSecret.Fingerprint()
	}
	return s.saveState()
}

// removeUnheld frees a slot when both are full: the one Codat does not hold.
func (r *rotation) removeUnheld(ctx context.Context, s *Session) error {
	if r.removeFirst == 0 {
		s.progress("a slot is free: nothing to remove")
		return nil
	}
	s.progress("both client secrets are live: removing Client secret %d, which Codat does not hold", r.removeFirst)
	return r.x.removeSlot(ctx, s, r.removeFirst)
}

// generateXero generates and stores the new secret (the run's own step),
// which Codat does not hold yet.
func (r *rotation) generateXero(ctx context.Context, s *Session) error {
	if err := r.x.generateSecret(ctx, s); err != nil {
		return err
	}
	r.deliver = true
	return nil
}

// saveInCodat wraps Codat's Save: the end of FreeAgent's gap.
func (r *rotation) saveInCodat(save func(context.Context, *Session) error) func(context.Context, *Session) error {
	return func(ctx context.Context, s *Session) error {
		if err := save(ctx, s); err != nil {
			return err
		}
		if !r.gapStart.IsZero() {
			gap := s.Env.Now().Sub(r.gapStart)
			s.Summary.Rotation.GapMS = gap.Milliseconds()
			s.progress("Codat holds the new secret: FreeAgent accepted none of Codat's for %s", gap.Round(time.Millisecond))
		}
		return nil
	}
}

// removeOldXero removes the older secret once Codat holds the new one (the
// run's own step), and closes the rotation in the state.
func (r *rotation) removeOldXero(ctx context.Context, s *Session) error {
	if !s.codatHolds() {
		return &fail.Error{Kind: fail.Other, Portal: "xero",
			Err: errors.New("the new secret is not in Codat: the older one is kept")}
	}
	if err := r.x.removeUnusedSecrets(ctx, s); err != nil {
		return err
	}
	return r.finish(ctx, s)
}

// finish records the rotation as done.
func (r *rotation) finish(_ context.Context, s *Session) error {
	st := s.state
	st.RotationStarted, st.CodatSlot = time.Time{}, 0
	s.Summary.Rotation.Outcome = "rotated"
	s.Summary.Rotation.Message = fmt.Sprintf("Codat holds the new secret (sha256 %s…)", s.ClientSecret.Fingerprint())
	if p := portalNamed(s.Provider); p != nil && !p.Provider.RegenerateOnly {
		s.Summary.Rotation.Message += "; the older one is removed"
	}
	return s.saveState()
}

// openFreeAgentApp opens the app found on My Apps.
func (r *rotation) openFreeAgentApp(ctx context.Context, s *Session) error {
	if !r.fa.reused {
		return noApp(s, "freeagent.my_apps", "freeagent.my_apps.app_link")
	}
	if err := r.fa.createApp(ctx, s); err != nil { // with an app of that name, it opens it
		return err
	}
	// The identifier Codat gets with the new secret: read from the page, as
	// the state may not have it (lost, or from an older version).
	id, err := r.fa.identifier(ctx, s)
	if err != nil {
		return err
	}
	s.ClientID, s.Summary.ClientID = id, id
	st := s.state
	if !st.RotationStarted.IsZero() && !st.SecretStoredAt.Before(st.RotationStarted) && s.secretInHand() {
		// An earlier rotation regenerated and stored the secret: deliver it.
		r.resumed, r.deliver, r.gapStart = true, !s.codatHolds(), st.RotationStarted
		s.progress("finishing the rotation started %s: delivering the regenerated secret", st.RotationStarted.Format(time.RFC3339))
		return nil
	}
	if r.opts.MaxAge > 0 && s.codatHolds() && !st.SecretStoredAt.IsZero() {
		r.notDueAt(s, st.SecretStoredAt, "stored "+st.SecretStoredAt.Format(time.RFC3339))
	}
	return nil
}

// regenerateFreeAgent regenerates the app's secret and stores the new one
// before anything else: from the click on, Codat's secret is dead.
func (r *rotation) regenerateFreeAgent(ctx context.Context, s *Session) error {
	f := s.finder(nil)
	btn, _, err := f.Probe(ctx, s.El("freeagent.app.regenerate"))
	if err != nil {
		return err
	}
	if btn == nil {
		return &fail.Error{Kind: fail.Mismatch, Portal: "freeagent", Page: "freeagent.app", Element: "freeagent.app.regenerate",
			Hint: "this FreeAgent page offers no way to replace the secret; rotate it by hand and run bot run freeagent",
			Err:  errors.New("rotation is not supported by this portal's page: the app page has no \"Regenerate secret\" button; nothing was changed")}
	}
	old := ""
	if m, _, _ := f.Probe(ctx, s.El("freeagent.app.secret")); m != nil {
		old, _ = m.Value(ctx)
	}
	st := s.state
	st.RotationStarted = s.Env.Now().UTC()
	if s.secretInHand() {
		s.Summary.Rotation.PreviousSHA256Prefix = s.ClientSecret.Fingerprint()
	}
	if err := s.saveState(); err != nil {
		return err
	}
	r.gapStart = s.Env.Now()
	if err := btn.Click(ctx); err != nil {
		return err
	}
	confirmed := false
	var raw string
	drift := locate.DriftPace()
	err = locate.Until(ctx, "the new secret to show", func(ctx context.Context) (bool, error) {
		f.NoDrift = !drift()
		if m, _, _ := f.Probe(ctx, s.El("freeagent.app.secret")); m != nil {
			v, _ := m.Value(ctx)
			if v = strings.TrimSpace(v); v != "" && v != strings.TrimSpace(old) && !strings.ContainsAny(v, "•*") {
				raw = v
				return true, nil
			}
		}
		if !confirmed {
			if c, _, _ := f.Probe(ctx, s.El("freeagent.app.regenerate_confirm")); c != nil {
				confirmed = true
				return false, c.Click(ctx)
			}
		}
		return false, nil
	})
	if err != nil {
		return &fail.Error{Kind: fail.Mismatch, Portal: "freeagent", Page: "freeagent.app", Element: "freeagent.app.secret",
			Hint: "the old secret may be dead already: run bot rotate freeagent --accept-gap again, or regenerate by hand and run bot run freeagent",
			Err:  fmt.Errorf("no new secret showed after Regenerate: %w", err)}
	}
	sec, err := s.keepSecret("freeagent.app.secret", raw)
	if err != nil {
		return err
	}
	s.ClientSecret = sec
	r.deliver = true
	return s.saveState()
}

// createdDate finds the date in what a slot shows once its secret is no
// longer on screen: "Created 2 Jan 2026 15:04" and the like.
var createdDate = regexp.MustCompile(`(?i)(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2} [A-Za-z]{3,9},? \d{4}(?:,? \d{1,2}:\d{2}(?: ?[ap]m)?)?|[A-Za-z]{3,9} \d{1,2}, \d{4}(?:,? \d{1,2}:\d{2}(?: ?[ap]m)?)?)`)

var createdLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02",
	"2 Jan 2006 15:04", "2 Jan 2006, 15:04", "2 Jan 2006 3:04pm", "2 Jan 2006, 3:04pm", "2 Jan 2006 3:04 pm", "2 Jan 2006",
	"2 January 2006 15:04", "2 January 2006", "2 Jan, 2006",
	"Jan 2, 2006 15:04", "Jan 2, 2006 3:04 PM", "Jan 2, 2006, 3:04 PM", "Jan 2, 2006", "January 2, 2006",
}

// ParseCreated reads the creation date a Xero secret slot shows, in the
// machine's time zone (the portal shows the browser's); false when the text
// holds none it knows.
func ParseCreated(text string) (time.Time, bool) {
	d := createdDate.FindString(text)
	if d == "" {
		return time.Time{}, false
	}
	d = strings.NewReplacer("AM", "am", "PM", "pm").Replace(d)
	for _, layout := range createdLayouts {
		l := strings.NewReplacer("PM", "pm").Replace(layout)
		if t, err := time.ParseInLocation(l, d, time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseMaxAge reads --max-age: a Go duration (2160h) or a number of days or
// weeks (90d, 12w).
func ParseMaxAge(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "0" {
		return 0, nil
	}
	var n float64
	var unit string
	if _, err := fmt.Sscanf(v, "%g%s", &n, &unit); err == nil && n >= 0 {
		switch unit {
		case "d":
			return time.Duration(n * 24 * float64(time.Hour)), nil
		case "w":
			return time.Duration(n * 7 * 24 * float64(time.Hour)), nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not an age: use days (90d), weeks (12w) or hours (2160h)", v)
	}
	return d, nil
}
