package tools_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

type weather struct {
	City  string  `json:"city"`
	TempC float64 `json:"temp_c"`
}

func weatherTool() tools.Tool {
	return tools.Must(tools.New("get_weather", "Current weather for a city",
		func(ctx context.Context, a weatherArgs) (weather, error) {
			if a.City == "Atlantis" {
				return weather{}, tools.Errorf("no weather station in %s", a.City)
			}
			if a.City == "Error" {
				return weather{}, errors.New("database password is hunter2")
			}
			return weather{City: a.City, TempC: 21.5}, nil
		}))
}

type echoArgs struct {
	Text string `json:"text"`
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func TestRun(t *testing.T) {
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	set := tools.Must(tools.NewSet(
		weatherTool(),
		tools.Must(tools.New("echo", "Echo text", func(ctx context.Context, a echoArgs) (string, error) { return a.Text, nil })),
		tools.Must(tools.New("boom", "Panics", func(ctx context.Context, a noArgs) (string, error) { panic("kaboom") })),
		tools.Must(tools.New("nothing", "Returns nothing", func(ctx context.Context, a noArgs) (string, error) { return "", nil })),
		tools.Must(tools.New("stubborn", "Ignores its context", func(ctx context.Context, a noArgs) (string, error) {
			<-block
			return "too late", nil
		}, tools.WithTimeout(20*time.Millisecond))),
		tools.Must(tools.New("polite", "Honours its context", func(ctx context.Context, a noArgs) (string, error) {
			<-ctx.Done()
			return "", fmt.Errorf("waiting: %w", ctx.Err())
		}, tools.WithTimeout(20*time.Millisecond))),
		tools.Must(tools.New("slow_default", "Uses the Set's default timeout", func(ctx context.Context, a noArgs) (string, error) {
			<-ctx.Done()
			return "", ctx.Err()
		})),
	)).WithDefaultTimeout(30 * time.Millisecond)

	tests := []struct {
		name      string
		call      llm.ToolCall
		want      string // exact content when wantSub is empty
		wantSub   []string
		wantError bool
		wantLog   string
	}{
		{name: "valid", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Lisbon"}`}, want: `{"city":"Lisbon","temp_c":21.5}`},
		{name: "valid with enum", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Lisbon","units":"metric"}`}, want: `{"city":"Lisbon","temp_c":21.5}`},
		{name: "null optional is absent", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Lisbon","units":null}`}, want: `{"city":"Lisbon","temp_c":21.5}`},
		{name: "string result as is", call: llm.ToolCall{Name: "echo", Arguments: `{"text":"hi \"there\""}`}, want: `hi "there"`},
		{name: "empty arguments for a tool without any", call: llm.ToolCall{Name: "nothing", Arguments: ``}, want: `(empty result)`},
		{name: "invalid JSON", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":`},
			wantSub: []string{"invalid arguments for get_weather", "not valid JSON", "Call get_weather again"}, wantError: true},
		{name: "not an object", call: llm.ToolCall{Name: "get_weather", Arguments: `"Lisbon"`},
			wantSub: []string{"must be a JSON object"}, wantError: true},
		{name: "missing required", call: llm.ToolCall{Name: "get_weather", Arguments: `{}`},
			wantSub: []string{"invalid arguments for get_weather", `missing properties: ["city"]`}, wantError: true},
		{name: "wrong type", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":42}`},
			wantSub: []string{"/properties/city", `want "string"`}, wantError: true},
		{name: "not in enum", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Lisbon","units":"kelvin"}`},
			wantSub: []string{"kelvin does not equal any of: [metric imperial]"}, wantError: true},
		{name: "unknown property", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Lisbon","country":"PT"}`},
			wantSub: []string{`additional properties ["country"]`}, wantError: true},
		{name: "unknown tool", call: llm.ToolCall{Name: "get_wether", Arguments: `{}`},
			wantSub: []string{`unknown tool "get_wether"`, "Available tools: boom, echo, get_weather"}, wantError: true, wantLog: "unknown tool"},
		{name: "user error shown", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Atlantis"}`},
			want: "Error: no weather station in Atlantis", wantError: true},
		{name: "internal error hidden and logged", call: llm.ToolCall{Name: "get_weather", Arguments: `{"city":"Error"}`},
			want:      "Error: get_weather failed with an internal error. You may retry once; if it fails again, tell the user it could not be done right now.",
			wantError: true, wantLog: "hunter2"},
		{name: "panic", call: llm.ToolCall{Name: "boom", Arguments: `{}`},
			wantSub: []string{"boom failed with an internal error"}, wantError: true, wantLog: "kaboom"},
		{name: "timeout, context ignored", call: llm.ToolCall{Name: "stubborn", Arguments: `{}`},
			wantSub: []string{"stubborn did not finish within 20ms"}, wantError: true, wantLog: "tool timed out"},
		{name: "timeout, context honoured", call: llm.ToolCall{Name: "polite", Arguments: `{}`},
			wantSub: []string{"polite did not finish within 20ms"}, wantError: true, wantLog: "tool timed out"},
		{name: "set default timeout", call: llm.ToolCall{Name: "slow_default", Arguments: `{}`},
			wantSub: []string{"slow_default did not finish within 30ms"}, wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := newLogger()
			tt.call.ID = "call_1"
			msgs := set.WithLogger(logger).Run(context.Background(), []llm.ToolCall{tt.call})
			if len(msgs) != 1 {
				t.Fatalf("got %d messages, want 1", len(msgs))
			}
			m := msgs[0]
			if m.Role != llm.RoleTool || m.ToolCallID != "call_1" || m.Name != tt.call.Name {
				t.Errorf("message = %+v, want a tool result for call_1 of %s", m, tt.call.Name)
			}
			if m.IsError != tt.wantError {
				t.Errorf("IsError = %v, want %v (content %q)", m.IsError, tt.wantError, m.Content)
			}
			if tt.wantSub == nil && m.Content != tt.want {
				t.Errorf("content = %q, want %q", m.Content, tt.want)
			}
			for _, sub := range tt.wantSub {
				if !strings.Contains(m.Content, sub) {
					t.Errorf("content = %q, want it to contain %q", m.Content, sub)
				}
			}
			if strings.Contains(m.Content, "hunter2") {
				t.Errorf("internal error leaked to the model: %q", m.Content)
			}
			if tt.wantLog != "" && !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log = %q, want it to contain %q", logs.String(), tt.wantLog)
			}
		})
	}
}

func TestRunCancelled(t *testing.T) {
	set := tools.Must(tools.NewSet(tools.Must(tools.New("wait", "Waits", func(ctx context.Context, a noArgs) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	}))))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	msgs := set.WithLogger(slog.New(slog.DiscardHandler)).Run(ctx, []llm.ToolCall{{ID: "a", Name: "wait"}, {ID: "b", Name: "wait"}})
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want 2", len(msgs))
	}
	for i, m := range msgs {
		if !m.IsError || !strings.Contains(m.Content, "was cancelled") || m.ToolCallID != []string{"a", "b"}[i] {
			t.Errorf("message %d = %+v, want a cancellation result", i, m)
		}
	}
}

