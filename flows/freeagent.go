package flows

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/locate"
)

// freeagent automates "Configurer l'intégration FreeAgent", its first part:
// register an app on the developer dashboard and read its keys.
type freeagent struct{ reused bool }

// freeagentPortal describes the FreeAgent developer dashboard: its sign-in,
// its pages and how to reach each, the run's steps and the rotation's.
var freeagentPortal = &Portal{
	Name: "freeagent", Title: "FreeAgent",
	Config: config.Portal{
		Name: "freeagent", Email: "freeagent.email", Password: "freeagent.password",
		URLs:        []string{"freeagent.url"},
		RedirectURI: "https://freeagent.codat.io/oauth/callback",
		Rules: func(c *config.Config, p config.Problems) {
			p.Required("app.description", c.App.Description)
			if u, err := url.Parse(c.FreeAgent.URL); err == nil && isFreeAgentSandbox(u.Hostname()) {
				p.Add("freeagent.url points at the FreeAgent sandbox (%s), which Codat does not support: set %s to the developer dashboard, %s",
					u.Hostname(), config.EnvVar("freeagent.url"), config.Default("freeagent.url"))
			}
		},
	},
	SignIn:      freeagentSignIn,
	SignInGuide: "Visit the FreeAgent developer site and sign in to your developer account",
	Home:        func(s *Session) string { return (&freeagent{}).appsURL(s) },
	HomeReady:   "freeagent.my_apps.create",
	OnSignInPage: func(c *config.Config, u *url.URL) bool {
		return u.Scheme+"://"+u.Host == origin(c.FreeAgent.URL) && strings.HasPrefix(u.Path, "/users/sign_in")
	},
	Origins: func(c *config.Config) []string { return []string{origin(c.FreeAgent.URL)} },
	Pages: []Page{
		{Name: "freeagent.my_apps", Guide: "My Apps matches", Reach: (&freeagent{}).openMyApps},
		{Name: "freeagent.new_app", Guide: "The new app form matches (not submitted)", Reach: (&freeagent{}).createNewApp},
		{Name: "freeagent.app", From: "freeagent.my_apps", Guide: "The app page matches (when the app exists)", Reach: (&freeagent{}).openApp},
	},
	Provider: &ProviderFlow{
		Integration: codat{integration: "FreeAgent", key: "fbrh"},
		Run: func() Flow {
			fa := &freeagent{}
			return Flow{Steps: fa.steps(), Keys: "freeagent.read_credentials"}
		},
		Rotate:         func(r *rotation) Flow { return r.freeagentSteps() },
		RegenerateOnly: true,
		// Four pages here against Codat's seven, with its 0.7 s Enable
		// dialog: Codat's sign-in starts at once, FreeAgent's beside it.
		CodatFirst: true,
	},
}

// isFreeAgentSandbox says host is FreeAgent's sandbox, which Codat does
// not support.
func isFreeAgentSandbox(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "sandbox.freeagent.com" || strings.HasSuffix(host, ".sandbox.freeagent.com")
}

func (fa *freeagent) steps() []Step {
	reused := func(*Session) bool { return fa.reused }
	return []Step{ // after the sign-in (Portal.SignInGuide)
		{Name: "freeagent.open_my_apps", Guide: "In the navigation bar, click My Apps", Frame: "freeagent.my_apps.create", Do: fa.openMyApps},
		{Name: "freeagent.create_new_app", Done: reused, Guide: "Click Create New App", Do: fa.createNewApp},
		{Name: "freeagent.fill_name", Done: reused, Guide: "Enter an app name", Frame: "freeagent.new_app.name", Do: fa.fill("freeagent.new_app.name", func(s *Session) string { return s.Env.Config.App.Name })},
		{Name: "freeagent.fill_description", Done: reused, Guide: "Enter a description", Frame: "freeagent.new_app.description", Do: fa.fill("freeagent.new_app.description", func(s *Session) string { return s.Env.Config.App.Description })},
		{Name: "freeagent.fill_homepage", Done: reused, Guide: "App homepage URL (when configured)", Do: fa.fillHomepage},
		{Name: "freeagent.fill_redirect_uris", Done: reused, Guide: "OAuth Redirect URIs: https://freeagent.codat.io/oauth/callback", Frame: "freeagent.new_app.redirect_uris", Do: fa.fill("freeagent.new_app.redirect_uris", func(s *Session) string { return s.redirectURI("freeagent") })},
		{Name: "freeagent.leave_practice_api_unticked", Done: reused, Guide: "Leave Enable Accountancy Practice API unticked", Frame: "freeagent.new_app.practice_api", Do: fa.untickPracticeAPI},
		{Name: "freeagent.create_app", Guide: "Select Create App (an app of that name is opened instead)", Writes: true, Do: fa.createApp},
		{Name: "freeagent.read_credentials", Guide: "Copy the OAuth identifier and the OAuth secret (regenerated when the page no longer shows it)", Frame: "freeagent.app.identifier",
			Done: (*Session).secretInHand, Do: fa.readCredentials},
	}
}

