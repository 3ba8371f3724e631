package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/graph"
)

type state struct {
	Log    []string       `graph:"append"`
	Counts map[string]int `graph:"merge"`
	Value  string
	N      int
}

func appendNode(s string) graph.NodeFunc[state] {
	return func(ctx context.Context, _ state) (state, error) { return state{Log: []string{s}}, nil }
}

func mustCompile[S any](t *testing.T, g *graph.Graph[S], opts ...graph.CompileOption) *graph.Compiled[S] {
	t.Helper()
	c, err := g.Compile(opts...)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return c
}

func TestChain(t *testing.T) {
	g := graph.New[state]().
		AddNode("a", appendNode("a")).
		AddNode("b", func(ctx context.Context, s state) (state, error) {
			return state{Log: []string{"b saw " + strings.Join(s.Log, ",")}, Value: "done"}, nil
		}).
		AddEdge(graph.START, "a").AddEdge("a", "b").AddEdge("b", graph.END)
	res, err := mustCompile(t, g).Invoke(context.Background(), state{Log: []string{"in"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.State.Log, "|"); got != "in|a|b saw in,a" || res.State.Value != "done" || res.Steps != 2 {
		t.Fatalf("state = %+v, steps %d", res.State, res.Steps)
	}
}

func TestParallelMergeIsDeterministic(t *testing.T) {
	g := graph.New[state]()
	names := []string{"p1", "p2", "p3", "p4"}
	for i, n := range names {
		g.AddNode(n, func(ctx context.Context, _ state) (state, error) {
			// Later-added nodes finish first, so arrival order differs from merge order.
			time.Sleep(time.Duration(len(names)-i) * 3 * time.Millisecond)
			return state{Log: []string{n}, Counts: map[string]int{n: i, "shared": i}}, nil
		})
		g.AddEdge(graph.START, n).AddEdge(n, "join")
	}
	g.AddNode("join", func(ctx context.Context, s state) (state, error) {
		return state{Value: strings.Join(s.Log, ",")}, nil
	}).AddEdge("join", graph.END)
	c := mustCompile(t, g)
	for range 5 {
		res, err := c.Invoke(context.Background(), state{})
		if err != nil {
			t.Fatal(err)
		}
		if res.State.Value != "p1,p2,p3,p4" {
			t.Fatalf("merge order = %q, want declaration order", res.State.Value)
		}
		if res.State.Counts["shared"] != 3 || res.State.Counts["p2"] != 1 || len(res.State.Counts) != 5 {
			t.Fatalf("merged map = %v", res.State.Counts)
		}
		if res.Steps != 2 {
			t.Fatalf("join ran in %d steps, want once after the fan-out (2)", res.Steps)
		}
	}
}

func TestConflictingWritesAreAnError(t *testing.T) {
	g := graph.New[state]()
	for _, n := range []string{"x", "y"} {
		g.AddNode(n, func(ctx context.Context, _ state) (state, error) { return state{Value: n}, nil }).
			AddEdge(graph.START, n).AddEdge(n, graph.END)
	}
	_, err := mustCompile(t, g).Invoke(context.Background(), state{})
	var wc *graph.WriteConflictError
	if !errors.As(err, &wc) || wc.Field != "Value" || wc.Nodes != [2]string{"x", "y"} {
		t.Fatalf("err = %v, want a WriteConflictError on Value by x and y", err)
	}
}

func TestCustomReducer(t *testing.T) {
	type sumState struct{ Total int }
	g := graph.New[sumState](graph.WithReducer("Total", func(cur, upd int) int { return cur + upd }))
	for i := 1; i <= 3; i++ {
		n := fmt.Sprint("n", i)
		g.AddNode(n, func(ctx context.Context, _ sumState) (sumState, error) { return sumState{Total: i}, nil }).
			AddEdge(graph.START, n).AddEdge(n, graph.END)
	}
	res, err := mustCompile(t, g).Invoke(context.Background(), sumState{Total: 10})
	if err != nil || res.State.Total != 16 {
		t.Fatalf("Total = %d, %v; want 16", res.State.Total, err)
	}
}

// loop builds a graph whose node "inc" loops on itself until N reaches
// stop (or forever when stop is 0).
func loop(stop int) *graph.Graph[state] {
	return graph.New[state]().
		AddNode("inc", func(ctx context.Context, s state) (state, error) { return state{N: s.N + 1}, nil }).
		AddEdge(graph.START, "inc").
		AddConditionalEdges("inc", func(ctx context.Context, s state) ([]string, error) {
			if stop > 0 && s.N >= stop {
				return []string{graph.END}, nil
			}
			return []string{"inc"}, nil
		}, "inc", graph.END)
}

func TestConditionalLoop(t *testing.T) {
	res, err := mustCompile(t, loop(5)).Invoke(context.Background(), state{})
	if err != nil || res.State.N != 5 || res.Steps != 5 {
		t.Fatalf("N = %d after %d steps, %v; want 5 after 5", res.State.N, res.Steps, err)
	}
}

func TestStepLimit(t *testing.T) {
	tests := []struct {
		name    string
		compile []graph.CompileOption
		run     []graph.RunOption
		want    int
	}{
		{"default", nil, nil, graph.DefaultStepLimit},
		{"compiled", []graph.CompileOption{graph.WithStepLimit(7)}, nil, 7},
		{"per run", []graph.CompileOption{graph.WithStepLimit(7)}, []graph.RunOption{graph.MaxSteps(3)}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mustCompile(t, loop(0), tc.compile...).Invoke(context.Background(), state{}, tc.run...)
			if !errors.Is(err, graph.ErrStepLimit) {
				t.Fatalf("err = %v, want ErrStepLimit", err)
			}
			var sl *graph.StepLimitError[state]
			if !errors.As(err, &sl) || sl.Limit != tc.want || sl.State.N != tc.want {
				t.Fatalf("StepLimitError = %+v, want limit and N of %d", sl, tc.want)
			}
		})
	}
}

func TestStepLimitKeepsCheckpointToResume(t *testing.T) {
	saver := memory.New()
	c := mustCompile(t, loop(10), graph.WithSaver(saver))
	_, err := c.Invoke(context.Background(), state{}, graph.Thread("t"), graph.MaxSteps(4))
	var sl *graph.StepLimitError[state]
	if !errors.As(err, &sl) || sl.CheckpointID == "" {
		t.Fatalf("err = %v, want a StepLimitError with a checkpoint", err)
	}
	res, err := c.Resume(context.Background(), "t", nil)
	if err != nil || res.State.N != 10 {
		t.Fatalf("after resume N = %d, %v; want 10", res.State.N, err)
	}
}

func TestCancellation(t *testing.T) {
	started := make(chan struct{})
	g := graph.New[state]().
		AddNode("wait", func(ctx context.Context, s state) (state, error) {
			close(started)
			<-ctx.Done()
			return state{}, ctx.Err()
		}).
		AddEdge(graph.START, "wait").AddEdge("wait", graph.END)
	c := mustCompile(t, g)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := c.Invoke(ctx, state{})
	var ne *graph.NodeError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ne) || ne.Node != "wait" {
		t.Fatalf("err = %v, want context.Canceled from node wait", err)
	}
	// A context cancelled before the run stops it before any node runs.
	var ran atomic.Bool
	g2 := graph.New[state]().AddNode("a", func(ctx context.Context, s state) (state, error) {
		ran.Store(true)
		return state{}, nil
	}).AddEdge(graph.START, "a").AddEdge("a", graph.END)
	if _, err := mustCompile(t, g2).Invoke(ctx, state{}); !errors.Is(err, context.Canceled) || ran.Load() {
		t.Fatalf("err = %v, ran = %v; want Canceled and no node run", err, ran.Load())
	}
}

