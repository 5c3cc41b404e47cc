package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
	"go.uber.org/zap"

	"portalbot/internal/config"
	"portalbot/internal/fail"
)

// Candidates are the browsers tried, in order, when browser.exec_path is
// empty: Debian's headless shell starts fastest, full Chromium also works.
// The shell's binary comes first: Debian's /usr/bin/chromium-headless-shell
// is a script that runs it, one shell process (about 5 ms) more at each
// launch.
var Candidates = []string{
	"/usr/lib/chromium/chromium-headless-shell",
	"chromium-headless-shell", "/usr/bin/chromium-headless-shell",
	"chromium", "/usr/bin/chromium",
}

// Find returns the browser to launch: the configured path when set, else the
// first candidate found.
func Find(configured string) (string, error) {
	if configured != "" {
		if _, err := exec.LookPath(configured); err != nil {
			return "", fail.New(fail.Config, "browser.exec_path %q: %w", configured, err)
		}
		return configured, nil
	}
	for _, c := range Candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fail.New(fail.Unavailable,
		"no browser found (tried %v): run `make browser` or set browser.exec_path", Candidates)
}

// EngineFlag is the flag every browser the bot drives needs: it lets the
// bot's page script read the role and accessible name the browser computes
// for each element (Element.computedRole/computedName), so that finding an
// element by role and name is one call to the page. A browser the bot
// attaches to (browser.remote_url) must be started with it too.
const EngineFlag = "--enable-blink-features=ComputedAccessibilityInfo"

// AccessibilityFlag keeps each page's accessibility tree built and up to
// date, as a screen reader's browser does. Without it, each read of an
// element's computed role or name builds the whole document's tree and
// drops it (2 to 5 ms a read on a page of 400 elements); with it, a read
// costs microseconds. A look on a page of 2,300 elements took 36 to 46 ms
// without it and 6 to 11 ms with it (BenchmarkFind in internal/locate). A
// browser the bot attaches to should be started with it too.
const AccessibilityFlag = "--force-renderer-accessibility=basic"

// DisabledFeatures are Chrome's features the bot turns off: chromedp's
// (Translate, BlinkGenPropertyTrees) and RenderDocument. With
// RenderDocument, every navigation to a new document builds a new frame in
// the renderer, with a compositor and raster buffers of its own; without it,
// a navigation within the same site reuses them, as Chrome did before it.
// Pages see no difference; the browser does less: a Xero job's browser made
// 17 % fewer page faults (64,000 against 53,000) and used 0.6 s less CPU
// (3.7 s against 4.3 s, three runs each in turn), and the set-up kill matrix
// with the fault cases 12 % less (91 against 104 core-seconds, four runs
// each). A browser the bot attaches to (browser.remote_url) keeps its own.
const DisabledFeatures = "Translate,BlinkGenPropertyTrees,RenderDocument"

// EnabledFeatures are Chrome's features the bot turns on, with
// --in-process-gpu, for a quicker start: the network service and the GPU
// process's work (software compositing) run in the browser's own process,
// two processes fewer to start. Each process started pays for every page of
// Chrome's code it touches (a page fault: about 13 µs on the 2-core VM of
// the measures). The first tab was ready 0.49–0.54 s after the launch
// instead of 0.62–0.68 s, and a Xero job's overhead was 1.75 s against
// 1.99 s (three sets of three in turn). chromedp's own
// "NetworkService,NetworkServiceInProcess" are names this Chrome no longer
// knows.
const EnabledFeatures = "NetworkServiceInProcess2"

// StartFlags are DisabledFeatures, EnabledFeatures and --in-process-gpu as
// command-line flags, for a browser started by other means
// (browsertest.Remote).
var StartFlags = []string{"--disable-features=" + DisabledFeatures, "--enable-features=" + EnabledFeatures, "--in-process-gpu"}

// pageFlags are EngineFlag and AccessibilityFlag as options of chromedp's
// allocator, for each browser the bot launches.
func pageFlags() []chromedp.ExecAllocatorOption {
	return argFlags([]string{EngineFlag, AccessibilityFlag})
}

