package flows_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

// bytesFetcher serves fixed bodies with the content type they claim.
type bytesFetcher map[string]struct {
	body []byte
	ct   string
}

func (f bytesFetcher) Fetch(ctx context.Context, url string) ([]byte, string, error) {
	r, ok := f[url]
	if !ok {
		return nil, "", fmt.Errorf("404")
	}
	return r.body, r.ct, nil
}

func withMedia(f bytesFetcher) func(*flows.Runner) {
	return func(r *flows.Runner) {
		ch := r.Channels["twilio"]
		ch.Media = f
		r.Channels["twilio"] = ch
		r.BurstWindow = time.Second
	}
}

// images returns the image parts of the last request's user messages.
func images(t *testing.T, req llm.Request) []llm.Part {
	t.Helper()
	var out []llm.Part
	for _, m := range req.Messages {
		for _, p := range m.Parts {
			if p.Type == llm.PartImage {
				out = append(out, p)
			}
		}
	}
	return out
}

// pngHeader returns the signature and IHDR chunk of a w×h PNG: what a
// decompression bomb shows before its pixels.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestImagesAreCheckedByContentAndBounded(t *testing.T) {
	tests := []struct {
		name      string
		body      []byte
		claimed   string
		wantImage string // the data URL's type, or "" for no image
		wantSide  int
	}{
		{"small image kept as it is", pngOf(8, 8), "image/png", "image/png", 8},
		{"large image downscaled", pngOf(3000, 1500), "image/png", "image/jpeg", 1024},
		{"a process's command line labelled as an image", []byte("/usr/bin/assistant\x00serve\x00"), "image/png", "", 0},
		{"HTML labelled as an image", []byte("<html><body>internal</body></html>"), "image/jpeg", "", 0},
		{"a header claiming 100000×100000 pixels", pngHeader(100000, 100000), "image/png", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, withMedia(bytesFetcher{"https://m/x": {tt.body, tt.claimed}}))
			e.receive("look", store.Media{URL: "https://m/x", ContentType: tt.claimed})
			e.now = e.now.Add(2 * time.Second)
			start := time.Now()
			e.run()
			if d := time.Since(start); d > 20*time.Second {
				t.Fatalf("took %s", d)
			}
			got := images(t, e.model.reqs[0])
			if tt.wantImage == "" {
				if len(got) != 0 {
					t.Fatalf("the model got an image: %.60s", got[0].ImageURL)
				}
				if r := e.store.replies(); !strings.Contains(strings.Join(r, "\n"), "couldn't open your image") {
					t.Fatalf("replies = %v", r)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("%d images, want 1", len(got))
			}
			mt, b64, err := llm.ParseDataURL(got[0].ImageURL)
			if err != nil || mt != tt.wantImage {
				t.Fatalf("type %q (%v), want %q", mt, err, tt.wantImage)
			}
			data, _ := base64.StdEncoding.DecodeString(b64)
			cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || max(cfg.Width, cfg.Height) != tt.wantSide || len(data) > flows.MaxImageBytes {
				t.Fatalf("%dx%d, %d bytes (%v); want longest side %d within %d bytes", cfg.Width, cfg.Height, len(data), err, tt.wantSide, flows.MaxImageBytes)
			}
		})
	}
}

func TestImagesPerTurnAreBounded(t *testing.T) {
	f := bytesFetcher{}
	var media []store.Media
	big := pngOf(2000, 2000)
	for i := range 10 {
		u := fmt.Sprint("https://m/", i)
		f[u] = struct {
			body []byte
			ct   string
		}{big, "image/png"}
		media = append(media, store.Media{URL: u, ContentType: "image/png"})
	}
	e := newEnv(t, withMedia(f))
	e.receive("ten photos", media...)
	e.receive("and ten more", media...)
	e.now = e.now.Add(2 * time.Second)
	e.run()
	req := e.model.reqs[0]
	if n := len(images(t, req)); n != flows.MaxImagesPerTurn {
		t.Fatalf("%d images in the turn, want %d", n, flows.MaxImagesPerTurn)
	}
	size := 0
	for _, m := range req.Messages {
		for _, p := range m.Parts {
			size += len(p.ImageURL) + len(p.Text)
		}
	}
	// 20 images of 16 MB made a 3 GB process; the turn stays under 2 MB.
	if size > 2<<20 {
		t.Fatalf("turn is %d bytes", size)
	}
	if r := strings.Join(e.store.replies(), "\n"); !strings.Contains(r, "up to 4 images") {
		t.Fatalf("replies = %v", r)
	}
}

