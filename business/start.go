package business

import (
	"strings"
	"time"
)

// wallTime returns the instant whose wall clock in loc reads the given
// date and time. ok is false when that wall time does not exist in loc
// (the hour skipped when clocks go forward). When it exists twice (the
// hour repeated when clocks go back) the earlier instant is returned: the
// one on the offset in force before the change. time.Date alone does not
// promise which of the two it picks.
func wallTime(loc *time.Location, year int, month time.Month, day, hour, min, sec int) (time.Time, bool) {
	// The same wall clock read as UTC; each offset in force around it
	// gives one candidate instant.
	naive := time.Date(year, month, day, hour, min, sec, 0, time.UTC)
	want := naive // normalized (24:00 becomes the next day's 00:00)
	var best time.Time
	found := false
	seen := map[int]bool{}
	for _, probe := range []time.Duration{-36 * time.Hour, -12 * time.Hour, 0, 12 * time.Hour, 36 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		if seen[off] {
			continue
		}
		seen[off] = true
		cand := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if !sameWall(cand, want) {
			continue
		}
		if !found || cand.Before(best) {
			best, found = cand, true
		}
	}
	return best, found
}

// sameWall reports whether t's wall clock in its location reads the
// same as w's in UTC.
func sameWall(t, w time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := w.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == w.Hour() && t.Minute() == w.Minute() && t.Second() == w.Second()
}

// wallLayouts are the accepted spellings of a wall time with no offset.
var wallLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// ParseStart reads a requested start time: RFC 3339 with an offset or Z
// ("2026-12-08T10:00:00+01:00"), or a wall time in loc with no offset
// ("2026-12-08T10:00", "2026-12-08 10:00:00"). The result is in loc.
// A wall time that does not exist in loc (clocks going forward) is a
// *Refusal with [ReasonNoSuchTime]; one that exists twice means the first.
func ParseStart(s string, loc *time.Location) (time.Time, error) {
	in := strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, in); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range wallLayouts {
		t, err := time.Parse(layout, in)
		if err != nil {
			continue
		}
		local, ok := wallTime(loc, t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second())
		if !ok {
			return time.Time{}, &Refusal{
				Reason:  ReasonNoSuchTime,
				Message: "that time does not exist on " + t.Format("Monday 2 January") + " in " + loc.String() + " because the clocks change then; please choose another time",
			}
		}
		return local, nil
	}
	return time.Time{}, &Refusal{
		Reason:  ReasonBadTime,
		Message: "the start time " + quote(in) + " is not a date and time (want 2026-12-08T10:00 in the business's time zone, or RFC 3339 with an offset)",
	}
}
