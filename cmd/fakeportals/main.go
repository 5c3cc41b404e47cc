// Command fakeportals serves the local replicas of the Xero, Codat and
// FreeAgent portals (see internal/fakeportal) until SIGINT/SIGTERM.
//
//	fakeportals --write-config demo.yaml --xero-two-step --delay 200ms
//
// It prints each replica's base URL. With --write-config it writes a bot
// configuration (YAML) pointing at the replicas, with the demo accounts'
// credentials; those are never printed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"portalbot/internal/fakeportal"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type renameFlag map[string]string

func (r renameFlag) String() string { return fmt.Sprint(map[string]string(r)) }
func (r renameFlag) Set(v string) error {
	old, nw, ok := strings.Cut(v, "=")
	if !ok || old == "" {
		return fmt.Errorf("want OLD=NEW, got %q", v)
	}
	r[old] = nw
	return nil
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fakeportals:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fakeportals", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		writeConfig    = fs.String("write-config", "", "write a bot config YAML for these replicas to `FILE`")
		host           = fs.String("addr-host", "127.0.0.1", "address to listen on")
		ports          = fs.String("ports", "", "fixed ports: xero-login,xero-developer,codat,codat-login,freeagent,foreign (0 = any)")
		delay          = fs.Duration("delay", 0, "delay added to every request")
		latency        = fs.String("latency", "", "`MIN-MAX` realistic answer time of each page and action, e.g. 50ms-300ms (seeded: --seed)")
		seed           = fs.Int64("seed", 1, "seed of --latency: the same seed, the same answer times")
		fail500        listFlag
		expire         listFlag
		remove         listFlag
		rename         = renameFlag{}
		captchaOn      = fs.String("captcha-on", "", "xero|codat|freeagent: sign-in page shows a captcha")
		foreignOn      = fs.String("foreign-redirect-on", "", "xero|codat|freeagent: sign-in page redirects to the foreign host")
		layoutShift    = fs.Bool("layout-shift", false, "pages insert a banner at the top 300ms after load")
		xeroTwoStep    = fs.Bool("xero-two-step", false, "Xero asks for a TOTP code after the password")
		codatTwoStep   = fs.Bool("codat-two-step", false, "Codat asks for a TOTP code after the password")
		limit          = fs.Int("connection-limit", 0, "Xero uncertified app connection limit shown on cards (0: 25, or 5 with --wording 2026)")
		noQuestions    = fs.Bool("xero-no-questions", false, "the New app dialog does not ask the two yes/no questions")
		practiceTicked = fs.Bool("freeagent-practice-preticked", false, `"Enable Accountancy Practice API" starts ticked`)
		seedXeroApp    listFlag
		quiet          = fs.Bool("quiet", false, "no request log")
		variant        = fs.String("variant", "", `rendering: "classic" (default, server HTML) or "spa" (drawn by JavaScript, a DOM of its own)`)
		wording        = fs.String("wording", "", `the portals' copy: "2023" (default) or "2026" (the 2025–26 wording of portal-spec.md, both renderings)`)
		screens        = fs.Int("xero-dialog-screens", 0, "the Xero New app dialog in 1 or 2 screens (0: 2 with --wording 2026, else 1)")
		drift          = fs.Int64("drift", 0, "rewrite visible labels as portals' copy edits do, from `SEED` (0: off); the changes are printed at start")
		driftRate      = fs.Float64("drift-rate", 0, "chance each label drifts with --drift (0: 0.12)")
		emailCode      = fs.Bool("codat-email-code", false, "after the password, Codat asks for a code it says it emailed")
		noRole         = fs.Bool("codat-no-role", false, "the Codat user lacks the Developer or Administrator role to manage integrations")
		seedFAApp      listFlag
		deterministic  = fs.Bool("deterministic", false, "fixed ids, secrets and dates, so two runs draw identical pages (bot shots)")
	)
	fs.Var(&fail500, "fail500-once", "URL `PATH` whose first request gets HTTP 500 (repeatable)")
	fs.Var(&expire, "expire-session-on", "URL `PATH` whose first request expires the session (repeatable)")
	fs.Var(&remove, "remove", "visible `LABEL` whose element is not rendered (repeatable)")
	fs.Var(rename, "rename", "`OLD=NEW` visible label rename (repeatable)")
	fs.Var(&seedXeroApp, "seed-xero-app", "an existing Xero app `NAME` (repeatable)")
	fs.Var(&seedFAApp, "seed-freeagent-app", "an existing FreeAgent app `NAME` (repeatable; with --wording 2026 its secret is not shown)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, v := range []string{*captchaOn, *foreignOn} {
		switch v {
		case "", "xero", "codat", "freeagent":
		default:
			return fmt.Errorf("unknown portal %q (want xero, codat or freeagent)", v)
		}
	}
	var portList []int
	if *ports != "" {
		for _, s := range strings.Split(*ports, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 0 || n > 65535 {
				return fmt.Errorf("bad port %q", s)
			}
			portList = append(portList, n)
		}
	}
	var lat fakeportal.Latency
	if *latency != "" {
		lo, hi, ok := strings.Cut(*latency, "-")
		minD, err1 := time.ParseDuration(strings.TrimSpace(lo))
		maxD, err2 := time.ParseDuration(strings.TrimSpace(hi))
		if !ok || err1 != nil || err2 != nil || minD < 0 || maxD < minD {
			return fmt.Errorf("--latency %q: want MIN-MAX, e.g. 50ms-300ms", *latency)
		}
		lat = fakeportal.Latency{Min: minD, Max: maxD, Seed: *seed}
	}
	ask := !*noQuestions
	opts := fakeportal.Options{
		Faults: fakeportal.Faults{
			Delay: *delay, Fail500Once: fail500, ExpireSessionOn: expire,
			CaptchaOn: *captchaOn, ForeignRedirectOn: *foreignOn,
			Rename: rename, Remove: remove, LayoutShift: *layoutShift,
			CodatEmailCode: *emailCode, CodatNoRole: *noRole, DriftSeed: *drift, DriftRate: *driftRate, Latency: lat,
		},
		XeroConnectionLimit:        *limit,
		XeroAskQuestions:           &ask,
		XeroTwoStep:                *xeroTwoStep,
		CodatTwoStep:               *codatTwoStep,
		FreeAgentPracticePreTicked: *practiceTicked,
		Host:                       *host,
		Ports:                      portList,
		Variant:                    *variant,
		Wording:                    *wording,
		XeroDialogScreens:          *screens,
		Deterministic:              *deterministic,
	}
	if !*quiet {
		logger := log.New(stderr, "", log.Ltime|log.Lmicroseconds)
		opts.Logf = logger.Printf
	}
	p, err := fakeportal.Start(opts)
	if err != nil {
		return err
	}
	defer p.Close()
	for _, name := range seedXeroApp {
		p.AddXeroApp(name)
	}
	for _, name := range seedFAApp {
		p.AddFreeAgentApp(name)
	}
	if err := printDrift(stderr, *drift, p.Records().Drift); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "xero login:     %s\nxero developer: %s/app/manage\ncodat:          %s/settings/integrations/accounting\n"+
		"codat login:    %s\nfreeagent:      %s/apps\nforeign:        %s\n",
		p.XeroLoginURL, p.XeroDeveloperURL, p.CodatURL, p.CodatLoginURL, p.FreeAgentURL, p.ForeignURL); err != nil {
		return err
	}
	if *writeConfig != "" {
		if err := os.WriteFile(*writeConfig, []byte(ConfigYAML(p)), 0o600); err != nil {
			return err
		}
		if _, err := fmt.Fprintf(stdout, "config written to %s (demo account credentials inside)\n", *writeConfig); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	_, _ = fmt.Fprintln(stdout, "stopping") // stopping anyway
	done := make(chan struct{})
	go func() { p.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return nil
}

// printDrift lists the labels the drift fault changed, one a line.
func printDrift(w io.Writer, seed int64, changes []fakeportal.DriftChange) error {
	if seed == 0 {
		return nil
	}
	if _, err := fmt.Fprintf(w, "drift seed %d: %d labels changed (Yes/No answers, names and data never)\n", seed, len(changes)); err != nil {
		return err
	}
	for _, c := range changes {
		if _, err := fmt.Fprintf(w, "drift: %q -> %q (%s)\n", c.Label, c.Became, c.How); err != nil {
			return err
		}
	}
	return nil
}

// ConfigYAML is the bot configuration for the replicas p.
func ConfigYAML(p *fakeportal.Portals) string { return p.BotConfigYAML() }