// argFlags are command-line flags (--name or --name=value) as options of
// chromedp's allocator. A --disable-features or --enable-features list
// adds to the bot's (DisabledFeatures, EnabledFeatures) instead of
// replacing it: Chrome reads only the last flag of a name. --name=false
// leaves out a flag the bot sets (--incognito=false).
func argFlags(args []string) []chromedp.ExecAllocatorOption {
	var opts []chromedp.ExecAllocatorOption
	lists := map[string]string{"disable-features": DisabledFeatures, "enable-features": EnabledFeatures}
	for _, f := range args {
		name, value, ok := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		if !ok {
			opts = append(opts, chromedp.Flag(name, true))
			continue
		}
		if value == "false" {
			opts = append(opts, chromedp.Flag(name, false))
			continue
		}
		if ours, isList := lists[name]; isList {
			value = ours + "," + value
			lists[name] = value
		}
		opts = append(opts, chromedp.Flag(name, value))
	}
	return opts
}

// AllocatorOptions are the flags the bot launches the browser with: the
// defaults of chromedp (headless, background networking off, sRGB colour
// profile, a fresh temporary profile that chromedp removes, --no-sandbox only
// as root) plus the page script's flags (EngineFlag, AccessibilityFlag), a
// fixed window size so screenshots have the configured viewport, partial
// raster off so the same page gives the same pixels, and --incognito.
//
// In incognito the browser keeps cookies, local storage and its HTTP cache
// in memory: a signed-in portal's cookies and the pages it served (a
// client id, a secret shown once) are never written to the temporary
// profile on disk, and the bot's own session files (0600) are the only
// copy that outlives the run. The browser also starts quicker, with no
// profile to create: its first request left 20–40 ms sooner, and the
// profile's removal at exit took under 1 ms instead of 9–13 ms (two files
// instead of about 80). Incognito blocks third-party cookies: a portal that
// signs in through another site's frame needs browser.args
// ["--incognito=false"].
func AllocatorOptions(execPath string, vp config.Viewport) []chromedp.ExecAllocatorOption {
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts, pageFlags()...)
	opts = append(opts,
		chromedp.ExecPath(execPath),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		// With partial raster, a tile whose previous buffer the compositor
		// has handed back in time is redrawn only where the page changed
		// (a mask or frame added, a dialog opened), else whole; the anti-
		// aliased edges of a rounded card then come out one shade apart
		// from one run to the next, by timing (bot shots, two runs on the
		// replicas). Whole tiles cost a little more raster work and make
		// pictures reproducible to the byte.
		chromedp.Flag("disable-partial-raster", true),
		chromedp.Flag("disable-features", DisabledFeatures),
		chromedp.Flag("enable-features", EnabledFeatures),
		chromedp.Flag("in-process-gpu", true),
		chromedp.Flag("incognito", true),
	)
	if vp.Width > 0 && vp.Height > 0 {
		opts = append(opts, chromedp.WindowSize(vp.Width, vp.Height))
	}
	return opts
}

