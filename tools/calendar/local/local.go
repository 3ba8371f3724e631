// Package local is the built-in calendar backend: events kept in the
// assistant's own database, one calendar per conversation thread.
//
// It works on database/sql with either modernc.org/sqlite (driver "sqlite")
// or Postgres through pgx's stdlib driver ("pgx"): the SQL is shared, with
// $1 placeholders, times as Unix seconds and attendees as a JSON array in a
// text column. The table, calendar_events, comes from the migrations
// (migrations/*/0003_calendar.sql). Every statement filters on the thread
// id, and every value from the model reaches the database as a parameter.
//
// The backend sends no e-mail: attendees are recorded, not notified.
package local

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/tools/calendar"
)

// Backend is the local calendar.Backend. It is safe for concurrent use.
type Backend struct {
	db  *sql.DB
	now func() time.Time
}

// Option configures a Backend.
type Option func(*Backend)

// WithClock sets the clock used for created and updated times (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(b *Backend) { b.now = now }
}

// New returns a backend on db, whose schema must include the calendar
// migration.
func New(db *sql.DB, opts ...Option) *Backend {
	b := &Backend{db: db, now: time.Now}
	for _, o := range opts {
		o(b)
	}
	return b
}

var _ calendar.Backend = (*Backend)(nil)

const columns = "id, summary, description, location, attendees, start_unix, end_unix, sequence, updated_unix"

func newID() (string, error) {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("local calendar: id: %w", err)
	}
	return "ev" + hex.EncodeToString(b[:]), nil
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scan(s scanner) (calendar.Event, error) {
	var (
		e                             calendar.Event
		attendees                     string
		start, end, updated, sequence int64
	)
	if err := s.Scan(&e.ID, &e.Summary, &e.Description, &e.Location, &attendees, &start, &end, &sequence, &updated); err != nil {
		return calendar.Event{}, err
	}
	if err := json.Unmarshal([]byte(attendees), &e.Attendees); err != nil {
		return calendar.Event{}, fmt.Errorf("attendees of %s: %w", e.ID, err)
	}
	if len(e.Attendees) == 0 {
		e.Attendees = nil
	}
	e.Start, e.End, e.Updated = time.Unix(start, 0).UTC(), time.Unix(end, 0).UTC(), time.Unix(updated, 0).UTC()
	e.Sequence = int(sequence)
	return e, nil
}

func attendeesJSON(a []string) (string, error) {
	if a == nil {
		a = []string{}
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("local calendar: attendees: %w", err)
	}
	return string(b), nil
}

// Create implements calendar.Backend.
func (b *Backend) Create(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("local calendar: %w", err)
	}
	id, err := newID()
	if err != nil {
		return calendar.Event{}, err
	}
	att, err := attendeesJSON(e.Attendees)
	if err != nil {
		return calendar.Event{}, err
	}
	now := b.now().Unix()
	row := b.db.QueryRowContext(ctx,
		`INSERT INTO calendar_events (thread_id, id, summary, description, location, attendees, start_unix, end_unix, sequence, created_unix, updated_unix)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)
		 RETURNING `+columns,
		thread, id, e.Summary, e.Description, e.Location, att, e.Start.Unix(), e.End.Unix(), now)
	got, err := scan(row)
	if err != nil {
		return calendar.Event{}, fmt.Errorf("local calendar: create: %w", err)
	}
	return got, nil
}

// Get implements calendar.Backend.
func (b *Backend) Get(ctx context.Context, thread, id string) (calendar.Event, error) {
	row := b.db.QueryRowContext(ctx, `SELECT `+columns+` FROM calendar_events WHERE thread_id = $1 AND id = $2`, thread, id)
	e, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return calendar.Event{}, fmt.Errorf("local calendar: %q: %w", id, calendar.ErrNotFound)
	}
	if err != nil {
		return calendar.Event{}, fmt.Errorf("local calendar: get: %w", err)
	}
	return e, nil
}

// List implements calendar.Backend.
func (b *Backend) List(ctx context.Context, thread string, from, to time.Time) ([]calendar.Event, error) {
	rows, err := b.db.QueryContext(ctx,
		`SELECT `+columns+` FROM calendar_events
		 WHERE thread_id = $1 AND start_unix < $2 AND end_unix > $3
		 ORDER BY start_unix, end_unix, id`,
		thread, ceilUnix(to), from.Unix())
	if err != nil {
		return nil, fmt.Errorf("local calendar: list: %w", err)
	}
	defer rows.Close()
	var out []calendar.Event
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("local calendar: list: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("local calendar: list: %w", err)
	}
	return out, nil
}

// ceilUnix rounds t up to a whole second, so an exclusive bound with a
// fraction keeps events that start within that second.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

// Update implements calendar.Backend.
func (b *Backend) Update(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("local calendar: %w", err)
	}
	att, err := attendeesJSON(e.Attendees)
	if err != nil {
		return calendar.Event{}, err
	}
	row := b.db.QueryRowContext(ctx,
		`UPDATE calendar_events
		 SET summary = $3, description = $4, location = $5, attendees = $6, start_unix = $7, end_unix = $8,
		     sequence = sequence + 1, updated_unix = $9
		 WHERE thread_id = $1 AND id = $2
		 RETURNING `+columns,
		thread, e.ID, e.Summary, e.Description, e.Location, att, e.Start.Unix(), e.End.Unix(), b.now().Unix())
	got, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return calendar.Event{}, fmt.Errorf("local calendar: %q: %w", e.ID, calendar.ErrNotFound)
	}
	if err != nil {
		return calendar.Event{}, fmt.Errorf("local calendar: update: %w", err)
	}
	return got, nil
}

// Delete implements calendar.Backend.
func (b *Backend) Delete(ctx context.Context, thread, id string) error {
	res, err := b.db.ExecContext(ctx, `DELETE FROM calendar_events WHERE thread_id = $1 AND id = $2`, thread, id)
	if err != nil {
		return fmt.Errorf("local calendar: delete: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("local calendar: delete: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("local calendar: %q: %w", id, calendar.ErrNotFound)
	}
	return nil
}

// DeleteThread erases every event of thread (when a user asks to be
// forgotten) and returns how many there were.
func (b *Backend) DeleteThread(ctx context.Context, thread string) (int64, error) {
	res, err := b.db.ExecContext(ctx, `DELETE FROM calendar_events WHERE thread_id = $1`, thread)
	if err != nil {
		return 0, fmt.Errorf("local calendar: delete thread: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("local calendar: delete thread: %w", err)
	}
	return n, nil
}
