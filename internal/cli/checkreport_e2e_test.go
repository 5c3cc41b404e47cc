package cli

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	junitparser "github.com/joshdk/go-junit"

	"portalbot/internal/browsertest"
	"portalbot/internal/checkreport"
	"portalbot/internal/fakeportal"
	"portalbot/internal/shots"
)

//go:embed testdata/report_dom.js
var jsReportDOM string

// checkRun starts fresh replicas with opts and an app already made, and
// runs bot check xero with args against them in a tab of the shared test
// browser.
func checkRun(t *testing.T, opts fakeportal.Options, args ...string) shootResult {
	t.Helper()
	return checkTarget(t, "xero", opts, args...)
}

// checkTarget is checkRun for bot check target (a provider, or all: an app
// is then made on both providers, so every page is reached).
func checkTarget(t *testing.T, target string, opts fakeportal.Options, args ...string) shootResult {
	t.Helper()
	p := fakeportal.StartT(t, opts)
	p.AddXeroApp("Acme Books Demo") // App details and Configuration are checked too
	if target == "all" {
		p.AddFreeAgentApp("Acme Books Demo")
	}
	return onReplicas(t, p, append([]string{"check", target, "--app-name", "Acme Books Demo"}, args...)...)
}

// openReport shows the check's report.html in a tab, as a person opens it.
func openReport(t *testing.T, out string) context.Context {
	t.Helper()
	tab := browsertest.Tab(t)
	html, err := filepath.Abs(filepath.Join(out, "check", checkreport.HTMLFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate("file://"+html)); err != nil {
		t.Fatal(err)
	}
	return tab
}

func readReport(t *testing.T, out string) *checkreport.Report {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "check", checkreport.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var r checkreport.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return &r
}

func screens(r *checkreport.Report) []*checkreport.Screen {
	var out []*checkreport.Screen
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			out = append(out, p.Screens...)
		}
	}
	return out
}

// junitCases parses junit.xml with a JUnit parser (the format Jenkins and
// GitLab read) and returns its test cases by "classname/name".
func junitCases(t *testing.T, out string) map[string]junitparser.Test {
	t.Helper()
	suites, err := junitparser.IngestFile(filepath.Join(out, "check", checkreport.JUnitFile))
	if err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	cases := map[string]junitparser.Test{}
	for _, s := range suites {
		for _, c := range s.Tests {
			cases[c.Classname+"/"+c.Name] = c
		}
	}
	if len(suites) < 2 || len(cases) < 20 {
		t.Fatalf("junit.xml has %d suites and %d test cases, want one suite per portal and one case per element and picture", len(suites), len(cases))
	}
	return cases
}

// noSecretIn fails when any secret the replicas hold or issued appears in
// the check's reports, and when a masked region of a page picture is not
// one solid colour.
func noSecretIn(t *testing.T, res shootResult, r *checkreport.Report) {
	t.Helper()
	for _, f := range []string{checkreport.JSONFile, checkreport.JUnitFile, checkreport.HTMLFile} {
		b, err := os.ReadFile(filepath.Join(res.out, "check", f))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range secretsOf(res.portals) {
			if v != "" && bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds a secret value", f)
			}
		}
	}
	masks := 0
	for _, s := range screens(r) {
		if s.Picture == "" {
			t.Errorf("%s: no picture (%s)", s.Name, s.Problem)
			continue
		}
		b, err := os.ReadFile(filepath.Join(res.out, "check", s.Picture))
		if err != nil {
			t.Fatal(err)
		}
		img, err := shots.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		k := float64(img.Bounds().Dx()) / s.ViewportW
		var regions []shots.Region
		for _, m := range s.Masks {
			regions = append(regions, shots.Region{Rect: image.Rect(int(math.Ceil(m.X*k)), int(math.Ceil(m.Y*k)),
				int(math.Floor((m.X+m.W)*k)), int(math.Floor((m.Y+m.H)*k))), Name: s.Name})
		}
		masks += len(regions)
		if err := shots.CheckMasked(img, regions, 1); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
	if masks == 0 {
		t.Errorf("no masked region in any picture: the secrets and the app's name were not covered")
	}
}

