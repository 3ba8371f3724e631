package graph_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/graph"
)

// Conversation is the state of the examples: a message list that nodes
// append to, and a counter that the last writer sets.
type Conversation struct {
	Messages []string `graph:"append"`
	Turns    int
}

// A graph with a loop: "think" runs until it has taken three turns, then
// the run ends. With a saver, each thread keeps its state between runs.
func Example() {
	g := graph.New[Conversation]().
		AddNode("think", func(ctx context.Context, s Conversation) (Conversation, error) {
			return Conversation{Messages: []string{fmt.Sprintf("thought %d", s.Turns+1)}, Turns: s.Turns + 1}, nil
		}).
		AddEdge(graph.START, "think").
		AddConditionalEdges("think", func(ctx context.Context, s Conversation) ([]string, error) {
			if s.Turns < 3 {
				return []string{"think"}, nil
			}
			return []string{graph.END}, nil
		}, "think", graph.END)

	agent, err := g.Compile(graph.WithSaver(memory.New()))
	if err != nil {
		panic(err)
	}
	res, err := agent.Invoke(context.Background(),
		Conversation{Messages: []string{"hello"}},
		graph.Thread("whatsapp:+15551234567"))
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.Join(res.State.Messages, " | "))
	// Output: hello | thought 1 | thought 2 | thought 3
}

// A node pauses the run to ask a person, and a later call — possibly in
// another process — resumes it with the answer.
func ExampleInterrupt() {
	g := graph.New[Conversation]().
		AddNode("book", func(ctx context.Context, s Conversation) (Conversation, error) {
			approved, err := graph.Interrupt[bool](ctx, "Approve a table for 4 at 8 pm?")
			if err != nil {
				return Conversation{}, err // pauses the run
			}
			if !approved {
				return Conversation{Messages: []string{"declined"}}, nil
			}
			return Conversation{Messages: []string{"booked"}}, nil
		}).
		AddEdge(graph.START, "book").
		AddEdge("book", graph.END)
	saver := memory.New()
	agent, _ := g.Compile(graph.WithSaver(saver))
	ctx := context.Background()

	res, _ := agent.Invoke(ctx, Conversation{}, graph.Thread("owner"))
	fmt.Printf("paused at %s: %s\n", res.Interrupt.Node, res.Interrupt.Payload)

	res, _ = agent.Resume(ctx, "owner", true)
	fmt.Println(res.State.Messages)
	// Output:
	// paused at book: "Approve a table for 4 at 8 pm?"
	// [booked]
}

// Stream yields each step of a run as it happens.
func ExampleCompiled_Stream() {
	g := graph.New[Conversation]().
		AddNode("a", func(ctx context.Context, s Conversation) (Conversation, error) {
			return Conversation{Messages: []string{"from a"}}, nil
		}).
		AddNode("b", func(ctx context.Context, s Conversation) (Conversation, error) {
			return Conversation{Messages: []string{"from b"}}, nil
		}).
		AddEdge(graph.START, "a").AddEdge("a", "b").AddEdge("b", graph.END)
	c, _ := g.Compile()
	for ev, err := range c.Stream(context.Background(), Conversation{}) {
		if err != nil {
			panic(err)
		}
		switch ev.Kind {
		case graph.EventNodeEnd:
			fmt.Println(ev.Node, "->", ev.Update.Messages)
		case graph.EventDone:
			fmt.Println("done:", ev.State.Messages)
		}
	}
	// Output:
	// a -> [from a]
	// b -> [from b]
	// done: [from a from b]
}

// Mermaid draws a compiled graph; dotted arrows are a router's choices.
func ExampleCompiled_Mermaid() {
	nop := func(ctx context.Context, s Conversation) (Conversation, error) { return Conversation{}, nil }
	c, _ := graph.New[Conversation]().
		AddNode("chat", nop).
		AddNode("tools", nop).
		AddEdge(graph.START, "chat").
		AddEdge("tools", "chat").
		AddConditionalEdges("chat", func(ctx context.Context, s Conversation) ([]string, error) {
			return []string{graph.END}, nil
		}, "tools", graph.END).
		Compile()
	fmt.Print(c.Mermaid())
	// Output:
	// flowchart TD
	// 	__start__([__start__])
	// 	chat(chat)
	// 	tools(tools)
	// 	__end__([__end__])
	// 	__start__ --> chat
	// 	tools --> chat
	// 	chat -.-> tools
	// 	chat -.-> __end__
}

// Without a saver, a program keeps a conversation by starting each run
// From the previous result, with only the new message as input. The
// history is extended in place, so a turn costs the same at message 1,000
// as at message 10.
func ExampleFrom() {
	echo, err := graph.New[Conversation]().
		AddNode("reply", func(ctx context.Context, s Conversation) (Conversation, error) {
			return Conversation{Messages: []string{"you said " + s.Messages[len(s.Messages)-1]}, Turns: s.Turns + 1}, nil
		}).
		AddEdge(graph.START, "reply").
		AddEdge("reply", graph.END).
		Compile()
	if err != nil {
		panic(err)
	}
	var res graph.Result[Conversation]
	for _, msg := range []string{"hi", "bye"} {
		res, err = echo.Invoke(context.Background(), Conversation{Messages: []string{msg}}, graph.From(res.State))
		if err != nil {
			panic(err)
		}
	}
	fmt.Println(strings.Join(res.State.Messages, " | "))
	fmt.Println(res.State.Turns, "turns")
	// Output:
	// hi | you said hi | bye | you said bye
	// 2 turns
}

// With WithSyncAfter, the steps of a run are checkpointed as before but
// stored only once a node with side effects has run, and at the end, each
// time in one write: here the model's two steps go with the tool's, and
// the answer on its own.
func ExampleWithSyncAfter() {
	step := func(msg string) graph.NodeFunc[Conversation] {
		return func(ctx context.Context, s Conversation) (Conversation, error) {
			return Conversation{Messages: []string{msg}}, nil
		}
	}
	g := graph.New[Conversation]().
		AddNode("plan", step("plan: look up the calendar")).
		AddNode("calendar", step("calendar: free at 10")). // the side effect
		AddNode("answer", step("answer: you are free at 10")).
		AddEdge(graph.START, "plan").
		AddEdge("plan", "calendar").
		AddEdge("calendar", "answer").
		AddEdge("answer", graph.END)
	agent, err := g.Compile(graph.WithSaver(memory.New()), graph.WithSyncAfter("calendar"))
	if err != nil {
		panic(err)
	}
	var line []string
	for ev, err := range agent.Stream(context.Background(), Conversation{Messages: []string{"am I free?"}}, graph.Thread("t")) {
		if err != nil {
			panic(err)
		}
		switch ev.Kind {
		case graph.EventNodeEnd:
			line = append(line, ev.Node)
		case graph.EventCheckpoint:
			line = append(line, "stored")
		}
	}
	fmt.Println(strings.Join(line, " → "))
	// Output: plan → calendar → stored → stored → stored → answer → stored
}
