package fakeportal

import (
	"hash/fnv"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Latency is the replicas' designed answer time, for benchmarks that should
// mean something: each page (a document load or a form post) and each action
// (a fetch) waits a time between Min and Max before it is answered. The time
// of a request depends only on Seed, the host, the method, the path and how
// many times that request came before, so two runs of the same job wait the
// same, whatever the order of the requests of two tabs. Scripts, styles and
// images answer at once: they load side by side with their page.
type Latency struct {
	Min, Max time.Duration
	Seed     int64
}

// Served is one answer that waited its designed latency.
type Served struct {
	Portal  string // xero | codat | freeagent | foreign
	Method  string
	Path    string
	Start   time.Time
	Latency time.Duration
}

// latencyLog records the answers that waited (Portals.lat).
type latencyLog struct {
	mu     sync.Mutex
	seen   map[string]int
	served []Served
}

// designedLatency waits the designed latency of r, when the replicas have
// one, and records it; false when the client went away meanwhile.
func (p *Portals) designedLatency(s *server, r *http.Request, l Latency) bool {
	if l.Max <= 0 {
		return true
	}
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "", "document", "empty", "iframe": // a page or an action
	default:
		return true // a sub-resource of a page
	}
	key := s.name + " " + r.Method + " " + r.URL.Path
	p.lat.mu.Lock()
	if p.lat.seen == nil {
		p.lat.seen = map[string]int{}
	}
	n := p.lat.seen[key]
	p.lat.seen[key]++
	p.lat.mu.Unlock()
	d := l.Min
	if span := l.Max - l.Min; span > 0 {
		h := fnv.New64a()
		_, _ = h.Write([]byte(strconv.FormatInt(l.Seed, 10) + " " + key + " " + strconv.Itoa(n)))
		d += time.Duration(h.Sum64() % uint64(span+1))
	}
	start := time.Now()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
		return false
	}
	p.lat.mu.Lock()
	p.lat.served = append(p.lat.served, Served{Portal: s.portal, Method: r.Method, Path: r.URL.Path, Start: start, Latency: d})
	p.lat.mu.Unlock()
	return true
}

// Designed waits of the pages themselves (client-side, after an answer):
// part of the replicas' designed time on the critical path, so the floor
// counts them although no request waits them.
const (
	// EnableDialogDelay: Codat opens "Enable <integration>" this long after
	// the settings are saved.
	EnableDialogDelay = 700 * time.Millisecond
	// DialogCloseDelay: a dialog closes with a transition of this length.
	DialogCloseDelay = 200 * time.Millisecond
)

// designedUI records a wait the page designedly makes after an answer
// (a dialog that opens later, a closing transition), when the replicas
// have a designed latency: Served with Method "UI" and what it is.
func (p *Portals) designedUI(portal, what string, d time.Duration) {
	if p.opts.Faults.Latency.Max <= 0 {
		return
	}
	p.lat.mu.Lock()
	p.lat.served = append(p.lat.served, Served{Portal: portal, Method: "UI", Path: what, Start: time.Now(), Latency: d})
	p.lat.mu.Unlock()
}

// designedPath is where a page reports a designed wait of its own (the
// benchmark's replicas only): POST ?what=...&ms=N.
const designedPath = "/__replica/designed"

// designedReport records a wait a page reports it makes by design (a
// dialog sliding in): what a person waits too, on the critical path.
func (p *Portals) designedReport(s *server, w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms <= 0 || ms > 5000 {
		http.Error(w, "bad ms", http.StatusBadRequest)
		return
	}
	p.designedUI(s.portal, r.URL.Query().Get("what"), time.Duration(ms)*time.Millisecond)
	w.WriteHeader(http.StatusNoContent)
}

// Served returns the answers that waited their designed latency, in the
// order they were answered.
func (p *Portals) Served() []Served {
	p.lat.mu.Lock()
	defer p.lat.mu.Unlock()
	return append([]Served(nil), p.lat.served...)
}

// Meet is where a job's two tabs meet: the provider's tab has the keys at
// Keys, and Codat's tab starts using them at Use. The zero Meet is a job
// that runs in one line.
type Meet struct{ Keys, Use time.Time }

// Floor is the designed latency on the critical path of a job: how long it
// would take if the bot and the browser took no time at all. Within one tab
// requests follow one another (a person, or a bot, does one thing at a time
// in a page), so a tab's share is the time covered by its requests'
// latencies (their union: requests a page makes side by side count once).
// The two tabs overlap: Codat's requests before m.Use need nothing from the
// provider, those from m.Use on wait for the provider's requests before
// m.Keys too. So the floor is the longer of two paths: the provider's tab
// from start to end, and the longer of the two tabs' parts before the meet
// followed by Codat's part after it. The provider's requests after the keys
// (the connection limit) need nothing from Codat. With the zero Meet it is
// the union of every request's latency: a job done in one line.
func Floor(served []Served, m Meet) time.Duration {
	var prov, codatBefore, codatAfter, provBefore, all []Served
	for _, s := range served {
		all = append(all, s)
		switch {
		case s.Portal == "codat" && !m.Use.IsZero() && !s.Start.Before(m.Use):
			codatAfter = append(codatAfter, s)
		case s.Portal == "codat":
			codatBefore = append(codatBefore, s)
		default:
			prov = append(prov, s)
			if s.Start.Before(m.Keys) {
				provBefore = append(provBefore, s)
			}
		}
	}
	if m.Keys.IsZero() || m.Use.IsZero() {
		return union(all)
	}
	return max(union(prov), max(union(provBefore), union(codatBefore))+union(codatAfter))
}

// union is the time covered by the requests' latencies.
func union(served []Served) time.Duration {
	type span struct{ from, to time.Time }
	spans := make([]span, 0, len(served))
	for _, s := range served {
		spans = append(spans, span{s.Start, s.Start.Add(s.Latency)})
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from.Compare(b.from) })
	var total time.Duration
	var cur span
	for i, sp := range spans {
		if i == 0 || sp.from.After(cur.to) {
			if i > 0 {
				total += cur.to.Sub(cur.from)
			}
			cur = sp
			continue
		}
		if sp.to.After(cur.to) {
			cur.to = sp.to
		}
	}
	if len(spans) > 0 {
		total += cur.to.Sub(cur.from)
	}
	return total
}
