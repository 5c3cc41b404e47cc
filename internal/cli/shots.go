package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/shots"
	"portalbot/internal/store"
	"portalbot/selectors"
)

// ShotsOptions is everything `bot shots` needs: the parsed command line plus
// the Factory's dependencies, so a test fills it with stubs.
type ShotsOptions struct {
	IO      *IOStreams
	Context context.Context
	Target  string // xero, freeagent or all
	Only    string // the file name of the one shot to take again

	Config        func() (*config.Config, error)
	Now           func() time.Time
	Logger        func(config.Log) (*zap.Logger, error)
	LoadSelectors func(dir string) (*selectors.Set, error)
	StartBrowser  StartBrowserFunc
	RunFlow       RunFlowFunc
}

// shotTargets are what bot shots takes: a provider, or all of them.
var shotTargets = append(slices.Clone(flows.Providers), "all")

// NewCmdShots returns `bot shots xero|freeagent|all`: the docs screenshots
// of the shot list, taken during real runs of the flows. runF replaces
// shotsRun in tests; nil runs for real.
func NewCmdShots(f *Factory, runF func(*ShotsOptions) error) *cobra.Command {
	opts := &ShotsOptions{
		IO: f.IOStreams, Now: f.Now, Logger: f.Logger, LoadSelectors: f.LoadSelectors,
		StartBrowser: f.StartBrowser, RunFlow: f.RunFlow,
	}
	cmd := &cobra.Command{
		Use:   "shots <" + strings.Join(shotTargets, "|") + ">",
		Short: "Take the screenshots of Codat's setup guides, secrets masked, ready to publish",
		Long: `Run the flows (as bot run does: the app is created, its keys stored and
saved in Codat) and, right after the steps the shot list names, take the
guides' screenshots: cropped to the page, an element or a section, the
element a step is about framed in purple (` + flows.FramePurple + `), every secret and password
field masked whatever the list says. Write them and an index.md (image, alt
text, caption, the guide line each illustrates) under <out>/shots/.

The built-in list reproduces the guides' own images under their own names
(xero_app-client-secret-1-field-obscured.png, FreeAgent_-_app_creation.PNG,
FreeAgent_-_app_credentials.PNG) and one shot per step a reader wants to
see; shots_file replaces it. The list is checked against the flows' steps
and the selectors before any browser starts (exit 2 names the bad entry).

Pictures are reproducible: the viewport and scale are fixed
(browser.viewport, --scale), animations, transitions and the text caret are
off, fonts loaded, the shot scrolled into view. Each mask is checked on the
captured pixels to be one solid colour; a shot that fails is not written and
the command exits 4.

The shots follow the steps that create the app, so it must not exist yet:
against a test account, delete the app (and <out>/state/<provider>-*.json)
between two runs. --only still runs the flow from the start up to the shot's
step (the steps before it make what it shows), then stops; a later bot run
resumes from there.

` + exitCodeHelp(),
		Example: `  bot shots all --out docs-build
  bot shots xero --only xero_app-client-secret-1-field-obscured.png --scale 2`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 && slices.Contains(shotTargets, args[0]) {
				return nil
			}
			return usageError(cmd, fmt.Errorf("%s needs one of %s; got %q",
				cmd.CommandPath(), strings.Join(shotTargets, ", "), strings.Join(args, " ")))
		},
		ValidArgs: shotTargets,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.Target = args[0]
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
			return shotsRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Only, "only", "", "take only the shot written to `FILE` (its name in the list); the flow still runs up to its step")
	cmd.Flags().Float64("scale", config.Default("browser.viewport.scale").(float64),
		"device scale `FACTOR` of the pictures, 2 for high-density screens (browser.viewport.scale)")
	cmd.Flags().String("app-name", "", "`NAME` of the OAuth app in the provider's portal (app.name)")
	return cmd
}

