package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// message returns a log entry of about 250 bytes, like a chat message with
// its metadata.
func message(turn, i int) []byte {
	return []byte(fmt.Sprintf(`{"role":%q,"content":%q,"at":"2025-01-01T10:00:00Z","turn":%d}`,
		[]string{"user", "assistant"}[i%2], strings.Repeat("lorem ipsum ", 17), turn))
}

// turn builds the child of head that appends n messages, as the graph engine
// does at the end of a superstep.
func turn(head checkpoint.Checkpoint, n int) (checkpoint.Checkpoint, map[string][][]byte) {
	cp := checkpoint.Checkpoint{
		ThreadID: head.ThreadID, ID: checkpoint.NewID(), ParentID: head.ID, Branch: head.Branch,
		Step: head.Step + 1, Version: 1, Source: "loop", Next: []string{"chat"},
		Values:   map[string][]byte{"plan": []byte(`{"goal":"book a class","slot":"2025-01-02T18:00:00Z"}`), "iterations": []byte("1")},
		LogLens:  map[string]int{"messages": head.LogLens["messages"] + n},
		Metadata: map[string]string{"run": "bench"},
	}
	app := map[string][][]byte{}
	for i := range n {
		app["messages"] = append(app["messages"], message(cp.Step, i))
	}
	return cp, app
}

// seed stores a thread whose log holds length entries, in puts of at most
// 100, and returns its head.
func seed(tb testing.TB, s checkpoint.Saver, threadID string, length int) checkpoint.Checkpoint {
	tb.Helper()
	ctx := context.Background()
	head := checkpoint.Checkpoint{ThreadID: threadID, LogLens: map[string]int{"messages": 0}, Step: -1}
	for done := 0; done < length || head.ID == ""; {
		n := min(100, length-done)
		cp, app := turn(head, n)
		if head.ID == "" {
			cp.ParentID = ""
		}
		if err := s.Put(ctx, cp, app); err != nil {
			tb.Fatal(err)
		}
		head, done = cp, done+n
	}
	return head
}

func percentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// sizes returns the on-disk size of the checkpoint tables (heap, indexes,
// TOAST) and the server's WAL position.
func sizes(b *testing.B, pool *pgxpool.Pool) (tables, wal int64) {
	b.Helper()
	err := pool.QueryRow(context.Background(), `SELECT
		pg_total_relation_size('checkpoints') + pg_total_relation_size('checkpoint_logs') + pg_total_relation_size('checkpoint_writes'),
		pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint`).Scan(&tables, &wal)
	if err != nil {
		b.Fatal(err)
	}
	return tables, wal
}

// BenchmarkPut stores one turn (two ~250-byte messages and the values) on a
// thread whose log already holds 10, 100 or 1,000 entries. Each thread takes
// 50 turns, then a fresh one is seeded (off the clock), so the log length
// stays within 100 entries of the nominal one. Metrics: latency
// percentiles, bytes the tables grew by per turn, WAL bytes per turn (the
// whole cluster's; `make test`'s cluster runs with full_page_writes=off).
func BenchmarkPut(b *testing.B) {
	pool := pgtest.New(b)
	s := postgres.New(pool)
	ctx := context.Background()
	for _, length := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("log=%d", length), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var head checkpoint.Checkpoint
			threads := 0
			fresh := func() {
				b.StopTimer()
				threads++
				head = seed(b, s, fmt.Sprintf("bench:put:%d:%d:%d", length, threads, time.Now().UnixNano()), length)
				b.StartTimer()
			}
			fresh()
			t0, w0 := sizes(b, pool)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%50 == 0 {
					b.StopTimer()
					t1, w1 := sizes(b, pool)
					fresh()
					b.StopTimer()
					t2, w2 := sizes(b, pool)
					t0, w0 = t0+(t2-t1), w0+(w2-w1) // leave the seeding out
					b.StartTimer()
				}
				cp, app := turn(head, 2)
				start := time.Now()
				if err := s.Put(ctx, cp, app); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				head = cp
			}
			b.StopTimer()
			t1, w1 := sizes(b, pool)
			percentiles(b, lat)
			b.ReportMetric(float64(t1-t0)/float64(b.N), "table-B/turn")
			b.ReportMetric(float64(w1-w0)/float64(b.N), "wal-B/turn")
		})
	}
}

// BenchmarkLoad loads (Latest) a thread of 1,000 log entries of ~250 bytes.
func BenchmarkLoad(b *testing.B) {
	pool := pgtest.New(b)
	s := postgres.New(pool)
	ctx := context.Background()
	head := seed(b, s, "bench:load", 1000)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		tup, err := s.Latest(ctx, head.ThreadID)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		if len(tup.Logs["messages"]) != 1000 {
			b.Fatalf("loaded %d entries", len(tup.Logs["messages"]))
		}
	}
	b.StopTimer()
	percentiles(b, lat)
}

// TestLoadThousandEntries loads a thread of 1,000 log entries whole and
// in order. Its time is BenchmarkLoad's to measure (BENCHMARKS.md), not a
// unit test's: tests run in parallel, under the race detector.
func TestLoadThousandEntries(t *testing.T) {
	s := postgres.New(pgtest.New(t))
	head := seed(t, s, "whatsapp:+15554000000", 1000)
	tup, err := s.Latest(context.Background(), head.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tup.Logs["messages"]); got != 1000 {
		t.Fatalf("loaded %d entries, want 1000", got)
	}
	if tup.Checkpoint.ID != head.ID {
		t.Errorf("Latest = %s, want the head %s", tup.Checkpoint.ID, head.ID)
	}
}
