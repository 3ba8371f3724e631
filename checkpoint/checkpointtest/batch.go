package checkpointtest

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// batch builds, without storing, n checkpoints chained after the head,
// each appending perStep entries, and moves the head to the last.
func (c *chain) batch(n, perStep int) []checkpoint.Put {
	var puts []checkpoint.Put
	for range n {
		cp, app := c.next(perStep)
		puts = append(puts, checkpoint.Put{Checkpoint: cp, Appends: app})
		c.head = cp
		c.all = append(c.all, cp)
	}
	return puts
}

// testPutAll stores chains with checkpoint.PutAll, the saver's PutBatch
// when it has one: in order, each checkpoint readable, the logs whole.
func testPutAll(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		before int // checkpoints stored one by one first
		n      int
	}{
		{"from the first checkpoint", 0, 4},
		{"after a Put", 1, 4},
		{"after another batch", 0, 0},
		{"one", 2, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t, s, "putall")
			for range tc.before {
				c.add(2)
			}
			n := tc.n
			if n == 0 { // a batch, then another from its last checkpoint
				if err := checkpoint.PutAll(ctx, s, c.batch(3, 2)); err != nil {
					t.Fatal(err)
				}
				n = 2
			}
			if err := checkpoint.PutAll(ctx, s, c.batch(n, 2)); err != nil {
				t.Fatal(err)
			}
			latest, err := s.Latest(ctx, c.thread)
			if err != nil {
				t.Fatal(err)
			}
			sameCheckpoint(t, latest.Checkpoint, c.head)
			equalLog(t, "latest", latest.Logs["messages"], wantLog(len(c.all), 2))
			list, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != len(c.all) {
				t.Fatalf("List has %d checkpoints, want %d", len(list), len(c.all))
			}
			for i, cp := range list { // newest first
				if want := c.all[len(c.all)-1-i]; cp.ID != want.ID {
					t.Fatalf("List[%d] = step %d, want step %d: stored out of order", i, cp.Step, want.Step)
				}
			}
			for _, want := range c.all {
				got, err := s.Get(ctx, c.thread, want.ID)
				if err != nil {
					t.Fatal(err)
				}
				sameCheckpoint(t, got.Checkpoint, want)
				equalLog(t, "Get", got.Logs["messages"], wantLog(want.Step+1, 2))
			}
		})
	}
}

// testPutAllConflict: a chain whose first checkpoint's parent already
// has a child loses with ErrConflict, and a saver that batches stores
// none of it, whichever checkpoint of the chain collides.
func testPutAllConflict(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	_, batches := s.(checkpoint.BatchPutter)

	// Two chains that both start the thread: one wins.
	r := newChain(t, s, "putall-conflict-root")
	other := *r
	if err := checkpoint.PutAll(ctx, s, r.batch(2, 1)); err != nil {
		t.Fatal(err)
	}
	if err := checkpoint.PutAll(ctx, s, other.batch(2, 1)); !errors.Is(err, checkpoint.ErrConflict) {
		t.Fatalf("a second chain starting the thread: %v, want ErrConflict", err)
	}

	c := newChain(t, s, "putall-conflict")
	c.add(1)
	fork := *c
	c.add(1) // the winner
	fork.all = append([]checkpoint.Checkpoint(nil), fork.all...)
	if err := checkpoint.PutAll(ctx, s, fork.batch(3, 1)); !errors.Is(err, checkpoint.ErrConflict) {
		t.Fatalf("a chain from a parent that has a child: %v, want ErrConflict", err)
	}
	latest, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Checkpoint.ID != c.head.ID {
		t.Fatalf("latest is step %d of the losing chain, want the winner", latest.Checkpoint.Step)
	}

	if !batches {
		return
	}
	// The last checkpoint of a chain reuses an id the thread has: the
	// whole chain fails, and none of it is stored.
	puts := c.batch(3, 1)
	puts[2].Checkpoint.ID = c.all[0].ID
	if err := checkpoint.PutAll(ctx, s, puts); err == nil {
		t.Fatal("a chain reusing a stored id was stored")
	}
	list, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("after a failed batch the thread has %d checkpoints, want 2: a batch is all or nothing", len(list))
	}
}

// testPutAllInvalid: a chain that does not chain is refused before
// anything is stored.
func testPutAllInvalid(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "putall-invalid")
	c.add(1)
	for _, tc := range []struct {
		name  string
		spoil func(puts []checkpoint.Put)
	}{
		{"not the child of the one before", func(p []checkpoint.Put) { p[1].Checkpoint.ParentID = c.all[0].ID }},
		{"another thread", func(p []checkpoint.Put) { p[1].Checkpoint.ThreadID += "x" }},
		{"another branch", func(p []checkpoint.Put) { p[1].Checkpoint.Branch = "b" }},
		{"a gap in a log", func(p []checkpoint.Put) { p[1].Appends["messages"] = p[1].Appends["messages"][:0] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := *c
			d.all = append([]checkpoint.Checkpoint(nil), c.all...)
			puts := d.batch(2, 1)
			tc.spoil(puts)
			if err := checkpoint.PutAll(ctx, s, puts); !errors.Is(err, checkpoint.ErrInvalid) {
				t.Fatalf("PutAll = %v, want ErrInvalid", err)
			}
			latest, err := s.Latest(ctx, c.thread)
			if err != nil {
				t.Fatal(err)
			}
			if latest.Checkpoint.ID != c.head.ID {
				t.Fatal("part of an invalid chain was stored")
			}
		})
	}
}
