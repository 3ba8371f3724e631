package business

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Slot is a booked or requested period of a service.
type Slot struct {
	Service string
	Start   time.Time
	End     time.Time
}

// overlaps reports whether s and o share any instant.
func (s Slot) overlaps(o Slot) bool { return s.Start.Before(o.End) && o.Start.Before(s.End) }

// Request is a booking request as the model proposes it.
type Request struct {
	// Service is the service's name; empty means the only one.
	Service string
	// Start is RFC 3339 with an offset, or a wall time in the business's
	// zone (see ParseStart).
	Start string
}

// Check decides whether req can be booked at now, given the existing
// bookings that hold a place (pending and approved ones: pass them all,
// or at least those of the day; other services are ignored). It returns
// the slot to book, in the business's zone, or a *Refusal.
func (p *Profile) Check(now time.Time, req Request, existing []Slot) (Slot, error) {
	svc, err := p.Service(req.Service)
	if err != nil {
		return Slot{}, err
	}
	start, err := ParseStart(req.Start, p.Location)
	if err != nil {
		return Slot{}, err
	}
	slot := Slot{Service: svc.Name, Start: start, End: start.Add(svc.Duration)}
	if r := p.refuse(now, svc, slot, existing); r != nil {
		if r.Reason != ReasonTooFar {
			r.Suggestions = p.nearest(now, svc, start, existing, 3)
		}
		return Slot{}, r
	}
	return slot, nil
}

// refuse applies the rules to a parsed slot; nil means it may be booked.
func (p *Profile) refuse(now time.Time, svc Service, slot Slot, existing []Slot) *Refusal {
	start := slot.Start.In(p.Location)
	when := start.Format("Monday 2 January 2006 at 15:04")
	switch {
	case !start.After(now):
		return &Refusal{Reason: ReasonPast, Message: fmt.Sprintf("%s has already passed", when)}
	case start.Before(now.Add(p.Booking.MinNotice)):
		return &Refusal{Reason: ReasonTooSoon, Message: fmt.Sprintf("bookings must be made at least %s ahead, and %s is too soon", humanDuration(p.Booking.MinNotice), when)}
	case start.After(now.Add(p.Booking.Horizon)):
		return &Refusal{Reason: ReasonTooFar, Message: fmt.Sprintf("bookings can be made at most %s ahead, and %s is too far", humanDuration(p.Booking.Horizon), when)}
	}
	day := DateOf(start)
	ranges := p.OpenOn(day)
	if len(ranges) == 0 {
		why := "closed on " + start.Weekday().String() + "s"
		if p.IsClosedDate(day) {
			why = "closed on " + start.Format("Monday 2 January 2006")
		}
		return &Refusal{Reason: ReasonClosedDay, Message: p.Name + " is " + why}
	}
	from := clockOf(start)
	to, sameDay := endClock(start, slot.End.In(p.Location))
	for _, r := range ranges {
		if from < r.Start || from >= r.End {
			continue
		}
		if !sameDay || to > r.End {
			return &Refusal{Reason: ReasonAcrossClosing, Message: fmt.Sprintf("a %s of %s starting at %s would end after closing time (%s)", svc.Name, humanDuration(svc.Duration), from, r.End)}
		}
		if n := peak(slot, existing); n >= svc.Capacity {
			return &Refusal{Reason: ReasonFull, Message: fmt.Sprintf("%s is fully booked on %s", svc.Name, when)}
		}
		return nil
	}
	return &Refusal{Reason: ReasonOutsideHours, Message: fmt.Sprintf("%s is outside opening hours (%s)", when, formatRanges(ranges))}
}

// endClock returns the wall clock at which a slot starting at start ends,
// and whether it ends on the same day (24:00 counts as the same day).
func endClock(start, end time.Time) (Clock, bool) {
	if DateOf(end) == DateOf(start) {
		return clockOf(end), true
	}
	if DateOf(end) == DateOf(start).AddDays(1) && clockOf(end) == 0 && end.Second() == 0 {
		return 24 * 60, true
	}
	return 0, false
}

// peak returns the largest number of existing bookings of slot's service
// that are in progress at the same instant during slot.
func peak(slot Slot, existing []Slot) int {
	var over []Slot
	for _, e := range existing {
		if fold(e.Service) == fold(slot.Service) && e.overlaps(slot) {
			over = append(over, e)
		}
	}
	// The count only rises at a start: check slot's start and each
	// overlapping booking's start inside slot.
	points := []time.Time{slot.Start}
	for _, e := range over {
		if e.Start.After(slot.Start) {
			points = append(points, e.Start)
		}
	}
	best := 0
	for _, t := range points {
		n := 0
		for _, e := range over {
			if !e.Start.After(t) && e.End.After(t) {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// Free returns the start times at which svc can be booked on date d, at now:
// every SlotStep from the start of each opening range, keeping those that
// pass every rule.
func (p *Profile) Free(now time.Time, service string, d Date, existing []Slot) ([]time.Time, error) {
	svc, err := p.Service(service)
	if err != nil {
		return nil, err
	}
	return p.free(now, svc, d, existing), nil
}

func (p *Profile) free(now time.Time, svc Service, d Date, existing []Slot) []time.Time {
	var out []time.Time
	step := Clock(p.Booking.SlotStep / time.Minute)
	for _, r := range p.OpenOn(d) {
		for c := r.Start; c < r.End; c += step {
			start, ok := d.In(p.Location, c)
			if !ok {
				continue
			}
			slot := Slot{Service: svc.Name, Start: start, End: start.Add(svc.Duration)}
			if p.refuse(now, svc, slot, existing) == nil {
				out = append(out, start)
			}
		}
	}
	return out
}

// nearest returns up to n free start times closest to want, searching from
// three days before its date (but not before today) to a week after it
// (but not past the horizon), in chronological order.
func (p *Profile) nearest(now time.Time, svc Service, want time.Time, existing []Slot, n int) []time.Time {
	today := DateOf(now.In(p.Location))
	last := DateOf(now.Add(p.Booking.Horizon).In(p.Location))
	first := DateOf(want.In(p.Location)).AddDays(-3)
	if first.Before(today) {
		first = today
	}
	end := DateOf(want.In(p.Location)).AddDays(7)
	if last.Before(end) {
		end = last
	}
	var all []time.Time
	for d := first; !end.Before(d); d = d.AddDays(1) {
		all = append(all, p.free(now, svc, d, existing)...)
	}
	dist := func(t time.Time) time.Duration {
		if t.Before(want) {
			return want.Sub(t)
		}
		return t.Sub(want)
	}
	sort.SliceStable(all, func(i, j int) bool { return dist(all[i]) < dist(all[j]) })
	if len(all) > n {
		all = all[:n]
	}
	slices.SortFunc(all, func(a, b time.Time) int { return a.Compare(b) })
	return all
}

// formatRanges writes a day's ranges as "07:00-15:00, 17:00-22:00".
func formatRanges(rs []Range) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r.String()
	}
	return s
}

// humanDuration writes a duration for a customer: "2 hours", "60 days",
// "45 minutes", "1 hour 30 minutes".
func humanDuration(d time.Duration) string {
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	if d >= Day && d%Day == 0 {
		return unit(int64(d/Day), "day", "days")
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case h > 0 && m > 0:
		return unit(h, "hour", "hours") + " " + unit(m, "minute", "minutes")
	case h > 0:
		return unit(h, "hour", "hours")
	default:
		return unit(m, "minute", "minutes")
	}
}
