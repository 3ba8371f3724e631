package backend

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Group commits concurrent calls in batches: a call that arrives while a
// batch is being committed waits for the next batch, which takes every
// call waiting by then (up to Max). Idle, a call goes straight through as a
// batch of one; under load, many calls share one transaction, so the
// database pays for one commit, one lock round and one statement per batch
// instead of per call. That is what bounds the acknowledgement latency of
// webhooks at high concurrency: each one otherwise costs a transaction.
//
// Run commits a batch and returns one result per request, in order. When it
// fails for a batch of several, each request is retried alone, so one
// request the database refuses fails only its own call.
type Group[Req, Res any] struct {
	// Run commits reqs in one transaction and returns their results in the
	// same order.
	Run func(ctx context.Context, reqs []Req) ([]Res, error)
	// Max caps a batch; 0 means 128.
	Max int
	// Timeout bounds one batch's commit; 0 means 30s. The batch does not
	// run under any one caller's context, since a caller that gives up
	// must not fail the others.
	Timeout time.Duration

	mu      sync.Mutex
	waiting []*groupCall[Req, Res]
	busy    bool
}

type groupCall[Req, Res any] struct {
	ctx  context.Context
	req  Req
	res  Res
	err  error
	done chan struct{}
}

// Do adds req to the next batch and waits for its result, or for ctx to be
// done. A call abandoned through ctx may still be committed with its batch:
// callers must be idempotent, as a redelivered webhook is.
func (g *Group[Req, Res]) Do(ctx context.Context, req Req) (Res, error) {
	c := &groupCall[Req, Res]{ctx: ctx, req: req, done: make(chan struct{})}
	g.mu.Lock()
	g.waiting = append(g.waiting, c)
	if !g.busy {
		g.busy = true
		go g.drain(context.WithoutCancel(ctx))
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.res, c.err
	case <-ctx.Done():
		var zero Res
		return zero, ctx.Err()
	}
}

// drain commits batches until nobody waits. Exactly one drain runs at a
// time, so batches commit in arrival order.
func (g *Group[Req, Res]) drain(base context.Context) {
	for {
		g.mu.Lock()
		if len(g.waiting) == 0 {
			g.busy = false
			g.mu.Unlock()
			return
		}
		n := min(len(g.waiting), g.max())
		batch := make([]*groupCall[Req, Res], 0, n)
		for _, c := range g.waiting[:n] {
			if c.ctx.Err() == nil { // its caller is gone: nothing to commit
				batch = append(batch, c)
			}
		}
		g.waiting = append(g.waiting[:0], g.waiting[n:]...)
		g.mu.Unlock()
		g.commit(base, batch)
	}
}

func (g *Group[Req, Res]) commit(base context.Context, batch []*groupCall[Req, Res]) {
	if len(batch) == 0 {
		return
	}
	reqs := make([]Req, len(batch))
	for i, c := range batch {
		reqs[i] = c.req
	}
	res, err := g.run(base, reqs)
	if err != nil && len(batch) > 1 {
		for _, c := range batch {
			g.commit(base, []*groupCall[Req, Res]{c})
		}
		return
	}
	for i, c := range batch {
		if err != nil {
			c.err = err
		} else {
			c.res = res[i]
		}
		close(c.done)
	}
}

// run calls Run under the batch timeout, turning a panic or a short result
// into an error: a waiting caller must always be answered.
func (g *Group[Req, Res]) run(base context.Context, reqs []Req) (res []Res, err error) {
	timeout := g.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(base, timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("batch of %d panicked: %v", len(reqs), p)
		}
	}()
	res, err = g.Run(ctx, reqs)
	if err == nil && len(res) != len(reqs) {
		return nil, fmt.Errorf("batch of %d returned %d results", len(reqs), len(res))
	}
	return res, err
}

func (g *Group[Req, Res]) max() int {
	if g.Max <= 0 {
		return 128
	}
	return g.Max
}
