package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/switchboardhq/switchboard/graph"
)

type benchState struct {
	Items []int `graph:"append"`
	N     int
}

func noop(ctx context.Context, s benchState) (benchState, error) { return benchState{}, nil }

// BenchmarkChain10 runs a chain of 10 no-op nodes without a saver; the
// per-node-step figures are what the design targets (≤ 1 µs, ≤ 4 allocs).
func BenchmarkChain10(b *testing.B) {
	g := graph.New[benchState]()
	prev := graph.START
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("n%d", i)
		g.AddNode(name, noop).AddEdge(prev, name)
		prev = name
	}
	g.AddEdge(prev, graph.END)
	c, err := g.Compile()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Invoke(ctx, benchState{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	perRun := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perRun/10, "ns/node-step")
}

// BenchmarkFanOut8 runs one superstep of 8 parallel nodes, each appending
// one item, merged by the append reducer.
func BenchmarkFanOut8(b *testing.B) {
	g := graph.New[benchState]()
	for i := 0; i < 8; i++ {
		name := fmt.Sprintf("p%d", i)
		g.AddNode(name, func(ctx context.Context, s benchState) (benchState, error) {
			return benchState{Items: []int{i}}, nil
		}).AddEdge(graph.START, name).AddEdge(name, graph.END)
	}
	c, err := g.Compile()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.Invoke(ctx, benchState{})
		if err != nil || len(res.State.Items) != 8 {
			b.Fatal(err, res.State.Items)
		}
	}
}
