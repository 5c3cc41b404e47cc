package flows_test

import (
	"io"
	"testing"
	"time"

	"go.uber.org/zap"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fakeportal"
	"portalbot/internal/secret"
	"portalbot/internal/shots"
	"portalbot/selectors"
)

// BenchmarkXeroShots is the whole Xero job with the built-in list's Xero
// shots (bot shots xero) against fresh deterministic replicas: compare with
// BenchmarkXeroFlow for what the pictures cost.
func BenchmarkXeroShots(b *testing.B) {
	sel, err := selectors.Load("")
	if err != nil {
		b.Fatal(err)
	}
	list, err := shots.Load("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := fakeportal.Start(fakeportal.Options{Deterministic: true})
		if err != nil {
			b.Fatal(err)
		}
		c := p.Creds
		cfg := &config.Config{
			Browser: config.Browser{Timeout: 2 * time.Minute, StepTimeout: 20 * time.Second, Viewport: browsertest.Viewport},
			Xero: config.Xero{LoginURL: p.XeroLoginURL, DeveloperURL: p.XeroDeveloperURL, Email: c.XeroEmail,
				Password: secret.New(c.XeroPassword), TOTPSecret: secret.New(c.XeroTOTPSecret)},
			Codat: config.Codat{URL: p.CodatURL, LoginURL: p.CodatLoginURL, Email: c.CodatEmail,
				Password: secret.New(c.CodatPassword), Enable: "now"},
			App:    config.App{Name: "Bench Books", CompanyURL: "https://bench.example", PrivacyURL: "https://bench.example/privacy", TermsURL: "https://bench.example/terms"},
			Output: config.Output{Screenshots: "failure"},
			Out:    b.TempDir(),
		}
		run := &flows.ShotsRun{Shots: list.For("xero"), Dir: b.TempDir()}
		env := &flows.Env{Config: cfg, Log: zap.NewNop(), Progress: io.Discard, Now: time.Now, Selectors: sel, Mode: flows.ModeRun, Shots: run}
		if _, err := flows.RunProvider(browsertest.Tab(b), env, "xero"); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}
