// Package calendar gives the assistant a calendar: the domain (events, the
// Backend interface), the five tools the model sees (calendar_create_event,
// calendar_list_events, calendar_update_event, calendar_delete_event,
// calendar_find_free_slots) built on any Backend, the parsing and
// validation of times and e-mail addresses, resolution of "the meeting with
// Sarah" to one event, free-slot computation, an iCalendar feed, and the
// configuration read from the environment.
//
// Backends live in subpackages: tools/calendar/local keeps events in the
// assistant's own database (the embedded default), tools/calendar/google
// uses Google Calendar. calendartest holds the conformance suite every
// backend passes.
//
// # Whose calendar
//
// A calendar belongs to a person. A per-thread backend (local) keeps one
// calendar per conversation thread: every Backend call carries the thread
// id, and a tool only ever passes the thread of the conversation it serves,
// so no tool call reads or changes another thread's events. A shared
// backend (google) is the owner's calendar: [Calendar.ToolsFor] offers its
// tools only to the threads listed as owners, and the tools refuse to run
// for any other thread even if they were wired in by mistake.
//
// # The model proposes, Go decides
//
// Every time and e-mail address the model sends is parsed and validated
// here: times are RFC 3339 or wall-clock times in the assistant's time zone
// (see [ParseTime]); the end must be after the start; an event in the past
// needs the explicit allow_past flag. Updates and deletes name an event by
// id or by a description; a description that matches several events returns
// the candidates instead of acting, and one that matches none says so.
//
// # Wiring
//
//	cfg := appConfig.Tools.Calendar // config.Load reads it
//	backend := local.New(db)                 // or google.New(ctx, ...)
//	cal, err := calendar.New(backend, cfg.Options())
//	set, err := tools.NewSet(cal.Tools()...) // once, at start-up
//	agentCfg.Tools = func(thread string) agent.Toolbox {
//		if cal.Allowed(thread) {
//			return set
//		}
//		return nil
//	}
//	mux.Handle("GET /calendar.ics", cal.FeedHandler())
package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Event is one calendar event. Times are instants; the zone they are shown
// in is the Calendar's.
type Event struct {
	// ID is assigned by the backend on creation.
	ID string
	// Summary is the title.
	Summary string
	// Description is free text.
	Description string
	// Location is free text.
	Location string
	// Start and End bound the event; End is after Start.
	Start, End time.Time
	// Attendees are validated e-mail addresses, lower-cased, without
	// duplicates.
	Attendees []string
	// Updated is when the backend last changed the event (zero if unknown).
	Updated time.Time
	// Sequence counts the changes made to the event since its creation, as
	// iCalendar's SEQUENCE does.
	Sequence int
}

// Clone returns a copy of e that shares nothing with it.
func (e Event) Clone() Event {
	e.Attendees = slices.Clone(e.Attendees)
	return e
}

// Backend stores events. Every method takes the thread the call is made
// for: a per-thread backend keeps each thread's events apart and must never
// return or change an event of another thread (an id of another thread is
// [ErrNotFound]); a shared backend (one owner's calendar) may ignore it.
// Implementations must be safe for concurrent use.
type Backend interface {
	// Create stores a new event and returns it with its ID set.
	Create(ctx context.Context, thread string, e Event) (Event, error)
	// Get returns the event with the given id, or an error wrapping
	// ErrNotFound.
	Get(ctx context.Context, thread, id string) (Event, error)
	// List returns the events that overlap [from, to) (start < to and end >
	// from), ordered by start, then id. It returns every such event,
	// following the backend's pages.
	List(ctx context.Context, thread string, from, to time.Time) ([]Event, error)
	// Update replaces the summary, description, location, times and
	// attendees of the event with e.ID and returns the stored event; an
	// unknown id gives an error wrapping ErrNotFound.
	Update(ctx context.Context, thread string, e Event) (Event, error)
	// Delete removes the event; an unknown id gives an error wrapping
	// ErrNotFound.
	Delete(ctx context.Context, thread, id string) error
}

// ErrNotFound reports an event id that does not exist (for this thread).
var ErrNotFound = errors.New("calendar: event not found")

// ErrAuth reports that the backend refused our credentials: an expired or
// revoked Google token. The operator must re-authorize (`assistant calendar
// auth`).
var ErrAuth = errors.New("calendar: authorization failed")

// AuthError is the error a backend returns when its credentials are
// refused. It wraps ErrAuth, so errors.Is(err, ErrAuth) holds.
type AuthError struct {
	// Err is the underlying failure (an HTTP 401, an invalid_grant...).
	Err error
}

// Error implements error.
func (e *AuthError) Error() string {
	return fmt.Sprintf("calendar: authorization failed (run `assistant calendar auth`): %v", e.Err)
}

// Unwrap returns ErrAuth and the cause.
func (e *AuthError) Unwrap() []error { return []error{ErrAuth, e.Err} }

// ValidationError reports a bad value from the model (a time, an address,
// an end before the start). Its message is written for the model, which can
// correct the call or ask the user.
type ValidationError struct {
	// Field is the argument at fault ("start", "attendees"...).
	Field string
	// Msg says what is wrong.
	Msg string
}

// Error implements error.
func (e *ValidationError) Error() string { return e.Field + ": " + e.Msg }

func invalid(field, format string, a ...any) error {
	return &ValidationError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// Validate checks the fields a backend relies on: a summary, an end after
// the start, well-formed attendees.
func (e Event) Validate() error {
	if strings.TrimSpace(e.Summary) == "" {
		return invalid("summary", "the event needs a title")
	}
	if e.Start.IsZero() || e.End.IsZero() {
		return invalid("start", "the event needs a start and an end")
	}
	if !e.End.After(e.Start) {
		return invalid("end", "the end (%s) must be after the start (%s)", e.End.Format(time.RFC3339), e.Start.Format(time.RFC3339))
	}
	if _, err := NormalizeAttendees(e.Attendees); err != nil {
		return err
	}
	return nil
}

// Overlaps reports whether e overlaps [from, to).
func (e Event) Overlaps(from, to time.Time) bool {
	return e.Start.Before(to) && e.End.After(from)
}

// SortEvents orders events by start, then end, then id, as Backend.List
// does.
func SortEvents(events []Event) {
	slices.SortFunc(events, func(a, b Event) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := a.End.Compare(b.End); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
