package main

import (
	"strings"
	"testing"

	"github.com/spf13/viper"

	"portalbot/internal/fakeportal"
)

func TestConfigYAML(t *testing.T) {
	p := fakeportal.StartT(t, fakeportal.Options{})
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(ConfigYAML(p))); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"xero.login_url": p.XeroLoginURL, "xero.developer_url": p.XeroDeveloperURL, "xero.email": p.Creds.XeroEmail,
		"xero.password": p.Creds.XeroPassword, "xero.totp_secret": p.Creds.XeroTOTPSecret,
		"freeagent.url": p.FreeAgentURL, "freeagent.email": p.Creds.FreeAgentEmail, "freeagent.password": p.Creds.FreeAgentPassword,
		"codat.url": p.CodatURL, "codat.login_url": p.CodatLoginURL, "codat.email": p.Creds.CodatEmail,
		"codat.password": p.Creds.CodatPassword, "codat.totp_secret": p.Creds.CodatTOTPSecret, "codat.enable": "now",
		"app.name": "Acme Books Demo", "app.company_url": "https://example.com", "app.privacy_url": "https://example.com/privacy",
		"app.terms_url": "https://example.com/terms", "app.description": "Demo app created by portalbot",
	}
	for k, w := range want {
		if got := v.GetString(k); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
}

func TestFlags(t *testing.T) {
	r := renameFlag{}
	if err := r.Set("Generate a secret=Create a secret"); err != nil || r["Generate a secret"] != "Create a secret" {
		t.Fatalf("rename %v %v", r, err)
	}
	if err := r.Set("nothing"); err == nil {
		t.Fatal("want error")
	}
	if err := run([]string{"--captcha-on", "google"}, new(strings.Builder), new(strings.Builder)); err == nil {
		t.Fatal("want error for unknown portal")
	}
	for _, bad := range []string{"300ms", "300ms-50ms", "fast-slow"} {
		if err := run([]string{"--latency", bad}, new(strings.Builder), new(strings.Builder)); err == nil || !strings.Contains(err.Error(), "MIN-MAX") {
			t.Errorf("--latency %s: err = %v, want one saying MIN-MAX", bad, err)
		}
	}
	for _, bad := range [][]string{{"--wording", "2025"}, {"--xero-dialog-screens", "3"}, {"--drift-rate", "1.5"}} {
		if err := run(bad, new(strings.Builder), new(strings.Builder)); err == nil {
			t.Errorf("%v: want error", bad)
		}
	}
}

func TestPrintDrift(t *testing.T) {
	p := fakeportal.StartT(t, fakeportal.Options{Faults: fakeportal.Faults{DriftSeed: 3}})
	var b strings.Builder
	changes := p.Records().Drift
	if err := printDrift(&b, 3, changes); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(changes) == 0 || len(lines) != len(changes)+1 || !strings.HasPrefix(lines[1], "drift: ") {
		t.Fatalf("printed:\n%s", b.String())
	}
	b.Reset()
	if err := printDrift(&b, 0, nil); err != nil || b.Len() != 0 {
		t.Fatalf("printed without a seed: %q", b.String())
	}
}
