package agent_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	csqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/llm"
)

// zeroLatency calls a tool on the first round of each turn and answers on
// the second, instantly: what is measured is the runtime, not a model.
var zeroLatency = llm.ModelFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
	last := req.Messages[len(req.Messages)-1]
	if last.Role == llm.RoleUser {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c1", Name: "echo", Arguments: `{"x":1}`}}}}, nil
	}
	return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "Done: the echo said " + last.Content}}, nil
})

// BenchmarkTurn runs a full chat ⇄ tools turn (receive, chat with a tool
// call, tools, chat with the answer) on 16 threads at once, per saver and
// durability mode: "step" with a tool that has effects (stored after it
// and at the end), "step-readonly" with one that only reads (stored at
// the end), "exit". turns/s is the figure BENCHMARKS.md reports.
func BenchmarkTurn(b *testing.B) {
	savers := []struct {
		name string
		open func(b *testing.B) checkpoint.Saver
	}{
		{"memory", func(b *testing.B) checkpoint.Saver { return memory.New() }},
		{"sqlite", func(b *testing.B) checkpoint.Saver {
			db, err := csqlite.Open(context.Background(), b.TempDir()+"/bench.db")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			if err := migrateSQLite(db); err != nil {
				b.Fatal(err)
			}
			return csqlite.New(db)
		}},
		{"postgres", func(b *testing.B) checkpoint.Saver { return cpostgres.New(pgtest.New(b)) }},
	}
	modes := []struct {
		name     string
		d        graph.Durability
		readOnly bool // the tool only reads (agent.ReadOnlyToolbox)
	}{{"step", graph.DurabilityStep, false}, {"step-readonly", graph.DurabilityStep, true}, {"exit", graph.DurabilityExit, false}}
	for _, sv := range savers {
		for _, mode := range modes {
			b.Run(sv.name+"/"+mode.name, func(b *testing.B) {
				a, err := agent.New(agent.Config{
					Model: zeroLatency,
					Tools: func(string) agent.Toolbox {
						if mode.readOnly {
							return readOnlyEcho{&echoTools{}}
						}
						return &echoTools{}
					},
					Saver:      sv.open(b),
					Durability: mode.d,
				})
				if err != nil {
					b.Fatal(err)
				}
				var next atomic.Int64
				b.SetParallelism(8) // 2 cores × 8 = 16 concurrent threads
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					thread := fmt.Sprintf("whatsapp:+1555%07d", next.Add(1))
					for pb.Next() {
						r, err := a.Reply(context.Background(), thread, flows.Text("ping"))
						if err != nil || r.ToolCalls != 1 {
							b.Error(err, r.ToolCalls)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
			})
		}
	}
}

// readOnlyEcho is echoTools declared as only reading.
type readOnlyEcho struct{ *echoTools }

func (readOnlyEcho) ReadOnly([]llm.ToolCall) bool { return true }

// BenchmarkTurnAtLength runs one turn on a thread that already holds n
// messages, with the state cache warm (a thread served by this process) and
// cold (the first turn after a restart): warm turns must cost the same at
// any length.
func BenchmarkTurnAtLength(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		for _, warm := range []bool{true, false} {
			name := fmt.Sprintf("postgres/messages=%d/cold", n)
			cache := 0
			if warm {
				name = fmt.Sprintf("postgres/messages=%d/warm", n)
				cache = graph.DefaultStateCache
			}
			b.Run(name, func(b *testing.B) {
				saver := cpostgres.New(pgtest.New(b))
				a, err := agent.New(agent.Config{
					Model: zeroLatency, Saver: saver, StateCache: &cache,
					Tools: func(string) agent.Toolbox { return &echoTools{} },
				})
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				const thread = "whatsapp:+15550001000"
				for i := 0; i < n/4; i++ { // each turn stores 4 messages
					if _, err := a.Reply(ctx, thread, flows.Text("ping")); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for b.Loop() {
					if _, err := a.Reply(ctx, thread, flows.Text("ping")); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
