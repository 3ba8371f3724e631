package flows

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"net/http"

	// Decoders for what WhatsApp delivers as images.
	_ "image/gif"
	_ "image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// Bounds on what an image may cost. An image is stored in the thread's
// checkpoint and sent to the model, so it is shrunk to what a vision model
// reads anyway before either happens.
const (
	// MaxImageSide is the longest side, in pixels, of an image as the model
	// sees it; larger images are downscaled.
	MaxImageSide = 1024
	// MaxImageBytes is the largest image kept as received; a larger one is
	// re-encoded (as JPEG) even when its sides are within MaxImageSide.
	MaxImageBytes = 256 << 10
	// MaxImagePixels refuses images whose header claims more pixels than
	// this before any of them is decoded (a small file can claim a huge
	// canvas: a decompression bomb).
	MaxImagePixels = 40_000_000
	// MaxImagesPerTurn is how many images one turn passes to the model;
	// further ones get a note.
	MaxImagesPerTurn = 4
)

// ErrNotImage is returned for bytes that are not an image of a format the
// assistant reads, whatever the channel said they were.
var ErrNotImage = errors.New("flows: attachment is not a JPEG, PNG, GIF or WebP image")

// prepareImage checks that data is an image by its content (never by the
// type the webhook or the download claimed) and returns it, downscaled to
// MaxImageSide and re-encoded when it is larger than the bounds, with its
// MIME type.
func prepareImage(data []byte) ([]byte, string, error) {
	ct := http.DetectContentType(data)
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
	default:
		return nil, "", fmt.Errorf("%w (content is %s)", ErrNotImage, ct)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, "", fmt.Errorf("%w: %dx%d pixels is over the limit", ErrNotImage, cfg.Width, cfg.Height)
	}
	if cfg.Width <= MaxImageSide && cfg.Height <= MaxImageSide && len(data) <= MaxImageBytes {
		return data, ct, nil
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrNotImage, err)
	}
	// Shrink until the encoding fits MaxImageBytes: detailed images need
	// fewer pixels or a lower quality than smooth ones.
	for _, try := range []struct{ side, quality int }{{MaxImageSide, 80}, {MaxImageSide, 60}, {768, 60}, {512, 50}, {256, 40}} {
		w, h := scaled(cfg.Width, cfg.Height, try.side)
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var out bytes.Buffer
		if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: try.quality}); err != nil {
			return nil, "", fmt.Errorf("flows: encode image: %w", err)
		}
		if out.Len() <= MaxImageBytes {
			return out.Bytes(), "image/jpeg", nil
		}
	}
	return nil, "", fmt.Errorf("%w: too detailed to fit %d bytes", ErrNotImage, MaxImageBytes)
}

// scaled returns w×h shrunk so that its longer side is at most side,
// keeping the aspect ratio.
func scaled(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}
