package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// turnTimes is one measured turn.
type turnTimes struct {
	overhead, total, ack, toModel, model, afterModel time.Duration
}

// runE2E runs turns at low concurrency and measures the runtime's overhead
// per turn: webhook POST start to the fake Twilio receiving the reply,
// minus the fake model's time.
func runE2E(ctx context.Context, o options, e *env, stdout io.Writer) error {
	total := o.warmup + o.turns
	fmt.Fprintf(stdout, "  plan: %d turns (+%d warm-up) over %d threads, %d in flight, gap %s\n",
		o.turns, o.warmup, o.e2eThreads, o.e2eC, o.gap)
	client := newClient(o.e2eC)
	defer client.CloseIdleConnections()

	// Worker w runs the turns of the threads t with t % e2eC == w, in order.
	times := make([]turnTimes, total)
	measured := make([]bool, total)
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
		}
	}
	var wg sync.WaitGroup
	cpu0 := e.cpu()
	for w := range o.e2eC {
		wg.Go(func() {
			for i := range total {
				th := i % o.e2eThreads
				if th%o.e2eC != w {
					continue
				}
				if ctx.Err() != nil {
					return
				}
				tt, err := oneTurn(ctx, client, e, i, th)
				if err != nil {
					fail(fmt.Errorf("turn %d: %w", i, err))
					return
				}
				times[i], measured[i] = tt, i >= o.warmup
				if o.gap > 0 {
					time.Sleep(o.gap)
				}
			}
		})
	}
	wg.Wait()
	cpu1 := e.cpu()
	if firstErr != nil {
		return &failure{fmt.Sprintf("e2e: %v", firstErr)}
	}
	var over, tot, ack, toModel, model, after []time.Duration
	for i, t := range times {
		if !measured[i] {
			continue
		}
		over, tot, ack = append(over, t.overhead), append(tot, t.total), append(ack, t.ack)
		toModel, model, after = append(toModel, t.toModel), append(model, t.model), append(after, t.afterModel)
	}
	// Late extras.
	select {
	case <-time.After(time.Second):
	case <-ctx.Done():
	}
	out := e.track.outcome(total)
	d := summarize(over)
	fmt.Fprintf(stdout, "  runtime overhead per turn (webhook POST → reply at Twilio, minus model time): %s\n", d)
	fmt.Fprintf(stdout, "    whole turn:                     %s\n", summarize(tot))
	fmt.Fprintf(stdout, "    webhook ack:                    %s\n", summarize(ack))
	fmt.Fprintf(stdout, "    POST start → model request:     %s\n", summarize(toModel))
	fmt.Fprintf(stdout, "    model time (fake):              %s\n", summarize(model))
	fmt.Fprintf(stdout, "    model answer → send at Twilio:  %s\n", summarize(after))
	fmt.Fprintf(stdout, "  %s\n", cpuReport(cpu0, cpu1, total, "turn"))
	fmt.Fprintf(stdout, "  lost: %d  duplicated: %d  (outbound sends: %d, merged replies: %d, stray replies: %d)\n",
		out.Lost, out.Duplicated, out.Sends, out.Merged, out.Stray)
	fmt.Fprintf(stdout, "  targets: overhead p50 < 5ms: %s\n", yesNo(d.P50 < 5*time.Millisecond))
	if out.Lost > 0 || out.Duplicated > 0 {
		return &failure{fmt.Sprintf("e2e: %d lost, %d duplicated", out.Lost, out.Duplicated)}
	}
	return nil
}

// oneTurn posts message i on thread th and waits (at most 30 s) for its
// reply.
func oneTurn(ctx context.Context, client *http.Client, e *env, i, th int) (turnTimes, error) {
	d := prepare(i, th, "how are you?")
	start := time.Now()
	code, ack, err := post(ctx, client, e.asst.Addr, d)
	if err != nil {
		return turnTimes{}, err
	}
	if code != http.StatusOK {
		return turnTimes{}, fmt.Errorf("webhook answered %d", code)
	}
	select {
	case <-e.track.done[i]:
	case <-time.After(30 * time.Second):
		return turnTimes{}, fmt.Errorf("no reply to message %d within 30 s", i)
	case <-ctx.Done():
		return turnTimes{}, fmt.Errorf("wait for reply: %w", ctx.Err())
	}
	t := e.track.turn(i)
	if t.ModelCalls == 0 {
		return turnTimes{}, fmt.Errorf("message %d was answered without a model call naming it", i)
	}
	total := t.ReplyAt.Sub(start)
	return turnTimes{
		overhead:   total - t.ModelTime,
		total:      total,
		ack:        ack,
		toModel:    t.ModelIn.Sub(start),
		model:      t.ModelTime,
		afterModel: t.ReplyAt.Sub(t.ModelOut),
	}, nil
}
