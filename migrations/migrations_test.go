package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/migrations"
)

func TestVersions(t *testing.T) {
	for _, d := range []migrations.Dialect{migrations.Postgres, migrations.SQLite} {
		t.Run(string(d), func(t *testing.T) {
			v, err := migrations.Versions(d)
			if err != nil {
				t.Fatal(err)
			}
			if len(v) == 0 || v[0] != 1 || !slices.IsSorted(v) {
				t.Fatalf("Versions = %v", v)
			}
		})
	}
	pg, _ := migrations.Versions(migrations.Postgres)
	lite, _ := migrations.Versions(migrations.SQLite)
	if !slices.Equal(pg, lite) {
		t.Fatalf("postgres versions %v differ from sqlite versions %v: add each migration to both", pg, lite)
	}
	if _, err := migrations.FS("oracle"); err == nil {
		t.Fatal("FS of an unknown dialect succeeded")
	}
}

func openSQLite(t *testing.T) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "m.db") +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_time_format=sqlite&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t *testing.T) *sql.DB {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db := migrations.OpenPostgres(pool)
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUpAndCheck(t *testing.T) {
	tests := []struct {
		dialect migrations.Dialect
		open    func(t *testing.T) *sql.DB
		tables  string
	}{
		{migrations.SQLite, openSQLite, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('checkpoints', 'checkpoint_logs', 'checkpoint_writes')"},
		{migrations.Postgres, openPostgres, "SELECT count(*) FROM pg_tables WHERE tablename IN ('checkpoints', 'checkpoint_logs', 'checkpoint_writes')"},
	}
	for _, tc := range tests {
		t.Run(string(tc.dialect), func(t *testing.T) {
			ctx := context.Background()
			db := tc.open(t)
			rep, err := migrations.Status(ctx, db, tc.dialect)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Current() || len(rep.Applied) != 0 {
				t.Fatalf("fresh database status = %+v, want all pending", rep)
			}
			if err := migrations.Check(ctx, db, tc.dialect); !errors.Is(err, migrations.ErrPending) {
				t.Fatalf("Check on a fresh database = %v, want ErrPending", err)
			}
			// Check must not have created goose's table.
			if rep2, _ := migrations.Status(ctx, db, tc.dialect); len(rep2.Applied) != 0 {
				t.Fatalf("status changed by Check: %+v", rep2)
			}
			for i := 0; i < 2; i++ { // the second Up is a no-op
				if err := migrations.Up(ctx, db, tc.dialect); err != nil {
					t.Fatalf("Up #%d: %v", i+1, err)
				}
			}
			if err := migrations.Check(ctx, db, tc.dialect); err != nil {
				t.Fatalf("Check after Up: %v", err)
			}
			var n int
			if err := db.QueryRowContext(ctx, tc.tables).Scan(&n); err != nil || n != 3 {
				t.Fatalf("checkpoint tables: %d, %v; want 3", n, err)
			}
		})
	}
}

func TestConcurrentUpPostgres(t *testing.T) {
	ctx := context.Background()
	u := pgtest.EmptyURL(t)
	const procs = 6
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for i := range procs {
		// Separate pools stand for separate processes.
		pool, err := pgxpool.New(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		db := migrations.OpenPostgres(pool)
		t.Cleanup(func() { db.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = migrations.Up(ctx, db, migrations.Postgres)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("Up in process %d: %v", i, err)
		}
	}
	pool, err := pgxpool.New(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := migrations.OpenPostgres(pool)
	defer db.Close()
	if err := migrations.Check(ctx, db, migrations.Postgres); err != nil {
		t.Fatal(err)
	}
}

func TestUnknownDialect(t *testing.T) {
	db := openSQLite(t)
	if err := migrations.Up(context.Background(), db, "oracle"); err == nil {
		t.Fatal("Up with an unknown dialect succeeded")
	}
	if err := migrations.Check(context.Background(), db, "oracle"); err == nil {
		t.Fatal("Check with an unknown dialect succeeded")
	}
}
