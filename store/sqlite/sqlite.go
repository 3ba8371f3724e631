// Package sqlite is the store.Store on the embedded SQLite database
// (modernc.org/sqlite) through database/sql, with River's SQLite driver
// (riversqlite) for the jobs: the default when no DATABASE_URL is set. The
// inbox and outbox logic is store/internal/backend's, shared with
// PostgreSQL; this package is its driver (statements, time as text, the
// insert of accepted messages) and constructor.
//
// The tables come from the migrations package (0002_messages.sql):
// inbound_messages, outbox, outbox_parts and thread_leases; River's own
// tables come from MigrateRiver. Open the database with
// checkpoint/sqlite.Open (or its DSN): WAL, a busy timeout, foreign keys,
// and BEGIN IMMEDIATE for read-write transactions.
//
// # One connection
//
// River's SQLite driver needs the pool limited to one connection
// (db.SetMaxOpenConns(1)): New refuses a database that allows more, as do
// the queue package's constructors, whose working client polls (SQLite has
// no LISTEN/NOTIFY). Everything the store does inside a transaction
// goes through that transaction — its own statements and River's InsertTx,
// JobListTx and JobDeleteManyTx — never through the *sql.DB, which would
// wait forever for the connection the transaction holds. Statements of all
// callers (the store, River, the checkpoint saver) take turns on the one
// connection, so one process is the only writer, and a transaction sees no
// concurrent change.
//
// # What is atomic with what
//
//   - Accept: the inbound row and its queue.RunThread job commit together
//     or not at all; a second delivery of a (channel, provider id) inserts
//     nothing and enqueues nothing. Accepts arriving together share one
//     transaction (group commit); a refused batch is retried one message
//     at a time.
//   - Complete: the processed marks, the reply rows, and one
//     queue.SendReply job per reply row it inserted commit together; a
//     reply whose (thread, key) exists is not inserted again and gets no
//     second job.
//   - RecordPart and RecordStatus: a part's row and its reply's parts_sent
//     and status change together.
//   - AcquireLease is one INSERT ... ON CONFLICT DO UPDATE ... WHERE.
//   - DeleteThread removes the thread's outbox parts, replies, inbound
//     messages, lease, and its run_thread jobs that are not running, in one
//     transaction.
//
// Times are stored as UTC text in a fixed-width layout, so text order is
// time order and comparisons happen in SQL.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/store/internal/backend"
)

// Store is a store.Store on a SQLite database: the shared implementation
// (store/internal/backend) over this package's driver. It is safe for
// concurrent use within one process; only one process may use the database
// file.
type Store struct {
	*backend.Store[*sql.Tx]
}

var _ store.Store = (*Store)(nil)

// New returns a Store on db that inserts its jobs with client, an
// insert-only River client on db (queue.NewSQLiteInserter); the jobs are
// worked by the queue package's client. db must be limited to one open
// connection (db.SetMaxOpenConns(1)), as River's SQLite driver needs; New
// refuses another. The schema (migrations package) and River's tables
// (MigrateRiver) must be in place. db stays the caller's to close.
func New(db *sql.DB, client *river.Client[*sql.Tx]) (*Store, error) {
	if db == nil {
		return nil, errors.New("store/sqlite: nil database")
	}
	if n := db.Stats().MaxOpenConnections; n != 1 {
		return nil, fmt.Errorf("store/sqlite: the database allows %d open connections, want 1 (db.SetMaxOpenConns(1))", n)
	}
	s, err := backend.New[*sql.Tx](driver{db: db}, client)
	if err != nil {
		return nil, err
	}
	return &Store{s}, nil
}

// MigrateRiver applies River's pending migrations to db. It is a no-op on
// a current schema and is safe to call at every start-up.
func MigrateRiver(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store/sqlite: migrate river: %w", err)
	}
	return nil
}

// timeLayout is how times are stored: UTC, fixed width, so text order is
// time order (the layout checkpoint/sqlite uses).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

