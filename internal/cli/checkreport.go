package cli

import (
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/checkreport"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/report"
)

// CheckDir is where bot check writes its reports under --out.
const CheckDir = "check"

// writeCheckReports writes <out>/check/report.json, junit.xml and
// report.html for the summaries of a check (bot check all: one summary with
// every portal's rows) and the pictures env captured (every tab's), and returns the check's outcome: err, or a
// visual difference (exit 8) when every element was found but a page
// differs from its baseline.
func writeCheckReports(opts *RunOptions, cfg *config.Config, env *flows.Env, start time.Time, sums []*report.Summary, err error, log *zap.Logger) error {
	dir := filepath.Join(cfg.Out, CheckDir)
	in := checkreport.Input{
		Command:   "bot check " + strings.Join(providersOf(sums, opts.Provider), " "),
		Started:   start,
		Ended:     opts.Now(),
		Summaries: sums,
		Captures:  env.Captures.All(),
		Err:       err,
		Settings: checkreport.VisualSettings{BaselinesDir: cfg.Check.BaselinesDir, PixelThreshold: cfg.Check.PixelThreshold,
			MaxDiffRatio: cfg.Check.MaxDiffRatio, UpdateBaselines: cfg.Check.UpdateBaselines},
		Strict:     cfg.Check.Strict,
		Dir:        dir,
		HistoryDir: cfg.Check.HistoryDir,
		Scrub:      env.Scrub,
		Titles:     flows.PortalTitles(),
	}
	r, out := checkreport.Write(in)
	if r != nil {
		log.Info("check reports written", zap.String("dir", dir), zap.Int("exit_code", r.ExitCode),
			zap.Int("pictures", r.Totals.Pictures), zap.Int("visual_diffs", r.Totals.VisualDiffs))
		if opts.IO != nil && opts.IO.ErrOut != nil {
			_, _ = opts.IO.ErrOut.Write([]byte("check report: " + filepath.Join(dir, checkreport.HTMLFile) + "\n"))
		}
	}
	if fail.KindOf(out) != fail.KindOf(err) || (out == nil) != (err == nil) {
		for _, sum := range sums { // the summary's message follows the new outcome
			if sum != nil && sum.Error != nil {
				sum.Error.Message = ""
			}
		}
	}
	return out
}

// providersOf names the providers of the summaries, or provider.
func providersOf(sums []*report.Summary, provider string) []string {
	var out []string
	for _, s := range sums {
		if s != nil && s.Provider != "" {
			out = append(out, s.Provider)
		}
	}
	if len(out) == 0 {
		out = []string{provider}
	}
	return out
}
