package tools_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/tools"
)

// whoAmI answers with the thread its call acts for.
var whoAmI = tools.Must(tools.New("who_am_i", "The thread a call acts for.",
	func(ctx context.Context, _ struct{}) (string, error) { return tools.ThreadOf(ctx) }))

// callInRun calls tool from a node of a graph run on thread ("" for a
// call outside any run).
func callInRun(t *testing.T, thread string, tool tools.Tool) (string, error) {
	t.Helper()
	if thread == "" {
		return tool.Call(context.Background(), "{}")
	}
	type state struct{ Out, Err string }
	g := graph.New[state]().
		AddNode("call", func(ctx context.Context, _ state) (state, error) {
			out, err := tool.Call(ctx, "{}")
			if err != nil {
				return state{Err: err.Error()}, nil
			}
			return state{Out: out}, nil
		}).
		AddEdge(graph.START, "call").AddEdge("call", graph.END)
	c, err := g.Compile()
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Invoke(context.Background(), state{}, graph.Thread(thread))
	if err != nil {
		t.Fatal(err)
	}
	if res.State.Err != "" {
		return "", errors.New(res.State.Err)
	}
	return res.State.Out, nil
}

func TestThreadOf(t *testing.T) {
	const ana, luis = "whatsapp:+34600111222", "whatsapp:+34600333444"
	tests := []struct {
		name    string
		bound   string // "" for the unbound tool
		run     string // "" for a call outside a run
		want    string
		wantErr string
	}{
		{"bound, outside a run", ana, "", ana, ""},
		{"bound, in its own thread's run", ana, ana, ana, ""},
		{"bound, in another thread's run", ana, luis, "", "bound to thread"},
		{"unbound, in a run", "", luis, luis, ""},
		{"unbound, outside a run", "", "", "", "no thread"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tool := whoAmI
			if tt.bound != "" {
				tool = tools.Bind(tt.bound, whoAmI)[0]
			}
			got, err := callInRun(t, tt.run, tool)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "600111222") {
					t.Errorf("error %q shows a phone number unmasked", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %s, %v; want %s", got, err, tt.want)
			}
		})
	}
	if _, err := whoAmI.Call(context.Background(), "{}"); !errors.Is(err, tools.ErrNoThread) {
		t.Errorf("unbound call outside a run: err = %v, want ErrNoThread", err)
	}
}
