package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/session"
	"portalbot/selectors"
)

// LoginFunc signs in to a portal with a person's help and saves the
// session file; flows.Login in production.
type LoginFunc func(ctx context.Context, env *flows.Env, portal string, wait time.Duration) (string, error)

// LoginOptions is everything `bot login` needs; a test fills it with stubs
// and calls runLogin.
type LoginOptions struct {
	IO      *IOStreams
	Context context.Context
	Portal  string        // "xero", "freeagent" or "codat"
	Wait    time.Duration // how long the person has to finish

	Config        func() (*config.Config, error)
	Now           func() time.Time
	Logger        func(config.Log) (*zap.Logger, error)
	LoadSelectors func(dir string) (*selectors.Set, error)
	// StartBrowser starts a browser with a visible window, or attaches to
	// browser.remote_url.
	StartBrowser StartBrowserFunc
	Login        LoginFunc
	Getenv       func(string) string // the display variables
}

// NewCmdLogin returns `bot login xero|freeagent|codat`. runF replaces
// runLogin in tests of the flag binding; nil runs for real.
func NewCmdLogin(f *Factory, runF func(*LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{
		IO:            f.IOStreams,
		Now:           f.Now,
		Logger:        f.Logger,
		LoadSelectors: f.LoadSelectors,
		StartBrowser:  f.StartVisibleBrowser,
		Login:         f.Login,
		Getenv:        f.Getenv,
	}
	cmd := &cobra.Command{
		Use:   "login <" + strings.Join(flows.LoginPortals, "|") + ">",
		Short: "Sign in once with a person's help and save the session the runs reuse",
		Long: `Open the portal's sign-in page in a visible browser window, fill in what the bot
can (email, password, a code from the TOTP secret, "Trust this device"), and wait
while you do the rest: a captcha, a code sent by email, an approval on your
phone. Once the signed-in page shows, the session (cookies and local storage
of the portal's sites) is saved to

  <browser.session_dir>/<portal>-<email>.json   (default <out>/sessions/, mode 600)

and every later run and check loads it before its first page, so it does not
meet the captcha or the code again while the session lasts; each run keeps it
fresh, and signs in with the password again when it expired.

This needs a display and the full Chromium (sudo apt-get install chromium):
the headless shell the runs use cannot show a window. On a server without a
display, either run bot login on a workstation with the same configuration and
copy the session file to the server (same path under browser.session_dir; it is
portable between machines), or start Chromium on the workstation with
--remote-debugging-port=9222, forward that port to the server (ssh -R
9222:127.0.0.1:9222 server) and run bot login on the server with
BOT_BROWSER_REMOTE_URL=http://127.0.0.1:9222: the window opens on the
workstation and the file is written on the server.

The session file signs in as the account while it lasts: keep it as private as
the password. Only the path is printed (on stdout), never its content.

` + loginExitCodeHelp(),
		Example: `  bot login xero                 # then: bot run xero
  bot login codat --wait 20m
  # from a workstation, for a server without a display:
  bot login freeagent --config server.yaml && scp out/sessions/freeagent-*.json server:/data/sessions/`,
		Args:      loginArg,
		ValidArgs: flows.LoginPortals,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Context = cmd.Context()
			opts.Portal = args[0]
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
			return runLogin(opts)
		},
	}
	cmd.Flags().DurationVar(&opts.Wait, "wait", 10*time.Minute, "how long to wait for you to finish signing in")
	return cmd
}

// loginArg requires exactly one portal, as a usage error.
func loginArg(cmd *cobra.Command, args []string) error {
	if len(args) == 1 && slices.Contains(flows.LoginPortals, args[0]) {
		return nil
	}
	return usageError(cmd, fmt.Errorf("%s needs one portal, %s; got %q",
		cmd.CommandPath(), strings.Join(flows.LoginPortals, ", "), strings.Join(args, " ")))
}

// runLogin checks the configuration and the display before any browser
// starts, then lets flows.Login sign in with the person's help.
func runLogin(opts *LoginOptions) error {
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	cfg, err := opts.Config()
	if err != nil {
		return fmt.Errorf("load configuration: %w", err)
	}
	if err := flows.ValidateLoginConfig(cfg, opts.Portal); err != nil {
		return err
	}
	if opts.Wait <= 0 {
		return fail.New(fail.Config, "--wait must be greater than 0 (got %s)", opts.Wait)
	}
	path := session.Path(cfg.Sessions(), opts.Portal, flows.Account(cfg, opts.Portal))
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if cfg.Browser.RemoteURL == "" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return noDisplay(opts.Portal, path)
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

	tab, stop, err := opts.StartBrowser(ctx, cfg.Browser, log)
	if err != nil {
		return fmt.Errorf("start browser: %w", err)
	}
	defer stop()
	fmt.Fprintf(opts.IO.ErrOut, "%s: signing in in the browser window; finish what the bot cannot (captcha, emailed code, approval) within %s\n",
		opts.Portal, opts.Wait)
	env := &flows.Env{Config: cfg, Log: log, Progress: opts.IO.ErrOut, Now: opts.Now, Selectors: sel}
	saved, err := opts.Login(tab, env, opts.Portal, opts.Wait)
	if err != nil {
		return fmt.Errorf("login %s: %w", opts.Portal, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s: signed in; session saved to %s (mode 600). bot run and bot check use it from now on; on another machine, copy it to the same path under browser.session_dir.\n",
		opts.Portal, saved)
	fmt.Fprintln(opts.IO.Out, saved)
	return nil
}

// noDisplay is the usage error of bot login on a machine without a display:
// the two ways to do it from a workstation.
func noDisplay(portal, path string) error {
	return &fail.Error{Kind: fail.Config,
		Err: fmt.Errorf(`bot login %s needs a display to show you the browser, and this machine has none ($DISPLAY and $WAYLAND_DISPLAY are unset). Either:
  1. on a workstation with a display and Chromium (sudo apt-get install chromium), with the same configuration:
       bot login %s
     then copy the session file it writes to %s on this machine (keep it mode 600; it is portable); or
  2. drive a browser on your workstation from here: on the workstation run
       chromium --remote-debugging-port=9222 --enable-blink-features=ComputedAccessibilityInfo --user-data-dir="$(mktemp -d)"
       ssh -R 9222:127.0.0.1:9222 <this machine>
     and in that ssh session run
       BOT_BROWSER_REMOTE_URL=http://127.0.0.1:9222 bot login %s
     the window opens on the workstation and %s is written here`, portal, portal, path, portal, path)}
}

// loginExitCodeHelp is the exit-code table of bot login, from internal/fail.
func loginExitCodeHelp() string {
	var b strings.Builder
	b.WriteString("Exit codes:\n  0  signed in, session saved (its path on stdout)\n")
	for _, k := range []struct {
		kind fail.Kind
		text string
	}{
		{fail.Other, "the browser went away before the sign-in finished"},
		{fail.Config, "bad configuration or usage, no display, no Chromium that can show a window"},
		{fail.Unavailable, "nobody finished the sign-in within --wait, or the portal was unavailable"},
		{fail.Unsafe, "refused for safety: the sign-in went to a host that is not the configured one"},
	} {
		fmt.Fprintf(&b, "  %d  %s\n", fail.ExitCode(&fail.Error{Kind: k.kind}), k.text)
	}
	return b.String()
}
