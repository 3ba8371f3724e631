package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	cppostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/store/postgres"
	"github.com/switchboardhq/switchboard/store/storetest"
)

// nopRunner and nopSender stand in for workers that never run.
type nopRunner struct{}

func (nopRunner) RunThread(context.Context, string) (time.Duration, error) { return 0, nil }

type nopSender struct{}

func (nopSender) SendReply(context.Context, int64) (time.Duration, error) { return 0, nil }

// newStore returns a Store on a fresh database with River's tables.
func newStore(t *testing.T) (*postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.New(t)
	if err := postgres.MigrateRiver(context.Background(), pool); err != nil {
		t.Fatal(err)
	}
	return openStore(t, pool), pool
}

// openStore returns a Store on pool with an insert-only River client.
func openStore(t *testing.T, pool *pgxpool.Pool) *postgres.Store {
	t.Helper()
	client, err := queue.NewPostgresInserter(pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.New(pool, client)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func backend(s *postgres.Store, pool *pgxpool.Pool) storetest.Backend {
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
			err := pool.QueryRow(ctx, query, args...).Scan(&n)
			return n, err
		},
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		return backend(newStore(t))
	})
}

// TestConformancePgBouncerMode runs the suite without server-side prepared
// statements, as a PgBouncer transaction-mode pool needs.
func TestConformancePgBouncerMode(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Backend {
		ctx := context.Background()
		pcfg, err := cppostgres.PoolConfig(pgtest.URL(t), true)
		if err != nil {
			t.Fatal(err)
		}
		pool, err := pgxpool.NewWithConfig(ctx, pcfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		if err := postgres.MigrateRiver(ctx, pool); err != nil {
			t.Fatal(err)
		}
		return backend(openStore(t, pool), pool)
	})
}

func TestWorkers(t *testing.T) {
	storetest.RunWorkers(t, func(t *testing.T, runner queue.ThreadRunner, sender queue.ReplySender) storetest.Workers {
		s, pool := newStore(t)
		w, err := queue.NewPostgresWorkers(pool, runner, sender, queue.Settings{Workers: 4, PollInterval: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Workers{Backend: backend(s, pool), Start: w.Start, Stop: w.Stop}
	})
}

func TestMigrateRiverConcurrent(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	const procs = 4
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for i := range procs {
		wg.Go(func() { errs[i] = postgres.MigrateRiver(ctx, pool) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("MigrateRiver #%d: %v", i, err)
		}
	}
	// Again, on a current schema: a no-op.
	if err := postgres.MigrateRiver(ctx, pool); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM river_job").Scan(&n); err != nil {
		t.Fatalf("river_job after MigrateRiver: %v", err)
	}
}

func TestNewInvalid(t *testing.T) {
	pool := pgtest.New(t)
	client, err := queue.NewPostgresInserter(pool, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		pool   *pgxpool.Pool
		client *river.Client[pgx.Tx]
	}{
		{"nil pool", nil, client},
		{"nil client", pool, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := postgres.New(tc.pool, tc.client); err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
	if _, err := queue.NewPostgresInserter(nil, nil); err == nil {
		t.Fatal("NewPostgresInserter(nil) succeeded")
	}
	if _, err := queue.NewPostgresWorkers(nil, nopRunner{}, nopSender{}, queue.Settings{}); err == nil {
		t.Fatal("NewPostgresWorkers(nil) succeeded")
	}
}

// TestAcceptRefusedMessageFailsAlone sends messages at once, one of which
// PostgreSQL refuses (a NUL byte in its text): accepts arriving together
// share a transaction, and that one must fail alone, not its batch.
func TestAcceptRefusedMessageFailsAlone(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	const n, bad = 40, 17
	errs := make([]error, n)
	created := make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprint("message ", i)
			if i == bad {
				body = "nul \x00 byte"
			}
			created[i], errs[i] = s.Accept(ctx, store.Inbound{
				Channel: "twilio", ProviderID: fmt.Sprint("SMnul", i), Thread: fmt.Sprintf("whatsapp:+1555000%04d", i%5),
				Body: body,
			}, time.Time{})
		})
	}
	wg.Wait()
	for i := range n {
		if i == bad {
			if errs[i] == nil || !strings.Contains(errs[i].Error(), "SMnul17") {
				t.Errorf("refused message: err = %v, want an error naming it", errs[i])
			}
			continue
		}
		if errs[i] != nil || !created[i] {
			t.Errorf("message %d: created %v, err %v", i, created[i], errs[i])
		}
	}
	var rows, jobs, threads int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM inbound_messages").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	// A job per thread and batch: every thread has one, no message more
	// than one.
	if err := pool.QueryRow(ctx, "SELECT count(*), count(DISTINCT args->>'thread') FROM river_job WHERE kind = $1",
		queue.RunThread{}.Kind()).Scan(&jobs, &threads); err != nil {
		t.Fatal(err)
	}
	if rows != n-1 || threads != 5 || jobs > n-1 {
		t.Fatalf("%d rows and %d run jobs for %d threads, want %d rows and 5 to %d jobs for 5 threads", rows, jobs, threads, n-1, n-1)
	}
}
