package flows

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
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

// checkSteps walk the pages of portals as their descriptions say
// (Portal.Pages): each portal's sign-in, then one step per page, reached by
// the run's own navigation. Each portal works in a tab of its own, the
// portals side by side: the first in the tab the check starts in, Codat in
// Codat's tab (as in a run), another in a tab named after it.
func checkSteps(portals []*Portal) []Step {
	var steps []Step
	for i, p := range portals {
		tab := p.Name
		switch {
		case i == 0:
			tab = ""
		case p.Provider == nil:
			tab = TabCodat // the portal the providers deliver to: its tab in a run too
		}
		si := p.signInStep()
		si.Tab = tab
		steps = append(steps, si)
		for j, pg := range p.Pages {
			from := pg.From
			if from == "" && j > 0 {
				from = p.Pages[j-1].Name
			}
			_, short, _ := strings.Cut(pg.Name, ".")
			steps = append(steps, Step{Name: p.Name + ".check_" + short, Tab: tab, Guide: pg.Guide,
				Do: func(ctx context.Context, s *Session) error { return s.checkVisit(ctx, pg, from) }})
		}
	}
	return steps
}

// checkVisit reaches page pg from the page from (when that one was there)
// as the run does, resolves each of its unconditional elements (each screen
// of it), and leaves it without submitting anything.
func (s *Session) checkVisit(ctx context.Context, pg Page, from string) error {
	if from != "" && s.notWalked(from) {
		s.markNotWalked(pg.Name)
		return nil // no way there: reported by the steps before
	}
	if pg.Reach != nil {
		if err := pg.Reach(ctx, s); err != nil {
			if errors.Is(err, errNotThere) {
				s.progress("%s not checked: %s", pg.Name, strings.TrimPrefix(err.Error(), errNotThere.Error()+": "))
				s.markNotWalked(pg.Name)
				return nil
			}
			s.markNotWalked(pg.Name)
			return err
		}
	}
	if err := s.checkPage(ctx, pg.Name); err != nil {
		return err
	}
	for _, group := range pg.OneOf {
		if err := s.checkOneOf(ctx, pg.Name, group...); err != nil {
			return err
		}
	}
	more := false
	if pg.Next != nil {
		// The first screen's picture before Next moves on from it.
		s.pagePicture(ctx, pg.Name, false)
		var err error
		if more, err = pg.Next(ctx, s); err != nil {
			return err
		}
		if more {
			if err := s.checkPageExcept(ctx, pg.Name, s.resolved); err != nil {
				return err
			}
		}
	}
	// Checked, still on screen (a dialog still open): the reports'
	// picture of it (check_picture.go).
	s.pagePicture(ctx, pg.Name, more)
	if pg.Leave != nil {
		return pg.Leave(ctx, s)
	}
	return nil
}

// resolved says the check found element already (on an earlier screen).
func (s *Session) resolved(element string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.Summary.Checks {
		if c.Element == element && c.Status != "missing" && c.Status != "ambiguous" {
			return true
		}
	}
	return false
}

// notWalked says the check could not see page: its ready element was
// missing, or the way there was not (no app, a failed click).
func (s *Session) notWalked(page string) bool {
	s.mu.Lock()
	skipped := s.skipped[page]
	s.mu.Unlock()
	if skipped {
		return true
	}
	if p := s.Env.Selectors.Page(page); p != nil && p.Ready != "" {
		return s.knownMissing(page + "." + p.Ready)
	}
	return false
}

func (s *Session) markNotWalked(page string) {
	s.locked(func() {
		if s.skipped == nil {
			s.skipped = map[string]bool{}
		}
		s.skipped[page] = true
	})
}

// closeDialog closes the open dialog of the page without submitting it
// (Escape), and waits until it is gone: the check's stand-in for the step
// that would create.
func closeDialog(page string) func(ctx context.Context, s *Session) error {
	return func(ctx context.Context, s *Session) error {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
			return err
		}
		return s.finder(nil).Gone(ctx, s.El(page+"."+s.Env.Selectors.Page(page).Ready))
	}
}

// checkPage resolves every unconditional element of page.
func (s *Session) checkPage(ctx context.Context, page string) error {
	return s.checkPageExcept(ctx, page, nil)
}

