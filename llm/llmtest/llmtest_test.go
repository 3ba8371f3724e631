package llmtest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

func TestCheckPaired(t *testing.T) {
	call := func(id string) llm.ToolCall { return llm.ToolCall{ID: id, Name: "f"} }
	tests := []struct {
		name  string
		turns []llmtest.Turn
		ok    bool
	}{
		{"no tools", []llmtest.Turn{{Role: "user"}, {Role: "assistant"}}, true},
		{"paired in one message", []llmtest.Turn{{Role: "assistant", ToolCalls: []llm.ToolCall{call("a"), call("b")}}, {Role: "user", Results: []llmtest.Result{{ID: "a"}, {ID: "b"}}}}, true},
		{"one missing", []llmtest.Turn{{Role: "assistant", ToolCalls: []llm.ToolCall{call("a"), call("b")}}, {Role: "tool", Results: []llmtest.Result{{ID: "a"}}}}, false},
		{"missing before next assistant", []llmtest.Turn{{Role: "assistant", ToolCalls: []llm.ToolCall{call("a")}}, {Role: "assistant"}}, false},
		{"stray result", []llmtest.Turn{{Role: "tool", Results: []llmtest.Result{{ID: "x"}}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := (llmtest.Conversation{Turns: tt.turns}).CheckPaired(); (err == nil) != tt.ok {
				t.Errorf("CheckPaired = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestServerScripting(t *testing.T) {
	tests := []struct {
		kind  llmtest.Kind
		path  string
		reply llmtest.Reply
		check func(t *testing.T, resp *http.Response, body string)
	}{
		{llmtest.OpenAI, "/v1/chat/completions", llmtest.Reply{Status: 429, RetryAfter: "7"}, func(t *testing.T, resp *http.Response, body string) {
			if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" || !strings.Contains(body, `"rate_limit_error"`) {
				t.Errorf("%d %v %s", resp.StatusCode, resp.Header, body)
			}
		}},
		{llmtest.Anthropic, "/v1/messages", llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "f"}, {Name: "g"}}}, func(t *testing.T, resp *http.Response, body string) {
			if resp.StatusCode != 200 || strings.Count(body, `"tool_use"`) != 3 || !strings.Contains(body, `"toolu_1_1"`) {
				t.Errorf("%d %s", resp.StatusCode, body)
			}
		}},
		{llmtest.OpenAI, "/v1/nope", llmtest.Reply{Text: "x"}, func(t *testing.T, resp *http.Response, _ string) {
			if resp.StatusCode != 404 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+tt.path, func(t *testing.T) {
			s := llmtest.NewServer(t, tt.kind)
			s.Push(tt.reply)
			resp, err := http.Post(s.URL+tt.path, "application/json", strings.NewReader(`{"model":"m"}`))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			var b strings.Builder
			buf := make([]byte, 4096)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			tt.check(t, resp, b.String())
			if got := s.Last().Body; string(got) != `{"model":"m"}` {
				t.Errorf("recorded body %q", got)
			}
		})
	}
}

func TestHandlerAndHang(t *testing.T) {
	s := llmtest.NewOpenAI(t)
	s.Handle(func(r llmtest.Request) llmtest.Reply {
		c, _ := r.Chat()
		if c.Model == "slow" {
			return llmtest.Reply{Hang: true}
		}
		return llmtest.Reply{Text: "from handler"}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.BaseURL()+"/chat/completions", strings.NewReader(`{"model":"slow"}`))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Error("hanging reply answered")
	}
	resp, err := http.Post(s.BaseURL()+"/chat/completions", "application/json", strings.NewReader(`{"model":"fast"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	_ = resp.Body.Close()
	if n := len(s.Requests()); n != 2 {
		t.Errorf("recorded %d requests", n)
	}
}
