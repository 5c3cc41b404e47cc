package flows

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/locate"
)

// xero automates "Configurer l'intégration Xero", the first two parts: create
// the app with Codat's redirect URI, then get its client id and secret.
type xero struct {
	reused bool
	// slotsSeen: this run saw the secret slots when it generated its
	// secret; otherLive: the other slot held a live secret then.
	slotsSeen, otherLive bool
}

// xeroPortal describes the Xero developer portal: its sign-in, its pages
// and how to reach each, the run's steps and the rotation's.
var xeroPortal = &Portal{
	Name: "xero", Title: "Xero",
	Config: config.Portal{
		Name: "xero", Email: "xero.email", Password: "xero.password",
		URLs:        []string{"xero.login_url", "xero.developer_url"},
		RedirectURI: "https://xero.codat.io/oauth2/callback",
		Rules: func(c *config.Config, p config.Problems) {
			if strings.Contains(strings.ToLower(c.App.Name), "xero") {
				p.Add("app.name %q must not contain \"Xero\" (Xero refuses such names): change %s", c.App.Name, config.EnvVar("app.name"))
			}
			p.Required("app.company_url", c.App.CompanyURL)
		},
	},
	SignIn:      xeroSignIn,
	SignInGuide: "Sign in to the Xero developer portal with your Xero credentials",
	Home:        func(s *Session) string { return (&xero{}).myAppsURL(s) },
	HomeReady:   "xero.my_apps.heading",
	OnSignInPage: func(c *config.Config, u *url.URL) bool {
		return u.Scheme+"://"+u.Host == origin(c.Xero.LoginURL)
	},
	Origins: func(c *config.Config) []string { return []string{origin(c.Xero.LoginURL), origin(c.Xero.DeveloperURL)} },
	Pages: []Page{
		{Name: "xero.my_apps", Guide: "My Apps matches"},
		{Name: "xero.new_app", Guide: "The New app dialog matches (closed without creating)",
			Reach: (&xero{}).newApp, Next: (&xero{}).nextScreen, Leave: closeDialog("xero.new_app")},
		{Name: "xero.app_details", From: "xero.my_apps", Guide: "App details matches (when the app exists)", Reach: (&xero{}).openApp},
		{Name: "xero.configuration", Guide: "Configuration matches (when the app exists)", Reach: (&xero{}).openConfiguration,
			// One of the two generate buttons shows, unless two secrets are live.
			OneOf: [][]string{{"xero.configuration.generate_secret", "xero.configuration.generate_another", "xero.configuration.remove_secret_2"}}},
	},
	Provider: &ProviderFlow{
		Integration: codat{integration: "Xero", key: "gbol"},
		Run: func() Flow {
			x := &xero{}
			return Flow{Steps: x.steps(), Keys: "xero.generate_secret", Final: x.finalSteps()}
		},
		Rotate: func(r *rotation) Flow { return r.xeroSteps() },
	},
}

func (x *xero) steps() []Step {
	reused := func(*Session) bool { return x.reused }
	inHand := (*Session).secretInHand
	return []Step{ // after the sign-in (Portal.SignInGuide)
		{Name: "xero.open_my_apps", Guide: "Select the My Apps tab", Frame: "xero.my_apps.new_app", Do: x.openMyApps},
		{Name: "xero.new_app", Guide: "Click New app at the top right", Done: reused, Do: x.newApp},
		{Name: "xero.fill_app_name", Guide: "App name: a name your users recognise", Frame: "xero.new_app.app_name", Done: reused, Do: x.fillAppName},
		{Name: "xero.choose_web_app", Guide: "Integration type: select Web app", Frame: "xero.new_app.web_app", Done: reused, Do: x.chooseWebApp},
		{Name: "xero.answer_questions", Guide: "Answer the yes/no questions when the dialog asks them", Done: reused, Do: x.answerQuestions},
		{Name: "xero.fill_company_url", Guide: "Company or application URL, starting with https:// (after Next when the dialog has two screens)", Frame: "xero.new_app.company_url", Done: reused, Do: x.fillCompanyURL},
		{Name: "xero.fill_redirect_uri", Guide: "Redirect URI: https://xero.codat.io/oauth2/callback", Frame: "xero.new_app.redirect_uri", Done: reused, Do: x.fillRedirectURI},
		{Name: "xero.accept_terms", Guide: "Tick the box to accept the Xero Developer Platform terms", Frame: "xero.new_app.terms", Done: reused, Do: x.acceptTerms},
		{Name: "xero.create_app", Guide: "Click Create app: the app opens on its App details page (an app of that name is opened instead)", Writes: true, Do: x.createApp},
		{Name: "xero.save_app_details", Guide: "Add the privacy policy and terms URLs on App details and Save", Writes: true, Do: x.saveAppDetails},
		{Name: "xero.open_configuration", Guide: "Select Configuration in the left pane", Done: inHand, Do: x.openConfiguration},
		{Name: "xero.reveal_client_id", Guide: "Click the eye icon to reveal the client id", Frame: "xero.configuration.client_id", Done: inHand, Do: x.revealClientID},
		{Name: "xero.generate_secret", Guide: "Click Generate a secret, copy Client secret 1 and store it before leaving the page", Writes: true, Frame: "xero.configuration.client_secret_1", Done: inHand, Do: x.generateSecret},
	}
}

