package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/browser"
	"portalbot/internal/fakeportal"
	"portalbot/internal/report"
)

// BenchLatency is how the replicas answer in the benchmark: each page and
// each action in 50–300 ms, the same times in every run (one seed).
var BenchLatency = fakeportal.Latency{Min: 50 * time.Millisecond, Max: 300 * time.Millisecond, Seed: 1}

// BenchmarkJob runs the bot binary as a scheduler does (`bot run
// <provider>` with the default settings, launching its own browser) against
// replicas with realistic latency, and reports per run:
//
//   - job-s: the bot's time, from the process start to its exit (browser
//     start and stop, configuration, summary included);
//   - floor-s: the replicas' designed latency on the critical path
//     (fakeportal.Floor: the time the job would take if the bot and the
//     browser took none; with Codat's tab alongside the provider's, the
//     longer path through the point where the keys meet);
//   - overhead-s: job-s − floor-s, what the bot and the browser add;
//   - browser-start-s: the summary's browser_start_ms;
//   - bot-peak-MB: the bot process's peak RSS (VmHWM of /proc/<pid>/status,
//     read every 50 ms until it exits: the process itself, not the browser);
//   - browser-peak-MB: the browser's processes below the bot, the sum of
//     each one's peak RSS (pages they share are counted in each, so this is
//     an upper bound);
//   - steal-%: the share of the machine's CPU time the hypervisor gave to
//     others during the runs (/proc/stat's steal; Linux): on a virtual
//     machine whose host is busy, every figure above grows with it, and a
//     set measured at 20 % or more says more about the host than the bot.
//
// BOT_BENCH_ARGS adds flags to the bot's command line (e.g. "--screenshots
// steps" to see what a docs run costs); BOT_BENCH_ENV adds variables to its
// environment, separated by spaces (e.g. "BOT_BROWSER_ARGS=--in-process-gpu"
// to try a browser flag); BOT_BENCH_BIN runs another build of
// the bot (an earlier commit, to compare); BOT_BENCH_DEBUG=1 prints each
// request that waited, each step's times (from the bot's start) and the meet, on
// stderr.
func BenchmarkJob(b *testing.B) {
	for _, provider := range flows.Providers {
		b.Run(provider, func(b *testing.B) { benchJob(b, provider) })
	}
}

func benchJob(b *testing.B, provider string) {
	var n int
	var job, floor, overhead, browserStart time.Duration
	var botPeak, browserPeak int64
	var each []string // each run's overhead, for the log: one slow run moves the average
	var steal stealMeter
	for b.Loop() {
		p, err := fakeportal.Start(fakeportal.Options{Faults: fakeportal.Faults{Latency: BenchLatency}})
		if err != nil {
			b.Fatal(err)
		}
		dir := b.TempDir()
		cfg := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(cfg, []byte(p.BotConfigYAML()), 0o600); err != nil {
			b.Fatal(err)
		}
		cmd := launching(cfg, filepath.Join(dir, "out"), provider)
		if bin := os.Getenv("BOT_BENCH_BIN"); bin != "" {
			cmd.Path, cmd.Args[0] = bin, bin
		}
		cmd.Args = append(cmd.Args, strings.Fields(os.Getenv("BOT_BENCH_ARGS"))...)
		cmd.Env = append(cmd.Env, strings.Fields(os.Getenv("BOT_BENCH_ENV"))...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		steal.start()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		peaks := sampleRSS(cmd.Process.Pid)
		err = cmd.Wait()
		elapsed := time.Since(start)
		steal.stop()
		bot, browser := peaks()
		p.Close()
		if err != nil {
			b.Fatalf("bot run %s: %v\n%s", provider, err, stderr.String())
		}
		var sum report.Summary
		if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
			b.Fatalf("the summary: %v\n%s", err, stdout.String())
		}
		f := fakeportal.Floor(p.Served(), meet(sum, provider))
		if os.Getenv("BOT_BENCH_DEBUG") != "" {
			t0 := start
			for _, s := range p.Served() {
				fmt.Fprintf(os.Stderr, "%6d ms +%3d ms %-9s %s %s\n", s.Start.Sub(t0).Milliseconds(), s.Latency.Milliseconds(), s.Portal, s.Method, s.Path)
			}
			if began, err := time.Parse(report.TimeFormat, sum.StartedAt); err == nil {
				off := began.Sub(t0).Milliseconds()
				for _, st := range sum.Steps {
					fmt.Fprintf(os.Stderr, "%6d ms +%4d ms step      %s\n", off+st.StartedMS, st.EndedMS-st.StartedMS, st.Name)
				}
			}
			m := meet(sum, provider)
			fmt.Fprintf(os.Stderr, "meet: keys %d ms, use %d ms; exit %d ms\n", m.Keys.Sub(t0).Milliseconds(), m.Use.Sub(t0).Milliseconds(), elapsed.Milliseconds())
		}
		n++
		job += elapsed
		floor += f
		overhead += elapsed - f
		each = append(each, fmt.Sprintf("%.2f", (elapsed-f).Seconds()))
		browserStart += time.Duration(sum.BrowserStartMS) * time.Millisecond
		botPeak, browserPeak = max(botPeak, bot), max(browserPeak, browser)
	}
	avg := func(d time.Duration) float64 { return d.Seconds() / float64(n) }
	b.ReportMetric(avg(job), "job-s")
	b.ReportMetric(avg(floor), "floor-s")
	b.ReportMetric(avg(overhead), "overhead-s")
	b.ReportMetric(avg(browserStart), "browser-start-s")
	b.ReportMetric(float64(botPeak)/1024, "bot-peak-MB")
	b.ReportMetric(float64(browserPeak)/1024, "browser-peak-MB")
	stolen := steal.report(b)
	b.Logf("%s: job %.2f s = floor %.2f s + overhead %.2f s (browser start %.2f s); peak RSS: bot %.1f MB, browser %.0f MB (%d runs; overhead of each: %s s; the hypervisor took %.0f %% of the CPU)",
		provider, avg(job), avg(floor), avg(overhead), avg(browserStart), float64(botPeak)/1024, float64(browserPeak)/1024, n, strings.Join(each, ", "), stolen)
}

