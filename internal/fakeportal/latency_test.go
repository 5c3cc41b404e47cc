package fakeportal

import (
	"net/http"
	"testing"
	"time"
)

// Pages and actions wait a seeded time in [Min, Max], recorded; the same
// requests wait the same with the same seed; sub-resources do not wait.
func TestDesignedLatency(t *testing.T) {
	lat := Latency{Min: 5 * time.Millisecond, Max: 40 * time.Millisecond, Seed: 7}
	fetch := func(p *Portals, dest string) {
		req, _ := http.NewRequest(http.MethodGet, p.XeroDeveloperURL+"/app/manage", nil)
		if dest != "" {
			req.Header.Set("Sec-Fetch-Dest", dest)
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
	}
	waits := func() []time.Duration {
		p := StartT(t, Options{Faults: Faults{Latency: lat}})
		for _, dest := range []string{"document", "script", "empty", "", "style", "image"} {
			fetch(p, dest)
		}
		var out []time.Duration
		for _, s := range p.Served() {
			if s.Latency < lat.Min || s.Latency > lat.Max || s.Portal != "xero" || s.Path != "/app/manage" {
				t.Errorf("served %+v, want a xero page within %v–%v", s, lat.Min, lat.Max)
			}
			out = append(out, s.Latency)
		}
		return out
	}
	first, again := waits(), waits()
	if len(first) != 3 {
		t.Fatalf("%d answers waited, want 3 (a document, a fetch, a client without the header)", len(first))
	}
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("answer %d waited %v, then %v with the same seed", i, first[i], again[i])
		}
	}
}

// The floor of a job: one line sums its tab's latencies (concurrent ones
// once); two tabs take the longer path through the meet.
func TestFloor(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	req := func(portal string, startMS, latMS int) Served {
		return Served{Portal: portal, Start: at(startMS), Latency: time.Duration(latMS) * time.Millisecond}
	}
	tests := []struct {
		name   string
		served []Served
		meet   Meet
		want   time.Duration
	}{
		{"one line", []Served{req("xero", 0, 100), req("xero", 150, 200), req("codat", 400, 50)}, Meet{}, 350 * time.Millisecond},
		{"requests side by side count once", []Served{req("xero", 0, 100), req("xero", 50, 100)}, Meet{}, 150 * time.Millisecond},
		{"codat waits for the keys", []Served{
			req("xero", 0, 300), req("xero", 400, 300), // keys at 800
			req("codat", 0, 200),                            // sign-in meanwhile
			req("codat", 900, 100), req("codat", 1100, 100), // after the meet
			req("xero", 850, 250), // the connection limit, meanwhile
		}, Meet{Keys: at(800), Use: at(850)}, 850 * time.Millisecond}, // max(850, max(600, 200)+200)
		{"codat is the longer tab", []Served{
			req("xero", 0, 100),
			req("codat", 0, 500), req("codat", 600, 400),
		}, Meet{Keys: at(150), Use: at(600)}, 900 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Floor(tt.served, tt.meet); got != tt.want {
				t.Errorf("Floor = %v, want %v", got, tt.want)
			}
		})
	}
}
