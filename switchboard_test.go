package switchboard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
)

type echoArgs struct {
	Word string `json:"word" jsonschema:"a word"`
}

var echo = tools.Must(tools.New("echo", "Says a word back",
	func(ctx context.Context, a echoArgs) (string, error) { return "echo " + a.Word, nil }))

// recorder is a scripted model that calls echo with args on every user
// message, answers "done: <result>" after the tool, and keeps the requests.
type recorder struct {
	mu   sync.Mutex
	args string
	reqs []llm.Request
}

func (r *recorder) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req)
	r.mu.Unlock()
	last := req.Messages[len(req.Messages)-1]
	if last.Role == llm.RoleTool {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "done: " + last.Content}}, nil
	}
	return llm.Response{Message: llm.Message{Role: llm.RoleAssistant,
		ToolCalls: []llm.ToolCall{{ID: "c1", Name: "echo", Arguments: r.args}}}}, nil
}

func (r *recorder) requests() []llm.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]llm.Request(nil), r.reqs...)
}

func TestReplyKeepsEachThreadsHistory(t *testing.T) {
	ctx := context.Background()
	m := &recorder{args: `{"word":"hi"}`}
	a, err := New(ctx, nil, WithModel(m), WithTools(echo), WithSystemPrompt("be brief"))
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Tools(); len(got) != 1 || got[0].Name != "echo" {
		t.Fatalf("Tools() = %+v", got)
	}
	r, err := a.Reply(ctx, "t1", "first")
	if err != nil {
		t.Fatal(err)
	}
	want := Reply{Text: "done: echo hi", ToolCalls: []ToolCall{{Name: "echo", Arguments: `{"word":"hi"}`, Result: "echo hi", done: true}}}
	if r.Text != want.Text || len(r.ToolCalls) != 1 || r.ToolCalls[0] != want.ToolCalls[0] {
		t.Fatalf("reply = %+v, want %+v", r, want)
	}
	if _, err := a.Reply(ctx, "t1", "second"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Reply(ctx, "t2", "other"); err != nil {
		t.Fatal(err)
	}
	reqs := m.requests()
	if len(reqs) != 6 {
		t.Fatalf("%d model requests, want 6", len(reqs))
	}
	if reqs[0].System != "be brief" || len(reqs[0].Tools) != 1 {
		t.Fatalf("first request: system %q, %d tools", reqs[0].System, len(reqs[0].Tools))
	}
	// The second turn of t1 sees the first (user, call, result, answer);
	// t2 sees only its own message.
	if n := len(reqs[2].Messages); n != 5 || reqs[2].Messages[0].Content != "first" {
		t.Fatalf("t1's second turn sent %d messages: %+v", n, reqs[2].Messages)
	}
	if n := len(reqs[4].Messages); n != 1 || reqs[4].Messages[0].Content != "other" {
		t.Fatalf("t2 sent %d messages: %+v", n, reqs[4].Messages)
	}
}

// TestReplyBadArguments: arguments that do not match the tool's schema
// never reach the tool; the model reads why.
func TestReplyBadArguments(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	a, err := New(ctx, nil, WithModel(&recorder{args: `{"word":42}`}), WithTools(echo), WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.Reply(ctx, "t", "go")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ToolCalls) != 1 || !r.ToolCalls[0].IsError || strings.Contains(r.ToolCalls[0].Result, "echo 42") {
		t.Fatalf("tool calls = %+v", r.ToolCalls)
	}
	if !strings.HasPrefix(r.Text, "done: ") {
		t.Fatalf("reply = %q", r.Text)
	}
}

func TestNewWithoutModelSaysWhatToSet(t *testing.T) {
	env := map[string]string{"OLLAMA_HOST": "http://127.0.0.1:1"}
	_, err := New(context.Background(), func(k string) string { return env[k] })
	var nc *llm.NotConfiguredError
	if !errors.As(err, &nc) || !strings.Contains(err.Error(), "OPENAI_API_KEY") {
		t.Fatalf("error = %v, want a NotConfiguredError naming OPENAI_API_KEY", err)
	}
}

func TestNewRejectsDuplicateTools(t *testing.T) {
	_, err := New(context.Background(), nil, WithModel(&recorder{}), WithTools(echo, echo))
	if err == nil {
		t.Fatal("two tools named echo were accepted")
	}
}

func TestChat(t *testing.T) {
	ctx := context.Background()
	a, err := New(ctx, nil, WithModel(&recorder{args: `{"word":"hi"}`}), WithTools(echo))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := a.Chat(ctx, "whatsapp:+15551234567", strings.NewReader("hello\n\nnot read\n"), &out); err != nil {
		t.Fatal(err)
	}
	want := "Chatting as whatsapp:+15551234567. Type a message; an empty line or Ctrl-D ends.\n" +
		"> " + `  → echo {"word":"hi"}` + "\n  ← echo hi\nassistant: done: echo hi\n> "
	if got := out.String(); got != want {
		t.Fatalf("chat output:\n%q\nwant:\n%q", got, want)
	}
}

// TestChatEndsOnCancel: Ctrl-C (a cancelled context) ends a chat waiting
// for input, even though the reader never returns.
func TestChatEndsOnCancel(t *testing.T) {
	a, err := New(context.Background(), nil, WithModel(&recorder{}))
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Chat(ctx, "t", pr, &bytes.Buffer{}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Chat did not end when its context was cancelled")
	}
}

// TestREADMEShowsTheExample: the README's "Adding a tool" snippet is the
// tool of Example, which go test runs and checks.
func TestREADMEShowsTheExample(t *testing.T) {
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(src), "// readme:start\n")
	snippet, _, ok := strings.Cut(rest, "// readme:end")
	if !ok {
		t.Fatal("example_test.go lacks the readme markers")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), strings.TrimSpace(snippet)) {
		t.Fatalf("README.md does not contain the tool of example_test.go verbatim:\n%s", strings.TrimSpace(snippet))
	}
}
