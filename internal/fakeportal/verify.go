package fakeportal

import (
	"encoding/json"
	"fmt"
	"strings"
)

// BotConfigYAML is a bot configuration pointing at these replicas with the
// demo accounts (it holds their passwords: write it 0600).
func (p *Portals) BotConfigYAML() string {
	c := p.Creds
	q := func(v string) string { b, _ := json.Marshal(v); return string(b) }
	var b strings.Builder
	b.WriteString("# Bot configuration for the local replicas (cmd/fakeportals). Holds demo passwords.\n")
	fmt.Fprintf(&b, "xero:\n  login_url: %s\n  developer_url: %s\n  email: %s\n  password: %s\n  totp_secret: %s\n",
		q(p.XeroLoginURL), q(p.XeroDeveloperURL), q(c.XeroEmail), q(c.XeroPassword), q(c.XeroTOTPSecret))
	fmt.Fprintf(&b, "freeagent:\n  url: %s\n  email: %s\n  password: %s\n",
		q(p.FreeAgentURL), q(c.FreeAgentEmail), q(c.FreeAgentPassword))
	fmt.Fprintf(&b, "codat:\n  url: %s\n  login_url: %s\n  email: %s\n  password: %s\n  totp_secret: %s\n  enable: now\n",
		q(p.CodatURL), q(p.CodatLoginURL), q(c.CodatEmail), q(c.CodatPassword), q(c.CodatTOTPSecret))
	fmt.Fprintf(&b, "app:\n  name: %s\n  company_url: %s\n  privacy_url: %s\n  terms_url: %s\n  description: %s\n",
		q("Acme Books Demo"), q("https://example.com"), q("https://example.com/privacy"), q("https://example.com/terms"),
		q("Demo app created by portalbot"))
	return b.String()
}

// Delivered checks the end state every complete run must leave for
// provider, from the replicas' own records: exactly one app, Codat holding
// the client id and a secret the provider accepts now, at most two live
// secrets, and the switch as wanted.
func (r Records) Delivered(provider string, wantEnabled bool) error {
	switch provider {
	case "xero":
		if len(r.XeroApps) != 1 {
			return fmt.Errorf("xero has %d apps, want 1", len(r.XeroApps))
		}
		app, codat := r.XeroApps[0], r.Codat[KeyXero]
		live := app.LiveSecrets()
		if len(live) == 0 || len(live) > 2 {
			return fmt.Errorf("xero app has %d live secrets, want 1 or 2", len(live))
		}
		held := false
		for _, v := range live {
			held = held || v == codat.ClientSecret
		}
		if !held || codat.ClientID != app.ClientID {
			return fmt.Errorf("codat holds no key pair that xero accepts")
		}
		if codat.Enabled != wantEnabled {
			return fmt.Errorf("codat's xero switch is %v, want %v", codat.Enabled, wantEnabled)
		}
	case "freeagent":
		if len(r.FreeAgentApps) != 1 {
			return fmt.Errorf("freeagent has %d apps, want 1", len(r.FreeAgentApps))
		}
		app, codat := r.FreeAgentApps[0], r.Codat[KeyFreeAgent]
		if app.PracticeAPI {
			return fmt.Errorf("the freeagent app has the Accountancy Practice API on")
		}
		if codat.ClientID != app.Identifier || codat.ClientSecret != app.Secret {
			return fmt.Errorf("codat holds no key pair that freeagent accepts")
		}
		if codat.Enabled != wantEnabled {
			return fmt.Errorf("codat's freeagent switch is %v, want %v", codat.Enabled, wantEnabled)
		}
	default:
		return fmt.Errorf("unknown provider %q", provider)
	}
	return nil
}
