package backend

import (
	"context"
	"database/sql"
)

// Dialect names a database's SQL.
type Dialect int

// The dialects a Driver speaks.
const (
	Postgres Dialect = iota
	SQLite
)

// Stmt is a statement whose text differs between the dialects. Most
// statements are the same on both and are plain strings; a Stmt holds only
// those that are not (PostgreSQL's row locks and array parameters, say).
type Stmt struct {
	Postgres, SQLite string
}

// For returns the statement's text in d.
func (s Stmt) For(d Dialect) string {
	if d == SQLite {
		return s.SQLite
	}
	return s.Postgres
}

// Querier runs statements, inside a transaction or outside. Statements use
// $1-style parameters, which both databases accept. A driver converts
// arguments and scan destinations its database does not store natively: a
// time.Time argument or *time.Time destination, and a []int64 argument (an
// array on PostgreSQL; JSON text on SQLite, for json_each).
type Querier interface {
	// Exec runs a statement and returns how many rows it affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a statement that returns rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow runs a statement that returns at most one row. Its Scan
	// returns sql.ErrNoRows when there is none, whatever the driver.
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Row is the result of Querier.QueryRow.
type Row interface {
	Scan(dest ...any) error
}

// Rows is the result of Querier.Query.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// ErrNoRows is what a Row's Scan returns when the statement returned no
// row, on every driver.
var ErrNoRows = sql.ErrNoRows

// Driver is what a database gives Store: a way to run statements, the
// dialect they are written in, and the one part of the store whose fast
// path differs by database, inserting a batch of accepted messages. TTx is
// the transaction type of the database's River driver, so jobs are inserted
// in the same transaction as the rows that call for them.
type Driver[TTx any] interface {
	// Name prefixes the store's errors ("store/postgres").
	Name() string
	// Dialect is the SQL the database speaks.
	Dialect() Dialect
	// DB runs statements outside any transaction.
	DB() Querier
	// InTx runs fn in a read-write transaction, committed when fn returns
	// nil and rolled back otherwise. Inside it, every statement goes
	// through tx or q (on SQLite's single connection, a statement through
	// DB would wait forever).
	InTx(ctx context.Context, fn func(tx TTx, q Querier) error) error
	// InsertInbound inserts a batch of messages in tx, in their order,
	// skipping those whose (channel, provider id) is stored, and returns the
	// (channel, provider id) of the rows it inserted.
	InsertInbound(ctx context.Context, tx TTx, q Querier, reqs []AcceptReq) (map[[2]string]bool, error)
}

// collect scans each row of rows into a T with scan.
func collect[T any](rows Rows, err error, scan func(Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
