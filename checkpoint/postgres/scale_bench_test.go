package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/agentsim"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// BenchmarkTurnAtScale serves one agent turn (the agent's durability:
// every step checkpointed, stored after the tool and at the end) on a
// random thread of a database seeded with n threads of 10 turns each, for
// each n of SCALE_THREADS (a comma-separated list; default "1000": a
// million takes about 15 GB and a quarter of an hour to seed). The
// threads are copies of one thread agentsim ran with exit durability (10
// checkpoints and 40 log entries each), inserted turn by turn across all
// threads, as a deployment's conversations interleave. The state cache is
// off, so every turn loads its thread from the database, as the first
// turn of a thread after a while does. It reports the p50 and p90 of a
// turn.
//
// SCALE_SEED says what the threads look like: "pruned" (the default) as
// the maintenance job leaves a thread once its turns are over, its log
// moved into one chunk (chunks.go); "rows" as a thread is before that
// job's first pass, a row per log entry, each on a page of its own.
func BenchmarkTurnAtScale(b *testing.B) {
	sizes := []int{1000}
	if env := os.Getenv("SCALE_THREADS"); env != "" {
		sizes = sizes[:0]
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				b.Fatalf("SCALE_THREADS: %q is not a thread count", f)
			}
			sizes = append(sizes, n)
		}
	}
	seed := os.Getenv("SCALE_SEED")
	switch seed {
	case "":
		seed = "pruned"
	case "pruned", "rows":
	default:
		b.Fatalf("SCALE_SEED: %q is neither pruned nor rows", seed)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("threads=%d/%s", n, seed), func(b *testing.B) {
			ctx := context.Background()
			pool := pgtest.New(b)
			start := time.Now()
			seedThreads(b, pool, n, seed == "pruned")
			var size int64
			if err := pool.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&size); err != nil {
				b.Fatal(err)
			}
			b.Logf("seeded %d threads in %s: %.1f GB", n, time.Since(start).Round(time.Second), float64(size)/1e9)
			cache := 0
			c, err := agentsim.New(postgres.New(pool), graph.DurabilityStep, agentsim.SyncAfterTools(), graph.WithStateCache(cache))
			if err != nil {
				b.Fatal(err)
			}
			turns := map[int]int{}
			var took []time.Duration
			b.ResetTimer()
			for b.Loop() {
				k := rand.IntN(n)
				i, ok := turns[k]
				if !ok {
					i = 10
				}
				turns[k] = i + 1
				t0 := time.Now()
				if err := agentsim.Turn(ctx, c, seedThread(k), i); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2])/1e6, "ms/turn-p50")
			b.ReportMetric(float64(took[len(took)*9/10])/1e6, "ms/turn-p90")
		})
	}
}

func seedThread(k int) string { return fmt.Sprintf("whatsapp:+1%010d", k) }

// seedThreads fills a new database with n copies of a 10-turn thread,
// pruned first when pruned is set, in chunks of 100,000 threads, and
// analyzes it.
func seedThreads(b *testing.B, pool *pgxpool.Pool, n int, pruned bool) {
	b.Helper()
	ctx := context.Background()
	const template = "seed:template"
	saver := postgres.New(pool)
	c, err := agentsim.New(saver, graph.DurabilityExit)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 10 {
		if err := agentsim.Turn(ctx, c, template, i); err != nil {
			b.Fatal(err)
		}
	}
	if pruned {
		if _, err := saver.Prune(ctx, template, checkpoint.PruneOptions{RecentTurns: 20}); err != nil {
			b.Fatal(err)
		}
	}
	const chunk = 100_000
	for from := 0; from < n; from += chunk {
		to := min(from+chunk, n) - 1
		for _, q := range []string{
			`INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata, created_at)
			SELECT format('whatsapp:+1%s', lpad(g::text, 10, '0')), id, parent_id, branch, step, version, vals, log_lens, next, source, metadata, created_at
			FROM checkpoints, generate_series($2::int, $3::int) g WHERE thread_id = $1 ORDER BY seq, g`,
			`INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
			SELECT format('whatsapp:+1%s', lpad(g::text, 10, '0')), branch, channel, seq, entry
			FROM checkpoint_logs, generate_series($2::int, $3::int) g WHERE thread_id = $1 ORDER BY seq, g`,
			`INSERT INTO checkpoint_log_chunks (thread_id, branch, channel, seq, n, entries)
			SELECT format('whatsapp:+1%s', lpad(g::text, 10, '0')), branch, channel, seq, n, entries
			FROM checkpoint_log_chunks, generate_series($2::int, $3::int) g WHERE thread_id = $1 ORDER BY seq, g`,
		} {
			if _, err := pool.Exec(ctx, q, template, from, to); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := saver.DeleteThread(ctx, template); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE checkpoints, checkpoint_logs, checkpoint_log_chunks"); err != nil {
		b.Fatal(err)
	}
}
