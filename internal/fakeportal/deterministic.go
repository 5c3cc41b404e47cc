package fakeportal

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strings"
	"sync"
	"time"
)

// DeterministicClock is the time the replicas give every date they show
// when Options.Deterministic is set (a secret's "Created" date).
var DeterministicClock = time.Date(2026, time.January, 15, 9, 30, 0, 0, time.UTC)

// deterministic makes the values the pages show (app ids, client ids,
// secrets, identifiers, dates) the same on every start, for screenshots that
// are byte-identical from one run to the next (bot shots, golden images).
// Each kind of value has its own counter, so the n-th app id is the same
// whatever else was asked for before it. Session tokens and sign-in codes
// stay random: no page shows them.
type deterministic struct {
	mu   sync.Mutex
	next map[string]uint64
}

// bytes returns n bytes derived from kind and how many kind values were
// asked for before.
func (d *deterministic) bytes(kind string, n int) []byte {
	d.mu.Lock()
	i := d.next[kind]
	d.next[kind] = i + 1
	d.mu.Unlock()
	var out []byte
	for block := uint64(0); len(out) < n; block++ {
		var ctr [16]byte
		binary.BigEndian.PutUint64(ctr[:8], i)
		binary.BigEndian.PutUint64(ctr[8:], block)
		sum := sha256.Sum256(append([]byte("portalbot-fakeportal/"+kind+"/"), ctr[:]...))
		out = append(out, sum[:]...)
	}
	return out[:n]
}

// det returns the deterministic source, or nil when values are random.
func (p *Portals) det() *deterministic {
	p.detOnce.Do(func() {
		if p.opts.Deterministic {
			p.detSrc = &deterministic{next: map[string]uint64{}}
		}
	})
	return p.detSrc
}

// token is n characters of base64url, for kind ("fa-identifier"...).
func (p *Portals) token(kind string, n int) string {
	if d := p.det(); d != nil {
		return base64.RawURLEncoding.EncodeToString(d.bytes(kind, n))[:n]
	}
	return randToken(n)
}

// uuid is an app id.
func (p *Portals) uuid() string {
	if d := p.det(); d != nil {
		return uuidOf(d.bytes("uuid", 16))
	}
	return newUUID()
}

// clientID is a Xero client id: 32 upper-case hexadecimal characters.
func (p *Portals) clientID() string {
	if d := p.det(); d != nil {
		return strings.ToUpper(hex.EncodeToString(d.bytes("xero-client-id", 16)))
	}
	return newClientID()
}

// xeroSecret is a Xero client secret: 48 characters of base64url.
func (p *Portals) xeroSecret() string {
	if d := p.det(); d != nil {
		return base64.RawURLEncoding.EncodeToString(d.bytes("xero-secret", 36))
	}
	return newXeroSecret()
}

// now is the time a shown date is taken from: the fixed clock when
// deterministic, else the wall clock.
func (p *Portals) now() time.Time {
	if p.det() != nil {
		return DeterministicClock
	}
	return time.Now()
}

// uuidOf formats 16 bytes as a version 4 UUID.
func uuidOf(b []byte) string {
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
