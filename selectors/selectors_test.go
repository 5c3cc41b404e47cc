package selectors_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portalbot/selectors"
)

func TestEmbeddedDataLoads(t *testing.T) {
	s, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"xero.new_app.redirect_uri", "codat.settings.client_secret", "freeagent.app.regenerate"} {
		if s.Elements[name] == nil {
			t.Errorf("no element %s", name)
		}
	}
	if !s.Element("codat.enable_dialog.enable").Exact {
		t.Error("Enable in Codat's dialog must be exact: Enable and Later must never be swapped")
	}
	if n := len(s.Element("xero.new_app.create").Within); n != 2 {
		t.Errorf("the new-app dialog has %d titles, want 2 (2023 and 2025-26 wording)", n)
	}
}

// TestOverridesAreCheckedBeforeAnythingStarts: an override replaces a whole
// file, so one that lacks an element, names one that does not exist, or has
// a bad locator is refused at load time, naming it.
func TestOverridesAreCheckedBeforeAnythingStarts(t *testing.T) {
	base, err := os.ReadFile("codat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, text string
		want             []string // in the error; none: loads
	}{
		{"a copy", "codat.yaml", string(base), nil},
		{"an element missing", "codat.yaml", strings.Replace(string(base), "      save:\n        mark: C\n        locators:\n          - {role: button, name: \"Save\"}\n", "", 1),
			[]string{"lacks codat.settings.save"}},
		{"an element that does not exist", "codat.yaml", strings.Replace(string(base), "      save:\n", "      sav:\n        locators: [{role: button, name: Save}]\n      save:\n", 1),
			[]string{"codat.settings.sav"}},
		{"a bad locator", "codat.yaml", strings.Replace(string(base), `{role: button, name: "Save"}`, `{role: button, name: "Save", label: "Save"}`, 1),
			[]string{"codat.settings.save", "exactly one of"}},
		{"a misspelt key", "codat.yaml", strings.Replace(string(base), "exact: true", "exactly: true", 1), []string{"exactly"}},
		{"a near reference to nothing", "codat.yaml", strings.Replace(string(base), `near: "{integration}"}`, `near: "@nothing"}`, 1), []string{"@nothing"}},
		{"a file that overrides nothing", "quickbooks.yaml", "portal: quickbooks\npages: {}\n", []string{"no built-in file quickbooks.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := selectors.Load(dir)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Load = %v, want it to load", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Load accepted it, want an error naming %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load = %v, want it to name %q", err, w)
				}
			}
		})
	}
}

func TestAnUnknownNameIsNoPanic(t *testing.T) {
	s, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if el := s.Element("xero.nowhere.thing"); el == nil || len(el.Locators) != 0 || el.Page != "xero.nowhere" {
		t.Errorf("Element(unknown) = %+v, want an element with no locator", el)
	}
}
