package flows

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/store"
)

// ReadMarker is a Sender that can tell the user their messages were read,
// and that an answer is being written (WhatsApp Cloud API's mark-as-read
// with the typing indicator). The runner calls it when a turn starts.
type ReadMarker interface {
	MarkRead(ctx context.Context, messageID string, typing bool) error
}

// markReadTimeout bounds the mark-as-read call: it only costs the blue
// ticks, and must not hold up the turn.
const markReadTimeout = 5 * time.Second

// typing reports whether the user may see "typing…" while the turn runs:
// not on a thread handed to a person, where the assistant stays silent
// (the person's own answer comes from their phone). If the hand-off
// cannot be read, the turn's own check will say so; the indicator is then
// left off.
func (r *Runner) typing(ctx context.Context, th string) bool {
	if r.Handoff == nil {
		return true
	}
	held, err := r.Handoff.Held(ctx, th)
	return err == nil && !held
}

// markRead marks the newest message of the turn read (which marks the ones
// before it too), when its channel's sender can. A failure is logged and
// the turn goes on.
func (r *Runner) markRead(ctx context.Context, last store.Inbound, typing bool, log *slog.Logger) {
	rm, ok := r.Channels[last.Channel].Sender.(ReadMarker)
	if !ok || last.ProviderID == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, markReadTimeout)
	defer cancel()
	if err := rm.MarkRead(ctx, last.ProviderID, typing); err != nil {
		log.Warn("mark as read failed", "channel", last.Channel, "err", err)
	}
}
