package config

import (
	"reflect"
	"strings"

	"portalbot/internal/secret"
)

// Portal is what the configuration must hold for one portal. The flows'
// registry (flows/providers.go) gives one per portal, so validation knows
// no portal by name.
type Portal struct {
	Name     string   // "xero"
	Email    string   // the key of the account's email, "xero.email"
	Password string   // the key of its password
	URLs     []string // the keys of its URLs, each a portal URL
	// RedirectURI is a provider's: Codat's OAuth callback for it, used
	// unless app.redirect_uri is set. Empty for Codat.
	RedirectURI string
	// Rules adds the portal's own rules (the app settings a provider
	// requires) to a run's validation; nil when it has none.
	Rules func(c *Config, p Problems)
}

// Problems is what a Portal's Rules report to: one line per problem.
type Problems interface {
	Add(format string, args ...any)
	Required(key, val string)
}

// Add records a problem.
func (p *problems) Add(format string, args ...any) { p.add(format, args...) }

// Required records key as missing when val is empty.
func (p *problems) Required(key, val string) { p.required(key, val) }

// field is the field of c whose mapstructure key is key ("xero.email").
func (c *Config) field(key string) (reflect.Value, bool) {
	v := reflect.ValueOf(c).Elem()
next:
	for _, part := range strings.Split(key, ".") {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		t := v.Type()
		for i := range t.NumField() {
			if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("mapstructure"), ","); tag == part {
				v = v.Field(i)
				continue next
			}
		}
		return reflect.Value{}, false
	}
	return v, true
}

// Value is the string setting key ("xero.email"); "" when key names no
// string.
func (c *Config) Value(key string) string {
	if v, ok := c.field(key); ok && v.Kind() == reflect.String {
		return v.String()
	}
	return ""
}

// SecretValue is the secret setting key ("xero.password").
func (c *Config) SecretValue(key string) secret.Secret {
	if v, ok := c.field(key); ok && v.Type() == secretType {
		return v.Interface().(secret.Secret)
	}
	return secret.Secret{}
}
