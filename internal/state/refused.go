package state

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"time"

	"portalbot/internal/store"
)

// Refused remembers that a portal refused an account's password, so that
// the next scheduled run does not try the same password again: Xero locks an
// account after six refused sign-ins, and a daily cron job would get there
// in a week. Only a salted hash of the email and password is kept.
type Refused struct {
	Portal string    `json:"portal"`
	Salt   string    `json:"salt"`
	Hash   string    `json:"hash"`
	At     time.Time `json:"at"`
}

// RefusedPath is where the refusal of portal's sign-in is kept.
func RefusedPath(out, portal string) string {
	return filepath.Join(out, "state", portal+"-sign-in-refused.json")
}

func hash(salt, email, password string) string {
	h := sha256.New()
	h.Write([]byte(salt + "\x00" + email + "\x00" + password))
	return hex.EncodeToString(h.Sum(nil))
}

// WasRefused reports when this email and password were refused by portal,
// or the zero time.
func WasRefused(out, portal, email, password string) (time.Time, error) {
	b, err := os.ReadFile(RefusedPath(out, portal))
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	var r Refused
	if err := json.Unmarshal(b, &r); err != nil {
		return time.Time{}, nil // a damaged record does not block a sign-in
	}
	if r.Hash != hash(r.Salt, email, password) {
		return time.Time{}, nil
	}
	return r.At, nil
}

// RecordRefused keeps the refusal of this email and password (0600).
func RecordRefused(out, portal, email, password string, now time.Time) error {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return err
	}
	r := Refused{Portal: portal, Salt: hex.EncodeToString(salt), At: now.UTC()}
	r.Hash = hash(r.Salt, email, password)
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(RefusedPath(out, portal)), 0o700); err != nil {
		return err
	}
	return store.WriteFile(RefusedPath(out, portal), append(b, '\n'), 0o600)
}

// ClearRefused forgets a refusal once a sign-in succeeds.
func ClearRefused(out, portal string) {
	_ = os.Remove(RefusedPath(out, portal))
}
