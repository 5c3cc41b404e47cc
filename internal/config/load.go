package config

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"portalbot/internal/fail"
	"portalbot/internal/secret"
)

// EnvPrefix is the prefix of every environment variable the bot reads:
// key xero.password is BOT_XERO_PASSWORD.
const EnvPrefix = "BOT"

// DefaultFile is the configuration file read when --config is not given and
// the file exists in the working directory.
const DefaultFile = "config.yaml"

// FileSuffix turns a secret key into the key of a file holding it:
// xero.password_file (BOT_XERO_PASSWORD_FILE) names a file whose content is
// the password, so the value never has to sit in the environment.
const FileSuffix = "_file"

// secretKeys are the keys whose values are secret.Secret; each also accepts
// <key>_file.
var secretKeys = []string{
	"xero.password",
	"xero.totp_secret",
	"freeagent.password",
	"codat.password",
	"codat.totp_secret",
	"notify.webhook_url",
}

// defaults holds the default of every key, the lowest layer of the
// precedence flag > environment > file > default.
var defaults = map[string]any{
	"browser.exec_path":       "",
	"browser.remote_url":      "",
	"browser.no_sandbox":      false,
	"browser.args":            []string{},
	"browser.timeout":         3 * time.Minute,
	"browser.step_timeout":    30 * time.Second,
	"browser.viewport.width":  1280,
	"browser.viewport.height": 800,
	"browser.viewport.scale":  1.0,
	"browser.session_dir":     "",
	"browser.no_session":      false,
	"xero.login_url":          "https://login.xero.com",
	"xero.developer_url":      "https://developer.xero.com",
	"xero.email":              "",
	"xero.password":           "",
	"xero.totp_secret":        "",
	"xero.ai_training":        false,
	"freeagent.url":           "https://dev.freeagent.com",
	"freeagent.email":         "",
	"freeagent.password":      "",
	"codat.url":               "https://app.codat.io",
	"codat.login_url":         "https://authentication.codat.io",
	"codat.email":             "",
	"codat.password":          "",
	"codat.totp_secret":       "",
	"codat.enable":            "now",
	"app.name":                "",
	"app.company_url":         "",
	"app.privacy_url":         "",
	"app.terms_url":           "",
	"app.description":         "",
	"app.redirect_uri":        "",
	"output.screenshots":      "failure",
	"output.screenshot_steps": []string{},
	"selectors_dir":           "",
	"check.baselines_dir":     "",
	"check.pixel_threshold":   0.1,
	"check.max_diff_ratio":    0.001,
	"check.update_baselines":  false,
	"check.strict":            false,
	"check.history_dir":       "",
	"shots_file":              "",
	"out":                     "out",
	"log.level":               "info",
	"log.format":              "console",
	"xero.password_file":      "",
	"xero.totp_secret_file":   "",
	"freeagent.password_file": "",
	"codat.password_file":     "",
	"codat.totp_secret_file":  "",
	"notify.webhook_url":      "",
	"notify.webhook_url_file": "",
}

