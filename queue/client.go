package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// Workers is the River client that works the jobs: it runs RunThread and
// SendReply jobs between Start and Stop. TTx is the database's transaction
// type (pgx.Tx on PostgreSQL, *sql.Tx on SQLite).
type Workers[TTx any] struct {
	client *river.Client[TTx]
	cfg    *river.Config // as built, for tests
}

// NewPostgresWorkers returns the Workers on pool, whose jobs call runner and
// sender. River's tables must be in place (store/postgres.MigrateRiver).
func NewPostgresWorkers(pool *pgxpool.Pool, runner ThreadRunner, sender ReplySender, s Settings) (*Workers[pgx.Tx], error) {
	if pool == nil {
		return nil, errors.New("queue: nil pool")
	}
	cfg, err := Config(runner, sender, s)
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	return newWorkers(client, cfg, err)
}

// NewSQLiteWorkers returns the Workers on db, whose jobs call runner and
// sender. River's SQLite driver needs db limited to one open connection
// (db.SetMaxOpenConns(1)), which it checks, and polling (SQLite has no
// LISTEN/NOTIFY), which it sets whatever s says. River's tables must be in
// place (store/sqlite.MigrateRiver).
func NewSQLiteWorkers(db *sql.DB, runner ThreadRunner, sender ReplySender, s Settings) (*Workers[*sql.Tx], error) {
	if err := checkSQLite(db); err != nil {
		return nil, err
	}
	s.PollOnly = true
	cfg, err := Config(runner, sender, s)
	if err != nil {
		return nil, err
	}
	client, err := river.NewClient(riversqlite.New(db), cfg)
	return newWorkers(client, cfg, err)
}

func newWorkers[TTx any](client *river.Client[TTx], cfg *river.Config, err error) (*Workers[TTx], error) {
	if err != nil {
		return nil, fmt.Errorf("queue: river client: %w", err)
	}
	return &Workers[TTx]{client: client, cfg: cfg}, nil
}

// Client returns the working River client (subscriptions, job queries).
func (w *Workers[TTx]) Client() *river.Client[TTx] { return w.client }

// Start starts the workers; they run until Stop or until ctx is cancelled.
func (w *Workers[TTx]) Start(ctx context.Context) error {
	if err := w.client.Start(ctx); err != nil {
		return fmt.Errorf("queue: start workers: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to be done.
func (w *Workers[TTx]) Stop(ctx context.Context) error {
	if err := w.client.Stop(ctx); err != nil {
		return fmt.Errorf("queue: stop workers: %w", err)
	}
	return nil
}

// NewPostgresInserter returns an insert-only River client on pool (no
// workers, never started): the one a store inserts its jobs with, in its
// own transactions.
func NewPostgresInserter(pool *pgxpool.Pool, log *slog.Logger) (*river.Client[pgx.Tx], error) {
	if pool == nil {
		return nil, errors.New("queue: nil pool")
	}
	return inserter(river.NewClient(riverpgxv5.New(pool), insertConfig(log)))
}

// NewSQLiteInserter returns an insert-only River client on db, which must
// be limited to one open connection: the store inserts with it inside its
// own transactions (InsertTx), never through the *sql.DB.
func NewSQLiteInserter(db *sql.DB, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	if err := checkSQLite(db); err != nil {
		return nil, err
	}
	return inserter(river.NewClient(riversqlite.New(db), insertConfig(log)))
}

// insertConfig is the configuration of an insert-only client: no queues,
// no workers.
func insertConfig(log *slog.Logger) *river.Config {
	return &river.Config{
		// An insert notifies the queue's listeners at most once per
		// FetchCooldown; keep it as short as the workers' (see Config), or
		// a message inserted just after another would wait for polling.
		FetchCooldown: fetchCooldown,
		Logger:        log,
	}
}

func inserter[TTx any](client *river.Client[TTx], err error) (*river.Client[TTx], error) {
	if err != nil {
		return nil, fmt.Errorf("queue: river client: %w", err)
	}
	return client, nil
}

func checkSQLite(db *sql.DB) error {
	if db == nil {
		return errors.New("queue: nil database")
	}
	if n := db.Stats().MaxOpenConnections; n != 1 {
		return fmt.Errorf("queue: the SQLite database allows %d open connections, River needs 1 (db.SetMaxOpenConns(1))", n)
	}
	return nil
}
