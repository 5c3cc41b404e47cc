package flows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"portalbot/flows"
	"portalbot/internal/config"
	"portalbot/selectors"
)

// TestFlowsNameOnlyKnownElements reads the flows' source for the element
// and page names they ask for and checks each against the selectors data,
// with no browser: a misspelt name fails here, never in a run.
func TestFlowsNameOnlyKnownElements(t *testing.T) {
	t.Parallel()
	set, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`"((?:xero|codat|freeagent)\.[a-z0-9_]+(?:\.[a-z0-9_]+)?)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range name.FindAllStringSubmatch(string(src), -1) {
			n := m[1]
			if set.Elements[n] != nil || set.Pages[n] != nil || isStep(n) || slices.Contains(config.Keys(), n) {
				seen++
				continue
			}
			t.Errorf("%s names %q, which is no element or page of the selectors data (nor a step or a configuration key)", f, n)
		}
	}
	if seen < 40 {
		t.Errorf("found only %d names in the flows; is the pattern still right?", seen)
	}
}

// isStep says n is a step name ("xero.sign_in"), not an element.
func isStep(n string) bool {
	for _, p := range []string{"xero", "freeagent"} {
		if steps, err := stepNames(p); err == nil && steps[n] {
			return true
		}
	}
	return false
}

func stepNames(provider string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, mode := range []flows.Mode{flows.ModeRun, flows.ModeCheck, flows.ModeRotate} {
		steps, err := flows.StepsFor(provider, mode)
		if err != nil {
			return nil, err
		}
		for _, s := range steps {
			out[s.Name] = true
		}
	}
	return out, nil
}
