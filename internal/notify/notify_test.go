package notify

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"portalbot/internal/report"
	"portalbot/internal/secret"
)

func TestFor(t *testing.T) {
	failed := &report.Summary{Provider: "xero", Mode: "run", App: report.App{Name: "Acme"},
		Steps: []report.Step{{Name: "xero.sign_in", Status: "failed"}},
		Error: &report.ErrorReport{Kind: "sign-in refused", ExitCode: 3, Message: "xero refused the sign-in",
			Portal: "xero", Files: []string{"out/failures/xero/01-xero.sign_in.png"}}}
	drift := &report.Summary{Provider: "freeagent", Mode: "check",
		Drift: []report.Drift{{Element: "freeagent.my_apps.create", Expected: "Create New App", Seen: "Create new app", How: "case"}}}
	tests := []struct {
		name        string
		sum         *report.Summary
		wantNil     bool
		wantOutcome string
		wantExit    int
		wantStep    string
		wantText    []string
	}{
		{"success says nothing", &report.Summary{Provider: "xero", Mode: "run"}, true, "", 0, "", nil},
		{"no summary says nothing", nil, true, "", 0, "", nil},
		{"a refused sign-in", failed, false, Failed, 3, "xero.sign_in",
			[]string{"`bot run xero`", "exit code 3 (sign-in refused)", "at step xero.sign_in", "> xero refused the sign-in",
				"out/failures/xero/01-xero.sign_in.png", "out/summary-xero.json"}},
		{"drift", drift, false, Drift, 0, "",
			[]string{"`bot check freeagent`", "went through", "freeagent.my_apps.create", `expected "Create New App", seen "Create new app" (case)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := For(tt.sum, []string{"out/summary-" + providerOf(tt.sum) + ".json"}, "pod-1")
			if tt.wantNil {
				if m != nil {
					t.Fatalf("want no message, got %+v", m)
				}
				return
			}
			if m.Outcome != tt.wantOutcome || m.ExitCode != tt.wantExit || m.Step != tt.wantStep {
				t.Errorf("message = %+v, want outcome %s, exit %d, step %q", m, tt.wantOutcome, tt.wantExit, tt.wantStep)
			}
			body, err := m.Encode()
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, body)
			}
			text, _ := got["text"].(string)
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("text does not say %q:\n%s", w, text)
				}
			}
			if !strings.Contains(text, "pod-1") {
				t.Errorf("text does not name the host:\n%s", text)
			}
		})
	}
}

func providerOf(s *report.Summary) string {
	if s == nil {
		return ""
	}
	return s.Provider
}

// Scrub reaches every string, the text included, and Slack's reserved
// characters are escaped in the text only.
func TestScrubAndEscape(t *testing.T) {
	const sentinel = "hunter2-SENTINEL"
	m := For(&report.Summary{Provider: "xero", Mode: "rotate",
		Error: &report.ErrorReport{Kind: "error", ExitCode: 1, Message: "boom <" + sentinel + "> & more", Files: []string{"/x/" + sentinel}},
		Drift: []report.Drift{{Element: "e", Seen: sentinel}}}, nil, "")
	m.Scrub(func(s string) string { return strings.ReplaceAll(s, sentinel, secret.Redacted) })
	body, err := m.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), sentinel) {
		t.Errorf("a secret is in the message: %s", body)
	}
	if !strings.Contains(m.Text, "&lt;[redacted]&gt; &amp; more") || !strings.Contains(m.Error, "<[redacted]> & more") {
		t.Errorf("text %q / error %q: want Slack escaping in the text only", m.Text, m.Error)
	}
}

// hook is a 127.0.0.1 webhook that answers with the given statuses in turn
// and keeps what it received.
type hook struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	status []int
}

func newHook(t *testing.T, status ...int) *hook {
	h := &hook{status: status}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		code := 200
		if len(h.status) > 0 {
			code, h.status = h.status[0], h.status[1:]
		}
		h.mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			code = http.StatusBadRequest
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(h.Close)
	return h
}

func TestSend(t *testing.T) {
	Backoff = time.Millisecond
	t.Cleanup(func() { Backoff = time.Second })
	msg := func() *Message {
		return For(&report.Summary{Provider: "xero", Mode: "run", Error: &report.ErrorReport{Kind: "unavailable", ExitCode: 5}}, nil, "")
	}
	const path = "/services/T000/B000/SECRETPATH"
	t.Run("delivered", func(t *testing.T) {
		h := newHook(t)
		if err := Send(context.Background(), nil, secret.New(h.URL+path), msg()); err != nil {
			t.Fatal(err)
		}
		if len(h.bodies) != 1 || !strings.Contains(h.bodies[0], `"exit_code":5`) {
			t.Errorf("received %q", h.bodies)
		}
	})
	t.Run("a 503 is tried again", func(t *testing.T) {
		h := newHook(t, 503, 200)
		if err := Send(context.Background(), nil, secret.New(h.URL+path), msg()); err != nil {
			t.Fatal(err)
		}
		if len(h.bodies) != 2 {
			t.Errorf("%d posts, want 2", len(h.bodies))
		}
	})
	t.Run("a 404 is not, and the error hides the URL", func(t *testing.T) {
		h := newHook(t, 404, 200)
		err := Send(context.Background(), nil, secret.New(h.URL+path), msg())
		if err == nil || !strings.Contains(err.Error(), "HTTP 404") || strings.Contains(err.Error(), "SECRETPATH") {
			t.Errorf("err = %v, want HTTP 404 without the URL's path", err)
		}
		if len(h.bodies) != 1 {
			t.Errorf("%d posts, want 1", len(h.bodies))
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		err = Send(context.Background(), nil, secret.New("http://"+addr+path), msg())
		if err == nil || strings.Contains(err.Error(), "SECRETPATH") || !strings.Contains(err.Error(), addr) {
			t.Errorf("err = %v, want one naming the host only", err)
		}
	})
}
