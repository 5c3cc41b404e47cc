package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"portalbot/flows"
	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/fakeportal"
	"portalbot/internal/state"
	"portalbot/internal/store"
	"portalbot/selectors"
)

// rotateConfig is testConfig for rotations: no screenshots but on failure,
// short steps.
func rotateConfig(t *testing.T, p *fakeportal.Portals) *config.Config {
	cfg := testConfig(t, p)
	cfg.Output.Screenshots = "failure"
	cfg.Browser.StepTimeout = 8 * time.Second
	return cfg
}

// rotate runs bot rotate in-process. stopAt, when set, cancels the run as
// soon as the progress shows that step starting: the steps before it are
// done and their state saved, as when a run is killed there.
func rotate(t *testing.T, cfg *config.Config, provider string, opts flows.RotateOptions, stopAt string) result {
	t.Helper()
	sel, err := selectors.Load(cfg.SelectorsDir)
	if err != nil {
		t.Fatal(err)
	}
	defer runSlot()()
	tab, drop := browsertest.Recycled(t, origins(cfg)...)
	defer drop()
	ctx, cancel := context.WithCancel(tab)
	defer cancel()
	progress := &stopWriter{marker: stopAt, stop: cancel}
	obs, logs := observer.New(zap.DebugLevel)
	log := zap.New(zapcore.NewTee(zaptest.NewLogger(t).Core(), obs))
	env := &flows.Env{Config: cfg, Log: log, Progress: progress, Now: time.Now, Selectors: sel,
		Mode: flows.ModeRotate, Rotate: opts}
	sum, err := flows.RunProvider(ctx, env, provider)
	t.Logf("progress:\n%s", progress.String())
	var b strings.Builder
	b.WriteString(progress.String())
	for _, e := range logs.All() {
		fmt.Fprintf(&b, "%s %v\n", e.Message, e.ContextMap())
	}
	if err != nil {
		fmt.Fprintf(&b, "%v\n%+v\n", err, err)
	}
	if sum != nil {
		js, _ := json.Marshal(sum)
		b.Write(js)
	}
	return result{sum: sum, err: err, printed: b.String()}
}

// stopWriter is the progress stream; it calls stop when a line names marker.
type stopWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	marker string
	stop   func()
}

func (w *stopWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.marker != "" && bytes.Contains(p, []byte("] "+w.marker+":")) {
		w.stop()
	}
	return w.buf.Write(p)
}

