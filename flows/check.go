package flows

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"go.uber.org/zap"

	"portalbot/internal/fail"
	"portalbot/internal/locate"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// A regression check walks the portals like a run, without writing: it
// signs in, opens each page (and the New app dialog, which it closes), and
// resolves every element of the page that is not conditional. It reports
// every element, not only the first that is missing.

// CheckWait is how long a check waits for each element once its page is
// ready: the page has rendered by then, so a missing element is missing. It
// leaves time for the drift rules (locate.DriftAfter) to follow a rewording.
var CheckWait = 1200 * time.Millisecond

func checkSteps(provider string) []Step {
	switch provider {
	case "xero":
		x := &xero{}
		return append([]Step{
			{Name: "xero.sign_in", Guide: "Sign in to the Xero developer portal", Do: x.signIn},
			{Name: "xero.check_my_apps", Guide: "My Apps matches", Do: checkPage("xero.my_apps")},
			{Name: "xero.check_new_app", Guide: "The New app dialog matches (closed without creating)", Do: x.checkNewApp},
			{Name: "xero.check_app", Guide: "App details and Configuration match (when the app exists)", Do: x.checkApp},
		}, codatXero.checkSteps()...)
	case "freeagent":
		fa := &freeagent{}
		return append([]Step{
			{Name: "freeagent.sign_in", Guide: "Sign in to the FreeAgent developer dashboard", Do: fa.signIn},
			{Name: "freeagent.check_my_apps", Guide: "My Apps matches", Do: checkPage("freeagent.my_apps")},
			{Name: "freeagent.check_new_app", Guide: "The new app form matches (not submitted)", Do: fa.checkNewApp},
			{Name: "freeagent.check_app", Guide: "The app page matches (when the app exists)", Do: fa.checkApp},
		}, codatFreeAgent.checkSteps()...)
	}
	return nil
}

func (c codat) checkSteps() []Step {
	return []Step{
		{Name: "codat.sign_in", Tab: TabCodat, Guide: "Sign in to the Codat portal", Do: c.signIn},
		{Name: "codat.check_integrations", Tab: TabCodat, Guide: "Accounting integrations matches", Do: c.checkIntegrations},
		{Name: "codat.check_settings", Tab: TabCodat, Guide: "The integration's settings match (not saved)", Do: c.checkSettings},
	}
}

// checkPage resolves every unconditional element of page.
func checkPage(page string) func(context.Context, *Session) error {
	return func(ctx context.Context, s *Session) error { return s.checkPage(ctx, page) }
}

func (s *Session) checkPage(ctx context.Context, page string) error {
	return s.checkPageExcept(ctx, page, nil)
}

// checkPageExcept checks the elements of page that skip does not name (a
// dialog's second screen: the first screen's elements are checked already).
func (s *Session) checkPageExcept(ctx context.Context, page string, skip func(name string) bool) error {
	defer s.pageChecked(ctx, page, skip != nil) // its picture, for the reports (check_picture.go)
	p := s.Env.Selectors.Page(page)
	if p.Ready != "" {
		if s.knownMissing(page + "." + p.Ready) {
			return nil // an earlier step waited for this page in vain: reported once
		}
		if _, err := s.Find(ctx, page+"."+p.Ready); err != nil {
			var nf *locate.NotFoundError
			if errors.As(err, &nf) {
				s.recordCheck(page, page+"."+p.Ready, nil, nf)
				return nil // the page is not there: each element below would say the same
			}
			return err
		}
	}
	for _, el := range s.Env.Selectors.PageElements(page) {
		if skip != nil && skip(el.Name) {
			continue
		}
		if el.When != "" {
			s.locked(func() {
				s.Summary.Checks = append(s.Summary.Checks, report.Check{Page: page, Element: el.Name, Status: "conditional", When: el.When})
			})
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, CheckWait)
		m, err := s.finder(nil).Find(wctx, el)
		cancel()
		var nf *locate.NotFoundError
		if err != nil && !errors.As(err, &nf) {
			return err
		}
		s.recordCheck(page, el.Name, m, nf)
	}
	return nil
}

// knownMissing says the check has already waited in vain for element: a
// later step that needs the same page does not wait again.
func (s *Session) knownMissing(element string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.Summary.Checks {
		if c.Element == element && c.Status == "missing" {
			return true
		}
	}
	return false
}

