package checkpointtest

import (
	"context"
	"errors"
	"fmt"
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

// testPruneKeepsLongLogs: after Prune (which may reorganise how a backend
// stores older log entries) every kept checkpoint loads its whole log, a
// cursor anywhere in the log gets the right tail, a fork from the middle
// of the log copies it, and both branches keep growing and pruning.
func testPruneKeepsLongLogs(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "longlogs")
	var log [][]byte // the main branch's log, as it grows
	add := func(n int) checkpoint.Checkpoint {
		cp := c.add(n)
		for i := 0; i < n; i++ {
			log = append(log, entry(cp.Step, i))
		}
		return cp
	}
	for _, n := range []int{100, 37, 1, 150, 64, 130} {
		add(n)
	}
	check := func(what string) {
		t.Helper()
		for _, cp := range c.all {
			got, err := s.Get(ctx, c.thread, cp.ID)
			if err != nil {
				t.Fatalf("%s: Get step %d: %v", what, cp.Step, err)
			}
			equalLog(t, fmt.Sprintf("%s: step %d", what, cp.Step), got.Logs["messages"], log[:cp.LogLens["messages"]])
		}
		latest, err := s.Latest(ctx, c.thread)
		if err != nil {
			t.Fatal(err)
		}
		equalLog(t, what+": latest", latest.Logs["messages"], log)
		inc, ok := s.(checkpoint.IncrementalLoader)
		if !ok {
			return
		}
		for _, have := range []int{0, 1, 63, 64, 65, 200, 255, 256, len(log) - 129, len(log) - 1, len(log)} {
			got, err := inc.LatestSince(ctx, c.thread, checkpoint.Cursor{Lens: map[string]int{"messages": have}})
			if err != nil {
				t.Fatal(err)
			}
			if got.LogsFrom["messages"] != have {
				t.Fatalf("%s: LatestSince(%d) starts at %d", what, have, got.LogsFrom["messages"])
			}
			equalLog(t, fmt.Sprintf("%s: LatestSince(%d)", what, have), got.Logs["messages"], log[have:])
		}
	}
	check("before prune")
	if _, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 1}); err != nil {
		t.Fatal(err)
	}
	check("after prune")

	// Fork from the checkpoint of 288 entries (not a multiple of any
	// sensible chunk size) and grow the fork.
	from := c.all[3]
	fork, err := s.Fork(ctx, c.thread, from.ID)
	if err != nil {
		t.Fatal(err)
	}
	forkLog := log[:from.LogLens["messages"]:from.LogLens["messages"]]
	equalLog(t, "fork", fork.Logs["messages"], forkLog)
	fc := &chain{t: t, s: s, thread: c.thread, head: fork.Checkpoint}
	for range 3 {
		cp := fc.add(100)
		for i := 0; i < 100; i++ {
			forkLog = append(forkLog, entry(cp.Step, i))
		}
	}
	// The main branch moves on too; prune and check both.
	add(90)
	if _, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{RecentTurns: 1}); err != nil {
		t.Fatal(err)
	}
	check("after a second prune")
	got, err := s.Get(ctx, c.thread, fc.head.ID)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "fork head after prune", got.Logs["messages"], forkLog)
}
