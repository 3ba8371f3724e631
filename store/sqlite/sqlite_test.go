package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

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
	db := sqlite.OpenTestDB(t)
	for range 2 { // the second is a no-op
		if err := sqlite.MigrateRiver(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func newStore(t *testing.T) (*sqlite.Store, *sql.DB) {
	t.Helper()
	db := newDB(t)
	client, err := queue.NewSQLiteInserter(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.New(db, client)
	if err != nil {
		t.Fatal(err)
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
		return backend(newStore(t))
	})
}

func TestWorkers(t *testing.T) {
	storetest.RunWorkers(t, func(t *testing.T, runner queue.ThreadRunner, sender queue.ReplySender) storetest.Workers {
		s, db := newStore(t)
		// PollOnly unset: NewSQLiteWorkers must poll on SQLite whatever the
		// settings say, or no job would ever be fetched.
		w, err := queue.NewSQLiteWorkers(db, runner, sender, queue.Settings{Workers: 4, PollInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Workers{Backend: backend(s, db), Start: w.Start, Stop: w.Stop}
	})
}

func TestNewInvalid(t *testing.T) {
	db := newDB(t)
	client, err := queue.NewSQLiteInserter(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	pooled, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "pooled.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pooled.Close() })
	tests := []struct {
		name   string
		db     *sql.DB
		client *river.Client[*sql.Tx]
	}{
		{"nil database", nil, client},
		{"nil client", db, nil},
		{"more than one connection", pooled, client},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := sqlite.New(tc.db, tc.client); err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
	for _, d := range []*sql.DB{nil, pooled} {
		if _, err := queue.NewSQLiteInserter(d, nil); err == nil {
			t.Error("NewSQLiteInserter succeeded on a database River cannot use")
		}
		if _, err := queue.NewSQLiteWorkers(d, nopRunner{}, nopSender{}, queue.Settings{}); err == nil {
			t.Error("NewSQLiteWorkers succeeded on a database River cannot use")
		}
	}
}