func freeagentSignIn(s *Session) *signIn {
	c := s.Env.Config.FreeAgent
	return &signIn{
		portal: "freeagent", loginURL: c.URL, allowed: []string{origin(c.URL)},
		screens: []screen{{fields: []field{
			{element: "freeagent.signin.email", value: func() string { return c.Email }},
			{element: "freeagent.signin.password", value: c.Password.Reveal, secret: true},
		}, submit: "freeagent.signin.submit"}},
		email: c.Email, password: c.Password, passKey: "freeagent.password",
		errorEl: "freeagent.signin.error", captcha: "freeagent.signin.captcha",
	}
}

func (fa *freeagent) appsURL(s *Session) string {
	return strings.TrimRight(s.Env.Config.FreeAgent.URL, "/") + "/apps"
}

// openApp opens the app named app.name from My Apps (bot check reaches its
// page so; the run comes there by creating it).
func (fa *freeagent) openApp(ctx context.Context, s *Session) error {
	if _, err := s.open(ctx, freeagentSignIn(s), fa.appsURL(s), "freeagent.my_apps.create"); err != nil {
		return err
	}
	m, _, err := s.finder(nil).Probe(ctx, s.El("freeagent.my_apps.app_link"))
	if err != nil {
		return err
	}
	if m == nil {
		return notThere("no app named %q", s.Env.Config.App.Name)
	}
	if err := s.Click(ctx, "freeagent.my_apps.app_link"); err != nil {
		return err
	}
	_, err = s.arrive(ctx, freeagentSignIn(s), "freeagent.app.identifier")
	return err
}

func (fa *freeagent) openMyApps(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "freeagent.my_apps.nav_my_apps"); err != nil {
		return err
	}
	if _, err := s.arrive(ctx, freeagentSignIn(s), "freeagent.my_apps.create"); err != nil {
		return err
	}
	// A look that fails is not "no app": the run would create a second one.
	m, _, err := s.finder(nil).Probe(ctx, s.El("freeagent.my_apps.app_link"))
	if err != nil {
		return err
	}
	if m != nil || s.AppID != "" {
		fa.reused = true
		s.progress("an app named %q exists already: reusing it", s.Env.Config.App.Name)
	}
	return nil
}

func (fa *freeagent) createNewApp(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "freeagent.my_apps.create"); err != nil {
		return err
	}
	_, err := s.arrive(ctx, freeagentSignIn(s), "freeagent.new_app.name")
	return err
}

func (fa *freeagent) fill(element string, value func(*Session) string) func(context.Context, *Session) error {
	return func(ctx context.Context, s *Session) error {
		return s.Fill(ctx, element, value(s))
	}
}

func (fa *freeagent) fillHomepage(ctx context.Context, s *Session) error {
	if s.Env.Config.App.CompanyURL == "" {
		return nil
	}
	if m, _, _ := s.finder(nil).Probe(ctx, s.El("freeagent.new_app.homepage")); m == nil {
		return nil // an optional field this version of the form does not have
	}
	return s.Fill(ctx, "freeagent.new_app.homepage", s.Env.Config.App.CompanyURL)
}

// untickPracticeAPI makes sure the box is off: ticked, a normal company
// cannot approve the app ("This app is only for accountants").
func (fa *freeagent) untickPracticeAPI(ctx context.Context, s *Session) error {
	m, err := s.Find(ctx, "freeagent.new_app.practice_api")
	if err != nil {
		return err
	}
	if on, _, _ := m.Checked(ctx); on {
		s.progress("Enable Accountancy Practice API was ticked: unticking it")
	}
	return m.SetChecked(ctx, false)
}

var freeagentAppPath = regexp.MustCompile(`/apps/([^/?#]+)$`)

