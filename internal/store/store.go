// Package store writes what a run must not lose: files written atomically
// (a reader never sees half a file) and readable by the owner only.
package store

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"

	"portalbot/internal/secret"
)

// WriteSecret stores a secret value in path with mode 0600, atomically, and
// returns its fingerprint. The directory is created 0700 when missing.
func WriteSecret(path string, s secret.Secret) (string, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("store secret: %w", err)
	}
	if err := renameio.WriteFile(path, []byte(s.Reveal()+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("store secret: %w", err)
	}
	return s.Fingerprint(), nil
}

// ReadSecret reads a secret that WriteSecret stored.
func ReadSecret(path string) (secret.Secret, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return secret.Secret{}, err
	}
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	return secret.New(string(b)), nil
}

// WriteFile writes data to path atomically with the given mode.
func WriteFile(path string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return renameio.WriteFile(path, data, mode)
}
