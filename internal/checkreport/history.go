package checkreport

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"portalbot/internal/store"
)

// historyName is the file a check's report.json is kept under in the
// history directory: its start time, so names sort by time.
func historyName(r *Report) string {
	t, err := time.Parse(time.RFC3339, r.StartedAt)
	if err != nil {
		t = time.Now()
	}
	return "report-" + t.UTC().Format("20060102T150405.000Z") + ".json"
}

// loadHistory reads the reports kept in dir, oldest first. A file that is
// not a report is skipped: the history is a help, not a reason to fail.
func loadHistory(dir string) ([]*Report, error) {
	names, err := filepath.Glob(filepath.Join(dir, "report-*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*Report
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		var r Report
		if json.Unmarshal(b, &r) != nil || r.Version == 0 {
			continue
		}
		out = append(out, &r)
	}
	return out, nil
}

// notFound says an element's status is one a person must act on.
func notFound(status string) bool { return status == Drift || status == Missing || status == Ambiguous }

// since sets, for each element of r drifting, missing or ambiguous, the
// start of the first check of past (oldest first) from which it has been
// so without a break. A check that did not look at the element (another
// provider, a page it did not reach) does not break the run.
func since(r *Report, past []*Report) {
	status := make([]map[string]string, len(past))
	for i, h := range past {
		status[i] = map[string]string{}
		for _, po := range h.Portals {
			for _, p := range po.Pages {
				for _, e := range p.Elements {
					status[i][e.Name] = e.Status
				}
			}
		}
	}
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			for _, e := range p.Elements {
				if !notFound(e.Status) {
					continue
				}
				e.Since, e.SinceChecks = r.StartedAt, 1
				for i := len(past) - 1; i >= 0; i-- {
					st, ok := status[i][e.Name]
					if !ok || past[i].StartedAt == r.StartedAt {
						continue
					}
					if !notFound(st) {
						break
					}
					e.Since = past[i].StartedAt
					e.SinceChecks++
				}
			}
		}
	}
}

// keep writes r into the history directory.
func keep(dir string, r *Report, data []byte) (string, error) {
	p := filepath.Join(dir, historyName(r))
	if err := store.WriteFile(p, data, 0o644); err != nil {
		return "", fmt.Errorf("keep the report in the history %s: %w", dir, err)
	}
	return p, nil
}

// sinceText is how the HTML says since when: the date, and how many checks.
func sinceText(e *Element) string {
	if e.Since == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339, e.Since)
	when := e.Since
	if err == nil {
		when = t.UTC().Format("2006-01-02 15:04 UTC")
	}
	if e.SinceChecks <= 1 {
		return "new in this check"
	}
	return strings.TrimSpace(fmt.Sprintf("since %s (%d checks)", when, e.SinceChecks))
}
