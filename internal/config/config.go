// Package config is the bot's typed configuration. Viper lives here only:
// flags > environment (BOT_...) > config file > defaults.
package config

import (
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
	SelectorsDir string    `mapstructure:"selectors_dir"`
	// ShotsFile is a shot list replacing the built-in one of bot shots
	// (internal/shots/default.yaml); empty: the built-in list.
	ShotsFile string `mapstructure:"shots_file"`
	Out       string `mapstructure:"out"`
	Log       Log    `mapstructure:"log"`
}

// Browser says which browser to use and how long to wait for it.
type Browser struct {
	ExecPath    string        `mapstructure:"exec_path"`
	RemoteURL   string        `mapstructure:"remote_url"`
	Timeout     time.Duration `mapstructure:"timeout"`      // the whole run
	StepTimeout time.Duration `mapstructure:"step_timeout"` // one step
	Viewport    Viewport      `mapstructure:"viewport"`
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

// Log is the logger's level and format.
type Log struct {
	Level  string `mapstructure:"level"`
	Format string `mapstructure:"format"` // console | json
}

// Codat's redirect URIs, from the seed guides.
const (
	XeroRedirectURI      = "https://xero.codat.io/oauth2/callback"
	FreeAgentRedirectURI = "https://freeagent.codat.io/oauth/callback"
)

// RedirectURIFor returns app.redirect_uri, or Codat's URI for provider.
func (c *Config) RedirectURIFor(provider string) string {
	if c.App.RedirectURI != "" {
		return c.App.RedirectURI
	}
	if provider == "freeagent" {
		return FreeAgentRedirectURI
	}
	return XeroRedirectURI
}
