package flows

import (
	"testing"

	"portalbot/internal/fail"
)

// Keys read from a page are trimmed; one with a space inside stops the run
// with exit 4 before anything is typed into Codat.
func TestCheckKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw, want string
		exit      int
	}{
		{"ABC123", "ABC123", 0},
		{"  ABC123\n", "ABC123", 0},
		{"ABC 123", "", 4},
		{"ABC\t123", "", 4},
		{"   ", "", 4},
	}
	for _, tt := range tests {
		got, err := checkKey("client id", tt.raw)
		if got != tt.want || fail.ExitCode(err) != tt.exit {
			t.Errorf("checkKey(%q) = %q, exit %d; want %q, exit %d", tt.raw, got, fail.ExitCode(err), tt.want, tt.exit)
		}
	}
}
