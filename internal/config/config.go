// Package config is the bot's typed configuration. Viper lives here only:
// flags > environment (BOT_...) > config file > defaults.
package config

import (
	"path/filepath"
	"time"

	"portalbot/internal/secret"
)

// Config is everything the bot reads from outside. Keys (mapstructure tags)
// are the ones documented in config.yaml and the README.
type Config struct {
	Browser      Browser   `mapstructure:"browser"`
	Xero         Xero      `mapstructure:"xero"`
	FreeAgent    FreeAgent `mapstructure:"freeagent"`
	Codat        Codat     `mapstructure:"codat"`
	App          App       `mapstructure:"app"`
	Output       Output    `mapstructure:"output"`
	Notify       Notify    `mapstructure:"notify"`
	Check        Check     `mapstructure:"check"`
	SelectorsDir string    `mapstructure:"selectors_dir"`
	// ShotsFile is a shot list replacing the built-in one of bot shots
	// (internal/shots/default.yaml); empty: the built-in list.
	ShotsFile string `mapstructure:"shots_file"`
	Out       string `mapstructure:"out"`
	Log       Log    `mapstructure:"log"`
}

// Browser says which browser to use and how long to wait for it.
type Browser struct {
	ExecPath  string `mapstructure:"exec_path"`
	RemoteURL string `mapstructure:"remote_url"`
	// NoSandbox launches the browser without Chromium's sandbox, for a
	// container that is the sandbox itself (non-root, no capabilities), where
	// Chromium cannot create the namespaces its sandbox needs.
	NoSandbox bool `mapstructure:"no_sandbox"`
	// Args are more command-line flags for a browser the bot launches
	// (--name or --name=value), e.g. --disable-dev-shm-usage in a container
	// with a small /dev/shm. A browser it attaches to keeps its own.
	Args        []string      `mapstructure:"args"`
	Timeout     time.Duration `mapstructure:"timeout"`      // the whole run
	StepTimeout time.Duration `mapstructure:"step_timeout"` // one step
	Viewport    Viewport      `mapstructure:"viewport"`
	// SessionDir holds one signed-in state file per portal account
	// (cookies and local storage); empty: <out>/sessions.
	SessionDir string `mapstructure:"session_dir"`
	// NoSession runs with a fresh browser state: no session file read or
	// written (--no-session).
	NoSession bool `mapstructure:"no_session"`
	// StartURL is the page the first tab of a browser the bot launches
	// opens as the browser starts (browser.LaunchedOn): set by the run
	// (flows.FirstPage), never read from the file or the environment.
	StartURL string `mapstructure:"-"`
}

// Viewport is the page size, also the size of every screenshot.
type Viewport struct {
	Width  int     `mapstructure:"width"`
	Height int     `mapstructure:"height"`
	Scale  float64 `mapstructure:"scale"`
}

// Xero is the Xero identity host, developer portal and account.
type Xero struct {
	LoginURL     string        `mapstructure:"login_url"`
	DeveloperURL string        `mapstructure:"developer_url"`
	Email        string        `mapstructure:"email"`
	Password     secret.Secret `mapstructure:"password"`
	TOTPSecret   secret.Secret `mapstructure:"totp_secret"`
	AITraining   bool          `mapstructure:"ai_training"`
}

// FreeAgent is the FreeAgent developer dashboard and account.
type FreeAgent struct {
	URL      string        `mapstructure:"url"`
	Email    string        `mapstructure:"email"`
	Password secret.Secret `mapstructure:"password"`
}

// Codat is the Codat portal, its sign-in host and account.
type Codat struct {
	URL        string        `mapstructure:"url"`
	LoginURL   string        `mapstructure:"login_url"`
	Email      string        `mapstructure:"email"`
	Password   secret.Secret `mapstructure:"password"`
	TOTPSecret secret.Secret `mapstructure:"totp_secret"`
	Enable     string        `mapstructure:"enable"` // "now" or "later"
}

// App is the OAuth app the bot creates in the provider's portal.
type App struct {
	Name        string `mapstructure:"name"`
	CompanyURL  string `mapstructure:"company_url"`
	PrivacyURL  string `mapstructure:"privacy_url"`
	TermsURL    string `mapstructure:"terms_url"`
	Description string `mapstructure:"description"`
	RedirectURI string `mapstructure:"redirect_uri"` // empty: Codat's URI for the provider
}

// Output says what the run leaves behind.
type Output struct {
	Screenshots string `mapstructure:"screenshots"` // steps | failure | off
	// ScreenshotSteps limits step screenshots to these step names (bot
	// steps <provider> lists them); empty: every step.
	ScreenshotSteps []string `mapstructure:"screenshot_steps"`
}

// Notify says where a failed run, or one that found drift, is reported.
type Notify struct {
	// WebhookURL receives one JSON message (Slack-compatible: "text" plus
	// structured fields). Secret: a Slack webhook URL is a credential.
	WebhookURL secret.Secret `mapstructure:"webhook_url"`
}

// Check is what bot check leaves besides its summary: the reports under
// <out>/check/ and the visual comparison of each page with its baseline.
type Check struct {
	// BaselinesDir holds the baseline picture of each page,
	// <dir>/<portal>/<page>.png; empty: no visual comparison.
	BaselinesDir string `mapstructure:"baselines_dir"`
	// PixelThreshold is how far apart two colours must be (pixelmatch's
	// YIQ distance, 0 to 1) for a pixel to count as different.
	PixelThreshold float64 `mapstructure:"pixel_threshold"`
	// MaxDiffRatio is the share of a page's pixels (0 to 1) that may differ
	// before the page is a visual difference.
	MaxDiffRatio float64 `mapstructure:"max_diff_ratio"`
	// UpdateBaselines writes each page's picture as its new baseline
	// (--update-baselines) instead of comparing.
	UpdateBaselines bool `mapstructure:"update_baselines"`
	// Strict makes drift a failure in junit.xml too (--strict).
	Strict bool `mapstructure:"strict"`
	// HistoryDir keeps a copy of each check's report.json (--history), so
	// the HTML report says since when an element drifts or is missing.
	HistoryDir string `mapstructure:"history_dir"`
}

// Log is the logger's level and format.
type Log struct {
	Level  string `mapstructure:"level"`
	Format string `mapstructure:"format"` // console | json
}

// Secrets returns every secret value of the configuration, set or not, so
// that whatever the bot writes can be scrubbed of them.
func (c *Config) Secrets() []secret.Secret {
	return []secret.Secret{c.Xero.Password, c.Xero.TOTPSecret, c.FreeAgent.Password,
		c.Codat.Password, c.Codat.TOTPSecret, c.Notify.WebhookURL}
}

// Sessions is the directory of the session files: browser.session_dir, or
// <out>/sessions.
func (c *Config) Sessions() string {
	if c.Browser.SessionDir != "" {
		return c.Browser.SessionDir
	}
	out := c.Out
	if out == "" {
		out = "out"
	}
	return filepath.Join(out, "sessions")
}
