package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"portalbot/internal/config"
	"portalbot/internal/fail"
)

// TestUsageErrors: anything the command line gets wrong exits 2, printed
// once, and starts nothing.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"runn", "xero"}, `unknown command "runn" for "bot"; did you mean run?`},
		{"unknown flag", []string{"run", "xero", "--nope"}, "unknown flag: --nope"},
		{"unknown root flag", []string{"--nope"}, "unknown flag: --nope"},
		{"no provider", []string{"run"}, "needs one provider"},
		{"bad provider", []string{"check", "sage"}, `got "sage"`},
		{"two providers", []string{"run", "xero", "freeagent"}, "needs one provider"},
		{"bad enable", []string{"run", "xero", "--enable", "soon"}, "must be now or later"},
		{"bad screenshots", []string{"check", "xero", "--screenshots=all"}, "must be steps, failure or off"},
		{"bad log format", []string{"run", "xero", "--log-format", "text"}, "must be console or json"},
		{"enable not on check", []string{"check", "xero", "--enable", "now"}, "unknown flag: --enable"},
		{"version args", []string{"version", "x"}, "takes no arguments"},
		{"bad max age", []string{"rotate", "xero", "--max-age", "soon"}, `--max-age: "soon" is not an age`},
		{"accept-gap not on run", []string{"run", "freeagent", "--accept-gap"}, "unknown flag: --accept-gap"},
		{"steps check and rotate", []string{"steps", "xero", "--check", "--rotate"}, "choose one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			code := Execute(context.Background(), f, tt.args)
			if code != 2 {
				t.Errorf("exit code = %d, want 2", code)
			}
			stderr := fk.errOut.String()
			if !strings.HasPrefix(stderr, "bot: ") || strings.Count(stderr, "bot: ") != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr = %q, want one 'bot: ...%s...'", stderr, tt.want)
			}
			if !strings.Contains(stderr, "--help") {
				t.Errorf("stderr does not point at --help: %q", stderr)
			}
			if fk.browserStarted {
				t.Error("browser started")
			}
		})
	}
}

// TestHelpMentionsEveryExitCode checks the help of each command that runs
// something lists every exit code fail.ExitCode can return.
func TestHelpMentionsEveryExitCode(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"run", "--help"}, {"check", "--help"}, {"rotate", "--help"}, {}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, fk := newTestFactory(t)
			if code := Execute(context.Background(), f, args); code != 0 {
				t.Fatalf("exit %d: %s", code, fk.errOut)
			}
			help := fk.out.String()
			codes := map[int]bool{0: true}
			for k := fail.Other; k <= fail.VisualDiff; k++ {
				codes[fail.ExitCode(&fail.Error{Kind: k})] = true
			}
			for c := range codes {
				if !strings.Contains(help, "\n  "+strconv.Itoa(c)+"  ") {
					t.Errorf("help does not explain exit code %d:\n%s", c, help)
				}
			}
			if len(codes) != 9 {
				t.Errorf("expected exit codes 0-8, got %v", codes)
			}
			if fk.browserStarted {
				t.Error("browser started for help")
			}
		})
	}
}

func TestVersion(t *testing.T) {
	old := Version
	Version = "v9.8.7"
	t.Cleanup(func() { Version = old })
	for _, args := range [][]string{{"version"}, {"--version"}} {
		f, fk := newTestFactory(t)
		if code := Execute(context.Background(), f, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, fk.errOut)
		}
		if !strings.HasPrefix(fk.out.String(), "bot v9.8.7 (") || !strings.Contains(fk.out.String(), "go1.") {
			t.Errorf("%v: got %q", args, fk.out)
		}
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name    string
		cfg     config.Log
		wantErr bool
		check   func(t *testing.T, out string)
	}{
		{"json", config.Log{Level: "info", Format: "json"}, false, func(t *testing.T, out string) {
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 1 {
				t.Fatalf("want 1 line (debug filtered), got %q", out)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(lines[0]), &m); err != nil {
				t.Fatalf("not JSON: %v: %q", err, lines[0])
			}
			if m["msg"] != "hello" || m["k"] != "v" || m["level"] != "info" {
				t.Errorf("got %v", m)
			}
		}},
		{"console debug", config.Log{Level: "debug", Format: "console"}, false, func(t *testing.T, out string) {
			if !strings.Contains(out, "DEBUG") || !strings.Contains(out, "hello") || !strings.Contains(out, `"k": "v"`) {
				t.Errorf("got %q", out)
			}
		}},
		{"bad level", config.Log{Level: "loud", Format: "json"}, true, nil},
		{"bad format", config.Log{Level: "info", Format: "xml"}, true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := NewLogger(&buf, tt.cfg)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Debug("quiet")
			log.Sugar().Infow("hello", "k", "v")
			_ = log.Sync()
			tt.check(t, buf.String())
		})
	}
}
