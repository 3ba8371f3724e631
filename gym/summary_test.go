package gym

import (
	"reflect"
	"testing"
	"time"
)

func TestStreak(t *testing.T) {
	tests := []struct {
		name string
		days []int // offsets from today
		want int
	}{
		{"none", nil, 0},
		{"today only", []int{0}, 1},
		{"yesterday only keeps the streak alive", []int{-1}, 1},
		{"two days ago only", []int{-2}, 0},
		{"three in a row to today", []int{0, -1, -2}, 3},
		{"three in a row to yesterday", []int{-1, -2, -3}, 3},
		{"gap breaks it", []int{0, -1, -3, -4}, 2},
		{"duplicates count once", []int{0, 0, -1, -1}, 2},
		{"unsorted", []int{-2, 0, -1}, 3},
		{"future ignored", []int{1, 2, 0}, 1},
		{"across a month end", []int{0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18}, 19},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ds []Date
			for _, o := range tc.days {
				ds = append(ds, day(o))
			}
			if got := Streak(ds, today); got != tc.want {
				t.Errorf("Streak = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestPeriodRange(t *testing.T) {
	tests := []struct {
		p        Period
		today    Date
		from, to Date
	}{
		{PeriodWeek, today, Date{2026, 3, 16}, Date{2026, 3, 22}},
		{PeriodWeek, Date{2026, 3, 16}, Date{2026, 3, 16}, Date{2026, 3, 22}},
		{PeriodWeek, Date{2026, 3, 22}, Date{2026, 3, 16}, Date{2026, 3, 22}},
		{PeriodWeek, Date{2026, 1, 1}, Date{2025, 12, 29}, Date{2026, 1, 4}},
		{PeriodMonth, today, Date{2026, 3, 1}, Date{2026, 3, 31}},
		{PeriodMonth, Date{2028, 2, 10}, Date{2028, 2, 1}, Date{2028, 2, 29}},
		{PeriodMonth, Date{2026, 12, 31}, Date{2026, 12, 1}, Date{2026, 12, 31}},
	}
	for _, tc := range tests {
		from, to := tc.p.Range(tc.today)
		if from != tc.from || to != tc.to {
			t.Errorf("%s of %s = %s..%s, want %s..%s", tc.p, tc.today, from, to, tc.from, tc.to)
		}
	}
}

func TestSummarize(t *testing.T) {
	ws := []Workout{
		{Member: "ana", Date: day(0), Activity: "legs", Minutes: 60},
		{Member: "ana", Date: day(-1), Activity: "running", Minutes: 30, DistanceKm: 5.5},
		{Member: "ana", Date: day(-2), Activity: "yoga", Minutes: 45},    // Monday: in the week
		{Member: "ana", Date: day(-3), Activity: "yoga", Minutes: 45},    // Sunday: last week, streak only
		{Member: "luis", Date: day(-1), Activity: "chest", Minutes: 90},  // same sessions/minutes as bea
		{Member: "luis", Date: day(-1), Activity: "abs", Minutes: 10},    // two on one day
		{Member: "bea", Date: day(0), Activity: "swimming", Minutes: 50}, //
		{Member: "bea", Date: day(-2), Activity: "cycling", Minutes: 50}, //
		{Member: "bea", Date: day(1), Activity: "cycling", Minutes: 50},  // future: ignored
		{Member: "carl", Date: day(-10), Activity: "boxing", Minutes: 60, Calories: 400},
	}
	got := Summarize(ws, PeriodWeek, today, []string{"dani", "ana"})
	want := Summary{
		Period: PeriodWeek, From: day(-2), To: day(4), Today: today,
		TotalSessions: 7, TotalMinutes: 335,
		Members: []MemberStats{
			{Member: "ana", Rank: 1, Sessions: 3, Minutes: 135, DistanceKm: 5.5, ActiveDays: 3, Streak: 4},
			{Member: "bea", Rank: 2, Sessions: 2, Minutes: 100, ActiveDays: 2, Streak: 1},
			{Member: "luis", Rank: 2, Sessions: 2, Minutes: 100, ActiveDays: 1, Streak: 1},
			{Member: "dani", Rank: 4},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Summarize =\n%+v\nwant\n%+v", got, want)
	}

	month := Summarize(ws, PeriodMonth, today, nil)
	if month.From != (Date{2026, time.March, 1}) || month.TotalSessions != 9 || len(month.Members) != 4 || month.Members[3].Member != "carl" {
		t.Errorf("month summary = %+v", month)
	}
}

func TestRequestedPeriod(t *testing.T) {
	tests := []struct {
		text string
		want Period
	}{
		{"how are we doing this week?", PeriodWeek},
		{"leaderboard", PeriodWeek},
		{"¿cómo vamos este mes?", PeriodMonth},
		{"monthly stats", PeriodMonth},
		{"resumen mensual", PeriodMonth},
	}
	for _, tc := range tests {
		if got := RequestedPeriod(tc.text); got != tc.want {
			t.Errorf("RequestedPeriod(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}