// Keys returns every configuration key, sorted, including the <secret>_file
// keys; for documentation and tests.
func Keys() []string {
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Default returns the default value of key, nil for an unknown key.
func Default(key string) any { return defaults[key] }

// EnvVar is the environment variable that sets key: BOT_ + upper-cased key
// with dots as underscores.
func EnvVar(key string) string {
	return EnvPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// LoadOptions says where Load reads from besides the process environment
// (which viper reads itself, through os.LookupEnv).
type LoadOptions struct {
	// File is --config: "" reads ./config.yaml when it exists; a named file
	// that does not exist is an error.
	File string
	// Flags are the parsed command-line flags; nil for none.
	Flags *pflag.FlagSet
	// FlagKeys maps a config key to the name of the flag that sets it, e.g.
	// "codat.enable": "enable". A flag the user set wins over everything.
	FlagKeys map[string]string
}

// Load reads the configuration with the precedence flag > environment
// (BOT_...) > config file > default, resolves every <secret>_file, and
// decodes into a Config. It does not validate: call Validate. Every error is
// a *fail.Error of kind fail.Config.
func Load(opts LoadOptions) (*Config, error) {
	v := viper.New()
	for key, val := range defaults {
		v.SetDefault(key, val)
	}

	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	for key := range defaults {
		if err := v.BindEnv(key, EnvVar(key)); err != nil {
			return nil, configErr("bind %s to %s: %w", key, EnvVar(key), err)
		}
	}

	file, err := configFile(opts.File)
	if err != nil {
		return nil, err
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return nil, configErr("read config file %s: %w", file, err)
		}
		if err := checkKnownKeys(v, file); err != nil {
			return nil, err
		}
	}

	if err := bindFlags(v, opts.Flags, opts.FlagKeys); err != nil {
		return nil, err
	}

	if err := resolveSecretFiles(v); err != nil {
		return nil, err
	}

	settings := v.AllSettings()
	for _, key := range secretKeys {
		section, name, _ := strings.Cut(key, ".")
		if m, ok := settings[section].(map[string]any); ok {
			delete(m, name+FileSuffix)
		}
	}

	var cfg Config
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			stringToSecretHook,
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","), // BOT_OUTPUT_SCREENSHOT_STEPS=a,b
		),
		WeaklyTypedInput: true, // env values are strings: "false", "1280"
		ErrorUnused:      true,
		Result:           &cfg,
	})
	if err != nil {
		return nil, configErr("build config decoder: %w", err)
	}
	if err := dec.Decode(settings); err != nil {
		return nil, configErr("decode configuration: %w", err)
	}
	cfg.Output.ScreenshotSteps = cleanList(cfg.Output.ScreenshotSteps)
	cfg.Browser.Args = cleanList(cfg.Browser.Args)
	return &cfg, nil
}

// configFile returns the file to read: the named one (which must exist),
// else ./config.yaml when present, else "".
func configFile(named string) (string, error) {
	if named != "" {
		st, err := os.Stat(named)
		if err != nil {
			return "", configErr("config file %s: %w", named, err)
		}
		if st.IsDir() {
			return "", configErr("config file %s is a directory", named)
		}
		return named, nil
	}
	if _, err := os.Stat(DefaultFile); err == nil {
		return DefaultFile, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", configErr("config file %s: %w", DefaultFile, err)
	}
	return "", nil
}

