package checkreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	junitparser "github.com/joshdk/go-junit"

	"portalbot/internal/fail"
	"portalbot/internal/report"
)

// picture is a w×h PNG of one colour with a dark square at (x, y).
func picture(t *testing.T, w, h, x, y int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w; i++ {
		for j := 0; j < h; j++ {
			c := color.NRGBA{R: 250, G: 250, B: 250, A: 255}
			if i >= x && i < x+10 && j >= y && j < y+10 {
				c = color.NRGBA{R: 20, G: 20, B: 20, A: 255}
			}
			img.Set(i, j, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sample(t *testing.T, dir string, shot []byte, checkErr error, strict bool) Input {
	t0 := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	return Input{
		Command: "bot check xero", Started: t0, Ended: t0.Add(9 * time.Second), Err: checkErr, Strict: strict,
		Summaries: []*report.Summary{{Provider: "xero", Checks: []report.Check{
			{Page: "xero.my_apps", Element: "xero.my_apps.heading", Status: Found, Expected: `role=heading name="My Apps"`},
			{Page: "xero.my_apps", Element: "xero.my_apps.new_app", Status: Drift, Expected: `role=button name="New app"`, Seen: "Add app", Fix: "out/selectors-fix/xero.yaml"},
			{Page: "xero.my_apps", Element: "xero.my_apps.app_link", Status: Conditional, When: "an app of that name exists"},
			{Page: "xero.new_app", Element: "xero.new_app.company_url", Status: Missing, Expected: `label="Company or application URL"`},
			{Page: "codat.integrations", Element: "codat.integrations.heading", Status: Found},
		}}},
		Captures: []Capture{{Page: "xero.my_apps", Screen: 1, PNG: shot, ViewportW: 40, ViewportH: 30,
			Rects: map[string]Rect{"xero.my_apps.heading": {X: 1, Y: 1, W: 10, H: 5}}}},
		Settings: VisualSettings{BaselinesDir: filepath.Join(dir, "base"), PixelThreshold: 0.1, MaxDiffRatio: 0.01},
		Dir:      filepath.Join(dir, "check"),
	}
}

// The JUnit mapping, read back with a JUnit parser: missing fails, drift is
// skipped (a failure with strict), conditional elements are not listed, a
// picture that differs fails.
func TestJUnitMapping(t *testing.T) {
	tests := []struct {
		name      string
		strict    bool
		baseline  []byte // nil: none
		wantDrift junitparser.Status
		wantPic   junitparser.Status
	}{
		{"drift skipped, no baseline", false, nil, junitparser.StatusSkipped, junitparser.StatusSkipped},
		{"strict: drift fails", true, nil, junitparser.StatusFailed, junitparser.StatusSkipped},
		{"picture moved, the page's drift explains it", false, []byte("moved"), junitparser.StatusSkipped, junitparser.StatusSkipped},
		{"strict: picture moved", true, []byte("moved"), junitparser.StatusFailed, junitparser.StatusFailed},
		{"picture same", false, []byte("same"), junitparser.StatusSkipped, junitparser.StatusPassed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := sample(t, dir, picture(t, 40, 30, 5, 5), &fail.Error{Kind: fail.Mismatch, Err: errors.New("1 element no longer matches")}, tt.strict)
			switch string(tt.baseline) {
			case "moved":
				writeFile(t, BaselinePath(in.Settings.BaselinesDir, "xero.my_apps"), picture(t, 40, 30, 20, 15))
			case "same":
				writeFile(t, BaselinePath(in.Settings.BaselinesDir, "xero.my_apps"), picture(t, 40, 30, 5, 5))
			}
			stale := filepath.Join(in.Dir, "visual", "xero", "xero.gone", "diff.png")
			writeFile(t, stale, []byte("an earlier check's"))
			r, err := Write(in)
			if _, err := os.Stat(stale); err == nil {
				t.Errorf("an earlier check's diff is still there")
			}
			if fail.ExitCode(err) != 4 || r.ExitCode != 4 {
				t.Fatalf("exit %d (report %d), want 4: a missing element wins over a visual difference", fail.ExitCode(err), r.ExitCode)
			}
			suites, err := junitparser.IngestFile(filepath.Join(in.Dir, JUnitFile))
			if err != nil {
				t.Fatal(err)
			}
			if len(suites) != 2 || suites[0].Name != "xero" || suites[1].Name != "codat" {
				t.Fatalf("suites %+v, want xero and codat", suites)
			}
			got := map[string]junitparser.Test{}
			for _, s := range suites {
				for _, c := range s.Tests {
					got[c.Name] = c
				}
			}
			want := map[string]junitparser.Status{
				"xero.my_apps.heading":       junitparser.StatusPassed,
				"xero.my_apps.new_app":       tt.wantDrift,
				"xero.new_app.company_url":   junitparser.StatusFailed,
				"codat.integrations.heading": junitparser.StatusPassed,
				"xero.my_apps picture":       tt.wantPic,
			}
			for name, st := range want {
				if got[name].Status != st {
					t.Errorf("%s: %q (%s), want %q", name, got[name].Status, got[name].Message, st)
				}
			}
			if _, ok := got["xero.my_apps.app_link"]; ok || len(got) != len(want) {
				t.Errorf("test cases %d, want %d (a conditional element is not listed)", len(got), len(want))
			}
			if c := got["xero.my_apps.new_app"]; !bytes.Contains([]byte(c.Message), []byte(`"Add app"`)) {
				t.Errorf("the drift's message %q does not say what the page shows", c.Message)
			}
		})
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Which error a check ends with: a missing element or any failure first,
// then a visual difference (exit 8), then drift (7).
func TestOutcome(t *testing.T) {
	differs := &Report{Portals: []*Portal{{Name: "xero", Pages: []*Page{{Name: "xero.my_apps",
		Screens: []*Screen{{Name: "xero.my_apps", Visual: Visual{Status: VisualDiffers, Message: "9 pixels"}}}}}}}}
	same := &Report{}
	driftDiffers := &Report{Portals: []*Portal{{Name: "codat", Pages: []*Page{{Name: "codat.integrations",
		Elements: []*Element{{Name: "codat.integrations.heading", Status: Drift}},
		Screens:  []*Screen{{Name: "codat.integrations", Visual: Visual{Status: VisualDiffers, Message: "1749 pixels"}}}}}}}}
	tests := []struct {
		name string
		err  error
		r    *Report
		want int
	}{
		{"clean", nil, same, 0},
		{"visual", nil, differs, 8},
		{"drift", &fail.Error{Kind: fail.Drifted, Err: errors.New("reworded")}, same, 7},
		{"drift and visual elsewhere", &fail.Error{Kind: fail.Drifted, Err: errors.New("reworded")}, differs, 8},
		{"drift explains the visual", &fail.Error{Kind: fail.Drifted, Err: errors.New("reworded")}, driftDiffers, 7},
		{"missing and visual", &fail.Error{Kind: fail.Mismatch, Err: errors.New("gone")}, differs, 4},
		{"unavailable", &fail.Error{Kind: fail.Unavailable, Err: errors.New("500")}, differs, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fail.ExitCode(Outcome(tt.err, tt.r, "out/check")); got != tt.want {
				t.Errorf("exit %d, want %d", got, tt.want)
			}
		})
	}
}

// Since when: the first check of the history from which the element has
// been not found without a break; a check that did not look at it is no
// break.
func TestSince(t *testing.T) {
	rep := func(at, status string) *Report {
		r := &Report{Version: Version, StartedAt: at, Portals: []*Portal{{Name: "xero", Pages: []*Page{{Name: "xero.my_apps"}}}}}
		if status != "" {
			r.Portals[0].Pages[0].Elements = []*Element{{Name: "xero.my_apps.new_app", Status: status}}
		}
		return r
	}
	dir := t.TempDir()
	past := []*Report{rep("2026-11-25T03:00:00.000Z", Found), rep("2026-11-26T03:00:00.000Z", Drift),
		rep("2026-11-27T03:00:00.000Z", ""), rep("2026-11-28T03:00:00.000Z", Missing)}
	for _, p := range past {
		if _, err := keep(dir, p, mustJSON(t, p)); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, filepath.Join(dir, "report-garbage.json"), []byte("{not json"))
	loaded, err := loadHistory(dir)
	if err != nil || len(loaded) != 4 {
		t.Fatalf("history: %d reports, %v; want 4 (the broken file skipped)", len(loaded), err)
	}
	now := rep("2026-11-29T03:00:00.000Z", Missing)
	since(now, loaded)
	e := now.Portals[0].Pages[0].Elements[0]
	if e.Since != "2026-11-26T03:00:00.000Z" || e.SinceChecks != 3 {
		t.Errorf("since %s (%d checks), want 2026-11-26 (3 checks: drift, missing, missing)", e.Since, e.SinceChecks)
	}
	if got := sinceText(e); got != "since 2026-11-26 03:00 UTC (3 checks)" {
		t.Errorf("the HTML says %q", got)
	}
}

// Pictures of different sizes differ in every pixel; equal ones in none.
func TestDiff(t *testing.T) {
	a, _ := png.Decode(bytes.NewReader(picture(t, 40, 30, 5, 5)))
	b, _ := png.Decode(bytes.NewReader(picture(t, 40, 40, 5, 5)))
	if n, total, _, err := Diff(a, b, 0.1); err != nil || n != total || total != 1600 {
		t.Errorf("sizes apart: %d of %d differ, %v; want all 1600", n, total, err)
	}
	if n, _, d, err := Diff(a, a, 0.1); err != nil || n != 0 || d == nil {
		t.Errorf("same picture: %d differ, %v", n, err)
	}
}

func mustJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
