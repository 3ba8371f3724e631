package gym

import (
	"testing"
	"time"
)

func TestClassifyAbsoluteDates(t *testing.T) {
	today := NewDate(2026, time.November, 21)
	tests := []struct {
		text string
		want Kind
	}{
		{"legs 45 min 2026-03-10", KindWorkoutLog},
		{"legs 45 min 2026-11-21", KindWorkoutLog},
		{"legs 45 min 2026-12-01", KindOther}, // a plan
		{"pierna 1h 19/11", KindWorkoutLog},
		{"biceps 45 min tomorrow", KindOther},
	}
	for _, tc := range tests {
		if got := ClassifyAt(tc.text, today); got != tc.want {
			t.Errorf("ClassifyAt(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}
