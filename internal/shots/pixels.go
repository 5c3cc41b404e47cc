package shots

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
)

// Crop copies the part r of img into a new image whose origin is (0, 0).
func Crop(img image.Image, r image.Rectangle) *image.NRGBA {
	r = r.Intersect(img.Bounds())
	out := image.NewNRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(out, out.Bounds(), img, r.Min, draw.Src)
	return out
}

// Encode writes img as a PNG. The same pixels always give the same bytes
// (the standard encoder has no time stamp nor other metadata), which is what
// makes two runs byte-identical.
func Encode(img image.Image) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return b.Bytes(), nil
}

// Decode reads a PNG.
func Decode(data []byte) (image.Image, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode png: %w", err)
	}
	return img, nil
}

// UnmaskedError says a masked region of a picture is not one solid colour:
// something was drawn over the mask, and a secret may show.
type UnmaskedError struct {
	Region image.Rectangle // in the picture's pixels
	Name   string          // what the mask covers, when known
	Colors int             // how many colours it holds (counted up to 16)
}

func (e *UnmaskedError) Error() string {
	what := "a masked region"
	if e.Name != "" {
		what = "the mask of " + e.Name
	}
	more := ""
	if e.Colors >= 16 {
		more = " or more"
	}
	return fmt.Sprintf("%s at %v is not one solid colour in the picture (%d colours%s): something is drawn over it", what, e.Region, e.Colors, more)
}

// Region is a masked area of a picture, in its pixels, and what it covers.
type Region struct {
	Rect image.Rectangle
	Name string
}

// CheckMasked checks that every region of img is one solid colour, after
// keeping a margin of inset pixels inside its edges (where a mask drawn at a
// fraction of a pixel blends with the page). A region outside the picture,
// or thinner than the margins, is skipped: nothing of it shows.
func CheckMasked(img image.Image, regions []Region, inset int) error {
	for _, reg := range regions {
		r := reg.Rect.Inset(inset).Intersect(img.Bounds())
		if r.Empty() {
			continue
		}
		first := img.At(r.Min.X, r.Min.Y)
		r0, g0, b0, a0 := first.RGBA()
		colors := map[[4]uint32]bool{{r0, g0, b0, a0}: true}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				cr, cg, cb, ca := img.At(x, y).RGBA()
				if cr != r0 || cg != g0 || cb != b0 || ca != a0 {
					if len(colors) < 16 {
						colors[[4]uint32{cr, cg, cb, ca}] = true
					}
				}
			}
		}
		if len(colors) > 1 {
			return &UnmaskedError{Region: reg.Rect, Name: reg.Name, Colors: len(colors)}
		}
	}
	return nil
}

// TrimBottom is the part of img above the rows at its bottom that are all
// one colour (the page's empty background under its content), keeping keep
// of those rows as a margin. Nothing that is drawn is cut.
func TrimBottom(img image.Image, keep int) image.Rectangle {
	b := img.Bounds()
	if b.Empty() {
		return b
	}
	bg := img.At(b.Max.X-1, b.Max.Y-1)
	br, bgG, bb, ba := bg.RGBA()
	y := b.Max.Y
	for ; y > b.Min.Y; y-- {
		uniform := true
		for x := b.Min.X; x < b.Max.X && uniform; x++ {
			r, g, bl, a := img.At(x, y-1).RGBA()
			uniform = r == br && g == bgG && bl == bb && a == ba
		}
		if !uniform {
			break
		}
	}
	return image.Rect(b.Min.X, b.Min.Y, b.Max.X, min(b.Max.Y, y+keep))
}
