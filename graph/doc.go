// Package graph is a small, fast state-graph engine in the spirit of
// LangGraph, for Go programs.
//
// A graph runs over a typed state S, a struct. Nodes are functions
//
//	func(ctx context.Context, state S) (update S, err error)
//
// that return only what they change: the fields of the update left at their
// zero value are not written. The engine runs the graph in supersteps: all
// nodes scheduled for a step run concurrently on the same state, then their
// updates are merged through the reducers declared on S's fields:
//
//	type State struct {
//		Messages []string `graph:"append"` // updates are appended
//		Counts   map[string]int `graph:"merge"` // keys are merged
//		Answer   string  // last write wins; two writers in one step is an error
//	}
//
// Edges say what runs next: static edges, and conditional edges whose router
// picks among declared destinations after the step's updates are merged.
// A run ends when no node is scheduled, and never loops forever: a step
// limit (25 by default) stops it with a *StepLimitError carrying the last
// state.
//
// With a checkpoint.Saver, every superstep is checkpointed per thread, so a
// thread continues where it left off, survives restarts, can pause (an
// interrupt before a node, or Interrupt from inside one) and be resumed with
// a value in another process. Fields tagged append are stored as
// append-only logs, so the cost of a checkpoint does not grow with the
// conversation.
//
// Without a saver, a program keeps a conversation going by starting each
// run From the previous result with only the new messages as input; the
// history is then extended in place, so a turn costs the same however long
// the conversation.
//
// Runs are consumed either whole (Invoke, Resume) or as a stream of events
// through Go's iter package (Stream, ResumeStream).
package graph