func TestRunConcurrentInCallOrder(t *testing.T) {
	const n = 5
	var started atomic.Int32
	allStarted := make(chan struct{})
	type args struct {
		I int `json:"i"`
	}
	tool := tools.Must(tools.New("work", "Works", func(ctx context.Context, a args) (string, error) {
		if started.Add(1) == n {
			close(allStarted)
		}
		// Every call waits until all have started: this only finishes if
		// the calls overlap.
		select {
		case <-allStarted:
		case <-ctx.Done():
			return "", errors.New("calls did not overlap")
		}
		// Later calls finish first.
		time.Sleep(time.Duration(n-a.I) * 5 * time.Millisecond)
		return fmt.Sprintf("result %d", a.I), nil
	}, tools.WithTimeout(5*time.Second)))
	set := tools.Must(tools.NewSet(tool))

	calls := make([]llm.ToolCall, n)
	for i := range calls {
		calls[i] = llm.ToolCall{ID: fmt.Sprintf("call_%d", i), Name: "work", Arguments: fmt.Sprintf(`{"i":%d}`, i)}
	}
	msgs := set.Run(context.Background(), calls)
	if len(msgs) != n {
		t.Fatalf("got %d messages, want %d", len(msgs), n)
	}
	for i, m := range msgs {
		if m.IsError || m.ToolCallID != calls[i].ID || m.Content != fmt.Sprintf("result %d", i) {
			t.Errorf("message %d = %+v", i, m)
		}
	}
}

