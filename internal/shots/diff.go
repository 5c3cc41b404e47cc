package shots

import (
	"fmt"
	"image"

	"github.com/orisano/pixelmatch"
)

// The golden comparison's tolerance: a pixel differs when its colour
// distance (pixelmatch's YIQ measure, 0 to 1) is above DiffThreshold and it
// is not an anti-aliased edge pixel; a picture matches its golden when at
// most MaxDiffPixels differ and the sizes are equal. A renamed button or
// label changes hundreds of pixels; a font's anti-aliasing on another
// machine changes few, and those mostly on edges that pixelmatch ignores.
const (
	DiffThreshold = 0.1
	MaxDiffPixels = 20
)

// Diff counts the pixels that differ between want and got (see
// DiffThreshold). Pictures of different sizes are an error.
func Diff(want, got image.Image) (int, error) {
	if want.Bounds().Size() != got.Bounds().Size() {
		return 0, fmt.Errorf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	n, err := pixelmatch.MatchPixel(want, got, pixelmatch.Threshold(DiffThreshold))
	if err != nil {
		return 0, fmt.Errorf("compare pictures: %w", err)
	}
	return n, nil
}