func (w *stopWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// rotated checks the end state of a rotation from the replicas' records:
// one app, live secrets as many as want, Codat holding a live one with the
// app's client id, and the secret file holding Codat's secret.
func rotated(t *testing.T, p *fakeportal.Portals, cfg *config.Config, wantLive int) fakeportal.XeroApp {
	t.Helper()
	rec := p.Records()
	if err := rec.Delivered("xero", true); err != nil {
		t.Fatal(err)
	}
	app := rec.XeroApps[0]
	if live := app.LiveSecrets(); len(live) != wantLive {
		t.Errorf("%d live secrets, want %d", len(live), wantLive)
	}
	file := flows.SecretPath(cfg.Out, "xero", cfg.App.Name)
	sec, err := store.ReadSecret(file)
	if err != nil || sec.Reveal() != rec.Codat["gbol"].ClientSecret {
		t.Errorf("the secret file %s does not hold Codat's secret (%v)", file, err)
	}
	return app
}

func TestRotateXero(t *testing.T) {
	t.Parallel()
	for _, variant := range variants {
		t.Run(variant, func(t *testing.T) {
			t.Parallel()
			p := fakeportal.StartT(t, fakeportal.Options{Variant: variant})
			cfg := rotateConfig(t, p)
			if r := run(t, cfg, "xero"); r.err != nil {
				t.Fatal(r.err)
			}
			before := p.Records().XeroApps[0].LiveSecrets()[0]

			r := rotate(t, cfg, "xero", flows.RotateOptions{}, "")
			if r.err != nil {
				t.Fatal(r.err)
			}
			app := rotated(t, p, cfg, 1)
			if app.LiveSecrets()[0] == before {
				t.Error("the old secret is still the live one")
			}
			if got := r.sum.Rotation; got == nil || got.Outcome != "rotated" || r.sum.Mode != "rotate" {
				t.Errorf("summary mode %q, rotation %+v: want rotate, rotated", r.sum.Mode, got)
			}
			// Codat got the new secret before the old one went.
			var saved, removed time.Time
			for _, w := range p.Records().Writes {
				switch w.Action {
				case "settings saved":
					saved = w.At
				case "secret removed":
					removed = w.At
				}
			}
			if removed.IsZero() || removed.Before(saved) {
				t.Errorf("the old secret was removed at %v, Codat saved the new one at %v: want removal after", removed, saved)
			}
			noLeak(t, cfg, r, flows.SecretPath(cfg.Out, "xero", cfg.App.Name), before, app.LiveSecrets()[0],
				p.Creds.XeroPassword, p.Creds.CodatPassword, p.Creds.XeroTOTPSecret)

			// Right after, --max-age 90d is a no-op, known from the state.
			writes := len(p.Records().Writes)
			r = rotate(t, cfg, "xero", flows.RotateOptions{MaxAge: 90 * 24 * time.Hour}, "")
			if r.err != nil {
				t.Fatal(r.err)
			}
			if got := r.sum.Rotation; got == nil || got.Outcome != "not due" || !strings.Contains(r.printed, "not due") {
				t.Errorf("rotation %+v, progress %q: want not due, said", got, r.printed)
			}
			if n := len(p.Records().Writes); n != writes {
				t.Errorf("the no-op wrote %d times to the portals", n-writes)
			}

			// Without the state, the age comes from the "Created" date on
			// the page: not due either, nothing written.
			if err := os.RemoveAll(filepath.Join(cfg.Out, "state")); err != nil {
				t.Fatal(err)
			}
			r = rotate(t, cfg, "xero", flows.RotateOptions{MaxAge: 90 * 24 * time.Hour}, "")
			if r.err != nil {
				t.Fatal(r.err)
			}
			if got := r.sum.Rotation; got == nil || got.Outcome != "not due" || !strings.Contains(got.Message, "Created") {
				t.Errorf("rotation %+v: want not due, from the page's Created date", got)
			}
			if n := len(p.Records().Writes); n != writes {
				t.Errorf("the no-op without the state wrote %d times to the portals", n-writes)
			}
		})
	}
}

// Stopped after the new secret is stored (Codat still holds the old one, both
// live): Codat holds a live secret; the next rotate finishes the same
// rotation. With the state lost instead, nobody knows which secret Codat
// holds: exit 6, nothing changed. With a state that knows, the secret Codat
// does not hold is removed first.
func TestRotateWithBothSlotsFull(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) (*fakeportal.Portals, *config.Config, string) {
		p := fakeportal.StartT(t, fakeportal.Options{})
		cfg := rotateConfig(t, p)
		if r := run(t, cfg, "xero"); r.err != nil {
			t.Fatal(r.err)
		}
		saved := t.TempDir()
		copyDir(t, cfg.Out, saved)                                                 // the state and secret file before the rotation
		r := rotate(t, cfg, "xero", flows.RotateOptions{}, "codat.fill_client_id") // Codat signs in side by side; it takes the keys only once they are stored
		if fail.ExitCode(r.err) != 1 {
			t.Fatalf("the stopped rotation: %v, want exit 1 (interrupted)", r.err)
		}
		// Mid-rotation: Codat still holds the old secret, live; the file
		// holds the new one.
		if err := p.Records().Delivered("xero", true); err != nil {
			t.Fatal(err)
		}
		if n := len(p.Records().XeroApps[0].LiveSecrets()); n != 2 {
			t.Fatalf("%d live secrets after the stop, want 2", n)
		}
		return p, cfg, saved
	}
	t.Run("resumed", func(t *testing.T) {
		t.Parallel()
		p, cfg, _ := setup(t)
		generated := countWrites(p, "secret generated")
		r := rotate(t, cfg, "xero", flows.RotateOptions{MaxAge: 90 * 24 * time.Hour}, "")
		if r.err != nil {
			t.Fatal(r.err)
		}
		rotated(t, p, cfg, 1)
		if countWrites(p, "secret generated") != generated {
			t.Error("the resumed rotation generated another secret")
		}
	})
	// The refused rotation writes nothing: the same replicas then serve
	// the case after it.
	t.Run("state lost, then the unheld one removed first", func(t *testing.T) {
		t.Parallel()
		p, cfg, saved := setup(t)
		if err := os.RemoveAll(filepath.Join(cfg.Out, "state")); err != nil {
			t.Fatal(err)
		}
		writes := len(p.Records().Writes)
		r := rotate(t, cfg, "xero", flows.RotateOptions{}, "")
		if fail.ExitCode(r.err) != 6 || !strings.Contains(r.err.Error(), "both client secrets are live") {
			t.Fatalf("state lost: err = %v, want exit 6 saying why", r.err)
		}
		if n := len(p.Records().Writes); n != writes {
			t.Fatalf("state lost: the refused rotation wrote %d times", n-writes)
		}

		// Back to before the rotation: Codat holds Client secret 1, which the
		// state knows, and Client secret 2 is a secret nobody holds.
		if err := os.RemoveAll(cfg.Out); err != nil {
			t.Fatal(err)
		}
		copyDir(t, saved, cfg.Out)
		r = rotate(t, cfg, "xero", flows.RotateOptions{}, "")
		if r.err != nil {
			t.Fatal(r.err)
		}
		rotated(t, p, cfg, 1)
		if n := countWrites(p, "secret removed"); n != 2 {
			t.Errorf("%d secrets removed, want 2 (the unheld one, then the old one)", n)
		}
		st, _ := state.Load(cfg.Out, "xero", cfg.App.Name)
		if !st.RotationStarted.IsZero() || st.CodatSlot != 0 {
			t.Errorf("the state still shows a rotation: %+v", st)
		}
	})
}

