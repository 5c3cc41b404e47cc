package flows

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"
	"go.uber.org/zap"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/secret"
	"portalbot/internal/state"
	"portalbot/selectors"
)

// screen is one screen of a sign-in: fields typed, then a button.
type screen struct {
	fields []field
	submit string
}

type field struct {
	element string
	value   func() string
	secret  bool
}

// signIn describes a portal's sign-in: its screens, the two-step page, and
// where credentials may be typed.
type signIn struct {
	portal   string
	loginURL string   // credentials are typed only on this origin
	allowed  []string // origins the sign-in may pass through
	screens  []screen
	code     string // two-step code field ("" when the portal has none)
	// push is the link of a push-notification screen (Xero Verify) that
	// leads to the code field instead ("" when the portal has none).
	push string
	// emailCode is the notice of a page asking for a code the portal
	// emailed, which only a person can read ("" when it has none).
	emailCode  string
	codeSubmit string
	codeErr    string
	totp       secret.Secret
	totpKey    string // the setting to name when a code is asked and none is set
	errorEl    string // the alert of a refused password
	captcha    string
	trust      string // "Trust this device" on the two-step page ("" when none)
	email      string
	password   secret.Secret
	passKey    string // the setting to name when the password was refused
}

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// guard stops any wait at once when the tab shows a page on an origin that
// is not one of the portal's configured ones: a foreign sign-in page gets
// nothing typed into it.
func (s *Session) guard(si *signIn) func(context.Context, string) error {
	return func(ctx context.Context, href string) error {
		u, err := s.at(ctx, href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil // between pages
		}
		o := u.Scheme + "://" + u.Host
		for _, a := range si.allowed {
			if o == a {
				return nil
			}
		}
		return &fail.Error{Kind: fail.Unsafe, Portal: si.portal,
			Hint: "check the portal URLs in the configuration; if the portal really moved, configure its new host",
			Err:  fmt.Errorf("%s sign-in went to %s, which is not a configured %s host: typed nothing", si.portal, u.Host, si.portal)}
	}
}

