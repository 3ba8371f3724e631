package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

// child returns a checkpoint after parent on thread that appends one entry.
func child(thread string, parent checkpoint.Checkpoint) checkpoint.Put {
	n := parent.LogLens["messages"]
	cp := checkpoint.Checkpoint{
		ThreadID: thread, ID: checkpoint.NewID(), ParentID: parent.ID, Step: parent.Step + 1, Version: 1,
		Values: map[string][]byte{"n": []byte(fmt.Sprint(n + 1))}, LogLens: map[string]int{"messages": n + 1},
	}
	if parent.ID == "" {
		cp.Step = 0
	}
	return checkpoint.Put{Checkpoint: cp, Appends: map[string][][]byte{"messages": {[]byte(fmt.Sprintf(`"m%d"`, n))}}}
}

func writeOf(t *testing.T, p checkpoint.Put) *chainWrite {
	t.Helper()
	enc, err := prepare(p.Checkpoint, p.Appends)
	if err != nil {
		t.Fatal(err)
	}
	w, ok := chainOf([]checkpoint.Put{p}, []rows.Encoded{enc})
	if !ok {
		t.Fatal("chainOf refused a chain of one")
	}
	return w
}

// TestBatchIsAllOrNothing puts a conflict in a batch of three threads'
// chains: nothing of the batch is written, and each chain, written again
// alone, gets its own outcome.
func TestBatchIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := New(pgtest.New(t))
	const a, b = "whatsapp:+15550000101", "whatsapp:+15550000102"
	root := child(a, checkpoint.Checkpoint{LogLens: map[string]int{"messages": 0}})
	if err := s.PutBatch(ctx, []checkpoint.Put{root}); err != nil {
		t.Fatal(err)
	}
	first, rival := child(a, root.Checkpoint), child(a, root.Checkpoint) // both after root: one must lose
	other := child(b, checkpoint.Checkpoint{LogLens: map[string]int{"messages": 0}})
	batch := []*chainWrite{writeOf(t, first), writeOf(t, other), writeOf(t, rival)}
	s.writeBatch(ctx, batch)
	for i, w := range batch {
		if !w.alone {
			t.Fatalf("chain %d of a failed batch is not marked to go alone", i)
		}
	}
	var n int
	if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM checkpoints").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("after a failed batch the table holds %d checkpoints, want the root alone", n)
	}
	for i, want := range []error{nil, nil, checkpoint.ErrConflict} {
		inserted, err := s.write(ctx, batch[i])
		if err = s.putError(root.Checkpoint, err); !errors.Is(err, want) || (want == nil && inserted != 1) {
			t.Fatalf("chain %d written alone: %d inserted, err %v; want 1 and %v", i, inserted, err, want)
		}
	}
}

// TestConcurrentChainsGoInBatches writes chains on many threads at once
// with one batch in flight at most, so that most go in batches, and checks
// every thread's log and the batches' share.
func TestConcurrentChainsGoInBatches(t *testing.T) {
	ctx := context.Background()
	s := New(pgtest.New(t))
	s.group.limit = 1
	const threads, turns = 24, 30
	var wg sync.WaitGroup
	errs := make(chan error, threads)
	for i := range threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			thread := fmt.Sprintf("whatsapp:+1555000%04d", i)
			head := checkpoint.Checkpoint{LogLens: map[string]int{"messages": 0}}
			for range turns {
				p := child(thread, head)
				if err := s.PutBatch(ctx, []checkpoint.Put{p}); err != nil {
					errs <- fmt.Errorf("thread %d: %w", i, err)
					return
				}
				head = p.Checkpoint
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range threads {
		thread := fmt.Sprintf("whatsapp:+1555000%04d", i)
		got, err := s.Latest(ctx, thread)
		if err != nil {
			t.Fatal(err)
		}
		if log := got.Logs["messages"]; len(log) != turns || string(log[turns-1]) != fmt.Sprintf(`"m%d"`, turns-1) {
			t.Fatalf("thread %d: log of %d entries, last %q", i, len(log), log[len(log)-1])
		}
	}
	batches, batched := s.group.batches.Load(), s.group.batched.Load()
	t.Logf("%d of %d chains went in %d batches", batched, threads*turns, batches)
	if batches == 0 {
		t.Fatal("24 threads writing at once with one batch in flight: no chain went in a batch")
	}
}
