// Package agentsim drives a saver the way the assistant's agent does, for
// the savers' benchmarks and size measurements: a graph shaped like
// flows/agent (receive → chat → tools → chat), whose messages have the
// JSON shape and size of llm.Message, and a zero-latency model that calls
// one tool and then answers. It lives here, not in flows, so that the
// checkpoint packages measure themselves without depending on the
// application.
package agentsim

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/graph"
)

// Message has llm.Message's JSON shape.
type Message struct {
	ID         string     `json:"id,omitempty"`
	Role       string     `json:"role"`
	Content    string     `json:"content,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
	Time       time.Time  `json:"time,omitzero"`
}

// ToolCall has llm.ToolCall's JSON shape.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// State has flows/agent.State's channels: the history as a log, two small
// values, and a transient inbox.
type State struct {
	Messages    []Message `graph:"append"`
	ProfileName string
	Watermark   int64
	Inbox       []Message `graph:"-"`
}

// New compiles the agent-shaped graph on saver, with opts after the
// saver and durability.
func New(saver checkpoint.Saver, d graph.Durability, opts ...graph.CompileOption) (*graph.Compiled[State], error) {
	return NewWithTool(saver, d, nil, opts...)
}

// SyncAfterTools is what flows/agent compiles with under DurabilityStep:
// checkpoints stored when the tools step ends and when the run does.
func SyncAfterTools() graph.CompileOption { return graph.WithSyncAfter("tools") }

// NewWithTool is New with a side effect: the tools node calls tool with
// the call's id before it answers, and fails if tool does.
func NewWithTool(saver checkpoint.Saver, d graph.Durability, tool func(ctx context.Context, callID string) error, opts ...graph.CompileOption) (*graph.Compiled[State], error) {
	return graph.New[State]().
		AddNode("receive", func(ctx context.Context, s State) (State, error) {
			return State{Messages: s.Inbox}, nil
		}).
		AddNode("chat", func(ctx context.Context, s State) (State, error) {
			last := s.Messages[len(s.Messages)-1]
			if last.Role == "user" {
				return State{Messages: []Message{{Role: "assistant", Time: now(),
					ToolCalls: []ToolCall{{ID: "call_" + strconv.Itoa(len(s.Messages)), Name: "calendar_list_events",
						Arguments: `{"date":"` + day(len(s.Messages)/4) + `"}`}}}}}, nil
			}
			return State{Messages: []Message{{Role: "assistant", Time: now(),
				Content: answer(len(s.Messages) / 4)}}}, nil
		}).
		AddNode("tools", func(ctx context.Context, s State) (State, error) {
			call := s.Messages[len(s.Messages)-1].ToolCalls[0]
			if tool != nil {
				if err := tool(ctx, call.ID); err != nil {
					return State{}, err
				}
			}
			return State{Messages: []Message{{Role: "tool", ToolCallID: call.ID, Name: call.Name, Time: now(),
				Content: events(len(s.Messages) / 4)}}}, nil
		}).
		AddEdge(graph.START, "receive").
		AddEdge("receive", "chat").
		AddConditionalEdges("chat", func(ctx context.Context, s State) ([]string, error) {
			if len(s.Messages[len(s.Messages)-1].ToolCalls) > 0 {
				return []string{"tools"}, nil
			}
			return []string{graph.END}, nil
		}, "tools", graph.END).
		AddEdge("tools", "chat").
		Compile(append([]graph.CompileOption{graph.WithSaver(saver), graph.WithDurability(d)}, opts...)...)
}

func now() time.Time { return time.Now().UTC() }

// The conversation varies from turn to turn, as a real one does, so that
// what compression makes of it is not flattered by repetition.
var (
	asks = []string{
		"What do I have on %s? Anything in the morning?",
		"Can you check %s for me, I think I double-booked something",
		"Is there anything on %s after 6pm? Marta wants to meet",
		"what's my day like %s",
		"Do I have time for a haircut on %s around lunch?",
		"Please look at %s, I need a free hour for the bank",
		"Anything I should prepare for %s? Send me the list",
	}
	titles = []string{"Dentist", "Lunch with Ana", "Team standup", "Call with the bank", "Gym, legs", "Parents' evening",
		"Flight to Lisbon", "Haircut", "Review with Jorge", "Pick up the car", "Yoga", "Dinner at Casa Lola"}
)

// day is the date turn n asks about.
func day(n int) string {
	return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%90).Format("2006-01-02")
}

// slot returns turn n's i-th event: a title and a time of day.
func slot(n, i int) (string, int, int) {
	k := n*7 + i*5
	return titles[k%len(titles)], 8 + (k*3)%12, (k * 15) % 60
}

func events(n int) string {
	var b []byte
	b = append(b, '[')
	for i := range 1 + n%3 {
		title, h, m := slot(n, i)
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, `{"title":%q,"start":"%sT%02d:%02d:00+01:00","location":%q}`, title, day(n), h, m, []string{"", "Calle Mayor 1", "Office", "Zoom"}[(n+i)%4])
	}
	return string(append(b, ']'))
}

func answer(n int) string {
	count := 1 + n%3
	out := fmt.Sprintf("You have %d event(s) on %s:", count, day(n))
	for i := range count {
		title, h, m := slot(n, i)
		out += fmt.Sprintf(" %s at %02d:%02d;", title, h, m)
	}
	return out + []string{" nothing else is booked.", " the rest of the day is free.", " want me to add a reminder?"}[n%3]
}

// Input is the input of the thread's turn number i: one inbound message.
func Input(i int) State {
	return State{
		ProfileName: "Ana",
		Watermark:   int64(i + 1),
		Inbox: []Message{{ID: strconv.Itoa(100000 + i), Role: "user", Time: now(),
			Content: fmt.Sprintf(asks[i%len(asks)], day(i))}},
	}
}

// DurableInput is Input with the message in the history rather than the
// transient inbox: a run resumed after a crash before the receive step
// still has it. (The agent's inbox is transient because its inbound
// messages are rows of their own, read again when a run is retried.)
func DurableInput(i int) State {
	in := Input(i)
	in.Messages, in.Inbox = in.Inbox, nil
	return in
}

// Turn runs the thread's turn number i: one inbound message, answered
// after one tool call (four messages, five checkpoints with
// graph.DurabilityStep).
func Turn(ctx context.Context, c *graph.Compiled[State], thread string, i int) error {
	res, err := c.Invoke(ctx, Input(i), graph.Thread(thread))
	if err != nil {
		return err
	}
	if n := len(res.State.Messages); n != 4*(i+1) {
		return fmt.Errorf("agentsim: thread %s holds %d messages after turn %d, want %d", thread, n, i, 4*(i+1))
	}
	return nil
}
