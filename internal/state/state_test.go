package state_test

import (
	"os"
	"testing"
	"time"

	"portalbot/internal/state"
)

// Save writes a new state at once, and then only what changes, in the run
// that saved it as in the next one (which loads it): each write is an fsync
// on a step's path, and most steps change nothing here.
func TestSaveWritesOnlyChanges(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		change    func(*state.State)
		wantWrite bool
	}{
		{"nothing changed", func(*state.State) {}, false},
		{"only the time", func(s *state.State) { s.UpdatedAt = t0.Add(time.Hour) }, false},
		{"the app found", func(s *state.State) { s.AppID = "app-2" }, true},
		{"the switch turned on", func(s *state.State) { s.Enabled = true }, true},
	}
	for _, tt := range tests {
		for _, nextRun := range []bool{false, true} {
			name := tt.name + "/same_run"
			if nextRun {
				name = tt.name + "/next_run"
			}
			t.Run(name, func(t *testing.T) {
				out := t.TempDir()
				s, err := state.Load(out, "xero", "Acme Books")
				if err != nil {
					t.Fatal(err)
				}
				s.AppID = "app-1"
				if err := s.Save(t0); err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(s.File()); err != nil {
					t.Fatalf("a new state's first save wrote nothing: %v", err)
				}
				if nextRun {
					if s, err = state.Load(out, "xero", "Acme Books"); err != nil {
						t.Fatal(err)
					}
				}
				tt.change(s)
				if err := s.Save(t0.Add(time.Minute)); err != nil {
					t.Fatal(err)
				}
				got, err := state.Load(out, "xero", "Acme Books")
				if err != nil {
					t.Fatal(err)
				}
				if wrote := got.UpdatedAt.Equal(t0.Add(time.Minute)); wrote != tt.wantWrite {
					t.Errorf("the second save wrote: %v (updated_at %v), want %v", wrote, got.UpdatedAt, tt.wantWrite)
				}
				if got.AppID != s.AppID || got.Enabled != s.Enabled {
					t.Errorf("the file holds app %q, enabled %v; want %q, %v", got.AppID, got.Enabled, s.AppID, s.Enabled)
				}
			})
		}
	}
}
