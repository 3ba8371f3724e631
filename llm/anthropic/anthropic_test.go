package anthropic_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/anthropic"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

func newModel(t *testing.T, cfg anthropic.Config) *anthropic.Model {
	t.Helper()
	m, err := anthropic.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConformance(t *testing.T) {
	llmtest.RunModelSuite(t, func(baseURL string) llm.Model {
		return newModel(t, anthropic.Config{BaseURL: baseURL, APIKey: "sk-ant-test", Model: "claude-test"})
	}, llmtest.Anthropic)
}

func TestRequestFields(t *testing.T) {
	temp := 0.3
	schema := json.RawMessage(`{"type":"object","properties":{"intent":{"type":"string"}},"required":["intent"]}`)
	call := func(id string) llm.ToolCall {
		return llm.ToolCall{ID: id, Name: "get_weather", Arguments: `{"city":"x"}`}
	}
	tests := []struct {
		name  string
		cfg   anthropic.Config
		req   llm.Request
		check func(t *testing.T, m llmtest.MessagesRequest, r llmtest.Request)
	}{
		{
			name: "defaults, key, temperature",
			cfg:  anthropic.Config{APIKey: "sk-ant-1", Model: "claude-x"},
			req:  llm.Request{System: "be brief", Messages: []llm.Message{llm.UserText("hi")}, Temperature: &temp},
			check: func(t *testing.T, m llmtest.MessagesRequest, r llmtest.Request) {
				if m.Model != "claude-x" || m.MaxTokens != anthropic.DefaultMaxTokens || m.Temperature == nil || *m.Temperature != 0.3 {
					t.Errorf("model %q max_tokens %d temperature %v", m.Model, m.MaxTokens, m.Temperature)
				}
				if m.SystemText() != "be brief" {
					t.Errorf("system = %q", m.SystemText())
				}
				if r.Header.Get("X-Api-Key") != "sk-ant-1" || r.Header.Get("Anthropic-Version") == "" {
					t.Errorf("headers = %v", r.Header)
				}
			},
		},
		{
			name: "request max tokens and system messages merged",
			cfg:  anthropic.Config{Model: "c", MaxTokens: 100},
			req:  llm.Request{System: "a", MaxTokens: 42, Messages: []llm.Message{{Role: llm.RoleSystem, Content: "b"}, llm.UserText("hi")}},
			check: func(t *testing.T, m llmtest.MessagesRequest, _ llmtest.Request) {
				if m.MaxTokens != 42 || m.SystemText() != "a\nb" || len(m.Messages) != 1 {
					t.Errorf("max_tokens %d system %q messages %d", m.MaxTokens, m.SystemText(), len(m.Messages))
				}
			},
		},
		{
			name: "json schema in the prompt by default",
			cfg:  anthropic.Config{Model: "c"},
			req:  llm.Request{System: "classify", Messages: []llm.Message{llm.UserText("hi")}, JSONSchema: schema},
			check: func(t *testing.T, m llmtest.MessagesRequest, _ llmtest.Request) {
				if !strings.Contains(m.SystemText(), `"intent"`) || len(m.OutputConfig) != 0 {
					t.Errorf("system %q output_config %s", m.SystemText(), m.OutputConfig)
				}
			},
		},
		{
			name: "json schema native",
			cfg:  anthropic.Config{Model: "c", NativeJSONSchema: true},
			req:  llm.Request{Messages: []llm.Message{llm.UserText("hi")}, JSONSchema: schema},
			check: func(t *testing.T, m llmtest.MessagesRequest, _ llmtest.Request) {
				var oc struct {
					Format struct {
						Type   string          `json:"type"`
						Schema json.RawMessage `json:"schema"`
					} `json:"format"`
				}
				if err := json.Unmarshal(m.OutputConfig, &oc); err != nil || oc.Format.Type != "json_schema" || !strings.Contains(string(oc.Format.Schema), "intent") {
					t.Errorf("output_config = %s (%v)", m.OutputConfig, err)
				}
			},
		},
		{
			name: "tool schema, invalid arguments, results then user text in one message",
			cfg:  anthropic.Config{Model: "c"},
			req: llm.Request{
				Tools: []llm.ToolDef{llmtest.WeatherTool()},
				Messages: []llm.Message{
					llm.UserText("weather?"),
					{Role: llm.RoleAssistant, Content: "Looking.", ToolCalls: []llm.ToolCall{call("t1"), {ID: "t2", Name: "get_weather", Arguments: "not json"}}},
					llm.ToolResult(call("t1"), "sunny", false),
					llm.ToolResult(call("t2"), "", true),
					llm.UserText("and tomorrow?"),
				},
			},
			check: func(t *testing.T, m llmtest.MessagesRequest, _ llmtest.Request) {
				if len(m.Tools) != 1 || !strings.Contains(string(m.Tools[0].InputSchema), `"required":["city"]`) || !strings.Contains(string(m.Tools[0].InputSchema), `"type":"object"`) {
					t.Errorf("tools = %+v", m.Tools)
				}
				if len(m.Messages) != 3 {
					t.Fatalf("messages = %d, want 3 (user, assistant, user)", len(m.Messages))
				}
				a := m.Messages[1].Blocks()
				if len(a) != 3 || a[0].Type != "text" || a[2].Type != "tool_use" || string(a[2].Input) != "{}" {
					t.Errorf("assistant blocks = %+v", a)
				}
				u := m.Messages[2].Blocks()
				if len(u) != 3 || u[0].Type != "tool_result" || u[1].Type != "tool_result" || u[2].Type != "text" {
					t.Fatalf("user blocks = %+v", u)
				}
				if u[0].IsError || !u[1].IsError || u[1].ResultText() == "" || u[2].Text != "and tomorrow?" {
					t.Errorf("results = %+v", u)
				}
			},
		},
		{
			name: "https image as url block",
			cfg:  anthropic.Config{Model: "c"},
			req:  llm.Request{Messages: []llm.Message{llm.UserWithImages("", "https://example.com/a.jpg")}},
			check: func(t *testing.T, m llmtest.MessagesRequest, _ llmtest.Request) {
				b := m.Messages[0].Blocks()
				if len(b) != 1 || b[0].Type != "image" || b[0].Source.Type != "url" || b[0].Source.URL != "https://example.com/a.jpg" {
					t.Errorf("blocks = %+v", b)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.NewAnthropic(t)
			s.Push(llmtest.Reply{Text: "ok"})
			tt.cfg.BaseURL = s.BaseURL()
			if _, err := newModel(t, tt.cfg).Generate(context.Background(), tt.req); err != nil {
				t.Fatal(err)
			}
			r := s.Last()
			m, err := r.Messages()
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, m, r)
		})
	}
}

func TestErrorMessage(t *testing.T) {
	s := llmtest.NewAnthropic(t)
	s.Push(llmtest.Reply{Status: 529, ErrorMessage: "Overloaded"})
	_, err := newModel(t, anthropic.Config{BaseURL: s.BaseURL(), Model: "c"}).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("x")}})
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 529 || ae.Message != "Overloaded" || !errors.Is(err, llm.ErrUnavailable) {
		t.Errorf("err = %#v", err)
	}
	if strings.Contains(err.Error(), s.URL) {
		t.Errorf("error message leaks the URL: %v", err)
	}
}

func TestStopReasons(t *testing.T) {
	tests := []struct{ native, want string }{
		{"end_turn", "stop"}, {"max_tokens", "length"}, {"tool_use", "tool_calls"}, {"refusal", "refusal"},
	}
	for _, tt := range tests {
		t.Run(tt.native, func(t *testing.T) {
			s := llmtest.NewAnthropic(t)
			s.Push(llmtest.Reply{Text: "x", StopReason: tt.native})
			resp, err := newModel(t, anthropic.Config{BaseURL: s.BaseURL(), Model: "c"}).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("x")}})
			if err != nil || resp.StopReason != tt.want {
				t.Errorf("StopReason = %q, %v; want %q", resp.StopReason, err, tt.want)
			}
		})
	}
}

func TestNewRequiresModel(t *testing.T) {
	if _, err := anthropic.New(anthropic.Config{}); !errors.Is(err, anthropic.ErrNoModel) {
		t.Errorf("err = %v", err)
	}
}
