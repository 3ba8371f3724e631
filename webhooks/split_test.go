package webhooks_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/switchboardhq/switchboard/webhooks"
)

func u16(s string) int { return len(utf16.Encode([]rune(s))) }

func TestSplit(t *testing.T) {
	para := strings.Repeat("word ", 150) // 750 chars
	tests := []struct {
		name  string
		text  string
		limit int
		want  []string
	}{
		{"empty", "  ", 10, nil},
		{"fits", "hello", 10, []string{"hello"}},
		{"paragraphs", "aaaa bbbb\n\ncccc dddd", 12, []string{"aaaa bbbb", "cccc dddd"}},
		{"sentences", "One two. Three four. Five six.", 20, []string{"One two. Three four.", "Five six."}},
		{"words", "alpha beta gamma delta", 11, []string{"alpha beta", "gamma delta"}},
		{"hard cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"emoji counts twice", "😀😀😀", 4, []string{"😀😀", "😀"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := webhooks.Split(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("Split = %q, want %q", got, tc.want)
			}
		})
	}
	long := para + "\n\n" + para + "\n\n" + para // 2,254 chars
	parts := webhooks.Split(long, 1600)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	for _, p := range parts {
		if u16(p) > 1600 || strings.HasPrefix(p, " ") {
			t.Fatalf("part of %d units: %q…", u16(p), p[:20])
		}
	}
	if got := strings.Join(strings.Fields(strings.Join(parts, " ")), " "); got != strings.Join(strings.Fields(long), " ") {
		t.Fatal("splitting lost or changed words")
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("Hello there. How are you?\n\nFine, thanks! 😀", 7)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 2 || limit > 2000 || !utf16ValidString(s) {
			return
		}
		parts := webhooks.Split(s, limit)
		if strings.Join(strings.Fields(strings.Join(parts, "")), "") != strings.Join(strings.Fields(s), "") {
			t.Fatalf("Split(%q, %d) = %q lost characters", s, limit, parts)
		}
		for _, p := range parts {
			if u16(p) > limit || p == "" {
				t.Fatalf("Split(%q, %d) gave part %q", s, limit, p)
			}
		}
	})
}

func utf16ValidString(s string) bool { return strings.ToValidUTF8(s, "") == s }
