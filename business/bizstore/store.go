// Package bizstore keeps a business front desk's data in SQL, on
// database/sql, with one set of queries for both supported databases (the
// embedded SQLite, opened with checkpoint/sqlite.Open, and Postgres through
// pgx's database/sql adapter, migrations.OpenPostgres): the profile and its
// approved FAQs, bookings with their status history, and leads, and what
// reached the customer after the conversation (decision notices,
// reminders). The tables are created by migrations 0005_business.sql and
// 0008_reach.sql.
//
// # Guarantees
//
//   - A booking is written only after business.Profile.Check accepted it
//     against the bookings that hold a place, read in the same transaction.
//     Concurrent requests for the last place are serialized (a per-service
//     advisory lock on Postgres; SQLite's single writer, its transactions
//     beginning IMMEDIATE as checkpoint/sqlite.Open configures them), so
//     exactly one wins.
//   - One booking and one lead per source message: a retried turn or a
//     replayed tool call gets the row the first one made, never a second.
//   - Every status change goes through business.Transition inside the
//     transaction that reads the current status, and is kept with who made
//     it, when and why.
//   - A decision by anyone but the customer marks its notice due in the
//     decision's own transaction (DueNotices finds those a crash left).
//   - One reminder per booking and start time: ClaimReminder's row is the
//     claim, true for one caller across processes and restarts.
//   - A customer's calls are scoped to their thread: another customer's
//     booking is reported as not found.
//   - Every query is parameterized; nothing a customer or a model wrote is
//     ever part of SQL text.
package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/migrations"
)

// Errors callers branch on.
var (
	// ErrNotFound: no such booking (or not the caller's).
	ErrNotFound = errors.New("bizstore: not found")
	// ErrNoProfile: no business profile has been imported.
	ErrNoProfile = errors.New("bizstore: no business profile")
)

// Store reads and writes a business's data. It is safe for concurrent use.
// It never uses a second connection while holding one, so it works on a
// SQLite database limited to one open connection.
type Store struct {
	db      *sql.DB
	dialect migrations.Dialect
	now     func() time.Time
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock that stamps rows (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// New returns a Store on db, which must have the migrations of dialect
// applied.
func New(db *sql.DB, dialect migrations.Dialect, opts ...Option) (*Store, error) {
	if dialect != migrations.Postgres && dialect != migrations.SQLite {
		return nil, fmt.Errorf("bizstore: unknown dialect %q", dialect)
	}
	s := &Store{db: db, dialect: dialect, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// timeLayout is how SQLite stores times: UTC, fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// ts converts a time to the argument the database stores.
func (s *Store) ts(t time.Time) any {
	if s.dialect == migrations.SQLite {
		return t.UTC().Format(timeLayout)
	}
	return t.UTC()
}

// timeCol scans a time stored by either database.
type timeCol struct{ t time.Time }

// Scan implements sql.Scanner.
func (c *timeCol) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		c.t = x
		return nil
	case string:
		return c.parse(x)
	case []byte:
		return c.parse(string(x))
	}
	return fmt.Errorf("bizstore: cannot read %T as a time", v)
}

func (c *timeCol) parse(s string) error {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return fmt.Errorf("bizstore: stored time %q: %w", s, err)
	}
	c.t = t
	return nil
}

// inTx runs fn in a transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// nullable stores "" as NULL (unique source ids are optional).
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