const insertInbound = `INSERT INTO inbound_messages
	(channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (channel, provider_id) DO NOTHING
	RETURNING id`

// InsertInbound implements backend.Driver: one prepared INSERT per
// message, in order, on the transaction's connection.
func (driver) InsertInbound(ctx context.Context, tx *sql.Tx, _ backend.Querier, reqs []backend.AcceptReq) (map[[2]string]bool, error) {
	stmt, err := tx.PrepareContext(ctx, insertInbound)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	inserted := make(map[[2]string]bool, len(reqs))
	for _, r := range reqs {
		m := r.Msg
		var id int64
		err := stmt.QueryRowContext(ctx, m.Channel, m.ProviderID, m.Thread, m.From, m.To,
			m.Sender, m.ProfileName, m.Body, r.Media, formatTime(m.ReceivedAt)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // a provider retry
		}
		if err != nil {
			return nil, err
		}
		inserted[[2]string{m.Channel, m.ProviderID}] = true
	}
	return inserted, nil
}

// driver is the backend.Driver on a database/sql SQLite database.
type driver struct {
	db *sql.DB
}

func (driver) Name() string             { return "store/sqlite" }
func (driver) Dialect() backend.Dialect { return backend.SQLite }
func (d driver) DB() backend.Querier    { return querier{d.db} }

// InTx runs fn in a read-write transaction: BEGIN IMMEDIATE, with the DSN
// of checkpoint/sqlite.Open, so it holds the write lock from the start.
func (d driver) InTx(ctx context.Context, fn func(tx *sql.Tx, q backend.Querier) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx, querier{tx}); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// sqlQuerier is what a *sql.DB and a *sql.Tx share.
type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// querier is a backend.Querier on database/sql. It stores a time.Time
// argument as timeLayout text and a []int64 as a JSON array (for
// json_each), and reads a *time.Time destination back from that text.
type querier struct{ q sqlQuerier }

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	args, err := convertArgs(args)
	if err != nil {
		return 0, err
	}
	res, err := q.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (q querier) Query(ctx context.Context, query string, args ...any) (backend.Rows, error) {
	args, err := convertArgs(args)
	if err != nil {
		return nil, err
	}
	r, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) backend.Row {
	args, err := convertArgs(args)
	if err != nil {
		return errRow{err}
	}
	return row{q.q.QueryRowContext(ctx, query, args...)}
}

func convertArgs(args []any) ([]any, error) {
	out := args
	for i, a := range args {
		var v any
		switch a := a.(type) {
		case time.Time:
			v = formatTime(a)
		case []int64:
			b, err := json.Marshal(a)
			if err != nil {
				return nil, err
			}
			v = string(b)
		default:
			continue
		}
		if &out[0] == &args[0] { // copy before the first change: args is the caller's
			out = append([]any(nil), args...)
		}
		out[i] = v
	}
	return out, nil
}

// scanTimes scans with scan, reading each *time.Time destination from its
// stored text.
func scanTimes(scan func(dest ...any) error, dest []any) error {
	var texts map[int]*string
	target := dest
	for i, d := range dest {
		if _, ok := d.(*time.Time); ok {
			if texts == nil {
				texts = map[int]*string{}
				target = append([]any(nil), dest...)
			}
			texts[i] = new(string)
			target[i] = texts[i]
		}
	}
	if err := scan(target...); err != nil {
		return err
	}
	for i, text := range texts {
		t, err := parseTime(*text)
		if err != nil {
			return err
		}
		*dest[i].(*time.Time) = t
	}
	return nil
}

type row struct{ r *sql.Row }

func (r row) Scan(dest ...any) error { return scanTimes(r.r.Scan, dest) }

// errRow is a row whose statement could not be sent.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type rows struct{ r *sql.Rows }

func (r rows) Next() bool             { return r.r.Next() }
func (r rows) Scan(dest ...any) error { return scanTimes(r.r.Scan, dest) }
func (r rows) Err() error             { return r.r.Err() }
func (r rows) Close()                 { _ = r.r.Close() }
