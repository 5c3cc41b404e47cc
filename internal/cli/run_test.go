package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/report"
)

// TestBadConfigStartsNothing: a configuration problem exits 2 before any
// browser starts, with every problem named, and leaves no output directory.
func TestBadConfigStartsNothing(t *testing.T) {
	partial := t.TempDir() // a copy of codat.yaml without its Save button
	codat, err := os.ReadFile("../../selectors/codat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lacking := strings.Replace(string(codat), "      save:\n        mark: C\n        locators:\n          - {role: button, name: \"Save\"}\n", "", 1)
	if err := os.WriteFile(filepath.Join(partial, "codat.yaml"), []byte(lacking), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"no credentials", []string{"run", "xero"}, nil,
			[]string{"BOT_XERO_PASSWORD", "BOT_CODAT_PASSWORD", "BOT_APP_NAME"}},
		{"freeagent sandbox", []string{"run", "freeagent"},
			map[string]string{"BOT_FREEAGENT_URL": "https://api.sandbox.freeagent.com"},
			[]string{"Codat does not support"}},
		{"check validates too", []string{"check", "xero"},
			map[string]string{"BOT_APP_NAME": "Xero Link"}, []string{`must not contain "Xero"`}},
		{"missing config file", []string{"run", "xero", "--config", "nope.yaml"}, nil, []string{"nope.yaml"}},
		{"bad duration", []string{"run", "xero"}, map[string]string{"BOT_BROWSER_STEP_TIMEOUT": "soon"}, []string{"step_timeout"}},
		{"unknown screenshot step", []string{"run", "freeagent", "--screenshot-steps", "codat.save,xero.generate_secret"}, nil,
			[]string{`not a step of run freeagent: "xero.generate_secret"`, "freeagent.create_app", "bot steps freeagent"}},
		{"a partial selectors override", []string{"run", "xero"}, map[string]string{"BOT_SELECTORS_DIR": partial},
			[]string{"lacks codat.settings.save", "codat.yaml"}},
		{"a run step is not a check step", []string{"check", "xero"}, map[string]string{"BOT_OUTPUT_SCREENSHOT_STEPS": "codat.save"},
			[]string{`not a step of check xero: "codat.save"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			if tt.name != "no credentials" {
				validEnv(t)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			code := Execute(context.Background(), f, tt.args)
			if code != 2 {
				t.Errorf("exit code = %d, want 2; stderr:\n%s", code, fk.errOut)
			}
			if fk.browserStarted || fk.flowCalls > 0 {
				t.Error("browser started or flow ran despite a bad configuration")
			}
			if fk.out.Len() != 0 {
				t.Errorf("stdout not empty: %q", fk.out)
			}
			stderr := fk.errOut.String()
			if !strings.HasPrefix(stderr, "bot: ") || strings.Count(stderr, "bot: ") != 1 {
				t.Errorf("want the error printed once as 'bot: ...', got:\n%s", stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat("out"); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("output directory created before validation: %v", err)
			}
			noSecrets(t, fk)
		})
	}
}

// TestRunRunDirect calls runRun with a stubbed config loader, the way a
// test of a single behaviour does, without cobra.
func TestRunRunDirect(t *testing.T) {
	f, fk := newTestFactory(t)
	opts := &RunOptions{
		IO: f.IOStreams, Provider: "xero", Mode: flows.ModeRun,
		Config:        func() (*config.Config, error) { return &config.Config{}, nil },
		Now:           f.Now,
		Logger:        f.Logger,
		LoadSelectors: f.LoadSelectors,
		StartBrowser:  f.StartBrowser,
		RunFlow:       f.RunFlow,
	}
	err := runRun(opts)
	if fail.KindOf(err) != fail.Config {
		t.Fatalf("want a configuration error, got %v", err)
	}
	if fk.browserStarted {
		t.Error("browser started with an empty configuration")
	}
}

func readSummary(t *testing.T, path string) *report.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("summary file: %v", err)
	}
	var s report.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("summary %s is not JSON: %v\n%s", path, err, b)
	}
	return &s
}

func TestRunWritesSummary(t *testing.T) {
	mismatch := &fail.Error{Kind: fail.Mismatch, Portal: "xero", Page: "xero.configuration",
		Element: "xero.configuration.generate_secret", Err: errors.New("element not found")}
	tests := []struct {
		name      string
		args      []string
		summary   *report.Summary
		flowErr   error
		startErr  error
		wait      bool
		env       map[string]string
		wantCode  int
		wantFiles []string
		wantErr   *report.ErrorReport // nil: no error in the summary
		wantFlow  bool
	}{
		{
			name: "success", args: []string{"run", "xero"},
			summary:  &report.Summary{Provider: "xero", App: report.App{Name: "Acme Sync"}, ClientID: "ABC", Codat: report.Codat{Saved: true, Enabled: true}},
			wantCode: 0, wantFiles: []string{"summary-xero.json", "summary.json"}, wantFlow: true,
		},
		{
			name: "mismatch keeps location and files", args: []string{"run", "xero"},
			summary: &report.Summary{Provider: "xero", Error: &report.ErrorReport{Files: []string{"out/fail.png"}}},
			flowErr: mismatch, wantCode: 4, wantFiles: []string{"summary-xero.json", "summary.json"}, wantFlow: true,
			wantErr: &report.ErrorReport{Kind: "page mismatch", ExitCode: 4, Message: "run xero: element not found",
				Portal: "xero", Page: "xero.configuration", Element: "xero.configuration.generate_secret", Files: []string{"out/fail.png"}},
		},
		{
			name: "flow's scrubbed message kept", args: []string{"run", "xero"},
			summary: &report.Summary{Provider: "xero", Error: &report.ErrorReport{Message: "secret [redacted] refused"}},
			flowErr: fail.New(fail.Unsafe, "secret abc refused"), wantCode: 6,
			wantFiles: []string{"summary-xero.json", "summary.json"}, wantFlow: true,
			wantErr: &report.ErrorReport{Kind: "refused for safety", ExitCode: 6, Message: "secret [redacted] refused"},
		},
		{
			name: "failure without summary", args: []string{"run", "freeagent"},
			flowErr: fail.New(fail.SignIn, "wrong password"), wantCode: 3,
			wantFiles: []string{"summary-freeagent.json", "summary.json"}, wantFlow: true,
			wantErr: &report.ErrorReport{Kind: "sign-in refused", ExitCode: 3, Message: "run freeagent: wrong password"},
		},
		{
			name: "browser does not start", args: []string{"run", "xero"},
			startErr: errors.New("no chromium"), wantCode: 1, wantFiles: []string{"summary-xero.json", "summary.json"},
			wantErr: &report.ErrorReport{Kind: "error", ExitCode: 1, Message: "start browser: no chromium"},
		},
		{
			name: "timeout is unavailable", args: []string{"run", "xero"}, wait: true,
			env:      map[string]string{"BOT_BROWSER_TIMEOUT": "1ms", "BOT_BROWSER_STEP_TIMEOUT": "1ms"},
			wantCode: 5, wantFiles: []string{"summary-xero.json", "summary.json"}, wantFlow: true,
			wantErr: &report.ErrorReport{Kind: "unavailable", ExitCode: 5,
				Message: "run xero: context deadline exceeded (browser.timeout 1ms elapsed; raise BOT_BROWSER_TIMEOUT)"},
		},
		{
			name: "check has its own files", args: []string{"check", "freeagent", "--out", "chk"},
			summary: &report.Summary{Provider: "freeagent"}, wantCode: 0,
			wantFiles: []string{"check-freeagent.json", "check.json"}, wantFlow: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fk.summary, fk.flowErr, fk.startErr, fk.waitForCtx = tt.summary, tt.flowErr, tt.startErr, tt.wait

			code := Execute(context.Background(), f, tt.args)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, fk.errOut)
			}
			if (fk.flowCalls == 1) != tt.wantFlow {
				t.Errorf("flow calls = %d, want flow run %v", fk.flowCalls, tt.wantFlow)
			}
			if fk.browserStarted && tt.startErr == nil && !fk.browserStopped {
				t.Error("browser not stopped")
			}

			outDir := "out"
			for i, a := range tt.args {
				if a == "--out" {
					outDir = tt.args[i+1]
				}
			}
			var stdout report.Summary
			if err := json.Unmarshal(fk.out.Bytes(), &stdout); err != nil {
				t.Fatalf("stdout is not the JSON summary: %v\n%s", err, fk.out)
			}
			for _, name := range tt.wantFiles {
				got := readSummary(t, filepath.Join(outDir, name))
				b, _ := os.ReadFile(filepath.Join(outDir, name))
				if string(b) != fk.out.String() {
					t.Errorf("%s differs from stdout", name)
				}
				if got.Provider != tt.args[1] || got.Mode != tt.args[0] {
					t.Errorf("%s: provider/mode = %q/%q", name, got.Provider, got.Mode)
				}
				if got.Steps == nil {
					t.Errorf("%s: steps is null, want []", name)
				}
				if got.DurationMS <= 0 {
					t.Errorf("%s: duration_ms = %d", name, got.DurationMS)
				}
				if tt.wantErr == nil {
					if got.Error != nil {
						t.Errorf("%s: unexpected error %+v", name, got.Error)
					}
					continue
				}
				if got.Error == nil {
					t.Fatalf("%s: no error recorded", name)
				}
				gotJSON, _ := json.Marshal(got.Error)
				wantJSON, _ := json.Marshal(tt.wantErr)
				if string(gotJSON) != string(wantJSON) {
					t.Errorf("%s: error\n got %s\nwant %s", name, gotJSON, wantJSON)
				}
			}
			if tt.wantCode != 0 && strings.Count(fk.errOut.String(), "bot: ") != 1 {
				t.Errorf("want the error printed once, stderr:\n%s", fk.errOut)
			}
			noSecrets(t, fk)
		})
	}
}

// TestFlowEnv checks what the flow receives: the mode, the provider, the
// progress stream, the clock and the loaded configuration.
func TestFlowEnv(t *testing.T) {
	for _, mode := range []flows.Mode{flows.ModeRun, flows.ModeCheck} {
		t.Run(string(mode), func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			if code := Execute(context.Background(), f, []string{string(mode), "freeagent"}); code != 0 {
				t.Fatalf("exit %d: %s", code, fk.errOut)
			}
			env := fk.env
			if fk.provider != "freeagent" || env.Mode != mode || env.Progress != f.IOStreams.ErrOut ||
				env.Now == nil || env.Log == nil || env.Selectors == nil || env.Config == nil {
				t.Errorf("env = %+v, provider %q", env, fk.provider)
			}
			if env.Config.FreeAgent.Password.Reveal() != faPW {
				t.Error("configuration not passed to the flow")
			}
		})
	}
}

// TestFlagsOverEnvAndFile proves the command's flags go through the same
// precedence as the rest: flag > env > file > default.
func TestFlagsOverEnvAndFile(t *testing.T) {
	const file = "codat:\n  enable: later\napp:\n  name: File Name\noutput:\n  screenshots: off\nlog:\n  format: json\nout: file-out\n"
	tests := []struct {
		name  string
		file  bool
		env   map[string]string
		flags []string
		want  func(*config.Config) []string // got values
		exp   []string                      // expected
	}{
		{"defaults", false, nil, nil, vals, []string{"now", "Acme Sync", "failure", "console", "out"}},
		{"file", true, map[string]string{"BOT_APP_NAME": ""}, nil, vals, []string{"later", "File Name", "off", "json", "file-out"}},
		{"env over file", true,
			map[string]string{"BOT_CODAT_ENABLE": "now", "BOT_APP_NAME": "Env Name", "BOT_OUTPUT_SCREENSHOTS": "steps", "BOT_LOG_FORMAT": "console", "BOT_OUT": "env-out"},
			nil, vals, []string{"now", "Env Name", "steps", "console", "env-out"}},
		{"flag over env", true,
			map[string]string{"BOT_CODAT_ENABLE": "now", "BOT_APP_NAME": "Env Name", "BOT_OUTPUT_SCREENSHOTS": "steps", "BOT_LOG_FORMAT": "console", "BOT_OUT": "env-out"},
			[]string{"--enable", "later", "--app-name", "Flag Name", "--screenshots", "off", "--log-format", "json", "--out", "flag-out"},
			vals, []string{"later", "Flag Name", "off", "json", "flag-out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			args := []string{"run", "xero"}
			if tt.file {
				if err := os.WriteFile("cfg.yaml", []byte(file), 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--config", "cfg.yaml")
			}
			args = append(args, tt.flags...)
			if code := Execute(context.Background(), f, args); code != 0 {
				t.Fatalf("exit %d: %s", code, fk.errOut)
			}
			got := tt.want(fk.env.Config)
			if strings.Join(got, "|") != strings.Join(tt.exp, "|") {
				t.Errorf("got %v, want %v", got, tt.exp)
			}
		})
	}
}

func vals(c *config.Config) []string {
	return []string{c.Codat.Enable, c.App.Name, c.Output.Screenshots, c.Log.Format, c.Out}
}

// TestNewCmdRunBinding checks the command's parsing alone, gh-style: runF
// receives the options and nothing runs.
func TestNewCmdRunBinding(t *testing.T) {
	tests := []struct {
		name       string
		newCmd     func(*Factory, func(*RunOptions) error) *cobra.Command
		args       []string
		wantMode   flows.Mode
		wantEnable string
		wantApp    string
		wantShots  []string
	}{
		{"run defaults", NewCmdRun, []string{"xero"}, flows.ModeRun, "now", "Acme Sync", nil},
		{"run flags", NewCmdRun, []string{"freeagent", "--enable=later", "--app-name", "Other"}, flows.ModeRun, "later", "Other", nil},
		{"check flags", NewCmdCheck, []string{"xero", "--app-name=Checked"}, flows.ModeCheck, "now", "Checked", nil},
		{"screenshot steps", NewCmdRun, []string{"xero", "--screenshot-steps", "xero.generate_secret, codat.save"}, flows.ModeRun, "now", "Acme Sync",
			[]string{"xero.generate_secret", "codat.save"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			var got *RunOptions
			cmd := tt.newCmd(f, func(o *RunOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(fk.out)
			cmd.SetErr(fk.errOut)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("runF not called")
			}
			if got.Provider != tt.args[0] || got.Mode != tt.wantMode {
				t.Errorf("provider/mode = %q/%q", got.Provider, got.Mode)
			}
			cfg, err := got.Config()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Codat.Enable != tt.wantEnable || cfg.App.Name != tt.wantApp {
				t.Errorf("enable/app = %q/%q, want %q/%q", cfg.Codat.Enable, cfg.App.Name, tt.wantEnable, tt.wantApp)
			}
			if !slices.Equal(cfg.Output.ScreenshotSteps, tt.wantShots) {
				t.Errorf("screenshot steps = %q, want %q", cfg.Output.ScreenshotSteps, tt.wantShots)
			}
			if fk.browserStarted {
				t.Error("browser started")
			}
		})
	}
}
