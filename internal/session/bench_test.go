package session_test

import (
	"testing"
	"time"

	"portalbot/internal/browsertest"
	"portalbot/internal/session"
)

// BenchmarkCapture is one capture of two origins' state (cookies, the
// local storage of the page shown), as a run does after signing in.
func BenchmarkCapture(b *testing.B) {
	x, y := newSite(b, "x"), newSite(b, "y")
	tab := browsertest.Tab(b)
	for _, u := range []string{y.URL, x.URL} {
		if err := navigateErr(tab, u+"/"); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := session.Capture(tab, []string{x.URL, y.URL}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRestore is one restore of that state into a fresh browser
// context, as a run does before its first page: with local storage, so
// through the helper tab.
func BenchmarkRestore(b *testing.B) {
	x, y := newSite(b, "x"), newSite(b, "y")
	tab := browsertest.Tab(b)
	for _, u := range []string{x.URL, y.URL} {
		if err := navigateErr(tab, u+"/"); err != nil {
			b.Fatal(err)
		}
	}
	st, err := session.Capture(tab, []string{x.URL, y.URL}, nil)
	if err != nil {
		b.Fatal(err)
	}
	fresh := browsertest.Tab(b)
	for b.Loop() {
		if err := session.Restore(fresh, st, []string{x.URL, y.URL}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
