package calendar

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// wallLayouts are the local wall-clock forms ParseTime accepts, tried in
// order.
var wallLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

const dateLayout = "2006-01-02"

// ParseTime parses a time the model sent. It accepts RFC 3339 with an
// offset ("2026-03-08T15:00:00-05:00", "2026-03-08T20:00:00Z") or a local
// wall-clock time without one ("2026-03-08T15:00", "2026-03-08 15:00:05"),
// which is read in loc.
//
// Wall-clock times are checked against loc's daylight-saving changes: a
// time that does not exist (skipped when the clocks go forward) is an
// error, so nothing is booked at an hour the user did not mean; a time that
// happens twice (when the clocks go back) is the first of the two.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time: want RFC 3339 or local time like 2026-03-08T15:00")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range wallLayouts {
		w, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		return wallTime(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), loc)
	}
	return time.Time{}, fmt.Errorf("%q is not a time: want RFC 3339 (2026-03-08T15:00:00-05:00) or local time in %s (2026-03-08T15:00)", s, loc)
}

// ParseBound parses one end of a range: anything ParseTime accepts, or a
// date (2026-03-08). A date means the start of that day in loc, or, when
// end is true, the end of it (the start of the next day), so "from
// 2026-03-08 to 2026-03-08" is that whole day.
func ParseBound(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if d, err := time.Parse(dateLayout, s); err == nil {
		day := d.Day()
		if end {
			day++
		}
		return startOfDay(d.Year(), d.Month(), day, loc), nil
	}
	return ParseTime(s, loc)
}

// wallTime returns the instant at which the clock in loc reads the given
// wall time. See ParseTime for daylight-saving gaps and overlaps.
func wallTime(y int, mo time.Month, d, h, mi, sec int, loc *time.Location) (time.Time, error) {
	// Try the offsets in force around that day: the wall time is valid at
	// an offset when converting back gives the same wall time.
	guess := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	var found []time.Time
	for _, probe := range []time.Time{guess.Add(-24 * time.Hour), guess, guess.Add(24 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		t := guess.Add(-time.Duration(off) * time.Second).In(loc)
		if t.Year() == y && t.Month() == mo && t.Day() == d && t.Hour() == h && t.Minute() == mi && t.Second() == sec {
			if !slices.ContainsFunc(found, t.Equal) {
				found = append(found, t)
			}
		}
	}
	if len(found) == 0 {
		return time.Time{}, fmt.Errorf("%04d-%02d-%02d %02d:%02d does not exist in %s (the clocks skip it for daylight saving time); choose another time", y, mo, d, h, mi, loc)
	}
	slices.SortFunc(found, func(a, b time.Time) int { return a.Compare(b) })
	return found[0], nil
}

// startOfDay returns the first instant of the day in loc (midnight, or the
// first existing time when a daylight-saving change skips midnight).
func startOfDay(y int, mo time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	if t.Hour() == 0 && t.Minute() == 0 {
		return t
	}
	// Midnight was skipped and time.Date normalized it to either side:
	// the day then starts at the change, the hour after 23:00 of the day
	// before, or the hour ahead.
	if t.Day() != time.Date(y, mo, d, 12, 0, 0, 0, loc).Day() {
		return t.Add(time.Hour)
	}
	return t
}

// NormalizeAttendees validates e-mail addresses and returns them trimmed,
// lower-cased and without duplicates, in their first order. Each entry must
// be a bare address (sarah@example.com); a display name is accepted and
// dropped ("Sarah <sarah@example.com>").
func NormalizeAttendees(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, raw := range in {
		s := strings.TrimSpace(raw)
		a, err := mail.ParseAddress(s)
		if err != nil {
			return nil, invalid("attendees", "%q is not an e-mail address; ask the user for the attendee's address", raw)
		}
		addr := strings.ToLower(a.Address)
		at := strings.LastIndexByte(addr, '@')
		domain := addr[at+1:]
		if at <= 0 || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.ContainsAny(addr, " \t\r\n") {
			return nil, invalid("attendees", "%q is not a usable e-mail address; ask the user for the attendee's address", raw)
		}
		if !slices.Contains(out, addr) {
			out = append(out, addr)
		}
	}
	return out, nil
}
