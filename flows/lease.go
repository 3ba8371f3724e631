package flows

import (
	"context"
	"time"
)

// releaseLease gives up the lease key that holder holds. A release that
// fails (the database unreachable for a moment) is tried again, 100 ms,
// 200 ms … at most 2 s apart, while ctx lasts and until the lease would
// have expired anyway: left in place, the lease would keep the thread (or
// the reply) waiting for its whole TTL after the database came back. The
// chaos run's PostgreSQL restart showed it: the threads in flight at the
// crash stayed silent for 30 s after the server was back.
func (r *Runner) releaseLease(ctx context.Context, key, holder string) error {
	// The first attempt runs even when ctx is done (a job that timed out
	// still gives its lease back); the retries only while it lasts.
	rctx := context.WithoutCancel(ctx)
	err := r.Store.ReleaseLease(rctx, key, holder)
	deadline := time.Now().Add(r.leaseTTL())
	for wait := 100 * time.Millisecond; err != nil && time.Now().Add(wait).Before(deadline); wait = min(2*wait, 2*time.Second) {
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		err = r.Store.ReleaseLease(rctx, key, holder)
	}
	return err
}
