package flows

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/store"
)

// MaxTurnMessages bounds the messages one turn passes to a flow: a merged
// burst, or what piled up while a sender was held over the rate limit.
// The agent answers the newest ones and acknowledges the older ones with a
// note (a flood is not worth a model request per message); the gym
// pipeline, where every message may be a workout, takes them in order,
// MaxTurnMessages at a time.
const MaxTurnMessages = 20

// noteSkipped tells a user who sent more than MaxTurnMessages at once what
// was answered.
const noteSkipped = "You sent %d messages at once; I've answered the latest %d. If an earlier one still needs an answer, please send it again."

// holdRecheck is how often the job keeping a rate-limit hold checks
// whether the sender is under the limit again.
const holdRecheck = 15 * time.Second

// boundTurn cuts pending to MaxTurnMessages. It returns the messages of the
// turn, the ones acknowledged without a turn, and when to run again.
func (r *Runner) boundTurn(th string, pending []store.Inbound, more time.Duration) (turn, skipped []store.Inbound, again time.Duration) {
	if len(pending) <= MaxTurnMessages {
		return pending, nil, more
	}
	if _, name := r.flowFor(th); name == "gym" {
		return pending[:MaxTurnMessages], nil, time.Millisecond
	}
	cut := len(pending) - MaxTurnMessages
	return pending[cut:], pending[:cut], more
}

// heldHere reports whether a job of this process keeps th's hold at now:
// it took the hold lease, which has not expired. The keeper itself comes
// back after the lease expired (holdThread), so it is never turned away.
func (r *Runner) heldHere(th string, now time.Time) bool {
	until, ok := r.holdUntil.Load(th)
	if !ok {
		return false
	}
	if now.Before(until.(time.Time)) {
		return true
	}
	r.holdUntil.CompareAndDelete(th, until)
	return false
}

// holdKey is the lease that names the one job keeping a thread's hold.
func holdKey(th string) string { return "hold:" + th }

// holdThread records the minute's notice and decides which job keeps the
// hold. The first job to take the hold lease keeps it and snoozes past the
// lease's expiry, so it can always take it again; a job that finds the
// lease held by another ends, since the keeper will process every pending
// message, its own included, when the hold ends. The hold is logged once
// per process when it starts, not on every recheck.
func (r *Runner) holdThread(ctx context.Context, th string, pending []store.Inbound, now time.Time, received int, log *slog.Logger) (time.Duration, error) {
	keeper, err := r.Store.AcquireLease(ctx, holdKey(th), r.holder(), now, holdRecheck)
	if err != nil {
		return 0, err
	}
	if !keeper {
		return 0, nil
	}
	r.holdUntil.Store(th, now.Add(holdRecheck))
	notice := r.RateLimitNotice
	if notice == "" {
		notice = DefaultRateLimitNotice
	}
	window := now.Truncate(time.Minute)
	last := pending[len(pending)-1]
	if _, err := r.Store.Complete(ctx, th, nil, []store.Outbound{r.reply(last, "ratelimit:"+strconv.FormatInt(window.Unix(), 10), notice)}); err != nil {
		return 0, err
	}
	if _, logged := r.held.LoadOrStore(th, struct{}{}); !logged {
		log.Warn("sender over the rate limit; holding messages", "received_last_minute", received, "limit", r.RateLimit)
		r.Metrics.rateLimited()
	}
	return holdRecheck + time.Second, nil
}
