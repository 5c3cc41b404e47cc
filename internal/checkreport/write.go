package checkreport

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"portalbot/internal/fail"
	"portalbot/internal/store"
)

// The files a check writes under its directory (<out>/check).
const (
	JSONFile  = "report.json"
	JUnitFile = "junit.xml"
	HTMLFile  = "report.html"
)

// Write compares each page's picture with its baseline, decides the
// check's outcome (Outcome), and writes report.json, junit.xml and
// report.html under in.Dir, and report.json into the history when asked.
// It returns the report and the outcome; a file it could not write is
// joined to the outcome (exit 1 when the check itself passed).
func Write(in Input) (*Report, error) {
	r := build(in)
	var errs []error
	// The pictures of an earlier check are not this one's.
	for _, d := range []string{"pages", "visual"} {
		if err := os.RemoveAll(filepath.Join(in.Dir, d)); err != nil {
			errs = append(errs, fmt.Errorf("clear %s: %w", d, err))
		}
	}
	if err := compare(r, in); err != nil {
		errs = append(errs, err)
	}
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			for _, s := range p.Screens {
				if s.png == nil {
					continue
				}
				rel := filepath.ToSlash(filepath.Join("pages", s.Name+".png"))
				if err := store.WriteFile(filepath.Join(in.Dir, rel), s.png, 0o644); err != nil {
					errs = append(errs, fmt.Errorf("write the picture of %s: %w", s.Name, err))
					continue
				}
				s.Picture = rel
			}
		}
	}
	outcome := Outcome(in.Err, r, in.Dir)
	r.ExitCode = fail.ExitCode(outcome)
	r.Outcome = "success"
	if outcome != nil {
		r.Outcome = fail.KindOf(outcome).String()
		r.Message = outcome.Error()
		if in.Scrub != nil {
			r.Message = in.Scrub(r.Message)
		}
	}
	if in.HistoryDir != "" {
		past, err := loadHistory(in.HistoryDir)
		if err != nil {
			errs = append(errs, fmt.Errorf("read the history %s: %w", in.HistoryDir, err))
		}
		since(r, past)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return r, errors.Join(outcome, fmt.Errorf("encode %s: %w", JSONFile, err))
	}
	data = append(data, '\n')
	xml, err := JUnit(r)
	if err != nil {
		errs = append(errs, err)
	}
	html, err := HTML(r, in.Dir)
	if err != nil {
		errs = append(errs, err)
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{JSONFile, data}, {JUnitFile, xml}, {HTMLFile, html}} {
		if f.data == nil {
			continue
		}
		if err := store.WriteFile(filepath.Join(in.Dir, f.name), f.data, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", f.name, err))
		}
	}
	if in.HistoryDir != "" {
		if _, err := keep(in.HistoryDir, r, data); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return r, errors.Join(outcome, &fail.Error{Kind: fail.Other, Err: fmt.Errorf("check reports: %w", errors.Join(errs...))})
	}
	return r, outcome
}
