package flows_test

import (
	"io"
	"testing"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/selectors"
)

// BenchmarkCheckXero: `bot check xero` on unchanged replicas, and with three
// elements of the new-app dialog removed. A missing element costs the short
// grace of flows.CheckWait, not a step timeout: the second stays within a
// few seconds of the first (issue: within 5 s).
func BenchmarkCheckXero(b *testing.B) {
	for _, bc := range []struct {
		name   string
		remove []string
		exit   int
	}{
		{"clean", nil, 0},
		{"three removed", []string{"Redirect URI", "Company or application URL", "Create app"}, 4},
	} {
		b.Run(bc.name, func(b *testing.B) {
			sel, err := selectors.Load("")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := fakeportal.Start(fakeportal.Options{Faults: fakeportal.Faults{Remove: bc.remove}})
				if err != nil {
					b.Fatal(err)
				}
				cfg := benchConfig(b, p)
				env := &flows.Env{Config: cfg, Log: zap.NewNop(), Progress: io.Discard, Now: time.Now, Selectors: sel, Mode: flows.ModeCheck}
				_, err = flows.RunProvider(browsertest.Tab(b), env, "xero")
				if got := fail.ExitCode(err); got != bc.exit {
					b.Fatalf("exit %d (%v), want %d", got, err, bc.exit)
				}
				p.Close()
			}
		})
	}
}
