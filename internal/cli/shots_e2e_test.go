package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"image"
	"image/color"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"portalbot/internal/browsertest"
	"portalbot/internal/config"
	"portalbot/internal/fakeportal"
	"portalbot/internal/shots"
)

func TestMain(m *testing.M) { browsertest.Main(m) }

// goldenShots holds the golden pictures of the built-in shot list on the
// deterministic replicas; go test ./internal/cli -run TestShots -update
// rewrites them.
var goldenShots = filepath.Join("..", "..", "testdata", "shots")

// shootResult is one bot shots run against fresh replicas.
type shootResult struct {
	code     int
	out      string // the --out directory
	stdout   string
	stderr   string
	portals  *fakeportal.Portals
	shotsDir string
}

// shoot starts fresh replicas with opts and runs bot with args against them
// (the real Factory, but the browser is a tab of the shared test browser).
func shoot(t *testing.T, opts fakeportal.Options, args ...string) shootResult {
	t.Helper()
	r := onReplicas(t, fakeportal.StartT(t, opts), args...)
	r.shotsDir = filepath.Join(r.out, "shots")
	return r
}

// onReplicas runs bot with args against the replicas p, with a clean
// environment (no BOT_ variables from the developer's shell), the real
// Factory and a tab of the shared test browser (in a browser context
// emptied of what earlier runs left), its output in a fresh directory.
func onReplicas(t *testing.T, p *fakeportal.Portals, args ...string) shootResult {
	t.Helper()
	for _, k := range config.Keys() {
		t.Setenv(config.EnvVar(k), "")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(p.BotConfigYAML()), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	f := NewFactory(&IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr})
	f.StartBrowser = func(context.Context, config.Browser, *zap.Logger) (context.Context, func(), error) {
		tab, drop := browsertest.Recycled(t, p.Origins()...)
		return tab, drop, nil
	}
	code := Execute(context.Background(), f, append([]string{"--config", cfg, "--out", out, "--log-level", "warn"}, args...))
	return shootResult{code: code, out: out, stdout: stdout.String(), stderr: stderr.String(), portals: p}
}

// secretsOf are every secret value the replicas hold or issued.
func secretsOf(p *fakeportal.Portals) []string {
	c, r := p.Creds, p.Records()
	vals := []string{c.XeroPassword, c.CodatPassword, c.FreeAgentPassword, c.XeroTOTPSecret, c.CodatTOTPSecret}
	for _, a := range r.XeroApps {
		for _, s := range a.Secrets {
			vals = append(vals, s.Value)
		}
	}
	for _, a := range r.FreeAgentApps {
		vals = append(vals, a.Secret)
	}
	for _, i := range r.Codat {
		vals = append(vals, i.ClientSecret)
	}
	return vals
}

// TestShotsOnReplicas: bot shots all writes every shot of the built-in list
// (the guides' three images under their own names) and index.md; a second
// run on fresh replicas writes the same bytes (sha256), every file; the
// pictures match the golden ones within their tolerance; no secret value is
// in any file under shots/, and each of the guides' images shows its masks.
func TestShotsOnReplicas(t *testing.T) {
	list, err := shots.Load("")
	if err != nil {
		t.Fatal(err)
	}
	first := shoot(t, fakeportal.Options{Deterministic: true}, "shots", "all")
	if first.code != 0 {
		t.Fatalf("bot shots all: exit %d\n%s", first.code, first.stderr)
	}
	for _, name := range append(list.Files(), "index.md") {
		p := filepath.Join(first.shotsDir, name)
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s not written: %v", name, err)
		}
		if !strings.Contains(first.stdout, p+"\n") {
			t.Errorf("%s not listed on stdout", p)
		}
	}
	if err := first.portals.Records().Delivered("xero", true); err != nil {
		t.Errorf("xero: %v", err)
	}
	if err := first.portals.Records().Delivered("freeagent", true); err != nil {
		t.Errorf("freeagent: %v", err)
	}

	// No secret value in any file under shots/, index.md included.
	_ = filepath.WalkDir(first.shotsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, v := range secretsOf(first.portals) {
			if v != "" && bytes.Contains(b, []byte(v)) {
				t.Errorf("a secret value is in %s", p)
			}
		}
		return nil
	})
	// The guides' images show their masks: solid blocks of the mask colour.
	for name, want := range map[string]int{"xero_app-client-secret-1-field-obscured.png": 2, "FreeAgent_-_app_credentials.PNG": 2} {
		if n := maskBlocks(t, filepath.Join(first.shotsDir, name)); n < want {
			t.Errorf("%s shows %d masked fields, want %d", name, n, want)
		}
	}

	second := shoot(t, fakeportal.Options{Deterministic: true}, "shots", "all")
	if second.code != 0 {
		t.Fatalf("second bot shots all: exit %d\n%s", second.code, second.stderr)
	}
	for _, name := range append(list.Files(), "index.md") {
		a, errA := os.ReadFile(filepath.Join(first.shotsDir, name))
		b, errB := os.ReadFile(filepath.Join(second.shotsDir, name))
		if errA != nil || errB != nil {
			t.Errorf("%s: %v, %v", name, errA, errB)
			continue
		}
		if sha256.Sum256(a) == sha256.Sum256(b) {
			continue
		}
		if name == "index.md" {
			t.Errorf("index.md differs between two runs:\n%s\n---\n%s", a, b)
			continue
		}
		n, most, box := whereDiffer(t, a, b)
		t.Errorf("%s differs between two runs (sha256): %d pixels in %v, by up to %d per channel", name, n, box, most)
	}

	if *update {
		updateGoldenShots(t, list, first.shotsDir)
		return
	}
	for _, name := range list.Files() {
		if n, err := diffGolden(t, first.shotsDir, name); err != nil || n > shots.MaxDiffPixels {
			t.Errorf("%s differs from its golden picture: %d pixels (tolerance %d), %v (go test ./internal/cli -run TestShotsOnReplicas -update rewrites them after a wanted change)",
				name, n, shots.MaxDiffPixels, err)
		}
	}
}

