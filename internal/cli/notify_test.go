package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"portalbot/internal/fail"
	"portalbot/internal/notify"
	"portalbot/internal/report"
)

// webhook is a 127.0.0.1 endpoint that keeps every message it gets and
// answers status.
type webhook struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
	status int
}

// hookPath stands for the secret part of a Slack webhook URL.
const hookPath = "/services/T0/B0/HOOK-SENTINEL"

func newWebhook(t *testing.T, status int) *webhook {
	t.Helper()
	w := &webhook{status: status}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.mu.Lock()
		w.bodies = append(w.bodies, string(b))
		w.mu.Unlock()
		rw.WriteHeader(w.status)
	}))
	t.Cleanup(w.srv.Close)
	return w
}

func (w *webhook) received() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.bodies...)
}

// The webhook hears of a refused sign-in and of drift, with the facts a
// person acts on and no secret; a success says nothing; a webhook that fails
// changes nothing but a warning.
func TestWebhook(t *testing.T) {
	notify.Backoff = 0
	t.Cleanup(func() { notify.Backoff = 1e9 })
	refused := &fail.Error{Kind: fail.SignIn, Portal: "xero", Err: errorString("xero refused the sign-in with password " + xeroPW)}
	tests := []struct {
		name      string
		args      []string
		summary   *report.Summary
		flowErr   error
		status    int
		wantCode  int
		wantPosts int
		want      map[string]any // fields of the message
		wantText  []string
		wantWarn  bool
	}{
		{
			name: "refused sign-in", args: []string{"run", "xero"}, status: 200,
			summary: &report.Summary{Provider: "xero", App: report.App{Name: "Acme Sync"}, Steps: []report.Step{{Name: "xero.sign_in", Status: "failed"}},
				Error: &report.ErrorReport{Message: "xero refused the sign-in with password " + xeroPW,
					Files: []string{"out/failures/xero/01-xero.sign_in.png"}}},
			flowErr: refused, wantCode: 3, wantPosts: 1,
			want: map[string]any{"provider": "xero", "mode": "run", "outcome": "failed", "exit_code": 3.0,
				"kind": "sign-in refused", "step": "xero.sign_in", "app": "Acme Sync"},
			wantText: []string{"exit code 3", "xero.sign_in", "out/failures/xero/01-xero.sign_in.png", "out/summary-xero.json"},
		},
		{
			name: "drift found by a check", args: []string{"check", "freeagent"}, status: 200,
			summary: &report.Summary{Provider: "freeagent", Drift: []report.Drift{{Element: "freeagent.my_apps.create",
				Page: "freeagent.my_apps", Expected: "Create New App", Seen: "Create new app", How: "case folded"}}},
			wantCode: 0, wantPosts: 1,
			want:     map[string]any{"provider": "freeagent", "mode": "check", "outcome": "drift", "exit_code": 0.0},
			wantText: []string{"freeagent.my_apps.create", `seen "Create new app"`, "out/check-freeagent.json"},
		},
		{
			name: "success says nothing", args: []string{"run", "xero"}, status: 200,
			summary: &report.Summary{Provider: "xero"}, wantCode: 0, wantPosts: 0,
		},
		{
			name: "a failing webhook leaves the exit code", args: []string{"run", "xero"}, status: 500,
			summary: &report.Summary{Provider: "xero"}, flowErr: refused, wantCode: 3, wantPosts: 1 + notify.Retries, wantWarn: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			hook := newWebhook(t, tt.status)
			// As a Kubernetes secret is mounted: a file, named by _FILE.
			file := filepath.Join(t.TempDir(), "webhook")
			if err := os.WriteFile(file, []byte(hook.srv.URL+hookPath+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("BOT_NOTIFY_WEBHOOK_URL_FILE", file)
			fk.summary, fk.flowErr = tt.summary, tt.flowErr

			if code := Execute(context.Background(), f, tt.args); code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, fk.errOut)
			}
			posts := hook.received()
			if len(posts) != tt.wantPosts {
				t.Fatalf("the webhook got %d messages, want %d: %q", len(posts), tt.wantPosts, posts)
			}
			for _, body := range posts {
				for _, s := range []string{xeroPW, codatPW, faPW, "HOOK-SENTINEL"} {
					if strings.Contains(body, s) {
						t.Errorf("the message holds a secret (%s…): %s", s[:4], body)
					}
				}
			}
			if tt.want != nil {
				var got map[string]any
				if err := json.Unmarshal([]byte(posts[0]), &got); err != nil {
					t.Fatalf("not JSON: %v\n%s", err, posts[0])
				}
				for k, v := range tt.want {
					if got[k] != v {
						t.Errorf("%s = %v, want %v", k, got[k], v)
					}
				}
				for _, w := range tt.wantText {
					if !strings.Contains(got["text"].(string), w) {
						t.Errorf("text does not say %q:\n%s", w, got["text"])
					}
				}
			}
			warned := false
			for _, e := range fk.logs.All() {
				if strings.Contains(e.Message, "webhook") && e.Level.String() == "warn" {
					warned = true
					if !strings.Contains(e.ContextMap()["error"].(string), "HTTP 500") {
						t.Errorf("warning %v does not say why", e.ContextMap())
					}
				}
				for _, v := range e.ContextMap() {
					if s, ok := v.(string); ok && strings.Contains(s, "HOOK-SENTINEL") {
						t.Errorf("a log line holds the webhook URL: %v", e.ContextMap())
					}
				}
			}
			if warned != tt.wantWarn {
				t.Errorf("warned = %v, want %v", warned, tt.wantWarn)
			}
			if strings.Contains(fk.out.String()+fk.errOut.String(), "HOOK-SENTINEL") {
				t.Error("the output holds the webhook URL")
			}
			// The stub plays a flow that did not scrub its error (the real
			// one does): the message must be scrubbed all the same.
			if tt.flowErr != nil && tt.wantPosts > 0 && !strings.Contains(posts[0], "[redacted]") {
				t.Errorf("the message was not scrubbed: %s", posts[0])
			}
		})
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// A webhook URL that is not one is refused before anything starts, without
// printing it.
func TestWebhookURLIsChecked(t *testing.T) {
	f, fk := newTestFactory(t)
	validEnv(t)
	t.Setenv("BOT_NOTIFY_WEBHOOK_URL", "http://hooks.example/services/HOOK-SENTINEL")
	if code := Execute(context.Background(), f, []string{"run", "xero"}); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
	if s := fk.errOut.String(); !strings.Contains(s, "notify.webhook_url") || strings.Contains(s, "HOOK-SENTINEL") {
		t.Errorf("stderr = %s: want the key named and the value hidden", s)
	}
}

// bot rotate binds its flags into the flow's options, refuses FreeAgent's
// gap before any browser starts, and writes the run's summary files.
func TestRotateCommand(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantCode  int
		wantFlow  bool
		wantAge   string
		wantGap   bool
		wantInErr string
	}{
		{"xero with an age", []string{"rotate", "xero", "--max-age", "90d"}, 0, true, "2160h0m0s", false, ""},
		{"xero now", []string{"rotate", "xero"}, 0, true, "0s", false, ""},
		{"freeagent refused", []string{"rotate", "freeagent"}, 6, false, "", false, "--accept-gap"},
		{"freeagent accepted", []string{"rotate", "freeagent", "--accept-gap"}, 0, true, "0s", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			fk.summary = &report.Summary{Provider: tt.args[1], Rotation: &report.Rotation{Outcome: "rotated"}}
			code := Execute(context.Background(), f, tt.args)
			if code != tt.wantCode {
				t.Fatalf("exit = %d, want %d\n%s", code, tt.wantCode, fk.errOut)
			}
			if (fk.flowCalls == 1) != tt.wantFlow || (fk.browserStarted != tt.wantFlow) {
				t.Fatalf("flow calls %d, browser started %v; want %v", fk.flowCalls, fk.browserStarted, tt.wantFlow)
			}
			if !tt.wantFlow {
				if !strings.Contains(fk.errOut.String(), tt.wantInErr) {
					t.Errorf("stderr does not say %q: %s", tt.wantInErr, fk.errOut)
				}
				return
			}
			if fk.env.Mode != "rotate" || fk.env.Rotate.MaxAge.String() != tt.wantAge || fk.env.Rotate.AcceptGap != tt.wantGap {
				t.Errorf("env mode %q, rotate %+v; want rotate, max age %s, gap %v", fk.env.Mode, fk.env.Rotate, tt.wantAge, tt.wantGap)
			}
			sum := readSummary(t, filepath.Join("out", "summary-"+tt.args[1]+".json"))
			if sum.Mode != "rotate" || sum.Rotation == nil || sum.Rotation.Outcome != "rotated" {
				t.Errorf("summary mode %q, rotation %+v", sum.Mode, sum.Rotation)
			}
		})
	}
}
