package checkpoint

import (
	"fmt"
	"time"
)

// The helpers below hold the rules every Saver applies, so backends share
// one definition of them instead of re-deriving it.

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

// PruneMatch reports whether a checkpoint that is the rank-th newest of its
// thread (0 = newest) and was created at created is removed under opts.
// Savers additionally keep the newest checkpoint of every branch.
func PruneMatch(opts PruneOptions, rank int, created time.Time) bool {
	if opts.KeepLast > 0 && rank >= opts.KeepLast {
		return true
	}
	return !opts.OlderThan.IsZero() && created.Before(opts.OlderThan)
}
