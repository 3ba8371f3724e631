package flows

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Handoff is the front desk's hand-off to a person: while a thread is
// held, the runner stores its messages (they reach the flow's history)
// but runs no model and sends no reply; what people wrote to the user
// reaches the history on the thread's next run.
type Handoff interface {
	// Held reports whether the assistant must stay silent on thread.
	Held(ctx context.Context, thread string) (bool, error)
	// Unrecorded returns what people wrote to thread that the flow has not
	// been given yet, oldest first.
	Unrecorded(ctx context.Context, thread string) ([]HumanMessage, error)
	// Recorded notes that the flow's history holds every message up to
	// seq.
	Recorded(ctx context.Context, thread string, seq int64) error
}

// Holder is implemented by flows that can store a turn without answering
// it (flows/agent): a held thread's messages then reach the history the
// model sees once the thread is given back. A flow that is not a Holder
// just does not see them.
type Holder interface {
	Hold(ctx context.Context, thread string, turn Turn) error
}

// human returns what people wrote to th that the flow has not seen.
func (r *Runner) human(ctx context.Context, th string) ([]HumanMessage, error) {
	if r.Handoff == nil {
		return nil, nil
	}
	hs, err := r.Handoff.Unrecorded(ctx, th)
	if err != nil {
		return nil, fmt.Errorf("flows: replies of people to thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	return hs, nil
}

// recorded notes the flow holds hs; a failure only means they are given
// again next turn, where the flow's watermark drops them.
func (r *Runner) recorded(ctx context.Context, th string, hs []HumanMessage, log *slog.Logger) {
	if len(hs) == 0 {
		return
	}
	if err := r.Handoff.Recorded(ctx, th, hs[len(hs)-1].Seq); err != nil {
		log.Warn("replies of people not marked recorded; the next turn gives them again", "err", thread.MaskError(th, err))
	}
}

// handedOver reports whether th is handed to a person; if so, it stores the
// turn in the flow's history without a model call and completes the
// pending messages with only replies (the desk's: opt-out confirmations)
// that are not the assistant's.
func (r *Runner) handedOver(ctx context.Context, th string, in Input, pending []store.Inbound, ids []int64, replies []store.Outbound, lease string, log *slog.Logger) (bool, []int64, error) {
	if r.Handoff == nil || len(pending) == 0 {
		return false, nil, nil
	}
	held, err := r.Handoff.Held(ctx, th)
	if err != nil {
		return false, nil, fmt.Errorf("flows: hand-off of thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	if !held {
		return false, nil, nil
	}
	flow, _ := r.flowFor(th)
	if h, ok := flow.(Holder); ok && (len(in.Messages) > 0 || len(in.Human) > 0) {
		in.Hold = true
		if err := h.Hold(ctx, th, Turn{Input: in, Messages: pending}); err != nil {
			return true, nil, fmt.Errorf("flows: hold thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
		}
		r.recorded(ctx, th, in.Human, log)
	}
	log.Info("thread handed to a person; message stored, no reply", "messages", len(pending))
	outIDs, err := r.Store.CompleteHeld(ctx, th, ids, replies, lease)
	if err != nil {
		return true, nil, fmt.Errorf("flows: complete thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	return true, outIDs, nil
}
