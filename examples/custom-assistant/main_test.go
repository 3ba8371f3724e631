package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

// TestChatCallsTheNewTool runs the example's command as a user would
// ("chat"), on the OpenAI settings, against a fake OpenAI-compatible
// server: the model's call of shout runs the tool, and its result reaches
// the model and the terminal.
func TestChatCallsTheNewTool(t *testing.T) {
	srv := llmtest.NewOpenAI(t)
	srv.Push(
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "shout", Arguments: `{"text":"hello"}`}}},
		llmtest.Reply{Text: "I shouted: HELLO!"},
	)
	env := map[string]string{"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": srv.BaseURL(), "LLM_MODEL": "gpt-test",
		"ASSISTANT_DATA_DIR": t.TempDir(), "METRICS_ADDR": "off"}
	var out, errs bytes.Buffer
	code := switchboard.Run(context.Background(), []string{"chat", "-env-file", ""}, func(k string) string { return env[k] },
		strings.NewReader("shout hello\n"), &out, &errs, switchboard.WithTools(shout))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for _, want := range []string{`→ shout {"text":"hello"}`, "← HELLO!", "assistant: I shouted: HELLO!"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d model requests, want 2", len(reqs))
	}
	if first := string(reqs[0].Body); !strings.Contains(first, `"name":"shout"`) {
		t.Errorf("the first request does not offer shout: %s", first)
	}
	if second := string(reqs[1].Body); !strings.Contains(second, "HELLO!") {
		t.Errorf("the tool's result did not reach the model: %s", second)
	}
}
