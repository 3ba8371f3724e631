package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/graph"
)

// chatMsg is a chat message as an agent keeps it.
type chatMsg struct {
	Role    string
	Content string
	Tool    string
}

type chatState struct {
	Messages []chatMsg `graph:"append"`
}

// chatLoop is the agent's shape on graph alone: chat calls a tool, tools
// answers, chat replies — four messages per turn with the user's.
func chatLoop(tb testing.TB) *graph.Compiled[chatState] {
	tb.Helper()
	c, err := graph.New[chatState]().
		AddNode("chat", func(ctx context.Context, s chatState) (chatState, error) {
			if s.Messages[len(s.Messages)-1].Role == "user" {
				return chatState{Messages: []chatMsg{{Role: "assistant", Tool: "lookup"}}}, nil
			}
			return chatState{Messages: []chatMsg{{Role: "assistant", Content: "Here is what I found."}}}, nil
		}).
		AddNode("tools", func(ctx context.Context, s chatState) (chatState, error) {
			return chatState{Messages: []chatMsg{{Role: "tool", Content: "result"}}}, nil
		}).
		AddEdge(graph.START, "chat").
		AddConditionalEdges("chat", func(ctx context.Context, s chatState) ([]string, error) {
			if s.Messages[len(s.Messages)-1].Tool != "" {
				return []string{"tools"}, nil
			}
			return []string{graph.END}, nil
		}, "tools", graph.END).
		AddEdge("tools", "chat").
		Compile()
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkChatLoop300 runs a 300-turn conversation without a saver per
// op and compares its first and last 30 turns (a history of 4–120 against
// 1,084–1,200 messages). "last/first" is the ratio of their mean times
// over all ops: it includes the garbage collector's work, which a loop
// that copies its history makes grow with it. "min-last/first" takes each
// turn's fastest time over all ops first, which keeps deterministic costs
// (a turn that grows the history's array pays for it in every op) and
// drops the noise of a machine other programs share. "from" keeps the conversation
// with graph.From; "input" passes the whole history back as input, which
// copies it every turn.
func BenchmarkChatLoop300(b *testing.B) {
	const turns, window = 300, 30
	user := chatMsg{Role: "user", Content: "What's on tomorrow?"}
	loops := map[string]func(context.Context, *graph.Compiled[chatState], chatState) (graph.Result[chatState], error){
		"from": func(ctx context.Context, c *graph.Compiled[chatState], st chatState) (graph.Result[chatState], error) {
			return c.Invoke(ctx, chatState{Messages: []chatMsg{user}}, graph.From(st))
		},
		"input": func(ctx context.Context, c *graph.Compiled[chatState], st chatState) (graph.Result[chatState], error) {
			return c.Invoke(ctx, chatState{Messages: append(st.Messages, user)})
		},
	}
	for _, name := range []string{"from", "input"} {
		turn := loops[name]
		b.Run(name, func(b *testing.B) {
			c := chatLoop(b)
			ctx := context.Background()
			best := make([]time.Duration, turns)
			var firstSum, lastSum time.Duration
			for i := range best {
				best[i] = time.Hour
			}
			b.ReportAllocs()
			for b.Loop() {
				var st chatState
				for i := range turns {
					t0 := time.Now()
					res, err := turn(ctx, c, st)
					d := time.Since(t0)
					best[i] = min(best[i], d)
					switch {
					case i < window:
						firstSum += d
					case i >= turns-window:
						lastSum += d
					}
					if err != nil {
						b.Fatal(err)
					}
					st = res.State
				}
				if len(st.Messages) != 4*turns {
					b.Fatalf("history holds %d messages, want %d", len(st.Messages), 4*turns)
				}
			}
			per := float64(b.N * window)
			b.ReportMetric(float64(firstSum)/per/1e3, "µs/turn-first30")
			b.ReportMetric(float64(lastSum)/per/1e3, "µs/turn-last30")
			b.ReportMetric(float64(lastSum)/float64(firstSum), "last/first")
			first, last := best[:window], best[turns-window:]
			b.ReportMetric(mean(last)/mean(first), "min-last/first")
		})
	}
}

func mean(ds []time.Duration) float64 {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	return float64(sum) / float64(len(ds))
}
