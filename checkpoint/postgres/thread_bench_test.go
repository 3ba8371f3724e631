package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint/internal/agentsim"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// freshTables turns autovacuum off on the checkpoint tables of a new
// database, so they stay never analyzed however long the run: the
// planner then knows nothing of their size or contents, as after a
// restore or on a new deployment's first day.
func freshTables(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	for _, t := range []string{"checkpoints", "checkpoint_logs", "checkpoint_writes"} {
		if _, err := pool.Exec(context.Background(), "ALTER TABLE "+t+" SET (autovacuum_enabled = false)"); err != nil {
			tb.Fatal(err)
		}
	}
}

// tableBytes returns pg_total_relation_size of each checkpoint table.
func tableBytes(tb testing.TB, pool *pgxpool.Pool) (cps, logs, writes int64) {
	tb.Helper()
	err := pool.QueryRow(context.Background(), `SELECT pg_total_relation_size('checkpoints'),
		pg_total_relation_size('checkpoint_logs'), pg_total_relation_size('checkpoint_writes')`).Scan(&cps, &logs, &writes)
	if err != nil {
		tb.Fatal(err)
	}
	return cps, logs, writes
}

// BenchmarkThread300 runs one 300-turn agent thread per op (agentsim: four
// messages and, with step durability, five checkpoints per turn) on a new,
// never-analyzed database, and reports the mean turn time of the first and
// last 10 turns, their ratio, and what the thread occupies on disk.
func BenchmarkThread300(b *testing.B) {
	const turns, window = 300, 10
	for _, mode := range []struct {
		name string
		d    graph.Durability
	}{{"step", graph.DurabilityStep}, {"exit", graph.DurabilityExit}} {
		b.Run(mode.name, func(b *testing.B) {
			var first, last time.Duration
			var cps, logs, writes int64
			for b.Loop() {
				b.StopTimer()
				pool := pgtest.New(b)
				freshTables(b, pool)
				c, err := agentsim.New(postgres.New(pool), mode.d)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				ctx := context.Background()
				for i := range turns {
					t0 := time.Now()
					if err := agentsim.Turn(ctx, c, "whatsapp:+15551234567", i); err != nil {
						b.Fatal(err)
					}
					switch d := time.Since(t0); {
					case i < window:
						first += d
					case i >= turns-window:
						last += d
					}
				}
				b.StopTimer()
				c1, l1, w1 := tableBytes(b, pool)
				cps, logs, writes = cps+c1, logs+l1, writes+w1
				pool.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(first)/n/window/1e6, "ms/turn-first10")
			b.ReportMetric(float64(last)/n/window/1e6, "ms/turn-last10")
			b.ReportMetric(float64(last)/float64(first), "last/first")
			b.ReportMetric(float64(cps+logs+writes)/n/1024, "KiB/thread")
			b.ReportMetric(float64(cps)/n/1024, "KiB-checkpoints")
			b.ReportMetric(float64(logs)/n/1024, "KiB-logs")
		})
	}
}
