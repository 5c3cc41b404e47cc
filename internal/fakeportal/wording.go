package fakeportal

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Wordings (Options.Wording).
const (
	Wording2023 = "2023" // the main sections of portal-spec.md; also ""
	Wording2026 = "2026" // the table "Seen in 2025–26" of portal-spec.md
)

func checkWording(w string) (string, error) {
	switch w {
	case "", Wording2023:
		return "", nil
	case Wording2026:
		return w, nil
	}
	return w, fmt.Errorf("fakeportal: unknown wording %q (want %q or %q)", w, Wording2023, Wording2026)
}

func (p *Portals) w26() bool { return p.opts.Wording == Wording2026 }

// K picks a label key by wording: old in 2023, new in 2026. Templates and
// the spa script write the two literals side by side (K "a" "b" / K("a",
// "b")), which is how the label catalogue knows which wording a key
// belongs to. N marks a key that only the 2026 wording shows.
func (p *Portals) K(old, new string) string {
	if p.w26() {
		return new
	}
	return old
}

// labelKey is a label of the catalogue and the wording that shows it (""
// for both).
type labelKey struct {
	text, wording string
}

var (
	tmplLabelRE = regexp.MustCompile(`\b(?:L|show|Lf|showf)\s+("(?:[^"\\]|\\.)*")`)
	tmplKRE     = regexp.MustCompile(`\bK\s+("(?:[^"\\]|\\.)*")\s+("(?:[^"\\]|\\.)*")`)
	tmplNRE     = regexp.MustCompile(`\bN\s+("(?:[^"\\]|\\.)*")`)
	tmplLblsRE  = regexp.MustCompile(`\blabels((?:\s+"(?:[^"\\]|\\.)*")+)`)
	tmplStrRE   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

	jsLabelRE = regexp.MustCompile(`\b[LS]\(("(?:[^"\\]|\\.)*")\)`)
	jsKRE     = regexp.MustCompile(`\bK\(("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*")\)`)
	jsNRE     = regexp.MustCompile(`\bN\(("(?:[^"\\]|\\.)*")\)`)
)

// scanLabels reads the label keys written in src (a template or the spa
// script), tagged with their wording.
func scanLabels(src string, js bool) []labelKey {
	var out []labelKey
	unq := func(s string) string {
		if u, err := strconv.Unquote(s); err == nil {
			return u
		}
		return strings.Trim(s, `"`)
	}
	plain, kre, nre := tmplLabelRE, tmplKRE, tmplNRE
	if js {
		plain, kre, nre = jsLabelRE, jsKRE, jsNRE
	}
	for _, m := range plain.FindAllStringSubmatch(src, -1) {
		out = append(out, labelKey{unq(m[1]), ""})
	}
	for _, m := range kre.FindAllStringSubmatch(src, -1) {
		out = append(out, labelKey{unq(m[1]), Wording2023}, labelKey{unq(m[2]), Wording2026})
	}
	for _, m := range nre.FindAllStringSubmatch(src, -1) {
		out = append(out, labelKey{unq(m[1]), Wording2026})
	}
	if !js {
		for _, m := range tmplLblsRE.FindAllStringSubmatch(src, -1) {
			for _, s := range tmplStrRE.FindAllString(m[1], -1) {
				out = append(out, labelKey{unq(s), ""})
			}
		}
	}
	return out
}

// serverLabels are the labels the Go code hands to L (messages, errors,
// data-driven labels), tagged like the others.
var serverLabels = []labelKey{
	{msgXeroWrongPassword, ""}, {msgXeroLocked, ""}, {msgXeroWrongCode, ""}, {msgXeroDetailsSaved, ""},
	{msgXeroConfigSaved, ""}, {msgCodatWrongPassword, ""}, {msgCodatWrongCode, ""}, {msgCodatSaved, ""},
	{msgFAInvalid, ""}, {msgFASignedIn, ""}, {msgFACreated, ""}, {"Signed out successfully.", ""},
	{"You need to sign in or sign up before continuing.", ""},
	{"Enter your email address", ""}, {"Enter a valid email address.", ""},
	{"Enter an app name", ""}, {"App name can't contain the word Xero", ""}, {"App name must be 100 characters or fewer", ""},
	{"Select an integration type", ""}, {"Enter a company or application URL", ""}, {"URL must start with https://", ""},
	{msgXeroCompanyURL2026, Wording2026},
	{"Enter a redirect URI", ""}, {"Enter a valid redirect URI", ""}, {"Select yes or no", ""},
	{"You must agree to meet the minimum security requirements to create an app", ""},
	{"You must agree to the terms and conditions", ""}, {"Add at least one redirect URI", ""},
	{msgXeroDraftExpired, ""},
	{"You can have at most two client secrets. Remove one to generate another.", ""},
	{"Enter a client ID", ""}, {"Enter a client secret", ""}, {"Client ID must not contain spaces", ""},
	{"Client secret must not contain spaces", ""}, {"Set up this integration before enabling it", ""},
	{msgCodatNoRole, ""}, {msgCodatEmailWrongCode, ""},
	{"Name can't be blank", ""}, {"App homepage URL is invalid", ""}, {"OAuth Redirect URIs must be valid URLs, one per line", ""},
	{msgFARegenerated, Wording2026},
	{"Forgot your password?", ""}, {"Password reset is not available in this replica.", ""},
	{"Forgot Your Password?", ""}, {"Sign in with Google", ""}, {"Social sign-in is not available in this replica.", ""},
	{"FreeAgent Developer Dashboard", ""}, {"Build apps on the FreeAgent API.", ""},
	{"API Docs", ""}, {"The FreeAgent API documentation.", ""}, {"Discussion", ""},
	{"Questions and answers about the FreeAgent API.", ""}, {"Sign up", ""}, {"Sign-up is not available in this replica.", ""},
	{"Client secret 1", ""}, {"Client secret 2", ""},
}

// catalogue is every label key the replicas can show with wording w, in a
// stable order (sorted), without duplicates.
func catalogue(w string, limit int) []string {
	var keys []labelKey
	_ = fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(path)
		if err == nil {
			keys = append(keys, scanLabels(string(b), false)...)
		}
		return err
	})
	keys = append(keys, spaKeys...)
	keys = append(keys, serverLabels...)
	for _, t := range xeroTypes {
		keys = append(keys, labelKey{t.Label, ""})
	}
	for _, n := range []string{"Xero", "FreeAgent", "QuickBooks Online", "Sage Business Cloud"} {
		keys = append(keys, labelKey{"Enable " + n, ""})
	}
	keys = append(keys, labelKey{fmt.Sprintf("%d max connections", limit), Wording2023},
		labelKey{fmt.Sprintf("0 of %d connections", limit), Wording2026})
	for i := 1; i <= 3; i++ {
		keys = append(keys, labelKey{fmt.Sprintf("Redirect URI %d", i), ""})
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if k.wording != "" && k.wording != orDefault(w, Wording2023) || seen[k.text] || strings.Contains(k.text, "%") {
			continue
		}
		seen[k.text] = true
		out = append(out, k.text)
	}
	slices.Sort(out)
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
