package graph_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/graph"
)

// batchingSaver records each write: a Put stores one checkpoint, a
// PutBatch a chain. fail makes the next write fail.
type batchingSaver struct {
	*memory.Saver
	writes []int // checkpoints per write
	fail   error
}

func (b *batchingSaver) Put(ctx context.Context, cp checkpoint.Checkpoint, app map[string][][]byte) error {
	return b.PutBatch(ctx, []checkpoint.Put{{Checkpoint: cp, Appends: app}})
}

func (b *batchingSaver) PutBatch(ctx context.Context, puts []checkpoint.Put) error {
	if err := b.fail; err != nil {
		b.fail = nil
		return err
	}
	b.writes = append(b.writes, len(puts))
	for _, p := range puts {
		if err := b.Saver.Put(ctx, p.Checkpoint, p.Appends); err != nil {
			return err
		}
	}
	return nil
}

// agentShaped is receive → chat → tools → chat → END: chat calls the tool
// on its first round and answers on the second; tools counts its runs.
func agentShaped(tools *int, chatErr *error) *graph.Graph[state] {
	return agentShapedPure(tools, chatErr, false)
}

// agentShapedPure is agentShaped whose tools step says it had no effects
// (graph.NoEffects) when pure is set.
func agentShapedPure(tools *int, chatErr *error, pure bool) *graph.Graph[state] {
	return graph.New[state]().
		AddNode("receive", appendNode("receive")).
		AddNode("chat", func(ctx context.Context, s state) (state, error) {
			if chatErr != nil && *chatErr != nil {
				return state{}, *chatErr
			}
			if s.Log[len(s.Log)-1] == "tool result" {
				return state{Log: []string{"answer"}}, nil
			}
			return state{Log: []string{"tool call"}}, nil
		}).
		AddNode("tools", func(ctx context.Context, s state) (state, error) {
			*tools++
			if pure {
				graph.NoEffects(ctx)
			}
			return state{Log: []string{"tool result"}}, nil
		}).
		AddEdge(graph.START, "receive").
		AddEdge("receive", "chat").
		AddConditionalEdges("chat", func(ctx context.Context, s state) ([]string, error) {
			if s.Log[len(s.Log)-1] == "tool call" {
				return []string{"tools"}, nil
			}
			return []string{graph.END}, nil
		}, "tools", graph.END).
		AddEdge("tools", "chat")
}

func TestSyncAfterBatchesCheckpoints(t *testing.T) {
	for _, tc := range []struct {
		name       string
		opts       []graph.CompileOption
		pure       bool // the tools step calls graph.NoEffects
		wantWrites []int
	}{
		{"every step", nil, false, []int{1, 1, 1, 1, 1}},
		{"after tools", []graph.CompileOption{graph.WithSyncAfter("tools")}, false, []int{4, 1}},
		{"after nothing but the end", []graph.CompileOption{graph.WithSyncAfter()}, false, []int{5}},
		{"after tools that only read", []graph.CompileOption{graph.WithSyncAfter("tools")}, true, []int{5}},
		{"NoEffects outside WithSyncAfter changes nothing", nil, true, []int{1, 1, 1, 1, 1}},
		{"exit durability ignores it", []graph.CompileOption{graph.WithSyncAfter("tools"), graph.WithDurability(graph.DurabilityExit)}, false, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saver := &batchingSaver{Saver: memory.New()}
			var tools int
			c := mustCompile(t, agentShapedPure(&tools, nil, tc.pure), append([]graph.CompileOption{graph.WithSaver(saver)}, tc.opts...)...)
			ctx := context.Background()
			var events []string
			for ev, err := range c.Stream(ctx, state{Log: []string{"hi"}}, graph.Thread("t")) {
				if err != nil {
					t.Fatal(err)
				}
				switch ev.Kind {
				case graph.EventCheckpoint:
					events = append(events, "checkpoint")
				case graph.EventNodeEnd:
					events = append(events, ev.Node)
				}
			}
			if !slices.Equal(saver.writes, tc.wantWrites) {
				t.Errorf("writes of %v checkpoints, want %v", saver.writes, tc.wantWrites)
			}
			list, err := saver.List(ctx, "t", checkpoint.ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			stored := 0
			for _, n := range tc.wantWrites {
				stored += n
			}
			if len(list) != stored {
				t.Errorf("%d checkpoints stored, want %d", len(list), stored)
			}
			if n := strings.Count(strings.Join(events, " "), "checkpoint"); n != stored {
				t.Errorf("%d checkpoint events for %d stored: %v", n, stored, events)
			}
			// A checkpoint event follows its write: none before the
			// tools' step when only it and the end are stored.
			if tc.name == "after tools" {
				want := "receive chat tools checkpoint checkpoint checkpoint checkpoint chat checkpoint"
				if got := strings.Join(events, " "); got != want {
					t.Errorf("events %q, want %q", got, want)
				}
			}
			snap, err := c.State(ctx, "t")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(snap.State.Log, ","); got != "hi,receive,tool call,tool result,answer" || tools != 1 {
				t.Errorf("state %q, tools ran %d times", got, tools)
			}
		})
	}
}

func TestSyncAfterFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("a failing node stores what was held", func(t *testing.T) {
		saver := &batchingSaver{Saver: memory.New()}
		var tools int
		chatErr := errors.New("model down")
		c := mustCompile(t, agentShaped(&tools, &chatErr), graph.WithSaver(saver), graph.WithSyncAfter("tools"))
		if _, err := c.Invoke(ctx, state{Log: []string{"hi"}}, graph.Thread("t")); !errors.Is(err, chatErr) {
			t.Fatalf("Invoke = %v, want the node's error", err)
		}
		snap, err := c.State(ctx, "t")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(snap.State.Log, ","); got != "hi,receive" || !slices.Equal(snap.Next, []string{"chat"}) {
			t.Fatalf("after the failure the thread holds %q, next %v; want hi,receive, next chat", got, snap.Next)
		}
		chatErr = nil
		if _, err := c.Resume(ctx, "t", nil); err != nil {
			t.Fatal(err)
		}
		if snap, _ := c.State(ctx, "t"); strings.Join(snap.State.Log, ",") != "hi,receive,tool call,tool result,answer" || tools != 1 {
			t.Fatalf("after resuming: %q, tools ran %d times", snap.State.Log, tools)
		}
	})
	t.Run("a failed write is not cached as stored", func(t *testing.T) {
		saver := &batchingSaver{Saver: memory.New()}
		var tools int
		c := mustCompile(t, agentShaped(&tools, nil), graph.WithSaver(saver), graph.WithSyncAfter("tools"))
		if _, err := c.Invoke(ctx, state{Log: []string{"one"}}, graph.Thread("t")); err != nil {
			t.Fatal(err)
		}
		saver.fail = errors.New("connection reset")
		if _, err := c.Invoke(ctx, state{Log: []string{"two"}}, graph.Thread("t")); err == nil {
			t.Fatal("a run whose write failed succeeded")
		}
		// The retry starts from what was stored: the first turn.
		res, err := c.Invoke(ctx, state{Log: []string{"two"}}, graph.Thread("t"))
		if err != nil {
			t.Fatal(err)
		}
		want := "one,receive,tool call,tool result,answer,two,receive,tool call,tool result,answer"
		if got := strings.Join(res.State.Log, ","); got != want {
			t.Fatalf("after the retry the thread holds %q, want %q", got, want)
		}
	})
	t.Run("an unknown node", func(t *testing.T) {
		var tools int
		if _, err := agentShaped(&tools, nil).Compile(graph.WithSaver(memory.New()), graph.WithSyncAfter("tool")); err == nil || !strings.Contains(err.Error(), `"tool"`) {
			t.Fatalf("Compile = %v, want an error naming the unknown node", err)
		}
	})
}
