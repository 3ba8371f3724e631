// Package thread turns the many spellings of a conversation's address into
// one thread id, and masks thread ids for logs.
//
// A thread id is a channel name, a colon, and the conversation on that
// channel: an E.164 number ("whatsapp:+15551234567") for a person, or a group
// JID ("whatsapp:120363012345678901@g.us") for a group. The channel defaults
// to "whatsapp"; other channels ("evolution:", "meta:", ...) are kept.
package thread

import (
	"errors"
	"fmt"
	"strings"
)

// DefaultChannel is the channel of an id given without one.
const DefaultChannel = "whatsapp"

// ErrInvalid is wrapped by every error Normalize returns.
var ErrInvalid = errors.New("thread: invalid thread id")

// Limits of an E.164 number's digits, country code included.
const (
	minDigits = 7
	maxDigits = 15
)

// Normalize returns the canonical thread id of raw:
//
//	"whatsapp:+1 (555) 123-4567"     → "whatsapp:+15551234567"
//	"+15551234567", "15551234567"    → "whatsapp:+15551234567"
//	"0015551234567"                  → "whatsapp:+15551234567"
//	"evolution:15551234567@s.whatsapp.net" → "evolution:+15551234567"
//	"120363012345678901@g.us"        → "whatsapp:120363012345678901@g.us"
//
// Numbers must carry their country code (a leading "+" or "00" is optional);
// spaces, dots, dashes and parentheses are dropped. A user JID
// (@s.whatsapp.net, @c.us, with or without a ":device" suffix) becomes its
// number; group (@g.us) and linked-id (@lid) JIDs are kept.
func Normalize(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	channel := DefaultChannel
	if prefix, rest, ok := strings.Cut(s, ":"); ok && !startsWithDigitOrPlus(prefix) {
		channel = strings.ToLower(strings.TrimSpace(prefix))
		if !validChannel(channel) {
			return "", fmt.Errorf("%w: %q: channel %q must be letters, digits, '-' or '_', starting with a letter", ErrInvalid, raw, prefix)
		}
		s = strings.TrimSpace(rest)
	}
	if s == "" {
		return "", fmt.Errorf("%w: %q: nothing after the channel", ErrInvalid, raw)
	}
	if local, domain, ok := strings.Cut(s, "@"); ok {
		return jid(raw, channel, local, strings.ToLower(domain))
	}
	num, err := e164(raw, s)
	if err != nil {
		return "", err
	}
	return channel + ":" + num, nil
}

func startsWithDigitOrPlus(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (s[0] == '+' || s[0] == '(' || (s[0] >= '0' && s[0] <= '9'))
}

func validChannel(c string) bool {
	if c == "" || c[0] < 'a' || c[0] > 'z' {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// jid normalizes a WhatsApp JID local@domain.
func jid(raw, channel, local, domain string) (string, error) {
	switch domain {
	case "s.whatsapp.net", "c.us":
		user, _, _ := strings.Cut(local, ":") // drop a ":device" suffix
		num, err := e164(raw, user)
		if err != nil {
			return "", err
		}
		return channel + ":" + num, nil
	case "g.us":
		// Group ids are digits, older ones "creator-timestamp".
		for _, part := range strings.Split(local, "-") {
			if !allDigits(part) {
				return "", fmt.Errorf("%w: %q: group id %q must be digits", ErrInvalid, raw, local)
			}
		}
		return channel + ":" + local + "@" + domain, nil
	case "lid":
		if !allDigits(local) {
			return "", fmt.Errorf("%w: %q: linked id %q must be digits", ErrInvalid, raw, local)
		}
		return channel + ":" + local + "@" + domain, nil
	default:
		return "", fmt.Errorf("%w: %q: unknown address domain %q (want g.us, s.whatsapp.net, c.us or lid)", ErrInvalid, raw, domain)
	}
}

// e164 returns "+digits" for a phone number written with country code.
func e164(raw, s string) (string, error) {
	var digits strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return "", fmt.Errorf("%w: %q: unexpected %q in a phone number", ErrInvalid, raw, r)
		}
	}
	d := digits.String()
	if !plus && strings.HasPrefix(d, "00") {
		d = d[2:] // international call prefix
	}
	switch {
	case d == "":
		return "", fmt.Errorf("%w: %q: no digits", ErrInvalid, raw)
	case d[0] == '0':
		return "", fmt.Errorf("%w: %q: a number must start with its country code, not 0", ErrInvalid, raw)
	case len(d) < minDigits:
		return "", fmt.Errorf("%w: %q: %d digits is too short for a number with country code", ErrInvalid, raw, len(d))
	case len(d) > maxDigits:
		return "", fmt.Errorf("%w: %q: %d digits is longer than E.164 allows (15)", ErrInvalid, raw, len(d))
	}
	return "+" + d, nil
}

// Mask hides the middle of a thread id's number for logs, keeping enough to
// tell threads apart: "whatsapp:+15551234567" → "whatsapp:+1555***4567",
// "whatsapp:120363012345678901@g.us" → "whatsapp:1203***8901@g.us". It
// works on any string, normalized or not, and never returns the whole
// number.
func Mask(id string) string {
	prefix, rest := "", id
	if p, r, ok := strings.Cut(id, ":"); ok && validChannel(strings.ToLower(p)) {
		prefix, rest = p+":", r
	}
	local, domain, hasDomain := strings.Cut(rest, "@")
	sign := ""
	if strings.HasPrefix(local, "+") {
		sign, local = "+", local[1:]
	}
	masked := maskMiddle(local)
	if hasDomain {
		masked += "@" + domain
	}
	return prefix + sign + masked
}

func maskMiddle(s string) string {
	r := []rune(s)
	n := len(r)
	switch {
	case n <= 4:
		return "***"
	case n <= 8:
		return string(r[:2]) + "***" + string(r[n-2:])
	default:
		return string(r[:4]) + "***" + string(r[n-4:])
	}
}

// IsGroup reports whether a thread id, or a raw JID, names a WhatsApp group
// ("whatsapp:120363012345678901@g.us", "120363012345678901@g.us").
func IsGroup(id string) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimSpace(id)), "@g.us")
}