func TestNodeTimeout(t *testing.T) {
	g := graph.New[state]().
		AddNode("slow", func(ctx context.Context, s state) (state, error) {
			select {
			case <-ctx.Done():
				return state{}, ctx.Err()
			case <-time.After(5 * time.Second):
				return state{Value: "late"}, nil
			}
		}, graph.Timeout(20*time.Millisecond)).
		AddEdge(graph.START, "slow").AddEdge("slow", graph.END)
	start := time.Now()
	_, err := mustCompile(t, g).Invoke(context.Background(), state{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatalf("timeout not applied")
	}
}

var errFlaky = errors.New("flaky")

func TestRetry(t *testing.T) {
	tests := []struct {
		name      string
		failures  int
		policy    graph.RetryPolicy
		wantErr   bool
		wantCalls int32
	}{
		{"no policy runs once", 1, graph.RetryPolicy{}, true, 1},
		{"recovers", 2, graph.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}, false, 3},
		{"gives up", 5, graph.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}, true, 3},
		{"not retryable", 1, graph.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond,
			RetryIf: func(err error) bool { return !errors.Is(err, errFlaky) }}, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			g := graph.New[state]().
				AddNode("flaky", func(ctx context.Context, s state) (state, error) {
					if calls.Add(1) <= int32(tc.failures) {
						return state{}, errFlaky
					}
					return state{Value: "ok"}, nil
				}, graph.Retry(tc.policy)).
				AddEdge(graph.START, "flaky").AddEdge("flaky", graph.END)
			res, err := mustCompile(t, g).Invoke(context.Background(), state{})
			if (err != nil) != tc.wantErr || calls.Load() != tc.wantCalls {
				t.Fatalf("err = %v after %d calls; want error %v after %d", err, calls.Load(), tc.wantErr, tc.wantCalls)
			}
			if err == nil && res.State.Value != "ok" {
				t.Fatalf("Value = %q", res.State.Value)
			}
			if err != nil && !errors.Is(err, errFlaky) {
				t.Fatalf("err = %v, want it to wrap errFlaky", err)
			}
		})
	}
}

