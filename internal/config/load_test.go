package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"portalbot/internal/fail"
)

// isolate clears every BOT_ variable and moves to an empty directory, so the
// developer's environment and a config.yaml nearby do not leak into a test.
func isolate(t *testing.T) string {
	t.Helper()
	for _, k := range Keys() {
		t.Setenv(EnvVar(k), "") // empty counts as unset
	}
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func wantConfigErr(t *testing.T, err error, contains ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want a configuration error, got nil")
	}
	var fe *fail.Error
	if !errors.As(err, &fe) || fe.Kind != fail.Config {
		t.Fatalf("want *fail.Error of kind Config, got %T %v", err, err)
	}
	if fail.ExitCode(err) != 2 {
		t.Errorf("exit code = %d, want 2", fail.ExitCode(err))
	}
	for _, c := range contains {
		if !strings.Contains(err.Error(), c) {
			t.Errorf("error %q does not contain %q", err.Error(), c)
		}
	}
}

func TestLoadDefaults(t *testing.T) {
	isolate(t)
	cfg, err := Load(LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Browser: Browser{
			Timeout: 3 * time.Minute, StepTimeout: 30 * time.Second,
			Viewport: Viewport{Width: 1280, Height: 800, Scale: 1},
		},
		Xero:      Xero{LoginURL: "https://login.xero.com", DeveloperURL: "https://developer.xero.com"},
		FreeAgent: FreeAgent{URL: "https://dev.freeagent.com"},
		Codat:     Codat{URL: "https://app.codat.io", LoginURL: "https://authentication.codat.io", Enable: "now"},
		Output:    Output{Screenshots: "failure"},
		Check:     Check{PixelThreshold: 0.1, MaxDiffRatio: 0.001},
		Out:       "out",
		Log:       Log{Level: "info", Format: "console"},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

// TestLoadPrecedence proves flag > env > file > default, for a plain string,
// a duration, a secret, a bool, an int and a list.
func TestLoadPrecedence(t *testing.T) {
	type layers struct{ file, env, flag string }
	tests := []struct {
		key  string
		flag string // flag name bound to key
		in   layers
		get  func(*Config) any
		want any
	}{
		{"codat.enable", "enable", layers{}, func(c *Config) any { return c.Codat.Enable }, "now"},
		{"codat.enable", "enable", layers{file: "later"}, func(c *Config) any { return c.Codat.Enable }, "later"},
		{"codat.enable", "enable", layers{file: "later", env: "now"}, func(c *Config) any { return c.Codat.Enable }, "now"},
		{"codat.enable", "enable", layers{file: "now", env: "now", flag: "later"}, func(c *Config) any { return c.Codat.Enable }, "later"},
		{"codat.enable", "enable", layers{env: "later"}, func(c *Config) any { return c.Codat.Enable }, "later"},
		{"browser.step_timeout", "step-timeout", layers{}, func(c *Config) any { return c.Browser.StepTimeout }, 30 * time.Second},
		{"browser.step_timeout", "step-timeout", layers{file: "10s"}, func(c *Config) any { return c.Browser.StepTimeout }, 10 * time.Second},
		{"browser.step_timeout", "step-timeout", layers{file: "10s", env: "20s"}, func(c *Config) any { return c.Browser.StepTimeout }, 20 * time.Second},
		{"browser.step_timeout", "step-timeout", layers{file: "10s", env: "20s", flag: "40s"}, func(c *Config) any { return c.Browser.StepTimeout }, 40 * time.Second},
		{"xero.password", "xero-password", layers{file: "f"}, func(c *Config) any { return c.Xero.Password.Reveal() }, "f"},
		{"xero.password", "xero-password", layers{file: "f", env: "e"}, func(c *Config) any { return c.Xero.Password.Reveal() }, "e"},
		{"xero.password", "xero-password", layers{file: "f", env: "e", flag: "g"}, func(c *Config) any { return c.Xero.Password.Reveal() }, "g"},
		{"xero.ai_training", "ai-training", layers{}, func(c *Config) any { return c.Xero.AITraining }, false},
		{"xero.ai_training", "ai-training", layers{file: "true"}, func(c *Config) any { return c.Xero.AITraining }, true},
		{"xero.ai_training", "ai-training", layers{file: "true", env: "false"}, func(c *Config) any { return c.Xero.AITraining }, false},
		{"browser.viewport.width", "width", layers{file: "100", env: "200"}, func(c *Config) any { return c.Browser.Viewport.Width }, 200},
		{"browser.viewport.width", "width", layers{file: "100", env: "200", flag: "300"}, func(c *Config) any { return c.Browser.Viewport.Width }, 300},
		{"out", "out", layers{file: "file-out", env: "env-out"}, func(c *Config) any { return c.Out }, "env-out"},
		{"output.screenshot_steps", "screenshot-steps", layers{}, func(c *Config) any { return c.Output.ScreenshotSteps }, []string(nil)},
		{"output.screenshot_steps", "screenshot-steps", layers{file: "xero.sign_in"}, func(c *Config) any { return c.Output.ScreenshotSteps }, []string{"xero.sign_in"}},
		{"output.screenshot_steps", "screenshot-steps", layers{file: "a", env: "b, c"}, func(c *Config) any { return c.Output.ScreenshotSteps }, []string{"b", "c"}},
		{"output.screenshot_steps", "screenshot-steps", layers{file: "a", env: "b", flag: "d,e"}, func(c *Config) any { return c.Output.ScreenshotSteps }, []string{"d", "e"}},
		{"browser.args", "browser-args", layers{file: "--lang=fr", env: "--disable-dev-shm-usage, --lang=en"}, func(c *Config) any { return c.Browser.Args }, []string{"--disable-dev-shm-usage", "--lang=en"}},
	}
	for _, tt := range tests {
		name := tt.key + "/" + tt.in.file + "," + tt.in.env + "," + tt.in.flag
		t.Run(name, func(t *testing.T) {
			dir := isolate(t)
			opts := LoadOptions{FlagKeys: map[string]string{tt.key: tt.flag}}
			if tt.in.file != "" {
				section, leaf := "", tt.key
				if i := strings.LastIndex(tt.key, "."); i >= 0 {
					section, leaf = tt.key[:i], tt.key[i+1:]
				}
				yaml := leaf + ": \"" + tt.in.file + "\"\n"
				if section != "" {
					// Nest each dotted part.
					parts := strings.Split(section, ".")
					yaml = ""
					for i, p := range parts {
						yaml += strings.Repeat("  ", i) + p + ":\n"
					}
					yaml += strings.Repeat("  ", len(parts)) + leaf + ": \"" + tt.in.file + "\"\n"
				}
				opts.File = writeFile(t, dir, "c.yaml", yaml)
			}
			if tt.in.env != "" {
				t.Setenv(EnvVar(tt.key), tt.in.env)
			}
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			fs.String(tt.flag, "", "")
			var args []string
			if tt.in.flag != "" {
				args = []string{"--" + tt.flag + "=" + tt.in.flag}
			}
			if err := fs.Parse(args); err != nil {
				t.Fatal(err)
			}
			opts.Flags = fs
			cfg, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := tt.get(cfg); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLoadEnvNames checks the documented variable names decode into the
// struct, not only through Get.
func TestLoadEnvNames(t *testing.T) {
	isolate(t)
	env := map[string]string{
		"BOT_XERO_PASSWORD":          "pw-x",
		"BOT_XERO_TOTP_SECRET":       "JBSWY3DPEHPK3PXP",
		"BOT_BROWSER_STEP_TIMEOUT":   "5s",
		"BOT_BROWSER_TIMEOUT":        "2m",
		"BOT_CODAT_ENABLE":           "later",
		"BOT_APP_NAME":               "Acme Sync",
		"BOT_BROWSER_VIEWPORT_SCALE": "2",
		"BOT_XERO_AI_TRAINING":       "true",
		"BOT_SELECTORS_DIR":          "/tmp/sel",
		"BOT_LOG_FORMAT":             "json",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, err := Load(LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{
		"BOT_XERO_PASSWORD":          cfg.Xero.Password.Reveal(),
		"BOT_XERO_TOTP_SECRET":       cfg.Xero.TOTPSecret.Reveal(),
		"BOT_BROWSER_STEP_TIMEOUT":   cfg.Browser.StepTimeout,
		"BOT_BROWSER_TIMEOUT":        cfg.Browser.Timeout,
		"BOT_CODAT_ENABLE":           cfg.Codat.Enable,
		"BOT_APP_NAME":               cfg.App.Name,
		"BOT_BROWSER_VIEWPORT_SCALE": cfg.Browser.Viewport.Scale,
		"BOT_XERO_AI_TRAINING":       cfg.Xero.AITraining,
		"BOT_SELECTORS_DIR":          cfg.SelectorsDir,
		"BOT_LOG_FORMAT":             cfg.Log.Format,
	}
	want := map[string]any{
		"BOT_XERO_PASSWORD":          "pw-x",
		"BOT_XERO_TOTP_SECRET":       "JBSWY3DPEHPK3PXP",
		"BOT_BROWSER_STEP_TIMEOUT":   5 * time.Second,
		"BOT_BROWSER_TIMEOUT":        2 * time.Minute,
		"BOT_CODAT_ENABLE":           "later",
		"BOT_APP_NAME":               "Acme Sync",
		"BOT_BROWSER_VIEWPORT_SCALE": 2.0,
		"BOT_XERO_AI_TRAINING":       true,
		"BOT_SELECTORS_DIR":          "/tmp/sel",
		"BOT_LOG_FORMAT":             "json",
	}
	for k := range want {
		if !reflect.DeepEqual(got[k], want[k]) {
			t.Errorf("%s: got %v, want %v", k, got[k], want[k])
		}
	}
}

func TestLoadSecretFiles(t *testing.T) {
	tests := []struct {
		name    string
		content string // of the file named by BOT_CODAT_PASSWORD_FILE
		value   string // BOT_CODAT_PASSWORD
		viaYAML bool   // name the file in the config file instead
		want    string
		wantErr []string
	}{
		{name: "file only", content: "s3cret\n", want: "s3cret"},
		{name: "one newline trimmed", content: "s3cret\n\n", want: "s3cret\n"},
		{name: "crlf trimmed", content: "s3cret\r\n", want: "s3cret"},
		{name: "no newline", content: "s3cret", want: "s3cret"},
		{name: "spaces kept", content: " s3 cret \n", want: " s3 cret "},
		{name: "via config file", content: "s3cret\n", viaYAML: true, want: "s3cret"},
		{name: "both set", content: "s3cret\n", value: "other-pw",
			wantErr: []string{"BOT_CODAT_PASSWORD", "BOT_CODAT_PASSWORD_FILE", "codat.password_file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			path := writeFile(t, dir, "pw", tt.content)
			var opts LoadOptions
			if tt.viaYAML {
				opts.File = writeFile(t, dir, "c.yaml", "codat:\n  password_file: "+path+"\n")
			} else {
				t.Setenv("BOT_CODAT_PASSWORD_FILE", path)
			}
			if tt.value != "" {
				t.Setenv("BOT_CODAT_PASSWORD", tt.value)
			}
			cfg, err := Load(opts)
			if tt.wantErr != nil {
				wantConfigErr(t, err, tt.wantErr...)
				for _, s := range []string{"s3cret", tt.value} {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error reveals a secret: %q", err.Error())
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Codat.Password.Reveal(); got != tt.want {
				t.Errorf("password = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string // "" with file set: a missing file
		file    string
		env     map[string]string
		wantErr []string
	}{
		{name: "named file missing", file: "nope.yaml", wantErr: []string{"nope.yaml"}},
		{name: "unknown key", file: "c.yaml", yaml: "xero:\n  pasword: x\n", wantErr: []string{"xero.pasword"}},
		{name: "bad yaml", file: "c.yaml", yaml: "xero: [\n", wantErr: []string{"c.yaml"}},
		{name: "bad duration", file: "c.yaml", yaml: "browser:\n  step_timeout: soon\n", wantErr: []string{"step_timeout"}},
		{name: "bad duration env", env: map[string]string{"BOT_BROWSER_TIMEOUT": "forever"}, wantErr: []string{"timeout"}},
		{name: "secret as number", file: "c.yaml", yaml: "xero:\n  password: 123456\n", wantErr: []string{"quote it"}},
		{name: "secret file missing", env: map[string]string{"BOT_XERO_TOTP_SECRET_FILE": "/nonexistent/totp"},
			wantErr: []string{"xero.totp_secret_file", "/nonexistent/totp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := isolate(t)
			var opts LoadOptions
			if tt.file != "" {
				opts.File = filepath.Join(dir, tt.file)
				if tt.yaml != "" {
					writeFile(t, dir, tt.file, tt.yaml)
				}
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := Load(opts)
			wantConfigErr(t, err, tt.wantErr...)
			if strings.Contains(err.Error(), "123456") {
				t.Errorf("error reveals a secret: %q", err.Error())
			}
		})
	}
}

func TestLoadDefaultFile(t *testing.T) {
	dir := isolate(t)
	writeFile(t, dir, DefaultFile, "app:\n  name: From Default File\n")
	cfg, err := Load(LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.App.Name != "From Default File" {
		t.Errorf("app.name = %q: ./config.yaml was not read", cfg.App.Name)
	}
}

// TestRepoConfigIsDefaults keeps the documented config.yaml at the repository
// root loadable, complete and equal to the built-in defaults.
func TestRepoConfigIsDefaults(t *testing.T) {
	file, err := filepath.Abs("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	isolate(t)
	fromFile, err := Load(LoadOptions{File: file})
	if err != nil {
		t.Fatal(err)
	}
	defaults, err := Load(LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, defaults) {
		t.Errorf("config.yaml differs from the defaults:\n file %+v\n want %+v", fromFile, defaults)
	}
	for _, k := range Keys() {
		leaf := k[strings.LastIndex(k, ".")+1:]
		if !strings.Contains(string(raw), "\n"+leaf+":") && !strings.Contains(string(raw), " "+leaf+":") {
			t.Errorf("config.yaml does not document %s", k)
		}
	}
}

// A list key takes a YAML list in the file as well as "a,b" from a flag or
// the environment.
func TestLoadListFromYAML(t *testing.T) {
	dir := isolate(t)
	file := writeFile(t, dir, "c.yaml", "output:\n  screenshot_steps: [xero.sign_in, \" codat.save \"]\n")
	cfg, err := Load(LoadOptions{File: file})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"xero.sign_in", "codat.save"}; !reflect.DeepEqual(cfg.Output.ScreenshotSteps, want) {
		t.Errorf("screenshot_steps = %q, want %q", cfg.Output.ScreenshotSteps, want)
	}
}
