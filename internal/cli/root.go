package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"portalbot/internal/config"
	"portalbot/internal/fail"
)

// flagKeys maps each configuration key a flag can set to that flag's name,
// so flags go through the same precedence as the rest:
// flag > environment > config file > default.
var flagKeys = map[string]string{
	"out":                     "out",
	"log.level":               "log-level",
	"log.format":              "log-format",
	"codat.enable":            "enable",
	"app.name":                "app-name",
	"output.screenshots":      "screenshots",
	"output.screenshot_steps": "screenshot-steps",
	"browser.no_session":      "no-session",
	"browser.viewport.scale":  "scale",
	"check.strict":            "strict",
	"check.update_baselines":  "update-baselines",
	"check.history_dir":       "history",
	"check.baselines_dir":     "baselines",
}

// exitCodeKinds lists the outcomes in exit-code order with what each means
// for the person or scheduler reading it.
var exitCodeKinds = []struct {
	kind fail.Kind
	text string
}{
	{fail.Other, "any other error"},
	{fail.Config, "bad configuration or usage; nothing was started"},
	{fail.SignIn, "sign-in refused: credentials, two-step code, captcha, emailed code, locked account, a user without the role to manage integrations"},
	{fail.Mismatch, "a page or element no longer matches what the bot expects (the portal changed)"},
	{fail.Unavailable, "a portal was unavailable or the run timed out (browser.timeout)"},
	{fail.Unsafe, "refused for safety: foreign origin, another run holds the lock, ..."},
	{fail.Drifted, "check only: the portals reworded elements the bot can follow; it works, update the selectors (selectors_dir: <out>/selectors-fix)"},
	{fail.VisualDiff, "check only: every element was found, but a page's picture differs from its baseline (check.baselines_dir): see <out>/check/report.html"},
}

// exitCodeHelp is the exit-code table shown in the help of every command
// that runs something.
func exitCodeHelp() string {
	var b strings.Builder
	b.WriteString("Exit codes:\n  0  success\n")
	for _, k := range exitCodeKinds {
		fmt.Fprintf(&b, "  %d  %s\n", fail.ExitCode(&fail.Error{Kind: k.kind}), k.text)
	}
	return b.String()
}

// Main runs the bot with the process's arguments, streams and signals and
// returns the exit code; cmd/bot's main passes it to os.Exit.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Execute(ctx, NewFactory(System()), os.Args[1:])
}

// Execute runs the command line args with f, prints a failure once to
// ErrOut as "bot: <message>", and maps it to the exit code (fail.ExitCode),
// the one place where errors become exit codes.
func Execute(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "bot: %s\n", err)
	}
	return fail.ExitCode(err)
}

// NewCmdRoot returns the `bot` command with its persistent flags and every
// subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bot <command>",
		Short: "Create a Xero or FreeAgent OAuth app and register it in Codat",
		Long: `bot signs in to the Xero or FreeAgent developer portal in a headless browser,
creates the OAuth app Codat needs, and saves its client id and secret in the
Codat portal's accounting integration settings.

Configuration comes from, highest first: flags, environment variables (BOT_
plus the key upper-cased with dots as underscores, e.g. BOT_XERO_PASSWORD),
the config file (--config, default ./config.yaml when present), defaults.
Every secret key also accepts <key>_file (e.g. BOT_XERO_PASSWORD_FILE) naming
a file that holds it.

The JSON summary of a run goes to stdout and under --out; logs and progress
go to stderr.

` + exitCodeHelp(),
		Example: `  bot run xero
  BOT_CODAT_ENABLE=later bot run freeagent --config prod.yaml
  bot check xero --screenshots failure
  bot check all                      # every portal in one browser, in parallel tabs
  bot rotate xero --max-age 90d
  bot run xero --screenshots steps   # docs: a picture of every step`,

		SilenceErrors: true, // Execute prints the error once
		SilenceUsage:  true,
		Version:       versionString(),
		Args:          rootArgs,

		SuggestionsMinimumDistance: 2,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError(c, err)
	})
	cmd.SetVersionTemplate("{{.Version}}\n")

	pf := cmd.PersistentFlags()
	pf.String("config", "", "config `FILE` (default ./config.yaml when present)")
	pf.String("out", config.Default("out").(string), "`DIR` for the summary, screenshots and failure artefacts")
	pf.Var(newEnum(config.Default("log.level").(string), "debug", "info", "warn", "error"), "log-level", "log level")
	pf.Var(newEnum(config.Default("log.format").(string), "console", "json"), "log-format", "log format on stderr")

	cmd.AddCommand(NewCmdRun(f, nil))
	cmd.AddCommand(NewCmdCheck(f, nil))
	cmd.AddCommand(NewCmdRotate(f, nil))
	cmd.AddCommand(NewCmdLogin(f, nil))
	cmd.AddCommand(NewCmdSteps(f, nil))
	cmd.AddCommand(NewCmdShots(f, nil))
	cmd.AddCommand(NewCmdVersion(f))
	return cmd
}

// rootArgs refuses anything that is not a subcommand as a usage error.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return usageError(cmd, fmt.Errorf("%s", msg))
}

// usageError marks err as a usage error (exit 2) with a pointer to the help.
func usageError(cmd *cobra.Command, err error) error {
	return &fail.Error{Kind: fail.Config, Err: err, Hint: "see '" + cmd.CommandPath() + " --help'"}
}

// enum is a string flag restricted to a few values, refused at parse time
// with the list of allowed ones.
type enum struct {
	value   string
	allowed []string
}

func newEnum(def string, allowed ...string) *enum { return &enum{value: def, allowed: allowed} }

func (e *enum) String() string { return e.value }

func (e *enum) Set(s string) error {
	for _, a := range e.allowed {
		if s == a {
			e.value = s
			return nil
		}
	}
	return fmt.Errorf("must be %s or %s",
		strings.Join(e.allowed[:len(e.allowed)-1], ", "), e.allowed[len(e.allowed)-1])
}

// Type is shown in the help as the flag's argument.
func (e *enum) Type() string { return strings.Join(e.allowed, "|") }
