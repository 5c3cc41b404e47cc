package shots_test

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"portalbot/flows"
	"portalbot/internal/fail"
	"portalbot/internal/shots"
	"portalbot/selectors"
)

// known is what the real flows and selectors offer.
func known(t *testing.T) shots.Known {
	t.Helper()
	sel, err := selectors.Load("")
	if err != nil {
		t.Fatal(err)
	}
	k := shots.Known{Steps: map[string][]string{}, Element: func(n string) bool { _, ok := sel.Elements[n]; return ok }}
	for _, p := range flows.Providers {
		steps, err := flows.StepsFor(p, flows.ModeRun)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range steps {
			k.Steps[p] = append(k.Steps[p], st.Name)
		}
	}
	return k
}

// TestDefaultList: the built-in list is valid against the flows and the
// selectors, and holds the guides' three images under their own names.
func TestDefaultList(t *testing.T) {
	l, err := shots.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Validate(known(t)); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"xero_app-client-secret-1-field-obscured.png", "FreeAgent_-_app_creation.PNG", "FreeAgent_-_app_credentials.PNG"} {
		if _, ok := l.Named(name); !ok {
			t.Errorf("the built-in list has no %s", name)
		}
	}
	if len(l.For("xero")) == 0 || len(l.For("freeagent")) == 0 {
		t.Errorf("the built-in list has no shot for a provider")
	}
}

const good = `shots:
  - file: a.png
    flow: xero
    after: xero.generate_secret
    show: section
    of: [xero.configuration.client_secret_1]
    frame: [xero.configuration.client_secret_1]
    alt: The secret
    caption: The secret.
    guide: Cliquez sur Générer un secret.
`

