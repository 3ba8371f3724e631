package flows

import (
	"context"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Accept is where a channel's webhook hands over an inbound message (it
// implements the webhooks' Inbox): it applies the inbound policy, then
// stores the message, which enqueues its thread's run in the same
// transaction. created is false for a message the store already has (a
// provider's retry).
//
// The policy: a group chat is served only when IsGym lists it, because a
// number added to a group must not answer everyone in it; a message from
// an unlisted group is neither stored nor answered (created is false, err
// nil, so the channel acknowledges it and does not retry). Direct chats are
// always served.
//
// The run is enqueued at once: RunThread itself waits out the burst window,
// by snoozing the job, which the queue times precisely.
func (r *Runner) Accept(ctx context.Context, msg store.Inbound) (created bool, err error) {
	if !r.Serves(msg.Thread) {
		r.log().Info("message from a group not listed in GYM_CHATS: not stored, not answered",
			"thread", thread.ID(msg.Thread), "channel", msg.Channel)
		return false, nil
	}
	return r.Store.Accept(ctx, msg, time.Time{})
}

// Serves reports whether the runner answers th: every direct chat, and the
// group chats IsGym lists.
func (r *Runner) Serves(th string) bool {
	return !thread.IsGroup(th) || (r.IsGym != nil && r.IsGym(th))
}
