package flows

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// defaultMaxLength splits replies for channels that do not say.
const defaultMaxLength = 1600

// SendReply sends an outbox row, part by part: each part only after the
// channel accepted the previous one, and a part recorded as accepted is
// never sent again. A permanent failure marks the row failed and is not
// retried. It is the reply's job; the run that recorded the reply has
// usually sent it already, and a read says so without the two writes (two
// commits) of taking and releasing the reply's lease.
func (r *Runner) SendReply(ctx context.Context, id int64) (time.Duration, error) {
	if out, err := r.Store.Outbound(ctx, id); settled(out, err) {
		return 0, nil
	}
	return r.sendOnce(ctx, id)
}

// settled reports a reply with nothing left to send: its thread erased,
// or the reply sent or failed for good. Any other error decides nothing.
func settled(out store.Outbound, err error) bool {
	return errors.Is(err, store.ErrNotFound) || err == nil && out.Status != store.StatusPending
}

// sendOnce sends the reply under its lease, so the run that recorded it and
// the reply's send job never send it both.
func (r *Runner) sendOnce(ctx context.Context, id int64) (time.Duration, error) {
	key := "outbox:" + strconv.FormatInt(id, 10)
	holder := r.holder()
	ok, err := r.Store.AcquireLease(ctx, key, holder, r.now(), r.leaseTTL())
	if err != nil {
		return 0, err
	}
	if !ok {
		return waitEarlierReply, nil
	}
	defer func() {
		if err := r.releaseLease(ctx, key, holder); err != nil {
			r.log().Warn("release reply lease", "outbox_id", id, "err", err)
		}
	}()
	return r.sendReply(ctx, id)
}

func (r *Runner) sendReply(ctx context.Context, id int64) (time.Duration, error) {
	// Read again under the lease: an earlier attempt may have sent it.
	out, err := r.Store.Outbound(ctx, id)
	if settled(out, err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	// A thread's replies go out in order: wait while an older one is still
	// being sent (its own job sends it, with its own retries).
	oldest, err := r.Store.OldestPending(ctx, out.Thread)
	if err != nil {
		return 0, thread.MaskError(out.Thread, err)
	}
	if oldest != 0 && oldest < id {
		return waitEarlierReply, nil
	}
	return 0, thread.MaskError(out.Thread, r.send(ctx, out))
}

// waitEarlierReply is how soon a reply's job looks again while an older
// reply of its thread is still pending.
const waitEarlierReply = 250 * time.Millisecond

func (r *Runner) send(ctx context.Context, out store.Outbound) error {
	id := out.ID
	ch := r.Channels[out.Channel]
	via := out.Channel
	if ch.Sender == nil {
		via = devOutbox
	}
	log := r.log().With("thread", thread.ID(out.Thread), "outbox_id", id, "channel", via)
	if out.PartsSent == 0 && ch.Window > 0 && ch.Sender != nil {
		open, err := r.windowOpen(ctx, ch, out)
		if err != nil {
			return err
		}
		if !open {
			return r.sendTemplate(ctx, ch, out, "", log)
		}
	}
	// A spoken reply's voice note is part 0; it is made (or found) only
	// while nothing of the reply was sent. When that fails, voiceNote
	// records the fallback and out.Voice is "" after it: the reply goes as
	// text. (voiceNote also checked that the sender is a VoiceSender.)
	var note webhooks.VoiceNote
	if out.Voice != "" && out.PartsSent == 0 {
		var err error
		if note, err = r.voiceNote(ctx, ch, &out, log); err != nil {
			return err
		}
	}
	texts := r.textParts(ch, out)
	offset := 0
	if out.Voice != "" {
		offset = 1
		if out.Voice == store.VoiceOnly {
			texts = nil
		}
	}
	total := offset + len(texts)
	for i := out.PartsSent; i < total; i++ {
		var providerID string
		var err error
		if i < offset {
			providerID, err = ch.Sender.(VoiceSender).SendVoice(ctx, out.To, note)
		} else {
			providerID, err = r.deliver(ctx, ch, out, texts[i-offset])
		}
		if err != nil {
			if i == 0 && ch.OutsideWindow != nil && ch.OutsideWindow(err) {
				// The channel says the window is closed (our clock and
				// its may differ at the edge): the template, if any, is
				// the way; never the same free text again.
				return r.sendTemplate(ctx, ch, out, fmt.Sprintf(" (error %d)", errorCode(err)), log)
			}
			permanent := ch.Permanent != nil && ch.Permanent(err)
			if permanent && i < offset {
				// The channel refused the voice note for good: the text
				// alone still answers.
				if ferr := r.textOnly(ctx, &out, fmt.Sprintf("voice note refused: %v", err), log); ferr != nil {
					return ferr
				}
				return r.send(ctx, out)
			}
			if permanent {
				log.Error("reply failed permanently", "part", i, "err", thread.MaskError(out.Thread, err))
				return r.fail(ctx, out, errorCode(err), err.Error(), err)
			}
			log.Warn("reply send failed; will retry", "part", i, "err", thread.MaskError(out.Thread, err))
			r.Metrics.sent(out.Channel, "retry")
			return err
		}
		// The channel accepted the part: recording it is tried again for
		// half the reply's lease (which keeps another process from
		// sending it meanwhile), since a part left unrecorded is sent
		// twice.
		last := i == total-1
		if err := persist(ctx, r.leaseTTL()/2, func(ctx context.Context) error {
			return r.Store.RecordPart(ctx, id, i, providerID, last)
		}); err != nil {
			return err
		}
		if i < offset {
			r.Metrics.voice("spoken")
		}
	}
	r.Metrics.sent(out.Channel, "sent")
	log.Info("reply sent", "parts", total, "voice", out.Voice != "")
	return nil
}

// textParts splits the reply's text for its channel.
func (r *Runner) textParts(ch Channel, out store.Outbound) []string {
	limit := ch.MaxLength
	if limit <= 0 {
		limit = defaultMaxLength
	}
	parts := webhooks.Split(out.Body, limit)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	return parts
}

func (r *Runner) deliver(ctx context.Context, ch Channel, out store.Outbound, body string) (string, error) {
	if ch.Sender != nil {
		return ch.Sender.Send(ctx, out.To, body)
	}
	// The dev outbox: without channel credentials, replies go to the log
	// so the whole path runs locally. Their text obeys LOG_MESSAGE_CONTENT
	// like every other line: the same binary runs in production.
	attrs := []any{"thread", thread.ID(out.Thread), "outbox_id", out.ID, "channel", devOutbox}
	if r.LogContent {
		attrs = append(attrs, "body", body)
	} else {
		attrs = append(attrs, "chars", utf8.RuneCountInString(body), "hint", "LOG_MESSAGE_CONTENT=true shows the text here")
	}
	r.log().Info("dev outbox: reply not sent, "+out.Channel+" has no credentials configured", attrs...)
	return devProviderID(), nil
}

// devOutbox names the dev outbox in logs, in place of the channel it stands
// in for.
const devOutbox = "dev outbox"

// devProviderID names a dev-outbox message. Provider ids are unique per
// channel in the store, so they must not repeat across restarts or
// processes sharing a database: a random id does that, where a counter
// would start again at 1.
func devProviderID() string {
	return "dev-" + rand.Text()
}

// errorCode extracts a channel's numeric error code when the error has one.
func errorCode(err error) int {
	var c interface{ ErrorCode() int }
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return 0
}