func TestOlderImagesAreNotResent(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("what is this", store.Media{URL: "https://m/photo", ContentType: "image/jpeg"})
	e.run()
	e.receive("hello")
	e.run()
	if len(e.model.reqs) != 2 {
		t.Fatalf("%d model calls", len(e.model.reqs))
	}
	if n := len(images(t, e.model.reqs[0])); n != 1 {
		t.Fatalf("first turn: %d images", n)
	}
	second := e.model.reqs[1]
	if n := len(images(t, second)); n != 0 {
		t.Fatalf("second turn re-sent %d images", n)
	}
	if !strings.Contains(fmt.Sprint(second.Messages[0].Parts), "[image]") {
		t.Fatalf("the earlier image is not mentioned: %+v", second.Messages[0].Parts)
	}
}

func TestLongTextIsBounded(t *testing.T) {
	e := newEnv(t, nil)
	e.receive(strings.Repeat("é", 100_000))
	e.run()
	if n := len(e.model.reqs[0].Messages[0].Content); n > flows.MaxTextBytes+8 {
		t.Fatalf("message of %d bytes reached the model", n)
	}
}

func TestABurstIsBoundedToTheNewestMessages(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.BurstWindow = time.Second })
	for i := range 50 {
		e.receive(fmt.Sprint("m", i))
	}
	e.now = e.now.Add(2 * time.Second)
	e.run()
	if len(e.model.reqs) != 1 {
		t.Fatalf("%d model calls, want 1", len(e.model.reqs))
	}
	users := 0
	for _, m := range e.model.reqs[0].Messages {
		if m.Role == llm.RoleUser {
			users++
		}
	}
	if users != flows.MaxTurnMessages || e.model.reqs[0].Messages[0].Content != "m30" {
		t.Fatalf("%d user messages from %q; want the newest %d", users, e.model.reqs[0].Messages[0].Content, flows.MaxTurnMessages)
	}
	if p, _ := e.store.Pending(context.Background(), th); len(p) != 0 {
		t.Fatalf("%d messages left pending", len(p))
	}
	if r := strings.Join(e.store.replies(), "\n"); !strings.Contains(r, "You sent 50 messages at once; I've answered the latest 20") {
		t.Fatalf("replies = %v", r)
	}
}

func TestAHeldSenderKeepsOneJob(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(r *flows.Runner) {
		r.RateLimit = 5
		r.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	// 200 messages in a minute: each has its job, as the store enqueues.
	snoozed, reads := 0, 0
	for i := range 200 {
		e.receive(fmt.Sprint("flood ", i))
		e.store.mu.Lock()
		before := e.store.pendingReads
		e.store.mu.Unlock()
		again, err := e.runner.RunThread(context.Background(), th)
		e.store.mu.Lock()
		if i > 5 {
			// A job of a held message ends without reading the
			// pending messages: a flood's jobs would each read it all.
			reads += e.store.pendingReads - before
		}
		e.store.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		if i >= 5 && again > 0 {
			snoozed++
		}
		if i < 5 {
			e.sendAll()
		}
	}
	if snoozed != 1 {
		t.Fatalf("%d jobs stay snoozed, want the one keeping the hold", snoozed)
	}
	if reads != 0 {
		t.Fatalf("the jobs of held messages read the pending messages %d times", reads)
	}
	if n := strings.Count(logs.String(), "over the rate limit"); n != 1 {
		t.Fatalf("%d warnings, want 1:\n%s", n, logs.String())
	}
	// The hold ends: one bounded catch-up.
	calls := len(e.model.reqs)
	e.now = e.now.Add(2 * time.Minute)
	e.run()
	if len(e.model.reqs) != calls+1 {
		t.Fatalf("%d model calls for the catch-up, want 1", len(e.model.reqs)-calls)
	}
	users := 0
	for _, m := range e.model.reqs[len(e.model.reqs)-1].Messages[lastAnswer(e.model.reqs[len(e.model.reqs)-1].Messages):] {
		if m.Role == llm.RoleUser {
			users++
		}
	}
	if users > flows.MaxTurnMessages {
		t.Fatalf("catch-up sent %d messages to the model", users)
	}
	if p, _ := e.store.Pending(context.Background(), th); len(p) != 0 {
		t.Fatalf("%d messages left pending", len(p))
	}
}