// open loads rawURL and waits for the page's ready element, signing in when
// the portal asks (at the start, or when a session expired mid-flow).
//
// Loading a page changes nothing, so a server error is retried with
// backoff (OpenRetries times) before the step gives up.
func (s *Session) open(ctx context.Context, si *signIn, rawURL, ready string) (*locate.Match, error) {
	backoff := RetryBackoff
	for try := 0; ; try++ {
		status, err := s.Navigate(ctx, rawURL)
		if err != nil {
			return nil, err
		}
		if status == 0 {
			status = s.documentStatus(ctx)
		}
		if status < 500 || try >= OpenRetries {
			break
		}
		s.progress("%s answered HTTP %d: trying again in %s", redactURL(rawURL), status, backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		backoff *= 2
	}
	return s.arrive(ctx, si, ready)
}

// OpenRetries and RetryBackoff shape the retries of a page load that got a
// server error: 0.5 s, 1 s, 2 s.
var (
	OpenRetries  = 3
	RetryBackoff = 500 * time.Millisecond
)

// arrive waits for the ready element of the page the tab is going to,
// signing in first if the portal shows its sign-in instead.
func (s *Session) arrive(ctx context.Context, si *signIn, ready string) (*locate.Match, error) {
	f := s.finder(s.guard(si))
	first := si.screens[0].fields[0].element
	m, err := f.First(ctx, s.El(ready), s.El(first), s.El(si.captcha))
	if err != nil {
		return nil, err
	}
	if m.Element.Name == ready {
		s.sessionReady(ctx, si.portal, false)
		return m, nil
	}
	if m, err = s.signIn(ctx, si, ready, m); err != nil {
		return nil, err
	}
	if m == nil {
		m, err = f.Find(ctx, s.El(ready))
	}
	if err == nil {
		s.sessionReady(ctx, si.portal, true)
	}
	return m, err
}

// signIn types the credentials screen by screen, answers a two-step code
// from the TOTP secret, and stops at once on a refusal: Xero locks an
// account after six refused passwords, so a refused password is never
// tried again.
//
// shown, when set, is the sign-in's first field as a look just found it.
// The ready element is returned when the look for the portal's answer
// found it (nil after a two-step code: the caller looks for it).
func (s *Session) signIn(ctx context.Context, si *signIn, ready string, shown *locate.Match) (*locate.Match, error) {
	f := s.finder(s.guard(si))
	if at, err := state.WasRefused(s.outDir(), si.portal, si.email, si.password.Reveal()); err == nil && !at.IsZero() {
		return nil, &fail.Error{Kind: fail.SignIn, Portal: si.portal,
			Hint: fmt.Sprintf("set the right %s (or delete %s to try the same one again)", envName(si.passKey), state.RefusedPath(s.outDir(), si.portal)),
			Err: fmt.Errorf("%s refused this email and password on %s; not trying them again (Xero locks an account after 6 refused sign-ins)",
				si.portal, at.Format(time.RFC3339))}
	}
	var arrived *locate.Match
	for i := 0; i < len(si.screens); i++ {
		sc := si.screens[i]
		m := shown
		if i > 0 || m == nil || m.Element.Name != sc.fields[0].element {
			var err error
			if m, err = f.First(ctx, s.El(sc.fields[0].element), s.El(si.captcha)); err != nil {
				return nil, err
			}
		}
		if m.Element.Name == si.captcha {
			return nil, s.captcha(si)
		}
		if err := s.fillScreen(ctx, f, si, sc, m); err != nil {
			return nil, err
		}
		// A page that shows the next screen's fields already (email and
		// password on one form) gets them before its button is pressed.
		for i+1 < len(si.screens) {
			next, _, _ := f.Probe(ctx, s.El(si.screens[i+1].fields[0].element))
			if next == nil {
				break
			}
			i++
			sc = si.screens[i]
			if err := s.fillScreen(ctx, f, si, sc, next); err != nil {
				return nil, err
			}
		}
		stale := s.alertText(ctx, f, si.errorEl)
		if err := s.clickIn(ctx, f, sc.submit); err != nil {
			return nil, err
		}
		if i < len(si.screens)-1 {
			continue
		}
		// In this order: a page that mentions a captcha in passing (a
		// "protected by reCAPTCHA" footer) is still the page it is.
		// An emailed code's page has a code field too: it is told by its
		// notice first, so that no authenticator code is typed into it.
		outcome := []string{ready}
		if si.emailCode != "" {
			outcome = append(outcome, si.emailCode)
		}
		if si.code != "" {
			outcome = append(outcome, si.code)
		}
		if si.push != "" {
			outcome = append(outcome, si.push)
		}
		outcome = append(outcome, si.errorEl, si.captcha)
		m, err := s.waitOutcome(ctx, f, stale, outcome...)
		if err != nil {
			return nil, err
		}
		switch m.Element.Name {
		case ready:
			arrived = m
		case si.errorEl:
			msg, _ := m.Value(ctx)
			if err := state.RecordRefused(s.outDir(), si.portal, si.email, si.password.Reveal(), s.Env.Now()); err != nil {
				s.Env.Log.Warn("could not record the refused sign-in", zap.Error(err))
			}
			return nil, &fail.Error{Kind: fail.SignIn, Portal: si.portal,
				Hint: "check the email and password; the bot does not try again, so the account is not locked",
				Err:  fmt.Errorf("%s refused the sign-in: %q", si.portal, s.Scrub(msg))}
		case si.captcha:
			return nil, s.captcha(si)
		case si.emailCode:
			return nil, &fail.Error{Kind: fail.SignIn, Portal: si.portal,
				Hint: s.personHint(si.portal),
				Err:  fmt.Errorf("%s asks for a code it sent by email to confirm a new sign-in; the bot cannot read email", si.portal)}
		case si.push:
			// A push-notification screen: take the backup method, the code.
			s.progress("%s shows a push-notification screen: choosing %s", si.portal, m.Locator.Name)
			if err := m.Click(ctx); err != nil {
				return nil, err
			}
			if _, err := f.Find(ctx, s.El(si.code)); err != nil {
				return nil, err
			}
			if err := s.twoStep(ctx, f, si, ready); err != nil {
				return nil, err
			}
		case si.code:
			if err := s.twoStep(ctx, f, si, ready); err != nil {
				return nil, err
			}
		}
	}
	state.ClearRefused(s.outDir(), si.portal)
	return arrived, nil
}

// fillScreen types each field of a screen; first is the screen's first
// field as the look that told the screen found it.
func (s *Session) fillScreen(ctx context.Context, f *locate.Finder, si *signIn, sc screen, first *locate.Match) error {
	for _, fl := range sc.fields {
		if err := s.typeInto(ctx, f, si, fl.element, fl.value(), first); err != nil {
			return err
		}
	}
	return nil
}

// alertText is the text of the alert shown now, if any: an alert that was
// there before a submit (a notice, an earlier message) is not its answer.
func (s *Session) alertText(ctx context.Context, f *locate.Finder, element string) string {
	m, _, _ := f.Probe(ctx, s.El(element))
	if m == nil {
		return ""
	}
	v, _ := m.Value(ctx)
	return v
}

// waitOutcome waits for the first of the elements to show; an alert whose
// text is stale (there before the submit) does not count.
func (s *Session) waitOutcome(ctx context.Context, f *locate.Finder, stale string, elements ...string) (*locate.Match, error) {
	var got *locate.Match
	els := make([]*selectors.Element, len(elements))
	for i, name := range elements {
		els[i] = s.El(name)
	}
	stalePart := func(m *locate.Match) bool {
		if stale == "" || !strings.HasSuffix(m.Element.Name, ".error") {
			return false
		}
		v, _ := m.Value(ctx)
		return v == stale
	}
	// Each look waits in the page for one of them (a quarter second at a
	// time, the guard between); the drift rules join DriftAfter in, then
	// less and less often, as in Find.
	drift := locate.DriftPace()
	err := locate.Until(ctx, "the portal's answer", func(ctx context.Context) (bool, error) {
		if f.Guard != nil {
			if err := f.Guard(ctx, ""); err != nil {
				return false, err
			}
		}
		m, err := f.WaitAny(ctx, 250*time.Millisecond, drift(), stalePart, els...)
		if err != nil || m == nil {
			return false, nil
		}
		got = m
		return true, nil
	})
	if err != nil {
		var fe *fail.Error
		if errors.As(err, &fe) {
			return nil, err
		}
		return nil, &locate.NotFoundError{Element: strings.Join(elements, " or "), Page: s.El(elements[0]).Page, Err: err}
	}
	return got, nil
}

func (s *Session) captcha(si *signIn) error {
	return &fail.Error{Kind: fail.SignIn, Portal: si.portal,
		Hint: s.personHint(si.portal),
		Err:  fmt.Errorf("%s shows a captcha instead of its sign-in form", si.portal)}
}

func (s *Session) twoStep(ctx context.Context, f *locate.Finder, si *signIn, ready string) error {
	if si.totp.Empty() {
		return &fail.Error{Kind: fail.SignIn, Portal: si.portal,
			Hint: fmt.Sprintf("set %s (or %s_FILE) to the account's authenticator secret", envName(si.totpKey), envName(si.totpKey)),
			Err:  fmt.Errorf("%s asks for a two-step code and no %s is configured", si.portal, si.totpKey)}
	}
	code, err := totp.GenerateCode(si.totp.Reveal(), s.Env.Now())
	if err != nil {
		return &fail.Error{Kind: fail.Config, Portal: si.portal, Err: fmt.Errorf("%s: not a valid TOTP secret", si.totpKey)}
	}
	if err := s.typeInto(ctx, f, si, si.code, code, nil); err != nil {
		return err
	}
	s.tickTrust(ctx, f, si)
	if err := s.clickIn(ctx, f, si.codeSubmit); err != nil {
		return err
	}
	m, err := f.First(ctx, s.El(ready), s.El(si.codeErr))
	if err != nil {
		return err
	}
	if m.Element.Name == si.codeErr {
		return &fail.Error{Kind: fail.SignIn, Portal: si.portal,
			Hint: fmt.Sprintf("check %s and this machine's clock", si.totpKey),
			Err:  fmt.Errorf("%s refused the two-step code", si.portal)}
	}
	return nil
}

// typeInto types a value only into a page on the portal's sign-in origin,
// into the element found as found (when it is that element) or found now.
func (s *Session) typeInto(ctx context.Context, f *locate.Finder, si *signIn, element, value string, found *locate.Match) error {
	m := found
	if m == nil || m.Element.Name != element {
		var err error
		if m, err = f.Find(ctx, s.El(element)); err != nil {
			return err
		}
	}
	u, err := s.at(ctx, m.Href)
	if err != nil {
		return err
	}
	if got := u.Scheme + "://" + u.Host; got != origin(si.loginURL) {
		return &fail.Error{Kind: fail.Unsafe, Portal: si.portal,
			Err: fmt.Errorf("%s sign-in field is on %s, not on %s: typed nothing", si.portal, u.Host, origin(si.loginURL))}
	}
	return m.Fill(ctx, value)
}

func (s *Session) clickIn(ctx context.Context, f *locate.Finder, element string) error {
	m, err := f.Find(ctx, s.El(element))
	if err != nil {
		return err
	}
	return m.Click(ctx)
}

// envName turns a key ("xero.totp_secret") into its variable (BOT_XERO_TOTP_SECRET).
func envName(key string) string {
	return "BOT_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// keepSecret checks a key read from a page and stores the secret before
// anything else happens: the page shows it once.
func (s *Session) keepSecret(name string, raw string) (secret.Secret, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return secret.Secret{}, &fail.Error{Kind: fail.Mismatch, Element: name, Err: errors.New("the page showed an empty secret")}
	}
	s.AddSecret(secret.New(v))
	if strings.ContainsAny(v, " \t\r\n") {
		return secret.Secret{}, &fail.Error{Kind: fail.Mismatch, Element: name,
			Err: errors.New("the secret read from the page contains a space; Codat refuses keys with spaces, nothing was typed into Codat")}
	}
	sec := secret.New(v)
	return sec, s.storeSecret(sec)
}

// checkKey trims a key read from a page and refuses one with a space inside.
func checkKey(name, raw string) (string, error) {
	v := strings.TrimSpace(raw)
	if v == "" || strings.ContainsAny(v, " \t\r\n") {
		return "", &fail.Error{Kind: fail.Mismatch, Element: name,
			Err: fmt.Errorf("the key read from the page is empty or contains a space; Codat refuses keys with spaces, nothing was typed into Codat")}
	}
	return v, nil
}
