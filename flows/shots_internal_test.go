package flows

import (
	"errors"
	"image"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.uber.org/zap"

	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fail"
	"portalbot/internal/secret"
	"portalbot/internal/shots"
	"portalbot/selectors"
)

// shotPage is a card with a secret field the selectors know, a password
// field and a text holding a known secret that they do not; with #over, a
// modal dialog in the browser's top layer, which no z-index covers, is drawn
// over the secret field.
const shotPage = `<!doctype html><html><head><style>
body{margin:0;font:16px sans-serif;background:#f4f6f8}
.card{margin:40px;padding:20px;width:480px;background:#fff;border:1px solid #ccd}
input{display:block;width:420px;margin:4px 0 12px;font:inherit;padding:6px}
dialog{position:fixed;left:60px;top:90px;margin:0;padding:4px;border:0;font:20px monospace}
</style></head><body>
<div class="card">
<label>Client secret <input name="secret" value="Sx-0123456789abcdefghij" readonly></label>
<label>Password <input type="password" value="hunter2hunter2"></label>
<p>Your key: <code>Kx-known-secret-42</code></p>
</div>
<dialog>Sx-0123456789abcdefghij</dialog>
<script>if (location.hash === "#over") document.querySelector("dialog").showModal();</script>
</body></html>`

// shotSession opens shotPage (with hash) in a tab of the shared browser and
// returns a session whose selectors know only the secret field.
func shotSession(t *testing.T, hash string) *Session {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(shotPage))
	}))
	t.Cleanup(srv.Close)
	tab := browsertest.Tab(t)
	if err := chromedp.Do(tab, chromedp.Navigate(srv.URL+"/"+hash)); err != nil {
		t.Fatal(err)
	}
	sel := &selectors.Set{Elements: map[string]*selectors.Element{
		"test.page.secret": {Name: "test.page.secret", Page: "test.page", Secret: true,
			Locators: []selectors.Locator{{CSS: "input[name=secret]"}}},
	}}
	env := &Env{
		Config:    &config.Config{Browser: config.Browser{StepTimeout: 10 * time.Second, Viewport: browsertest.Viewport}},
		Log:       zap.NewNop(),
		Selectors: sel, Mode: ModeCheck, Now: time.Now,
		Shots: &ShotsRun{Dir: t.TempDir()},
	}
	s := newSession(tab, env, "test")
	s.AddSecret(secret.New("Kx-known-secret-42"))
	return s
}

var cardShot = shots.Shot{File: "card.png", Show: shots.ShowSection, Of: []string{"test.page.secret"}, Frame: []string{"test.page.secret"}}

// TestShotMasksEverySecret: the shot list names no mask, yet the secret
// field, the password field and the text holding a known secret are each
// one solid block in the written picture, and the secret field is framed in
// purple.
func TestShotMasksEverySecret(t *testing.T) {
	t.Parallel()
	s := shotSession(t, "")
	path, err := s.takeShot(s.tabs[TabProvider], s.tabs[TabProvider], cardShot)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := shots.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	mask := color.NRGBA{0x22, 0x22, 0x22, 0xff}
	runs := darkRuns(img, mask)
	if runs < 3 {
		t.Errorf("%s: %d masked blocks, want 3 (secret field, password field, known secret)", path, runs)
	}
	if !hasColor(img, color.NRGBA{0x7b, 0x3f, 0xe4, 0xff}) {
		t.Errorf("%s: no purple frame", path)
	}
	// Cropped to the card and its padding, not the whole viewport.
	if b := img.Bounds(); b.Dx() >= browsertest.Viewport.Width || b.Dy() >= browsertest.Viewport.Height {
		t.Errorf("%s is %v: not cropped to the section", path, b)
	}
}

// TestShotDrawnOverIsNotWritten: a dialog in the browser's top layer over
// the secret field shows through the mask; the pixels say so, the shot is
// not written and the error is a page mismatch (exit 4).
func TestShotDrawnOverIsNotWritten(t *testing.T) {
	t.Parallel()
	s := shotSession(t, "#over")
	_, err := s.takeShot(s.tabs[TabProvider], s.tabs[TabProvider], cardShot)
	var ue *shots.UnmaskedError
	if !errors.As(err, &ue) {
		t.Fatalf("want an unmasked region, got %v", err)
	}
	if fail.ExitCode(err) != 4 {
		t.Errorf("exit code %d, want 4", fail.ExitCode(err))
	}
	if _, err := os.Stat(filepath.Join(s.Env.Shots.Dir, cardShot.File)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the shot was written anyway (%v)", err)
	}
}

// darkRuns counts the rows of solid blocks of c at least 100 pixels wide
// and 10 high: the masks.
func darkRuns(img image.Image, c color.Color) int {
	b := img.Bounds()
	wr, wg, wb, wa := c.RGBA()
	is := func(x, y int) bool {
		r, g, bl, a := img.At(x, y).RGBA()
		return r == wr && g == wg && bl == wb && a == wa
	}
	blocks, inBlock := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		run, best := 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if is(x, y) {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
		if best >= 100 {
			inBlock++
			if inBlock == 10 {
				blocks++
			}
		} else {
			inBlock = 0
		}
	}
	return blocks
}

func hasColor(img image.Image, c color.Color) bool {
	b := img.Bounds()
	wr, wg, wb, _ := c.RGBA()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r == wr && g == wg && bl == wb {
				return true
			}
		}
	}
	return false
}
