package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// WhatsApp lets a business send free text for 24 hours after the user's
// last message; after that only approved templates. The runner decides at
// send time, from the thread's last inbound message in the store, so the
// decision holds however long the row waited in the outbox.

// windowMargin closes the window a little early: a message sent at the
// very edge would reach the channel after it closed.
const windowMargin = time.Minute

// windowOpen reports whether out's thread wrote within ch.Window.
func (r *Runner) windowOpen(ctx context.Context, ch Channel, out store.Outbound) (bool, error) {
	last, err := r.Store.LastInbound(ctx, out.Thread)
	if errors.Is(err, store.ErrNotFound) {
		// No message on record (an owner who never wrote here, a thread
		// erased): the window may still be open for reasons this
		// database never saw, so let the channel decide; its "outside
		// the window" error is handled like a closed window.
		return true, nil
	}
	if err != nil {
		return false, thread.MaskError(out.Thread, err)
	}
	return r.now().Before(last.ReceivedAt.Add(ch.Window - windowMargin)), nil
}

// ReasonNoTemplate is the reason recorded for a message that could not go
// out because the thread's 24-hour window is closed and the message has no
// approved template.
const ReasonNoTemplate = "outside WhatsApp's 24-hour window and no approved template is configured for this message"

// sendTemplate sends out as its approved template, once the window is
// known closed (detail says how, for the reason). Without a template the
// row fails for good, with the reason: retrying free text cannot work.
func (r *Runner) sendTemplate(ctx context.Context, ch Channel, out store.Outbound, detail string, log *slog.Logger) error {
	if out.ContentSID == "" || ch.Templates == nil {
		reason := ReasonNoTemplate + detail
		log.Warn("message not sent", "reason", reason)
		return r.fail(ctx, out, 0, reason, errors.New(reason))
	}
	providerID, err := ch.Templates.SendTemplate(ctx, out.To, out.ContentSID, out.ContentVariables)
	if err != nil {
		if ch.Permanent != nil && ch.Permanent(err) {
			log.Error("template failed permanently", "err", thread.MaskError(out.Thread, err))
			return r.fail(ctx, out, errorCode(err), "the approved template was refused: "+err.Error(), err)
		}
		log.Warn("template send failed; will retry", "err", thread.MaskError(out.Thread, err))
		r.Metrics.sent(out.Channel, "retry")
		return err
	}
	if err := r.Store.RecordPart(ctx, out.ID, 0, providerID, true); err != nil {
		return err
	}
	r.Metrics.sent(out.Channel, "sent")
	log.Info("sent as the approved template (outside the 24-hour window)")
	return nil
}

// fail marks out failed for good with reason, tells OnFailed, and returns
// an error wrapping queue.ErrPermanent (its job is not retried).
func (r *Runner) fail(ctx context.Context, out store.Outbound, code int, reason string, cause error) error {
	r.Metrics.sent(out.Channel, "failed")
	if err := r.Store.FailOutbound(ctx, out.ID, code, reason); err != nil {
		return err
	}
	if r.OnFailed != nil {
		r.OnFailed(ctx, out, reason)
	}
	return fmt.Errorf("%w: %v", queue.ErrPermanent, cause)
}
