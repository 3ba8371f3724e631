package gym

import (
	"errors"
	"strings"
)

// Reasons the rules cannot extract a workout. An *ExtractError unwraps to
// one or more of them, so callers branch with errors.Is.
var (
	// ErrNotWorkout: the message names no activity and no amount.
	ErrNotWorkout = errors.New("gym: no workout in message")
	// ErrNoActivity: an amount ("45 min") without a known activity.
	ErrNoActivity = errors.New("gym: no activity found")
	// ErrNoDuration: an activity without a duration ("ran 5k").
	ErrNoDuration = errors.New("gym: no duration found")
	// ErrAmbiguous: several readings are possible (two durations for one
	// activity, two dates for one session...).
	ErrAmbiguous = errors.New("gym: ambiguous message")
	// ErrBadDate: a date was written but is not a real date ("31/02").
	ErrBadDate = errors.New("gym: date not understood")
)

// ExtractError says the rules cannot decide. The caller may ask the user or
// consult a model; Partial holds what the rules did find (every field they
// could read, the complete workouts of the message included), as hints.
type ExtractError struct {
	Partial []Workout
	Reasons []error
}

// Error lists the reasons.
func (e *ExtractError) Error() string {
	var b strings.Builder
	b.WriteString("gym: cannot extract workout")
	for i, r := range e.Reasons {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(strings.TrimPrefix(r.Error(), "gym: "))
	}
	return b.String()
}

// Unwrap returns the reasons, each matching one of the Err values above.
func (e *ExtractError) Unwrap() []error { return e.Reasons }