// stealMeter adds up, over a benchmark's runs, the machine's CPU time and
// the share of it the hypervisor gave to others (steal-%).
type stealMeter struct{ steal, total, steal0, total0 uint64 }

func (m *stealMeter) start() { m.steal0, m.total0 = cpuSteal() }

func (m *stealMeter) stop() {
	s, t := cpuSteal()
	m.steal, m.total = m.steal+s-m.steal0, m.total+t-m.total0
}

// report reports steal-% (where the machine tells it) and returns it.
func (m *stealMeter) report(b *testing.B) float64 {
	if m.total == 0 {
		return 0
	}
	pct := 100 * float64(m.steal) / float64(m.total)
	b.ReportMetric(pct, "steal-%")
	return pct
}

// cpuSteal reads the machine's CPU time so far (/proc/stat, all CPUs, in
// ticks): what the hypervisor gave to others (steal), and the total.
// Both are 0 where there is no /proc/stat.
func cpuSteal() (steal, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0
	}
	for i, f := range fields[1:] {
		v, _ := strconv.ParseUint(f, 10, 64)
		if i < 8 { // user nice system idle iowait irq softirq steal; guest time is in user already
			total += v
		}
		if i == 7 {
			steal = v
		}
	}
	return steal, total
}

// meet is where the job's two tabs met, from the summary's step times: the
// provider's step that reads the keys ended, Codat's first step that types
// them started. A summary without step times (a bot that ran in one line)
// gives the zero Meet.
func meet(sum report.Summary, provider string) fakeportal.Meet {
	t0, err := time.Parse(report.TimeFormat, sum.StartedAt)
	if err != nil {
		return fakeportal.Meet{}
	}
	keys := map[string]string{"xero": "xero.generate_secret", "freeagent": "freeagent.read_credentials"}[provider]
	var m fakeportal.Meet
	for _, st := range sum.Steps {
		switch st.Name {
		case keys:
			m.Keys = t0.Add(time.Duration(st.EndedMS) * time.Millisecond)
		case "codat.fill_client_id":
			m.Use = t0.Add(time.Duration(st.StartedMS) * time.Millisecond)
		}
	}
	return m
}

// sampleRSS reads, every 50 ms until peaks is called, the peak RSS (VmHWM,
// kB) of pid and of each process below it; peaks returns pid's and the sum
// of its descendants' (each at its own peak).
func sampleRSS(pid int) (peaks func() (self, below int64)) {
	seen := map[int]int64{}
	var mu sync.Mutex
	done := make(chan struct{})
	finished := make(chan struct{})
	look := func() {
		procs := append([]int{pid}, browser.Descendants(pid)...)
		mu.Lock()
		defer mu.Unlock()
		for _, p := range procs {
			if kb := vmHWM(p); kb > seen[p] {
				seen[p] = kb
			}
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			look()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() (int64, int64) {
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		var below int64
		for p, kb := range seen {
			if p != pid {
				below += kb
			}
		}
		return seen[pid], below
	}
}

// vmHWM is the peak RSS of pid in kB, 0 when it is gone.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}
