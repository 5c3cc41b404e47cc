package fakeportal

import (
	"regexp"
	"testing"
)

// TestDeterministicValues: two replicas started deterministic give the same
// ids, secrets and dates in the same order; random ones do not.
func TestDeterministicValues(t *testing.T) {
	values := func(p *Portals) []string {
		a := p.AddXeroApp("Acme")
		f := p.AddFreeAgentApp("Acme")
		return []string{a.ID, a.ClientID, p.xeroSecret(), f.Identifier, f.Secret, p.now().String()}
	}
	one := values(StartT(t, Options{Deterministic: true}))
	two := values(StartT(t, Options{Deterministic: true}))
	for i := range one {
		if one[i] != two[i] {
			t.Errorf("value %d: %q then %q, want the same", i, one[i], two[i])
		}
	}
	if !regexp.MustCompile(`^[0-9A-F]{32}$`).MatchString(one[1]) || len(one[2]) != 48 || len(one[3]) != 22 {
		t.Errorf("values %q do not have the portals' shapes", one)
	}
	if one[3] == one[4] {
		t.Errorf("the identifier and the secret are the same")
	}
	r1, r2 := values(StartT(t, Options{})), values(StartT(t, Options{}))
	if r1[1] == r2[1] || r1[2] == r2[2] {
		t.Errorf("random replicas gave the same client id or secret twice")
	}
}
