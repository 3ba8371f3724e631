package graph

import (
	"errors"
	"fmt"
)

// ErrStepLimit is matched by errors.Is on a *StepLimitError.
var ErrStepLimit = errors.New("graph: step limit reached")

// ErrNoSaver is returned when an operation needs a checkpoint saver and the
// graph was compiled without one.
var ErrNoSaver = errors.New("graph: no checkpoint saver")

// ErrNothingToResume is returned by Resume when the thread's latest
// checkpoint has no pending node.
var ErrNothingToResume = errors.New("graph: nothing to resume")

// StepLimitError reports a run stopped at its step limit. It carries the
// last state and checkpoint so the caller can still answer the user; the
// checkpoint keeps the pending nodes, so Resume with a higher limit goes on.
type StepLimitError[S any] struct {
	Limit        int
	State        S
	CheckpointID string
}

func (e *StepLimitError[S]) Error() string {
	return fmt.Sprintf("graph: step limit of %d reached", e.Limit)
}

// Is reports whether target is ErrStepLimit.
func (e *StepLimitError[S]) Is(target error) bool { return target == ErrStepLimit }

// NodeError wraps the error a node returned.
type NodeError struct {
	Node string
	Step int
	Err  error
}

func (e *NodeError) Error() string {
	return fmt.Sprintf("graph: node %q (step %d): %v", e.Node, e.Step, e.Err)
}

func (e *NodeError) Unwrap() error { return e.Err }

// WriteConflictError reports two nodes of one superstep writing the same
// last-write-wins field. Give the field a reducer, or make one node own it.
type WriteConflictError struct {
	Field string
	Nodes [2]string
}

func (e *WriteConflictError) Error() string {
	return fmt.Sprintf("graph: nodes %q and %q both wrote field %s in one step", e.Nodes[0], e.Nodes[1], e.Field)
}

// PanicError is a panic recovered from a node.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }
