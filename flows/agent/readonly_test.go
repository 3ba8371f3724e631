package agent_test

import (
	"context"
	"slices"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

// writeCounter is a memory saver that records how many checkpoints each
// write stored.
type writeCounter struct {
	*memory.Saver
	writes []int
}

func (w *writeCounter) Put(ctx context.Context, cp checkpoint.Checkpoint, app map[string][][]byte) error {
	return w.PutBatch(ctx, []checkpoint.Put{{Checkpoint: cp, Appends: app}})
}

func (w *writeCounter) PutBatch(ctx context.Context, puts []checkpoint.Put) error {
	w.writes = append(w.writes, len(puts))
	return checkpoint.PutAll(ctx, w.Saver, puts)
}

// TestReadOnlyToolsDoNotStoreMidTurn checks that a turn whose tools only
// read is stored once, at its end, and one that called a tool with effects
// also right after that tool, so a crash never calls it again.
func TestReadOnlyToolsDoNotStoreMidTurn(t *testing.T) {
	set := tools.Must(tools.NewSet(
		tools.Must(tools.New("find_slots", "Free times", func(ctx context.Context, a struct{}) (string, error) { return "10:00", nil },
			tools.ReadOnly())),
		tools.Must(tools.New("book_slot", "Book a time", func(ctx context.Context, a struct{}) (string, error) { return "booked", nil })),
	))
	for _, tc := range []struct {
		name  string
		calls []string
		want  []int // checkpoints per write: input, receive, chat, tools, chat
	}{
		{"a tool that only reads", []string{"find_slots"}, []int{5}},
		{"a tool with effects", []string{"book_slot"}, []int{4, 1}},
		{"both at once", []string{"find_slots", "book_slot"}, []int{4, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls []llm.ToolCall
			for i, name := range tc.calls {
				calls = append(calls, llm.ToolCall{ID: string(rune('a' + i)), Name: name, Arguments: `{}`})
			}
			saver := &writeCounter{Saver: memory.New()}
			a, err := agent.New(agent.Config{
				Model:      &script{steps: []func(llm.Request) (llm.Response, error){call(calls...), say("Done.")}},
				Tools:      func(string) agent.Toolbox { return set },
				Saver:      saver,
				Durability: graph.DurabilityStep,
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := a.Reply(context.Background(), "whatsapp:+15550001234", flows.Text("hi")); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(saver.writes, tc.want) {
				t.Fatalf("writes of %v checkpoints, want %v", saver.writes, tc.want)
			}
		})
	}
}
