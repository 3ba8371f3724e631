package gym

import "time"

// Reading is what the rules make of one message.
type Reading struct {
	// Kind is the message's kind.
	Kind Kind
	// Workouts are the sessions of a workout log, when the rules could
	// read them all; Err (an *ExtractError) says why not otherwise.
	Workouts []Workout
	Err      error
}

// Read classifies msg on the day it was sent (see ClassifyAt) and, for a
// workout log, extracts its workouts with x (see Extractor.Extract).
func Read(msg Message, now time.Time, loc *time.Location, x Extractor) Reading {
	sent := msg.SentAt
	if sent.IsZero() || sent.After(now) {
		sent = now
	}
	r := Reading{Kind: ClassifyAt(msg.Text, DateOf(sent, loc))}
	if r.Kind == KindWorkoutLog {
		r.Workouts, r.Err = x.Extract(msg, now, loc)
	}
	return r
}
