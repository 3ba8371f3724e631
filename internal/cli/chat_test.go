package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

// TestChatThreeTurns drives `assistant chat` with a scripted model: a
// greeting, a turn with a web search, and a turn that needs memory of the
// earlier ones — then a second session continues the same thread.
func TestChatThreeTurns(t *testing.T) {
	model := llmtest.NewOpenAI(t)
	searx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("format") != "json" {
			http.Error(w, "want format=json", 400)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"results": []map[string]string{{
			"title": "Museo del Prado — Hours", "url": "https://www.museodelprado.es/en/visit",
			"content": "Open Monday to Saturday 10:00–20:00, Sundays 10:00–19:00.",
		}}})
	}))
	defer searx.Close()
	model.Push(
		llmtest.Reply{Text: "Hi Ana! How can I help?"},
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "web_search", Arguments: `{"query":"Prado opening hours","max_results":3}`}}},
		llmtest.Reply{Text: "The Prado is open 10:00–20:00 Monday to Saturday."},
		llmtest.Reply{Text: "You asked about the Prado's hours."},
		llmtest.Reply{Text: "Still here."},
	)
	env := envMap(map[string]string{
		"OPENAI_API_KEY":     "sk-test",
		"OPENAI_BASE_URL":    model.BaseURL(),
		"SEARCH_PROVIDER":    "searxng",
		"SEARXNG_URL":        searx.URL,
		"ASSISTANT_DATA_DIR": t.TempDir(),
	})
	var out, errb bytes.Buffer
	in := strings.NewReader("hello\nWhen is the Prado open?\nWhat did I ask you about?\n")
	code := run(context.Background(), []string{"chat", "-env-file", "", "-thread", "+1 (555) 123-4567", "-name", "Ana"}, env, in, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{
		"Chatting as whatsapp:+15551234567",
		"assistant: Hi Ana! How can I help?",
		`→ web_search {"query":"Prado opening hours","max_results":3}`,
		"← ", "Museo del Prado",
		"assistant: The Prado is open 10:00–20:00 Monday to Saturday.",
		"assistant: You asked about the Prado's hours.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	reqs := model.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d model calls, want 4", len(reqs))
	}
	body := string(reqs[3].Body)
	if !strings.Contains(body, "When is the Prado open?") || !strings.Contains(body, "hello") || !strings.Contains(body, "Museo del Prado") {
		t.Fatalf("turn 3 did not carry the conversation: %s", body)
	}
	if !strings.Contains(string(reqs[0].Body), "Ana") || !strings.Contains(string(reqs[0].Body), "web_search") {
		t.Fatalf("system prompt lacks the profile name or the tool list: %s", reqs[0].Body)
	}

	// A second session on the same thread remembers: the store is the same.
	out.Reset()
	code = run(context.Background(), []string{"chat", "-env-file", "", "-thread", "whatsapp:+15551234567"}, env, strings.NewReader("still there?\n"), &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "assistant: Still here.") {
		t.Fatalf("second session: exit %d\n%s", code, out.String())
	}
	if last := string(model.Last().Body); !strings.Contains(last, "What did I ask you about?") {
		t.Fatalf("second session lost the history: %s", last)
	}
}

func TestChatWithoutModelSaysWhatToSet(t *testing.T) {
	env := envMap(map[string]string{"ASSISTANT_DATA_DIR": t.TempDir(), "OLLAMA_HOST": "http://127.0.0.1:1"})
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"chat", "-env-file", ""}, env, strings.NewReader("hi\n"), &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "No language model is configured") || !strings.Contains(out.String(), "OPENAI_API_KEY") {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
}

// TestChatCalendarConversation is the calendar conversation through
// `assistant chat` on the local backend: "Schedule a meeting with Sarah
// tomorrow at 3 PM", then "Actually, make that 4 PM", leaves exactly one
// event, at 4 PM, in the sender's own calendar.
func TestChatCalendarConversation(t *testing.T) {
	model := llmtest.NewOpenAI(t)
	day := time.Now().In(time.UTC).AddDate(0, 0, 1).Format("2006-01-02")
	model.Push(
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "calendar_create_event",
			Arguments: fmt.Sprintf(`{"summary":"Meeting with Sarah","start":"%sT15:00","end":"%sT16:00"}`, day, day)}}},
		llmtest.Reply{Text: "Booked: Meeting with Sarah tomorrow at 3 PM."},
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "calendar_update_event",
			Arguments: fmt.Sprintf(`{"match":"Meeting with Sarah","start":"%sT16:00"}`, day)}}},
		llmtest.Reply{Text: "Moved to 4 PM."},
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "calendar_list_events",
			Arguments: fmt.Sprintf(`{"from":"%s","to":"%sT23:59"}`, day, day)}}},
		llmtest.Reply{Text: "You have one meeting tomorrow, at 4 PM."},
	)
	env := envMap(map[string]string{
		"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": model.BaseURL(),
		"ASSISTANT_DATA_DIR": t.TempDir(), "ASSISTANT_TIMEZONE": "UTC",
	})
	var out, errb bytes.Buffer
	in := strings.NewReader("Schedule a meeting with Sarah tomorrow at 3 PM\nActually, make that 4 PM\nWhat's on tomorrow?\n")
	if code := run(context.Background(), []string{"chat", "-env-file", "", "-thread", "+15557654321"}, env, in, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	if strings.Contains(out.String(), "← error") {
		t.Fatalf("a tool failed:\n%s", out.String())
	}
	// The last tool result is the day's events, as the calendar holds them.
	results := strings.Split(out.String(), "  ← ")
	listed := results[len(results)-1]
	if strings.Count(listed, "Meeting with Sarah") != 1 || !strings.Contains(listed, day+"T16:00") {
		t.Fatalf("events after the conversation: %s\n\nfull output:\n%s", listed, out.String())
	}
	if strings.Contains(listed, "T15:00") {
		t.Fatalf("the 3 PM event survived: %s", listed)
	}
}

// TestChatEndsOnCtrlC: an interrupt while chat waits at the prompt ends
// the session with exit 0, instead of failing the next message with
// "context canceled".
func TestChatEndsOnCtrlC(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stdin, typing := io.Pipe()
	defer typing.Close()
	var out syncBuffer
	env := envMap(map[string]string{"ASSISTANT_DATA_DIR": t.TempDir()})
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"chat", "-env-file", ""}, env, stdin, &out, io.Discard)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "> ") {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt; output:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after Ctrl-C; output:\n%s", code, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("chat still running after Ctrl-C; output:\n%s", out.String())
	}
}
