package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Version is the release this binary was built from, set at build time:
// go build -ldflags "-X portalbot/internal/cli.Version=v1.2.3".
var Version = "dev"

// NewCmdVersion returns `bot version`, which prints the version, the commit
// and the Go version, to tell which build a scheduler ran.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version of this build",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(f.IOStreams.Out, versionString())
			return err
		},
	}
}

// noArgs refuses any positional argument as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError(cmd, fmt.Errorf("%s takes no arguments; got %q", cmd.CommandPath(), strings.Join(args, " ")))
	}
	return nil
}

// versionString is "bot <version> (<commit>[, modified], <date>, <go version>)"
// from Version and the build information the Go toolchain embeds.
func versionString() string {
	v := Version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "bot " + v
	}
	if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	var parts []string
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += ", modified"
		}
		parts = append(parts, rev)
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	parts = append(parts, info.GoVersion)
	return "bot " + v + " (" + strings.Join(parts, ", ") + ")"
}
