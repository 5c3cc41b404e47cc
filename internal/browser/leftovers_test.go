package browser_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"portalbot/internal/browser"
)

// A profile left by a killed bot goes once it is old and no process uses
// it; a young one, one a running process names, and other directories stay.
func TestRemoveLeftoverProfiles(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	mk := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(p, "Default"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	left := mk("chromedp-runner111", 3*time.Hour)
	young := mk("chromedp-runner222", time.Minute)
	used := mk("chromedp-runner333", 3*time.Hour)
	other := mk("someone-else", 3*time.Hour)
	// A running process that names used as its profile, as a browser does.
	cmd := exec.Command("sh", "-c", "sleep 30; :", "sh", "--user-data-dir="+used)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start a process to hold a profile:", err)
	}
	t.Cleanup(func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); _ = cmd.Wait() })
	// Seen in /proc with the flag before the look (a loaded machine once
	// showed the look a process without it).
	cmdline := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "cmdline")
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(cmdline); strings.Contains(string(b), "--user-data-dir="+used) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the process holding the profile does not show it in %s", cmdline)
		}
	}

	if n := browser.RemoveLeftoverProfiles(dir, now); n != 1 {
		t.Errorf("removed %d, want 1", n)
	}
	for p, want := range map[string]bool{left: false, young: true, used: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s exists: %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}
