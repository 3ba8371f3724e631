// Package retry is the one retry policy of the module: graph retries a
// failing node with it (graph.RetryPolicy) and llm a failing model call
// (llm.RetryPolicy); both names are aliases of [Policy].
//
// Waits are "equal jitter" exponential backoff, every wait and attempt is
// bounded by the caller's context, and the last error is always returned.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Default delays of a Policy that leaves them zero.
const (
	DefaultBaseDelay = 500 * time.Millisecond
	DefaultMaxDelay  = 20 * time.Second
)

// ErrAttemptTimeout is the cause of an attempt's context when
// Policy.AttemptTimeout expires (context.Cause).
var ErrAttemptTimeout = errors.New("attempt timed out")

// Policy says how often and when a failing operation is tried again. The
// zero value tries once.
//
// An error is retried when RetryIf says so, up to MaxAttempts attempts in
// all. The wait before retry n (n = 1, 2, ...) is half of
// min(MaxDelay, BaseDelay·2^(n-1)) plus a random part of the other half.
// When RetryAfter reports a wait the error asks for, the wait is that value
// plus up to 10% jitter; if it exceeds MaxDelay the error is returned at
// once instead, since waiting less than asked is pointless.
type Policy struct {
	// MaxAttempts is the total number of attempts, first included. Values
	// below 1 mean 1 (no retry).
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (default 500ms).
	BaseDelay time.Duration
	// MaxDelay caps the backoff and the RetryAfter that is honoured
	// (default 20s).
	MaxDelay time.Duration
	// AttemptTimeout bounds each attempt; 0 means only the caller's context
	// bounds it. The attempt's context is then cancelled with cause
	// ErrAttemptTimeout.
	AttemptTimeout time.Duration
	// RetryIf decides which errors are worth retrying; nil retries every
	// error. The caller's own cancellation is never retried.
	RetryIf func(error) bool
	// RetryAfter returns the wait an error asks for (a provider's
	// Retry-After), or 0; nil means none ever does.
	RetryAfter func(error) time.Duration
	// OnRetry, when set, is called before each wait with the attempt that
	// failed (1-based), its error and the wait. Useful for logs and metrics.
	OnRetry func(attempt int, err error, wait time.Duration)
	// Sleep waits d or until ctx is done; nil means [Sleep]. Tests replace
	// it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1); nil means math/rand/v2.
	Jitter func() float64
}

// Delay returns the wait before retry number retry (1-based) after err.
// The second result is false when err asks for a wait longer than MaxDelay.
func (p Policy) Delay(retry int, err error) (time.Duration, bool) {
	jitter := p.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	maxDelay := p.MaxDelay
	if maxDelay <= 0 {
		maxDelay = DefaultMaxDelay
	}
	if p.RetryAfter != nil {
		if ra := p.RetryAfter(err); ra > 0 {
			if ra > maxDelay {
				return 0, false
			}
			return ra + time.Duration(jitter()*0.1*float64(ra)), true
		}
	}
	base := p.BaseDelay
	if base <= 0 {
		base = DefaultBaseDelay
	}
	d := base
	for i := 1; i < retry && d < maxDelay; i++ {
		d *= 2
	}
	d = min(d, maxDelay)
	return d/2 + time.Duration(jitter()*float64(d/2)), true
}

// Do runs fn until it succeeds, fails with an error that is not retried,
// or the attempts are spent; it returns fn's last error (joined with the
// context's error when the caller gave up during a wait). Each attempt gets
// its own context, bounded by AttemptTimeout.
func (p Policy) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts := max(p.MaxAttempts, 1)
	sleep := p.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	for attempt := 1; ; attempt++ {
		err := p.attempt(ctx, fn)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil || attempt >= attempts || (p.RetryIf != nil && !p.RetryIf(err)) {
			return err
		}
		wait, ok := p.Delay(attempt, err)
		if !ok {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, err, wait)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

func (p Policy) attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	if p.AttemptTimeout <= 0 {
		return fn(ctx)
	}
	actx, cancel := context.WithTimeoutCause(ctx, p.AttemptTimeout, ErrAttemptTimeout)
	defer cancel()
	return fn(actx)
}

// Sleep waits d, or until ctx is done and then returns its error.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