// checkKnownKeys refuses a key in the file that the bot does not know, so a
// misspelt key is not silently ignored.
func checkKnownKeys(v *viper.Viper, file string) error {
	var unknown []string
	for _, key := range v.AllKeys() {
		if _, ok := defaults[key]; !ok {
			unknown = append(unknown, key)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return &fail.Error{
		Kind: fail.Config,
		Err:  fmt.Errorf("config file %s: unknown key(s) %s", file, strings.Join(unknown, ", ")),
		Hint: "check the spelling against config.yaml",
	}
}

// bindFlags makes each named flag the top layer for its key.
func bindFlags(v *viper.Viper, flags *pflag.FlagSet, keys map[string]string) error {
	if flags == nil {
		return nil
	}
	for key, name := range keys {
		if _, ok := defaults[key]; !ok {
			return configErr("flag --%s is bound to unknown key %s", name, key)
		}
		fl := flags.Lookup(name)
		if fl == nil {
			continue // the command does not have this flag
		}
		if err := v.BindPFlag(key, fl); err != nil {
			return configErr("bind flag --%s to %s: %w", name, key, err)
		}
	}
	return nil
}

// resolveSecretFiles replaces each secret whose <key>_file is set by the
// file's content minus one trailing newline. Setting both is an error.
func resolveSecretFiles(v *viper.Viper) error {
	var problems []string
	for _, key := range secretKeys {
		fileKey := key + FileSuffix
		path := v.GetString(fileKey)
		if path == "" {
			continue
		}
		if v.GetString(key) != "" {
			problems = append(problems, fmt.Sprintf(
				"both %s and %s are set: set only one of %s or %s",
				key, fileKey, EnvVar(key), EnvVar(fileKey)))
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			// The path is not secret; the content is never printed.
			problems = append(problems, fmt.Sprintf("%s: read %s: %v", fileKey, path, unwrapPathError(err)))
			continue
		}
		s := string(b)
		s = strings.TrimSuffix(s, "\n")
		s = strings.TrimSuffix(s, "\r")
		v.Set(key, s)
	}
	if len(problems) > 0 {
		return configErr("%s", strings.Join(problems, "\n"))
	}
	return nil
}

// unwrapPathError drops the path from an *fs.PathError, which the caller
// already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var secretType = reflect.TypeOf(secret.Secret{})

// stringToSecretHook decodes a string into a secret.Secret. A YAML number or
// boolean is refused rather than converted, which could lose leading zeros.
func stringToSecretHook(from, to reflect.Type, data any) (any, error) {
	if to != secretType || from == secretType {
		return data, nil
	}
	if from.Kind() != reflect.String {
		return nil, errors.New("a secret must be a string: quote it in the config file")
	}
	return secret.New(reflect.ValueOf(data).String()), nil
}

// configErr is a configuration error with a formatted message.
func configErr(format string, args ...any) error {
	return fail.New(fail.Config, format, args...)
}

// Validate checks the configuration for a run before any browser starts:
// portals are those the run signs in to (the provider first, Codat last;
// bot check all: every portal), known every portal the bot has (a redirect
// URI that is another provider's callback is refused). Both come from the
// flows' registry. It returns nil or ONE *fail.Error of kind fail.Config
// listing every problem, one per line, each naming the key and the
// environment variable to fix. No secret value is ever printed.
func (c *Config) Validate(portals, known []Portal) error {
	var p problems
	var names []string
	for _, pt := range portals {
		if pt.RedirectURI != "" { // a provider: the header names the run's
			names = append(names, pt.Name)
		}
		// The account, the portal's URLs, its own rules.
		p.required(pt.Email, c.Value(pt.Email))
		p.requiredSecret(pt.Password, c.SecretValue(pt.Password))
		for _, key := range pt.URLs {
			p.portalURL(key, c.Value(key))
		}
		if pt.Rules != nil {
			pt.Rules(c, &p)
		}
	}
	if len(portals) == 0 {
		p.add("no portal to check")
	}

	// The app the bot creates.
	p.required("app.name", c.App.Name)
	p.httpsIfSet("app.company_url", c.App.CompanyURL)
	p.httpsIfSet("app.privacy_url", c.App.PrivacyURL)
	p.httpsIfSet("app.terms_url", c.App.TermsURL)
	p.httpsIfSet("app.redirect_uri", c.App.RedirectURI)
	if len(portals) > 0 && portals[0].RedirectURI != "" {
		provider := portals[0]
		for _, other := range known {
			if other.Name != provider.Name && other.RedirectURI != "" && c.App.RedirectURI == other.RedirectURI {
				p.add("app.redirect_uri is Codat's callback for %s, not for %s: leave it empty to use %s (%s)",
					other.Name, provider.Name, provider.RedirectURI, EnvVar("app.redirect_uri"))
			}
		}
	}

	p.oneOf("codat.enable", c.Codat.Enable, "now", "later")
	p.oneOf("output.screenshots", c.Output.Screenshots, "steps", "failure", "off")
	p.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	p.oneOf("log.format", c.Log.Format, "console", "json")
	p.required("out", c.Out)
	p.webhookURL("notify.webhook_url", c.Notify.WebhookURL)

	p.fraction("check.pixel_threshold", c.Check.PixelThreshold)
	p.fraction("check.max_diff_ratio", c.Check.MaxDiffRatio)
	if c.Check.UpdateBaselines && c.Check.BaselinesDir == "" {
		p.add("check.update_baselines needs check.baselines_dir, where the baselines go: set %s (or --baselines DIR)", EnvVar("check.baselines_dir"))
	}

	// Browser.
	if c.Browser.StepTimeout <= 0 {
		p.add("browser.step_timeout must be greater than 0 (got %s): set %s, e.g. 30s",
			c.Browser.StepTimeout, EnvVar("browser.step_timeout"))
	} else if c.Browser.Timeout < c.Browser.StepTimeout {
		p.add("browser.timeout (%s) must be at least browser.step_timeout (%s): set %s, e.g. 3m",
			c.Browser.Timeout, c.Browser.StepTimeout, EnvVar("browser.timeout"))
	}
	for _, a := range c.Browser.Args {
		name, _, _ := strings.Cut(a, "=")
		switch {
		case !strings.HasPrefix(a, "--") || len(a) == 2:
			p.add("browser.args: %q is not a browser flag (--name or --name=value; a value with a comma goes in the YAML list, not in %s)", a, EnvVar("browser.args"))
		case name == "--user-data-dir" || strings.HasPrefix(name, "--remote-debugging"):
			p.add("browser.args: the bot sets %s itself (a temporary profile, its own connection): drop it; to keep sign-ins between runs use browser.session_dir", name)
		}
	}
	if c.Browser.Viewport.Width <= 0 {
		p.add("browser.viewport.width must be greater than 0: set %s", EnvVar("browser.viewport.width"))
	}
	if c.Browser.Viewport.Height <= 0 {
		p.add("browser.viewport.height must be greater than 0: set %s", EnvVar("browser.viewport.height"))
	}
	if c.Browser.Viewport.Scale <= 0 {
		p.add("browser.viewport.scale must be greater than 0: set %s", EnvVar("browser.viewport.scale"))
	}

	if len(p) == 0 {
		return nil
	}
	noun := "problems"
	if len(p) == 1 {
		noun = "problem"
	}
	return &fail.Error{
		Kind: fail.Config,
		Err: fmt.Errorf("configuration for %s has %d %s:\n  %s",
			strings.Join(names, " and "), len(p), noun, strings.Join(p, "\n  ")),
	}
}

// problems collects Validate's findings, one line each.
type problems []string

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p *problems) required(key, val string) {
	if strings.TrimSpace(val) == "" {
		p.add("%s is required: set %s", key, EnvVar(key))
	}
}

func (p *problems) requiredSecret(key string, val secret.Secret) {
	if val.Empty() {
		p.add("%s is required: set %s or %s", key, EnvVar(key), EnvVar(key+FileSuffix))
	}
}

func (p *problems) oneOf(key, val string, allowed ...string) {
	for _, a := range allowed {
		if val == a {
			return
		}
	}
	list := strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	p.add("%s must be %s (got %q): set %s", key, list, val, EnvVar(key))
}

// fraction requires a number from 0 to 1.
func (p *problems) fraction(key string, val float64) {
	if val < 0 || val > 1 || val != val {
		p.add("%s must be from 0 to 1 (got %g): set %s", key, val, EnvVar(key))
	}
}

// webhookURL requires an http(s) URL with a host when val is set. The value
// is a credential (a Slack webhook URL): the message never shows it.
func (p *problems) webhookURL(key string, val secret.Secret) {
	if val.Empty() {
		return
	}
	u, err := url.Parse(val.Reveal())
	ok := err == nil && u.Host != "" && !strings.ContainsFunc(val.Reveal(), unicode.IsSpace) &&
		(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname()))
	if !ok {
		p.add("%s must be an https:// URL without spaces, http:// only on a loopback host (its value is not shown): fix %s or %s",
			key, EnvVar(key), EnvVar(key+FileSuffix))
	}
}

