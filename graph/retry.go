package graph

import (
	"context"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how often and when a failing node is run again within
// the same step. The zero value runs a node once.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt; 0 or 1 means no retry.
	MaxAttempts int
	// InitialBackoff is the wait before the second attempt (default 100ms);
	// each later wait is Multiplier (default 2) times longer, up to
	// MaxBackoff (default 10s), with up to 20% random jitter.
	InitialBackoff time.Duration
	MaxBackoff     time.Duration
	Multiplier     float64
	// RetryIf decides which errors are worth retrying; nil retries all but
	// cancellation of the run itself.
	RetryIf func(error) bool
}

func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.InitialBackoff
	if d <= 0 {
		d = 100 * time.Millisecond
	}
	maxd := p.MaxBackoff
	if maxd <= 0 {
		maxd = 10 * time.Second
	}
	mult := p.Multiplier
	if mult <= 0 {
		mult = 2
	}
	for i := 1; i < attempt && d < maxd; i++ {
		d = time.Duration(float64(d) * mult)
	}
	d = min(d, maxd)
	return d - time.Duration(rand.Float64()*0.2*float64(d))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
