package checkreport

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// JUnit is the check as JUnit XML, the format Jenkins, GitLab, GitHub
// Actions' reporters and most CI servers read natively. The mapping
// (README, "Check reports"):
//
//   - a testsuite per portal (xero, freeagent, codat);
//   - a testcase per element looked for, classname its page, name the
//     element: found or fallback passes; missing or ambiguous fails
//     (failure type "missing"/"ambiguous"); drift is skipped with the
//     expected and seen words as its message, so CI shows it without
//     failing the build, and fails (type "drift") with strict; an element
//     that only shows in a given situation (conditional) was not looked
//     for and is not listed;
//   - a testcase per page picture, name "<page> picture": a visual
//     difference fails (type "visual"), or is skipped when the page shows
//     a drift (the rewording explains it) and not strict; no baseline yet
//     is skipped; with no baselines configured it passes and says it was
//     not compared.
func JUnit(r *Report) ([]byte, error) {
	suites := junit.Testsuites{Name: r.Command}
	started, _ := time.Parse(time.RFC3339, r.StartedAt)
	ended, _ := time.Parse(time.RFC3339, r.EndedAt)
	secs := fmt.Sprintf("%.3f", ended.Sub(started).Seconds())
	suites.Time = secs
	for i, po := range r.Portals {
		ts := junit.Testsuite{Name: po.Name, ID: i, Time: secs, Package: "portalbot check"}
		if !started.IsZero() {
			ts.SetTimestamp(started)
		}
		ts.AddProperty("exit_code", fmt.Sprint(r.ExitCode))
		ts.AddProperty("outcome", r.Outcome)
		ts.AddProperty("strict", fmt.Sprint(r.Strict))
		for _, p := range po.Pages {
			for _, e := range p.Elements {
				if e.Status == Conditional {
					continue
				}
				ts.AddTestcase(elementCase(p, e, r.Strict))
			}
			for _, s := range p.Screens {
				ts.AddTestcase(pictureCase(p, s, r.Strict))
			}
		}
		suites.AddSuite(ts)
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := suites.WriteXML(&b); err != nil {
		return nil, fmt.Errorf("encode junit.xml: %w", err)
	}
	return b.Bytes(), nil
}

func elementCase(p *Page, e *Element, strict bool) junit.Testcase {
	tc := junit.Testcase{Classname: p.Name, Name: e.Name, Time: "0"}
	detail := elementDetail(e)
	switch e.Status {
	case Missing, Ambiguous:
		msg := fmt.Sprintf("%s: not found on %s (expected %s)", e.Status, p.Name, e.Expected)
		if e.Status == Ambiguous {
			msg = fmt.Sprintf("ambiguous: %s match on %s (expected %s)", strings.TrimSuffix(e.Via, " matches")+" elements", p.Name, e.Expected)
		}
		if e.Since != "" {
			msg += fmt.Sprintf("; so since %s (%d checks)", e.Since, e.SinceChecks)
		}
		tc.Failure = &junit.Result{Type: e.Status, Message: msg, Data: detail}
	case Drift:
		msg := fmt.Sprintf("drift: expected %s, the page shows %q", e.Expected, e.Seen)
		if e.Fix != "" {
			msg += "; fix written to " + e.Fix
		}
		if strict {
			tc.Failure = &junit.Result{Type: "drift", Message: msg, Data: detail}
		} else {
			tc.Skipped = &junit.Result{Message: msg}
			tc.SystemOut = &junit.Output{Data: detail}
		}
	default:
		tc.SystemOut = &junit.Output{Data: detail}
	}
	return tc
}

func elementDetail(e *Element) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status: %s\n", e.Status)
	if e.Expected != "" {
		fmt.Fprintf(&b, "expected: %s\n", e.Expected)
	}
	if e.Seen != "" {
		fmt.Fprintf(&b, "seen: %q\n", e.Seen)
	}
	if e.Via != "" {
		fmt.Fprintf(&b, "via: %s\n", e.Via)
	}
	if e.Fix != "" {
		fmt.Fprintf(&b, "fix: %s\n", e.Fix)
	}
	if e.Since != "" {
		fmt.Fprintf(&b, "since: %s (%d checks)\n", e.Since, e.SinceChecks)
	}
	return b.String()
}

func pictureCase(p *Page, s *Screen, strict bool) junit.Testcase {
	tc := junit.Testcase{Classname: p.Name, Name: s.Name + " picture", Time: "0"}
	v := s.Visual
	detail := fmt.Sprintf("visual: %s\n", v.Status)
	for _, kv := range [][2]string{{"baseline", v.Baseline}, {"expected", v.Expected}, {"actual", v.Actual}, {"diff", v.Diff}, {"message", v.Message}} {
		if kv[1] != "" {
			detail += kv[0] + ": " + kv[1] + "\n"
		}
	}
	switch {
	case v.Status == VisualDiffers && pageCount(p, Drift) > 0 && !strict:
		// The page shows a rewording the check followed: the words changed
		// the picture, and the drift is reported as drift.
		tc.Skipped = &junit.Result{Message: "visual difference, explained by the drift on this page: " + v.Message}
		tc.SystemOut = &junit.Output{Data: detail}
	case v.Status == VisualDiffers:
		tc.Failure = &junit.Result{Type: "visual", Message: "visual difference: " + v.Message, Data: detail}
	case v.Status == VisualNoBaseline, v.Status == VisualNoPicture:
		msg := v.Message
		if msg == "" {
			msg = v.Status
		}
		tc.Skipped = &junit.Result{Message: msg}
		tc.SystemOut = &junit.Output{Data: detail}
	case v.Status == VisualOff:
		tc.SystemOut = &junit.Output{Data: "not compared: check.baselines_dir is not set\n"}
	default:
		tc.SystemOut = &junit.Output{Data: detail}
	}
	return tc
}
