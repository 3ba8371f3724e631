package gym

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Limits Validate applies.
const (
	MinMinutes    = 1    // shortest session, in minutes
	MaxMinutes    = 600  // longest session, in minutes (10 h)
	MaxDistanceKm = 300  // longest distance, in km
	MaxSets       = 100  // most sets in one session
	MaxReps       = 1000 // most reps per set
	MaxCalories   = 5000 // most kcal in one session
	// MaxAgeDays is how far back a workout may be logged: today minus
	// MaxAgeDays is still accepted.
	MaxAgeDays = 14
)

// What is wrong with a field. A *FieldError unwraps to one of them.
var (
	ErrMissing         = errors.New("missing")
	ErrOutOfRange      = errors.New("out of range")
	ErrFutureDate      = errors.New("in the future")
	ErrTooOld          = errors.New("too old")
	ErrUnknownMember   = errors.New("unknown member")
	ErrUnknownActivity = errors.New("unknown activity")
)

// FieldError is one invalid field of a workout. Field is the JSON name
// ("minutes", "date", ...).
type FieldError struct {
	Field string
	Value any
	Err   error // one of the Err values above, possibly wrapped with detail
}

// Error names the field and the reason.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%s: %v", e.Field, e.Err)
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists every invalid field of a workout.
type ValidationError struct {
	Fields []*FieldError
}

// Error lists every bad field.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "gym: invalid workout: " + strings.Join(parts, "; ")
}

// Unwrap returns the field errors, so errors.Is(err, ErrFutureDate) and
// errors.As(err, &fieldErr) see them.
func (e *ValidationError) Unwrap() []error {
	out := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		out[i] = f
	}
	return out
}

// Field returns the error of the named field, or nil.
func (e *ValidationError) Field(name string) *FieldError {
	for _, f := range e.Fields {
		if f.Field == name {
			return f
		}
	}
	return nil
}

// Validate checks a workout, from the rules or from a model, before it is
// stored. It returns nil or a *ValidationError naming every bad field:
//
//   - member: set, and one of members when members is not empty
//     (compared case-insensitively);
//   - date: set, not after today in loc (nil means UTC), not more than
//     MaxAgeDays before it;
//   - activity: canonical (IsKnownActivity); normalize free text with
//     NormalizeActivity first;
//   - minutes: MinMinutes to MaxMinutes;
//   - distance_km: 0 to MaxDistanceKm; sets 0 to MaxSets; reps 0 to
//     MaxReps; calories 0 to MaxCalories (0 is "not said").
func Validate(w Workout, now time.Time, loc *time.Location, members []string) error {
	var fs []*FieldError
	bad := func(field string, v any, err error) { fs = append(fs, &FieldError{Field: field, Value: v, Err: err}) }
	rangeCheck := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			bad(field, v, fmt.Errorf("%w: %d not in %d..%d", ErrOutOfRange, v, lo, hi))
		}
	}

	switch {
	case strings.TrimSpace(w.Member) == "":
		bad("member", w.Member, ErrMissing)
	case len(members) > 0 && !slices.ContainsFunc(members, func(m string) bool { return strings.EqualFold(m, w.Member) }):
		bad("member", w.Member, fmt.Errorf("%w: %q", ErrUnknownMember, w.Member))
	}

	today := DateOf(now, loc)
	switch {
	case w.Date.IsZero():
		bad("date", w.Date, ErrMissing)
	case w.Date.After(today):
		bad("date", w.Date, fmt.Errorf("%w: %s is after today %s", ErrFutureDate, w.Date, today))
	case today.DaysSince(w.Date) > MaxAgeDays:
		bad("date", w.Date, fmt.Errorf("%w: %s is more than %d days before %s", ErrTooOld, w.Date, MaxAgeDays, today))
	}

	switch {
	case w.Activity == "":
		bad("activity", w.Activity, ErrMissing)
	case !IsKnownActivity(w.Activity):
		bad("activity", w.Activity, fmt.Errorf("%w: %q", ErrUnknownActivity, w.Activity))
	}

	rangeCheck("minutes", w.Minutes, MinMinutes, MaxMinutes)
	if math.IsNaN(w.DistanceKm) || w.DistanceKm < 0 || w.DistanceKm > MaxDistanceKm {
		bad("distance_km", w.DistanceKm, fmt.Errorf("%w: %g not in 0..%d", ErrOutOfRange, w.DistanceKm, MaxDistanceKm))
	}
	rangeCheck("sets", w.Sets, 0, MaxSets)
	rangeCheck("reps", w.Reps, 0, MaxReps)
	rangeCheck("calories", w.Calories, 0, MaxCalories)

	if len(fs) > 0 {
		return &ValidationError{Fields: fs}
	}
	return nil
}
