package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"portalbot/flows"
	"portalbot/internal/fakeportal"
	"portalbot/internal/report"
)

// BenchmarkCheckAll runs the bot binary as a nightly CI job does, `bot check
// all` (Xero, FreeAgent and Codat in one browser, the portals in parallel
// tabs), against replicas answering in 50–300 ms (BenchLatency), each with
// an app of the configured name so that every described page is walked.
// It reports per run:
//
//   - check-s: the bot's time, from the process start to its exit (browser
//     start and stop included); the goal is under 10 s on a 2-core machine;
//   - browser-start-s: the summary's browser_start_ms;
//   - elements: the check's rows (every element of every page);
//   - bot-peak-MB, browser-peak-MB, steal-%: as in BenchmarkJob.
func BenchmarkCheckAll(b *testing.B) {
	var n int
	var total, browserStart time.Duration
	var botPeak, browserPeak int64
	var rows int
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
		const app = "Acme Books Demo" // the app.name of BotConfigYAML
		p.AddXeroApp(app)
		p.AddFreeAgentApp(app)
		cmd := launching(cfg, filepath.Join(dir, "out"), flows.All)
		cmd.Args[len(cmd.Args)-2] = "check" // launching says run
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
		writes := len(p.Records().Writes)
		p.Close()
		if err != nil {
			b.Fatalf("bot check all: %v\n%s", err, stderr.String())
		}
		if writes != 0 {
			b.Fatalf("bot check all wrote %d times to the replicas", writes)
		}
		var sum report.Summary
		if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
			b.Fatalf("the summary: %v\n%s", err, stdout.String())
		}
		n++
		total += elapsed
		browserStart += time.Duration(sum.BrowserStartMS) * time.Millisecond
		rows = len(sum.Checks)
		botPeak, browserPeak = max(botPeak, bot), max(browserPeak, browser)
	}
	avg := func(d time.Duration) float64 { return d.Seconds() / float64(n) }
	b.ReportMetric(avg(total), "check-s")
	b.ReportMetric(avg(browserStart), "browser-start-s")
	b.ReportMetric(float64(rows), "elements")
	b.ReportMetric(float64(botPeak)/1024, "bot-peak-MB")
	b.ReportMetric(float64(browserPeak)/1024, "browser-peak-MB")
	stolen := steal.report(b)
	b.Logf("check all: %.2f s (browser start %.2f s), %d elements; peak RSS: bot %.1f MB, browser %.0f MB (%d runs; the hypervisor took %.0f %% of the CPU)",
		avg(total), avg(browserStart), rows, float64(botPeak)/1024, float64(browserPeak)/1024, n, stolen)
}
