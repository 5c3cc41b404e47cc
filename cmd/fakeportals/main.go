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
		fail500        listFlag
		expire         listFlag
		remove         listFlag
		rename         = renameFlag{}
		captchaOn      = fs.String("captcha-on", "", "xero|codat|freeagent: sign-in page shows a captcha")
		foreignOn      = fs.String("foreign-redirect-on", "", "xero|codat|freeagent: sign-in page redirects to the foreign host")
		layoutShift    = fs.Bool("layout-shift", false, "pages insert a banner at the top 300ms after load")
		xeroTwoStep    = fs.Bool("xero-two-step", false, "Xero asks for a TOTP code after the password")
		codatTwoStep   = fs.Bool("codat-two-step", false, "Codat asks for a TOTP code after the password")
		limit          = fs.Int("connection-limit", 25, "Xero uncertified app connection limit shown on cards")
		noQuestions    = fs.Bool("xero-no-questions", false, "the New app dialog does not ask the two yes/no questions")
		practiceTicked = fs.Bool("freeagent-practice-preticked", false, `"Enable Accountancy Practice API" starts ticked`)
		seedXeroApp    listFlag
		quiet          = fs.Bool("quiet", false, "no request log")
		variant        = fs.String("variant", "", `rendering: "classic" (default, server HTML) or "spa" (drawn by JavaScript, a DOM of its own)`)
		deterministic  = fs.Bool("deterministic", false, "fixed ids, secrets and dates, so two runs draw identical pages (bot shots)")
	)
	fs.Var(&fail500, "fail500-once", "URL `PATH` whose first request gets HTTP 500 (repeatable)")
	fs.Var(&expire, "expire-session-on", "URL `PATH` whose first request expires the session (repeatable)")
	fs.Var(&remove, "remove", "visible `LABEL` whose element is not rendered (repeatable)")
	fs.Var(rename, "rename", "`OLD=NEW` visible label rename (repeatable)")
	fs.Var(&seedXeroApp, "seed-xero-app", "an existing Xero app `NAME` (repeatable)")
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
	ask := !*noQuestions
	opts := fakeportal.Options{
		Faults: fakeportal.Faults{
			Delay: *delay, Fail500Once: fail500, ExpireSessionOn: expire,
			CaptchaOn: *captchaOn, ForeignRedirectOn: *foreignOn,
			Rename: rename, Remove: remove, LayoutShift: *layoutShift,
		},
		XeroConnectionLimit:        *limit,
		XeroAskQuestions:           &ask,
		XeroTwoStep:                *xeroTwoStep,
		CodatTwoStep:               *codatTwoStep,
		FreeAgentPracticePreTicked: *practiceTicked,
		Host:                       *host,
		Ports:                      portList,
		Variant:                    *variant,
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

// q quotes a YAML scalar (a JSON string is a valid YAML double-quoted one).
// ConfigYAML is the bot configuration for the replicas p.
func ConfigYAML(p *fakeportal.Portals) string { return p.BotConfigYAML() }
