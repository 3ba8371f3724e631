package queue_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/queue"
	spostgres "github.com/switchboardhq/switchboard/store/postgres"
	ssqlite "github.com/switchboardhq/switchboard/store/sqlite"

	_ "modernc.org/sqlite"
)

type nop struct{}

func (nop) RunThread(context.Context, string) (time.Duration, error) { return 0, nil }
func (nop) SendReply(context.Context, int64) (time.Duration, error)  { return 0, nil }

type workers interface {
	Start(context.Context) error
	Stop(context.Context) error
}

// TestTasksRunPeriodically starts the workers with two tasks on each
// database and waits for both to run, one of them more than once.
func TestTasksRunPeriodically(t *testing.T) {
	open := map[string]func(t *testing.T, s queue.Settings) workers{
		"sqlite": func(t *testing.T, s queue.Settings) workers {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "q.db")+"?_pragma=busy_timeout(5000)&_txlock=immediate")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			db.SetMaxOpenConns(1)
			if err := ssqlite.MigrateRiver(context.Background(), db); err != nil {
				t.Fatal(err)
			}
			s.PollInterval = 20 * time.Millisecond
			w, err := queue.NewSQLiteWorkers(db, nop{}, nop{}, s)
			if err != nil {
				t.Fatal(err)
			}
			return w
		},
		"postgres": func(t *testing.T, s queue.Settings) workers {
			pool := pgtest.New(t)
			if err := spostgres.MigrateRiver(context.Background(), pool); err != nil {
				t.Fatal(err)
			}
			w, err := queue.NewPostgresWorkers(pool, nop{}, nop{}, s)
			if err != nil {
				t.Fatal(err)
			}
			return w
		},
	}
	for name, openWorkers := range open {
		t.Run(name, func(t *testing.T) {
			var sweeps, prunes atomic.Int64
			w := openWorkers(t, queue.Settings{Tasks: []queue.Task{
				{Name: "retention", Every: time.Second, Run: func(context.Context) error { sweeps.Add(1); return nil }},
				{Name: "prune", Every: time.Hour, Run: func(context.Context) error { prunes.Add(1); return nil }},
			}})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := w.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer w.Stop(context.Background())
			// Leader election and the first runs take a few seconds on a
			// loaded machine; a generous deadline keeps this from flaking.
			deadline := time.Now().Add(60 * time.Second)
			for sweeps.Load() < 2 || prunes.Load() < 1 {
				if time.Now().After(deadline) {
					t.Fatalf("after 60s: retention ran %d times, prune %d; want ≥2 and ≥1", sweeps.Load(), prunes.Load())
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}

func TestTasksAreChecked(t *testing.T) {
	run := func(context.Context) error { return nil }
	bad := [][]queue.Task{
		{{Name: "", Every: time.Hour, Run: run}},
		{{Name: "x", Every: time.Hour}},
		{{Name: "x", Every: time.Millisecond, Run: run}},
		{{Name: "x", Every: time.Hour, Run: run}, {Name: "x", Every: time.Minute, Run: run}},
	}
	for _, tasks := range bad {
		if _, err := queue.Config(nop{}, nop{}, queue.Settings{Tasks: tasks}); err == nil {
			t.Errorf("Config accepted tasks %+v", tasks)
		}
	}
	cfg, err := queue.Config(nop{}, nop{}, queue.Settings{Tasks: []queue.Task{{Name: "x", Every: time.Hour, Run: run}}})
	if err != nil || len(cfg.PeriodicJobs) != 1 || cfg.Queues[queue.QueueMaintenance].MaxWorkers != 1 {
		t.Fatalf("Config = %+v, %v", cfg, err)
	}
}
