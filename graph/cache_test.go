package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/graph"
)

// tailSaver counts the log entries the engine loads.
type tailSaver struct {
	*memory.Saver
	loaded int
	full   int
}

func (s *tailSaver) Latest(ctx context.Context, thread string) (checkpoint.Tuple, error) {
	t, err := s.Saver.Latest(ctx, thread)
	s.full++
	s.loaded += len(t.Logs["Log"])
	return t, err
}

func (s *tailSaver) LatestSince(ctx context.Context, thread string, have checkpoint.Cursor) (checkpoint.Tuple, error) {
	t, err := s.Saver.LatestSince(ctx, thread, have)
	if t.LogsFrom == nil {
		s.full++
	}
	s.loaded += len(t.Logs["Log"])
	return t, err
}

func echoGraph() *graph.Graph[state] {
	return graph.New[state]().
		AddNode("echo", func(ctx context.Context, s state) (state, error) {
			return state{Log: []string{"re:" + s.Log[len(s.Log)-1]}, N: s.N + 1}, nil
		}).
		AddEdge(graph.START, "echo").AddEdge("echo", graph.END)
}

func TestStateCacheLoadsOnlyWhatIsNew(t *testing.T) {
	saver := &tailSaver{Saver: memory.New()}
	c := mustCompile(t, echoGraph(), graph.WithSaver(saver))
	ctx := context.Background()
	for i := 0; i < 20; i++ {
		if _, err := c.Invoke(ctx, state{Log: []string{"m"}}, graph.Thread("t")); err != nil {
			t.Fatal(err)
		}
	}
	// The first run finds nothing; every later run, the thread's state is
	// cached and nothing new was stored elsewhere: no entry is loaded twice.
	if saver.loaded != 0 || saver.full != 1 {
		t.Fatalf("loaded %d entries in %d full loads; want 0 and 1", saver.loaded, saver.full)
	}
	snap, err := c.State(ctx, "t")
	if err != nil || len(snap.State.Log) != 40 || snap.State.N != 20 {
		t.Fatalf("state = %d entries, N %d, %v", len(snap.State.Log), snap.State.N, err)
	}
}

func TestStateCacheSeesOtherProcessesWrites(t *testing.T) {
	shared := memory.New()
	p1 := mustCompile(t, echoGraph(), graph.WithSaver(&tailSaver{Saver: shared}))
	p2 := mustCompile(t, echoGraph(), graph.WithSaver(&tailSaver{Saver: shared}))
	ctx := context.Background()
	run := func(c *graph.Compiled[state], msg string) state {
		t.Helper()
		res, err := c.Invoke(ctx, state{Log: []string{msg}}, graph.Thread("t"))
		if err != nil {
			t.Fatal(err)
		}
		return res.State
	}
	run(p1, "a")
	run(p2, "b") // p1's cached state is now behind
	got := run(p1, "c")
	if strings.Join(got.Log, ",") != "a,re:a,b,re:b,c,re:c" || got.N != 3 {
		t.Fatalf("p1 after p2 wrote: %v N=%d", got.Log, got.N)
	}
	// A fork elsewhere: the cache's branch is gone from the head, so the
	// next run loads the forked line whole.
	hist, _ := shared.List(ctx, "t", checkpoint.ListOptions{})
	first := hist[len(hist)-1] // the input checkpoint of the first run
	if _, err := p2.Fork(ctx, "t", first.ID); err != nil {
		t.Fatal(err)
	}
	got = run(p1, "d")
	if strings.Join(got.Log, ",") != "a,d,re:d" {
		t.Fatalf("p1 after a fork: %v", got.Log)
	}
	// The thread erased elsewhere: p1 starts from nothing.
	if err := shared.DeleteThread(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	got = run(p1, "e")
	if strings.Join(got.Log, ",") != "e,re:e" || got.N != 1 {
		t.Fatalf("p1 after erase: %v N=%d", got.Log, got.N)
	}
}

func TestStateCacheEvictsAndCanBeOff(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		size      int
		wantFulls int
	}{{1, 3}, {0, 6}, {8, 2}} {
		saver := &tailSaver{Saver: memory.New()}
		c := mustCompile(t, echoGraph(), graph.WithSaver(saver), graph.WithStateCache(tc.size))
		// a, a, b, b, a, a: with room for one thread, each switch reloads.
		for i := 0; i < 6; i++ {
			th := []string{"a", "b"}[(i/2)%2]
			if _, err := c.Invoke(ctx, state{Log: []string{"m"}}, graph.Thread(th)); err != nil {
				t.Fatal(err)
			}
		}
		if saver.full != tc.wantFulls {
			t.Fatalf("cache of %d: %d full loads, want %d", tc.size, saver.full, tc.wantFulls)
		}
	}
}

// TestStateCacheBoundedByBytes: a thread whose state is larger than the
// byte budget is never kept, and does not push the others out; two
// threads that do not fit together take turns.
func TestStateCacheBoundedByBytes(t *testing.T) {
	ctx := context.Background()
	big, mid := strings.Repeat("x", 4000), strings.Repeat("y", 1000)
	for _, tc := range []struct {
		name      string
		budget    int64
		msgs      map[string]string
		wantFulls int
	}{
		// small, small, big, big, small, small
		{"both fit", 1 << 20, map[string]string{"a": "m", "b": big}, 2},
		{"the big one never fits", 1000, map[string]string{"a": "m", "b": big}, 3},
		// Each run adds about 2 KB: the cache holds a's 4 KB and b's 2 KB,
		// not both at 4 KB, so b's second run pushes a out.
		{"one at a time", 7000, map[string]string{"a": mid, "b": mid}, 3},
		{"off", 0, map[string]string{"a": "m", "b": "m"}, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saver := &tailSaver{Saver: memory.New()}
			c := mustCompile(t, echoGraph(), graph.WithSaver(saver), graph.WithStateCacheBytes(tc.budget))
			for i := 0; i < 6; i++ {
				th := []string{"a", "b"}[(i/2)%2]
				if _, err := c.Invoke(ctx, state{Log: []string{tc.msgs[th]}}, graph.Thread(th)); err != nil {
					t.Fatal(err)
				}
			}
			if saver.full != tc.wantFulls {
				t.Fatalf("%d full loads, want %d", saver.full, tc.wantFulls)
			}
		})
	}
}

func TestStateCacheTransientFieldsDoNotLeak(t *testing.T) {
	type tstate struct {
		Log   []string `graph:"append"`
		Inbox []string `graph:"-"`
	}
	g := graph.New[tstate]().
		AddNode("take", func(ctx context.Context, s tstate) (tstate, error) {
			return tstate{Log: s.Inbox}, nil
		}).
		AddEdge(graph.START, "take").AddEdge("take", graph.END)
	c := mustCompile(t, g, graph.WithSaver(memory.New()))
	ctx := context.Background()
	if _, err := c.Invoke(ctx, tstate{Inbox: []string{"x"}}, graph.Thread("t")); err != nil {
		t.Fatal(err)
	}
	res, err := c.Invoke(ctx, tstate{}, graph.Thread("t"))
	if err != nil || strings.Join(res.State.Log, ",") != "x" {
		t.Fatalf("second run saw %v (%v): a transient field survived in the cache", res.State.Log, err)
	}
}
