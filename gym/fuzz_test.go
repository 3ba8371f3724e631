package gym_test

import (
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/gym"
)

// FuzzExtract runs the rule-based extractor on arbitrary text: it never
// panics, and every workout it returns passes validation or is refused
// with an error (never a negative or absurd duration slipping through).
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"legs 45 min", "pecho y tríceps 1h, ayer", "ran 5k then yoga 30'", "piernas 99999999999 horas",
		"chest\ntriceps\n1h", "0 min", "", "ayer ayer ayer 1h 2h 3h", "corrí 10 km el 31/02"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 12, 18, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		ws, err := gym.Extract(gym.Message{ID: "M1", Member: "m", Text: text, SentAt: now}, now, time.UTC)
		if err != nil {
			return
		}
		for _, w := range ws {
			if w.Minutes < 0 {
				t.Fatalf("%q: negative minutes %+v", text, w)
			}
			_ = gym.Validate(w, now, time.UTC, nil)
		}
	})
}
