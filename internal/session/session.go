// Package session keeps a portal account's signed-in browser state between
// runs: the cookies and local storage of the portal's origins, in the
// portable JSON form of Playwright's storageState, so that a person signs
// in once (captcha, emailed code, push approval) and scheduled runs reuse
// and refresh it. The file holds no password and no TOTP seed, but its
// cookies are as good as a password while they last: it is written 0600,
// atomically, and its values are never printed.
package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/renameio/v2"

	"portalbot/internal/state"
)

// State is a browser's signed-in state for some origins, field for field
// Playwright's storageState, so a file made by either tool loads in the
// other.
type State struct {
	Cookies []Cookie `json:"cookies"`
	Origins []Origin `json:"origins"`
}

// Cookie is one cookie as Playwright writes it.
type Cookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain"` // a leading dot: a domain cookie; none: host-only
	Path   string `json:"path"`
	// Expires is in seconds since the Unix epoch; -1 for a session cookie
	// (kept too: portals sign in with session cookies).
	Expires  float64 `json:"expires"`
	HTTPOnly bool    `json:"httpOnly"`
	Secure   bool    `json:"secure"`
	SameSite string  `json:"sameSite"` // Strict | Lax | None
}

// Origin is the local storage of one origin ("https://app.codat.io").
type Origin struct {
	Origin       string `json:"origin"`
	LocalStorage []Item `json:"localStorage"`
}

// Item is one local storage entry.
type Item struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Path is the session file of portal's account (its email) in dir:
// <dir>/<portal>-<account slug>.json.
func Path(dir, portal, account string) string {
	return filepath.Join(dir, portal+"-"+state.Slug(account)+".json")
}

// Read loads the session file at path; a missing file is (nil, nil). A file
// that others may read is refused rather than used: its cookies sign in as
// the account.
func Read(path string) (*State, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("session %s is readable by others (mode %v): chmod 600 it", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read session %s: %w", path, err)
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		// The decoder's message may quote the file; it holds cookies.
		return nil, fmt.Errorf("session %s is not a storage-state JSON file", path)
	}
	return &st, nil
}

// Write stores st at path with mode 0600, atomically (a reader never sees
// half a file); the directory is created 0700.
func Write(path string, st *State) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write session: %w", err)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("write session %s: encode: %w", path, err)
	}
	if err := renameio.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write session %s: %w", path, err)
	}
	return nil
}

// Same says st and other would be written as the same file.
func (st *State) Same(other *State) bool {
	if st == nil || other == nil {
		return st == other
	}
	a, err1 := json.Marshal(st)
	b, err2 := json.Marshal(other)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// Values are the cookie and local storage values of st: what must be
// scrubbed from everything a run prints or writes.
func (st *State) Values() []string {
	if st == nil {
		return nil
	}
	var out []string
	for _, c := range st.Cookies {
		out = append(out, c.Value)
	}
	for _, o := range st.Origins {
		for _, it := range o.LocalStorage {
			out = append(out, it.Value)
		}
	}
	return out
}

// Empty says st has nothing to restore.
func (st *State) Empty() bool { return st == nil || (len(st.Cookies) == 0 && len(st.Origins) == 0) }

// live drops the cookies that expired by now.
func (st *State) live(now time.Time) []Cookie {
	var out []Cookie
	for _, c := range st.Cookies {
		if c.Expires > 0 && c.Expires < float64(now.Unix()) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// keepOrigins fills in the local storage of the origins the capture did
// not see from prev, so a capture never loses what an earlier one kept.
func (st *State) keepOrigins(prev *State) {
	if prev == nil {
		return
	}
	have := map[string]bool{}
	for _, o := range st.Origins {
		have[o.Origin] = true
	}
	for _, o := range prev.Origins {
		if !have[o.Origin] {
			st.Origins = append(st.Origins, o)
		}
	}
}

// origin is one parsed portal origin.
type origin struct {
	raw, scheme, host string
	port              int
}

func parseOrigins(raws []string) []origin {
	var out []origin
	for _, r := range raws {
		u, err := url.Parse(r)
		if err != nil || u.Host == "" {
			continue
		}
		o := origin{raw: u.Scheme + "://" + u.Host, scheme: u.Scheme, host: strings.ToLower(u.Hostname())}
		switch p := u.Port(); {
		case p != "":
			_, _ = fmt.Sscan(p, &o.port)
		case u.Scheme == "https":
			o.port = 443
		default:
			o.port = 80
		}
		out = append(out, o)
	}
	return out
}

// domainMatch says a cookie of domain is sent to host (RFC 6265 5.1.3).
func domainMatch(domain, host string) bool {
	d := strings.ToLower(strings.TrimPrefix(domain, "."))
	if d == host {
		return true
	}
	return strings.HasPrefix(domain, ".") && net.ParseIP(host) == nil && strings.HasSuffix(host, "."+d)
}

// belongs says a cookie is one of the portal's: sent to one of its origins
// and, when the browser knows which port set it, set by one of them (the
// replicas share one host on several ports).
func belongs(domain string, sourcePort int64, origins []origin) (origin, bool) {
	for _, o := range origins {
		if domainMatch(domain, o.host) && (sourcePort <= 0 || int64(o.port) == sourcePort) {
			return o, true
		}
	}
	return origin{}, false
}
