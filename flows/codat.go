package flows

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/locate"
)

// codat automates the guides' second half, the same for every provider:
// put the app's keys in the integration's settings, save, enable.
type codat struct {
	integration string // the row's name: "Xero", "FreeAgent"
	key         string // Codat's platform key: "gbol", "fbrh"
}

// codatPortal describes the Codat portal: its sign-in and the pages of an
// accounting integration. Each provider's description names its
// integration (ProviderFlow.Integration); the steps are codat.steps.
var codatPortal = &Portal{
	Name: "codat", Title: "Codat",
	Config: config.Portal{
		Name: "codat", Email: "codat.email", Password: "codat.password",
		URLs: []string{"codat.url", "codat.login_url"},
	},
	SignIn:      codatSignIn,
	SignInGuide: "Sign in to the Codat portal (in a new tab; the provider's page stays open)",
	Home:        func(s *Session) string { return codat{}.integrationsURL(s) },
	HomeReady:   "codat.integrations.heading",
	OnSignInPage: func(c *config.Config, u *url.URL) bool {
		return u.Scheme+"://"+u.Host == origin(c.Codat.LoginURL)
	},
	Origins: func(c *config.Config) []string { return []string{origin(c.Codat.LoginURL), origin(c.Codat.URL)} },
	Pages: []Page{
		{Name: "codat.integrations", Guide: "Accounting integrations matches",
			OneOf: [][]string{{"codat.integrations.set_up", "codat.integrations.manage"}}},
		// The Enable dialog shows only after Save (a write): not walked.
		{Name: "codat.settings", Guide: "The integration's settings match (not saved)", Reach: codat{}.openSettings},
	},
}

// steps are Codat's part, in its own tab, after its sign-in: it opens the
// integration's settings while the provider's app is made, and types the
// keys once keys (the provider's step that reads them) is done.
func (c codat) steps(keys string) []Step {
	holds := (*Session).codatHeld
	return []Step{
		{Name: "codat.open_integrations", Tab: TabCodat, Guide: "Go to Settings > Integrations > Accounting", Frame: "codat.integrations.heading", Do: c.openIntegrations},
		{Name: "codat.open_settings", Tab: TabCodat, Done: holds, Guide: "Locate " + c.integration + " and click Set up (Manage when it is set up already)", Do: c.openSettings},
		{Name: "codat.fill_client_id", Tab: TabCodat, After: []string{keys}, Done: holds, Guide: "Under Integration settings, enter the Client ID", Frame: "codat.settings.client_id", Do: c.fillClientID},
		{Name: "codat.fill_client_secret", Tab: TabCodat, Done: holds, Guide: "Enter the Client secret (keys must not contain spaces)", Frame: "codat.settings.client_secret", Do: c.fillClientSecret},
		{Name: "codat.save", Tab: TabCodat, Done: holds, Guide: "Click Save: a confirmation message appears", Writes: true, Frame: "codat.settings.saved", Do: c.save},
		{Name: "codat.answer_enable_dialog", Tab: TabCodat, Done: holds, Guide: "In the Enable " + c.integration + " dialog, enable now or later", Writes: true, Frame: "codat.enable_dialog.dialog", Do: c.answerDialog},
		{Name: "codat.verify_switch", Tab: TabCodat, Guide: "On Accounting integrations, the " + c.integration + " switch shows the chosen state", Frame: "codat.integrations.switch", Do: c.verifySwitch},
	}
}

func codatSignIn(s *Session) *signIn {
	c := s.Env.Config.Codat
	return &signIn{
		portal: "codat", loginURL: c.LoginURL, allowed: []string{origin(c.LoginURL), origin(c.URL)},
		screens: []screen{
			{fields: []field{{element: "codat.signin_identifier.email", value: func() string { return c.Email }}}, submit: "codat.signin_identifier.continue"},
			{fields: []field{{element: "codat.signin_password.password", value: c.Password.Reveal, secret: true}}, submit: "codat.signin_password.continue"},
		},
		code: "codat.signin_code.code", codeSubmit: "codat.signin_code.continue", codeErr: "codat.signin_code.error",
		emailCode: "codat.signin_email_code.notice",
		totp:      c.TOTPSecret, totpKey: "codat.totp_secret",
		email: c.Email, password: c.Password, passKey: "codat.password",
		errorEl: "codat.signin_password.error", captcha: "codat.signin_identifier.captcha",
	}
}

func (c codat) integrationsURL(s *Session) string {
	return strings.TrimRight(s.Env.Config.Codat.URL, "/") + "/settings/integrations/accounting"
}

func (c codat) openIntegrations(ctx context.Context, s *Session) error {
	_, err := s.arrive(ctx, codatSignIn(s), "codat.integrations.heading")
	return err
}

func (c codat) openSettings(ctx context.Context, s *Session) error {
	m, err := s.finder(nil).First(ctx, s.El("codat.integrations.set_up"), s.El("codat.integrations.manage"), s.El("codat.integrations.no_permission"))
	if err != nil {
		return err
	}
	if m.Element.Name == "codat.integrations.no_permission" {
		msg, _ := m.Value(ctx)
		return &fail.Error{Kind: fail.SignIn, Portal: "codat", Page: "codat.integrations", Element: m.Element.Name,
			Hint: "give this Codat user the Developer or Administrator role (Settings > Users), or use another user",
			Err:  fmt.Errorf("the Codat user %s cannot manage integrations: the portal says %q", s.Env.Config.Codat.Email, s.Scrub(msg))}
	}
	if err := m.Click(ctx); err != nil {
		return err
	}
	_, err = s.arrive(ctx, codatSignIn(s), "codat.settings.client_id")
	return err
}

