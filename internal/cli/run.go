package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/renameio/v2"
	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/checkreport"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/report"
	"portalbot/selectors"
)

// RunOptions is everything `bot run` and `bot check` need: the parsed
// command line plus the Factory's dependencies, so a test fills it with
// stubs and calls runRun directly.
type RunOptions struct {
	IO       *IOStreams
	Context  context.Context // cancelled on SIGINT/SIGTERM
	Provider string          // "xero" or "freeagent"
	Mode     flows.Mode      // run, check or rotate
	Rotate   flows.RotateOptions

	// Config loads the configuration with the command's flags bound over
	// the environment, the config file and the defaults.
	Config        func() (*config.Config, error)
	Now           func() time.Time
	Logger        func(config.Log) (*zap.Logger, error)
	LoadSelectors func(dir string) (*selectors.Set, error)
	StartBrowser  StartBrowserFunc
	RunFlow       RunFlowFunc

	cmd *cobra.Command // for usage errors of a command's own flags
}

// NewCmdRun returns `bot run xero|freeagent`. runF replaces runRun in tests
// of the flag binding; nil runs for real.
func NewCmdRun(f *Factory, runF func(*RunOptions) error) *cobra.Command {
	cmd := newCmdFlow(f, flows.ModeRun, runF)
	cmd.Use = "run <" + strings.Join(flows.Providers, "|") + ">"
	cmd.Short = "Create the provider's OAuth app and save it in Codat"
	cmd.Long = `Sign in to the provider's developer portal, create the OAuth app (or reuse the
one named app.name), take its client id and secret, and save them in the Codat
portal's accounting integration; then enable the integration now or leave it
for later (codat.enable).

The configuration is loaded and checked before any browser starts: a missing
credential or a bad value exits with 2 and lists every problem with the key
and the environment variable to fix.

The JSON summary (what was created, where the secret went, each step) goes to
stdout and to <out>/summary-<provider>.json and <out>/summary.json, also when
the run fails. Secrets never appear in it, nor in logs or errors.

` + exitCodeHelp()
	cmd.Example = `  # credentials from files, the rest from config.yaml
  export BOT_XERO_EMAIL=me@example.com BOT_XERO_PASSWORD_FILE=/run/secrets/xero
  export BOT_CODAT_EMAIL=me@example.com BOT_CODAT_PASSWORD_FILE=/run/secrets/codat
  bot run xero --app-name "Acme Sync"

  # save in Codat but switch the integration on later
  bot run freeagent --enable later

  # docs: a screenshot of every step, secrets covered
  bot run xero --screenshots steps

  # docs: screenshots of two steps only (bot steps xero lists the names)
  bot run xero --screenshot-steps xero.generate_secret,codat.fill_client_secret`
	cmd.Flags().Var(newEnum(config.Default("codat.enable").(string), "now", "later"), "enable",
		"enable the Codat integration now, or save it and leave it off (codat.enable)")
	return cmd
}

