package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	cpsqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store/sqlite"
	"github.com/switchboardhq/switchboard/store/storetest"
)

// nopRunner and nopSender stand in for workers that never run.
type nopRunner struct{}

func (nopRunner) RunThread(context.Context, string) (time.Duration, error) { return 0, nil }

type nopSender struct{}

func (nopSender) SendReply(context.Context, int64) (time.Duration, error) { return 0, nil }

// newDB opens a migrated database file of the test's own, River's tables
// included.
func newDB(t *testing.T) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := cpsqlite.Open(ctx, filepath.Join(t.TempDir(), cpsqlite.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second is a no-op
		if err := sqlite.MigrateRiver(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func newStore(t *testing.T, runner queue.ThreadRunner, sender queue.ReplySender, settings queue.Settings) (*sqlite.Store, *sql.DB) {
	t.Helper()
	db := newDB(t)
	cfg, err := queue.Config(runner, sender, settings)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.PollOnly {
		t.Fatal("New did not set PollOnly")
	}
	if got := db.Stats().MaxOpenConnections; got != 1 {
		t.Fatalf("MaxOpenConnections = %d, want 1", got)
	}
	return s, db
}

func backend(s *sqlite.Store, db *sql.DB) storetest.Backend {
	return storetest.Backend{
		Store: s,
		Jobs: func(ctx context.Context, kind string) ([]*rivertype.JobRow, error) {
			res, err := s.Client().JobList(ctx, river.NewJobListParams().Kinds(kind).First(10000))
			if err != nil {
				return nil, err
			}
			return res.Jobs, nil
		},
		Count: func(ctx context.Context, query string, args ...any) (int, error) {
			var n int
			err := db.QueryRowContext(ctx, query, args...).Scan(&n)
			return n, err
		},
	}
}

// TestConformance runs the suite on a database limited to one connection:
// a statement inside a transaction that used the *sql.DB would hang it.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		return backend(newStore(t, nopRunner{}, nopSender{}, queue.Settings{}))
	})
}

func TestWorkers(t *testing.T) {
	storetest.RunWorkers(t, func(t *testing.T, runner queue.ThreadRunner, sender queue.ReplySender) storetest.Workers {
		s, db := newStore(t, runner, sender, queue.Settings{Workers: 4, PollInterval: 20 * time.Millisecond})
		return storetest.Workers{Backend: backend(s, db), Start: s.Start, Stop: s.Stop}
	})
}

func TestNewInvalid(t *testing.T) {
	cfg, err := queue.Config(nopRunner{}, nopSender{}, queue.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		db   *sql.DB
		cfg  *river.Config
	}{
		{"nil database", nil, cfg},
		{"nil config", &sql.DB{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := sqlite.New(tc.db, tc.cfg); err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
}