func (c codat) fillClientID(ctx context.Context, s *Session) error {
	id, err := checkKey("client id", s.ClientID)
	if err != nil {
		return err
	}
	return c.fillOnCodat(ctx, s, "codat.settings.client_id", id)
}

func (c codat) fillClientSecret(ctx context.Context, s *Session) error {
	v, err := checkKey("client secret", s.ClientSecret.Reveal())
	if err != nil {
		return err
	}
	return c.fillOnCodat(ctx, s, "codat.settings.client_secret", v)
}

// fillOnCodat types a key only into a page on the configured Codat portal's
// origin: a page that moved elsewhere gets nothing.
func (c codat) fillOnCodat(ctx context.Context, s *Session, element, value string) error {
	m, err := s.Find(ctx, element)
	if err != nil {
		return err
	}
	u, err := s.at(ctx, m.Href)
	if err != nil {
		return err
	}
	if got, want := u.Scheme+"://"+u.Host, origin(s.Env.Config.Codat.URL); got != want {
		return &fail.Error{Kind: fail.Unsafe, Portal: "codat",
			Err: fmt.Errorf("the Codat settings form is on %s, not on %s: typed nothing", u.Host, want)}
	}
	return m.Fill(ctx, value)
}

// save clicks Save and waits for the confirmation, or reports the error the
// portal shows beside a field. The Enable dialog also says the settings were
// saved: a modal may hide the rest of the page, the toast with it
// (aria-hidden), as component libraries do.
func (c codat) save(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "codat.settings.save"); err != nil {
		return err
	}
	m, err := s.finder(nil).First(ctx, s.El("codat.settings.saved"), s.El("codat.settings.error"), s.El("codat.enable_dialog.dialog"))
	if err != nil {
		return err
	}
	if m.Element.Name == "codat.settings.error" {
		msg, _ := m.Value(ctx)
		return &fail.Error{Kind: fail.Mismatch, Page: "codat.settings", Element: m.Element.Name,
			Err: fmt.Errorf("the Codat portal refused the settings: %q", s.Scrub(msg))}
	}
	s.locked(func() {
		s.Summary.Codat.Saved = true
		if s.state != nil {
			s.state.CodatClientID, s.state.CodatFingerprint = s.ClientID, s.ClientSecret.Fingerprint()
		}
	})
	return s.saveState()
}

// answerDialog answers "Enable <integration>" per codat.enable and waits for
// the dialog to close.
func (c codat) answerDialog(ctx context.Context, s *Session) error {
	dialog, err := s.Find(ctx, "codat.enable_dialog.dialog")
	if err != nil {
		return err
	}
	button := "codat.enable_dialog.later"
	if s.Env.Config.Codat.Enable == "now" {
		button = "codat.enable_dialog.enable"
	}
	if err := s.Click(ctx, button); err != nil {
		return err
	}
	return dialog.Gone(ctx)
}

// verifySwitch opens Accounting integrations and checks the switch. With
// "now" it turns the switch on if the dialog did not; with "later" it never
// turns off an integration that was on already (that would cut live
// connections), it reports it.
func (c codat) verifySwitch(ctx context.Context, s *Session) error {
	if _, err := s.open(ctx, codatSignIn(s), c.integrationsURL(s), "codat.integrations.heading"); err != nil {
		return err
	}
	m, err := s.Find(ctx, "codat.integrations.switch")
	if err != nil {
		return err
	}
	on, err := switchState(ctx, m)
	if err != nil {
		return err
	}
	want := s.Env.Config.Codat.Enable == "now"
	if want && !on && s.Env.Mode == ModeRun {
		if err := m.SetChecked(ctx, true); err != nil {
			return err
		}
		on = true
	}
	holds := s.codatHolds()
	s.locked(func() {
		s.Summary.Codat.Enabled = on
		s.Summary.Codat.Saved = s.Summary.Codat.Saved || holds
	})
	if on != want {
		s.progress("note: %s is enabled in Codat already; codat.enable=later does not turn it off", c.integration)
	}
	return nil
}

func switchState(ctx context.Context, m *locate.Match) (bool, error) {
	on, ok, err := m.Checked(ctx)
	if err != nil {
		return false, err
	}
	if !ok {
		return false, &fail.Error{Kind: fail.Mismatch, Element: m.Element.Name, Err: fmt.Errorf("%s shows no on/off state", m.Element.Name)}
	}
	return on, nil
}

// untilValue waits until the element's value satisfies ok.
func untilValue(ctx context.Context, m *locate.Match, what string, ok func(string) bool) error {
	return locate.Until(ctx, what, func(ctx context.Context) (bool, error) {
		v, err := m.Value(ctx)
		if err != nil {
			return false, err
		}
		return ok(v), nil
	})
}