func xeroSignIn(s *Session) *signIn {
	c := s.Env.Config.Xero
	return &signIn{
		portal: "xero", loginURL: c.LoginURL, allowed: []string{origin(c.LoginURL), origin(c.DeveloperURL)},
		screens: []screen{
			{fields: []field{{element: "xero.signin.email", value: func() string { return c.Email }}}, submit: "xero.signin.submit"},
			{fields: []field{{element: "xero.signin.password", value: c.Password.Reveal, secret: true}}, submit: "xero.signin.submit"},
		},
		code: "xero.two_step.code", codeSubmit: "xero.two_step.submit", codeErr: "xero.two_step.error",
		push: "xero.two_step_push.backup",
		totp: c.TOTPSecret, totpKey: "xero.totp_secret",
		email: c.Email, password: c.Password, passKey: "xero.password",
		errorEl: "xero.signin.error", captcha: "xero.signin.captcha",
		trust: "xero.two_step.trust_device",
	}
}

func (x *xero) myAppsURL(s *Session) string {
	return strings.TrimRight(s.Env.Config.Xero.DeveloperURL, "/") + "/app/manage"
}

// openApp opens the app named app.name from My Apps (bot check reaches
// App details so; the run comes there by creating it).
func (x *xero) openApp(ctx context.Context, s *Session) error {
	if m, _, _ := s.finder(nil).Probe(ctx, s.El("xero.my_apps.heading")); m == nil {
		if _, err := s.open(ctx, xeroSignIn(s), x.myAppsURL(s), "xero.my_apps.heading"); err != nil {
			return err
		}
	}
	if m, _, _ := s.finder(nil).Probe(ctx, s.El("xero.my_apps.app_link")); m == nil {
		return notThere("no app named %q", s.Env.Config.App.Name)
	}
	if err := s.Click(ctx, "xero.my_apps.app_link"); err != nil {
		return err
	}
	_, err := s.arrive(ctx, xeroSignIn(s), "xero.app_details.heading")
	return err
}

// nextScreen goes on to the New app dialog's second screen, when it has
// one, by the run's own steps: the first screen answered (typing is no
// write), then Next. Nothing is submitted.
func (x *xero) nextScreen(ctx context.Context, s *Session) (bool, error) {
	next, _, _ := s.finder(nil).Probe(ctx, s.El("xero.new_app.next"))
	if next == nil {
		return false, nil
	}
	for _, do := range []func(context.Context, *Session) error{x.fillAppName, x.chooseWebApp, x.answerQuestions} {
		if err := do(ctx, s); err != nil {
			return false, err
		}
	}
	if err := next.Click(ctx); err != nil {
		return false, err
	}
	_, err := s.Find(ctx, "xero.new_app.create")
	return err == nil, err
}

// openMyApps reads the connection limit the portal shows, and looks for an
// app of the same name so that a rerun never creates a duplicate.
func (x *xero) openMyApps(ctx context.Context, s *Session) error {
	if _, err := s.arrive(ctx, xeroSignIn(s), "xero.my_apps.heading"); err != nil {
		return err
	}
	if _, err := s.Find(ctx, "xero.my_apps.new_app"); err != nil {
		return err
	}
	// A look that fails is not "no app": the run would create a second one.
	m, _, err := s.finder(nil).Probe(ctx, s.El("xero.my_apps.app_link"))
	if err != nil {
		return err
	}
	if m != nil || s.AppID != "" {
		x.reused = true
		s.progress("an app named %q exists already: reusing it", s.Env.Config.App.Name)
		if lim, _, _ := s.finder(nil).Probe(ctx, s.El("xero.my_apps.connection_limit")); lim != nil {
			s.Summary.Limits.Connections, _ = lim.Value(ctx)
		}
	}
	return nil
}

