package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
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
	_, err := pool.Exec(context.Background(), `DO $$
		DECLARE t text;
		BEGIN
			FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'checkpoint%' LOOP
				EXECUTE format('ALTER TABLE %I SET (autovacuum_enabled = false)', t);
			END LOOP;
		END $$`)
	if err != nil {
		tb.Fatal(err)
	}
}

// footprint is what the checkpoint tables occupy on disk, in bytes.
type footprint struct {
	checkpoints, checkpointIndexes, logs, logIndexes, chunks, writes int64
}

func (f footprint) total() int64 { return f.checkpoints + f.logs + f.chunks + f.writes }

func measure(tb testing.TB, pool *pgxpool.Pool) footprint {
	tb.Helper()
	var f footprint
	err := pool.QueryRow(context.Background(), `SELECT
		pg_total_relation_size('checkpoints'), pg_indexes_size('checkpoints'),
		pg_total_relation_size('checkpoint_logs'), pg_indexes_size('checkpoint_logs'),
		coalesce(pg_total_relation_size(to_regclass('checkpoint_log_chunks')), 0), pg_total_relation_size('checkpoint_writes')`).
		Scan(&f.checkpoints, &f.checkpointIndexes, &f.logs, &f.logIndexes, &f.chunks, &f.writes)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// BenchmarkThread300 runs 300-turn agent threads (agentsim: four messages
// and, with step durability, five checkpoints per turn) on a new database
// whose tables are never analyzed, and reports the mean and median turn
// time of the first and last 10 turns, their ratios, and what a thread
// occupies on disk (pg_total_relation_size: heap, TOAST and indexes), with
// and without the empty tables' own pages ("added"). "step-pruned" also
// does what the maintenance job does every 20 turns: Prune with the
// default RecentTurns, VACUUM (autovacuum's part; it records the tables'
// sizes for the planner, so these timings are not those of never-analyzed
// tables) and Compact; it reports the size after a final VACUUM FULL too,
// the live rows alone. "step-pruned-x10" runs ten threads taking turns, as
// a deployment's do, so that they share pages, and reports per thread.
func BenchmarkThread300(b *testing.B) {
	const turns, window, pruneEvery = 300, 10, 20
	for _, mode := range []struct {
		name    string
		d       graph.Durability
		prune   bool
		threads int
	}{
		{"step", graph.DurabilityStep, false, 1},
		{"exit", graph.DurabilityExit, false, 1},
		{"step-pruned", graph.DurabilityStep, true, 1},
		{"step-pruned-x10", graph.DurabilityStep, true, 10},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var first, last []time.Duration
			best := make([]time.Duration, turns)
			for i := range best {
				best[i] = time.Hour
			}
			var size footprint
			var cps int
			var compacted, empty int64
			for b.Loop() {
				b.StopTimer()
				pool := pgtest.New(b)
				freshTables(b, pool)
				empty += measure(b, pool).total()
				saver := postgres.New(pool)
				c, err := agentsim.New(saver, mode.d)
				if err != nil {
					b.Fatal(err)
				}
				threads := make([]string, mode.threads)
				for k := range threads {
					threads[k] = fmt.Sprintf("whatsapp:+155512345%02d", k)
				}
				ctx := context.Background()
				b.StartTimer()
				for i := range turns {
					for _, thread := range threads {
						t0 := time.Now()
						if err := agentsim.Turn(ctx, c, thread, i); err != nil {
							b.Fatal(err)
						}
						d := time.Since(t0)
						best[i] = min(best[i], d)
						switch {
						case i < window:
							first = append(first, d)
						case i >= turns-window:
							last = append(last, d)
						}
					}
					if mode.prune && (i+1)%pruneEvery == 0 {
						b.StopTimer()
						for _, thread := range threads {
							if _, err := saver.Prune(ctx, thread, checkpoint.PruneOptions{RecentTurns: checkpoint.DefaultRecentTurns}); err != nil {
								b.Fatal(err)
							}
						}
						if _, err := pool.Exec(ctx, "VACUUM checkpoints, checkpoint_logs, checkpoint_log_chunks, checkpoint_writes"); err != nil {
							b.Fatal(err)
						}
						if _, err := saver.Compact(ctx); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
				}
				b.StopTimer()
				f := measure(b, pool)
				size.checkpoints += f.checkpoints
				size.checkpointIndexes += f.checkpointIndexes
				size.logs += f.logs
				size.logIndexes += f.logIndexes
				size.chunks += f.chunks
				size.writes += f.writes
				for _, thread := range threads {
					list, err := saver.List(ctx, thread, checkpoint.ListOptions{})
					if err != nil {
						b.Fatal(err)
					}
					cps += len(list)
				}
				if mode.prune {
					// What the live rows take, without the space the
					// deleted ones left in pages that later inserts of
					// this thread alone cannot reuse.
					if _, err := pool.Exec(ctx, "VACUUM FULL checkpoints, checkpoint_logs, checkpoint_log_chunks, checkpoint_writes"); err != nil {
						b.Fatal(err)
					}
					compacted += measure(b, pool).total()
				}
				pool.Close()
				b.StartTimer()
			}
			n := float64(b.N * mode.threads)
			kib := func(v int64) float64 { return float64(v) / n / 1024 }
			b.ReportMetric(mean(first)/1e6, "ms/turn-first10")
			b.ReportMetric(mean(last)/1e6, "ms/turn-last10")
			b.ReportMetric(mean(last)/mean(first), "last/first")
			b.ReportMetric(median(last)/median(first), "median-last/first")
			// Each turn's fastest time over the ops, turns 11–20 against
			// the last 10: the first turns also open the pool's
			// connections and prepare its statements.
			warm, end := best[window:2*window], best[turns-window:]
			b.ReportMetric(mean(warm)/1e6, "ms/turn-min-11-20")
			b.ReportMetric(mean(end)/1e6, "ms/turn-min-last10")
			b.ReportMetric(mean(end)/mean(warm), "min-last/11-20")
			b.ReportMetric(kib(size.total()), "KiB/thread")
			b.ReportMetric(kib(size.total()-empty), "KiB/thread-added")
			b.ReportMetric(kib(size.checkpoints), "KiB-checkpoints")
			b.ReportMetric(kib(size.checkpointIndexes), "KiB-checkpoint-indexes")
			b.ReportMetric(kib(size.logs), "KiB-logs")
			b.ReportMetric(kib(size.logIndexes), "KiB-log-indexes")
			b.ReportMetric(kib(size.chunks), "KiB-log-chunks")
			b.ReportMetric(float64(cps)/n, "checkpoints")
			if mode.prune {
				b.ReportMetric(kib(compacted), "KiB/thread-vacuum-full")
				b.ReportMetric(kib(compacted-empty), "KiB/thread-vacuum-full-added")
			}
		})
	}
}

func mean(ds []time.Duration) float64 {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return float64(sum) / float64(len(ds))
}

func median(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	return float64(s[len(s)/2])
}
