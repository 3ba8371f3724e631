package gym

import "testing"

func TestIsDuplicate(t *testing.T) {
	base := wk("legs", 60, 0)
	base.SourceMessageID = "m1"
	existing := []Workout{wk("running", 30, 0), base}
	tests := []struct {
		name string
		cand Workout
		dup  bool
	}{
		{"identical", with(base, func(w *Workout) { w.SourceMessageID = "m2" }), true},
		{"+10% is duplicate", with(base, func(w *Workout) { w.SourceMessageID, w.Minutes = "m2", 66 }), true},
		{"+11.7% is not", with(base, func(w *Workout) { w.SourceMessageID, w.Minutes = "m2", 67 }), false},
		{"-10% is duplicate", with(base, func(w *Workout) { w.SourceMessageID, w.Minutes = "m2", 54 }), true},
		{"-11.7% is not", with(base, func(w *Workout) { w.SourceMessageID, w.Minutes = "m2", 53 }), false},
		{"different day", with(base, func(w *Workout) { w.SourceMessageID, w.Date = "m2", day(-1) }), false},
		{"different activity", with(base, func(w *Workout) { w.SourceMessageID, w.Activity = "m2", "back" }), false},
		{"different member", with(base, func(w *Workout) { w.SourceMessageID, w.Member = "m2", "luis" }), false},
		{"member case-insensitive", with(base, func(w *Workout) { w.SourceMessageID, w.Member = "m2", "ANA" }), true},
		{"same source id, other content", with(base, func(w *Workout) { w.Activity, w.Minutes, w.Date = "yoga", 20, day(-3) }), true},
		{"empty source ids never match", Workout{Member: "x", Date: day(0), Activity: "yoga", Minutes: 5}, false},
		{"second workout of a message", with(base, func(w *Workout) { w.SourceMessageID, w.Activity = SourceID("m1", 1), "abs" }), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dup, prev := IsDuplicate(tc.cand, existing)
			if dup != tc.dup {
				t.Fatalf("IsDuplicate = %v, want %v", dup, tc.dup)
			}
			if dup && prev != base {
				t.Errorf("duplicate of %+v, want %+v", prev, base)
			}
			if !dup && prev != (Workout{}) {
				t.Errorf("no duplicate but returned %+v", prev)
			}
		})
	}
}

func TestIsDuplicateSymmetric(t *testing.T) {
	for a := 1; a <= 200; a++ {
		for b := 1; b <= 200; b++ {
			if withinTenPercent(a, b) != withinTenPercent(b, a) {
				t.Fatalf("not symmetric at %d, %d", a, b)
			}
		}
	}
}

func with(w Workout, f func(*Workout)) Workout {
	f(&w)
	return w
}
