package browser

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// profilePrefix is how chromedp names the temporary profile of a browser it
// launches (under os.TempDir()); it removes it when the browser stops.
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
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return nil, false
	}
	dirs = map[string]bool{}
	for _, p := range procs {
		b, err := os.ReadFile(filepath.Join("/proc", p.Name(), "cmdline"))
		if err != nil {
			continue
		}
		for _, arg := range strings.Split(string(b), "\x00") {
			if d, found := strings.CutPrefix(arg, "--user-data-dir="); found {
				dirs[filepath.Clean(d)] = true
			}
		}
	}
	return dirs, true
}
