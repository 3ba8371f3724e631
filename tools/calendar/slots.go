package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WorkingHours bounds the free slots offered each day, in wall-clock time
// of the calendar's zone.
type WorkingHours struct {
	// Start and End are offsets from midnight (9h and 17h30m for 09:00 to
	// 17:30). End is after Start.
	Start, End time.Duration
	// Weekends includes Saturdays and Sundays.
	Weekends bool
}

// DefaultWorkingHours are 09:00 to 17:00, Monday to Friday.
var DefaultWorkingHours = WorkingHours{Start: 9 * time.Hour, End: 17 * time.Hour}

// ParseClock parses "HH:MM" (00:00 to 24:00) into an offset from midnight.
func ParseClock(s string) (time.Duration, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a clock time: want HH:MM such as 09:00", s)
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute, nil
}

// ParseWorkingHours parses "09:00-17:00" into working hours on weekdays.
func ParseWorkingHours(s string) (WorkingHours, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return WorkingHours{}, fmt.Errorf("%q: want HH:MM-HH:MM such as 09:00-17:00", s)
	}
	start, err := ParseClock(a)
	if err != nil {
		return WorkingHours{}, err
	}
	end, err := ParseClock(b)
	if err != nil {
		return WorkingHours{}, err
	}
	if end <= start {
		return WorkingHours{}, fmt.Errorf("%q: the end of the working day must be after its start", s)
	}
	return WorkingHours{Start: start, End: end}, nil
}

// Slot is a free interval.
type Slot struct {
	Start, End time.Time
}

// FreeSlots returns the intervals within [from, to) and the working hours
// of each day (in loc) that no event of busy overlaps and that last at least
// minLen, in order. Days are walked in wall-clock time, so working hours
// stay 09:00 to 17:00 across a daylight-saving change.
func FreeSlots(busy []Event, from, to time.Time, minLen time.Duration, wh WorkingHours, loc *time.Location) []Slot {
	if !to.After(from) || minLen <= 0 || wh.End <= wh.Start {
		return nil
	}
	intervals := make([]Slot, 0, len(busy))
	for _, e := range busy {
		if e.Overlaps(from, to) {
			intervals = append(intervals, Slot{e.Start, e.End})
		}
	}
	slices.SortFunc(intervals, func(a, b Slot) int { return a.Start.Compare(b.Start) })

	var out []Slot
	f := from.In(loc)
	for day := startOfDay(f.Year(), f.Month(), f.Day(), loc); day.Before(to); {
		y, mo, d := day.Date()
		next := startOfDay(y, mo, d+1, loc)
		if wd := day.Weekday(); wh.Weekends || (wd != time.Saturday && wd != time.Sunday) {
			ws := atClock(y, mo, d, wh.Start, loc)
			we := atClock(y, mo, d, wh.End, loc)
			ws, we = later(ws, from), earlier(we, to)
			cur := ws
			for _, iv := range intervals {
				if !iv.End.After(cur) || !iv.Start.Before(we) {
					continue
				}
				if iv.Start.Sub(cur) >= minLen {
					out = append(out, Slot{cur, iv.Start})
				}
				cur = later(cur, iv.End)
			}
			if we.Sub(cur) >= minLen {
				out = append(out, Slot{cur, we})
			}
		}
		day = next
	}
	return out
}

// atClock returns the instant the clock in loc reads offset after midnight
// on the given day; a wall time skipped by daylight saving moves forward.
func atClock(y int, mo time.Month, d int, offset time.Duration, loc *time.Location) time.Time {
	h := int(offset / time.Hour)
	m := int(offset % time.Hour / time.Minute)
	if t, err := wallTime(y, mo, d, h, m, 0, loc); err == nil {
		return t
	}
	return time.Date(y, mo, d, h, m, 0, 0, loc)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
