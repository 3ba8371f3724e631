package graph_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/graph"
)

// replyGraph appends "reply to X" for the last log entry X and counts it.
func replyGraph(t *testing.T) *graph.Compiled[state] {
	t.Helper()
	return mustCompile(t, graph.New[state]().
		AddNode("reply", func(ctx context.Context, s state) (state, error) {
			last := s.Log[len(s.Log)-1]
			return state{Log: []string{"reply to " + last}, Counts: map[string]int{last: 1}}, nil
		}).
		AddEdge(graph.START, "reply").AddEdge("reply", graph.END))
}

func TestFromContinuesTheState(t *testing.T) {
	c := replyGraph(t)
	ctx := context.Background()
	var res graph.Result[state]
	for _, msg := range []string{"hi", "how are you", "bye"} {
		var err error
		res, err = c.Invoke(ctx, state{Log: []string{msg}}, graph.From(res.State))
		if err != nil {
			t.Fatal(err)
		}
	}
	want := "hi|reply to hi|how are you|reply to how are you|bye|reply to bye"
	if got := strings.Join(res.State.Log, "|"); got != want {
		t.Fatalf("log = %s, want %s", got, want)
	}
	if len(res.State.Counts) != 3 {
		t.Fatalf("counts = %v, want the three messages", res.State.Counts)
	}
}

// A long conversation kept with From is extended in place: each turn
// stores only its own entries, instead of copying the history.
func TestFromExtendsTheResultInPlace(t *testing.T) {
	c := replyGraph(t)
	ctx := context.Background()
	res, err := c.Invoke(ctx, state{Log: []string{"m0"}})
	if err != nil {
		t.Fatal(err)
	}
	moved := 0
	for i := 1; i < 200; i++ {
		prev := res.State.Log
		if cap(prev) != len(prev) {
			t.Fatalf("turn %d: result has capacity %d past its length %d: a caller's append would write into the engine's storage", i, cap(prev), len(prev))
		}
		res, err = c.Invoke(ctx, state{Log: []string{"m"}}, graph.From(res.State))
		if err != nil {
			t.Fatal(err)
		}
		if &res.State.Log[0] != &prev[0] {
			moved++ // the array grew: amortised, like append
		}
	}
	// Growing geometrically from 2 to 400 entries moves the array about a
	// dozen times; copying every turn would move it 199 times.
	if moved > 30 {
		t.Fatalf("the history moved %d times in 199 turns", moved)
	}
}

// Runs started From one result each get the state as it was: neither sees
// the other's entries, and the result they started from is unchanged.
func TestFromTheSameResultTwice(t *testing.T) {
	c := replyGraph(t)
	ctx := context.Background()
	// Five entries, then the reply: the array has room for four more, so
	// the first run leaves room behind it too.
	base, err := c.Invoke(ctx, state{Log: []string{"v", "w", "x", "y", "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(base.State.Log)
	counts := base.State.Counts["hi"]

	a, err := c.Invoke(ctx, state{Log: []string{"a"}}, graph.From(base.State))
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Invoke(ctx, state{Log: []string{"b"}}, graph.From(base.State))
	if err != nil {
		t.Fatal(err)
	}
	if &a.State.Log[0] != &base.State.Log[0] {
		t.Fatal("the first run From the result did not extend it in place; this test needs it to")
	}
	if &b.State.Log[0] == &base.State.Log[0] {
		t.Fatal("the second run From the result shares its storage with the first")
	}
	if got := strings.Join(a.State.Log, "|"); got != "v|w|x|y|hi|reply to hi|a|reply to a" {
		t.Fatalf("first branch = %s", got)
	}
	if got := strings.Join(b.State.Log, "|"); got != "v|w|x|y|hi|reply to hi|b|reply to b" {
		t.Fatalf("second branch = %s", got)
	}
	if !slices.Equal(base.State.Log, before) || base.State.Counts["hi"] != counts || len(base.State.Counts) != 1 {
		t.Fatalf("the result the runs started from changed: %v %v", base.State.Log, base.State.Counts)
	}
	// An older result, after a later one was extended in place, still
	// starts a correct run.
	c2, err := c.Invoke(ctx, state{Log: []string{"c"}}, graph.From(a.State))
	if err != nil {
		t.Fatal(err)
	}
	old, err := c.Invoke(ctx, state{Log: []string{"d"}}, graph.From(a.State))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c2.State.Log, "|"); got != "v|w|x|y|hi|reply to hi|a|reply to a|c|reply to c" {
		t.Fatalf("after a = %s", got)
	}
	if got := strings.Join(old.State.Log, "|"); got != "v|w|x|y|hi|reply to hi|a|reply to a|d|reply to d" {
		t.Fatalf("again after a = %s", got)
	}
}

// Concurrent runs From one result never share storage (run with -race).
func TestFromConcurrently(t *testing.T) {
	c := replyGraph(t)
	ctx := context.Background()
	base, err := c.Invoke(ctx, state{Log: []string{"x", "y", "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var inPlace atomic.Int32
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			msg := string(rune('a' + i))
			res, err := c.Invoke(ctx, state{Log: []string{msg}}, graph.From(base.State))
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = strings.Join(res.State.Log, "|")
			if &res.State.Log[0] == &base.State.Log[0] {
				inPlace.Add(1)
			}
		})
	}
	wg.Wait()
	for i, g := range got {
		msg := string(rune('a' + i))
		if want := "x|y|hi|reply to hi|" + msg + "|reply to " + msg; g != want {
			t.Errorf("run %d = %s, want %s", i, g, want)
		}
	}
	if n := inPlace.Load(); n != 1 {
		t.Errorf("%d runs extended the result in place, want exactly 1", n)
	}
}

// A state the caller built, with room past its length, is never written
// past its length.
func TestFromCallerSliceIsNotWrittenPastItsLength(t *testing.T) {
	c := replyGraph(t)
	backing := make([]string, 1, 8)
	backing[0] = "hi"
	res, err := c.Invoke(context.Background(), state{}, graph.From(state{Log: backing}))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.State.Log, "|"); got != "hi|reply to hi" {
		t.Fatalf("log = %s", got)
	}
	if spare := backing[:2][1]; spare != "" {
		t.Fatalf("the run wrote %q into the caller's spare capacity", spare)
	}
}

func TestFromErrors(t *testing.T) {
	ctx := context.Background()
	withSaver := mustCompile(t, graph.New[state]().AddNode("a", appendNode("a")).
		AddEdge(graph.START, "a").AddEdge("a", graph.END), graph.WithSaver(memory.New()))
	if _, err := withSaver.Invoke(ctx, state{}, graph.Thread("t"), graph.From(state{})); err == nil || !strings.Contains(err.Error(), "without a saver") {
		t.Fatalf("From with a saver: %v", err)
	}
	c := replyGraph(t)
	_, err := c.Invoke(ctx, state{Log: []string{"hi"}}, graph.From(chatState{}))
	if err == nil || !strings.Contains(err.Error(), "chatState") {
		t.Fatalf("From with another state type: %v", err)
	}
	if errors.Is(err, graph.ErrNoSaver) {
		t.Fatal("a type mismatch is not a missing saver")
	}
}