func (x *xero) newApp(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "xero.my_apps.new_app"); err != nil {
		return err
	}
	_, err := s.Find(ctx, "xero.new_app.dialog")
	return err
}

func (x *xero) fillAppName(ctx context.Context, s *Session) error {
	return s.Fill(ctx, "xero.new_app.app_name", s.Env.Config.App.Name)
}

func (x *xero) chooseWebApp(ctx context.Context, s *Session) error {
	m, err := s.Find(ctx, "xero.new_app.web_app")
	if err != nil {
		return err
	}
	return m.SetChecked(ctx, true)
}

func (x *xero) fillCompanyURL(ctx context.Context, s *Session) error {
	m, err := x.onScreen(ctx, s, "xero.new_app.company_url")
	if err != nil {
		return err
	}
	return m.Fill(ctx, s.Env.Config.App.CompanyURL)
}

func (x *xero) fillRedirectURI(ctx context.Context, s *Session) error {
	m, err := x.onScreen(ctx, s, "xero.new_app.redirect_uri")
	if err != nil {
		return err
	}
	return m.Fill(ctx, s.redirectURI("xero"))
}

// onScreen finds a field of the new-app dialog, going on to the dialog's
// next screen first when the field is not on this one: the 2025-26 dialog
// asks name, type and questions, then Next, then URLs and terms. A Next that
// stays disabled names what the screen asks that the bot did not answer.
func (x *xero) onScreen(ctx context.Context, s *Session, element string) (*locate.Match, error) {
	f := s.finder(nil)
	m, err := f.First(ctx, s.El(element), s.El("xero.new_app.next"))
	if err != nil || m.Element.Name == element {
		return m, err
	}
	s.progress("the dialog has another screen: clicking %s", m.Locator.Name)
	if err := m.Click(ctx); err != nil {
		return nil, err
	}
	return f.Find(ctx, s.El(element))
}

// answerQuestions answers the two yes/no questions newer versions of the
// dialog ask: AI training per xero.ai_training, security requirements yes.
//
// A question the dialog asks in other words than the data's is followed when
// it is safe (its keywords kept); one it does not recognise at all is left
// unanswered, and the disabled button that follows names it.
func (x *xero) answerQuestions(ctx context.Context, s *Session) error {
	ai := "xero.new_app.ai_training_no"
	if s.Env.Config.Xero.AITraining {
		ai = "xero.new_app.ai_training_yes"
	}
	for _, q := range []struct{ question, answer string }{{"xero.new_app.ai_training_question", ai},
		{"xero.new_app.security_question", "xero.new_app.security_yes"}} {
		if m, _, _ := s.finder(nil).Probe(ctx, s.El(q.question)); m == nil {
			continue // this version of the dialog does not ask it
		}
		m, err := s.Find(ctx, q.answer)
		if err != nil {
			return err
		}
		if err := m.SetChecked(ctx, true); err != nil {
			return err
		}
	}
	return nil
}

func (x *xero) acceptTerms(ctx context.Context, s *Session) error {
	m, err := x.onScreen(ctx, s, "xero.new_app.terms")
	if err != nil {
		return err
	}
	return m.SetChecked(ctx, true)
}

// createApp submits the dialog; a field error the portal shows is reported
// as such (exit 4), not as a missing page.
func (x *xero) createApp(ctx context.Context, s *Session) error {
	if !x.reused {
		if err := s.Click(ctx, "xero.new_app.create"); err != nil {
			return err
		}
		m, err := s.finder(nil).First(ctx, s.El("xero.app_details.heading"), s.El("xero.new_app.error"))
		if err != nil {
			return err
		}
		if m.Element.Name == "xero.new_app.error" {
			msg, _ := m.Value(ctx)
			return &fail.Error{Kind: fail.Mismatch, Page: "xero.new_app", Element: "xero.new_app.error",
				Err: fmt.Errorf("the Xero portal refused the new app: %q", msg)}
		}
		return x.readAppID(ctx, s, m.Href)
	}
	if err := s.openExistingApp(ctx, "xero.my_apps.app_link"); err != nil {
		return err
	}
	m, err := s.arrive(ctx, xeroSignIn(s), "xero.app_details.heading")
	if err != nil {
		return err
	}
	return x.readAppID(ctx, s, m.Href)
}

var xeroAppPath = regexp.MustCompile(`/app/manage/app/([^/?#]+)`)

