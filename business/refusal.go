package business

import (
	"strings"
	"time"
)

// Reason says why a booking request was refused.
type Reason string

// The reasons of a *Refusal.
const (
	ReasonBadTime        Reason = "bad_time"        // the start is not a date and time
	ReasonNoSuchTime     Reason = "no_such_time"    // the wall time is skipped by a clock change
	ReasonUnknownService Reason = "unknown_service" // no such service
	ReasonPast           Reason = "past"            // the start has passed
	ReasonTooSoon        Reason = "too_soon"        // less than the minimum notice ahead
	ReasonTooFar         Reason = "too_far"         // beyond the booking horizon
	ReasonClosedDay      Reason = "closed_day"      // a closed weekday or a closed date
	ReasonOutsideHours   Reason = "outside_hours"   // the start is outside every opening range
	ReasonAcrossClosing  Reason = "across_closing"  // the booking would run past closing time
	ReasonFull           Reason = "full"            // no place left for the service then
)

// Refusal is a booking request that the rules do not allow. Its Message
// is written for the customer (the model relays it); Suggestions are the
// nearest free start times, in the business's zone, when they help.
type Refusal struct {
	Reason      Reason
	Message     string
	Suggestions []time.Time
}

// Error returns the message, followed by the suggestions.
func (r *Refusal) Error() string {
	if len(r.Suggestions) == 0 {
		return r.Message
	}
	var b strings.Builder
	b.WriteString(r.Message)
	b.WriteString(". Nearest free times: ")
	for i, s := range r.Suggestions {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(FormatLocal(s))
	}
	return b.String()
}

// FormatLocal writes a time as the business reads it:
// "Tue 8 Dec 2026 10:00 (2026-12-08T10:00:00+01:00)".
func FormatLocal(t time.Time) string {
	return t.Format("Mon 2 Jan 2006 15:04") + " (" + t.Format(time.RFC3339) + ")"
}
