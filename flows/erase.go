package flows

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Eraser carries out "delete my data" / "borra mis datos": a question
// first, then, on the confirmation word, the erasure. privacy.Eraser
// implements it.
type Eraser interface {
	// Handle reads one message of thread from member ("" for the thread's
	// own person) and says what it means for erasure (privacy.Action).
	Handle(ctx context.Context, thread, member, text string) (privacy.Action, string, error)
	// Erase deletes everything stored for thread.
	Erase(ctx context.Context, thread string) error
	// EraseMember deletes one participant's messages and workouts from a
	// group thread.
	EraseMember(ctx context.Context, thread, member string) error
}

// memberOf is who in th sent m: "" when the thread is one person's, the
// participant in a group.
func memberOf(th string, m store.Inbound) string {
	if m.Sender == "" || m.Sender == th {
		return ""
	}
	return m.Sender
}

// erasure handles requests to be erased, before anything else reads the
// turn: it returns the messages left for the turn and the replies to
// record. erased is true when the whole thread was erased: nothing of the
// turn is left to record, and the confirmation was sent directly.
//
// A confirmed erasure runs before its confirmation is sent: a crash
// between the two loses the confirmation, never the erasure. Until the
// erasure completes, the confirmation word is still pending in the inbox
// and the retried turn carries it out.
func (r *Runner) erasure(ctx context.Context, th string, pending []store.Inbound, log *slog.Logger) (rest []store.Inbound, replies []store.Outbound, erased bool, err error) {
	if r.Eraser == nil {
		return pending, nil, false, nil
	}
	gone := map[string]bool{} // group members erased in this turn
	for _, m := range pending {
		member := memberOf(th, m)
		if gone[member] {
			continue // deleted with the rest of their messages
		}
		act, text, err := r.Eraser.Handle(ctx, th, member, m.Body)
		if err != nil {
			return nil, nil, false, err
		}
		switch act {
		case privacy.Asked:
			log.Info("erasure requested; asked to confirm", "group_member", member != "")
			replies = append(replies, r.reply(m, "privacy:"+strconv.FormatInt(m.ID, 10), text))
		case privacy.Confirmed:
			if member == "" {
				if err := r.Eraser.Erase(ctx, th); err != nil {
					return nil, nil, false, err
				}
				log.Info("thread erased at the user's request")
				r.sendDirect(ctx, m, text, log)
				return nil, nil, true, nil
			}
			if err := r.Eraser.EraseMember(ctx, th, member); err != nil {
				return nil, nil, false, err
			}
			log.Info("group member erased at their request")
			gone[member] = true
			replies = append(replies, r.reply(m, "privacy:"+strconv.FormatInt(m.ID, 10), text))
		default:
			rest = append(rest, m)
		}
	}
	if len(gone) > 0 {
		kept := rest[:0]
		for _, m := range rest {
			if !gone[memberOf(th, m)] {
				kept = append(kept, m)
			}
		}
		rest = kept
	}
	return rest, replies, false, nil
}

// sendDirect sends text to m's sender without the outbox: after an
// erasure, a reply recorded there would be the thread's first row again.
// It tries three times, then logs.
func (r *Runner) sendDirect(ctx context.Context, m store.Inbound, text string, log *slog.Logger) {
	out := store.Outbound{Thread: m.Thread, Channel: m.Channel, To: m.From, Body: text}
	var err error
	for attempt := range 3 {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				log.Warn("the erasure's confirmation was not delivered", "err", ctx.Err())
				return
			case <-time.After(time.Duration(attempt) * time.Second):
			}
		}
		if _, err = r.deliver(ctx, r.Channels[m.Channel], out, text); err == nil {
			return
		}
	}
	log.Warn("the erasure's confirmation was not delivered", "err", thread.MaskError(m.Thread, fmt.Errorf("send: %w", err)))
}
