package checkpointtest

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// turn stores one run of the graph engine under step durability: an
// "input" checkpoint, then loop checkpoints, the last with nothing to run
// next unless the run paused (or failed) before finishing. It returns the
// turn's checkpoints.
func (c *chain) turn(steps int, finished bool) []checkpoint.Checkpoint {
	c.t.Helper()
	var out []checkpoint.Checkpoint
	for i := 0; i < steps; i++ {
		cp, app := c.next(1)
		if i == 0 {
			cp.Source = "input"
		}
		if i == steps-1 && finished {
			cp.Next = nil
		}
		if err := c.s.Put(context.Background(), cp, app); err != nil {
			c.t.Fatalf("Put step %d: %v", cp.Step, err)
		}
		c.head = cp
		c.all = append(c.all, cp)
		out = append(out, cp)
	}
	return out
}

// testPruneRecentTurns: every checkpoint of the last RecentTurns turns is
// kept, and of each older turn only its last, whether the turn finished or
// was left paused; kept checkpoints load whole.
func testPruneRecentTurns(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "turns")
	var turns [][]checkpoint.Checkpoint
	for i := 0; i < 6; i++ {
		// Turn 2 paused: a later run started over from its last checkpoint.
		turns = append(turns, c.turn(4, i != 2))
	}
	if err := s.PutWrites(ctx, c.thread, turns[2][3].ID, []checkpoint.Write{{Node: "book", Kind: checkpoint.WriteInterrupt}}); err != nil {
		t.Fatal(err)
	}
	var want, gone []checkpoint.Checkpoint
	for i, tc := range turns {
		if i >= 4 { // the last two turns: every checkpoint
			want = append(want, tc...)
			continue
		}
		want = append(want, tc[len(tc)-1])
		gone = append(gone, tc[:len(tc)-1]...)
	}
	n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 2})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(gone) {
		t.Fatalf("Prune removed %d, want %d", n, len(gone))
	}
	list, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(want) {
		t.Fatalf("after prune: %d checkpoints %v, want %d", len(list), ids(list), len(want))
	}
	for i, cp := range list {
		if w := want[len(want)-1-i]; cp.ID != w.ID {
			t.Fatalf("after prune, checkpoint %d is step %d, want step %d", i, cp.Step, w.Step)
		}
	}
	for _, cp := range gone {
		if _, err := s.Get(ctx, c.thread, cp.ID); !errors.Is(err, checkpoint.ErrNotFound) {
			t.Fatalf("pruned checkpoint of step %d: %v, want ErrNotFound", cp.Step, err)
		}
	}
	for _, cp := range want {
		got, err := s.Get(ctx, c.thread, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		equalLog(t, "kept checkpoint", got.Logs["messages"], wantLog(cp.Step+1, 1))
	}
	paused, err := s.Get(ctx, c.thread, turns[2][3].ID)
	if err != nil || len(paused.Writes) != 1 {
		t.Fatalf("the paused turn's last checkpoint lost its pending write: %v, %v", paused.Writes, err)
	}
	// Pruning again removes nothing; the head still advances.
	if n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 2}); err != nil || n != 0 {
		t.Fatalf("second Prune removed %d, %v; want 0", n, err)
	}
	c.turn(2, true)
	// The turn that was the second most recent is now third: its
	// intermediate checkpoints go.
	if n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 2}); err != nil || n != 3 {
		t.Fatalf("Prune after one more turn removed %d, %v; want 3", n, err)
	}
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "latest", got.Logs["messages"], wantLog(c.head.Step+1, 1))
}

// testPruneRecentTurnsPerBranch: turns are counted on each branch, and a
// branch's head is kept whatever its age.
func testPruneRecentTurnsPerBranch(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "branchturns")
	first := c.turn(3, true)
	c.turn(3, true)
	fork, err := s.Fork(ctx, c.thread, first[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	c.turn(3, true) // main advances: the fork's head is now older
	if _, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 1}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, c.thread, fork.Checkpoint.ID)
	if err != nil {
		t.Fatalf("the fork's head was pruned: %v", err)
	}
	equalLog(t, "fork head", got.Logs["messages"], wantLog(3, 1))
	list, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Main: the last turn whole (3) and the end of each older one (2); the
	// fork's head (1).
	if len(list) != 6 {
		t.Fatalf("after prune: %d checkpoints, want 6: %v", len(list), ids(list))
	}
}
