package fakeportal

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// The spa rendering carries the whole 2026 table: the bundle draws it from
// the labels its JSON sends for the 2026 keys.
func TestWording2026SPA(t *testing.T) {
	p := StartT(t, Options{Variant: VariantSPA, Wording: Wording2026, XeroTwoStep: true})
	b := newBrowser(t)
	for _, k := range []string{"Please enter your email", "Please enter your password", "Remember me for 30 days",
		"Check your Xero Verify app", "Use a backup method instead", "Add a new Xero app", "OAuth 2.0 redirect URI",
		"Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?", "Next", "Back",
		"Create new app", "Regenerate secret", "Enabled", "Disabled", "Enter the code"} {
		if !slices.Contains(spaLabelKeys, k) {
			t.Errorf("bundle lacks %q", k)
		}
	}
	must(t, b.get(p.XeroLoginURL+"/_spa/app.js"), 200, "'xl-form-email'", "'xl-form-password'", "'xl-form-submit'",
		"/app/manage/api/app-drafts", "data-state-word", "/regenerate_secret")

	env := spaShell(t, b, b.get(p.XeroDeveloperURL+"/app/manage"), 200)
	envPage(t, env, "xero_login")
	if env["wording"] != Wording2026 {
		t.Fatalf("wording %v", env["wording"])
	}
	for _, l := range []string{"Please enter your email", "Please enter your password", "Log in"} {
		if s, ok := label(t, env, l); s != l || !ok {
			t.Errorf("label %q: %q %v", l, s, ok)
		}
	}
	if _, ok := env["labels"].(map[string]any)["Add a new app"]; ok {
		t.Error("the 2023 title is sent with the 2026 wording")
	}

	// Push screen, then the code page.
	r := spaPostForm(t, b, p.XeroLoginURL+"/identity/user/login?ReturnUrl="+url.QueryEscape(p.XeroDeveloperURL+"/signin-oidc?returnTo=%2Fapp%2Fmanage"),
		url.Values{"Username": {p.Creds.XeroEmail}, "Password": {p.Creds.XeroPassword}})
	at(t, r, p.XeroLoginURL, "/identity/user/login/two-factor/push")
	v := envPage(t, r.JSON, "xero_push")
	label(t, r.JSON, "Check your Xero Verify app")
	label(t, r.JSON, "Use a backup method instead")
	r = spaGetJSON(t, b, p.XeroLoginURL+v["backup"].(string))
	envPage(t, r.JSON, "xero_twofactor")
	if s, _ := label(t, r.JSON, "Remember me for 30 days"); s != "Remember me for 30 days" {
		t.Fatal(s)
	}
	r = spaPostForm(t, b, r.URL.String(), url.Values{"code": {code(t, p.Creds.XeroTOTPSecret)}})
	v = envPage(t, r.JSON, "xero_myapps")
	if v["screens"] != float64(2) || v["limitLabel"] != "0 of 5 connections" {
		t.Fatalf("view %v", v)
	}
	for _, l := range []string{"Add a new Xero app", "OAuth 2.0 redirect URI", "Next", "Back", "0 of 5 connections",
		"Will you use Xero data to train, fine-tune, adapt, or enhance an AI model?"} {
		label(t, r.JSON, l)
	}
	// A create refused on the second screen comes back on it, draft kept.
	draft := b.post(p.XeroDeveloperURL+"/app/manage/api/app-drafts", newAppForm("Acme Books")).JSON["draft"].(string)
	r = spaPostForm(t, b, p.XeroDeveloperURL+"/app/manage/app", url.Values{"draft": {draft}, "company_url": {"ftp://x"}, "redirect_uri": {"https://xero.codat.io/oauth2/callback"}, "terms": {"on"}})
	f := envPage(t, r.JSON, "xero_myapps")["form"].(map[string]any)
	if f["screen"] != float64(2) || f["draft"] != draft || f["errors"].(map[string]any)["company_url"] != msgXeroCompanyURL2026 {
		t.Fatalf("form %v", f)
	}

	codatSignIn(t, p, b, "/settings/integrations/accounting")
	r = spaGetJSON(t, b, p.CodatURL+"/settings/integrations/accounting")
	envPage(t, r.JSON, "codat_integrations")
	label(t, r.JSON, "Disabled")
	label(t, r.JSON, "Enabled")

	fa := p.AddFreeAgentApp("Acme FA")
	faSignIn(t, p, b, "/apps")
	r = spaGetJSON(t, b, p.FreeAgentURL+"/apps")
	label(t, r.JSON, "Create new app")
	r = spaGetJSON(t, b, p.FreeAgentURL+"/apps/"+fa.ID)
	v = envPage(t, r.JSON, "fa_app")
	if v["hideSecret"] != true || strings.Contains(r.Body, fa.Secret) {
		t.Fatalf("the secret of an app opened again is in the JSON: %v", v)
	}
	label(t, r.JSON, "Regenerate secret")
}

