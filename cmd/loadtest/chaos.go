package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The chaos mode (-mode chaos) sends the ack plan while it kills the
// assistant with SIGKILL -kills times (and restarts it) and restarts the
// PostgreSQL server -pg-restarts times (as in a crash, down for -pg-down),
// optionally with a second `assistant serve` on the same PostgreSQL
// database (-processes 2: the one killed is always the first, the other
// keeps serving) and the fake Twilio failing a fraction -send-fail of
// sends with a 500. A
// delivery that is not answered 200 (the process is down) is re-sent, to
// the other process when there is one, until it is: as Twilio's fallback
// would, and as a retried delivery must, it may reach a message that was
// stored before the connection died. Then it checks that every message was
// answered exactly once and that a thread's replies came in the order its
// messages were accepted, and reports each disruption's recovery: how long
// until the assistant was ready again, and until every message
// acknowledged before it was answered.

// Kinds of disruption.
const (
	disruptKill      = "SIGKILL of process 1"
	disruptPGRestart = "PostgreSQL crash and restart"
)

// chaosKill is what one disruption (a kill, or a database restart) cost.
type chaosKill struct {
	kind        string
	at          time.Time
	ackedBefore int           // messages acknowledged before it
	ready       time.Duration // start → every process ready again
	caughtUp    time.Duration // start → every message acked before it answered
}

// disruption is one planned kill or restart: it starts once due messages
// have been acknowledged.
type disruption struct {
	kind string
	due  int64
}

// schedule spreads kills SIGKILLs over the run at ¼, ½, ¾ … of n, and
// restarts of the database between them (at ⅜ for one restart among three
// kills), sorted by when they are due.
func schedule(n, kills, restarts int) []disruption {
	var out []disruption
	for k := range kills {
		out = append(out, disruption{disruptKill, int64((k + 1) * n / (kills + 1))})
	}
	offset := 0.0
	if kills > 0 {
		offset = 0.5 / float64(kills+1)
	}
	for r := range restarts {
		at := float64(r+1)/float64(restarts+1) - offset
		out = append(out, disruption{disruptPGRestart, int64(at * float64(n))})
	}
	slices.SortStableFunc(out, func(a, b disruption) int { return int(a.due - b.due) })
	return out
}

// chaosRun is the state of one chaos run, shared by the senders and the
// killer.
type chaosRun struct {
	o     options
	e     *env
	plan  []delivery
	addrs []string

	acked   atomic.Int64
	ackedAt []atomic.Int64 // unix nanos of the first 200 per message, 0 before
	firstAt []atomic.Int64 // unix nanos of the first attempt per message
	resent  atomic.Int64   // deliveries sent again after a failure
}

func (c *chaosRun) sendAll(ctx context.Context) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range c.o.concurrency {
		wg.Go(func() {
			conns := make([]*rawConn, len(c.addrs))
			for i, a := range c.addrs {
				conns[i] = &rawConn{addr: a}
			}
			defer func() {
				for _, cn := range conns {
					cn.close()
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(c.plan) || ctx.Err() != nil {
					return
				}
				d := c.plan[i]
				c.firstAt[d.msg].CompareAndSwap(0, time.Now().UnixNano())
				for attempt := 0; ctx.Err() == nil; attempt++ {
					k := (w + i + attempt) % len(conns)
					req := rawRequest(conns[k].addr, d)
					code, _, _ := conns[k].do(ctx, req)
					if code == http.StatusOK {
						if c.ackedAt[d.msg].CompareAndSwap(0, time.Now().UnixNano()) {
							c.acked.Add(1)
						}
						break
					}
					c.resent.Add(1)
					select {
					case <-ctx.Done():
					case <-time.After(100 * time.Millisecond):
					}
				}
			}
		})
	}
	wg.Wait()
}