// NewCmdCheck returns `bot check xero|freeagent|all`: the same walk as run
// without changing anything, to learn early that a portal changed.
func NewCmdCheck(f *Factory, runF func(*RunOptions) error) *cobra.Command {
	cmd := newCmdFlow(f, flows.ModeCheck, runF)
	targets := append(slices.Clone(flows.Providers), flows.All)
	cmd.Use = "check <" + strings.Join(targets, "|") + ">"
	cmd.Args = targetArg(targets)
	cmd.ValidArgs = targets
	cmd.Short = "Walk the portals without changing anything and report what no longer matches"
	cmd.Long = `Sign in and walk the same pages as run, resolving every element the run would
use, without creating, generating or saving anything (the New app dialog is
opened and closed, forms are not submitted). Use it on a schedule to learn
that a portal changed before a real run needs it: exit code 4 names the page
and the element that no longer matches.

bot check all checks every portal (` + strings.Join(flows.LoginPortals, ", ") + `) in one browser, one sign-in
per portal, the portals side by side in tabs of their own; Codat is checked
once (on the first provider's integration). It needs every portal's account.

The JSON summary goes to stdout and to <out>/check-<target>.json and
<out>/check.json, so a check never overwrites the summary of a real run.

Reports for CI and for people go to <out>/check/: report.json (every portal,
page and element, each page's picture and its comparison), junit.xml (a
testsuite per portal; a missing element fails, a drift is a skipped test
case unless --strict) and report.html (one file: each page's picture with
its elements outlined, expected vs seen words, the visual differences).
With check.baselines_dir (--baselines) each page's picture is compared with
<baselines>/<portal>/<page>.png (pixelmatch, check.pixel_threshold,
check.max_diff_ratio); a page that differs while every element is found
exits 8, its expected, actual and diff images under <out>/check/visual/.

` + exitCodeHelp()
	cmd.Example = `  bot check xero
  bot check all                  # every portal, in parallel tabs
  bot check freeagent --screenshots failure --log-format json

  # nightly in CI: baselines kept in the repository, a history on a volume
  bot check all --baselines ci/baselines --history /data/check-history

  # after a wanted change of the portals' look
  bot check all --baselines ci/baselines --update-baselines`
	cmd.Flags().String("baselines", "", "`DIR` of the baseline pictures, <DIR>/<portal>/<page>.png (check.baselines_dir)")
	cmd.Flags().Bool("update-baselines", false, "write each page's picture as its new baseline instead of comparing (check.update_baselines)")
	cmd.Flags().Bool("strict", false, "drift fails its test case in junit.xml too (check.strict)")
	cmd.Flags().String("history", "", "keep each check's report.json in `DIR`; the HTML says since when an element drifts or is missing (check.history_dir)")
	return cmd
}

// newCmdFlow builds the command shared by run and check, with the flags
// both take.
func newCmdFlow(f *Factory, mode flows.Mode, runF func(*RunOptions) error) *cobra.Command {
	opts := &RunOptions{
		IO:            f.IOStreams,
		Mode:          mode,
		Now:           f.Now,
		Logger:        f.Logger,
		LoadSelectors: f.LoadSelectors,
		StartBrowser:  f.StartBrowser,
		RunFlow:       f.RunFlow,
	}
	cmd := &cobra.Command{
		Args:      providerArg,
		ValidArgs: flows.Providers,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.Provider = args[0]
			opts.cmd = cmd
			opts.Config = func() (*config.Config, error) {
				var file string
				if fl := cmd.Flags().Lookup("config"); fl != nil {
					file = fl.Value.String()
				}
				return f.LoadConfig(config.LoadOptions{File: file, Flags: cmd.Flags(), FlagKeys: flagKeys})
			}
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	cmd.Flags().String("app-name", "", "`NAME` of the OAuth app in the provider's portal (app.name)")
	cmd.Flags().Var(newEnum(config.Default("output.screenshots").(string), "steps", "failure", "off"), "screenshots",
		"screenshots of every step (docs), only on failure, or none (output.screenshots)")
	cmd.Flags().StringSlice("screenshot-steps", nil,
		"a screenshot of these `STEPS` only, unless --screenshots off (comma-separated names from bot steps; output.screenshot_steps)")
	cmd.Flags().Bool("no-session", false,
		"sign in afresh: do not read or write the session files (browser.no_session; see bot login)")
	return cmd
}

// providerArg requires exactly one known provider, as a usage error.
func providerArg(cmd *cobra.Command, args []string) error {
	return targetArg(flows.Providers)(cmd, args)
}

// targetArg requires exactly one of targets, as a usage error.
func targetArg(targets []string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 && slices.Contains(targets, args[0]) {
			return nil
		}
		noun := "provider"
		if slices.Contains(targets, flows.All) {
			noun = "target"
		}
		return usageError(cmd, fmt.Errorf("%s needs one %s, %s; got %q",
			cmd.CommandPath(), noun, strings.Join(targets, " or "), strings.Join(args, " ")))
	}
}