func TestPanicBecomesError(t *testing.T) {
	g := graph.New[state]().
		AddNode("boom", func(ctx context.Context, s state) (state, error) { panic("kaboom") }).
		AddEdge(graph.START, "boom").AddEdge("boom", graph.END)
	_, err := mustCompile(t, g).Invoke(context.Background(), state{})
	var pe *graph.PanicError
	if !errors.As(err, &pe) || pe.Value != "kaboom" || len(pe.Stack) == 0 {
		t.Fatalf("err = %v, want a PanicError with a stack", err)
	}
}

func TestThreadContinuesFromLastCheckpoint(t *testing.T) {
	saver := memory.New()
	g := graph.New[state]().
		AddNode("echo", func(ctx context.Context, s state) (state, error) {
			if graph.ThreadFromContext(ctx) == "" {
				return state{}, errors.New("no thread in context")
			}
			return state{Log: []string{"echo:" + s.Log[len(s.Log)-1]}, N: s.N + 1}, nil
		}).
		AddEdge(graph.START, "echo").AddEdge("echo", graph.END)
	c := mustCompile(t, g, graph.WithSaver(saver))
	ctx := context.Background()
	for _, msg := range []string{"hi", "again"} {
		if _, err := c.Invoke(ctx, state{Log: []string{msg}}, graph.Thread("alice")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Invoke(ctx, state{Log: []string{"other"}}, graph.Thread("bob")); err != nil {
		t.Fatal(err)
	}
	snap, err := c.State(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(snap.State.Log, "|"); got != "hi|echo:hi|again|echo:again" || snap.State.N != 2 {
		t.Fatalf("alice = %q N=%d", got, snap.State.N)
	}
	if len(snap.Next) != 0 || snap.Interrupt != nil {
		t.Fatalf("finished thread has Next %v, interrupt %v", snap.Next, snap.Interrupt)
	}
	bob, err := c.State(ctx, "bob")
	if err != nil || strings.Join(bob.State.Log, "|") != "other|echo:other" {
		t.Fatalf("bob = %v, %v: threads must not share state", bob.State.Log, err)
	}
	if _, err := mustCompile(t, g, graph.WithSaver(saver)).Invoke(ctx, state{}); err == nil {
		t.Fatal("a run with a saver and no thread succeeded")
	}
}

type approval struct {
	Amount int `json:"amount"`
}

// bookingGraph asks for approval from inside "approve" and counts how many
// times "prepare" ran, to prove resume does not redo finished work.
func bookingGraph(prepared *atomic.Int32) *graph.Graph[state] {
	return graph.New[state]().
		AddNode("prepare", func(ctx context.Context, s state) (state, error) {
			prepared.Add(1)
			return state{Log: []string{"prepared"}}, nil
		}).
		AddNode("approve", func(ctx context.Context, s state) (state, error) {
			ok, err := graph.Interrupt[bool](ctx, approval{Amount: 120})
			if err != nil {
				return state{}, err
			}
			return state{Value: fmt.Sprint("approved=", ok)}, nil
		}).
		AddNode("confirm", appendNode("confirmed")).
		AddEdge(graph.START, "prepare").AddEdge("prepare", "approve").
		AddEdge("approve", "confirm").AddEdge("confirm", graph.END)
}

func TestInterruptAndResumeInAnotherProcess(t *testing.T) {
	saver := memory.New() // stands for the shared database
	ctx := context.Background()
	var prepared atomic.Int32

	// Process 1 runs until the node asks for approval.
	p1 := mustCompile(t, bookingGraph(&prepared), graph.WithSaver(saver))
	res, err := p1.Invoke(ctx, state{}, graph.Thread("owner"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Interrupt == nil || res.Interrupt.Node != "approve" || string(res.Interrupt.Payload) != `{"amount":120}` {
		t.Fatalf("interrupt = %+v", res.Interrupt)
	}
	// Process 2, built from scratch, sees the pause and resumes it.
	p2 := mustCompile(t, bookingGraph(&prepared), graph.WithSaver(saver))
	snap, err := p2.State(ctx, "owner")
	if err != nil {
		t.Fatal(err)
	}
	if snap.Interrupt == nil || snap.Interrupt.Node != "approve" || fmt.Sprint(snap.Next) != "[approve]" {
		t.Fatalf("snapshot = %+v", snap)
	}
	res, err = p2.Resume(ctx, "owner", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Interrupt != nil || res.State.Value != "approved=true" || strings.Join(res.State.Log, ",") != "prepared,confirmed" {
		t.Fatalf("after resume: %+v", res)
	}
	if prepared.Load() != 1 {
		t.Fatalf("prepare ran %d times, want 1", prepared.Load())
	}
	if _, err := p2.Resume(ctx, "owner", true); !errors.Is(err, graph.ErrNothingToResume) {
		t.Fatalf("second resume: %v, want ErrNothingToResume", err)
	}
}

func TestResumeValueThroughJSON(t *testing.T) {
	saver := memory.New()
	g := graph.New[state]().
		AddNode("ask", func(ctx context.Context, s state) (state, error) {
			a, err := graph.Interrupt[approval](ctx, "how much?")
			if err != nil {
				return state{}, err
			}
			return state{N: a.Amount}, nil
		}).
		AddEdge(graph.START, "ask").AddEdge("ask", graph.END)
	c := mustCompile(t, g, graph.WithSaver(saver))
	ctx := context.Background()
	if _, err := c.Invoke(ctx, state{}, graph.Thread("t")); err != nil {
		t.Fatal(err)
	}
	// The answer arrives as decoded JSON, as it would from an HTTP handler.
	res, err := c.Resume(ctx, "t", map[string]any{"amount": 42})
	if err != nil || res.State.N != 42 {
		t.Fatalf("N = %d, %v; want 42", res.State.N, err)
	}
}

func TestInterruptBefore(t *testing.T) {
	saver := memory.New()
	var prepared atomic.Int32
	var confirmed atomic.Int32
	g := graph.New[state]().
		AddNode("prepare", func(ctx context.Context, s state) (state, error) {
			prepared.Add(1)
			return state{Log: []string{"prepared"}}, nil
		}).
		AddNode("send", func(ctx context.Context, s state) (state, error) {
			confirmed.Add(1)
			return state{Log: []string{"sent"}}, nil
		}).
		AddEdge(graph.START, "prepare").AddEdge("prepare", "send").AddEdge("send", graph.END)
	c := mustCompile(t, g, graph.WithSaver(saver), graph.WithInterruptBefore("send"))
	ctx := context.Background()
	res, err := c.Invoke(ctx, state{}, graph.Thread("t"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Interrupt == nil || res.Interrupt.Node != "send" || !res.Interrupt.Before || confirmed.Load() != 0 {
		t.Fatalf("interrupt = %+v, send ran %d times", res.Interrupt, confirmed.Load())
	}
	res, err = c.Resume(ctx, "t", nil)
	if err != nil || strings.Join(res.State.Log, ",") != "prepared,sent" || prepared.Load() != 1 || confirmed.Load() != 1 {
		t.Fatalf("after resume %v, %v; prepare %d send %d", res.State.Log, err, prepared.Load(), confirmed.Load())
	}
	if _, err := g.Compile(graph.WithInterruptBefore("send")); err == nil {
		t.Fatal("interrupt without a saver compiled")
	}
}

func TestFailedStepKeepsFinishedSiblings(t *testing.T) {
	saver := memory.New()
	var fastRuns, slowRuns atomic.Int32
	var fail atomic.Bool
	fail.Store(true)
	g := graph.New[state]().
		AddNode("fast", func(ctx context.Context, s state) (state, error) {
			fastRuns.Add(1)
			return state{Log: []string{"fast"}}, nil
		}).
		AddNode("slow", func(ctx context.Context, s state) (state, error) {
			slowRuns.Add(1)
			time.Sleep(5 * time.Millisecond)
			if fail.Load() {
				return state{}, errors.New("upstream down")
			}
			return state{Log: []string{"slow"}}, nil
		}).
		AddNode("after", appendNode("after")).
		AddEdge(graph.START, "fast").AddEdge(graph.START, "slow").
		AddEdge("fast", "after").AddEdge("slow", "after").AddEdge("after", graph.END)
	ctx := context.Background()
	c := mustCompile(t, g, graph.WithSaver(saver))
	_, err := c.Invoke(ctx, state{}, graph.Thread("t"))
	var ne *graph.NodeError
	if !errors.As(err, &ne) || ne.Node != "slow" {
		t.Fatalf("err = %v, want a NodeError from slow", err)
	}
	fail.Store(false)
	res, err := c.Resume(ctx, "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	if fastRuns.Load() != 1 || slowRuns.Load() != 2 {
		t.Fatalf("fast ran %d, slow ran %d; want 1 and 2", fastRuns.Load(), slowRuns.Load())
	}
	if got := strings.Join(res.State.Log, ","); got != "fast,slow,after" {
		t.Fatalf("Log = %q", got)
	}
}

func TestStream(t *testing.T) {
	saver := memory.New()
	g := graph.New[state]().
		AddNode("a", appendNode("a")).AddNode("b", appendNode("b")).AddNode("c", appendNode("c")).
		AddEdge(graph.START, "a").AddEdge("a", "b").AddEdge("a", "c").
		AddEdge("b", graph.END).AddEdge("c", graph.END)
	c := mustCompile(t, g, graph.WithSaver(saver))
	var got []string
	for ev, err := range c.Stream(context.Background(), state{}, graph.Thread("s")) {
		if err != nil {
			t.Fatal(err)
		}
		s := fmt.Sprintf("%d:%s", ev.Step, ev.Kind)
		if ev.Node != "" {
			s += ":" + ev.Node
		}
		if ev.Kind == graph.EventNodeEnd {
			s += "=" + strings.Join(ev.Update.Log, ",")
		}
		if ev.Kind == graph.EventDone {
			s += "=" + strings.Join(ev.State.Log, ",")
		}
		got = append(got, s)
	}
	want := []string{
		"0:checkpoint",
		"1:node_start:a", "1:node_end:a=a", "1:checkpoint",
		"2:node_start:b", "2:node_start:c", "2:node_end:b=b", "2:node_end:c=c", "2:checkpoint",
		"2:done=a,b,c",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events:\n got %v\nwant %v", got, want)
	}

	// Stopping early stops the run: the loop never finishes.
	var ran atomic.Int32
	inf := loop(0).AddNode("unused", appendNode("x")) // unreachable: compile error expected below
	if _, err := inf.Compile(); err == nil {
		t.Fatal("unreachable node compiled")
	}
	lg := graph.New[state]().
		AddNode("inc", func(ctx context.Context, s state) (state, error) { ran.Add(1); return state{N: s.N + 1}, nil }).
		AddEdge(graph.START, "inc").
		AddConditionalEdges("inc", func(ctx context.Context, s state) ([]string, error) { return []string{"inc"}, nil }, "inc", graph.END)
	n := 0
	for ev, err := range mustCompile(t, lg).Stream(context.Background(), state{}) {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Kind == graph.EventNodeEnd {
			n++
			if n == 3 {
				break
			}
		}
	}
	if ran.Load() != 3 {
		t.Fatalf("node ran %d times after the consumer stopped at 3", ran.Load())
	}
}

func TestCompileErrors(t *testing.T) {
	nop := appendNode("x")
	tests := []struct {
		name  string
		build func() *graph.Graph[state]
		want  string
	}{
		{"unknown target", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge(graph.START, "a").AddEdge("a", "ghost")
		}, `unknown node "ghost"`},
		{"edge from END", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge(graph.START, "a").AddEdge("a", graph.END).AddEdge(graph.END, "a")
		}, "edge out of __end__"},
		{"edge into START", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge(graph.START, "a").AddEdge("a", graph.START)
		}, "edge into __start__"},
		{"unreachable", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddNode("island", nop).
				AddEdge(graph.START, "a").AddEdge("a", graph.END).AddEdge("island", graph.END)
		}, `node "island" is unreachable`},
		{"no path to END", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddNode("sink", nop).
				AddEdge(graph.START, "a").AddEdge("a", "sink").AddEdge("a", graph.END)
		}, `node "sink" has no path to __end__`},
		{"cycle with no exit", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddNode("b", nop).
				AddEdge(graph.START, "a").AddEdge("a", "b").AddEdge("b", "a")
		}, `node "a" has no path to __end__`},
		{"no entry", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge("a", graph.END)
		}, "no edge from __start__"},
		{"duplicate node", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddNode("a", nop).AddEdge(graph.START, "a").AddEdge("a", graph.END)
		}, `node "a" added twice`},
		{"reserved name", func() *graph.Graph[state] {
			return graph.New[state]().AddNode(graph.END, nop)
		}, "reserved"},
		{"router to unknown", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge(graph.START, "a").
				AddConditionalEdges("a", func(context.Context, state) ([]string, error) { return nil, nil }, "ghost", graph.END)
		}, `unknown node "ghost"`},
		{"interrupt before unknown", func() *graph.Graph[state] {
			return graph.New[state]().AddNode("a", nop).AddEdge(graph.START, "a").AddEdge("a", graph.END)
		}, `interrupt before unknown node "ghost"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := []graph.CompileOption{graph.WithSaver(memory.New())}
			if tc.name == "interrupt before unknown" {
				opts = append(opts, graph.WithInterruptBefore("ghost"))
			}
			_, err := tc.build().Compile(opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestStateTypeErrors(t *testing.T) {
	type unexported struct {
		//lint:ignore U1000 the field exists to be rejected by the schema check
		hidden int
	}
	type badTag struct {
		N int `graph:"append"`
	}
	type unknownOpt struct {
		N []int `graph:"apend"`
	}
	check := func(err error, want string) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("err = %v, want %q", err, want)
		}
	}
	_, err := graph.New[unexported]().AddNode("a", func(context.Context, unexported) (unexported, error) { return unexported{}, nil }).
		AddEdge(graph.START, "a").AddEdge("a", graph.END).Compile()
	check(err, "unexported")
	_, err = graph.New[badTag]().AddNode("a", func(context.Context, badTag) (badTag, error) { return badTag{}, nil }).
		AddEdge(graph.START, "a").AddEdge("a", graph.END).Compile()
	check(err, "append needs a slice")
	_, err = graph.New[unknownOpt]().AddNode("a", func(context.Context, unknownOpt) (unknownOpt, error) { return unknownOpt{}, nil }).
		AddEdge(graph.START, "a").AddEdge("a", graph.END).Compile()
	check(err, `unknown graph tag option "apend"`)
}

func TestRouterUndeclaredDestination(t *testing.T) {
	g := graph.New[state]().AddNode("a", appendNode("a")).AddNode("b", appendNode("b")).
		AddEdge(graph.START, "a").AddEdge("b", graph.END).
		AddConditionalEdges("a", func(context.Context, state) ([]string, error) { return []string{"b"}, nil }, graph.END)
	_, err := g.Compile()
	if err == nil || !strings.Contains(err.Error(), `"b" is unreachable`) {
		t.Fatalf("err = %v", err)
	}
	g2 := graph.New[state]().AddNode("a", appendNode("a")).AddNode("b", appendNode("b")).
		AddEdge(graph.START, "a").AddEdge("a", "b").AddEdge("b", graph.END).
		AddConditionalEdges("b", func(context.Context, state) ([]string, error) { return []string{"a"}, nil }, graph.END)
	_, err = mustCompile(t, g2).Invoke(context.Background(), state{})
	if err == nil || !strings.Contains(err.Error(), `router returned "a", which is not among its declared destinations`) {
		t.Fatalf("err = %v", err)
	}
}

func TestMermaid(t *testing.T) {
	c := mustCompile(t, graph.New[state]().
		AddNode("chat", appendNode("c")).AddNode("tools", appendNode("t")).
		AddEdge(graph.START, "chat").AddEdge("tools", "chat").
		AddConditionalEdges("chat", func(context.Context, state) ([]string, error) { return nil, nil }, "tools", graph.END))
	want := `flowchart TD
	__start__([__start__])
	chat(chat)
	tools(tools)
	__end__([__end__])
	__start__ --> chat
	tools --> chat
	chat -.-> tools
	chat -.-> __end__
`
	if got := c.Mermaid(); got != want {
		t.Fatalf("Mermaid:\n%s\nwant:\n%s", got, want)
	}
}

// recordingSaver records what the engine hands the saver on each Put.
type recordingSaver struct {
	*memory.Saver
	puts    int
	appends []int
}

func (r *recordingSaver) Put(ctx context.Context, cp checkpoint.Checkpoint, app map[string][][]byte) error {
	r.puts++
	r.appends = append(r.appends, len(app["Log"]))
	return r.Saver.Put(ctx, cp, app)
}

func TestSaverGetsOnlyNewLogEntries(t *testing.T) {
	rec := &recordingSaver{Saver: memory.New()}
	g := graph.New[state]().AddNode("reply", appendNode("reply")).
		AddEdge(graph.START, "reply").AddEdge("reply", graph.END)
	c := mustCompile(t, g, graph.WithSaver(rec))
	for i := 0; i < 50; i++ {
		if _, err := c.Invoke(context.Background(), state{Log: []string{"msg"}}, graph.Thread("t")); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range rec.appends {
		if n != 1 {
			t.Fatalf("put %d appended %d entries, want 1 (only what is new)", i, n)
		}
	}
	snap, err := c.State(context.Background(), "t")
	if err != nil || len(snap.State.Log) != 100 {
		t.Fatalf("log has %d entries, %v; want 100", len(snap.State.Log), err)
	}
}

func TestDurabilityExitWritesOncePerRun(t *testing.T) {
	rec := &recordingSaver{Saver: memory.New()}
	c := mustCompile(t, loop(5), graph.WithSaver(rec), graph.WithDurability(graph.DurabilityExit))
	res, err := c.Invoke(context.Background(), state{Log: []string{"a"}}, graph.Thread("t"))
	if err != nil || res.State.N != 5 {
		t.Fatal(res.State, err)
	}
	if rec.puts != 1 {
		t.Fatalf("%d puts, want 1", rec.puts)
	}
	rec.puts = 0
	if _, err := c.Invoke(context.Background(), state{}, graph.Thread("t"), graph.Durable(graph.DurabilityStep)); err != nil {
		t.Fatal(err)
	}
	if rec.puts != 2 { // input + one step (N is already 5)
		t.Fatalf("%d puts with per-step durability, want 2", rec.puts)
	}
}

func TestTimeTravelFork(t *testing.T) {
	saver := memory.New()
	g := graph.New[state]().AddNode("reply", func(ctx context.Context, s state) (state, error) {
		return state{Log: []string{"re:" + s.Log[len(s.Log)-1]}}, nil
	}).AddEdge(graph.START, "reply").AddEdge("reply", graph.END)
	c := mustCompile(t, g, graph.WithSaver(saver))
	ctx := context.Background()
	var afterFirst string
	for i, msg := range []string{"one", "two", "three"} {
		res, err := c.Invoke(ctx, state{Log: []string{msg}}, graph.Thread("t"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			afterFirst = res.CheckpointID
		}
	}
	old, err := c.StateAt(ctx, "t", afterFirst)
	if err != nil || strings.Join(old.State.Log, ",") != "one,re:one" {
		t.Fatalf("StateAt = %v, %v", old.State.Log, err)
	}
	if _, err := c.Fork(ctx, "t", afterFirst); err != nil {
		t.Fatal(err)
	}
	res, err := c.Invoke(ctx, state{Log: []string{"other"}}, graph.Thread("t"))
	if err != nil || strings.Join(res.State.Log, ",") != "one,re:one,other,re:other" {
		t.Fatalf("after fork = %v, %v", res.State.Log, err)
	}
	hist, err := saver.List(ctx, "t", checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The original line is intact: its newest checkpoint still holds "three".
	var mainHead string
	for _, cp := range hist {
		if cp.Branch == "" {
			mainHead = cp.ID
			break
		}
	}
	main, err := c.StateAt(ctx, "t", mainHead)
	if err != nil || main.State.Log[len(main.State.Log)-1] != "re:three" {
		t.Fatalf("main line after fork = %v, %v", main.State.Log, err)
	}
}

func TestCorruptCheckpointNamesFieldPath(t *testing.T) {
	saver := memory.New()
	ctx := context.Background()
	cp := checkpoint.Checkpoint{
		ThreadID: "t", ID: checkpoint.NewID(), Version: 1,
		Values:  map[string][]byte{"N": []byte(`"not a number"`)},
		LogLens: map[string]int{"Log": 0},
	}
	if err := saver.Put(ctx, cp, nil); err != nil {
		t.Fatal(err)
	}
	c := mustCompile(t, graph.New[state]().AddNode("a", appendNode("a")).AddEdge(graph.START, "a").AddEdge("a", graph.END), graph.WithSaver(saver))
	_, err := c.Invoke(ctx, state{}, graph.Thread("t"))
	var ce *checkpoint.CorruptError
	if !errors.As(err, &ce) || ce.ThreadID != "t" || ce.CheckpointID != cp.ID || !strings.Contains(err.Error(), "state.N") {
		t.Fatalf("err = %v, want a CorruptError naming thread, checkpoint and field state.N", err)
	}
	cp2 := checkpoint.Checkpoint{ThreadID: "t2", ID: checkpoint.NewID(), Version: 1, LogLens: map[string]int{"Log": 2}}
	if err := saver.Put(ctx, cp2, map[string][][]byte{"Log": {[]byte(`"ok"`), []byte(`{`)}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Invoke(ctx, state{}, graph.Thread("t2"))
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "state.Log[1]") {
		t.Fatalf("err = %v, want it to name state.Log[1]", err)
	}
	cp3 := checkpoint.Checkpoint{ThreadID: "t3", ID: checkpoint.NewID(), Version: 99}
	if err := saver.Put(ctx, cp3, nil); err != nil {
		t.Fatal(err)
	}
	if _, err = c.Invoke(ctx, state{}, graph.Thread("t3")); !errors.As(err, &ce) || !strings.Contains(err.Error(), "version 99") {
		t.Fatalf("err = %v, want an unsupported-version CorruptError", err)
	}
}
