package gym

import "testing"

func FuzzExtract(f *testing.F) {
	for _, tc := range messageCases {
		f.Add(tc.text)
	}
	f.Add("1:2:3:4 5x 6/7/8 9- ::: ,,, 1.2.3 km kcal x x x")
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
	})
}
