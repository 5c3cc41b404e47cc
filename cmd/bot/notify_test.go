package main_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"portalbot/internal/fakeportal"
)

// The binary, refused by Xero, tells the webhook (a 127.0.0.1 server) once:
// exit code 3, the failing step, the files saved, and no secret — not the
// password typed, not the replicas' passwords, not the webhook URL's path.
func TestRefusedSignInIsNotified(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer hook.Close()

	p, cfg, out := setup(t, fakeportal.Options{})
	hookFile := filepath.Join(filepath.Dir(cfg), "webhook")
	if err := os.WriteFile(hookFile, []byte(hook.URL+"/services/T0/B0/HOOK-SENTINEL\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const wrong = "wrong-password-SENTINEL"
	cmd := command(t, cfg, out, "xero")
	cmd.Env = append(cmd.Env, "BOT_XERO_PASSWORD="+wrong, "BOT_NOTIFY_WEBHOOK_URL_FILE="+hookFile, "BOT_BROWSER_STEP_TIMEOUT=10s")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("exit = %v, want 3\n%s", err, stderr.String())
	}
	t.Logf("stderr:\n%s", stderr.String())
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 {
		t.Fatalf("the webhook got %d messages, want 1", len(bodies))
	}
	var msg struct {
		Text, Provider, Mode, Outcome, Step string
		ExitCode                            int `json:"exit_code"`
		Files                               []string
	}
	if err := json.Unmarshal([]byte(bodies[0]), &msg); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, bodies[0])
	}
	if msg.Provider != "xero" || msg.Mode != "run" || msg.Outcome != "failed" || msg.ExitCode != 3 || msg.Step != "xero.sign_in" {
		t.Errorf("message = %+v, want xero run failed with exit 3 at xero.sign_in", msg)
	}
	if len(msg.Files) == 0 || !strings.Contains(msg.Text, "summary-xero.json") {
		t.Errorf("the message names no files: %+v", msg)
	}
	for _, v := range []string{wrong, p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.XeroTOTPSecret, "HOOK-SENTINEL"} {
		if strings.Contains(bodies[0], v) {
			t.Errorf("the message holds a secret: %s", bodies[0])
		}
		if strings.Contains(stdout.String()+stderr.String(), v) {
			t.Errorf("the output holds a secret")
		}
	}
}
