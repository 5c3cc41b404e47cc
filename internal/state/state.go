// Package state is what a run has done in the portals, kept after every step
// so that a rerun (after a crash, a kill or a timeout) continues instead of
// repeating: a second app, or a second secret generated while the first one
// is lost, is a manual clean-up in two portals. A lock keeps two runs for the
// same app apart.
package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"portalbot/internal/fail"
	"portalbot/internal/store"
)

// State is one provider app's progress. It holds no secret value: the secret
// lives in its own 0600 file, named here with its fingerprint.
type State struct {
	Provider string `json:"provider"`
	App      string `json:"app"`
	AppID    string `json:"app_id,omitempty"`
	AppURL   string `json:"app_url,omitempty"`
	ClientID string `json:"client_id,omitempty"`
	// SecretFile and SecretFingerprint: the secret in hand.
	SecretFile        string `json:"secret_file,omitempty"`
	SecretFingerprint string `json:"secret_fingerprint,omitempty"`
	SecretSlot        int    `json:"secret_slot,omitempty"` // Xero: "Client secret N"
	// SecretStoredAt is when the secret in hand was read from the portal and
	// stored: its age, for bot rotate --max-age.
	SecretStoredAt time.Time `json:"secret_stored_at,omitzero"`
	// RotationStarted is when a bot rotate began that has not finished (its
	// older secret is not removed yet); zero when none is under way.
	RotationStarted time.Time `json:"rotation_started,omitzero"`
	// CodatSlot is the Xero slot of the secret Codat holds while it is not
	// the one in hand (during a rotation); when Codat holds the secret in
	// hand, that is SecretSlot.
	CodatSlot int `json:"codat_slot,omitempty"`
	// CodatFingerprint is the fingerprint of the secret Codat holds.
	CodatFingerprint string    `json:"codat_fingerprint,omitempty"`
	CodatClientID    string    `json:"codat_client_id,omitempty"`
	Enabled          bool      `json:"enabled"`
	UpdatedAt        time.Time `json:"updated_at"` // when the state last changed

	path string
	// saved is the state as last written or read, UpdatedAt aside: Save
	// skips a write that would change nothing else. Each write is an fsync
	// (about 4 ms here, on the step's path), and most steps (a field
	// typed, a tab opened) change nothing in the state.
	saved []byte
}

// content is the state as JSON without UpdatedAt: what Save compares.
func (s *State) content() []byte {
	c := *s
	c.UpdatedAt, c.saved = time.Time{}, nil
	b, _ := json.Marshal(&c)
	return b
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9._-]+`)

// Slug is the file-name form of an app name.
func Slug(app string) string {
	return strings.Trim(unsafeChars.ReplaceAllString(strings.ToLower(app), "-"), "-")
}

// Path is the state file of provider's app under out.
func Path(out, provider, app string) string {
	return filepath.Join(out, "state", provider+"-"+Slug(app)+".json")
}

// Load reads the state at Path(out, provider, app); a missing file is a new
// state.
func Load(out, provider, app string) (*State, error) {
	p := Path(out, provider, app)
	s := &State{Provider: provider, App: app, path: p}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if err := json.Unmarshal(b, s); err != nil {
		return nil, fail.New(fail.Config, "state file %s is damaged (%v): move it away to start afresh", p, err)
	}
	s.path = p
	s.saved = s.content()
	return s, nil
}

// Save writes the state atomically, mode 0600.
func (s *State) Save(now time.Time) error {
	content := s.content()
	if s.saved != nil && bytes.Equal(content, s.saved) {
		return nil // on disk already
	}
	s.UpdatedAt = now.UTC()
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	if err := store.WriteFile(s.path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	s.saved = content
	return nil
}

// File is where the state is kept.
func (s *State) File() string { return s.path }

// Lock is held by the one run working on a provider's app.
type Lock struct{ f *flock.Flock }

// Acquire takes the lock of provider's app, or says which process holds it
// (exit 6: running twice at once could create two apps).
func Acquire(out, provider, app string) (*Lock, error) {
	p := strings.TrimSuffix(Path(out, provider, app), ".json") + ".lock"
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	f := flock.New(p)
	ok, err := f.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if !ok {
		holder := "another process"
		if b, err := os.ReadFile(p); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				holder = fmt.Sprintf("process %d", pid)
			}
		}
		return nil, &fail.Error{Kind: fail.Unsafe,
			Hint: "wait for it to finish; if no such process runs, the lock is free and this is a bug",
			Err:  fmt.Errorf("%s is already running %s for app %q (lock %s)", holder, provider, app, p)}
	}
	// The pid is information for the message above; the lock is the flock.
	_ = os.WriteFile(p, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return &Lock{f: f}, nil
}

// Release frees the lock.
func (l *Lock) Release() error { return l.f.Unlock() }