func TestRunMixedBatchKeepsOneResultPerCall(t *testing.T) {
	set := tools.Must(tools.NewSet(weatherTool())).WithLogger(slog.New(slog.DiscardHandler))
	calls := []llm.ToolCall{
		{ID: "1", Name: "get_weather", Arguments: `{"city":"Porto"}`},
		{ID: "2", Name: "nope", Arguments: `{}`},
		{ID: "3", Name: "get_weather", Arguments: `{`},
		{ID: "4", Name: "get_weather", Arguments: `{"city":"Atlantis"}`},
	}
	msgs := set.Run(context.Background(), calls)
	wantErr := []bool{false, true, true, true}
	if len(msgs) != len(calls) {
		t.Fatalf("got %d messages, want %d", len(msgs), len(calls))
	}
	for i, m := range msgs {
		if m.ToolCallID != calls[i].ID || m.IsError != wantErr[i] {
			t.Errorf("message %d = %+v", i, m)
		}
	}
	if got := set.Run(context.Background(), nil); got != nil {
		t.Errorf("Run(nil) = %v, want nil", got)
	}
}

func TestSetDefsFilterAndOptions(t *testing.T) {
	book := tools.Must(tools.New("request_booking", "Ask for a booking", func(ctx context.Context, a noArgs) (string, error) { return "ok", nil },
		tools.RequiresConfirmation(), tools.WithTimeout(time.Minute)))
	set := tools.Must(tools.NewSet(weatherTool(), book, tools.Must(tools.New("echo", "Echo text", func(ctx context.Context, a echoArgs) (string, error) { return a.Text, nil }))))

	var names []string
	for _, d := range set.Defs() {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, ","); got != "echo,get_weather,request_booking" {
		t.Errorf("Defs order = %s", got)
	}
	if !book.RequiresConfirmation() || book.Timeout() != time.Minute {
		t.Errorf("booking: confirmation %v, timeout %v", book.RequiresConfirmation(), book.Timeout())
	}
	if w, _ := set.Get("get_weather"); w.RequiresConfirmation() || w.Timeout() != 0 {
		t.Errorf("weather: confirmation %v, timeout %v", w.RequiresConfirmation(), w.Timeout())
	}

	public := set.Filter(func(t tools.Tool) bool { return !t.RequiresConfirmation() })
	if public.Len() != 2 {
		t.Fatalf("filtered Len = %d, want 2", public.Len())
	}
	if _, ok := public.Get("request_booking"); ok {
		t.Error("filtered set still has request_booking")
	}
	msgs := public.WithLogger(slog.New(slog.DiscardHandler)).Run(context.Background(), []llm.ToolCall{{ID: "x", Name: "request_booking", Arguments: `{}`}})
	if !msgs[0].IsError || !strings.Contains(msgs[0].Content, "unknown tool") {
		t.Errorf("a filtered-out tool ran: %+v", msgs[0])
	}
	if set.Len() != 3 {
		t.Errorf("Filter changed the original set")
	}

	// Def returns a copy.
	d := set.Tools()[0].Def()
	d.Parameters[0] = 'X'
	if set.Tools()[0].Def().Parameters[0] != '{' {
		t.Error("changing a Def changed the tool")
	}

	var empty *tools.Set
	if empty.Len() != 0 || empty.Defs() != nil || empty.Filter(func(tools.Tool) bool { return true }).Len() != 0 {
		t.Error("nil Set is not empty")
	}
	if m := empty.WithLogger(slog.New(slog.DiscardHandler)).RunOne(context.Background(), llm.ToolCall{ID: "1", Name: "x"}); !strings.Contains(m.Content, "no tools are available") {
		t.Errorf("nil Set RunOne = %q", m.Content)
	}
}

