package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The flood mode (-mode flood) measures what one sender flooding the
// webhook costs everyone else. -flood-senders senders talk normally: each
// sends a message, waits for its reply, pauses -flood-gap, and again,
// -flood-turns times. In a "calm" run that is all; in a "flood" run one
// more sender posts -flood messages at once (at concurrency -c) meanwhile,
// and the others keep talking at least until the flood has been sent. The
// runs alternate, calm and flood, -flood-runs times each (A/B in one
// sitting, each against a fresh assistant and database, with the
// assistant's default RATE_LIMIT_PER_MINUTE), and the others' reply times
// (webhook POST to the reply at the fake Twilio) are compared: the target
// is a flood p95 within twice the calm one.

// Kinds of flood-mode run.
const (
	floodCalm = "calm"
	floodOn   = "flood"
)

// floodResult is one run's measurements.
type floodResult struct {
	kind  string
	reply dist // the normal senders' reply times
	ack   dist // of which the webhook's acknowledgement
}

// floodTurnCap bounds a normal sender's turns in a flood run, which go on
// until the flood has been sent: a multiple of -flood-turns.
const floodTurnCap = 20

// floodSize is how many messages the tracker of a flood-mode run must hold:
// the normal senders' turns, then the flood.
func floodSize(o options) int { return o.floodSenders*o.floodTurns*floodTurnCap + o.flood }

// runFlood runs one calm or flood run against e.
func runFlood(ctx context.Context, o options, e *env, kind string, stdout io.Writer) (floodResult, error) {
	senders, turns := o.floodSenders, o.floodTurns
	maxTurns := turns * floodTurnCap
	flooder := senders // the flooding sender's thread
	base := senders * maxTurns
	fmt.Fprintf(stdout, "  plan: %d senders, %d turns each %s apart", senders, turns, o.floodGap)
	if kind == floodOn {
		fmt.Fprintf(stdout, " (more until the flood is sent); meanwhile %d messages from one sender at concurrency %d", o.flood, o.concurrency)
	}
	fmt.Fprintln(stdout)

	var floodDone atomic.Bool
	var floodAcked, floodRefused atomic.Int64
	var floodTime time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	if kind == floodOn {
		reqs := make([][]byte, o.flood)
		for j := range reqs {
			reqs[j] = rawRequest(e.asst.Addr, prepare(base+j, flooder, "flood"))
		}
		var next atomic.Int64
		var fw sync.WaitGroup
		for range o.concurrency {
			fw.Go(func() {
				conn := &rawConn{addr: e.asst.Addr}
				defer conn.close()
				for {
					j := int(next.Add(1)) - 1
					if j >= len(reqs) || ctx.Err() != nil {
						return
					}
					if code, _, _ := conn.do(ctx, reqs[j]); code == http.StatusOK {
						floodAcked.Add(1)
					} else {
						floodRefused.Add(1)
					}
				}
			})
		}
		wg.Go(func() {
			fw.Wait()
			floodTime = time.Since(start)
			floodDone.Store(true)
		})
	} else {
		floodDone.Store(true)
	}

	var mu sync.Mutex
	var times, acks []time.Duration
	var firstErr error
	client := newClient(senders)
	defer client.CloseIdleConnections()
	for s := range senders {
		wg.Go(func() {
			// Spread the senders over the gap, so they do not all
			// write in the same instant.
			select {
			case <-time.After(o.floodGap * time.Duration(s) / time.Duration(senders)):
			case <-ctx.Done():
				return
			}
			for k := 0; k < maxTurns && (k < turns || !floodDone.Load()) && ctx.Err() == nil; k++ {
				id := k*senders + s
				d := prepare(id, s, "how are you?")
				begin := time.Now()
				code, ack, err := post(ctx, client, e.asst.Addr, d)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("webhook answered %d", code)
				}
				if err == nil {
					select {
					case <-e.track.done[id]:
					case <-time.After(60 * time.Second):
						err = fmt.Errorf("no reply to message %d within 60 s", id)
					case <-ctx.Done():
						err = ctx.Err()
					}
				}
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("sender %d: %w", s, err)
					}
					mu.Unlock()
					return
				}
				times = append(times, e.track.turn(id).ReplyAt.Sub(begin))
				acks = append(acks, ack)
				mu.Unlock()
				select {
				case <-time.After(o.floodGap):
				case <-ctx.Done():
				}
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return floodResult{}, &failure{fmt.Sprintf("flood (%s run): %v", kind, firstErr)}
	}
	r := floodResult{kind: kind, reply: summarize(times), ack: summarize(acks)}
	fmt.Fprintf(stdout, "  the others' reply time (POST → reply at Twilio), %d turns in %.1fs: %s\n",
		r.reply.N, time.Since(start).Seconds(), r.reply)
	fmt.Fprintf(stdout, "    of which the webhook's acknowledgement: %s\n", r.ack)
	if kind == floodOn {
		// The flooder's replies: the rate limit's notice and catch-ups.
		fmt.Fprintf(stdout, "  flood: %d acknowledged, %d refused, sent in %.1fs; %d of its messages answered\n",
			floodAcked.Load(), floodRefused.Load(), floodTime.Seconds(), e.track.answered(base+o.flood)-e.track.answered(base))
	}
	return r, nil
}

// floodVerdict compares the calm and flood runs: the mean of each kind's
// p95, and whether the flood's is within twice the calm one.
func floodVerdict(results []floodResult, stdout io.Writer) {
	p95 := map[string][]time.Duration{}
	for _, r := range results {
		p95[r.kind] = append(p95[r.kind], r.reply.P95)
	}
	calm, flood := mean(p95[floodCalm]), mean(p95[floodOn])
	if calm == 0 || flood == 0 {
		return
	}
	fmt.Fprintf(stdout, "flood verdict: the others' p95 reply time %s calm (runs %v), %s with the flood (runs %v): %.2f×; target ≤ 2×: %s\n",
		calm.Round(time.Millisecond), p95[floodCalm], flood.Round(time.Millisecond), p95[floodOn],
		float64(flood)/float64(calm), yesNo(flood <= 2*calm))
}

// mean is the mean of ds, 0 for none.
func mean(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return sum / time.Duration(len(ds))
}
