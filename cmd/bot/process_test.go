package main_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/browser"
	"portalbot/internal/browsertest"
	"portalbot/internal/fakeportal"
	"portalbot/internal/session"
)

// bot is the binary under test, built once by TestMain.
var bot string

// The one browser the tests' runs attach to (browser.remote_url), each in a
// browser context of its own, instead of launching one each; started on
// first use, stopped by TestMain.
var (
	remoteOnce sync.Once
	remoteURL  string
	remoteStop = func() {}
	remoteErr  error
)

// remote returns the DevTools websocket of the shared browser.
func remote(t testing.TB) string {
	t.Helper()
	remoteOnce.Do(func() { remoteURL, remoteStop, remoteErr = browsertest.Remote() })
	if remoteErr != nil {
		t.Fatalf("start the shared browser: %v (run `make browser`)", remoteErr)
	}
	return remoteURL
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portalbot-bin")
	if err != nil {
		panic(err)
	}
	bot = filepath.Join(dir, "bot")
	if out, err := exec.Command("go", "build", "-o", bot, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build bot: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	remoteStop()
	_ = os.RemoveAll(dir) // a temporary directory: nothing to do if it stays
	os.Exit(code)
}

// setup starts the replicas and writes the bot's config for them.
func setup(t *testing.T, opts fakeportal.Options) (*fakeportal.Portals, string, string) {
	t.Helper()
	p := fakeportal.StartT(t, opts)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(p.BotConfigYAML()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, cfg, filepath.Join(dir, "out")
}

// command is `bot run provider` for the replicas, with a clean environment
// (no BOT_ variables from the developer's shell), attached to the shared
// browser.
func command(t testing.TB, cfg, out, provider string) *exec.Cmd {
	cmd := launching(cfg, out, provider)
	cmd.Env = append(cmd.Env, "BOT_BROWSER_REMOTE_URL="+remote(t))
	return cmd
}

// launching is command with a browser of its own, launched by the bot.
func launching(cfg, out, provider string) *exec.Cmd {
	cmd := exec.Command(bot, "--config", cfg, "--out", out, "--log-level", "warn", "run", provider)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	cmd.Dir = filepath.Dir(cfg)
	return cmd
}

// startUntil starts cmd and returns once a line of its stderr contains
// marker (or the process ends first: false). The log goes on gathering what
// the bot prints after the marker, for a test that fails to show.
func startUntil(t *testing.T, cmd *exec.Cmd, marker string) (bool, *stderrLog) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := &stderrLog{}
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		_, _ = log.Write([]byte(sc.Text() + "\n"))
		if strings.Contains(sc.Text(), marker) {
			go func() { _, _ = io.Copy(log, stderr) }() // keep the pipe drained
			return true, log
		}
	}
	return false, log
}

// stderrLog is what a bot printed on stderr, written by the goroutine that
// drains the pipe and read by the test.
type stderrLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *stderrLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *stderrLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Kill the bot process (SIGKILL) while a step that writes is under way, run
// it again to completion, and check from the replicas' records that nothing
// is lost or duplicated. The kill after every step runs in process
// (flows.TestKillAfterEveryStep); these three are real kills of the binary:
// no deferred code runs, the lock goes with the process, the browser
// context with its connection.
func TestKillTheProcess(t *testing.T) {
	for _, tt := range []struct{ provider, step string }{
		{"xero", "xero.create_app"},
		{"xero", "xero.generate_secret"},
		{"freeagent", "codat.save"},
	} {
		t.Run(tt.provider+"/during_"+tt.step, func(t *testing.T) {
			t.Parallel()
			p, cfg, out := setup(t, fakeportal.Options{})
			first := command(t, cfg, out, tt.provider)
			reached, log := startUntil(t, first, "] "+tt.step+": ")
			if reached {
				_ = first.Process.Kill()
			}
			_ = first.Wait()
			if !reached {
				t.Fatalf("the first run ended before %s:\n%s", tt.step, log)
			}
			second := command(t, cfg, out, tt.provider)
			if b, err := second.CombinedOutput(); err != nil {
				t.Fatalf("the rerun failed: %v\n%s", err, b)
			}
			rec := p.Records()
			if err := rec.Delivered(tt.provider, true); err != nil {
				t.Error(err)
			}
			key := map[string]string{"xero": fakeportal.KeyXero, "freeagent": fakeportal.KeyFreeAgent}[tt.provider]
			file := flows.SecretPath(out, tt.provider, "Acme Books Demo")
			if !filepath.IsAbs(file) {
				file = filepath.Join(filepath.Dir(cfg), file)
			}
			if b, err := os.ReadFile(file); err != nil || strings.TrimSpace(string(b)) != rec.Codat[key].ClientSecret {
				t.Errorf("the secret file %s does not hold the secret Codat holds (%v)", file, err)
			}
		})
	}
}

