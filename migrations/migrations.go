// Package migrations holds the SQL schema of Switchboard for Postgres and for
// the embedded SQLite default, embedded in the binary and applied with goose.
//
// Migrations are forward-only: each file under postgres/ and sqlite/ is named
// NNNN_name.sql and carries only a "-- +goose Up" section. A package that
// needs tables adds the next number in both directories.
//
// Up is safe to run from several processes at once against one Postgres: it
// holds a session-level advisory lock (goose's session locker) while it
// migrates, so it needs a session, not a PgBouncer transaction-mode pool; run
// it against the database directly. Status and Check only read, take no lock
// and create nothing, so a readiness probe can call them freely.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed postgres/*.sql sqlite/*.sql
var embedded embed.FS

// Dialect names a supported database.
type Dialect string

const (
	// Postgres is PostgreSQL, reached through pgx's database/sql adapter
	// (see OpenPostgres).
	Postgres Dialect = "postgres"
	// SQLite is the embedded default, modernc.org/sqlite's "sqlite" driver.
	SQLite Dialect = "sqlite"
)

// VersionTable is the table goose records applied versions in.
const VersionTable = "goose_db_version"

// ErrPending is returned by Check when the schema lacks migrations this
// binary embeds.
var ErrPending = errors.New("migrations: database schema is not current")

// Report describes the state of a database's schema.
type Report struct {
	// Applied lists the embedded versions the database has, ascending.
	Applied []int64
	// Pending lists the embedded versions it lacks, ascending.
	Pending []int64
	// Latest is the highest embedded version.
	Latest int64
}

// Current reports whether every embedded migration is applied.
func (r Report) Current() bool { return len(r.Pending) == 0 }

// Option configures Up.
type Option func(*options)

type options struct {
	logger      *slog.Logger
	lockTimeout time.Duration
}

// WithLogger makes Up log each applied migration to l. By default Up logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithLockTimeout bounds how long Up waits for another process's migration to
// finish on Postgres. The default is five minutes.
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) { o.lockTimeout = d }
}

// OpenPostgres returns a *sql.DB over pool's connections, for Up, Status and
// Check. Closing it does not close the pool.
func OpenPostgres(pool *pgxpool.Pool) *sql.DB {
	return stdlib.OpenDBFromPool(pool)
}

// FS returns the embedded migration files of dialect, with the .sql files at
// its root.
func FS(dialect Dialect) (fs.FS, error) {
	switch dialect {
	case Postgres, SQLite:
		sub, err := fs.Sub(embedded, string(dialect))
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		return sub, nil
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
}

func provider(db *sql.DB, dialect Dialect, o options) (*goose.Provider, error) {
	fsys, err := FS(dialect)
	if err != nil {
		return nil, err
	}
	logger := o.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(logger),
	}
	gd := goose.DialectSQLite3
	if dialect == Postgres {
		gd = goose.DialectPostgres
		wait := o.lockTimeout
		if wait <= 0 {
			wait = 5 * time.Minute
		}
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, uint64(max(1, wait/time.Second))))
		if err != nil {
			return nil, fmt.Errorf("migrations: session locker: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Up applies every pending migration of dialect to db, in order, each in its
// own transaction. It is a no-op on a current schema.
func Up(ctx context.Context, db *sql.DB, dialect Dialect, opts ...Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	p, err := provider(db, dialect, o)
	if err != nil {
		return err
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrations: up (%s): %w", dialect, err)
	}
	return nil
}

// Versions returns the versions embedded for dialect, ascending.
func Versions(dialect Dialect) ([]int64, error) {
	fsys, err := FS(dialect)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	out := make([]int64, 0, len(names))
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return nil, fmt.Errorf("migrations: %s: %w", name, err)
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// Status reports which embedded migrations db has. It only reads: it takes no
// lock and creates nothing, and a database never migrated reports every
// version pending.
func Status(ctx context.Context, db *sql.DB, dialect Dialect) (Report, error) {
	want, err := Versions(dialect)
	if err != nil {
		return Report{}, err
	}
	rep := Report{}
	if len(want) > 0 {
		rep.Latest = want[len(want)-1]
	}
	exists, err := versionTableExists(ctx, db, dialect)
	if err != nil {
		return Report{}, err
	}
	applied := map[int64]bool{}
	if exists {
		// goose appends a row per change; the newest row of a version says
		// whether it is applied.
		rows, err := db.QueryContext(ctx, "SELECT version_id, is_applied FROM "+VersionTable+" ORDER BY id")
		if err != nil {
			return Report{}, fmt.Errorf("migrations: read %s: %w", VersionTable, err)
		}
		defer rows.Close()
		for rows.Next() {
			var v int64
			var ok bool
			if err := rows.Scan(&v, &ok); err != nil {
				return Report{}, fmt.Errorf("migrations: read %s: %w", VersionTable, err)
			}
			applied[v] = ok
		}
		if err := rows.Err(); err != nil {
			return Report{}, fmt.Errorf("migrations: read %s: %w", VersionTable, err)
		}
	}
	for _, v := range want {
		if applied[v] {
			rep.Applied = append(rep.Applied, v)
		} else {
			rep.Pending = append(rep.Pending, v)
		}
	}
	return rep, nil
}

func versionTableExists(ctx context.Context, db *sql.DB, dialect Dialect) (bool, error) {
	var q string
	switch dialect {
	case Postgres:
		q = "SELECT to_regclass($1) IS NOT NULL"
	case SQLite:
		q = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)"
	default:
		return false, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	var ok bool
	if err := db.QueryRowContext(ctx, q, VersionTable).Scan(&ok); err != nil {
		return false, fmt.Errorf("migrations: look for %s: %w", VersionTable, err)
	}
	return ok, nil
}

// Check returns nil when db has every embedded migration, an error wrapping
// ErrPending naming the missing versions when it does not, and another error
// when the database cannot be read.
func Check(ctx context.Context, db *sql.DB, dialect Dialect) error {
	rep, err := Status(ctx, db, dialect)
	if err != nil {
		return err
	}
	if !rep.Current() {
		return fmt.Errorf("%w: %d pending (%v); run `assistant migrate`", ErrPending, len(rep.Pending), rep.Pending)
	}
	return nil
}
