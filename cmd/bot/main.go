// Command bot creates a Xero or FreeAgent OAuth app and registers it in the
// Codat portal; see internal/cli for the commands.
package main

import (
	"os"

	"portalbot/internal/cli"
)

func main() { os.Exit(cli.Main()) }
