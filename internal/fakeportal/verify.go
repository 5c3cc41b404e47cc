package fakeportal

import (
	"encoding/json"
	"fmt"
	"slices"
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

// Harm lists what a run for provider ("xero" | "freeagent") did wrong,
// judged from the records alone, however the run ended (a run that stops
// early has done nothing wrong when this is empty): a question answered
// against the configuration (aiTraining) or the security requirements
// refused, the Accountancy Practice API ticked, more than one app created,
// a Xero secret removed while it was the only live one, Codat holding a
// key pair its provider does not accept (keys swapped, a dead or
// regenerated secret, another app's id), another integration changed, a
// switch turned off, or turned on when enable is false.
func (r Records) Harm(provider string, aiTraining, enable bool) []string {
	var out []string
	harm := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	key := map[string]string{"xero": KeyXero, "freeagent": KeyFreeAgent}[provider]
	if key == "" {
		return []string{fmt.Sprintf("unknown provider %q", provider)}
	}
	want := "no"
	if aiTraining {
		want = "yes"
	}
	for _, s := range r.XeroSubmissions {
		if s.AI != "" && s.AI != want {
			harm("xero: %q answered %q to the AI question (configured %q)", s.Name, s.AI, want)
		}
		if s.Security == "no" {
			harm("xero: %q answered \"no\" to the security requirements", s.Name)
		}
	}
	created := map[string]int{}
	for _, w := range r.Writes {
		switch {
		case w.Action == "app created":
			created[w.Portal]++
		case w.Portal == "codat" && w.Action == "integration disabled":
			harm("codat: a switch was turned off: %s", w.Detail)
		case w.Portal == "codat" && w.Action != "change refused" && !strings.Contains(w.Detail, "("+key+")") &&
			!strings.HasPrefix(w.Action, "sign-in") && !strings.Contains(w.Action, "code refused"):
			harm("codat: another integration changed: %s %s", w.Action, w.Detail)
		}
	}
	if created[provider] > 1 {
		harm("%s: %d apps created", provider, created[provider])
	}
	for _, a := range r.FreeAgentApps {
		if a.PracticeAPI {
			harm("freeagent: app %q has the Accountancy Practice API on", a.Name)
		}
	}
	var ids, secrets []string
	for _, a := range r.XeroApps {
		ids = append(ids, a.ClientID)
		for _, s := range a.Secrets {
			secrets = append(secrets, s.Value)
			if !s.Removed {
				continue
			}
			live := 0 // live just before this removal
			for _, o := range a.Secrets {
				if !o.CreatedAt.After(s.RemovedAt) && (!o.Removed || !o.RemovedAt.Before(s.RemovedAt)) {
					live++
				}
			}
			if live < 2 {
				harm("xero: %q: client secret %d removed while it was the only live one", a.Name, s.Slot)
			}
		}
	}
	for _, a := range r.FreeAgentApps {
		ids = append(ids, a.Identifier)
		secrets = append(secrets, a.Secret)
	}
	c := r.Codat[key]
	if c.Configured {
		if slices.Contains(secrets, c.ClientID) || slices.Contains(ids, c.ClientSecret) {
			harm("codat: %s holds a secret as client ID or an ID as client secret (fields swapped)", c.Name)
		}
		accepted := false
		switch provider {
		case "xero":
			for _, a := range r.XeroApps {
				accepted = accepted || (a.ClientID == c.ClientID && slices.Contains(a.LiveSecrets(), c.ClientSecret))
			}
		case "freeagent":
			for _, a := range r.FreeAgentApps {
				accepted = accepted || (a.Identifier == c.ClientID && a.Secret == c.ClientSecret)
			}
		}
		if !accepted {
			harm("codat: %s holds a key pair %s does not accept (a dead secret or the wrong id)", c.Name, provider)
		}
	}
	if c.Enabled && !enable {
		harm("codat: %s was enabled; the configuration said later", c.Name)
	}
	return out
}
