// Package browser starts the headless browser the flows drive, or attaches
// to one that already runs (browser.remote_url).
package browser

import (
	"context"

	"go.uber.org/zap"

	"portalbot/internal/config"
)

// Start launches (or attaches to) a browser and opens one tab. The returned
// context is a chromedp context for that tab; stop closes the tab and the
// browser, waits for its processes and removes the temporary profile.
func Start(ctx context.Context, cfg config.Browser, log *zap.Logger) (tab context.Context, stop func(), err error) {
	return start(ctx, cfg, log)
}
