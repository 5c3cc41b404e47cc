package flows

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"portalbot/internal/config"
	"portalbot/internal/fail"
)

// The registry: one description per portal, in one place, that run, check,
// shots, rotate, login, the configuration's validation and the command
// line all read. Adding a portal is adding one Portal (its own file says
// how it signs in, which pages it has and how to reach each, the run's and
// the rotation's steps) to registry below; nothing else switches on a
// portal's name.

// Portal describes one portal.
type Portal struct {
	Name  string // "xero": the first part of its steps', pages' and elements' names
	Title string // "Xero", for people

	// Config is what the configuration must hold for this portal: its
	// account, its URLs, its own rules (config.Validate).
	Config config.Portal

	// SignIn is the portal's sign-in (screens, two-step page, the origins
	// credentials may be typed on).
	SignIn func(*Session) *signIn
	// SignInGuide is the guide's line of the sign-in step.
	SignInGuide string
	// Home is the first page a signed-in account sees, and its element
	// that says it is there; the sign-in ends on it.
	Home      func(*Session) string
	HomeReady string
	// OnSignInPage says u is one of the portal's sign-in pages (a session
	// that ended mid-step shows it).
	OnSignInPage func(c *config.Config, u *url.URL) bool
	// Origins are the origins whose cookies and storage make up a signed-in
	// session (internal/session).
	Origins func(c *config.Config) []string

	// Pages are the pages the portal shows, in the order a run meets
	// them, each with how it is reached: bot check walks them.
	Pages []Page

	// Provider is set for a developer portal whose OAuth app the bot makes
	// (bot run, check, rotate, shots); Codat's portal has none.
	Provider *ProviderFlow
}

// ProviderFlow is what a provider adds to its portal: the run's steps, the
// rotation's, and Codat's integration of it.
type ProviderFlow struct {
	// Integration is Codat's accounting integration of this provider.
	Integration codat
	// Run returns the provider's part of a run (fresh state per run).
	Run func() Flow
	// Rotate returns the provider's part of bot rotate.
	Rotate func(r *rotation) Flow
	// RegenerateOnly: the portal has one secret, which a rotation
	// regenerates (the old one stops at once): bot rotate needs
	// --accept-gap.
	RegenerateOnly bool
	// CodatFirst: Codat's part is the longer path of this provider's job
	// (its sign-in, settings and Enable dialog take more pages than the
	// provider's app), so Codat's steps take the browser's first tab,
	// ready when the run starts, and the provider's tab opens beside it.
	CodatFirst bool
}

// Flow is a provider's part of a run: its steps, the step that has the keys
// (Codat's part waits for it), and steps that follow Codat's.
type Flow struct {
	Steps []Step
	Keys  string
	Final []Step
}

// Page is one page of a portal, as bot check walks it.
type Page struct {
	Name  string // the selectors' page, "xero.new_app"
	Guide string // what the check step says
	// From is the page Reach starts from ("" the previous page): when that
	// page was not there, this one is not checked (reported once).
	From string
	// Reach opens the page by the run's own navigation. It returns
	// errNotThere when the page needs what the portal does not have (an
	// app that does not exist): the page is then skipped, and said so.
	// Nil: the page the walk is on (the sign-in lands on it).
	Reach func(ctx context.Context, s *Session) error
	// OneOf are groups of elements of which one shows, depending on the
	// portal's state (Set up or Manage): the first that shows is checked.
	OneOf [][]string
	// Next goes on to the page's further screen the way the run does,
	// without submitting (a dialog of two screens); false when the page
	// has none.
	Next func(ctx context.Context, s *Session) (bool, error)
	// Leave undoes what Reach opened, without submitting: the check's
	// replacement of the step that writes (the dialog closed, not created).
	Leave func(ctx context.Context, s *Session) error
}

// errNotThere is what a Page's Reach returns when the portal has nothing to
// show there (no app of that name): not a change of the portal.
var errNotThere = errors.New("not there")

// notThere is errNotThere with what is missing, for the progress line.
func notThere(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errNotThere}, args...)...)
}

// registry holds every portal: the providers in their order, then Codat.
// It is filled in init: the descriptions' functions look portals up in it.
var registry []*Portal

// Providers the bot knows: the portals with a provider flow, in order.
var Providers []string

