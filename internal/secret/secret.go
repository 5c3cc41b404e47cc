// Package secret holds a value that must never reach a log line, an error
// string, a screenshot or a report: every way of printing it says [redacted].
package secret

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"go.uber.org/zap/zapcore"
)

// Redacted is what every printed form of a Secret shows.
const Redacted = "[redacted]"

// Secret is a password, a TOTP seed, a client secret. The zero value is empty.
type Secret struct{ v string }

// New wraps s.
func New(s string) Secret { return Secret{v: s} }

// Reveal returns the value, for the one place that must type or store it.
func (s Secret) Reveal() string { return s.v }

// Empty reports whether no value is set.
func (s Secret) Empty() bool { return s.v == "" }

// Fingerprint is a short, non-reversible identifier of the value (the first
// 12 hex digits of its SHA-256), to tell two secrets apart in a report.
func (s Secret) Fingerprint() string {
	if s.v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s.v))
	return hex.EncodeToString(sum[:])[:12]
}

func (s Secret) String() string   { return Redacted }
func (s Secret) GoString() string { return Redacted }

// Format covers every verb (%v, %+v, %#v, %s, %q, %x ...).
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalText and MarshalJSON keep it out of encoded reports.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalJSON writes "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalLogObject makes zap.Any / zap.Object print it redacted.
func (s Secret) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	enc.AddString("value", Redacted)
	return nil
}
