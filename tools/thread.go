package tools

import (
	"context"
	"errors"
	"fmt"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/thread"
)

// ErrNoThread is returned by ThreadOf for a call made outside a graph run
// by a tool that is not bound to a thread.
var ErrNoThread = errors.New("tools: no thread in context")

// Bind returns ts bound to threadID: each acts for threadID whatever the
// context says (ThreadOf returns it), and refuses a call made in a graph
// run of another thread. Tools that act on one customer's or member's data
// are handed to that thread's turn bound, so a mix-up in the caller cannot
// make them act for someone else.
func Bind(threadID string, ts ...Tool) []Tool {
	out := make([]Tool, len(ts))
	for i, t := range ts {
		out[i] = bound{Tool: t, thread: threadID}
	}
	return out
}

type bound struct {
	Tool
	thread string
}

type boundKey struct{}

// Call implements Tool.
func (b bound) Call(ctx context.Context, args string) (string, error) {
	return b.Tool.Call(context.WithValue(ctx, boundKey{}, b.thread), args)
}

// ThreadOf returns the thread a tool call acts for: the thread its tool is
// bound to (Bind), else the thread of the graph run it is made in. A bound
// tool called in a run of another thread is an error, and so is a call
// with neither (ErrNoThread).
func ThreadOf(ctx context.Context) (string, error) {
	b, _ := ctx.Value(boundKey{}).(string)
	run := graph.ThreadFromContext(ctx)
	switch {
	case b != "" && run != "" && b != run:
		return "", fmt.Errorf("tools: tool bound to thread %s called in a run of thread %s", thread.Mask(b), thread.Mask(run))
	case b != "":
		return b, nil
	case run != "":
		return run, nil
	}
	return "", ErrNoThread
}