// LoginPortals are the portals `bot login` signs in to: all of them.
var LoginPortals []string

func init() {
	registry = []*Portal{xeroPortal, freeagentPortal, codatPortal}
	Providers, LoginPortals = providerNames(), portalNames()
}

// All is the target of bot check that checks every portal at once.
const All = "all"

func providerNames() []string {
	var out []string
	for _, p := range registry {
		if p.Provider != nil {
			out = append(out, p.Name)
		}
	}
	return out
}

func portalNames() []string {
	out := make([]string, len(registry))
	for i, p := range registry {
		out[i] = p.Name
	}
	return out
}

// PortalTitles are the portals' names for people, by portal name
// ("freeagent": "FreeAgent"), for the check's reports.
func PortalTitles() map[string]string {
	out := make(map[string]string, len(registry))
	for _, p := range registry {
		out[p.Name] = p.Title
	}
	return out
}

// portalNamed returns the portal called name, nil when there is none.
func portalNamed(name string) *Portal {
	for _, p := range registry {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// providerNamed returns the provider called name, or a configuration error
// that lists the known ones.
func providerNamed(name string) (*Portal, error) {
	if p := portalNamed(name); p != nil && p.Provider != nil {
		return p, nil
	}
	return nil, fail.New(fail.Config, "unknown provider %q: choose one of %s", name, strings.Join(Providers, ", "))
}

// portalsOf are the portals a run for target signs in to, in order: the
// provider then Codat; for All (bot check all) every provider then Codat,
// Codat once.
func portalsOf(target string) ([]*Portal, error) {
	if target == All {
		return slices.Clone(registry), nil
	}
	p, err := providerNamed(target)
	if err != nil {
		return nil, err
	}
	return []*Portal{p, codatPortal}, nil
}

// ConfigPortals are the configuration rules of the portals a run for target
// signs in to (config.Validate): the provider first.
func ConfigPortals(target string) ([]config.Portal, error) {
	ps, err := portalsOf(target)
	if err != nil {
		return nil, err
	}
	out := make([]config.Portal, len(ps))
	for i, p := range ps {
		out[i] = p.Config
	}
	return out, nil
}

// ConfigPortal is the configuration rule of portal (bot login), false when
// there is no such portal.
func ConfigPortal(portal string) (config.Portal, bool) {
	if p := portalNamed(portal); p != nil {
		return p.Config, true
	}
	return config.Portal{}, false
}

// AllConfigPortals are every portal's configuration rules (a redirect URI
// that is another provider's callback is refused).
func AllConfigPortals() []config.Portal {
	out := make([]config.Portal, len(registry))
	for i, p := range registry {
		out[i] = p.Config
	}
	return out
}

// signInStep is a portal's first step: open its home page, signing in when
// it asks.
func (p *Portal) signInStep() Step {
	return Step{Name: p.Name + ".sign_in", Guide: p.SignInGuide, SignsIn: true, Do: p.signIn}
}

func (p *Portal) signIn(ctx context.Context, s *Session) error {
	_, err := s.open(ctx, p.SignIn(s), p.Home(s), p.HomeReady)
	return err
}

// redirectURI is app.redirect_uri, or Codat's callback for the provider.
func (s *Session) redirectURI(provider string) string {
	if u := s.Env.Config.App.RedirectURI; u != "" {
		return u
	}
	if p := portalNamed(provider); p != nil {
		return p.Config.RedirectURI
	}
	return ""
}

// ValidateConfig checks cfg for a run for target before any browser starts
// (config.Validate with the registry's rules of the portals it signs in to).
func ValidateConfig(cfg *config.Config, target string) error {
	ps, err := ConfigPortals(target)
	if err != nil {
		return err
	}
	return cfg.Validate(ps, AllConfigPortals())
}

// ValidateLoginConfig checks cfg for bot login portal.
func ValidateLoginConfig(cfg *config.Config, portal string) error {
	p, ok := ConfigPortal(portal)
	if !ok {
		return fail.New(fail.Config, "unknown portal %q: use %s", portal, strings.Join(LoginPortals, ", "))
	}
	return cfg.ValidateLogin(p)
}

// Account is the email of the account the bot signs in to portal with.
func Account(cfg *config.Config, portal string) string {
	if p, ok := ConfigPortal(portal); ok {
		return cfg.Value(p.Email)
	}
	return ""
}