// SIGINT and SIGTERM stop a run cleanly: the browser and its children are
// gone, the state is saved, the exit code says the run did not finish, and
// a rerun completes the job.
func TestSignalStopsCleanly(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			p, cfg, out := setup(t, fakeportal.Options{})
			cmd := launching(cfg, out, "xero") // its own browser: the test looks at its processes
			reached, log := startUntil(t, cmd, "[ 6/")
			if !reached {
				_ = cmd.Wait()
				t.Fatalf("the run ended early:\n%s", log)
			}
			kids := browser.Descendants(cmd.Process.Pid)
			if len(kids) == 0 {
				t.Fatal("found no browser process below the bot")
			}
			_ = cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the bot did not stop within 30s of the signal")
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("exit = %v, want exit code 1 (interrupted); the bot printed:\n%s", err, log)
			}
			// Killed as the bot stopped: gone once the kernel has torn them down.
			for _, k := range browsertest.StillAlive(kids, 5*time.Second) {
				t.Errorf("browser process %d is still running 5 s after the bot stopped", k)
			}
			if _, err := os.Stat(filepath.Join(out, "state", "xero-acme-books-demo.json")); err != nil {
				t.Errorf("no state saved: %v", err)
			}
			// The rerun resumes from the saved state; both signals stop the
			// same way, so one rerun tells.
			if sig != syscall.SIGTERM {
				return
			}
			if b, err := command(t, cfg, out, "xero").CombinedOutput(); err != nil {
				t.Fatalf("the rerun failed: %v\n%s", err, b)
			}
			if err := p.Records().Delivered("xero", true); err != nil {
				t.Error(err)
			}
		})
	}
}

// The binary, at debug level, prints no secret and writes none anywhere but
// the one secret file; the summary on stdout is JSON naming that file.
func TestBinaryLeaksNothing(t *testing.T) {
	for _, provider := range flows.Providers {
		t.Run(provider, func(t *testing.T) {
			t.Parallel()
			p, cfg, out := setup(t, fakeportal.Options{XeroTwoStep: true})
			cmd := command(t, cfg, out, provider)
			cmd.Args = append(cmd.Args[:1], append([]string{"--log-level", "debug", "--log-format", "json"}, cmd.Args[1:]...)...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("run: %v\n%s", err, stderr.String())
			}
			var sum struct {
				Secret struct{ File string }
			}
			if err := json.Unmarshal([]byte(stdout.String()), &sum); err != nil || sum.Secret.File == "" {
				t.Fatalf("stdout is not the summary (%v): %s", err, stdout.String())
			}
			rec := p.Records()
			values := []string{p.Creds.XeroPassword, p.Creds.XeroTOTPSecret, p.Creds.CodatPassword, p.Creds.FreeAgentPassword}
			for _, a := range rec.XeroApps {
				for _, s := range a.Secrets {
					values = append(values, s.Value)
				}
			}
			for _, a := range rec.FreeAgentApps {
				values = append(values, a.Secret)
			}
			secretFile, _ := filepath.Abs(filepath.Join(filepath.Dir(cfg), sum.Secret.File))
			if filepath.IsAbs(sum.Secret.File) {
				secretFile = sum.Secret.File
			}
			// The session files' cookies sign in as the account: they stay
			// in those files (the walk below skips them), nowhere else.
			sessions, _ := filepath.Glob(filepath.Join(out, "sessions", "*.json"))
			if len(sessions) != 2 {
				t.Errorf("session files = %v, want the provider's and Codat's", sessions)
			}
			for _, f := range sessions {
				st, err := session.Read(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range st.Values() {
					if len(v) >= 12 {
						values = append(values, v)
					}
				}
			}
			for _, v := range values {
				if strings.Contains(stdout.String()+stderr.String(), v) {
					t.Errorf("a secret value was printed")
				}
				_ = filepath.Walk(out, func(path string, info os.FileInfo, err error) error {
					if err != nil || info.IsDir() || path == secretFile || slices.Contains(sessions, path) {
						return err
					}
					b, _ := os.ReadFile(path)
					if strings.Contains(string(b), v) {
						t.Errorf("a secret value is in %s", path)
					}
					return nil
				})
			}
		})
	}
}
