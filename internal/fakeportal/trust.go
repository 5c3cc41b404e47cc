package fakeportal

import "net/http"

// Sessions that last: what a browser that signed in once keeps, and what
// the records show of each sign-in.
//
//   - "Trust this device" (Xero's two-step page) sets xid_trusted, a
//     30-day cookie: the next sign-in with the password skips the code.
//   - The captcha fault lets through a browser that passed it once (its
//     captcha_ok_<portal> cookie) or that has a signed-in session of the
//     portal: a person solves it once, the runs reuse the session.
//   - ExpireSessions (fakeportal.go) ends every session at once, trusted
//     devices and passed captchas stay: the refresh path of a saved session.
//   - PasswordPosts and CodePosts in the records count the forms a sign-in
//     posted, so a test asserts that a reused session posted none.

// Kinds of sign-in posts counted in the records.
const (
	postPassword = "password"
	postCode     = "code"
)

// countPost records that a sign-in form of kind (postPassword, postCode)
// was posted to portal, whatever the outcome.
func (p *Portals) countPost(portal, kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch kind {
	case postPassword:
		p.st.passwordPosts[portal]++
	case postCode:
		p.st.codePosts[portal]++
	}
}

// passedCaptcha says the request comes from a browser that solved the
// portal's captcha before, or that is signed in to one of its hosts.
func (p *Portals) passedCaptcha(r *http.Request, portal string) bool {
	if c, err := r.Cookie(captchaCookie(portal)); err == nil && c.Value == "1" {
		return true
	}
	for _, s := range p.servers {
		if s.portal == portal && p.signedIn(s, r) {
			return true
		}
	}
	return false
}
