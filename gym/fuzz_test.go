package gym

import "testing"

func FuzzExtract(f *testing.F) {
	for _, tc := range messageCases {
		f.Add(tc.text)
	}
	f.Add("1:2:3:4 5x 6/7/8 9- ::: ,,, 1.2.3 km kcal x x x")
	for _, s := range []string{"25 min each way", "25 min each, both ways", "weds: 40 min swim, counts right?",
		"fue ayer, no hoy", "that 10k time, nice", "sunday = long ride, 80 km", "ran to the fridge, 2 min 😂",
		"can't lift my arms after 1h boxing", "mins this week?", "cancélalo", "each", "esta muy", "that",
		"5k run", "8 km de carrera", "that 405", "futbol 7", "bike 30 +", "1 hora y 20 min de", "weights 1 hour and",
		"sat", "sun morning", "on the 10th", "the 31st", "el dia 0", "3/4 de hora", "0/0 de hora", "40-50 min", "50-40 min",
		"legs 1h +", "+ abs", "mon: / tue:", "mar:", "dom: 2h", "q", "45* not 4", "*", "wait no", "uy no, fue", "not 5k, it",
		"PB by", "by a mile", "8 asaltos de", "3 min each", "@ 100", "160 x", "10/10", "hyrox 1:", "pull @", "tri", "me n my"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		switch Classify(text) {
		case KindWorkoutLog, KindSummaryRequest, KindCorrection, KindOther:
		default:
			t.Fatalf("Classify(%q) returned an unknown kind", text)
		}
		ws, err := Extract(Message{ID: "m", Member: "ana", Text: text}, testNow, testLoc)
		if err != nil {
			return
		}
		for _, w := range ws {
			if !IsKnownActivity(w.Activity) || w.Minutes <= 0 || w.Date.IsZero() {
				t.Fatalf("Extract(%q) decided an incomplete workout %+v", text, w)
			}
		}
		_ = RequestedPeriod(text)
		if c, ok := ParseCorrection(text, today); ok && (c.Date.After(today) || c.Minutes < 0 ||
			c.DistanceKm < 0 || c.DistanceKm > MaxDistanceKm || c.WasDistanceKm < 0 || c.Activity != "" && !IsKnownActivity(c.Activity)) {
			t.Fatalf("ParseCorrection(%q) = %+v", text, c)
		}
	})
}
