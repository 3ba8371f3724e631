package checkpoint

import (
	"fmt"
	"time"
)

// The helpers below hold the rules every Saver applies, so backends share
// one definition of them instead of re-deriving it.

// CheckHeader verifies what a Put needs of a checkpoint before any
// storage is read: a thread and an id, and a parent for a branch.
func CheckHeader(cp Checkpoint) error {
	if cp.ThreadID == "" || cp.ID == "" {
		return fmt.Errorf("%w: thread and checkpoint id are required", ErrInvalid)
	}
	if cp.ParentID == "" && cp.Branch != "" {
		return fmt.Errorf("%w: a branch must have a parent", ErrInvalid)
	}
	return nil
}

// CheckAppends verifies that appends extend a parent's logs exactly: for
// every channel, the entries start where the parent's log ended and end
// where the child's LogLens says. A nil parentLens means no parent.
func CheckAppends(parentLens, childLens map[string]int, appends map[string][][]byte) error {
	for ch, entries := range appends {
		if _, ok := childLens[ch]; !ok && len(entries) > 0 {
			return fmt.Errorf("%w: appends to channel %q missing from LogLens", ErrInvalid, ch)
		}
	}
	for ch, n := range childLens {
		start := n - len(appends[ch])
		if start != parentLens[ch] {
			return fmt.Errorf("%w: log %q: %d entries appended to reach %d, but the parent holds %d",
				ErrInvalid, ch, len(appends[ch]), n, parentLens[ch])
		}
	}
	for ch, n := range parentLens {
		if _, ok := childLens[ch]; !ok && n > 0 {
			return fmt.Errorf("%w: log %q dropped from LogLens", ErrInvalid, ch)
		}
	}
	return nil
}

// ForkOf returns the checkpoint that Saver.Fork stores for src: a child of
// src on a new branch named after itself, with the same state.
func ForkOf(src Checkpoint) Checkpoint {
	fork := src.Clone()
	fork.ID = NewID()
	fork.ParentID = src.ID
	fork.Branch = fork.ID
	fork.Source = "fork"
	if fork.Metadata == nil {
		fork.Metadata = make(map[string]string, 1)
	}
	fork.Metadata["forked_from"] = src.ID
	fork.CreatedAt = time.Time{}
	return fork
}

// PruneInfo is what PrunePlan needs to know of a checkpoint.
type PruneInfo struct {
	ID, ParentID, Branch string
	Source               string
	HasNext              bool // len(Next) > 0
	Created              time.Time
}

// PrunePlan returns, for a thread's checkpoints listed newest first (by the
// order they were stored), which ones Prune removes under opts.
//
// A checkpoint ends a turn when nothing was left to run, when the next run
// started from it (its child on the branch is an "input" checkpoint), or
// when it has no child on the branch any more: a child is only ever pruned
// with the intermediate checkpoints of an older turn, which its parent
// ended. So a thinned history is thinned no further by the same options.
func PrunePlan(opts PruneOptions, newestFirst []PruneInfo) []bool {
	type key struct{ branch, parent string }
	childSource := make(map[key]string, len(newestFirst))
	for _, c := range newestFirst {
		if c.ParentID != "" {
			childSource[key{c.Branch, c.ParentID}] = c.Source
		}
	}
	remove := make([]bool, len(newestFirst))
	turns := make(map[string]int) // per branch: older turns ended so far
	for i, c := range newestFirst {
		turn, seen := turns[c.Branch]
		if !seen {
			// The branch's newest: always kept, and the end of its last turn.
			turns[c.Branch] = 0
			continue
		}
		src, hasChild := childSource[key{c.Branch, c.ID}]
		ends := !c.HasNext || !hasChild || src == "input"
		if ends {
			turn++
			turns[c.Branch] = turn
		}
		switch {
		case opts.KeepLast > 0 && i >= opts.KeepLast:
			remove[i] = true
		case !opts.OlderThan.IsZero() && c.Created.Before(opts.OlderThan):
			remove[i] = true
		case opts.RecentTurns > 0 && turn >= opts.RecentTurns && !ends:
			remove[i] = true
		}
	}
	return remove
}