func TestDriftDeterministic(t *testing.T) {
	a := StartT(t, Options{Faults: Faults{DriftSeed: 42}}).Records().Drift
	b := StartT(t, Options{Variant: VariantSPA, Faults: Faults{DriftSeed: 42}}).Records().Drift
	c := StartT(t, Options{Faults: Faults{DriftSeed: 43}}).Records().Drift
	if len(a) == 0 || !slices.Equal(a, b) {
		t.Fatalf("seed 42 differs between starts:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatal("seeds 42 and 43 drift alike")
	}
	if n := len(catalogue("", 25)); len(a) > n/3 {
		t.Fatalf("%d of %d labels changed: a seed should change a few", len(a), n)
	}
	if d := StartT(t, Options{}).Records().Drift; d != nil {
		t.Fatalf("drift without a seed: %v", d)
	}
}

// Across many seeds: every way is used, what never drifts does not, each
// change is recorded with what it became, and the pages show it.
func TestDriftWays(t *testing.T) {
	ways := map[string]int{}
	labels := catalogue(Wording2023, 25)
	labels = append(labels, catalogue(Wording2026, 5)...)
	for seed := int64(1); seed <= 60; seed++ {
		for _, l := range labels {
			c := driftOf(seed, DefaultDriftRate, l)
			if c.How == "" {
				continue
			}
			ways[c.How]++
			switch {
			case noDrift[c.Label]:
				t.Errorf("seed %d drifted %q", seed, c.Label)
			case c.How == DriftPlaceholder || c.How == DriftTooltip:
				if c.Became != c.Label {
					t.Errorf("seed %d: moved %q became %q", seed, c.Label, c.Became)
				}
			case c.Became == c.Label || c.Became == "":
				t.Errorf("seed %d: %+v", seed, c)
			}
			for _, w := range strings.Fields(c.Label) {
				if strings.ContainsAny(w, "0123456789%@") && !strings.Contains(c.Became, strings.TrimRight(w, ":?.")) {
					t.Errorf("seed %d: %q lost %q: %q", seed, c.Label, w, c.Became)
				}
			}
		}
	}
	for _, w := range []string{DriftCase, DriftPunctuation, DriftWordAdded, DriftWordDropped, DriftSynonym, DriftPlaceholder, DriftTooltip} {
		if ways[w] == 0 {
			t.Errorf("no seed drifts by %s", w)
		}
	}
}

func TestDriftSamples(t *testing.T) {
	// driftWays gives what each way can make of a label.
	tests := []struct {
		label, how string
		want       []string
	}{
		{"Create app", DriftSynonym, []string{"Add app", "Create application"}},
		{"Create app", DriftWordAdded, []string{"Create your app", "Create the app"}},
		{"Create app", DriftCase, []string{"Create App"}},
		{"Company or application URL", DriftSynonym, []string{"Company or app URL", "Company or application address"}},
		{"App name", DriftPunctuation, []string{"App name:"}},
		{"App name", DriftWordAdded, []string{"Your app name"}},
		{"I have read and agree to the Xero Developer Platform Terms & Conditions", DriftPunctuation,
			[]string{"I have read and agree to the Xero Developer Platform Terms and Conditions"}},
		{"Do you understand and agree to meet Xero's minimum security requirements?", DriftWordDropped,
			[]string{"Do you understand and agree to meet Xero's security requirements?"}},
		{"Save", DriftWordAdded, []string{"Save now"}},
		{"Client ID", DriftPlaceholder, []string{"Client ID"}},
		{"Privacy policy URL", DriftPlaceholder, nil}, // it has a placeholder of its own
	}
	for _, tc := range tests {
		got := driftWays(tc.label)[tc.how]
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q by %s: %q, want %q among them", tc.label, tc.how, got, w)
			}
		}
		if tc.want == nil && len(got) > 0 {
			t.Errorf("%q by %s: %q, want none", tc.label, tc.how, got)
		}
	}
	for _, l := range []string{"Yes", "No", "Enabled", "Xero", "QuickBooks Online", "25", "https://example.com"} {
		if c := driftOf(1, 1, l); c.How != "" {
			t.Errorf("%q drifted: %+v", l, c)
		}
	}
}