// runRun loads and validates the configuration, and only then starts the
// browser and runs the flow; it writes the summary whatever the outcome once
// the browser was asked for.
func runRun(opts *RunOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}

	cfg, err := opts.Config()
	if err != nil {
		return fmt.Errorf("load configuration: %w", err)
	}
	if err := flows.ValidateConfig(cfg, opts.Provider); err != nil {
		return err
	}
	if err := flows.CheckStepNames(opts.Provider, opts.Mode, cfg.Output.ScreenshotSteps); err != nil {
		return err
	}
	if opts.Mode == flows.ModeRotate {
		if err := flows.CheckRotate(opts.Provider, opts.Rotate); err != nil {
			return err
		}
	}
	log, err := opts.Logger(cfg.Log)
	if err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("set up logging: %w", err))
	}
	defer func() { _ = log.Sync() }()
	sel, err := opts.LoadSelectors(cfg.SelectorsDir)
	if err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("load selectors (selectors_dir %q): %w", cfg.SelectorsDir, err))
	}
	if err := makeOutDir(cfg.Out); err != nil {
		return err
	}

	start := opts.Now()
	env := &flows.Env{
		Config:    cfg,
		Log:       log,
		Progress:  opts.IO.ErrOut,
		Now:       opts.Now,
		Selectors: sel,
		Mode:      opts.Mode,
		Rotate:    opts.Rotate,
	}
	if opts.Mode == flows.ModeCheck {
		// A picture of each page, for the reports; bot check all: one
		// collection that the portals' tabs fill side by side.
		env.Captures = &checkreport.Captures{}
	}
	sum, stop, err := startAndRun(ctx, opts, cfg, log, env)
	defer stop()
	if opts.Mode == flows.ModeCheck {
		err = writeCheckReports(opts, cfg, env, start, []*report.Summary{sum}, err, log)
	}
	sum = finishSummary(sum, err, opts, cfg, start)
	if werr := writeSummary(opts, cfg.Out, sum, log); werr != nil {
		err = errors.Join(err, werr)
	}
	// Written up, the browser goes before the webhook (the user's
	// endpoint may be slow to answer).
	stop()
	notifyWebhook(ctx, cfg, env, opts, sum, log)
	if err == nil {
		log.Info("done", zap.String("provider", opts.Provider), zap.String("mode", string(opts.Mode)),
			zap.Int64("duration_ms", sum.DurationMS))
	}
	return err
}

// startAndRun starts the browser and runs the flow in it within
// browser.timeout. stop closes the browser (once, whatever the outcome;
// calling it again does nothing): the caller writes the run up first, so
// the summary's write does not share the cores with the browser's
// teardown (about 15 ms of a job's exit, measured).
func startAndRun(ctx context.Context, opts *RunOptions, cfg *config.Config, log *zap.Logger, env *flows.Env) (_ *report.Summary, stop func(), _ error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Browser.Timeout)
	stop = sync.OnceFunc(cancel)

	log.Debug("starting browser", zap.String("exec_path", cfg.Browser.ExecPath), zap.String("remote_url", cfg.Browser.RemoteURL))
	started := opts.Now()
	bcfg := cfg.Browser
	bcfg.StartURL = flows.FirstPage(env, opts.Provider)
	tab, stopBrowser, err := opts.StartBrowser(ctx, bcfg, log)
	if err != nil {
		return nil, stop, timeoutKind(fmt.Errorf("start browser: %w", err), cfg)
	}
	stop = sync.OnceFunc(func() { stopBrowser(); cancel() })
	browserMS := opts.Now().Sub(started).Milliseconds()

	sum, err := opts.RunFlow(tab, env, opts.Provider)
	if sum != nil {
		sum.BrowserStartMS = browserMS
	}
	if err != nil {
		return sum, stop, timeoutKind(fmt.Errorf("%s %s: %w", opts.Mode, opts.Provider, err), cfg)
	}
	return sum, stop, nil
}