// TestCheckReportsOnReplicas: bot check writes report.json, junit.xml and
// report.html; against the baselines it took itself, unchanged replicas
// give exit 0 and no visual difference, a layout shift (a banner pushing
// every page down, every element still found) gives exit 8 with a diff
// image per page, and a removed field on top gives exit 4, the report
// naming the field and showing the diffs.
func TestCheckReportsOnReplicas(t *testing.T) {
	base := filepath.Join(t.TempDir(), "baselines")
	hist := filepath.Join(t.TempDir(), "history")
	det := fakeportal.Options{Deterministic: true}

	// The baselines, taken by the check itself.
	first := checkRun(t, det, "--baselines", base, "--update-baselines", "--history", hist)
	if first.code != 0 {
		t.Fatalf("--update-baselines: exit %d\n%s", first.code, first.stderr)
	}
	r := readReport(t, first.out)
	var names []string
	for _, s := range screens(r) {
		names = append(names, s.Name)
		if s.Visual.Status != checkreport.VisualUpdated {
			t.Errorf("%s: visual %q, want updated", s.Name, s.Visual.Status)
		}
		if _, err := os.Stat(checkreport.BaselinePath(base, s.Name)); err != nil {
			t.Errorf("baseline of %s: %v", s.Name, err)
		}
	}
	for _, want := range []string{"xero.my_apps", "xero.new_app", "xero.app_details", "xero.configuration", "codat.integrations", "codat.settings"} {
		if !slices.Contains(names, want) {
			t.Errorf("no picture of %s (pictures: %v)", want, names)
		}
	}

	t.Run("unchanged", func(t *testing.T) {
		res := checkRun(t, det, "--baselines", base, "--history", hist)
		if res.code != 0 {
			t.Fatalf("exit %d, want 0\n%s", res.code, res.stderr)
		}
		if w := res.portals.Records().Writes; len(w) != 0 {
			t.Errorf("the check wrote to a portal: %+v", w)
		}
		r := readReport(t, res.out)
		if r.ExitCode != 0 || r.Totals.VisualDiffs != 0 || r.Totals.Missing != 0 {
			t.Errorf("report: exit %d, %d visual diffs, %d missing", r.ExitCode, r.Totals.VisualDiffs, r.Totals.Missing)
		}
		for _, s := range screens(r) {
			if s.Visual.Status != checkreport.VisualSame {
				t.Errorf("%s: visual %q (%s), want same", s.Name, s.Visual.Status, s.Visual.Message)
			} else {
				t.Logf("%s: %s", s.Name, s.Visual.Message)
			}
		}
		for name, c := range junitCases(t, res.out) {
			if c.Status == junitparser.StatusFailed || c.Status == junitparser.StatusError {
				t.Errorf("junit: %s: %s %s", name, c.Status, c.Message)
			}
		}
		noSecretIn(t, res, r)
	})

	t.Run("layout shift", func(t *testing.T) {
		shift := det
		shift.Faults.LayoutShift = true
		res := checkRun(t, shift, "--baselines", base, "--history", hist)
		if res.code != 8 {
			t.Fatalf("exit %d, want 8 (a visual difference)\n%s", res.code, res.stderr)
		}
		if w := res.portals.Records().Writes; len(w) != 0 {
			t.Errorf("the check wrote to a portal: %+v", w)
		}
		var sum struct {
			Error struct {
				ExitCode int    `json:"exit_code"`
				Kind     string `json:"kind"`
				Message  string `json:"message"`
			} `json:"error"`
		}
		if b, err := os.ReadFile(filepath.Join(res.out, "check-xero.json")); err != nil || json.Unmarshal(b, &sum) != nil {
			t.Fatalf("summary: %v", err)
		}
		if sum.Error.ExitCode != 8 || sum.Error.Kind != "visual difference" || !strings.Contains(sum.Error.Message, "xero.my_apps") {
			t.Errorf("the summary's error is %+v, want exit 8 naming the pages", sum.Error)
		}
		r := readReport(t, res.out)
		if r.Totals.Missing != 0 || r.Totals.VisualDiffs == 0 {
			t.Errorf("report: %d missing, %d visual diffs; want every element found and pages that differ", r.Totals.Missing, r.Totals.VisualDiffs)
		}
		for _, s := range screens(r) {
			if s.Visual.Status != checkreport.VisualDiffers {
				t.Errorf("%s: visual %q, want differs (the banner moves every page down)", s.Name, s.Visual.Status)
				continue
			}
			for _, f := range []string{s.Visual.Expected, s.Visual.Actual, s.Visual.Diff} {
				if _, err := os.Stat(filepath.Join(res.out, "check", f)); err != nil || f == "" {
					t.Errorf("%s: %q not written: %v", s.Name, f, err)
				}
			}
		}
		cases := junitCases(t, res.out)
		c, ok := cases["xero.my_apps/xero.my_apps picture"]
		if !ok || c.Status != junitparser.StatusFailed {
			t.Errorf("junit: the picture of xero.my_apps is %q, want failed", c.Status)
		}
		if c := cases["xero.my_apps/xero.my_apps.heading"]; c.Status != junitparser.StatusPassed {
			t.Errorf("junit: xero.my_apps.heading is %q, want passed", c.Status)
		}
		noSecretIn(t, res, r)
	})

	t.Run("layout shift and a removed field", func(t *testing.T) {
		shift := det
		shift.Faults.LayoutShift = true
		shift.Faults.Remove = []string{"Company or application URL"}
		res := checkRun(t, shift, "--baselines", base, "--history", hist)
		if res.code != 4 {
			t.Fatalf("exit %d, want 4 (an element no longer matches)\n%s", res.code, res.stderr)
		}
		cases := junitCases(t, res.out)
		c := cases["xero.new_app/xero.new_app.company_url"]
		if c.Status != junitparser.StatusFailed || !strings.Contains(c.Message, "missing") {
			t.Errorf("junit: xero.new_app.company_url is %q (%s), want failed as missing", c.Status, c.Message)
		}
		// The report as a person opens it, in the browser.
		tab := openReport(t, res.out)
		var dom struct {
			Exit           string
			Missing        []string
			MissingRows    []string
			Boxes          []string
			Differs        []string
			DiffImages     int
			BaselineImages int
			PagePictures   int
			External       int
		}
		raw, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](jsReportDOM))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &dom); err != nil {
			t.Fatal(err)
		}
		if dom.Exit != "4" {
			t.Errorf("the report shows exit %q, want 4", dom.Exit)
		}
		if !slices.Equal(dom.Missing, []string{"xero.new_app.company_url"}) || !slices.Equal(dom.MissingRows, []string{"xero.new_app.company_url"}) {
			t.Errorf("the report lists as missing %v (table %v), want exactly xero.new_app.company_url", dom.Missing, dom.MissingRows)
		}
		if !slices.Contains(dom.Boxes, "xero.new_app.app_name=found") || slices.ContainsFunc(dom.Boxes, func(b string) bool { return strings.HasPrefix(b, "xero.new_app.company_url=") }) {
			t.Errorf("the outlines are %v: want the found fields outlined, the missing one not", dom.Boxes)
		}
		if len(dom.Differs) == 0 || dom.DiffImages != len(dom.Differs) || dom.BaselineImages != len(dom.Differs) {
			t.Errorf("the report shows %d visual differences with %d diff and %d baseline images", len(dom.Differs), dom.DiffImages, dom.BaselineImages)
		}
		if dom.PagePictures < 6 || dom.External != 0 {
			t.Errorf("%d page pictures shown, %d resources not inlined", dom.PagePictures, dom.External)
		}
		if dir := os.Getenv("CHECK_REPORT_SHOTS"); dir != "" { // to look at it: CHECK_REPORT_SHOTS=/tmp/x go test ...
			for _, sel := range []string{"header.top", "div.portals", "#page-xero-new_app", "#page-xero-configuration", "#page-codat-settings"} {
				png, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(sel)))
				if err == nil {
					_ = os.WriteFile(filepath.Join(dir, strings.Trim(strings.ReplaceAll(sel, ".", "_"), "#")+".png"), png, 0o644)
				}
			}
		}
		r := readReport(t, res.out)
		for _, p := range r.Portals[0].Pages {
			for _, e := range p.Elements {
				if e.Name == "xero.new_app.company_url" && (e.Since != r.StartedAt || e.SinceChecks != 1) {
					t.Errorf("company_url missing since %s (%d checks), want this check (found in the checks before)", e.Since, e.SinceChecks)
				}
			}
		}
		if kept, _ := filepath.Glob(filepath.Join(hist, "report-*.json")); len(kept) != 4 {
			t.Errorf("the history holds %d reports, want the 4 checks", len(kept))
		}
		noSecretIn(t, res, r)
	})
}

