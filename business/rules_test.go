package business_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

func madrid(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is a Madrid wall time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, madrid(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheck(t *testing.T) {
	p := loadExample(t)
	now := at(t, "2026-12-06 16:00") // a Sunday
	assessment := func(start string) []business.Slot {
		s := at(t, start)
		return []business.Slot{{Service: "Fitness assessment", Start: s, End: s.Add(time.Hour)}}
	}
	training := func(starts ...string) []business.Slot {
		var out []business.Slot
		for _, st := range starts {
			s := at(t, st)
			out = append(out, business.Slot{Service: "personal TRAINING", Start: s, End: s.Add(time.Hour)})
		}
		return out
	}
	tests := []struct {
		name     string
		service  string
		start    string
		existing []business.Slot
		want     business.Reason // empty: accepted
		wantAt   string          // the accepted start, RFC 3339
	}{
		{"wall time", "Fitness assessment", "2026-12-08T10:00", nil, "", "2026-12-08T10:00:00+01:00"},
		{"wall time with a space and seconds", "fitness ASSESSMENT", "2026-12-08 10:00:00", nil, "", "2026-12-08T10:00:00+01:00"},
		{"offset", "Fitness assessment", "2026-12-08T09:00:00Z", nil, "", "2026-12-08T10:00:00+01:00"},
		{"other offset", "Fitness assessment", "2026-12-08T04:00:00-05:00", nil, "", "2026-12-08T10:00:00+01:00"},
		{"ends at closing", "Fitness assessment", "2026-12-11T14:00", nil, "", "2026-12-11T14:00:00+01:00"},
		{"second range", "Fitness assessment", "2026-12-11T17:00", nil, "", "2026-12-11T17:00:00+01:00"},
		{"just past min notice", "Fitness assessment", "2026-12-07T07:00", nil, "", "2026-12-07T07:00:00+01:00"},
		{"accents and case in the service", "fitness assessment", "2026-12-09T12:00", nil, "", "2026-12-09T12:00:00+01:00"},
		{"past", "Fitness assessment", "2026-12-05T10:00", nil, business.ReasonPast, ""},
		{"now", "Fitness assessment", "2026-12-06T16:00", nil, business.ReasonPast, ""},
		{"yesterday at 3am", "Fitness assessment", "2026-12-05T03:00", nil, business.ReasonPast, ""},
		{"too far", "Fitness assessment", "2027-03-01T10:00", nil, business.ReasonTooFar, ""},
		{"sunday", "Fitness assessment", "2026-12-13T10:00", nil, business.ReasonClosedDay, ""},
		{"christmas", "Fitness assessment", "2026-12-25T10:00", nil, business.ReasonClosedDay, ""},
		{"before opening", "Fitness assessment", "2026-12-08T06:30", nil, business.ReasonOutsideHours, ""},
		{"at closing", "Fitness assessment", "2026-12-08T22:00", nil, business.ReasonOutsideHours, ""},
		{"friday break", "Fitness assessment", "2026-12-11T16:00", nil, business.ReasonOutsideHours, ""},
		{"across closing", "Fitness assessment", "2026-12-11T14:30", nil, business.ReasonAcrossClosing, ""},
		{"across the night", "Fitness assessment", "2026-12-08T21:30", nil, business.ReasonAcrossClosing, ""},
		{"full", "Fitness assessment", "2026-12-08T10:00", assessment("2026-12-08 10:00"), business.ReasonFull, ""},
		{"overlapping the end", "Fitness assessment", "2026-12-08T10:30", assessment("2026-12-08 10:00"), business.ReasonFull, ""},
		{"right after", "Fitness assessment", "2026-12-08T11:00", assessment("2026-12-08 10:00"), "", "2026-12-08T11:00:00+01:00"},
		{"other service does not count", "Personal training", "2026-12-08T10:00", assessment("2026-12-08 10:00"), "", "2026-12-08T10:00:00+01:00"},
		{"one of two places left", "Personal training", "2026-12-08T10:00", training("2026-12-08 10:00"), "", "2026-12-08T10:00:00+01:00"},
		{"two of two taken", "Personal training", "2026-12-08T10:00", training("2026-12-08 10:00", "2026-12-08 10:30"), business.ReasonFull, ""},
		{"never two at once", "Personal training", "2026-12-08T10:00", training("2026-12-08 09:30", "2026-12-08 10:30"), "", "2026-12-08T10:00:00+01:00"},
		{"not a time", "Fitness assessment", "next tuesday at 10", nil, business.ReasonBadTime, ""},
		{"unknown service", "Massage", "2026-12-08T10:00", nil, business.ReasonUnknownService, ""},
		{"no service named", "", "2026-12-08T10:00", nil, business.ReasonUnknownService, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			slot, err := p.Check(now, business.Request{Service: tc.service, Start: tc.start}, tc.existing)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := slot.Start.Format(time.RFC3339); got != tc.wantAt {
					t.Errorf("start = %s, want %s", got, tc.wantAt)
				}
				return
			}
			var r *business.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("err = %v, want a *Refusal (%s)", err, tc.want)
			}
			if r.Reason != tc.want {
				t.Errorf("reason = %s, want %s (%v)", r.Reason, tc.want, r)
			}
			if r.Message == "" {
				t.Error("a refusal needs a message")
			}
			for _, s := range r.Suggestions {
				if _, err := p.Check(now, business.Request{Service: tc.service, Start: s.Format(time.RFC3339)}, tc.existing); err != nil {
					t.Errorf("suggestion %s is not bookable: %v", s, err)
				}
			}
		})
	}
}

