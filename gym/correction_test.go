package gym

import "testing"

func TestParseCorrection(t *testing.T) {
	tests := []struct {
		text string
		want Correction
		ok   bool
	}{
		{"undo", Correction{Undo: true}, true},
		{"Undo that pls", Correction{Undo: true}, true},
		{"bórralo", Correction{Undo: true}, true},
		{"borra el último", Correction{Undo: true}, true},
		{"delete my last workout", Correction{Undo: true}, true},
		{"that was 40 not 45", Correction{Minutes: 40, WasMinutes: 45}, true},
		{"eran 40 no 45", Correction{Minutes: 40, WasMinutes: 45}, true},
		{"sorry, it was 1h not 45 min", Correction{Minutes: 60, WasMinutes: 45}, true},
		{"make that 35 min", Correction{Minutes: 35}, true},
		{"era pádel, no tenis", Correction{Activity: "padel", WasActivity: "tennis"}, true},
		{"no era correr, era nadar", Correction{Activity: "swimming", WasActivity: "running"}, true},
		{"wrong, it was swimming not running", Correction{Activity: "swimming", WasActivity: "running"}, true},
		{"oops, yoga 30 min", Correction{Activity: "yoga", Minutes: 30}, true},
		{"it was yesterday not today", Correction{Date: day(-1)}, true},
		{"fue ayer, no hoy", Correction{Date: day(-1)}, true},
		{"sorry, it was yesterday", Correction{Date: day(-1)}, true},
		{"me equivoqué, eran 50 min", Correction{Minutes: 50}, true},
		{"corrijo: 1h15", Correction{Minutes: 75}, true},
		{"cancela eso", Correction{Undo: true}, true},
		// distances: the bare number takes the unit it is set against
		{"wait no make that 10k not 8", Correction{DistanceKm: 10, WasDistanceKm: 8}, true},
		{"it was 8k not 10", Correction{DistanceKm: 8, WasDistanceKm: 10}, true},
		{"eran 12 km, no 10", Correction{DistanceKm: 12, WasDistanceKm: 10}, true},
		{"sorry 5.5 km not 5", Correction{DistanceKm: 5.5, WasDistanceKm: 5}, true},
		{"make it 6 miles", Correction{DistanceKm: 9.66}, true},
		{"oops, 1500m not 1200", Correction{DistanceKm: 1.5, WasDistanceKm: 1.2}, true},
		{"perdón, fueron 7 km", Correction{DistanceKm: 7}, true},
		{"that was 40 not 45 min", Correction{Minutes: 40, WasMinutes: 45}, true},
		// not corrections
		{"legs 45 min", Correction{}, false},
		{"fueron 45 min de bici", Correction{}, false},
		{"fueron 10 km de bici", Correction{}, false},
		{"the loop is 8k not 10", Correction{}, false},
		{"no run today", Correction{}, false},
		{"didn't make it to the gym", Correction{}, false},
		{"was it 40 or 45?", Correction{}, false},
		{"the class was 45 min", Correction{}, false},
		{"delete", Correction{}, false},
		{"fue ayer", Correction{}, false},
		{"it was tomorrow not today", Correction{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseCorrection(tc.text, today)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseCorrection(%q) = %+v, %v; want %+v, %v", tc.text, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		text string
		want Request
	}{
		{"leaderboard", Request{Period: PeriodWeek}},
		{"how are we doing this month?", Request{Period: PeriodMonth}},
		{"how did Ana do this month?", Request{Period: PeriodMonth, Member: "Ana", Memory: true}},
		{"what did I log yesterday?", Request{Period: PeriodWeek, Self: true, Memory: true, Day: day(-1)}},
		{"¿qué hice el lunes?", Request{Period: PeriodWeek, Self: true, Memory: true, Day: day(-2)}},
		{"¿cuánto ha entrenado Luis esta semana?", Request{Period: PeriodWeek, Member: "Luis", Memory: true}},
		{"¿en qué puesto voy?", Request{Period: PeriodWeek, Self: true}},
	}
	for _, tc := range tests {
		if got := ParseRequest(tc.text, today); got != tc.want {
			t.Errorf("ParseRequest(%q) = %+v, want %+v", tc.text, got, tc.want)
		}
		if k := ClassifyAt(tc.text, today); k != KindSummaryRequest {
			t.Errorf("ClassifyAt(%q) = %s, want a summary request", tc.text, k)
		}
	}
}

// TestWhoWhetherWhen: an activity with an amount is a log only when the
// sender did it, it was done, and not in the future; the rules are sure
// only when nothing casts a doubt.
func TestWhoWhetherWhen(t *testing.T) {
	tests := []struct {
		text string
		kind Kind
		sure bool
	}{
		{"legs 45 min", KindWorkoutLog, true},
		{"my girlfriend ran 10k in 50 min", KindOther, false},
		{"Pedro hizo 2h de pádel", KindOther, false},
		{"you did 2 hours of spin?? animal", KindOther, false},
		{"watching 3 hours of tennis on tv", KindOther, false},
		{"the track is 400m, 4 laps is a mile", KindOther, false},
		{"the yoga class lasts 75 min", KindOther, false},
		{"gonna try 20 min of hiit", KindOther, false},
		{"el jueves pádel a las 8", KindOther, false},
		{"el jueves pádel 1h", KindWorkoutLog, false},
		{"couldn't do my 5k today", KindOther, false},
		{"5k done, legs can't move ✅", KindWorkoutLog, false},
		{"waited 20 min for the squat rack", KindOther, false},
		{"pool 1h https://example.com/pool", KindOther, false},
		{"hey all", KindOther, true},
		{"see you at 7", KindOther, false},
	}
	for _, tc := range tests {
		k, sure := Judge(tc.text, today)
		if k != tc.kind || sure != tc.sure {
			t.Errorf("Judge(%q) = %s, %v; want %s, %v", tc.text, k, sure, tc.kind, tc.sure)
		}
	}
}

// TestIMeantAndWaitNo reads "I meant X not Y" as a correction only with
// the contrast ("I meant to go running" is a plan that fell through), and
// "wait no the swim was 30" as one whose "no" negates nothing.
func TestIMeantAndWaitNo(t *testing.T) {
	today := Date{2026, 5, 14}
	tests := []struct {
		text string
		ok   bool
	}{
		{"bot I meant cycling not running for that one", true},
		{"i meant 40 not 45", true},
		{"I meant to go running but it rained", false},
		{"i meant what i said, 45 min is plenty", false},
		{"wait no the swim was 30, I'm thinking of last week", true},
		{"the swim was 30 min, lovely", false},
		{"nono era natación no running, cambialo", true},
	}
	for _, tc := range tests {
		if _, ok := ParseCorrection(tc.text, today); ok != tc.ok {
			t.Errorf("ParseCorrection(%q) ok = %v, want %v", tc.text, ok, tc.ok)
		}
	}
}
