// Package webhooks holds what every channel shares: splitting long replies,
// and the limits inbound requests are held to. Each channel (Twilio,
// Evolution, ...) lives in a subpackage with its net/http handlers and
// sender; the server package mounts them.
package webhooks

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxBodyBytes is the largest webhook body accepted; larger ones get 413.
const MaxBodyBytes = 64 << 10

// Split cuts text into parts of at most limit UTF-16 code units (the unit
// WhatsApp providers count), preferring, in order, paragraph breaks, line
// breaks, sentence ends and spaces, so each part reads on its own. Parts
// are trimmed; empty text gives no parts.
func Split(text string, limit int) []string {
	text = strings.TrimSpace(text)
	var parts []string
	for text != "" {
		if units(text) <= limit {
			parts = append(parts, text)
			break
		}
		cut := prefixWithin(text, limit)
		// Look one byte past the cut: a space there makes the cut itself a
		// clean word or sentence boundary.
		head := text[:min(cut+1, len(text))]
		at := -1
		for _, find := range []func(string) int{paragraphEnd, lineEnd, sentenceEnd, spaceEnd} {
			// A break in the first third would make a stub part; look for a
			// better one further on.
			if i := find(head); i > len(head)/3 && i <= cut {
				at = i
				break
			}
		}
		if at <= 0 {
			at = cut
		}
		part := strings.TrimSpace(text[:at])
		if part != "" {
			parts = append(parts, part)
		}
		text = strings.TrimLeftFunc(text[at:], unicode.IsSpace)
	}
	return parts
}

func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// prefixWithin returns the byte length of the longest prefix of s that
// fits in limit UTF-16 units, never splitting a rune.
func prefixWithin(s string, limit int) int {
	n := 0
	for i, r := range s {
		if n+utf16.RuneLen(r) > limit {
			return i
		}
		n += utf16.RuneLen(r)
	}
	return len(s)
}

func paragraphEnd(s string) int {
	if i := strings.LastIndex(s, "\n\n"); i >= 0 {
		return i
	}
	return -1
}

func lineEnd(s string) int { return strings.LastIndexByte(s, '\n') }

func sentenceEnd(s string) int {
	best := -1
	for _, p := range []string{". ", "! ", "? ", "。", "… "} {
		if i := strings.LastIndex(s, p); i >= 0 {
			_, size := utf8.DecodeRuneInString(s[i:])
			if i+size > best {
				best = i + size
			}
		}
	}
	return best
}

func spaceEnd(s string) int { return strings.LastIndexFunc(s, unicode.IsSpace) }
