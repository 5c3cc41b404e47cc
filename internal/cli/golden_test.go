package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/internal/fail"
	"portalbot/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// goldenDir is testdata/golden at the module root, resolved before any test
// moves to a temporary directory.
var goldenDir, _ = filepath.Abs(filepath.Join("..", "..", "testdata", "golden"))

// golden compares got with testdata/golden/<name>, or rewrites the file with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test ./internal/cli -update rewrites it after a wanted change)\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

// The steps a run and a check go through, as `bot steps` prints them: a
// renamed or reordered step changes screenshot names and the
// output.screenshot_steps a user wrote, so it shows up here.
func TestStepsGolden(t *testing.T) {
	tests := []struct {
		file string
		args []string
	}{
		{"steps-xero.txt", []string{"steps", "xero"}},
		{"steps-freeagent.txt", []string{"steps", "freeagent"}},
		{"steps-xero-check.txt", []string{"steps", "xero", "--check"}},
		{"steps-freeagent-check-names.txt", []string{"steps", "freeagent", "--check", "--names"}},
		{"steps-xero-rotate.txt", []string{"steps", "xero", "--rotate"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, fk := newTestFactory(t)
			if code := Execute(context.Background(), f, tt.args); code != 0 {
				t.Fatalf("exit code = %d; stderr:\n%s", code, fk.errOut)
			}
			if fk.browserStarted {
				t.Error("bot steps started a browser")
			}
			golden(t, tt.file, fk.out.Bytes())
		})
	}
}

// The JSON summary a scheduler reads, byte for byte: a change of field name
// or shape breaks the scripts that read it, so it must be a deliberate one.
func TestSummaryGolden(t *testing.T) {
	tests := []struct {
		file    string
		args    []string
		summary *report.Summary
		flowErr error
	}{
		{"summary-xero-success.json", []string{"run", "xero"}, &report.Summary{
			Provider: "xero", App: report.App{Name: "Acme Sync", ID: "app-1", URL: "https://developer.xero.com/app/manage/app/app-1"}, ClientID: "0123456789ABCDEF0123456789ABCDEF",
			Secret:    report.SecretRef{SHA256Prefix: "3f2a9c01b7de", File: "out/secrets/xero-acme-sync.secret"},
			Codat:     report.Codat{Saved: true, Enabled: true},
			Limits:    report.Limits{Connections: "5 max connections"},
			StartedAt: "2026-03-02T06:00:00.000Z",
			Steps: []report.Step{{Name: "codat.sign_in", Status: "ok", DurationMS: 900, StartedMS: 2, EndedMS: 902},
				{Name: "xero.sign_in", Status: "ok", DurationMS: 1200, StartedMS: 0, EndedMS: 1200},
				{Name: "xero.open_my_apps", Status: "done-before", StartedMS: 1200, EndedMS: 1200}},
		}, nil},
		{"summary-freeagent-mismatch.json", []string{"run", "freeagent"}, &report.Summary{
			Provider: "freeagent",
			Steps: []report.Step{{Name: "freeagent.sign_in", Status: "ok", DurationMS: 900, EndedMS: 900},
				{Name: "freeagent.create_app", Status: "failed", DurationMS: 10000, StartedMS: 900, EndedMS: 10900, Error: "Create App not found"}},
			Error: &report.ErrorReport{Files: []string{"out/failures/freeagent/02-freeagent.create_app.png"}},
		}, &fail.Error{Kind: fail.Mismatch, Portal: "freeagent", Page: "freeagent.new_app", Element: "freeagent.new_app.create",
			Err: errors.New("Create App not found on page freeagent.new_app")}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			fk.summary, fk.flowErr = tt.summary, tt.flowErr
			Execute(context.Background(), f, tt.args)
			golden(t, tt.file, fk.out.Bytes())
		})
	}
}

// The sample configurations under testdata/configs, named <provider>-*.yaml:
// each good one starts a run, each *-bad.yaml starts nothing and says
// everything that is wrong, as recorded in testdata/golden.
func TestSampleConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "..", "configs", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sample configurations: %v", err)
	}
	for _, file := range files {
		base := filepath.Base(file)
		t.Run(base, func(t *testing.T) {
			f, fk := newTestFactory(t)
			validEnv(t)
			for _, k := range []string{"BOT_APP_NAME", "BOT_APP_COMPANY_URL", "BOT_APP_DESCRIPTION"} {
				t.Setenv(k, "") // the file says these
			}
			fk.summary = &report.Summary{}
			provider, _, _ := strings.Cut(base, "-")
			code := Execute(context.Background(), f, []string{"run", provider, "--config", file})
			if strings.HasSuffix(base, "-bad.yaml") {
				if code != 2 || fk.browserStarted {
					t.Fatalf("exit code = %d, browser started %v; want 2 and nothing started", code, fk.browserStarted)
				}
				golden(t, "config-"+strings.TrimSuffix(base, ".yaml")+".txt", fk.errOut.Bytes())
				return
			}
			if code != 0 {
				t.Fatalf("exit code = %d; stderr:\n%s", code, fk.errOut)
			}
		})
	}
}