// TestShotsGoldenCatchesARename: one label renamed on the replicas (the
// form's Create App button, which --only never gets to click) makes the shot
// that shows it differ from its golden picture beyond the tolerance.
func TestShotsGoldenCatchesARename(t *testing.T) {
	const name = "FreeAgent_-_app_creation.PNG"
	r := shoot(t, fakeportal.Options{Deterministic: true, Faults: fakeportal.Faults{Rename: map[string]string{"Create App": "Register App"}}},
		"shots", "freeagent", "--only", name)
	if r.code != 0 {
		t.Fatalf("bot shots --only %s: exit %d\n%s", name, r.code, r.stderr)
	}
	n, err := diffGolden(t, r.shotsDir, name)
	if err != nil {
		t.Fatal(err)
	}
	if n <= shots.MaxDiffPixels {
		t.Errorf("a renamed label changed %d pixels of %s: the tolerance (%d) hides it", n, name, shots.MaxDiffPixels)
	}
	t.Logf("a renamed label changed %d pixels of %s", n, name)
	if _, err := os.Stat(filepath.Join(r.shotsDir, "FreeAgent_-_app_credentials.PNG")); err == nil {
		t.Errorf("--only wrote another shot too")
	}
}

// whereDiffer says how many pixels of two pictures differ, by how much at
// most (per channel), and where.
func whereDiffer(t *testing.T, a, b []byte) (n, most int, box image.Rectangle) {
	t.Helper()
	ia, errA := shots.Decode(a)
	ib, errB := shots.Decode(b)
	if errA != nil || errB != nil || ia.Bounds() != ib.Bounds() {
		return 1 << 30, 255, image.Rectangle{}
	}
	abs := func(x, y uint32) int { return max(int(x>>8)-int(y>>8), int(y>>8)-int(x>>8)) }
	for y := ia.Bounds().Min.Y; y < ia.Bounds().Max.Y; y++ {
		for x := ia.Bounds().Min.X; x < ia.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := ia.At(x, y).RGBA()
			r2, g2, b2, a2 := ib.At(x, y).RGBA()
			if d := max(abs(r1, r2), abs(g1, g2), abs(b1, b2), abs(a1, a2)); d > 0 {
				n++
				most = max(most, d)
				box = box.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return n, most, box
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := shots.Decode(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func diffGolden(t *testing.T, dir, name string) (int, error) {
	t.Helper()
	return shots.Diff(readPNG(t, filepath.Join(goldenShots, name)), readPNG(t, filepath.Join(dir, name)))
}

// updateGoldenShots copies the shots to testdata/shots and removes golden
// pictures no longer in the list.
func updateGoldenShots(t *testing.T, list *shots.List, dir string) {
	t.Helper()
	if err := os.MkdirAll(goldenShots, 0o755); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(goldenShots, "*"))
	for _, p := range old {
		if _, ok := list.Named(filepath.Base(p)); !ok {
			_ = os.Remove(p)
		}
	}
	for _, name := range list.Files() {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(goldenShots, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("golden pictures rewritten in %s", goldenShots)
}

// maskBlocks counts the solid blocks of the mask colour (#222) at least 200
// pixels wide and 12 high in a picture.
func maskBlocks(t *testing.T, path string) int {
	t.Helper()
	img := readPNG(t, path)
	b := img.Bounds()
	mask := color.NRGBA{0x22, 0x22, 0x22, 0xff}
	mr, mg, mb, _ := mask.RGBA()
	blocks, rows := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		run, best := 0, 0
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r == mr && g == mg && bl == mb {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
		if best >= 200 {
			if rows++; rows == 12 {
				blocks++
			}
		} else {
			rows = 0
		}
	}
	return blocks
}
