package gymflow

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/switchboardhq/switchboard/thread"
)

// Per-member rate limits. In a group every member shares one thread, so a
// limit counted per thread lets one noisy member hold the whole group. The
// flow counts each member's messages instead, in fixed one-minute windows
// of the time each message was received, and reads at most
// Config.MemberRateLimit of them per window. The excess is dropped, not
// held back: the turn still takes every message in inbox order and the
// watermark still moves past them, so the other members' messages of the
// same turn are read as usual and nothing is reordered. The first dropped
// message of a window gets one notice naming the member; the rest are
// silent. Dropped messages never reach a model, so a member's cost is
// bounded by the limit whatever they send.
//
// The counts are checkpointed (State.Rates) with the ids they admitted, so
// a retried turn makes the same decisions: an id already admitted is
// admitted again, and the notice is given again for the same message.

// Rate is one member's count in the current window.
type Rate struct {
	// Window is the start of the minute counted.
	Window time.Time `json:"window"`
	// Admitted are the inbox ids read in the window (at most the limit).
	Admitted []int64 `json:"admitted"`
	// Noticed is the dropped id whose reply carries the notice.
	Noticed int64 `json:"noticed"`
}

// noticeRate is the notice given to a member over the limit.
const noticeRate = "%s, that's more than %d messages from you in a minute, so I'm leaving the rest of this minute's unread. If one of them was a workout, send it again in a minute."

// admit decides, in inbox order, which new messages are read. It returns
// the messages to read, the updated counts, the ids dropped, and the
// notices to give.
func (f *Flow) admit(msgs []Message, rates map[string]Rate) (keep []Message, next map[string]Rate, dropped []int64, notices []string) {
	limit := f.cfg.MemberRateLimit
	if limit <= 0 || len(msgs) == 0 {
		return msgs, rates, nil, nil
	}
	next = maps.Clone(rates)
	if next == nil {
		next = map[string]Rate{}
	}
	latest := time.Time{}
	for _, m := range msgs {
		window := m.SentAt.Truncate(time.Minute)
		if window.After(latest) {
			latest = window
		}
		r := next[m.Member]
		// a message from before the member's current window (a late
		// delivery) counts in the current one
		if window.After(r.Window) {
			r = Rate{Window: window}
		}
		switch {
		case slices.Contains(r.Admitted, m.Seq):
			keep = append(keep, m) // admitted by an earlier run of this turn
		case len(r.Admitted) < limit:
			r.Admitted = append(slices.Clone(r.Admitted), m.Seq)
			keep = append(keep, m)
		default:
			dropped = append(dropped, m.Seq)
			if r.Noticed == 0 {
				r.Noticed = m.Seq
			}
			if r.Noticed == m.Seq {
				notices = append(notices, fmt.Sprintf(noticeRate, memberCalled(m), limit))
				f.metrics.rateLimited()
				f.cfg.Logger.Warn("gym member over the rate limit; dropping their messages this minute",
					"member", thread.ID(m.Member), "limit", limit)
			}
		}
		next[m.Member] = r
	}
	// Only the current windows matter: older counts are forgotten, so the
	// map holds at most the members who wrote in the last minute.
	maps.DeleteFunc(next, func(_ string, r Rate) bool { return r.Window.Before(latest.Add(-time.Minute)) })
	return keep, next, dropped, notices
}

// memberCalled is how the notice names the member: their push name, or
// "Hey" when there is none (the member id is a phone number).
func memberCalled(m Message) string {
	if m.Name != "" {
		return m.Name
	}
	return "Hey"
}