func TestCheckSuggestsNearestFreeSlots(t *testing.T) {
	p := loadExample(t)
	now := at(t, "2026-12-06 16:00")
	taken := at(t, "2026-12-08 10:00")
	_, err := p.Check(now, business.Request{Service: "Fitness assessment", Start: "2026-12-08T10:00"},
		[]business.Slot{{Service: "Fitness assessment", Start: taken, End: taken.Add(time.Hour)}})
	var r *business.Refusal
	if !errors.As(err, &r) {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Suggestions {
		got = append(got, s.Format("Mon 15:04"))
	}
	// 09:30 and 10:30 overlap the taken 10:00; 09:00 and 11:00 are an
	// hour away, 08:30 and 11:30 ninety minutes (the earlier wins a tie).
	if fmt.Sprint(got) != "[Tue 08:30 Tue 09:00 Tue 11:00]" {
		t.Errorf("suggestions = %v", got)
	}
}

func TestCheckDST(t *testing.T) {
	p := loadExample(t)
	p.Hours[time.Sunday] = []business.Range{{Start: 0, End: 24 * 60}}
	// Clocks go forward at 02:00 on 28 March 2027 in Madrid: 02:30 does
	// not exist.
	now := at(t, "2027-03-20 12:00")
	_, err := p.Check(now, business.Request{Service: "Fitness assessment", Start: "2027-03-28T02:30"}, nil)
	var r *business.Refusal
	if !errors.As(err, &r) || r.Reason != business.ReasonNoSuchTime {
		t.Fatalf("err = %v, want %s", err, business.ReasonNoSuchTime)
	}
	// 01:30 exists; a one-hour booking then ends at 03:30 wall time.
	slot, err := p.Check(now, business.Request{Service: "Fitness assessment", Start: "2027-03-28T01:30"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := slot.End.Format("15:04 -07:00"); got != "03:30 +02:00" {
		t.Errorf("end = %s", got)
	}
}

func TestParseStartDSTOverlap(t *testing.T) {
	loc := madrid(t)
	// Clocks go back at 03:00 on 25 October 2026: 02:30 happens twice;
	// the first (summer time, +02:00) is meant.
	got, err := business.ParseStart("2026-10-25T02:30", loc)
	if err != nil {
		t.Fatal(err)
	}
	if s := got.Format(time.RFC3339); s != "2026-10-25T02:30:00+02:00" {
		t.Errorf("got %s, want the first 02:30 (+02:00)", s)
	}
	// An explicit offset picks the second.
	got, err = business.ParseStart("2026-10-25T02:30:00+01:00", loc)
	if err != nil || got.Format(time.RFC3339) != "2026-10-25T02:30:00+01:00" {
		t.Errorf("got %s, %v", got.Format(time.RFC3339), err)
	}
	// Other zones: New York skips 02:00-03:00 on 14 March 2027.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := business.ParseStart("2027-03-14T02:15", ny); err == nil {
		t.Error("02:15 on 14 March 2027 does not exist in New York")
	}
	if got, err := business.ParseStart("2026-11-01T01:30", ny); err != nil || got.Format("-07:00") != "-04:00" {
		t.Errorf("got %v, %v; want the first 01:30 (-04:00)", got, err)
	}
}

func TestFree(t *testing.T) {
	p := loadExample(t)
	now := at(t, "2026-12-06 16:00")
	fri := business.Date{Year: 2026, Month: time.December, Day: 11}
	free, err := p.Free(now, "Fitness assessment", fri, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 07:00…14:00 and 17:00…21:00 every 30 minutes.
	if len(free) != 15+9 || free[0].Format("15:04") != "07:00" || free[14].Format("15:04") != "14:00" || free[15].Format("15:04") != "17:00" || free[23].Format("15:04") != "21:00" {
		t.Errorf("free = %v", free)
	}
	taken := at(t, "2026-12-11 10:00")
	free, _ = p.Free(now, "Fitness assessment", fri, []business.Slot{{Service: "Fitness assessment", Start: taken, End: taken.Add(time.Hour)}})
	if len(free) != 24-3 {
		t.Errorf("with 10:00 taken, %d free (want 21: 09:30, 10:00 and 10:30 overlap)", len(free))
	}
	// Today: nothing before now plus the minimum notice; Sunday is closed.
	if free, _ := p.Free(now, "Fitness assessment", business.DateOf(now), nil); len(free) != 0 {
		t.Errorf("sunday: %v", free)
	}
	mon := at(t, "2026-12-07 19:00")
	free, _ = p.Free(mon, "Trial class", business.DateOf(mon), nil)
	if len(free) != 1 || free[0].Format("15:04") != "21:00" {
		t.Errorf("monday evening: %v (want 21:00 only: 2h notice, 45m before 22:00)", free)
	}
	if _, err := p.Free(now, "Boxing", fri, nil); err == nil {
		t.Error("an unknown service should be an error")
	}
}

func TestDefaultService(t *testing.T) {
	p, err := business.Parse("t.yaml", []byte("name: T\ntimezone: UTC\nhours: {mon: [\"09:00-10:00\"]}\nbooking: {duration: 30m, capacity: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.Service("")
	if err != nil || s.Name != business.DefaultServiceName || s.Duration != 30*time.Minute || s.Capacity != 3 {
		t.Errorf("Service(\"\") = %+v, %v", s, err)
	}
}
