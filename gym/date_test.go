package gym

import (
	"encoding/json"
	"testing"
	"time"
)

func TestDate(t *testing.T) {
	d := Date{2026, time.March, 31}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"String", d.String(), "2026-03-31"},
		{"zero String", Date{}.String(), ""},
		{"AddDays across month", d.AddDays(1), Date{2026, time.April, 1}},
		{"AddDays back across year", Date{2026, 1, 1}.AddDays(-1), Date{2025, 12, 31}},
		{"NewDate normalizes", NewDate(2026, 2, 29), Date{2026, 3, 1}},
		{"DaysSince", d.DaysSince(Date{2026, 3, 1}), 30},
		{"DaysSince across DST", Date{2026, 3, 30}.DaysSince(Date{2026, 3, 28}), 2},
		{"Before", Date{2026, 3, 1}.Before(d), true},
		{"After", Date{2026, 3, 1}.After(d), false},
		{"Weekday", today.Weekday(), time.Wednesday},
		{"DateOf uses the zone", DateOf(time.Date(2026, 3, 18, 23, 30, 0, 0, time.UTC), testLoc), Date{2026, 3, 19}},
		{"DateOf nil zone is UTC", DateOf(time.Date(2026, 3, 18, 23, 30, 0, 0, time.UTC), nil), Date{2026, 3, 18}},
		{"In", d.In(testLoc).Equal(time.Date(2026, 3, 30, 23, 0, 0, 0, time.UTC)), true},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	w := Workout{Member: "ana", Date: Date{2026, 3, 9}, Activity: "legs", Minutes: 60}
	b, err := json.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"member":"ana","date":"2026-03-09","activity":"legs","minutes":60}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var back Workout
	if err := json.Unmarshal(b, &back); err != nil || back != w {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"date":"2026-02-30"}`), &back); err == nil {
		t.Fatal("accepted 2026-02-30")
	}
}

// TestShortDayNames reads "sat" and "sun" as days only where the words
// around them say so (messages sent on Wednesday 18 March 2026).
func TestShortDayNames(t *testing.T) {
	tests := []struct {
		text string
		day  string // the workout's date
	}{
		{"climbed 3h at the wall sat, forgot to post", "2026-03-14"},
		{"long run sat 2h", "2026-03-14"},
		{"sat long run 2h", "2026-03-14"},
		{"sat: run 30", "2026-03-14"},
		{"sun morning swim 40 min", "2026-03-15"},
		{"swam 40 min on sun", "2026-03-15"},
		{"last sun swam 40 min", "2026-03-15"},
		{"i sat on the bike 40 min", "2026-03-18"},
		{"45 min swim, then sat in the sun", "2026-03-18"},
		{"swim 45 min, the sun was out", "2026-03-18"},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if err != nil || len(ws) != 1 {
			t.Errorf("Extract(%q) = %v, %v; want one workout", tc.text, ws, err)
			continue
		}
		if got := ws[0].Date.String(); got != tc.day {
			t.Errorf("Extract(%q) on %s, want %s", tc.text, got, tc.day)
		}
	}
}