// TestCheckReportsCheckAll: bot check all writes one report.json,
// junit.xml and report.html under <out>/check/ for the three portals
// checked side by side in tabs: a testsuite per portal (Codat's once), a
// testcase per element and per page picture, every page's picture taken
// (in its own portal's tab, secrets covered), nothing written to a portal.
func TestCheckReportsCheckAll(t *testing.T) {
	res := checkTarget(t, "all", fakeportal.Options{Deterministic: true})
	if res.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", res.code, res.stderr)
	}
	if w := res.portals.Records().Writes; len(w) != 0 {
		t.Errorf("the check wrote to a portal: %+v", w)
	}
	r := readReport(t, res.out)
	if r.Command != "bot check all" || r.ExitCode != 0 || r.Totals.Missing != 0 {
		t.Errorf("report: %q, exit %d, %d missing", r.Command, r.ExitCode, r.Totals.Missing)
	}
	var portals, titles []string
	pictures := map[string]bool{}
	for _, po := range r.Portals {
		portals, titles = append(portals, po.Name), append(titles, po.Title)
		if po.Counts.Found == 0 {
			t.Errorf("%s: no element found", po.Name)
		}
		for _, p := range po.Pages {
			for _, s := range p.Screens {
				if s.Picture != "" {
					pictures[s.Name] = true
				}
			}
		}
	}
	if !slices.Equal(portals, []string{"xero", "freeagent", "codat"}) {
		t.Errorf("report.json's portals are %v, want xero, freeagent, codat (Codat once)", portals)
	}
	if !slices.Equal(titles, []string{"Xero", "FreeAgent", "Codat"}) {
		t.Errorf("the portals' titles are %v, want Xero, FreeAgent, Codat", titles)
	}
	pages := []string{"xero.my_apps", "xero.new_app", "xero.app_details", "xero.configuration",
		"freeagent.my_apps", "freeagent.new_app", "freeagent.app", "codat.integrations", "codat.settings"}
	for _, p := range pages {
		if !pictures[p] {
			t.Errorf("no picture of %s (pictures: %v)", p, pictures)
		}
	}

	// junit.xml as a CI reads it.
	suites, err := junitparser.IngestFile(filepath.Join(res.out, "check", checkreport.JUnitFile))
	if err != nil {
		t.Fatalf("junit.xml does not parse: %v", err)
	}
	var names []string
	for _, s := range suites {
		names = append(names, s.Name)
		elements, pics := 0, 0
		for _, c := range s.Tests {
			if c.Status == junitparser.StatusFailed || c.Status == junitparser.StatusError {
				t.Errorf("junit: %s/%s: %s %s", c.Classname, c.Name, c.Status, c.Message)
			}
			if !strings.HasPrefix(c.Classname, s.Name+".") {
				t.Errorf("junit: suite %s holds %s/%s", s.Name, c.Classname, c.Name)
			}
			if strings.HasSuffix(c.Name, " picture") {
				pics++
			} else {
				elements++
			}
		}
		if elements == 0 || pics == 0 {
			t.Errorf("junit: suite %s has %d element and %d picture test cases", s.Name, elements, pics)
		}
	}
	if !slices.Equal(names, []string{"xero", "freeagent", "codat"}) {
		t.Errorf("junit.xml's suites are %v, want xero, freeagent, codat", names)
	}

	// report.html as a person opens it.
	tab := openReport(t, res.out)
	var dom struct {
		Exit         string
		Missing      []string
		Boxes        []string
		PagePictures int
		External     int
	}
	raw, err := chromedp.Run(tab, chromedp.Evaluate[json.RawMessage](jsReportDOM))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dom); err != nil {
		t.Fatal(err)
	}
	if dom.Exit != "0" || len(dom.Missing) != 0 || dom.PagePictures < len(pages) || dom.External != 0 {
		t.Errorf("the report shows exit %q, missing %v, %d page pictures, %d resources not inlined; want 0, none, %d, 0",
			dom.Exit, dom.Missing, dom.PagePictures, dom.External, len(pages))
	}
	for _, want := range []string{"xero.my_apps.new_app=found", "freeagent.new_app.name=found", "codat.settings.client_id=found"} {
		if !slices.Contains(dom.Boxes, want) {
			t.Errorf("%s not outlined (outlines: %v)", want, dom.Boxes)
		}
	}
	if dir := os.Getenv("CHECK_REPORT_SHOTS"); dir != "" { // to look at it: CHECK_REPORT_SHOTS=/tmp/x go test ...
		for _, sel := range []string{"header.top", "div.portals", "#page-freeagent-new_app", "#page-codat-settings"} {
			png, err := chromedp.Run(tab, chromedp.Screenshot(chromedp.CSS(sel)))
			if err == nil {
				_ = os.WriteFile(filepath.Join(dir, "all-"+strings.Trim(strings.ReplaceAll(sel, ".", "_"), "#")+".png"), png, 0o644)
			}
		}
	}
	noSecretIn(t, res, r)
}