func TestNewErrors(t *testing.T) {
	fn := func(ctx context.Context, a echoArgs) (string, error) { return "", nil }
	tests := []struct {
		name, tool, desc string
		opts             []tools.Option
		wantErr          string
	}{
		{name: "empty name", tool: "", desc: "d", wantErr: "invalid tool name"},
		{name: "space in name", tool: "get weather", desc: "d", wantErr: "invalid tool name"},
		{name: "name too long", tool: strings.Repeat("a", 65), desc: "d", wantErr: "invalid tool name"},
		{name: "no description", tool: "echo", desc: "", wantErr: "empty description"},
		{name: "negative timeout", tool: "echo", desc: "d", opts: []tools.Option{tools.WithTimeout(-time.Second)}, wantErr: "negative timeout"},
		{name: "failing schema hook", tool: "echo", desc: "d", opts: []tools.Option{tools.WithSchema(func(*jsonschemaSchema) error { return errors.New("nope") })}, wantErr: "schema hook: nope"},
		{name: "ok", tool: "echo-2_b", desc: "d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tools.New(tt.tool, tt.desc, fn, tt.opts...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
	if _, err := tools.New[echoArgs, string]("echo", "d", nil); err == nil {
		t.Error("New with a nil function succeeded")
	}
	if _, err := tools.New("echo", "d", func(ctx context.Context, a int) (string, error) { return "", nil }); err == nil {
		t.Error("New with a non-struct argument succeeded")
	}
}

func TestNewSetErrors(t *testing.T) {
	tests := []struct {
		name    string
		tools   []tools.Tool
		wantErr string
	}{
		{"duplicate name", []tools.Tool{weatherTool(), weatherTool()}, `two tools are named "get_weather"`},
		{"nil tool", []tools.Tool{weatherTool(), nil}, "tool 1 is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := tools.NewSet(tt.tools...)
			if err == nil || set != nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("NewSet = %v, %v; want no set and an error containing %q", set, err, tt.wantErr)
			}
		})
	}
}

func TestMustPanicsOnWiringErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   func()
	}{
		{"New with a bad name", func() {
			tools.Must(tools.New("bad name", "d", func(ctx context.Context, a echoArgs) (string, error) { return "", nil }))
		}},
		{"NewSet with duplicates", func() { tools.Must(tools.NewSet(weatherTool(), weatherTool())) }},
		{"NewSet with nil", func() { tools.Must(tools.NewSet(nil)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.fn()
		})
	}
}

func TestWithSchemaHook(t *testing.T) {
	tool := tools.Must(tools.New("echo", "Echo text", func(ctx context.Context, a echoArgs) (string, error) { return a.Text, nil },
		tools.WithSchema(func(s *jsonschemaSchema) error {
			s.Properties["text"].MaxLength = &[]int{5}[0]
			return nil
		})))
	if !strings.Contains(string(tool.Def().Parameters), `"maxLength":5`) {
		t.Errorf("schema = %s", tool.Def().Parameters)
	}
	if _, err := tool.Call(context.Background(), `{"text":"too long"}`); err == nil {
		t.Error("a value violating the hook's constraint was accepted")
	} else if ae := (*tools.ArgumentsError)(nil); !errors.As(err, &ae) || ae.Tool != "echo" {
		t.Errorf("err = %v, want an ArgumentsError", err)
	}
}

func TestUserErrorUnwraps(t *testing.T) {
	cause := errors.New("slot taken")
	err := tools.Errorf("cannot book 9pm: %w", cause)
	if !errors.Is(err, cause) || err.Error() != "cannot book 9pm: slot taken" {
		t.Errorf("err = %v", err)
	}
}
