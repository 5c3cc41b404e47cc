package browser

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// profilePrefix names the temporary profile of a browser the bot launches
// (under os.TempDir()), as chromedp names its own; stop removes it.
const profilePrefix = "chromedp-runner"

// staleAfter is how old a leftover profile must be before it is removed:
// far longer than a bot takes from creating its profile to launching the
// browser on it.
const staleAfter = time.Hour

// RemoveLeftoverProfiles removes from dir the temporary profiles of browsers
// that are gone: a bot killed with SIGKILL (an OOM kill, a CronJob's
// deadline) leaves its profile behind (about a megabyte), and a host that
// runs the bot on a schedule would gather them. A profile is removed only
// when it is older than an hour and no running process names it in its
// command line (--user-data-dir). Linux only (it reads /proc); it returns
// how many it removed.
func RemoveLeftoverProfiles(dir string, now time.Time) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var old []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), profilePrefix) {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > staleAfter {
			old = append(old, filepath.Join(dir, e.Name()))
		}
	}
	if len(old) == 0 {
		return 0
	}
	inUse, ok := userDataDirs()
	if !ok {
		return 0 // cannot tell which are in use: remove nothing
	}
	n := 0
	for _, p := range old {
		if inUse[p] {
			continue
		}
		if os.RemoveAll(p) == nil {
			n++
		}
	}
	return n
}

// userDataDirs lists the --user-data-dir of every running process; ok is
// false when /proc cannot be read.
func userDataDirs() (dirs map[string]bool, ok bool) {
	dirs = map[string]bool{}
	ok = eachUserDataDir(func(_ int, dir string) { dirs[dir] = true })
	return dirs, ok
}

// killUsing kills every process started with dir as its --user-data-dir:
// the browser's helpers, when the browser was stopped before the bot knew
// its process (a start that failed half-way). Linux only.
func killUsing(dir string) {
	dir = filepath.Clean(dir)
	eachUserDataDir(func(pid int, d string) {
		if d == dir {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
}

// eachUserDataDir calls f with each running process's pid and
// --user-data-dir; it returns false when /proc cannot be read.
func eachUserDataDir(f func(pid int, dir string)) bool {
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", p.Name(), "cmdline"))
		if err != nil {
			continue
		}
		for _, arg := range strings.Split(string(b), "\x00") {
			if d, found := strings.CutPrefix(arg, "--user-data-dir="); found {
				f(pid, filepath.Clean(d))
			}
		}
	}
	return true
}
