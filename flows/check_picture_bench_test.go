package flows_test

import (
	"io"
	"testing"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/checkreport"
	"portalbot/internal/fakeportal"
	"portalbot/selectors"
)

// BenchmarkCheckXeroPictures: `bot check xero` on unchanged replicas with an
// app (six pages), without pictures and with one picture per page for the
// reports (settle, cover, capture, mask check): what the pictures cost.
func BenchmarkCheckXeroPictures(b *testing.B) {
	for _, bc := range []struct {
		name     string
		pictures bool
	}{{"no pictures", false}, {"pictures", true}} {
		b.Run(bc.name, func(b *testing.B) {
			sel, err := selectors.Load("")
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, err := fakeportal.Start(fakeportal.Options{Deterministic: true})
				if err != nil {
					b.Fatal(err)
				}
				cfg := benchConfig(b, p)
				p.AddXeroApp(cfg.App.Name)
				env := &flows.Env{Config: cfg, Log: zap.NewNop(), Progress: io.Discard, Now: time.Now, Selectors: sel, Mode: flows.ModeCheck}
				if bc.pictures {
					env.Captures = &checkreport.Captures{}
				}
				if _, err = flows.RunProvider(browsertest.Tab(b), env, "xero"); err != nil {
					b.Fatal(err)
				}
				if n := len(env.Captures.All()); bc.pictures && n != 6 {
					b.Fatalf("%d pictures, want 6", n)
				}
				p.Close()
			}
		})
	}
}