// shotsRun checks the configuration and the shot list, then runs each
// provider's flow in a browser context of its own, taking the shots, and
// writes index.md.
func shotsRun(opts *ShotsOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cfg, err := opts.Config()
	if err != nil {
		return fmt.Errorf("load configuration: %w", err)
	}
	sel, err := opts.LoadSelectors(cfg.SelectorsDir)
	if err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("load selectors (selectors_dir %q): %w", cfg.SelectorsDir, err))
	}
	list, plan, err := planShots(opts, cfg, sel)
	if err != nil {
		return err
	}
	var problems []error
	for _, p := range plan.providers {
		if err := flows.ValidateConfig(cfg, p); err != nil {
			problems = append(problems, err)
		}
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	// The shots are the pictures wanted; per-step screenshots only on failure.
	cfg.Output.Screenshots, cfg.Output.ScreenshotSteps = "failure", nil

	log, err := opts.Logger(cfg.Log)
	if err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("set up logging: %w", err))
	}
	defer func() { _ = log.Sync() }()
	if err := makeOutDir(cfg.Out); err != nil {
		return err
	}
	dir := filepath.Join(cfg.Out, "shots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail.Wrap(fail.Config, fmt.Errorf("create %s: %w", dir, err))
	}

	written, runErr := runShots(ctx, opts, cfg, log, sel, plan, dir)
	index := filepath.Join(dir, "index.md")
	exists := func(file string) bool { _, err := os.Stat(filepath.Join(dir, file)); return err == nil }
	if err := store.WriteFile(index, list.Index(exists), 0o644); err != nil {
		runErr = errors.Join(runErr, fmt.Errorf("write %s: %w", index, err))
	} else {
		written = append(written, index)
	}
	for _, w := range written {
		if _, err := fmt.Fprintln(opts.IO.Out, w); err != nil {
			return err
		}
	}
	return runErr
}

// shotPlan is what a bot shots run takes: the providers in order and each
// one's shots.
type shotPlan struct {
	providers []string
	shots     map[string][]shots.Shot
}

// planShots loads and checks the shot list and picks the shots of this
// run: the target's, or the one --only names.
func planShots(opts *ShotsOptions, cfg *config.Config, sel *selectors.Set) (*shots.List, *shotPlan, error) {
	list, err := shots.Load(cfg.ShotsFile)
	if err != nil {
		return nil, nil, err
	}
	known := shots.Known{Steps: map[string][]string{}, Element: func(n string) bool { _, ok := sel.Elements[n]; return ok }}
	for _, p := range flows.Providers {
		steps, err := flows.StepsFor(p, flows.ModeRun)
		if err != nil {
			return nil, nil, err
		}
		for _, st := range steps {
			known.Steps[p] = append(known.Steps[p], st.Name)
		}
	}
	if err := list.Validate(known); err != nil {
		return nil, nil, err
	}
	providers := flows.Providers
	if opts.Target != "all" {
		providers = []string{opts.Target}
	}
	plan := &shotPlan{shots: map[string][]shots.Shot{}}
	if opts.Only != "" {
		sh, ok := list.Named(opts.Only)
		if !ok || !slices.Contains(providers, sh.Flow) {
			var names []string
			for _, p := range providers {
				for _, s := range list.For(p) {
					names = append(names, s.File)
				}
			}
			return nil, nil, &fail.Error{Kind: fail.Config,
				Err:  fmt.Errorf("--only %q: no such shot for %s in %s", opts.Only, opts.Target, list.Source),
				Hint: "the shots are: " + strings.Join(names, ", ")}
		}
		plan.providers = []string{sh.Flow}
		plan.shots[sh.Flow] = []shots.Shot{sh}
		return list, plan, nil
	}
	for _, p := range providers {
		if s := list.For(p); len(s) > 0 {
			plan.providers = append(plan.providers, p)
			plan.shots[p] = s
		}
	}
	if len(plan.providers) == 0 {
		return nil, nil, fail.New(fail.Config, "the shot list %s has no shots for %s", list.Source, opts.Target)
	}
	return list, plan, nil
}

// runShots starts the browser and runs each provider's flow (each in a
// browser context of its own: flows.RunProvider with Env.Shots), within
// browser.timeout each; it returns the files written.
func runShots(ctx context.Context, opts *ShotsOptions, cfg *config.Config, log *zap.Logger, sel *selectors.Set, plan *shotPlan, dir string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.Browser.Timeout*time.Duration(len(plan.providers)))
	defer cancel()
	tab, stop, err := opts.StartBrowser(ctx, cfg.Browser, log)
	if err != nil {
		return nil, timeoutKind(fmt.Errorf("start browser: %w", err), cfg)
	}
	defer stop()

	var written []string
	var errs []error
	for _, p := range plan.providers {
		run := &flows.ShotsRun{Shots: plan.shots[p], Dir: dir, StopWhenDone: opts.Only != ""}
		env := &flows.Env{Config: cfg, Log: log, Progress: opts.IO.ErrOut, Now: opts.Now, Selectors: sel, Mode: flows.ModeRun, Shots: run}
		if _, err := opts.RunFlow(tab, env, p); err != nil {
			errs = append(errs, timeoutKind(fmt.Errorf("shots %s: %w", p, err), cfg))
		}
		written = append(written, run.Written...)
	}
	return written, errors.Join(errs...)
}
