package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"portalbot/flows"
)

// NewCmdRotate returns `bot rotate xero|freeagent`: a new client secret in
// the provider's portal and in Codat, with no downtime where the portal
// allows it. runF replaces runRun in tests of the flag binding.
func NewCmdRotate(f *Factory, runF func(*RunOptions) error) *cobra.Command {
	var maxAge string
	var acceptGap bool
	cmd := newCmdFlow(f, flows.ModeRotate, func(opts *RunOptions) error {
		d, err := flows.ParseMaxAge(maxAge)
		if err != nil {
			return usageError(opts.cmd, fmt.Errorf("--max-age: %w", err))
		}
		opts.Rotate = flows.RotateOptions{MaxAge: d, AcceptGap: acceptGap}
		if runF != nil {
			return runF(opts)
		}
		return runRun(opts)
	})
	cmd.Use = "rotate <" + strings.Join(flows.Providers, "|") + ">"
	cmd.Short = "Replace the app's client secret in the provider's portal and in Codat"
	cmd.Long = `Replace the client secret of the app that bot run set up (app.name), in the
provider's portal and in Codat's integration settings.

Xero, with no downtime: Xero keeps two client secrets. The new secret goes
into the free slot (when both are full, the one Codat does not hold is
removed first; when the state does not say which one that is, the run stops
with exit 6 and changes nothing), it is stored (<out>/secrets/) before the
page is left, delivered to Codat, and only once Codat saved it is the older
secret removed. Stopped anywhere, by a kill or a failure, the next bot rotate
finishes the same rotation; Codat holds a live secret all along.

FreeAgent can only regenerate its one secret: the old one stops working at
once, and Codat's FreeAgent connections fail until Codat holds the new one.
That is refused (exit 6) unless --accept-gap; then the secret is regenerated
and delivered in one go, and the summary reports the gap (rotation.gap_ms).

With --max-age, a live secret younger than that is kept and the run says so,
writing nothing (exit 0): run it daily and the secret is rotated every N days.
The age comes from the state (when the bot stored the secret), else from the
"Created" date the portal shows beside the secret.

The JSON summary goes to stdout and to <out>/summary-<provider>.json; its
"rotation" says what was done ("rotated" or "not due").

` + exitCodeHelp()
	cmd.Example = `  # rotate now
  bot rotate xero

  # daily from cron or a Kubernetes CronJob: a new secret every 90 days
  bot rotate xero --max-age 90d

  # FreeAgent: accept that Codat's connections fail until it holds the new secret
  bot rotate freeagent --accept-gap

  # the steps of a rotation
  bot steps xero --rotate`
	cmd.Flags().StringVar(&maxAge, "max-age", "", "keep a live secret younger than `AGE` (90d, 12w, 2160h): the run is then a no-op")
	cmd.Flags().BoolVar(&acceptGap, "accept-gap", false, "FreeAgent: regenerate although Codat's secret stops working until it holds the new one")
	return cmd
}
