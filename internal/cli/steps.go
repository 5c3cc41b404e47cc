package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"portalbot/flows"
)

// StepsOptions is `bot steps`: which provider, and whether the steps of a
// regression check are wanted instead of those of a run.
type StepsOptions struct {
	IO       *IOStreams
	Provider string
	Check    bool // the steps of bot check
	Rotate   bool // the steps of bot rotate
	Names    bool // names only, one per line
}

// NewCmdSteps returns `bot steps xero|freeagent`, which lists the named
// steps of a run with the guide's line each one automates: the names that
// screenshots, progress, the summary and output.screenshot_steps use.
func NewCmdSteps(f *Factory, runF func(*StepsOptions) error) *cobra.Command {
	opts := &StepsOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "steps <" + strings.Join(flows.Providers, "|") + "> | steps all --check",
		Short: "List the named steps of a run, with the guide's line each one automates",
		Long: `List, in order, the steps that bot run (bot check with --check, bot rotate
with --rotate) goes through for the provider: each step's name and the line of
Codat's setup guide it automates. Screenshots are named after the steps (NN-<step>.png), and
--screenshot-steps (output.screenshot_steps) takes these names. Nothing is
started: no browser, no configuration needed.`,
		Example: `  bot steps xero
  bot steps xero --rotate
  bot steps all --check          # the steps of bot check all, every portal
  bot run xero --screenshot-steps "$(bot steps xero --names | grep secret | paste -sd,)"`,
		Args:      targetArg(append(slices.Clone(flows.Providers), flows.All)),
		ValidArgs: flows.Providers,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Provider = args[0]
			if opts.Check && opts.Rotate {
				return usageError(cmd, errors.New("--check and --rotate: choose one"))
			}
			if opts.Provider == flows.All && !opts.Check {
				return usageError(cmd, errors.New("all: only with --check (bot check all)"))
			}
			if runF != nil {
				return runF(opts)
			}
			return stepsRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Check, "check", false, "the steps of bot check instead of bot run")
	cmd.Flags().BoolVar(&opts.Rotate, "rotate", false, "the steps of bot rotate instead of bot run")
	cmd.Flags().BoolVar(&opts.Names, "names", false, "print the names only, one per line")
	return cmd
}

// stepsRun prints the steps as a numbered table, or the bare names.
func stepsRun(opts *StepsOptions) error {
	mode := flows.ModeRun
	switch {
	case opts.Check:
		mode = flows.ModeCheck
	case opts.Rotate:
		mode = flows.ModeRotate
	}
	steps, err := flows.StepsFor(opts.Provider, mode)
	if err != nil {
		return err
	}
	if opts.Names {
		for _, st := range steps {
			if _, err := fmt.Fprintln(opts.IO.Out, st.Name); err != nil {
				return err
			}
		}
		return nil
	}
	w := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	for i, st := range steps {
		writes := ""
		if st.Writes {
			writes = "writes"
		}
		fmt.Fprintf(w, "%2d\t%s\t%s\t%s\n", i+1, st.Name, writes, st.Guide)
	}
	return w.Flush()
}
