package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
)

// message returns a log entry of about 250 bytes, like a chat message with
// its metadata.
func message(turn, i int) []byte {
	return []byte(fmt.Sprintf(`{"role":%q,"content":%q,"at":"2025-01-01T10:00:00Z","turn":%d}`,
		[]string{"user", "assistant"}[i%2], strings.Repeat("lorem ipsum ", 17), turn))
}

// turn builds the child of head that appends n messages.
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

// seed stores a thread whose log holds length entries and returns its head.
func seed(tb testing.TB, s checkpoint.Saver, threadID string, length int) checkpoint.Checkpoint {
	tb.Helper()
	head := checkpoint.Checkpoint{ThreadID: threadID, LogLens: map[string]int{"messages": 0}, Step: -1}
	for done := 0; done < length || head.ID == ""; {
		n := min(100, length-done)
		cp, app := turn(head, n)
		if err := s.Put(context.Background(), cp, app); err != nil {
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

// dbBytes returns the size of the database's pages in use (page_count -
// freelist_count) after moving the WAL into the main file.
func dbBytes(b *testing.B, db *sql.DB) int64 {
	b.Helper()
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	var pages, free, size int64
	if err := db.QueryRow("SELECT (SELECT page_count FROM pragma_page_count), (SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)").
		Scan(&pages, &free, &size); err != nil {
		b.Fatal(err)
	}
	return (pages - free) * size
}

// BenchmarkPut stores one turn (two ~250-byte messages and the values) on a
// thread whose log holds 10, 100 or 1,000 entries; every 50 turns a fresh
// thread is seeded off the clock. table-B/turn is the growth of the pages in
// use per turn.
func BenchmarkPut(b *testing.B) {
	db := newDB(b)
	s := sqlite.New(db)
	ctx := context.Background()
	for _, length := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("log=%d", length), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var head checkpoint.Checkpoint
			threads := 0
			fresh := func() {
				threads++
				head = seed(b, s, fmt.Sprintf("bench:put:%d:%d:%d", length, threads, time.Now().UnixNano()), length)
			}
			fresh()
			size0 := dbBytes(b, db)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%50 == 0 {
					b.StopTimer()
					s1 := dbBytes(b, db)
					fresh()
					size0 += dbBytes(b, db) - s1
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
			percentiles(b, lat)
			b.ReportMetric(float64(dbBytes(b, db)-size0)/float64(b.N), "table-B/turn")
		})
	}
}

// BenchmarkLoad loads (Latest) a thread of 1,000 log entries of ~250 bytes.
func BenchmarkLoad(b *testing.B) {
	s := sqlite.New(newDB(b))
	head := seed(b, s, "bench:load", 1000)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		tup, err := s.Latest(context.Background(), head.ThreadID)
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
