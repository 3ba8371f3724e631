// Package sqlstoretest opens migrated databases for tests of code built on
// gym/sqlstore, so one test function runs against SQLite and Postgres.
package sqlstoretest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver

	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/migrations"
)

// OpenSQLite returns a migrated SQLite database in a temporary directory,
// opened as the assistant opens it (checkpoint/sqlite.Open) and limited to
// one connection.
func OpenSQLite(t testing.TB) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "assistant.db"))
	if err != nil {
		t.Fatal(err)
	}
	// One connection, as with the SQLite queue: a query that needed a
	// second connection while holding one would deadlock here.
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	return db
}

// OpenPostgres returns a fresh, migrated Postgres database (see
// internal/pgtest: skipped without a server, failed on CI) through pgx's
// database/sql driver.
func OpenPostgres(t testing.TB) *sql.DB {
	t.Helper()
	db := migrations.OpenPostgres(pgtest.New(t))
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs fn as two subtests, "sqlite" and "postgres", each with a fresh
// migrated database of that kind.
func Each(t *testing.T, fn func(t *testing.T, db *sql.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
}