func (fa *freeagent) createApp(ctx context.Context, s *Session) error {
	if fa.reused {
		if err := s.openExistingApp(ctx, "freeagent.my_apps.app_link"); err != nil {
			return err
		}
	} else if err := s.Click(ctx, "freeagent.new_app.create"); err != nil {
		return err
	}
	m, err := s.finder(nil).First(ctx, s.El("freeagent.app.identifier"), s.El("freeagent.new_app.error"))
	if err != nil {
		return err
	}
	if m.Element.Name == "freeagent.new_app.error" {
		msg, _ := m.Value(ctx)
		return &fail.Error{Kind: fail.Mismatch, Page: "freeagent.new_app", Element: m.Element.Name,
			Err: fmt.Errorf("the FreeAgent dashboard refused the new app: %q", msg)}
	}
	u, err := s.Location(ctx)
	if err != nil {
		return err
	}
	if id := freeagentAppPath.FindStringSubmatch(u.Path); id != nil {
		s.setApp(id[1], strings.TrimRight(s.Env.Config.FreeAgent.URL, "/")+u.Path)
	}
	return nil
}

// shownSecret reads the OAuth secret the app's page shows. FreeAgent shows
// it once (2025-26): an app opened again shows no secret, or a masked one.
// Then, since the run has no copy of it either, the secret is regenerated
// (the old one stops working at once) and the new one read; the Codat steps
// that follow deliver it in the same run, so Codat never keeps a dead one.
func (fa *freeagent) shownSecret(ctx context.Context, s *Session) (string, error) {
	f := s.finder(nil)
	m, err := f.First(ctx, s.El("freeagent.app.secret"), s.El("freeagent.app.regenerate"))
	if err != nil {
		return "", err
	}
	if m.Element.Name == "freeagent.app.secret" {
		v, err := m.Value(ctx)
		if err != nil || looksLikeSecret(v) {
			return v, err
		}
	}
	regen, _, err := f.Probe(ctx, s.El("freeagent.app.regenerate"))
	if err != nil {
		return "", err
	}
	if regen == nil {
		return "", &fail.Error{Kind: fail.Mismatch, Page: "freeagent.app", Element: "freeagent.app.secret",
			Hint: "FreeAgent shows an app's secret once: regenerate it on the app's page and put it in Codat by hand, or delete the app and run again",
			Err:  fmt.Errorf("the app %q exists but its page no longer shows the OAuth secret, and offers no way to regenerate it", s.Env.Config.App.Name)}
	}
	s.progress("FreeAgent no longer shows the secret of %q: regenerating it (Codat gets the new one in this run)", s.Env.Config.App.Name)
	if err := regen.Click(ctx); err != nil {
		return "", err
	}
	var v string
	drift := locate.DriftPace()
	err = locate.Until(ctx, "the regenerated secret to show", func(ctx context.Context) (bool, error) {
		f.NoDrift = !drift()
		m, _, err := f.Probe(ctx, s.El("freeagent.app.secret"))
		if err != nil || m == nil {
			return false, err
		}
		v, err = m.Value(ctx)
		return looksLikeSecret(v), err
	})
	if err != nil {
		return "", &fail.Error{Kind: fail.Mismatch, Page: "freeagent.app", Element: "freeagent.app.secret", Err: err}
	}
	return v, nil
}

// identifier reads the app's OAuth identifier from its page, checked as a
// key Codat takes (no space).
func (fa *freeagent) identifier(ctx context.Context, s *Session) (string, error) {
	m, err := s.Find(ctx, "freeagent.app.identifier")
	if err != nil {
		return "", err
	}
	raw, err := m.Value(ctx)
	if err != nil {
		return "", err
	}
	return checkKey("OAuth identifier", raw)
}

// readCredentials reads the OAuth identifier and secret and stores the
// secret before going on.
func (fa *freeagent) readCredentials(ctx context.Context, s *Session) error {
	id, err := fa.identifier(ctx, s)
	if err != nil {
		return err
	}
	rawSecret, err := fa.shownSecret(ctx, s)
	if err != nil {
		return err
	}
	sec, err := s.keepSecret("freeagent.app.secret", rawSecret)
	if err != nil {
		return err
	}
	s.locked(func() { s.ClientID, s.Summary.ClientID, s.ClientSecret = id, id, sec })
	return nil
}
