package thread_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/thread"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"whatsapp:+1 (555) 123-4567", "whatsapp:+15551234567"},
		{"+15551234567", "whatsapp:+15551234567"},
		{"whatsapp:15551234567", "whatsapp:+15551234567"},
		{"15551234567", "whatsapp:+15551234567"},
		{"  WhatsApp: +1.555.123.4567 ", "whatsapp:+15551234567"},
		{"0015551234567", "whatsapp:+15551234567"},
		{"+44 20 7946 0958", "whatsapp:+442079460958"},
		{"evolution:5511987654321", "evolution:+5511987654321"},
		{"evolution:5511987654321@s.whatsapp.net", "evolution:+5511987654321"},
		{"5511987654321:12@s.whatsapp.net", "whatsapp:+5511987654321"},
		{"15551234567@c.us", "whatsapp:+15551234567"},
		{"120363012345678901@g.us", "whatsapp:120363012345678901@g.us"},
		{"evolution:120363012345678901@G.US", "evolution:120363012345678901@g.us"},
		{"whatsapp:15551234567-1600000000@g.us", "whatsapp:15551234567-1600000000@g.us"},
		{"whatsapp:123456789012345@lid", "whatsapp:123456789012345@lid"},
		{"meta:+15551234567", "meta:+15551234567"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := thread.Normalize(tc.in)
			if err != nil {
				t.Fatalf("Normalize(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			again, err := thread.Normalize(got)
			if err != nil || again != got {
				t.Fatalf("Normalize is not idempotent: %q → %q, %v", got, again, err)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"whatsapp:", "nothing after the channel"},
		{"hello", "unexpected"},
		{"whatsapp:+1555abc4567", "unexpected 'a'"},
		{"+1555", "too short"},
		{"+1234567890123456", "longer than E.164"},
		{"05551234567", "country code"},
		{"+", "no digits"},
		{"1+5551234567", "unexpected '+'"},
		{"what's app:+15551234567", "channel"},
		{"9x:+15551234567", "unexpected"},
		{"whatsapp:abc@g.us", "group id"},
		{"whatsapp:123@example.com", "unknown address domain"},
		{"whatsapp:12a@lid", "linked id"},
		{"DROP TABLE;", "unexpected"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := thread.Normalize(tc.in)
			if err == nil {
				t.Fatalf("Normalize(%q) = %q, want an error", tc.in, got)
			}
			if !errors.Is(err, thread.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Normalize(%q) error = %v, want ErrInvalid mentioning %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestMask(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"whatsapp:+15551234567", "whatsapp:+1555***4567"},
		{"evolution:+5511987654321", "evolution:+5511***4321"},
		{"whatsapp:120363012345678901@g.us", "whatsapp:1203***8901@g.us"},
		{"whatsapp:+1234567", "whatsapp:+12***67"},
		{"whatsapp:+123", "whatsapp:+***"},
		{"+15551234567", "+1555***4567"},
		{"", "***"},
		{"whatsapp:", "whatsapp:***"},
		{"ünïcødé-number-x", "ünïc***er-x"},
	}
	for _, tc := range tests {
		if got := thread.Mask(tc.in); got != tc.want {
			t.Errorf("Mask(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if num := strings.TrimPrefix(tc.in, "whatsapp:"); len(num) > 4 && strings.Contains(thread.Mask(tc.in), num) {
			t.Errorf("Mask(%q) reveals the whole number", tc.in)
		}
	}
}

func ExampleNormalize() {
	for _, raw := range []string{"whatsapp:+1 (555) 123-4567", "+15551234567", "whatsapp:15551234567", "120363012345678901@g.us", "call me"} {
		id, err := thread.Normalize(raw)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(id)
	}
	// Output:
	// whatsapp:+15551234567
	// whatsapp:+15551234567
	// whatsapp:+15551234567
	// whatsapp:120363012345678901@g.us
	// error: thread: invalid thread id: "call me": unexpected 'c' in a phone number
}

func ExampleMask() {
	fmt.Println(thread.Mask("whatsapp:+15551234567"))
	// Output: whatsapp:+1555***4567
}

func TestIDLogValueMasks(t *testing.T) {
	var buf strings.Builder
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("turn", "thread", thread.ID("whatsapp:+15551234567"))
	log.With("thread", thread.ID("whatsapp:120363012345678901@g.us")).Info("turn")
	out := buf.String()
	for _, raw := range []string{"+15551234567", "120363012345678901"} {
		if strings.Contains(out, raw) {
			t.Errorf("log carries the raw id %s:\n%s", raw, out)
		}
	}
	if !strings.Contains(out, `"thread":"whatsapp:+1555***4567"`) {
		t.Errorf("log lacks the masked id:\n%s", out)
	}
}

func TestIsGroup(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"whatsapp:120363012345678901@g.us", true},
		{"120363012345678901@G.US ", true},
		{"evolution:15551234567-1600000000@g.us", true},
		{"whatsapp:+15551234567", false},
		{"15551234567@s.whatsapp.net", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := thread.IsGroup(tt.id); got != tt.want {
			t.Errorf("IsGroup(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestMaskError(t *testing.T) {
	const id = "whatsapp:+15551234567"
	cause := errors.New("connection reset")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"whole id", fmt.Errorf("graph: save thread %s: %w", id, cause), "graph: save thread " + thread.Mask(id) + ": connection reset"},
		{"address only", fmt.Errorf("send to +15551234567: %w", cause), "send to " + thread.Mask("+15551234567") + ": connection reset"},
		{"group", fmt.Errorf("load thread %s: %w", "whatsapp:120363012345678901@g.us", cause), "load thread " + thread.Mask("whatsapp:120363012345678901@g.us") + ": connection reset"},
		{"other thread untouched", fmt.Errorf("thread whatsapp:+15550000000: %w", cause), "thread whatsapp:+15550000000: connection reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			owner := id
			if tt.name == "group" {
				owner = "whatsapp:120363012345678901@g.us"
			}
			err := thread.MaskError(owner, tt.err)
			if err.Error() != tt.want || !errors.Is(err, cause) {
				t.Fatalf("MaskError = %q (wraps cause: %v), want %q", err, errors.Is(err, cause), tt.want)
			}
		})
	}
	if thread.MaskError(id, nil) != nil {
		t.Fatal("MaskError(nil) is not nil")
	}
}
