package flows

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/locate"
	"portalbot/internal/store"
)

// jsCover covers secrets: the element it is called on (a field the
// selectors data marks secret), or, called on the document with the secret
// values, every password field and every element that shows one of them,
// so that no screenshot shows a secret even where the selectors data does
// not know the field.
//
//go:embed js/cover.js
var jsCover string

// FramePurple is the colour of the frame around the element a picture is
// about, the purple of Codat's guides' images.
const FramePurple = "#7B3FE4"

// jsFrame draws the frame of Codat's guides around one element: 3 px, 6 px
// away from it, rounded corners, in the colour it is given (FramePurple).
//
//go:embed js/frame.js
var jsFrame string

// jsUncover removes every mask and frame the bot drew.
//
//go:embed js/uncover.js
var jsUncover string

// capture takes the tab's picture for the bot to decode at once (a docs
// shot, a check's picture): PNG encoded for speed, not size, since what
// Chrome made is never kept as it is. The bot's own encoding (shots.Encode)
// makes the file.
func capture(ctx context.Context) ([]byte, error) {
	fast := true
	r, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{FromSurface: &fast, OptimizeForSpeed: &fast})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

// screenshot captures the tab with every secret covered (and the step's
// element framed) into path, and returns the path, or "" when it could not.
func (s *Session) screenshot(tab context.Context, st Step, path string) string {
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if err := s.cover(ctx, portalOf(st.Name), st.Frame); err != nil {
		// Without the cover there is no screenshot: a secret could show.
		s.Env.Log.Warn("screenshot skipped: could not cover secrets", zap.String("step", st.Name), zap.Error(err))
		return ""
	}
	defer func() { _ = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](jsUncover)) }()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		s.Env.Log.Warn("screenshot failed", zap.String("step", st.Name), zap.Error(err))
		return ""
	}
	if err := store.WriteFile(path, png, 0o644); err != nil {
		s.Env.Log.Warn("screenshot not saved", zap.String("path", path), zap.Error(err))
		return ""
	}
	return path
}

// cover draws the masks: known secret values, password fields, every
// element of portal marked secret (of every portal for ""), and the frame.
func (s *Session) cover(ctx context.Context, portal, frame string) error {
	s.mu.Lock()
	values := append([]string(nil), s.secrets...)
	clientID := s.ClientID
	s.mu.Unlock()
	if clientID != "" {
		// Masked too where the page is behind a modal (aria-hidden) and the
		// locators below do not see it.
		values = append(values, clientID)
	}
	if err := locate.CallOnDocument(ctx, jsCover, values); err != nil {
		return err
	}
	// Reworded secret fields are covered too, but what these looks find
	// reworded is not reported as drift: they look for every portal's
	// secret fields on any page, and a near match on another portal's page
	// is no copy edit.
	f := s.finder(nil)
	f.OnDrift = nil
	for name, el := range s.Env.Selectors.Elements {
		if !el.Secret && !el.Mask || (portal != "" && !strings.HasPrefix(name, portal+".")) {
			continue
		}
		if m, _, _ := f.Probe(ctx, el); m != nil {
			if err := m.Call(ctx, jsCover); err != nil {
				return err
			}
		}
	}
	if frame != "" {
		if m, _, _ := f.Probe(ctx, s.El(frame)); m != nil {
			_ = m.Call(ctx, jsFrame, FramePurple)
		}
	}
	return nil
}

// saveFailure keeps what a person needs to see why a step failed in tab:
// the screenshot (secrets covered), the page HTML and the URL, console and
// error (secrets scrubbed). It returns the screenshot's path and the files.
func (s *Session) saveFailure(tab context.Context, st Step, pos int, stepErr error) (string, []string) {
	if s.Env.Config.Output.Screenshots == "off" {
		return "", nil
	}
	dir := filepath.Join(s.outDir(), "failures", s.Provider)
	base := filepath.Join(dir, fmt.Sprintf("%02d-%s", pos, st.Name))
	shot := s.screenshot(tab, st, base+".png")
	ctx, cancel := context.WithTimeout(tab, 5*time.Second)
	defer cancel()
	html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	s.mu.Lock()
	console := strings.Join(s.console, "\n")
	s.mu.Unlock()
	info := fmt.Sprintf("step: %s\nurl: %s\nerror: %v\n\nconsole:\n%s\n", st.Name, redactURL(loc), stepErr, console)
	files := []string{}
	if shot != "" {
		files = append(files, shot)
	}
	if err := store.WriteFile(base+".html", []byte(s.Scrub(html)), 0o600); err == nil {
		files = append(files, base+".html")
	}
	if err := store.WriteFile(base+".txt", []byte(s.Scrub(info)), 0o600); err == nil {
		files = append(files, base+".txt")
	}
	_ = os.Chmod(dir, 0o700)
	return shot, files
}