// readAppID takes the app's id from the address of App details: href, the
// address of the document its heading was found in, when it has it; else
// the tab's, waiting for it (a single-page portal may draw the page before
// it updates the address).
func (x *xero) readAppID(ctx context.Context, s *Session, href string) error {
	var id []string
	if u, err := url.Parse(href); err == nil {
		id = xeroAppPath.FindStringSubmatch(u.Path)
	}
	if id == nil {
		at := ""
		err := locate.Until(ctx, "the App details address", func(ctx context.Context) (bool, error) {
			u, err := s.Location(ctx)
			if err != nil {
				return false, err
			}
			at = u.Path
			id = xeroAppPath.FindStringSubmatch(u.Path)
			return id != nil, nil
		})
		if err != nil {
			return &fail.Error{Kind: fail.Mismatch, Page: "xero.app_details", Err: fmt.Errorf("the App details page is at %s, expected /app/manage/app/{id}", at)}
		}
	}
	s.setApp(id[1], strings.TrimRight(s.Env.Config.Xero.DeveloperURL, "/")+path.Join("/app/manage/app", id[1]))
	return nil
}

func (x *xero) appURL(s *Session, sub string) string {
	return s.Summary.App.URL + sub
}

// saveAppDetails adds the privacy policy and terms URLs (the guide's tip;
// required to become a Xero app partner), when they are configured.
func (x *xero) saveAppDetails(ctx context.Context, s *Session) error {
	app := s.Env.Config.App
	if app.PrivacyURL == "" && app.TermsURL == "" {
		return nil
	}
	if _, err := s.arrive(ctx, xeroSignIn(s), "xero.app_details.heading"); err != nil {
		return err
	}
	for name, v := range map[string]string{"xero.app_details.privacy_url": app.PrivacyURL, "xero.app_details.terms_url": app.TermsURL} {
		if v == "" {
			continue
		}
		if err := s.Fill(ctx, name, v); err != nil {
			return err
		}
	}
	if err := s.Click(ctx, "xero.app_details.save"); err != nil {
		return err
	}
	m, err := s.finder(nil).First(ctx, s.El("xero.app_details.saved"), s.El("xero.app_details.error"))
	if err != nil {
		return err
	}
	if m.Element.Name == "xero.app_details.error" {
		msg, _ := m.Value(ctx)
		return &fail.Error{Kind: fail.Mismatch, Page: "xero.app_details", Element: m.Element.Name, Err: fmt.Errorf("the Xero portal refused the app details: %q", msg)}
	}
	return nil
}

func (x *xero) openConfiguration(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "xero.app_details.configuration"); err != nil {
		return err
	}
	_, err := s.arrive(ctx, xeroSignIn(s), "xero.configuration.show_client_id")
	return err
}

var xeroClientID = regexp.MustCompile(`^[0-9A-F]{32}$`)

// revealClientID clicks the eye icon and waits until the field shows the
// 32 hexadecimal characters of a client id.
func (x *xero) revealClientID(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "xero.configuration.show_client_id"); err != nil {
		return err
	}
	m, err := s.Find(ctx, "xero.configuration.client_id")
	if err != nil {
		return err
	}
	var id string
	err = untilValue(ctx, m, "the client id to show", func(v string) bool {
		id = strings.TrimSpace(v)
		return xeroClientID.MatchString(id)
	})
	if err != nil {
		return &fail.Error{Kind: fail.Mismatch, Page: "xero.configuration", Element: "xero.configuration.client_id", Err: err}
	}
	s.locked(func() { s.ClientID, s.Summary.ClientID = id, id })
	return nil
}

