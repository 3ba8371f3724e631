package calendar

import (
	"strings"
	"unicode"
)

// fillerWords are left out when matching a description against events:
// they say nothing about which event is meant ("the meeting with Sarah" is
// about Sarah).
var fillerWords = map[string]bool{
	"a": true, "an": true, "the": true, "my": true, "our": true, "your": true, "this": true, "that": true,
	"with": true, "and": true, "at": true, "on": true, "in": true, "of": true, "for": true, "to": true, "about": true,
	"event": true, "meeting": true, "appointment": true, "call": true, "calendar": true,
}

// words splits s into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// Match returns the events a description names: those whose id equals it,
// or, failing that, those containing every significant word of it (in the
// title, notes, place or attendees' addresses; filler words such as "the"
// or "meeting" are ignored). A description of filler words only matches
// every event. The order of events is kept.
func Match(events []Event, description string) []Event {
	description = strings.TrimSpace(description)
	for _, e := range events {
		if description != "" && e.ID == description {
			return []Event{e}
		}
	}
	var want []string
	for _, w := range words(description) {
		if !fillerWords[w] {
			want = append(want, w)
		}
	}
	var out []Event
	for _, e := range events {
		have := map[string]bool{}
		for _, w := range words(e.Summary + " " + e.Description + " " + e.Location + " " + strings.Join(e.Attendees, " ")) {
			have[w] = true
		}
		ok := true
		for _, w := range want {
			if !have[w] && !have[strings.TrimSuffix(w, "s")] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}