// timeoutKind makes a deadline that carries no kind of its own an
// Unavailable error that says which setting ran out.
func timeoutKind(err error, cfg *config.Config) error {
	if errors.Is(err, context.DeadlineExceeded) && fail.KindOf(err) == fail.Other {
		return &fail.Error{Kind: fail.Unavailable, Err: err,
			Hint: fmt.Sprintf("browser.timeout %s elapsed; raise %s", cfg.Browser.Timeout, config.EnvVar("browser.timeout"))}
	}
	return err
}

// makeOutDir creates the output directory, private to the user: screenshots
// may show client ids.
func makeOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("create output directory %s: %w", dir, err))
	}
	return nil
}

// finishSummary fills what the flow could not know (or a summary for a flow
// that never ran) and records err.
func finishSummary(sum *report.Summary, err error, opts *RunOptions, cfg *config.Config, start time.Time) *report.Summary {
	if sum == nil {
		sum = &report.Summary{App: report.App{Name: cfg.App.Name}}
	}
	if sum.Provider == "" {
		sum.Provider = opts.Provider
	}
	if sum.Mode == "" {
		sum.Mode = string(opts.Mode)
	}
	if sum.Steps == nil {
		sum.Steps = []report.Step{}
	}
	if sum.DurationMS == 0 {
		sum.DurationMS = opts.Now().Sub(start).Milliseconds()
	}
	if err != nil {
		sum.Error = errorReport(err, sum.Error)
	}
	return sum
}

// errorReport is err as the scheduler sees it. What the flow already
// recorded is kept: its message (scrubbed of secret values the flow knows),
// artefact files and location; kind and exit code follow err, which decides
// the exit code.
func errorReport(err error, prev *report.ErrorReport) *report.ErrorReport {
	r := &report.ErrorReport{
		Kind:     fail.KindOf(err).String(),
		ExitCode: fail.ExitCode(err),
		Message:  err.Error(),
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		r.Portal, r.Page, r.Element = fe.Portal, fe.Page, fe.Element
	}
	if prev != nil {
		if prev.Message != "" {
			r.Message = prev.Message
		}
		r.Files = prev.Files
		if r.Portal == "" {
			r.Portal = prev.Portal
		}
		if r.Page == "" {
			r.Page = prev.Page
		}
		if r.Element == "" {
			r.Element = prev.Element
		}
	}
	return r
}

// summaryFiles are the names the summary is written under in the output
// directory: per provider and "latest". A check has its own names so it
// never overwrites the record of a real run.
func summaryFiles(mode flows.Mode, provider string) []string {
	prefix := "summary"
	if mode == flows.ModeCheck {
		prefix = "check"
	}
	return []string{prefix + "-" + provider + ".json", prefix + ".json"}
}

// writeSummary prints the summary as indented JSON on Out and writes it
// atomically (rename) under dir, so a reader never sees half a file.
func writeSummary(opts *RunOptions, dir string, sum *report.Summary, log *zap.Logger) error {
	data, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return fmt.Errorf("encode summary: %w", err)
	}
	data = append(data, '\n')
	var errs []error
	if _, err := opts.IO.Out.Write(data); err != nil {
		errs = append(errs, fmt.Errorf("print summary: %w", err))
	}
	for _, name := range summaryFiles(opts.Mode, opts.Provider) {
		p := filepath.Join(dir, name)
		if err := renameio.WriteFile(p, data, 0o644); err != nil {
			errs = append(errs, fmt.Errorf("write summary %s: %w", p, err))
			continue
		}
		log.Info("summary written", zap.String("file", p))
	}
	return errors.Join(errs...)
}