// httpsIfSet requires an https:// URL with a host when val is not empty.
func (p *problems) httpsIfSet(key, val string) {
	if val == "" {
		return
	}
	u, err := url.Parse(val)
	switch {
	case err != nil || u.Scheme != "https" || u.Host == "":
		p.add("%s must start with https:// (got %s): fix %s", key, showURL(val), EnvVar(key))
	case strings.ContainsFunc(val, unicode.IsSpace):
		p.add("%s must not contain spaces (got %s): fix %s", key, showURL(val), EnvVar(key))
	}
}

// portalURL requires an https:// base URL, or http:// on a loopback host so
// that the local replicas work.
func (p *problems) portalURL(key, val string) {
	u, err := url.Parse(val)
	switch {
	case val == "":
		p.add("%s is required: set %s (default %s)", key, EnvVar(key), defaults[key])
	case err != nil || u.Host == "":
		p.add("%s must be an https:// URL (got %s): fix %s", key, showURL(val), EnvVar(key))
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		p.add("%s must be an https:// URL, http:// only on 127.0.0.1, ::1 or localhost (got %s): fix %s",
			key, showURL(val), EnvVar(key))
	}
}

// showURL quotes a URL for a message with any user:password part redacted.
func showURL(val string) string {
	u, err := url.Parse(val)
	if err != nil {
		return "an unparsable URL"
	}
	return strconv.Quote(u.Redacted())
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cleanList trims each item and drops the empty ones; nil when none is left.
func cleanList(items []string) []string {
	var out []string
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}