// generateSecret generates a secret in a free slot, reads it and stores it
// (0600, atomic) in the same step: leaving the page loses it for good. When
// both slots hold secrets nobody has (an earlier run died before storing),
// the one Codat is not known to hold is removed first: at most two live.
func (x *xero) generateSecret(ctx context.Context, s *Session) error {
	f := s.finder(nil)
	gen, another := s.El("xero.configuration.generate_secret"), s.El("xero.configuration.generate_another")
	m, _, err := f.Probe(ctx, gen)
	if m == nil && err == nil {
		m, _, err = f.Probe(ctx, another)
	}
	if err != nil {
		return err
	}
	if m == nil {
		// Two live secrets show two Remove buttons and no Generate button;
		// anything else is a page still drawing, or one that changed.
		if full, _, _ := f.Probe(ctx, s.El("xero.configuration.remove_secret_2")); full != nil {
			if err := x.freeASlot(ctx, s); err != nil {
				return err
			}
		}
		if m, err = f.First(ctx, gen, another); err != nil {
			return err
		}
	}
	// "Generate a secret" shows when no secret is live: the new one is
	// then the only one, and nothing is left to remove at the end.
	x.slotsSeen, x.otherLive = true, m.Element.Name != gen.Name
	// What the slots show before the click, so that the new secret is told
	// from what was there. With no live secret, no slot shows one; with
	// one, its slot shows it masked or by its date. Either way nothing
	// there looks like a secret, so a slot reworded beyond the data is not
	// looked for here (the drift rules cost three calls a slot, on the
	// run's critical path).
	var before [2]string
	if x.otherLive {
		for i := range xeroSlots {
			before[i] = x.slotValue(ctx, s, i, false)
		}
	}
	if err := m.Click(ctx); err != nil {
		return err
	}
	var slot int
	var raw string
	drift := locate.DriftPace()
	err = locate.Until(ctx, "the new secret to show", func(ctx context.Context) (bool, error) {
		d := drift()
		for i := range xeroSlots {
			if v := x.slotValue(ctx, s, i, d); v != before[i] && looksLikeSecret(v) {
				slot, raw = i+1, v
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return &fail.Error{Kind: fail.Mismatch, Page: "xero.configuration", Element: "xero.configuration.client_secret_1", Err: err}
	}
	sec, err := s.keepSecret(fmt.Sprintf("xero.configuration.client_secret_%d", slot), raw)
	if err != nil {
		return err
	}
	s.locked(func() {
		s.ClientSecret = sec
		if s.state != nil {
			s.state.SecretSlot = slot
		}
	})
	return s.saveState()
}

// looksLikeSecret tells a freshly shown secret from a masked one or from a
// slot that shows only its creation date.
func looksLikeSecret(v string) bool {
	v = strings.TrimSpace(v)
	return len(v) >= 20 && !strings.ContainsAny(v, " •*")
}

// xeroSlots are the Configuration page's two secret slots.
var xeroSlots = [2]string{"xero.configuration.client_secret_1", "xero.configuration.client_secret_2"}

// slotValue reads what slot i ("Client secret 1", "Client secret 2") shows
// now, "" when it is not there; drift says whether a slot not found as
// written is looked for reworded (a wait paces those looks:
// locate.DriftPace).
func (x *xero) slotValue(ctx context.Context, s *Session, i int, drift bool) string {
	f := s.finder(nil)
	f.NoDrift = !drift
	m, _, _ := f.Probe(ctx, s.El(xeroSlots[i]))
	if m == nil {
		return ""
	}
	v, _ := m.Value(ctx)
	return v
}

// freeASlot removes one of two live secrets that this run does not hold:
// the one Codat is not known to hold, else the older (slot 1).
func (x *xero) freeASlot(ctx context.Context, s *Session) error {
	remove := 1
	if s.state != nil && s.state.SecretSlot == 1 && s.state.CodatFingerprint != "" {
		remove = 2
	}
	s.progress("both client secrets are live and neither is in hand: removing Client secret %d", remove)
	return x.removeSlot(ctx, s, remove)
}

func (x *xero) removeSlot(ctx context.Context, s *Session, slot int) error {
	name := fmt.Sprintf("xero.configuration.remove_secret_%d", slot)
	if err := s.Click(ctx, name); err != nil {
		return err
	}
	return s.finder(nil).Gone(ctx, s.El(name))
}

// removeUnusedSecrets opens Configuration again once Codat holds the new
// secret and removes any other live secret: nothing holds it any more, and
// Xero allows two at most.
func (x *xero) removeUnusedSecrets(ctx context.Context, s *Session) error {
	if s.state == nil || s.state.SecretSlot == 0 || !s.codatHolds() {
		return nil
	}
	if x.slotsSeen && !x.otherLive {
		return nil // the secret was made in the only live slot: nothing to remove, no page to open
	}
	if _, err := s.open(ctx, xeroSignIn(s), x.appURL(s, "/configuration"), "xero.configuration.show_client_id"); err != nil {
		return err
	}
	other := 3 - s.state.SecretSlot
	if m, _, _ := s.finder(nil).Probe(ctx, s.El(fmt.Sprintf("xero.configuration.remove_secret_%d", other))); m == nil {
		return nil
	}
	s.progress("removing Client secret %d, which nothing holds now", other)
	return x.removeSlot(ctx, s, other)
}