func (s *Session) recordCheck(page, element string, m *locate.Match, nf *locate.NotFoundError) {
	c := report.Check{Page: page, Element: element}
	el := s.Env.Selectors.Elements[element]
	if len(el.Locators) > 0 {
		c.Expected = el.Locators[0].String()
	}
	switch {
	case m != nil && m.Drifted() && m.Drifts[len(m.Drifts)-1].Within:
		// Found as written, in a container (its dialog) whose own words
		// changed: the container's element reports that drift.
		d := m.Drifts[len(m.Drifts)-1]
		c.Status, c.Via = "found", fmt.Sprintf("%s, in a container now named %q", m.Via(), s.Scrub(d.Seen))
		s.fixes.add(element, m)
	case m != nil && m.Drifted():
		d := m.Drifts[len(m.Drifts)-1]
		c.Status, c.Seen = "drift", s.Scrub(d.Seen)
		c.Via = fmt.Sprintf("%s (%s)", d.Locator, d.How)
		s.fixes.add(element, m)
	case m != nil && !m.Fallback():
		c.Status, c.Via = "found", m.Via()
	case m != nil:
		c.Status, c.Via = "fallback", m.Via()
		s.fixes.add(element, m)
	case nf != nil && nf.Ambiguous > 1:
		c.Status = "ambiguous"
		c.Via = fmt.Sprintf("%d matches", nf.Ambiguous)
	default:
		c.Status = "missing"
	}
	s.notePicture(page, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.Summary.Checks { // a page checked twice keeps its last result
		if s.Summary.Checks[i].Element == element {
			s.Summary.Checks[i] = c
			return
		}
	}
	s.Summary.Checks = append(s.Summary.Checks, c)
}

func (x *xero) checkNewApp(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "xero.my_apps.new_app"); err != nil {
		return err
	}
	if err := s.checkPage(ctx, "xero.new_app"); err != nil {
		return err
	}
	// A dialog of two screens: answer the first (typing is no write),
	// go on with Next, and check what the second shows; never submit.
	if next, _, _ := s.finder(nil).Probe(ctx, s.El("xero.new_app.next")); next != nil {
		for _, do := range []func(context.Context, *Session) error{x.fillAppName, x.chooseWebApp, x.answerQuestions} {
			if err := do(ctx, s); err != nil {
				return err
			}
		}
		if err := next.Click(ctx); err != nil {
			return err
		}
		if _, err := s.Find(ctx, "xero.new_app.create"); err != nil {
			return err
		}
		found := func(name string) bool {
			for _, c := range s.Summary.Checks {
				if c.Element == name && c.Status != "missing" && c.Status != "ambiguous" {
					return true
				}
			}
			return false
		}
		if err := s.checkPageExcept(ctx, "xero.new_app", found); err != nil {
			return err
		}
	}
	// Close the dialog without creating anything.
	_ = chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape))
	return nil
}

func (x *xero) checkApp(ctx context.Context, s *Session) error {
	if s.knownMissing("xero.my_apps.heading") {
		return nil // no way to the app: reported by the steps before
	}
	if _, err := s.open(ctx, xeroSignIn(s), x.myAppsURL(s), "xero.my_apps.heading"); err != nil {
		return err
	}
	if m, _, _ := s.finder(nil).Probe(ctx, s.El("xero.my_apps.app_link")); m == nil {
		s.progress("no app named %q: App details and Configuration not checked", s.Env.Config.App.Name)
		return nil
	}
	if err := s.Click(ctx, "xero.my_apps.app_link"); err != nil {
		return err
	}
	if err := s.checkPage(ctx, "xero.app_details"); err != nil {
		return err
	}
	if err := s.Click(ctx, "xero.app_details.configuration"); err != nil {
		return err
	}
	if err := s.checkPage(ctx, "xero.configuration"); err != nil {
		return err
	}
	// One of the two generate buttons shows, unless two secrets are live.
	return s.checkOneOf(ctx, "xero.configuration", "xero.configuration.generate_secret",
		"xero.configuration.generate_another", "xero.configuration.remove_secret_2")
}

// checkOneOf records the first of elements that shows, or the first element
// as missing when none does: alternatives that depend on the portal's state.
func (s *Session) checkOneOf(ctx context.Context, page string, elements ...string) error {
	defer s.pageChecked(ctx, page, false)
	els := make([]*selectors.Element, len(elements))
	for i, n := range elements {
		els[i] = s.El(n)
	}
	wctx, cancel := context.WithTimeout(ctx, CheckWait)
	defer cancel()
	m, err := s.finder(nil).First(wctx, els...)
	var nf *locate.NotFoundError
	switch {
	case err == nil:
		s.recordCheck(page, m.Element.Name, m, nil)
	case errors.As(err, &nf):
		s.recordCheck(page, elements[0], nil, nf)
	default:
		return err
	}
	return nil
}

func (fa *freeagent) checkNewApp(ctx context.Context, s *Session) error {
	if err := s.Click(ctx, "freeagent.my_apps.create"); err != nil {
		return err
	}
	return s.checkPage(ctx, "freeagent.new_app")
}

