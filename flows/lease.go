package flows

import (
	"context"
	"time"
)

// persist runs fn, a database write that must not be lost, and runs it
// again while it fails: 100 ms, 200 ms … at most 2 s apart, while ctx
// lasts and until d has passed. The first attempt runs even when ctx is
// done (a job that timed out still records what it did), the retries
// only while it lasts. It returns fn's last error.
//
// The chaos run's PostgreSQL restart showed why: a write that fails for a
// moment (the server restarting, a pooled connection that died with it)
// left a lease holding its thread for the whole TTL, and a reply the
// channel had accepted unrecorded, so its job sent it again.
func persist(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	wctx := context.WithoutCancel(ctx)
	err := fn(wctx)
	deadline := time.Now().Add(d)
	for wait := 100 * time.Millisecond; err != nil && time.Now().Add(wait).Before(deadline); wait = min(2*wait, 2*time.Second) {
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		err = fn(wctx)
	}
	return err
}

// releaseLease gives up the lease key that holder holds, trying until the
// lease would have expired anyway: left in place, it would keep the thread
// (or the reply) waiting for its whole TTL after the database came back.
func (r *Runner) releaseLease(ctx context.Context, key, holder string) error {
	return persist(ctx, r.leaseTTL(), func(ctx context.Context) error {
		return r.Store.ReleaseLease(ctx, key, holder)
	})
}