// TestValidate names each bad entry, before any browser starts (exit 2).
func TestValidate(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // in the error
	}{
		{"good", good, nil},
		{"unknown key", strings.Replace(good, "frame:", "framed:", 1), []string{"field framed not found"}},
		{"unknown step", strings.Replace(good, "after: xero.generate_secret", "after: xero.generate", 1),
			[]string{`shot a.png: after: "xero.generate" is not a step of xero`}},
		{"unknown flow", strings.Replace(good, "flow: xero", "flow: sage", 1), []string{`shot a.png: flow "sage" is not one of freeagent, xero`}},
		{"unknown element", strings.Replace(good, "frame: [xero.configuration.client_secret_1]", "frame: [xero.configuration.secret]", 1),
			[]string{`shot a.png: "xero.configuration.secret" is not an element of the selectors`}},
		{"element of another portal", strings.Replace(good, "frame: [xero.configuration.client_secret_1]", "frame: [codat.settings.client_secret]", 1),
			[]string{`"codat.settings.client_secret" is on the codat portal, but step xero.generate_secret is on xero`}},
		{"path in the file name", strings.Replace(good, "file: a.png", "file: ../a.png", 1), []string{"file must be a plain name"}},
		{"not a png", strings.Replace(good, "file: a.png", "file: a.jpg", 1), []string{"file must be a plain name"}},
		{"same file twice", good + strings.TrimPrefix(strings.Replace(good, "file: a.png", "file: A.PNG", 1), "shots:\n"),
			[]string{"shot A.PNG: file is used twice (also by a.png)"}},
		{"bad show", strings.Replace(good, "show: section", "show: all", 1), []string{`show must be page, element or section (got "all")`}},
		{"section without of", strings.Replace(good, "    of: [xero.configuration.client_secret_1]\n", "", 1), []string{"show: section needs of"}},
		{"padding", strings.Replace(good, "show: section", "show: section\n    padding: 500", 1), []string{"padding must be between 0 and 200"}},
		{"no alt", strings.Replace(good, "alt: The secret", "alt: ''", 1), []string{"shot a.png: alt is required"}},
		{"quote in caption", strings.Replace(good, "caption: The secret.", `caption: 'The "secret".'`, 1), []string{"without quotes"}},
		{"empty", "shots: []\n", []string{"no shots"}},
	}
	k := known(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := shots.Parse([]byte(tt.yaml), "test.yaml")
			if err == nil {
				err = l.Validate(k)
			}
			if tt.want == nil {
				if err != nil {
					t.Fatalf("want no error, got %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error with %q", tt.want)
			}
			if fail.ExitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", fail.ExitCode(err))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

func picture(w, h int, bg color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return img
}

// TestCheckMasked: a mask is one solid colour inside a margin; anything
// drawn over it is found.
func TestCheckMasked(t *testing.T) {
	dark := color.NRGBA{0x22, 0x22, 0x22, 0xff}
	img := picture(100, 60, color.White)
	draw.Draw(img, image.Rect(10, 10, 90, 30), image.NewUniform(dark), image.Point{}, draw.Src)
	mask := shots.Region{Rect: image.Rect(10, 10, 90, 30), Name: "the secret"}
	if err := shots.CheckMasked(img, []shots.Region{mask}, 1); err != nil {
		t.Fatalf("a solid mask: %v", err)
	}
	// The page's edge pixels blend into the mask's rim: the margin skips them.
	img.Set(10, 15, color.NRGBA{0x80, 0x80, 0x80, 0xff})
	if err := shots.CheckMasked(img, []shots.Region{mask}, 1); err != nil {
		t.Fatalf("a blended rim: %v", err)
	}
	// A character drawn over the mask.
	img.Set(40, 20, color.White)
	err := shots.CheckMasked(img, []shots.Region{mask}, 1)
	var ue *shots.UnmaskedError
	if err == nil || !strings.Contains(err.Error(), "the mask of the secret") || !errors.As(err, &ue) || ue.Colors != 2 {
		t.Fatalf("a pixel over the mask: got %v", err)
	}
	// A mask outside the cropped picture shows nothing of it.
	if err := shots.CheckMasked(img, []shots.Region{{Rect: image.Rect(200, 200, 300, 260)}}, 1); err != nil {
		t.Fatalf("a mask outside the picture: %v", err)
	}
}

// TestEncodeIsStable: the same pixels give the same bytes, and they decode
// back to the same pixels.
func TestEncodeIsStable(t *testing.T) {
	img := picture(64, 32, color.NRGBA{0x7b, 0x3f, 0xe4, 0xff})
	a, err := shots.Encode(shots.Crop(img, image.Rect(8, 8, 40, 24)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := shots.Encode(shots.Crop(img, image.Rect(8, 8, 40, 24)))
	if string(a) != string(b) {
		t.Fatal("two encodings of the same pixels differ")
	}
	back, err := shots.Decode(a)
	if err != nil || back.Bounds().Dx() != 32 || back.Bounds().Dy() != 16 {
		t.Fatalf("decoded %v, %v; want 32x16", back.Bounds(), err)
	}
}

// TestDiff: equal pictures match; a change of one word's size does not;
// another size is an error.
func TestDiff(t *testing.T) {
	a := picture(200, 80, color.White)
	if n, err := shots.Diff(a, picture(200, 80, color.White)); err != nil || n != 0 {
		t.Fatalf("equal pictures: %d, %v", n, err)
	}
	b := picture(200, 80, color.White)
	draw.Draw(b, image.Rect(20, 30, 60, 42), image.NewUniform(color.Black), image.Point{}, draw.Src) // a word, 40x12
	if n, _ := shots.Diff(a, b); n <= shots.MaxDiffPixels {
		t.Fatalf("a changed word: %d pixels differ, want more than %d", n, shots.MaxDiffPixels)
	}
	if _, err := shots.Diff(a, picture(201, 80, color.White)); err == nil {
		t.Fatal("pictures of different sizes: want an error")
	}
}

// TestIndex lists the shots that exist, with alt text, caption and guide
// line, in list order.
func TestIndex(t *testing.T) {
	l, err := shots.Load("")
	if err != nil {
		t.Fatal(err)
	}
	md := string(l.Index(func(f string) bool { return f != "FreeAgent_-_app_creation.PNG" }))
	sh, _ := l.Named("xero_app-client-secret-1-field-obscured.png")
	for _, want := range []string{"![" + sh.Alt + "](xero_app-client-secret-1-field-obscured.png \"" + sh.Caption + "\")",
		"*" + sh.Caption + "*", "> 4. Cliquez sur **Générer un secret**", "## FreeAgent"} {
		if !strings.Contains(md, want) {
			t.Errorf("index.md does not hold %q", want)
		}
	}
	if strings.Contains(md, "FreeAgent_-_app_creation.PNG") {
		t.Errorf("index.md lists a shot that was not written")
	}
	if strings.Index(md, "xero-my-apps-new-app.png") > strings.Index(md, "FreeAgent_-_app_credentials.PNG") {
		t.Errorf("index.md is not in list order")
	}
}

// TestTrimBottom drops the empty rows under the content, keeping a margin,
// and never a row that holds something.
func TestTrimBottom(t *testing.T) {
	img := picture(50, 100, color.White)
	img.Set(10, 39, color.Black) // the content ends on row 39
	if got := shots.TrimBottom(img, 8); got != image.Rect(0, 0, 50, 48) {
		t.Errorf("trimmed to %v, want 50x48", got)
	}
	img.Set(49, 99, color.Black) // a toast in the corner: nothing to trim
	if got := shots.TrimBottom(img, 8); got != img.Bounds() {
		t.Errorf("trimmed to %v, want the whole picture", got)
	}
}