// disrupt runs act (a kill and restart, or a database restart), which
// returns once the assistant is ready again, and returns a channel that
// yields the disruption's measurements once every message acknowledged
// before it was answered (or -drain ran out).
func (c *chaosRun) disrupt(ctx context.Context, kind string, act func(context.Context) error) (<-chan chaosKill, error) {
	k := chaosKill{kind: kind, at: time.Now(), ackedBefore: int(c.acked.Load())}
	var before []int
	for m := range c.ackedAt {
		if c.ackedAt[m].Load() != 0 {
			before = append(before, m)
		}
	}
	if err := act(ctx); err != nil {
		return nil, err
	}
	k.ready = time.Since(k.at)
	out := make(chan chaosKill, 1)
	go func() {
		deadline := time.Now().Add(c.o.drain)
		for ctx.Err() == nil && time.Now().Before(deadline) {
			if !slices.ContainsFunc(before, func(m int) bool { return c.e.track.turn(m).Replies == 0 }) {
				k.caughtUp = time.Since(k.at)
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		out <- k
	}()
	return out, nil
}

// outOfOrder counts pairs of one thread's messages whose replies came in
// the other order than the messages were accepted: a before b when a was
// acknowledged before b's first attempt began.
func (c *chaosRun) outOfOrder(threads int) int {
	byThread := map[int][]int{}
	for m := range c.ackedAt {
		byThread[m%threads] = append(byThread[m%threads], m)
	}
	bad := 0
	for _, ms := range byThread {
		for _, a := range ms {
			for _, b := range ms {
				ackA, firstB := c.ackedAt[a].Load(), c.firstAt[b].Load()
				if a == b || ackA == 0 || firstB == 0 || ackA >= firstB {
					continue
				}
				ra, rb := c.e.track.turn(a).ReplyAt, c.e.track.turn(b).ReplyAt
				if !ra.IsZero() && !rb.IsZero() && rb.Before(ra) {
					bad++
				}
			}
		}
	}
	return bad
}

// killer is what runChaos does to the system: kill (and restart) the first
// process, restart the database.
type killer struct {
	kill, pgRestart func(context.Context) error
}

// runChaos runs the chaos mode against e.
func runChaos(ctx context.Context, o options, e *env, addrs []string, k killer, stdout io.Writer) error {
	c := &chaosRun{o: o, e: e, plan: scriptedPlan(e.channel, o.n, o.threads, o.concurrency, o.dup, e.script.text), addrs: addrs,
		ackedAt: make([]atomic.Int64, o.n), firstAt: make([]atomic.Int64, o.n)}
	fmt.Fprintf(stdout, "  plan: %d unique messages + %d duplicate deliveries, %d threads, concurrency %d; %d SIGKILLs of process 1 of %d; %d PostgreSQL restarts (down %s); %.0f%% of sends fail\n",
		o.n, len(c.plan)-o.n, min(o.threads, o.n), o.concurrency, o.kills, len(addrs), o.pgRestarts, o.pgDown, o.sendFail*100)
	sendCtx, stop := context.WithTimeout(ctx, o.maxSend)
	defer stop()
	start := time.Now()
	sent := make(chan struct{})
	var sendTime time.Duration
	go func() {
		c.sendAll(sendCtx)
		sendTime = time.Since(start)
		close(sent)
	}()
	var pending []<-chan chaosKill
	for _, d := range schedule(o.n, o.kills, o.pgRestarts) {
		for c.acked.Load() < d.due && sendCtx.Err() == nil {
			time.Sleep(10 * time.Millisecond)
		}
		if sendCtx.Err() != nil {
			break
		}
		act := k.kill
		if d.kind == disruptPGRestart {
			act = k.pgRestart
		}
		kill, err := c.disrupt(ctx, d.kind, act)
		if err != nil {
			stop()
			<-sent
			return err
		}
		pending = append(pending, kill)
	}
	<-sent
	acked := int(c.acked.Load())
	fmt.Fprintf(stdout, "  %d of %d messages acknowledged in %.1fs; %d deliveries re-sent after a failure\n",
		acked, o.n, sendTime.Seconds(), c.resent.Load())
	deadline := time.Now().Add(o.drain)
	for e.track.answered(o.n) < acked && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	if o.settle > 0 {
		select {
		case <-time.After(o.settle):
		case <-ctx.Done():
		}
	}
	var kills []chaosKill
	for _, k := range pending {
		kills = append(kills, <-k)
	}
	out := e.track.outcome(o.n)
	lost := 0
	for m := range c.ackedAt {
		if c.ackedAt[m].Load() != 0 && e.track.turn(m).Replies == 0 {
			lost++
		}
	}
	order := c.outOfOrder(o.threads)
	// A reply the channel's API accepted in the instant before a SIGKILL
	// (or the database went down), before the process recorded it, is sent
	// again by the retried job: Twilio's Messages API takes no idempotency
	// key. Those duplicates, whose first send came before a disruption
	// and the next after it, are counted apart (with how long before the
	// disruption the first went); any other fails the run.
	atKill := 0
	var before time.Duration
	for m := range o.n {
		tr := e.track.turn(m)
		if tr.Replies < 2 {
			continue
		}
		i := slices.IndexFunc(kills, func(k chaosKill) bool {
			return !tr.ReplyAt.After(k.at) && !tr.LastReplyAt.Before(k.at)
		})
		if i < 0 {
			fmt.Fprintf(stdout, "  message %d (thread %d) answered %d times, %.3fs and %.3fs after the first send, not across a disruption\n",
				m, m%o.threads, tr.Replies, tr.ReplyAt.Sub(start).Seconds(), tr.LastReplyAt.Sub(start).Seconds())
			continue
		}
		atKill++
		before = max(before, kills[i].at.Sub(tr.ReplyAt))
	}
	fmt.Fprintf(stdout, "  answered %d; lost (acknowledged, never answered): %d; duplicated: %d (of which first sent before a kill or restart and again after it: %d, at most %.2fs before it); out of order: %d; last reply %.1fs after the first send\n",
		e.track.answered(o.n), lost, out.Duplicated, atKill, before.Seconds(), order, out.LastReply.Sub(start).Seconds())
	fmt.Fprintf(stdout, "  outbound sends: %d (merged replies: %d, stray: %d)\n", out.Sends, out.Merged, out.Stray)
	if o.modelFail > 0 {
		fmt.Fprintf(stdout, "  model: %d calls failed (%d 500s, %d past LLM_TIMEOUT, %d malformed tool calls); %d messages answered with the fallback, %d with a reply\n",
			out.ModelFails[failStatus]+out.ModelFails[failTimeout]+out.ModelFails[failMalformed],
			out.ModelFails[failStatus], out.ModelFails[failTimeout], out.ModelFails[failMalformed],
			out.Fallbacks, e.track.answered(o.n)-out.Fallbacks)
	}
	var wk workoutCount
	if e.script.workoutEvery > 0 && !o.sqlite {
		var err error
		wk, err = countWorkouts(ctx, e.db, e.script, func(m int) bool { return c.ackedAt[m].Load() != 0 }, e.track)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  workouts asked for: %d; in the database once: %d, twice or more: %d; not logged: %d answered with the fallback, %d answered with a reply\n",
			wk.asked, wk.once, wk.doubled, wk.fallback, wk.missing)
	}
	for i, k := range kills {
		caught := "not within -drain"
		if k.caughtUp > 0 {
			caught = fmt.Sprintf("%.1fs", k.caughtUp.Seconds())
		}
		fmt.Fprintf(stdout, "  %d. %s at %.1fs (%d acknowledged): ready again after %.1fs, every earlier message answered after %s\n",
			i+1, k.kind, k.at.Sub(start).Seconds(), k.ackedBefore, k.ready.Seconds(), caught)
	}
	if lost > 0 || out.Duplicated > atKill || order > 0 || acked < o.n || wk.doubled > 0 || wk.missing > 0 {
		return &failure{fmt.Sprintf("chaos: %d of %d acknowledged, %d lost, %d duplicated, %d out of order; workouts %d doubled, %d missing",
			acked, o.n, lost, out.Duplicated, order, wk.doubled, wk.missing)}
	}
	return nil
}

// chaosMode starts the second process when asked, and runs the chaos mode
// with a restart that brings the first process back on its address.
func chaosMode(ctx context.Context, o options, e *env, bin string, vars map[string]string, logw, stdout io.Writer) error {
	addrs := []string{e.asst.Addr}
	if o.processes == 2 {
		port, err := freePort()
		if err != nil {
			return err
		}
		v2 := maps.Clone(vars)
		v2["ASSISTANT_ADDR"] = "127.0.0.1:" + strconv.Itoa(port)
		second, err := startAssistant(ctx, bin, v2, logw)
		if err != nil {
			return fmt.Errorf("second process: %w", err)
		}
		defer func() { _ = second.Stop(context.WithoutCancel(ctx)) }()
		addrs = append(addrs, second.Addr)
	}
	kill := func(ctx context.Context) error {
		if err := e.asst.cmd.Process.Kill(); err != nil {
			return fmt.Errorf("kill the assistant: %w", err)
		}
		<-e.asst.done
		a, err := startAssistant(ctx, bin, vars, logw)
		if err != nil {
			return fmt.Errorf("restart after SIGKILL: %w", err)
		}
		e.asst = a
		return nil
	}
	pgRestart := func(ctx context.Context) error {
		cmd := exec.CommandContext(ctx, o.pgRestart, strconv.FormatFloat(o.pgDown.Seconds(), 'f', -1, 64))
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("restart PostgreSQL with %s: %w\n%s", o.pgRestart, err, out)
		}
		// Ready means the database answers the processes again: each
		// must come back by itself (its pool reconnects), not be
		// restarted.
		for _, a := range addrs {
			if err := waitReadyWithin(ctx, "http://"+a+"/readyz", 2*time.Minute); err != nil {
				return fmt.Errorf("after the PostgreSQL restart: %w", err)
			}
		}
		return nil
	}
	return runChaos(ctx, o, e, addrs, killer{kill: kill, pgRestart: pgRestart}, stdout)
}
