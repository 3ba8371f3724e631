package business

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Clock is a time of day in minutes after midnight, from 0 ("00:00") to
// 1440 ("24:00", the end of the day, allowed only as a range's end).
type Clock int

// ParseClock parses "HH:MM" (hours 00-24, minutes 00-59; "24:00" only).
func ParseClock(s string) (Clock, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not a time of day (want HH:MM, such as 09:30)", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time of day (hours 00-23, minutes 00-59, or 24:00 for midnight at the end of the day)", s)
	}
	return Clock(hh*60 + mm), nil
}

// String writes the clock as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// clockOf returns the wall-clock time of day of t in its location.
func clockOf(t time.Time) Clock { return Clock(t.Hour()*60 + t.Minute()) }

// Range is an opening range within one day, [Start, End).
type Range struct {
	Start, End Clock
}

// ParseRange parses "HH:MM-HH:MM". The end must be after the start; a
// range that runs past midnight is written as two, one per day, ending at
// 24:00 and starting at 00:00.
func ParseRange(s string) (Range, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Range{}, fmt.Errorf("%q is not an opening range (want HH:MM-HH:MM, such as 09:00-14:00)", s)
	}
	start, err := ParseClock(a)
	if err != nil {
		return Range{}, err
	}
	if start == 24*60 {
		return Range{}, fmt.Errorf("%q: a range cannot start at 24:00", s)
	}
	end, err := ParseClock(b)
	if err != nil {
		return Range{}, err
	}
	if end <= start {
		return Range{}, fmt.Errorf("%q ends before it starts (a range past midnight is written as two: ...-24:00 and 00:00-...)", s)
	}
	return Range{Start: start, End: end}, nil
}

// String writes the range as "HH:MM-HH:MM".
func (r Range) String() string { return r.Start.String() + "-" + r.End.String() }

// Week is the opening ranges of each weekday, indexed by time.Weekday
// (Sunday is 0). A day with no ranges is closed. Each day's ranges are
// sorted and do not overlap.
type Week [7][]Range

// weekdayKeys are the YAML keys of the weekdays, indexed by time.Weekday.
var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// mondayFirst lists the weekdays in the order people read a week.
var mondayFirst = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// ParseWeekday parses a weekday key: "mon" … "sun" (also the full English
// name), any case.
func ParseWeekday(s string) (time.Weekday, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for i, key := range weekdayKeys {
		if k == key || k == strings.ToLower(time.Weekday(i).String()) {
			return time.Weekday(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a weekday (want mon, tue, wed, thu, fri, sat or sun)", s)
}

// sortRanges returns a day's ranges sorted by start.
func sortRanges(rs []Range) []Range {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, func(a, b Range) int { return int(a.Start - b.Start) })
	return rs
}

// overlap finds two ranges of a day that overlap: i and j index rs, and j
// is the one that starts later (or the later-listed of two equal starts).
func overlap(rs []Range) (i, j int, ok bool) {
	for a := range rs {
		for b := a + 1; b < len(rs); b++ {
			if rs[a].Start < rs[b].End && rs[b].Start < rs[a].End {
				if rs[b].Start < rs[a].Start {
					return b, a, true
				}
				return a, b, true
			}
		}
	}
	return 0, 0, false
}

// Date is a civil date, a day in the business's calendar.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD, such as 2026-12-25)", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String writes the date as "2006-01-02".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// In returns the wall time c of day d in loc (see [wallTime] for the rare
// clocks that do not exist or exist twice). c may be 24:00, the next
// day's midnight.
func (d Date) In(loc *time.Location, c Clock) (time.Time, bool) {
	return wallTime(loc, d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0)
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.String() < e.String() }
