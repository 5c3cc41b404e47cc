package checkreport

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/orisano/pixelmatch"

	"portalbot/internal/store"
)

// The colours pixelmatch draws a difference in: red for a pixel that
// differs, yellow for an anti-aliased edge it ignores; the rest of the diff
// image is the actual picture faded.
var (
	diffRed    = color.RGBA{R: 220, G: 38, B: 38, A: 255}
	diffYellow = color.RGBA{R: 250, G: 204, B: 21, A: 255}
)

// BaselinePath is the baseline of a page's screen: <dir>/<portal>/<name>.png.
func BaselinePath(dir, name string) string {
	return filepath.Join(dir, portalOf(name), name+".png")
}

// compare compares each screen with its baseline (or writes the baseline
// with --update-baselines) and writes expected.png, actual.png and diff.png
// under <out>/check/visual/<portal>/<name>/ for each screen that differs.
func compare(r *Report, in Input) error {
	var errs []error
	for _, po := range r.Portals {
		for _, p := range po.Pages {
			for _, s := range p.Screens {
				if err := compareScreen(s, in); err != nil {
					errs = append(errs, fmt.Errorf("compare %s with its baseline: %w", s.Name, err))
				}
			}
		}
	}
	r.count()
	return errors.Join(errs...)
}

func compareScreen(s *Screen, in Input) error {
	set := in.Settings
	switch {
	case s.png == nil:
		s.Visual = Visual{Status: VisualNoPicture, Message: s.Problem}
		return nil
	case set.BaselinesDir == "":
		s.Visual = Visual{Status: VisualOff}
		return nil
	}
	base := BaselinePath(set.BaselinesDir, s.Name)
	s.Visual.Baseline = base
	if set.UpdateBaselines {
		if err := store.WriteFile(base, s.png, 0o644); err != nil {
			return err
		}
		s.Visual.Status, s.Visual.Message = VisualUpdated, "written as the new baseline"
		return nil
	}
	want, err := os.ReadFile(base)
	if errors.Is(err, fs.ErrNotExist) {
		s.Visual.Status, s.Visual.Message = VisualNoBaseline, "no baseline yet: run with --update-baselines to take it"
		return nil
	}
	if err != nil {
		return err
	}
	wantImg, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return fmt.Errorf("decode %s: %w", base, err)
	}
	gotImg, err := png.Decode(bytes.NewReader(s.png))
	if err != nil {
		return fmt.Errorf("decode the picture: %w", err)
	}
	n, total, diff, err := Diff(wantImg, gotImg, set.PixelThreshold)
	if err != nil {
		return err
	}
	s.Visual.DiffPixels = n
	s.Visual.DiffRatio = float64(n) / float64(total)
	if s.Visual.DiffRatio <= set.MaxDiffRatio {
		s.Visual.Status = VisualSame
		s.Visual.Message = fmt.Sprintf("%d of %d pixels differ (%.3f%%, at most %.3f%% allowed)", n, total, 100*s.Visual.DiffRatio, 100*set.MaxDiffRatio)
		return nil
	}
	s.Visual.Status = VisualDiffers
	if wantImg.Bounds().Size() != gotImg.Bounds().Size() {
		s.Visual.Message = fmt.Sprintf("the picture is %v, its baseline %v", gotImg.Bounds().Size(), wantImg.Bounds().Size())
	} else {
		s.Visual.Message = fmt.Sprintf("%d of %d pixels differ (%.2f%%, at most %.3f%% allowed)", n, total, 100*s.Visual.DiffRatio, 100*set.MaxDiffRatio)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, diff); err != nil {
		return fmt.Errorf("encode the diff: %w", err)
	}
	s.basePNG, s.diffPNG = want, buf.Bytes()
	rel := filepath.Join("visual", portalOf(s.Name), s.Name)
	for _, f := range []struct {
		name string
		data []byte
		ref  *string
	}{{"expected.png", want, &s.Visual.Expected}, {"actual.png", s.png, &s.Visual.Actual}, {"diff.png", s.diffPNG, &s.Visual.Diff}} {
		if err := store.WriteFile(filepath.Join(in.Dir, rel, f.name), f.data, 0o644); err != nil {
			return err
		}
		*f.ref = filepath.ToSlash(filepath.Join(rel, f.name))
	}
	return nil
}

// Diff compares two pictures with pixelmatch: a pixel differs when its
// colour distance (YIQ, 0 to 1) is above threshold and it is not an
// anti-aliased edge. It returns how many differ out of how many, and the
// diff image (the actual picture faded, differing pixels red). Pictures of
// different sizes differ in every pixel of the larger.
func Diff(want, got image.Image, threshold float64) (n, total int, diff image.Image, err error) {
	if want.Bounds().Size() != got.Bounds().Size() {
		b := got.Bounds()
		if want.Bounds().Dx()*want.Bounds().Dy() > b.Dx()*b.Dy() {
			b = want.Bounds()
		}
		out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				out.Set(x, y, diffRed)
			}
		}
		return b.Dx() * b.Dy(), b.Dx() * b.Dy(), out, nil
	}
	var out image.Image
	n, err = pixelmatch.MatchPixel(want, got, pixelmatch.Threshold(threshold), pixelmatch.WriteTo(&out),
		pixelmatch.DiffColor(diffRed), pixelmatch.AntiAliasedColor(diffYellow), pixelmatch.Alpha(0.15))
	if err != nil {
		return 0, 0, nil, fmt.Errorf("compare pictures: %w", err)
	}
	if out == nil { // identical pictures: pixelmatch draws nothing
		out = got
	}
	b := got.Bounds()
	return n, b.Dx() * b.Dy(), out, nil
}
