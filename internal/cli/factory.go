// Package cli is the bot's command line: one Factory holds everything that
// comes from outside (streams, clock, config loader, browser, flows), each
// command binds its flags into an options struct, and a plain function runs
// it, so tests call that function with stubs and no browser.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"portalbot/flows"
	"portalbot/internal/browser"
	"portalbot/internal/config"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// IOStreams are the process's standard streams: Out carries only the JSON
// summary (for the scheduler), ErrOut the logs, progress and errors.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
}

// System returns the real standard streams.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr}
}

// StartBrowserFunc launches or attaches to a browser and returns the tab's
// context and the function that closes it; browser.Start in production.
type StartBrowserFunc func(ctx context.Context, cfg config.Browser, log *zap.Logger) (tab context.Context, stop func(), err error)

// RunFlowFunc runs a provider's flow in the tab of ctx; flows.RunProvider in
// production.
type RunFlowFunc func(ctx context.Context, env *flows.Env, provider string) (*report.Summary, error)

// Factory holds every dependency a command takes from outside the process,
// so a test replaces any of them with a stub.
type Factory struct {
	IOStreams *IOStreams
	// Now is the clock, for durations in the summary and the flows' Env.
	Now func() time.Time
	// LoadConfig reads the configuration (config.Load in production).
	LoadConfig func(config.LoadOptions) (*config.Config, error)
	// Logger builds the logger once the configuration is known; it writes
	// to IOStreams.ErrOut in production.
	Logger func(config.Log) (*zap.Logger, error)
	// LoadSelectors reads the selectors data: embedded, overridden by dir.
	LoadSelectors func(dir string) (*selectors.Set, error)
	// StartBrowser starts the browser; it is called only after the
	// configuration has been validated.
	StartBrowser StartBrowserFunc
	// RunFlow drives the portals.
	RunFlow RunFlowFunc
	// StartVisibleBrowser starts a browser with a window a person uses, or
	// attaches to browser.remote_url (bot login).
	StartVisibleBrowser StartBrowserFunc
	// Login signs in to a portal with a person's help (bot login).
	Login LoginFunc
	// Getenv reads the environment (bot login's display check).
	Getenv func(string) string
}

// NewFactory returns the production Factory on ios.
func NewFactory(ios *IOStreams) *Factory {
	return &Factory{
		IOStreams:     ios,
		Now:           time.Now,
		LoadConfig:    config.Load,
		Logger:        func(c config.Log) (*zap.Logger, error) { return NewLogger(ios.ErrOut, c) },
		LoadSelectors: selectors.Load,
		StartBrowser:  browser.Start,
		RunFlow:       flows.RunProvider,

		StartVisibleBrowser: browser.StartVisible,
		Login:               flows.Login,
		Getenv:              os.Getenv,
	}
}

// NewLogger builds a zap logger writing to w at cfg.Level, as human console
// lines or as JSON lines (cfg.Format), for people and log collectors alike.
func NewLogger(w io.Writer, cfg config.Log) (*zap.Logger, error) {
	level, err := zapcore.ParseLevel(cfg.Level)
	if err != nil {
		return nil, fmt.Errorf("log.level %q: %w", cfg.Level, err)
	}
	var enc zapcore.Encoder
	switch cfg.Format {
	case "json":
		ec := zap.NewProductionEncoderConfig()
		ec.EncodeTime = zapcore.RFC3339TimeEncoder
		enc = zapcore.NewJSONEncoder(ec)
	case "console", "":
		ec := zap.NewDevelopmentEncoderConfig()
		ec.EncodeTime = zapcore.TimeEncoderOfLayout(time.TimeOnly)
		enc = zapcore.NewConsoleEncoder(ec)
	default:
		return nil, fmt.Errorf("log.format %q: use console or json", cfg.Format)
	}
	sink := zapcore.Lock(zapcore.AddSync(w))
	return zap.New(zapcore.NewCore(enc, sink, level), zap.ErrorOutput(sink)), nil
}
