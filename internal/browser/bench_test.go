package browser_test

import (
	"context"
	"testing"

	"go.uber.org/zap"

	"portalbot/internal/browser"
	"portalbot/internal/config"
)

// BenchmarkStart is the browser's start alone: launch, first tab, stop.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		_, stop, err := browser.Start(context.Background(), config.Browser{Viewport: config.Viewport{Width: 1280, Height: 800, Scale: 1}}, zap.NewNop())
		if err != nil {
			b.Fatal(err)
		}
		stop()
	}
}
