package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/agentsim"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// indexBytes is the size of the checkpoints' and logs' indexes.
func indexBytes(t *testing.T, pool *pgxpool.Pool) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), "SELECT pg_indexes_size('checkpoints') + pg_indexes_size('checkpoint_logs')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCompactRebuildsWhatPruningLeftSparse(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.New(t)
	s := postgres.New(pool)
	c, err := agentsim.New(s, graph.DurabilityStep)
	if err != nil {
		t.Fatal(err)
	}
	// Eight threads taking turns, as a deployment's do, so that their
	// index entries share pages.
	const threads, turns = 8, 60
	removed := 0
	for i := range turns {
		for k := range threads {
			if err := agentsim.Turn(ctx, c, fmt.Sprintf("whatsapp:+1555000%04d", k), i); err != nil {
				t.Fatal(err)
			}
		}
		if i == turns/2 {
			// Too little pruned yet: nothing to rebuild.
			if done, err := s.Compact(ctx); err != nil || done {
				t.Fatalf("Compact before any pruning = %v, %v; want false, nil", done, err)
			}
		}
	}
	for k := range threads {
		n, err := s.Prune(ctx, fmt.Sprintf("whatsapp:+1555000%04d", k), checkpoint.PruneOptions{RecentTurns: 5})
		if err != nil {
			t.Fatal(err)
		}
		removed += n
	}
	if removed < postgres.CompactMin {
		t.Fatalf("test setup: pruned %d checkpoints, fewer than CompactMin", removed)
	}
	if _, err := pool.Exec(ctx, "VACUUM checkpoints, checkpoint_logs"); err != nil {
		t.Fatal(err)
	}
	before := indexBytes(t, pool)
	// An earlier rebuild cut short left an invalid index behind.
	if _, err := pool.Exec(ctx, "CREATE INDEX checkpoints_thread_id_key_ccnew ON checkpoints (thread_id, id)"); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'checkpoints_thread_id_key_ccnew'::regclass"); err != nil {
		t.Skipf("cannot mark an index invalid here (not a superuser?): %v", err)
	}

	done, err := s.Compact(ctx)
	if err != nil || !done {
		t.Fatalf("Compact after pruning %d checkpoints = %v, %v; want true, nil", removed, done, err)
	}
	after := indexBytes(t, pool)
	if after*2 > before {
		t.Errorf("indexes %d KiB after the rebuild, %d KiB before: want at most half", after/1024, before/1024)
	}
	var leftover int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM pg_class WHERE relname LIKE '%ccnew%' OR relname LIKE '%ccold%'").Scan(&leftover); err != nil {
		t.Fatal(err)
	}
	if leftover != 0 {
		t.Errorf("%d unfinished rebuilds left", leftover)
	}
	// The count starts again: a second call has nothing to do.
	if done, err := s.Compact(ctx); err != nil || done {
		t.Errorf("second Compact = %v, %v; want false, nil", done, err)
	}
	// The threads read as before.
	for k := range threads {
		if _, err := s.Latest(ctx, fmt.Sprintf("whatsapp:+1555000%04d", k)); err != nil {
			t.Fatal(err)
		}
	}
}
