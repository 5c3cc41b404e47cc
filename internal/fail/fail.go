// Package fail holds the typed outcomes a caller acts on, and maps them to the
// exit codes documented in the README, in one place.
package fail

import (
	"errors"
	"fmt"
)

// Kind is an outcome the scheduler (cron, CI, Kubernetes) can act on.
type Kind int

// The kinds, in the order of their exit codes.
const (
	Other       Kind = iota // 1: anything else
	Config                  // 2: bad configuration or usage
	SignIn                  // 3: sign-in refused (credentials, two-step without TOTP, captcha)
	Mismatch                // 4: a page did not match what the bot expects (portal UI changed)
	Unavailable             // 5: portal unavailable or timed out
	Unsafe                  // 6: refused for safety (foreign origin, lock held, ...)
	Drifted                 // 7: a check found only rewordings it could follow: the bot works, update the selectors
	VisualDiff              // 8: a check found every element, but a page's picture differs from its baseline (layout moved)
)

var exitCodes = map[Kind]int{Other: 1, Config: 2, SignIn: 3, Mismatch: 4, Unavailable: 5, Unsafe: 6, Drifted: 7, VisualDiff: 8}

var names = map[Kind]string{
	Other: "error", Config: "configuration", SignIn: "sign-in refused",
	Mismatch: "page mismatch", Unavailable: "unavailable", Unsafe: "refused for safety", Drifted: "drift",
	VisualDiff: "visual difference",
}

func (k Kind) String() string { return names[k] }

// Error is an outcome of a given Kind with the context a person needs to act:
// which portal, which page, which element. It never carries a secret value.
type Error struct {
	Kind    Kind
	Portal  string // "xero", "codat", "freeagent"
	Page    string // page name from the selectors data, e.g. "xero.configuration"
	Element string // element name, e.g. "xero.configuration.generate_secret"
	Hint    string // what the user can do about it
	Err     error
}

func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error of kind k with the formatted message.
func New(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Err: fmt.Errorf(format, args...)}
}

// Wrap returns err as an Error of kind k, unless it already carries a kind.
func Wrap(k Kind, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Kind: k, Err: err}
}

// KindOf returns the kind of the first Error in err's chain, or Other.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// ExitCode maps an error to the process exit code: 0 for nil.
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	return exitCodes[KindOf(err)]
}
