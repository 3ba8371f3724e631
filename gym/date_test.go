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
