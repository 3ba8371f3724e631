package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Interrupt pauses the run from inside a node, recording payload for
// whoever must answer (for example "owner must approve this booking").
// The first time it is called it returns an error the node must return;
// the run stops and its checkpoint records the pause. When the thread is
// resumed with a value, the node runs again from its start and this call
// returns that value, converted to T (directly, or through JSON when the
// value came from elsewhere).
//
// A node should call Interrupt at most once per run of the node; split
// multi-stage approvals into several nodes.
func Interrupt[T any](ctx context.Context, payload any) (T, error) {
	var zero T
	if rs, ok := ctx.Value(resumeKey{}).(*resumeValue); ok && !rs.used {
		rs.used = true
		if v, ok := rs.value.(T); ok {
			return v, nil
		}
		b, err := json.Marshal(rs.value)
		if err != nil {
			return zero, fmt.Errorf("graph: resume value: %w", err)
		}
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			return zero, fmt.Errorf("graph: resume value %s does not fit %T: %w", b, zero, err)
		}
		return v, nil
	}
	return zero, &interruptSignal{payload: payload}
}

type resumeKey struct{}

type resumeValue struct {
	value any
	used  bool
}

// interruptSignal is the error Interrupt returns to unwind the node.
type interruptSignal struct{ payload any }

func (s *interruptSignal) Error() string { return "graph: interrupted" }

func asInterrupt(err error) (*interruptSignal, bool) {
	var s *interruptSignal
	ok := errors.As(err, &s)
	return s, ok
}

// PendingInterrupt describes a paused run: which node paused it and the
// payload it recorded.
type PendingInterrupt struct {
	Node string
	// Before is true for a pause before the node ran (WithInterruptBefore).
	Before bool
	// Payload is the JSON of the payload given to Interrupt.
	Payload json.RawMessage
}

func marshalPayload(p any) (json.RawMessage, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("graph: interrupt payload: %w", err)
	}
	return b, nil
}
