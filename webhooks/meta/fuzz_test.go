package meta_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// FuzzParse feeds Parse arbitrary bodies (seeded with the documented
// payloads): it must never panic, and whatever it keeps must be storable:
// a meta message with an id, a whatsapp thread of a normalized number, and
// media that is a meta:// URL or a flagged unsupported type.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	now := time.Unix(1749416400, 0)
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := meta.Parse(body, meta.ParseOptions{PhoneNumberID: testNumberID, Now: now})
		if err != nil {
			return
		}
		if len(b.Messages)+len(b.Statuses) > meta.MaxItems {
			t.Fatalf("%d items kept, over the cap", len(b.Messages)+len(b.Statuses))
		}
		for _, m := range b.Messages {
			if m.Channel != meta.Channel || m.ProviderID == "" || m.To != testNumberID {
				t.Fatalf("bad message %+v", m)
			}
			if !strings.HasPrefix(m.Thread, "whatsapp:+") {
				t.Fatalf("thread %q", m.Thread)
			}
			if d := m.ReceivedAt.Sub(now); d > 5*time.Minute || d < -8*24*time.Hour {
				t.Fatalf("received at %v, far from now", m.ReceivedAt)
			}
			if strings.TrimSpace(m.Body) == "" && len(m.Media) == 0 {
				t.Fatalf("message %q with nothing to answer", m.ProviderID)
			}
			for _, md := range m.Media {
				if _, err := meta.ParseMediaURL(md.URL); err != nil && !strings.HasPrefix(md.ContentType, "application/x-whatsapp-") {
					t.Fatalf("media %+v is neither downloadable nor flagged", md)
				}
			}
		}
		for _, s := range b.Statuses {
			if s.MessageID == "" || s.Status == "" {
				t.Fatalf("bad status %+v", s)
			}
		}
	})
}
