package webhooks_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/webhooks"
)

func TestBound(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want int // length in bytes, at most
	}{
		{"short", "/webhooks/twilio", len("/webhooks/twilio")},
		{"exact", strings.Repeat("a", webhooks.MaxLogField), webhooks.MaxLogField},
		{"long", strings.Repeat("a", 1<<20), webhooks.MaxLogField + len("…")},
		{"multibyte", strings.Repeat("é", 1000), webhooks.MaxLogField + len("…")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := webhooks.Bound(tc.in)
			if len(got) > tc.want || !utf8.ValidString(got) {
				t.Fatalf("Bound = %d bytes (valid UTF-8: %v), want at most %d", len(got), utf8.ValidString(got), tc.want)
			}
			if len(tc.in) <= webhooks.MaxLogField && got != tc.in {
				t.Fatalf("Bound changed a short value: %q", got)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest("POST", "/", nil)
	r.RemoteAddr = "192.0.2.7:4000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := webhooks.ClientIP(r); got != "192.0.2.7" {
		t.Fatalf("ClientIP without the router = %q, want the peer", got)
	}
	r = r.WithContext(webhooks.WithClientIP(r.Context(), "198.51.100.1"))
	if got := webhooks.ClientIP(r); got != "198.51.100.1" {
		t.Fatalf("ClientIP = %q, want the router's decision", got)
	}
}
