package graph

// EventKind says what an Event reports.
type EventKind int

const (
	// EventNodeStart: a node is about to run.
	EventNodeStart EventKind = iota + 1
	// EventNodeEnd: a node finished; Update holds what it returned.
	EventNodeEnd
	// EventCheckpoint: a checkpoint was stored; CheckpointID names it.
	EventCheckpoint
	// EventInterrupt: the run paused; Interrupt says where.
	EventInterrupt
	// EventDone: the run finished or paused; State is the final state.
	EventDone
)

// String returns the kind's name.
func (k EventKind) String() string {
	switch k {
	case EventNodeStart:
		return "node_start"
	case EventNodeEnd:
		return "node_end"
	case EventCheckpoint:
		return "checkpoint"
	case EventInterrupt:
		return "interrupt"
	case EventDone:
		return "done"
	}
	return "unknown"
}

// Event is one thing that happened in a run, in order.
type Event[S any] struct {
	Kind EventKind
	// Step is the superstep within the run, from 1.
	Step int
	// Node is set for node events and interrupts.
	Node string
	// Update is a node's update, for EventNodeEnd.
	Update S
	// State is the final state, for EventDone.
	State        S
	CheckpointID string
	Interrupt    *PendingInterrupt
}

// Result is the outcome of a run.
type Result[S any] struct {
	State S
	// CheckpointID is the last checkpoint stored; empty without a saver.
	CheckpointID string
	// Interrupt is set when the run paused instead of finishing.
	Interrupt *PendingInterrupt
	// Steps counts the supersteps this run executed.
	Steps int
}
