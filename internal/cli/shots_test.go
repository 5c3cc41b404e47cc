package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/internal/report"
	"portalbot/internal/shots"
	"portalbot/selectors"
)

// shotCalls records each RunFlow call of a bot shots run: the provider,
// the shots asked for and the configuration the flow got.
type shotCall struct {
	provider string
	files    []string
	stop     bool
	cfg      config.Config
}

func shotsFactory(t *testing.T) (*Factory, *fakes, *[]shotCall) {
	t.Helper()
	f, fk := newTestFactory(t)
	f.LoadSelectors = selectors.Load
	var calls []shotCall
	run := f.RunFlow
	f.RunFlow = func(ctx context.Context, env *flows.Env, provider string) (*report.Summary, error) {
		c := shotCall{provider: provider, cfg: *env.Config}
		if env.Shots != nil {
			c.stop = env.Shots.StopWhenDone
			for _, s := range env.Shots.Shots {
				c.files = append(c.files, s.File)
			}
		}
		calls = append(calls, c)
		return run(ctx, env, provider)
	}
	return f, fk, &calls
}

// TestShotsCommand: what bot shots runs for each target and flag, and what
// it refuses before any browser starts.
func TestShotsCommand(t *testing.T) {
	list, err := shots.Load("")
	if err != nil {
		t.Fatal(err)
	}
	names := func(p string) []string {
		var out []string
		for _, s := range list.For(p) {
			out = append(out, s.File)
		}
		return out
	}
	tests := []struct {
		name      string
		args      []string
		shotsFile string // written to the working directory and set as BOT_SHOTS_FILE
		wantCode  int
		wantErr   []string
		want      []shotCall
		wantScale float64
	}{
		{name: "all", args: []string{"shots", "all"}, want: []shotCall{{provider: "xero", files: names("xero")}, {provider: "freeagent", files: names("freeagent")}}, wantScale: 1},
		{name: "one provider, scale 2", args: []string{"shots", "freeagent", "--scale", "2"}, want: []shotCall{{provider: "freeagent", files: names("freeagent")}}, wantScale: 2},
		{name: "only one shot", args: []string{"shots", "all", "--only", "FreeAgent_-_app_credentials.PNG"},
			want: []shotCall{{provider: "freeagent", files: []string{"FreeAgent_-_app_credentials.PNG"}, stop: true}}, wantScale: 1},
		{name: "only a shot of the other provider", args: []string{"shots", "xero", "--only", "FreeAgent_-_app_credentials.PNG"},
			wantCode: 2, wantErr: []string{`--only "FreeAgent_-_app_credentials.PNG": no such shot for xero`, "the shots are: xero-my-apps-new-app.png"}},
		{name: "unknown target", args: []string{"shots", "sage"}, wantCode: 2, wantErr: []string{"needs one of xero, freeagent, all"}},
		{name: "a bad shot list", args: []string{"shots", "all"}, shotsFile: "shots:\n  - file: a.png\n    flow: xero\n    after: xero.make_tea\n    show: page\n    alt: a\n    caption: b\n    guide: c\n",
			wantCode: 2, wantErr: []string{`shot a.png: after: "xero.make_tea" is not a step of xero`}},
		{name: "a misspelt key in the shot list", args: []string{"shots", "all"}, shotsFile: "shots:\n  - file: a.png\n    flwo: xero\n",
			wantCode: 2, wantErr: []string{"field flwo not found"}},
		{name: "scale 0", args: []string{"shots", "all", "--scale", "0"}, wantCode: 2, wantErr: []string{"browser.viewport.scale must be greater than 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, fk, calls := shotsFactory(t)
			validEnv(t)
			if tt.shotsFile != "" {
				if err := os.WriteFile("shots.yaml", []byte(tt.shotsFile), 0o600); err != nil {
					t.Fatal(err)
				}
				t.Setenv("BOT_SHOTS_FILE", "shots.yaml")
			}
			code := Execute(context.Background(), f, tt.args)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, tt.wantCode, fk.errOut)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(fk.errOut.String(), w) {
					t.Errorf("stderr does not say %q:\n%s", w, fk.errOut)
				}
			}
			if tt.wantCode != 0 {
				if fk.browserStarted {
					t.Errorf("the browser started although the command was refused")
				}
				return
			}
			if len(*calls) != len(tt.want) {
				t.Fatalf("%d flows run, want %d", len(*calls), len(tt.want))
			}
			for i, c := range *calls {
				w := tt.want[i]
				if c.provider != w.provider || strings.Join(c.files, ",") != strings.Join(w.files, ",") || c.stop != w.stop {
					t.Errorf("run %d: %s %v stop=%v, want %s %v stop=%v", i, c.provider, c.files, c.stop, w.provider, w.files, w.stop)
				}
				if c.cfg.Output.Screenshots != "failure" || c.cfg.Browser.Viewport.Scale != tt.wantScale {
					t.Errorf("run %d: screenshots %q, scale %v; want failure, %v", i, c.cfg.Output.Screenshots, c.cfg.Browser.Viewport.Scale, tt.wantScale)
				}
			}
			index := filepath.Join("out", "shots", "index.md")
			if _, err := os.Stat(index); err != nil || !strings.Contains(fk.out.String(), index) {
				t.Errorf("index.md not written or not listed on stdout (%v): %q", err, fk.out)
			}
			noSecrets(t, fk)
		})
	}
}
