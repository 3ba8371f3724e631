package flows

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Desk is a business front desk's part of a run: what is answered before
// any model (owner commands, opt-out words), and what a customer gets when
// the model is down. A Runner without one behaves as a personal assistant.
type Desk interface {
	// Intercept answers msg without a model when it is a command of an
	// owner or an opt-out word; ok is false for a message the flow
	// answers. It must be idempotent for msg (a retried job runs it
	// again): the reply is keyed by the message.
	Intercept(ctx context.Context, msg store.Inbound) (reply string, ok bool, err error)
	// ModelDown answers text on thread when the model failed or is not
	// configured (an approved FAQ's answer); ok is false to send the
	// fallback.
	ModelDown(ctx context.Context, thread, text string) (reply string, ok bool)
}

// intercept splits pending into the messages the desk answered (their
// replies, keyed by message) and the rest, which go to the flow.
func (r *Runner) intercept(ctx context.Context, pending []store.Inbound) (rest []store.Inbound, replies []store.Outbound, err error) {
	if r.Desk == nil {
		return pending, nil, nil
	}
	for _, m := range pending {
		text, ok, err := r.Desk.Intercept(ctx, m)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			rest = append(rest, m)
			continue
		}
		if text != "" {
			replies = append(replies, r.reply(m, "desk:"+strconv.FormatInt(m.ID, 10), text))
		}
	}
	return rest, replies, nil
}

// modelDown is the reply when the model failed on thread: the desk's
// answer when it has one, else the fallback.
func (r *Runner) modelDown(ctx context.Context, th string, pending []store.Inbound, err error) string {
	if r.Desk != nil {
		var texts []string
		for _, m := range pending {
			if t := strings.TrimSpace(m.Body); t != "" {
				texts = append(texts, t)
			}
		}
		if reply, ok := r.Desk.ModelDown(ctx, th, strings.Join(texts, "\n")); ok {
			return reply
		}
	}
	return r.fallbackFor(err)
}

// Notify records a proactive message to thread in the outbox, keyed so a
// thread gets it once whatever retries, and tries to send it at once (the
// send job it enqueued takes over otherwise). The channel is
// ChannelFor(thread). It implements the front desk's notifier.
func (r *Runner) Notify(ctx context.Context, th, key, text string) error {
	ch := ""
	if r.ChannelFor != nil {
		ch = r.ChannelFor(th)
	}
	out := store.Outbound{Thread: th, Channel: ch, To: th, Key: key, Body: text, Status: store.StatusPending}
	ids, err := r.Store.Complete(ctx, th, nil, []store.Outbound{out})
	if err != nil {
		return fmt.Errorf("flows: notify thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	for _, id := range ids {
		if _, err := r.sendOnce(ctx, id); err != nil {
			r.log().Warn("notice not sent yet; its job will retry", "thread", thread.ID(th), "outbox_id", id, "err", thread.MaskError(th, err))
		}
	}
	return nil
}