// The drift reaches every page through L, in both renderings, moves field
// labels into their controls, and never touches data.
func TestDriftPages(t *testing.T) {
	// Find seeds that change the labels this test looks at.
	seedFor := func(label, how string) int64 {
		for s := int64(1); s < 5000; s++ {
			if c := driftOf(s, DefaultDriftRate, label); c.How == how {
				return s
			}
		}
		t.Fatalf("no seed drifts %q by %s", label, how)
		return 0
	}
	t.Run("classic heading and button", func(t *testing.T) {
		seed := seedFor("Add a new app", DriftSynonym)
		became := driftOf(seed, DefaultDriftRate, "Add a new app").Became
		p := StartT(t, Options{Faults: Faults{DriftSeed: seed}})
		app := p.AddXeroApp("Add a new app") // data: an app named like a label
		b := newBrowser(t)
		r := xeroSignIn(t, p, b, "/app/manage")
		must(t, r, 200, `<h2 id="new-app-title">`+became+`</h2>`, `<a href="/app/manage/app/`+app.ID+`">Add a new app</a>`)
		if !slices.Contains(p.Records().Drift, DriftChange{"Add a new app", became, DriftSynonym}) {
			t.Fatalf("not recorded: %v", p.Records().Drift)
		}
	})
	t.Run("classic moved labels", func(t *testing.T) {
		seed := seedFor("Client ID", DriftPlaceholder)
		p := StartT(t, Options{Faults: Faults{DriftSeed: seed}})
		b := newBrowser(t)
		r := codatSignIn(t, p, b, "/settings/integrations/accounting/manage/gbol?integrationName=Xero")
		must(t, r, 200, `<input placeholder="Client ID" id="client-id" name="clientId"`)
		mustNot(t, r, `<label for="client-id">`)

		seed = seedFor("Enable Accountancy Practice API", DriftTooltip)
		p = StartT(t, Options{Faults: Faults{DriftSeed: seed}})
		faSignIn(t, p, b, "/apps")
		r = b.get(p.FreeAgentURL + "/apps/new")
		must(t, r, 200, `<label class="choice"><input type="checkbox" id="app_practice_api" name="app[practice_api]" value="1" title="Enable Accountancy Practice API" aria-label="Enable Accountancy Practice API"></label>`)
	})
	t.Run("spa", func(t *testing.T) {
		seed := seedFor("Client secret", DriftTooltip)
		p := StartT(t, Options{Variant: VariantSPA, Faults: Faults{DriftSeed: seed}})
		b := newBrowser(t)
		codatSignIn(t, p, b, "/settings/integrations/accounting")
		r := spaGetJSON(t, b, p.CodatURL+"/settings/integrations/accounting/manage/gbol?integrationName=Xero")
		l := r.JSON["labels"].(map[string]any)["Client secret"].(map[string]any)
		if l["t"] != "Client secret" || l["m"] != "tooltip" {
			t.Fatalf("label %v", l)
		}
		seed = seedFor("Create app", DriftSynonym)
		p = StartT(t, Options{Variant: VariantSPA, Faults: Faults{DriftSeed: seed}})
		xeroSignIn(t, p, b, "/app/manage")
		r = spaGetJSON(t, b, p.XeroDeveloperURL+"/app/manage")
		if s, _ := label(t, r.JSON, "Create app"); s != driftOf(seed, DefaultDriftRate, "Create app").Became {
			t.Fatalf("label %q", s)
		}
	})
	t.Run("data and answers", func(t *testing.T) {
		// With every label drifting, the answers, names and data stay.
		p := StartT(t, Options{Wording: Wording2026, Faults: Faults{DriftSeed: 9, DriftRate: 1}})
		b := newBrowser(t)
		xa := p.AddXeroApp("Acme Books")
		r := xeroSignIn(t, p, b, "/app/manage/app/"+xa.ID+"/configuration")
		sec := b.postJSON(p.XeroDeveloperURL+"/app/manage/api/apps/"+xa.ID+"/secrets", nil)
		r2 := b.get(p.XeroDeveloperURL + "/app/manage")
		must(t, r2, 200, "> Yes</label>", "> No</label>", ">Acme Books</a>", "0 of 5")
		must(t, r, 200, "<h1>Acme Books</h1>")
		if v, _ := sec.JSON["value"].(string); v == "" || !strings.Contains(sec.Body, v) {
			t.Fatalf("secret %v", sec.JSON)
		}
		r = codatSignIn(t, p, b, "/settings/integrations/accounting")
		must(t, r, 200, ">Xero</span>", ">QuickBooks Online</span>", ">Disabled</span>")
		if n := len(p.Records().Drift); n < 100 {
			t.Fatalf("rate 1 changed %d labels", n)
		}
		for _, c := range p.Records().Drift {
			if strings.Contains(c.Became, "Acme") || strings.Contains(fmt.Sprint(c), xa.ClientID) {
				t.Fatalf("data drifted: %+v", c)
			}
		}
	})
	t.Run("set at run time", func(t *testing.T) {
		p := StartT(t, Options{})
		p.SetFaults(Faults{DriftSeed: 5})
		if len(p.Records().Drift) == 0 {
			t.Fatal("no drift after SetFaults")
		}
		p.SetFaults(Faults{})
		if d := p.Records().Drift; d != nil {
			t.Fatalf("drift after it was turned off: %v", d)
		}
	})
}
