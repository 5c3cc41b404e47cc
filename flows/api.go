package flows

import (
	"context"
	"io"
	"time"

	"go.uber.org/zap"

	"portalbot/internal/config"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// Mode says whether a flow changes the portals.
type Mode string

// The modes.
const (
	ModeRun   Mode = "run"   // do the job
	ModeCheck Mode = "check" // walk the pages, resolve every selector, write nothing
)

// Env is what a flow takes from outside: configuration, logger, progress
// stream, clock and the selectors data.
type Env struct {
	Config    *config.Config
	Log       *zap.Logger
	Progress  io.Writer // one human line per step (stderr)
	Now       func() time.Time
	Selectors *selectors.Set
	Mode      Mode
}

// Providers the bot knows.
var Providers = []string{"xero", "freeagent"}

// RunProvider does the whole job for provider ("xero" or "freeagent") in the
// browser tab of ctx (a chromedp context). Each step is bounded by
// browser.step_timeout; the caller bounds the whole run (the CLI applies
// browser.timeout around the browser start and the flow). The summary is
// filled as far as the run got, also when it returns an error.
func RunProvider(ctx context.Context, env *Env, provider string) (*report.Summary, error) {
	return runProvider(ctx, env, provider)
}
