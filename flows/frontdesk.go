package flows

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/queue"
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
// send job it enqueued takes over otherwise). It implements the front
// desk's notifier. See NotifyTemplate.
func (r *Runner) Notify(ctx context.Context, th, key, text string) error {
	return r.NotifyTemplate(ctx, th, key, text, "", "")
}

// NotifyTemplate is Notify with an approved template (contentSID and its
// variables, a JSON object of strings) for when the thread's 24-hour window
// is closed at send time; without one the message then fails, with the
// reason. The message goes through the channel of the thread's last inbound
// message, to the address it came from (a customer who wrote through the
// Cloud API hears back through it), or through ChannelFor(thread) when the
// thread never wrote in. An error means the message was not sent and will
// not be: a failure recorded now or by an earlier call with the same key
// (its reason is the error's text), or a store error. A send that is only
// postponed returns nil; OnFailed hears of its outcome if it fails.
func (r *Runner) NotifyTemplate(ctx context.Context, th, key, text, contentSID, contentVariables string) error {
	out := store.Outbound{Thread: th, To: th, Key: key, Body: text, Status: store.StatusPending,
		ContentSID: contentSID, ContentVariables: contentVariables}
	last, err := r.Store.LastInbound(ctx, th)
	switch {
	case err == nil && last.Channel != "" && last.From != "" && (last.Sender == "" || last.Sender == th):
		out.Channel, out.To = last.Channel, last.From
	case err == nil || errors.Is(err, store.ErrNotFound):
		if r.ChannelFor != nil {
			out.Channel = r.ChannelFor(th)
		}
	default:
		return fmt.Errorf("flows: notify thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	ids, err := r.Store.Complete(ctx, th, nil, []store.Outbound{out})
	if err != nil {
		return fmt.Errorf("flows: notify thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	for _, id := range ids {
		if _, err := r.sendOnce(ctx, id); err != nil && !errors.Is(err, queue.ErrPermanent) {
			r.log().Warn("notice not sent yet; its job will retry", "thread", thread.ID(th), "outbox_id", id, "err", thread.MaskError(th, err))
		}
		row, err := r.Store.Outbound(ctx, id)
		if err != nil {
			return fmt.Errorf("flows: notify thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
		}
		if store.IsFinalFailure(row.Status) {
			return &NotSentError{Reason: row.Error}
		}
	}
	return nil
}

// NotSentError is a proactive message that failed for good; Reason says
// why (outside the 24-hour window without a template, a permanent channel
// error).
type NotSentError struct{ Reason string }

func (e *NotSentError) Error() string { return e.Reason }