func (fa *freeagent) checkApp(ctx context.Context, s *Session) error {
	if s.knownMissing("freeagent.my_apps.create") {
		return nil // no way to the app: reported by the steps before
	}
	if _, err := s.open(ctx, freeagentSignIn(s), fa.appsURL(s), "freeagent.my_apps.create"); err != nil {
		return err
	}
	if m, _, _ := s.finder(nil).Probe(ctx, s.El("freeagent.my_apps.app_link")); m == nil {
		s.progress("no app named %q: its page not checked", s.Env.Config.App.Name)
		return nil
	}
	if err := s.Click(ctx, "freeagent.my_apps.app_link"); err != nil {
		return err
	}
	return s.checkPage(ctx, "freeagent.app")
}

func (c codat) checkIntegrations(ctx context.Context, s *Session) error {
	if err := s.checkPage(ctx, "codat.integrations"); err != nil {
		return err
	}
	return s.checkOneOf(ctx, "codat.integrations", "codat.integrations.set_up", "codat.integrations.manage")
}

func (c codat) checkSettings(ctx context.Context, s *Session) error {
	if s.knownMissing("codat.integrations.heading") {
		return nil // no way to the settings: reported by the steps before
	}
	if _, err := s.open(ctx, codatSignIn(s), c.integrationsURL(s), "codat.integrations.heading"); err != nil {
		return err
	}
	m, err := s.finder(nil).First(ctx, s.El("codat.integrations.set_up"), s.El("codat.integrations.manage"))
	if err != nil {
		return nil // reported by checkIntegrations
	}
	if err := m.Click(ctx); err != nil {
		return err
	}
	return s.checkPage(ctx, "codat.settings")
}

// checkOutcome turns the checks into the run's result: exit 4 naming every
// element that no longer matches, page by page; else exit 7 naming every
// element the portal reworded in a way the bot follows, with the fix file
// written for them; else success.
func checkOutcome(s *Session) error {
	fixes, ferr := s.fixes.write(s.Env.Selectors, filepath.Join(s.outDir(), "selectors-fix"), s.varsNow())
	if ferr != nil {
		s.Env.Log.Warn("could not write the selector fixes", zap.Error(ferr))
	}
	for i, c := range s.Summary.Checks {
		if f := fixes[portalOf(c.Element)]; f != "" && (c.Status == "drift" || c.Status == "fallback") {
			s.Summary.Checks[i].Fix = f
		}
	}
	var bad, drifted []string
	for _, c := range s.Summary.Checks {
		switch c.Status {
		case "missing", "ambiguous":
			bad = append(bad, fmt.Sprintf("%s (page %s, expected %s): %s", c.Element, c.Page, c.Expected, c.Status))
		case "drift":
			drifted = append(drifted, fmt.Sprintf("%s (page %s): expected %s, the page shows %q", c.Element, c.Page, c.Expected, c.Seen))
		}
	}
	if len(bad) == 0 && len(drifted) > 0 {
		sort.Strings(drifted)
		var files []string
		for _, f := range fixes {
			files = append(files, f)
		}
		sort.Strings(files)
		return &fail.Error{Kind: fail.Drifted, Portal: portalOf(s.Summary.Checks[0].Element),
			Hint: fmt.Sprintf("the bot follows these rewordings; to make them the data's words, set selectors_dir to %s (written: %s)",
				filepath.Join(s.outDir(), "selectors-fix"), strings.Join(files, ", ")),
			Err: fmt.Errorf("%d element(s) reworded:\n  %s", len(drifted), strings.Join(drifted, "\n  "))}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	first := ""
	for _, c := range s.Summary.Checks {
		if c.Status == "missing" || c.Status == "ambiguous" {
			first = c.Element
			break
		}
	}
	page := strings.Join(strings.Split(first, ".")[:2], ".")
	return &fail.Error{Kind: fail.Mismatch, Portal: strings.SplitN(first, ".", 2)[0], Page: page, Element: first,
		Hint: "the portal changed: update the selectors (selectors_dir) for the elements listed",
		Err:  fmt.Errorf("%d element(s) no longer match:\n  %s", len(bad), strings.Join(bad, "\n  "))}
}

// checkContinues records a page that did not match and lets the check go on
// to the next step: a regression check reports every change, not the first.
func (s *Session) checkContinues(tab context.Context, err error) bool {
	var nf *locate.NotFoundError
	if !errors.As(err, &nf) || s.documentStatus(tab) >= 500 {
		return false
	}
	element, _, _ := strings.Cut(nf.Element, " or ")
	s.recordCheck(nf.Page, element, nil, nf)
	return true
}
