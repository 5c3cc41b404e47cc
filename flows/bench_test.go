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
	"portalbot/selectors"
)

// benchFlow runs the whole job for provider against fresh replicas, in a
// new tab of one shared browser (the browser start is measured apart, in
// internal/browser).
func benchFlow(b *testing.B, provider string, screenshots string) {
	sel, err := selectors.Load("")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := fakeportal.Start(fakeportal.Options{})
		if err != nil {
			b.Fatal(err)
		}
		cfg := benchConfig(b, p)
		cfg.Output.Screenshots = screenshots
		env := &flows.Env{Config: cfg, Log: zap.NewNop(), Progress: io.Discard, Now: time.Now, Selectors: sel, Mode: flows.ModeRun}
		if _, err := flows.RunProvider(browsertest.Tab(b), env, provider); err != nil {
			b.Fatal(err)
		}
		p.Close()
	}
}

func BenchmarkXeroFlow(b *testing.B)                { benchFlow(b, "xero", "off") }
func BenchmarkXeroFlowWithScreenshots(b *testing.B) { benchFlow(b, "xero", "steps") }
func BenchmarkFreeAgentFlow(b *testing.B)           { benchFlow(b, "freeagent", "off") }

// benchConfig points the bot at the replicas p, without screenshots.
func benchConfig(b *testing.B, p *fakeportal.Portals) *config.Config {
	c := p.Creds
	return &config.Config{
		Browser: config.Browser{Timeout: 2 * time.Minute, StepTimeout: 20 * time.Second, Viewport: browsertest.Viewport},
		Xero: config.Xero{LoginURL: p.XeroLoginURL, DeveloperURL: p.XeroDeveloperURL, Email: c.XeroEmail,
			Password: secret.New(c.XeroPassword), TOTPSecret: secret.New(c.XeroTOTPSecret)},
		FreeAgent: config.FreeAgent{URL: p.FreeAgentURL, Email: c.FreeAgentEmail, Password: secret.New(c.FreeAgentPassword)},
		Codat: config.Codat{URL: p.CodatURL, LoginURL: p.CodatLoginURL, Email: c.CodatEmail,
			Password: secret.New(c.CodatPassword), Enable: "now"},
		App:    config.App{Name: "Bench Books", CompanyURL: "https://bench.example", Description: "bench"},
		Output: config.Output{Screenshots: "off"},
		Out:    b.TempDir(),
	}
}
