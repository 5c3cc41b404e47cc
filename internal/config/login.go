package config

import (
	"fmt"
	"strings"

	"portalbot/internal/fail"
)

// ValidateLogin checks the configuration for `bot login` of portal (from
// the flows' registry): the account's email (it names the session file)
// and the portal's URLs. A password is not required: the person can type
// it. Like Validate, it returns one *fail.Error of kind fail.Config listing
// every problem.
func (c *Config) ValidateLogin(pt Portal) error {
	var p problems
	portal := pt.Name
	p.required(pt.Email, c.Value(pt.Email))
	for _, key := range pt.URLs {
		p.portalURL(key, c.Value(key))
	}
	p.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	p.oneOf("log.format", c.Log.Format, "console", "json")
	p.required("out", c.Out)
	if c.Browser.StepTimeout <= 0 {
		p.add("browser.step_timeout must be greater than 0 (got %s): set %s, e.g. 30s",
			c.Browser.StepTimeout, EnvVar("browser.step_timeout"))
	}
	if c.Browser.NoSession {
		p.add("browser.no_session is set, but bot login exists to save a session: unset %s", EnvVar("browser.no_session"))
	}
	if len(p) == 0 {
		return nil
	}
	return &fail.Error{Kind: fail.Config,
		Err: fmt.Errorf("configuration for bot login %s:\n  %s", portal, strings.Join(p, "\n  "))}
}
