package browser

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/config"
	"portalbot/internal/fail"
)

// VisibleCandidates are the browsers tried, in order, for a window a person
// uses (bot login): the full Chromium or Chrome, since the headless shell
// the runs use cannot show one.
var VisibleCandidates = []string{
	"chromium", "/usr/bin/chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
}

// InstallVisibleHint says how to get a browser that can show a window.
const InstallVisibleHint = "install the full Chromium (Debian: sudo apt-get install chromium) or set browser.exec_path to Chrome or Chromium"

// FindVisible returns the browser to launch with a window: the configured
// one when set (not the headless shell), else the first candidate found.
func FindVisible(configured string) (string, error) {
	if configured != "" {
		if strings.Contains(filepath.Base(configured), "headless") {
			return "", &fail.Error{Kind: fail.Config, Hint: InstallVisibleHint,
				Err: fmt.Errorf("browser.exec_path %q cannot show a window", configured)}
		}
		return Find(configured)
	}
	for _, c := range VisibleCandidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", &fail.Error{Kind: fail.Config, Hint: InstallVisibleHint,
		Err: fmt.Errorf("no browser that can show a window found (tried %v)", VisibleCandidates)}
}

// StartVisible launches a browser with a visible window, on a fresh
// temporary profile, for a person to finish a sign-in (bot login); with
// browser.remote_url it attaches to that browser instead, which may run on
// the person's workstation. It returns the tab's chromedp context and the
// function that closes it (and the launched browser).
func StartVisible(ctx context.Context, cfg config.Browser, log *zap.Logger) (context.Context, func(), error) {
	if cfg.RemoteURL != "" {
		return start(ctx, config.Browser{RemoteURL: cfg.RemoteURL}, log)
	}
	path, err := FindVisible(cfg.ExecPath)
	if err != nil {
		return nil, nil, err
	}
	log.Debug("launching a visible browser", zap.String("path", path))
	opts := append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts, pageFlags()...)
	opts = append(opts, argFlags(cfg.Args)...)
	opts = append(opts, chromedp.ExecPath(path), chromedp.VisibleWindow)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(allocCtx,
		chromedp.WithErrorf(func(f string, a ...any) { log.Debug("cdp: " + fmt.Sprintf(f, a...)) }))
	stop := func() {
		cancelTab()
		cancelAlloc()
	}
	if err := chromedp.Do(tab); err != nil {
		stop()
		kind := fail.Unavailable
		if errors.Is(err, chromedp.ErrNoDisplay) {
			kind = fail.Config
		}
		return nil, nil, fail.Wrap(kind, fmt.Errorf("browser: start a visible window: %w", err))
	}
	return tab, stop, nil
}