func start(ctx context.Context, cfg config.Browser, log *zap.Logger) (context.Context, func(), error) {
	var allocCtx context.Context
	var cancelAlloc context.CancelFunc
	var launchedProfile string // the profile of a browser the bot launched
	var launchedOn string      // the page its first tab opens (StartURL)
	if cfg.RemoteURL != "" {
		log.Info("attaching to a running browser", zap.String("url", cfg.RemoteURL))
		allocCtx, cancelAlloc = remote.NewAllocator(ctx, cfg.RemoteURL)
	} else {
		path, err := Find(cfg.ExecPath)
		if err != nil {
			return nil, nil, err
		}
		log.Debug("launching browser", zap.String("path", path))
		// Beside the launch, not before it: the profiles a killed run left.
		go func() {
			if n := RemoveLeftoverProfiles(os.TempDir(), time.Now()); n > 0 {
				log.Debug("removed the temporary profiles of browsers that are gone", zap.Int("count", n))
			}
		}()
		opts := AllocatorOptions(path, cfg.Viewport)
		if cfg.NoSandbox {
			opts = append(opts, chromedp.NoSandbox)
		}
		opts = append(opts, argFlags(cfg.Args)...)
		// A temporary profile of the bot's own, not chromedp's: chromedp
		// removes the one it makes only after looking for processes still
		// naming it three times, 10 ms apart, and waiting 10 ms more (50 ms
		// of every run's exit, measured). stop kills the browser's whole
		// tree first; the one look here catches the helpers of a browser
		// whose start failed before the bot knew its process. A profile a
		// killed bot leaves is found by RemoveLeftoverProfiles.
		profile, err := os.MkdirTemp("", profilePrefix)
		if err != nil {
			return nil, nil, fail.Wrap(fail.Unavailable, fmt.Errorf("browser: create a profile: %w", err))
		}
		first := startURL(cfg.StartURL)
		opts = append(opts, chromedp.UserDataDir(profile), chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			ownGroup(cmd)
			openOn(cmd, first)
		}))
		allocCtx, cancelAlloc = chromedp.NewExecAllocator(ctx, opts...)
		cancel := cancelAlloc
		cancelAlloc = func() {
			cancel()
			killUsing(profile)
			_ = os.RemoveAll(profile)
		}
		launchedProfile, launchedOn = profile, first
	}
	opts := []chromedp.ContextOption{chromedp.WithErrorf(func(f string, a ...any) { log.Debug("cdp: " + fmt.Sprintf(f, a...)) })}
	if cfg.RemoteURL != "" {
		// A browser of its own for this run inside the running one (its own
		// cookies and storage, like a fresh profile), disposed of when the
		// run ends or its connection drops: two runs sharing a browser never
		// share a session.
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tab, cancelTab := chromedp.NewContext(allocCtx, opts...)
	stop := func() {
		c := chromedp.FromContext(tab)
		if launchedProfile == "" || c == nil || c.Browser == nil || c.Browser.Process() == nil {
			cancelTab()
			cancelAlloc()
			return
		}
		// A browser the bot launched is killed with its helpers at once,
		// its whole process group in one call (its profile is temporary
		// and the sessions were saved over the protocol): nothing is left
		// to write in the profile, which goes at once. The kernel then
		// tears the processes down (60–80 ms for a browser that has run a
		// job, measured); chromedp waits for that before its contexts
		// end, so their end runs on its own and the bot's exit does not
		// wait for it.
		killGroup(c.Browser.Process().Pid)
		_ = os.RemoveAll(launchedProfile)
		go func() {
			cancelTab()
			cancelAlloc()
		}()
	}
	// The first Do starts the browser and opens the tab, with no timeout of
	// its own, so the browser lives as long as ctx and not as long as a step.
	if err := chromedp.Do(tab); err != nil {
		stop()
		kind := fail.Unavailable
		if errors.Is(err, os.ErrNotExist) {
			kind = fail.Config
		}
		return nil, nil, fail.Wrap(kind, fmt.Errorf("browser: start: %w", err))
	}
	if vp := cfg.Viewport; vp.Width > 0 && vp.Height > 0 {
		scale := vp.Scale
		if scale <= 0 {
			scale = 1
		}
		if err := chromedp.Do(tab, chromedp.EmulateViewport(int64(vp.Width), int64(vp.Height), chromedp.EmulateScale(scale))); err != nil {
			stop()
			return nil, nil, fail.Wrap(fail.Unavailable, fmt.Errorf("browser: set viewport: %w", err))
		}
	}
	if launchedOn != "" {
		tab = context.WithValue(tab, launchedKey{}, launchedOn)
	}
	return tab, stop, nil
}

// Descendants lists the processes below pid, each followed by its own
// (Linux: from /proc/<pid>/task/*/children; elsewhere none). The tests of
// the bot binary use it to find the browser below a bot.
func Descendants(pid int) []int {
	var out []int
	files, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "children"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, field := range strings.Fields(string(b)) {
			if c, err := strconv.Atoi(field); err == nil {
				out = append(out, c)
				out = append(out, Descendants(c)...)
			}
		}
	}
	return out
}