// checkPageExcept checks the elements of page that skip does not name (a
// dialog's second screen: the first screen's elements are checked already).
func (s *Session) checkPageExcept(ctx context.Context, page string, skip func(name string) bool) error {
	p := s.Env.Selectors.Page(page)
	var ready *locate.Match
	if p.Ready != "" {
		if s.knownMissing(page + "." + p.Ready) {
			return nil // an earlier step waited for this page in vain: reported once
		}
		m, err := s.Find(ctx, page+"."+p.Ready)
		if err != nil {
			var nf *locate.NotFoundError
			if errors.As(err, &nf) {
				s.recordCheck(page, page+"."+p.Ready, nil, nf)
				return nil // the page is not there: each element below would say the same
			}
			return err
		}
		ready = m
	}
	for _, el := range s.Env.Selectors.PageElements(page) {
		if skip != nil && skip(el.Name) {
			continue
		}
		if ready != nil && el.Name == ready.Element.Name {
			// Found above, with the step's wait (a rewording followed
			// there is reported as such): not looked for twice.
			s.recordCheck(page, el.Name, ready, nil)
			continue
		}
		if el.When != "" {
			s.locked(func() {
				s.Summary.Checks = append(s.Summary.Checks, report.Check{Page: page, Element: el.Name, Status: "conditional", When: el.When})
			})
			continue
		}
		m, nf, err := s.checkLook(ctx, el)
		if err != nil {
			return err
		}
		s.recordCheck(page, el.Name, m, nf)
	}
	return nil
}

// checkLook waits up to CheckWait for the first of els that shows; when
// none did, it looks once more, the drift rules included, before the check
// calls them missing. The wait's own drift looks run on a clock (DriftAfter
// in, then less often): on a loaded machine or a slow page the window can
// close before they have read the page at all, and a reworded element would
// then be reported missing (exit 4) instead of drift (exit 7). nf is the
// wait's answer when nothing showed.
func (s *Session) checkLook(ctx context.Context, els ...*selectors.Element) (m *locate.Match, nf *locate.NotFoundError, err error) {
	f := s.finder(nil)
	wait := CheckWait
	if s.Env.CheckWait > 0 {
		wait = s.Env.CheckWait
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	if len(els) == 1 {
		m, err = f.Find(wctx, els[0]) // counts the matches of an ambiguous element
	} else {
		m, err = f.First(wctx, els...)
	}
	cancel()
	if err == nil || !errors.As(err, &nf) {
		return m, nil, err
	}
	if ctx.Err() != nil {
		return nil, nf, nil
	}
	if m, lerr := f.ProbeAny(ctx, true, nil, els...); lerr == nil && m != nil {
		return m, nil, nil
	}
	// A last look that fails (the page navigating) leaves the wait's answer.
	return nil, nf, nil
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

// checkOneOf records the first of elements that shows, or the first element
// as missing when none does: alternatives that depend on the portal's state.
func (s *Session) checkOneOf(ctx context.Context, page string, elements ...string) error {
	els := make([]*selectors.Element, len(elements))
	for i, n := range elements {
		els[i] = s.El(n)
	}
	m, nf, err := s.checkLook(ctx, els...)
	switch {
	case err != nil:
		return err
	case m != nil:
		s.recordCheck(page, m.Element.Name, m, nil)
	default:
		s.recordCheck(page, elements[0], nil, nf)
	}
	return nil
}

// checkOutcome turns the checks into the run's result: exit 4 naming every
// element that no longer matches, page by page; else exit 7 naming every
// element the portal reworded in a way the bot follows, with the fix file
// written for them; else success.
func checkOutcome(s *Session) error {
	s.groupChecks()
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

// groupChecks orders the check's rows portal by portal, in the registry's
// order (the portals' tabs fill them side by side), each portal's in the
// order they were checked.
func (s *Session) groupChecks() {
	s.locked(func() {
		rank := func(c report.Check) int {
			return slices.IndexFunc(registry, func(p *Portal) bool { return p.Name == portalOf(c.Page) })
		}
		slices.SortStableFunc(s.Summary.Checks, func(a, b report.Check) int { return rank(a) - rank(b) })
	})
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