func TestRotateFreeAgent(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, fakeportal.Options{})
	cfg := rotateConfig(t, p)
	if r := run(t, cfg, "freeagent"); r.err != nil {
		t.Fatal(r.err)
	}
	writes := len(p.Records().Writes)
	r := rotate(t, cfg, "freeagent", flows.RotateOptions{}, "")
	if fail.ExitCode(r.err) != 6 || !strings.Contains(r.err.Error(), "--accept-gap") {
		t.Errorf("without --accept-gap: %v, want exit 6 naming --accept-gap", r.err)
	}
	// This replica's FreeAgent has no way to regenerate: said, nothing changed.
	r = rotate(t, cfg, "freeagent", flows.RotateOptions{AcceptGap: true}, "")
	if fail.ExitCode(r.err) != 4 || !strings.Contains(r.err.Error(), "not supported by this portal's page") {
		t.Errorf("with --accept-gap: %v, want exit 4: not supported by this portal's page", r.err)
	}
	if n := len(p.Records().Writes); n != writes {
		t.Errorf("the refused rotations wrote %d times", n-writes)
	}
	if err := p.Records().Delivered("freeagent", true); err != nil {
		t.Error(err)
	}
}

func TestParseCreated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		want string // 2006-01-02 15:04, "" when none
	}{
		{"Created 2 Jan 2026 15:04", "2026-01-02 15:04"},
		{"Created 12 March 2026", "2026-03-12 00:00"},
		{"Created on Mar 12, 2026, 3:04 PM", "2026-03-12 15:04"},
		{"Created: 2026-03-12T10:00:00Z", "2026-03-12 10:00"},
		{"Created 2 Jan 2026, 3:04pm", "2026-01-02 15:04"},
		{"••••••••", ""},
		{"Created yesterday", ""},
	}
	for _, tt := range tests {
		got, ok := flows.ParseCreated(tt.text)
		s := ""
		if ok {
			s = got.Format("2006-01-02 15:04")
			if strings.HasSuffix(tt.text, "Z") {
				s = got.UTC().Format("2006-01-02 15:04")
			}
		}
		if s != tt.want {
			t.Errorf("ParseCreated(%q) = %q, want %q", tt.text, s, tt.want)
		}
	}
}

func TestParseMaxAge(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12w": 84 * 24 * time.Hour, "2160h": 2160 * time.Hour, "": 0, "1.5d": 36 * time.Hour} {
		if got, err := flows.ParseMaxAge(in); err != nil || got != want {
			t.Errorf("ParseMaxAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"soon", "-3d", "90 days"} {
		if _, err := flows.ParseMaxAge(bad); err == nil {
			t.Errorf("ParseMaxAge(%q) accepted", bad)
		}
	}
}

// copyDir copies the files under src into dst, modes kept.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wording2026 returns replica options with the 2025–26 wording, where
// FreeAgent shows a secret once and offers "Regenerate secret".
func wording2026(t *testing.T) fakeportal.Options {
	t.Helper()
	return fakeportal.Options{Wording: fakeportal.Wording2026}
}

// FreeAgent with --accept-gap: regenerated, stored, delivered; stopped
// between regenerating and Codat's Save, the next rotate delivers the same
// secret (no second regeneration). The gap is reported.
func TestRotateFreeAgentAcceptGap(t *testing.T) {
	t.Parallel()
	p := fakeportal.StartT(t, wording2026(t))
	cfg := rotateConfig(t, p)
	before := p.AddFreeAgentApp(cfg.App.Name).Secret
	r := rotate(t, cfg, "freeagent", flows.RotateOptions{AcceptGap: true}, "codat.sign_in")
	if fail.ExitCode(r.err) != 1 {
		t.Fatalf("the stopped rotation: %v, want exit 1 (interrupted)", r.err)
	}
	r = rotate(t, cfg, "freeagent", flows.RotateOptions{AcceptGap: true}, "")
	if r.err != nil {
		t.Fatal(r.err)
	}
	rec := p.Records()
	if err := rec.Delivered("freeagent", true); err != nil {
		t.Error(err)
	}
	app := rec.FreeAgentApps[0]
	if app.Secret == before || countWrites(p, "secret regenerated") != 1 {
		t.Errorf("want exactly one regeneration, got %d", countWrites(p, "secret regenerated"))
	}
	file := flows.SecretPath(cfg.Out, "freeagent", cfg.App.Name)
	if sec, err := store.ReadSecret(file); err != nil || sec.Reveal() != app.Secret {
		t.Errorf("the secret file does not hold FreeAgent's secret (%v)", err)
	}
	if got := r.sum.Rotation; got == nil || got.Outcome != "rotated" || got.GapMS <= 0 {
		t.Errorf("rotation %+v: want rotated with the gap reported", got)
	}
	noLeak(t, cfg, r, file, before, app.Secret, p.Creds.FreeAgentPassword, p.Creds.CodatPassword)
}
