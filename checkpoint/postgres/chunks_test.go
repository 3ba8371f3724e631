package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

func TestCompactTo(t *testing.T) {
	for _, tc := range []struct {
		lo, hi, want int32
	}{
		{0, 0, 0},
		{0, 15, 0},      // too few for a chunk: they wait for more
		{0, 16, 16},     // a partial chunk of minChunk
		{0, 40, 40},     // a 10-turn thread: one chunk
		{0, 64, 64},     // one full chunk
		{0, 70, 64},     // a full chunk; 6 wait
		{0, 80, 80},     // a full one and a partial one of 16
		{40, 50, 40},    // after a compaction, 10 more: they wait
		{40, 56, 56},    // 16 more: a second chunk
		{100, 300, 292}, // three full chunks; 8 wait
		{100, 292, 292}, // 192: three full chunks
	} {
		if got := postgres.CompactTo(tc.lo, tc.hi); got != tc.want {
			t.Errorf("compactTo(%d, %d) = %d, want %d", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestPruneChunksAShortThread checks that Prune leaves a short thread's
// log in one chunk, not in a row per entry scattered over the table: the
// locality a cold load needs among a million threads.
func TestPruneChunksAShortThread(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.New(pool)
	const thread = "whatsapp:+15550000042"
	var (
		head checkpoint.Checkpoint
		want []string
		lens int
	)
	turn := func(n int) {
		t.Helper()
		var app []string
		for range n {
			app = append(app, fmt.Sprintf(`"m%d"`, lens))
			lens++
		}
		want = append(want, app...)
		head = put(t, s, thread, head.ID, head.Step+1, lens, app...)
	}
	counts := func() (rows, chunks int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM checkpoint_logs WHERE thread_id = $1),
			(SELECT count(*) FROM checkpoint_log_chunks WHERE thread_id = $1)`, thread).Scan(&rows, &chunks); err != nil {
			t.Fatal(err)
		}
		return rows, chunks
	}
	prune := func() {
		t.Helper()
		if _, err := s.Prune(ctx, thread, checkpoint.PruneOptions{RecentTurns: 20}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Latest(ctx, thread)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%s", got.Logs["messages"]) != fmt.Sprintf("%s", toBytes(want)) {
			t.Fatalf("after Prune the log reads %s, want %s", got.Logs["messages"], want)
		}
	}
	for range 10 {
		turn(4)
	}
	prune()
	if rows, chunks := counts(); rows != 0 || chunks != 1 {
		t.Fatalf("a 40-entry log after Prune: %d rows and %d chunks, want 0 and 1", rows, chunks)
	}
	turn(4)
	turn(4)
	prune()
	if rows, chunks := counts(); rows != 8 || chunks != 1 {
		t.Fatalf("8 entries more: %d rows and %d chunks, want 8 rows waiting and 1 chunk", rows, chunks)
	}
	turn(4)
	turn(4)
	prune()
	if rows, chunks := counts(); rows != 0 || chunks != 2 {
		t.Fatalf("16 entries more: %d rows and %d chunks, want 0 and 2", rows, chunks)
	}
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}
