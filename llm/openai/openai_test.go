package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/llm/openai"
)

func newModel(t *testing.T, cfg openai.Config) *openai.Model {
	t.Helper()
	m, err := openai.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConformance(t *testing.T) {
	llmtest.RunModelSuite(t, func(baseURL string) llm.Model {
		return newModel(t, openai.Config{BaseURL: baseURL, APIKey: "sk-test", Model: "gpt-test"})
	}, llmtest.OpenAI)
}

func TestRequestFields(t *testing.T) {
	temp := 0.2
	schema := json.RawMessage(`{"type":"object","properties":{"intent":{"type":"string"}},"required":["intent"]}`)
	tests := []struct {
		name  string
		cfg   openai.Config
		req   llm.Request
		check func(t *testing.T, c llmtest.ChatRequest, r llmtest.Request)
	}{
		{
			name: "json schema as response_format",
			cfg:  openai.Config{Model: "m", StrictJSONSchema: true},
			req:  llm.Request{Messages: []llm.Message{llm.UserText("x")}, JSONSchema: schema},
			check: func(t *testing.T, c llmtest.ChatRequest, _ llmtest.Request) {
				var rf struct {
					Type       string `json:"type"`
					JSONSchema struct {
						Name   string          `json:"name"`
						Strict bool            `json:"strict"`
						Schema json.RawMessage `json:"schema"`
					} `json:"json_schema"`
				}
				if err := json.Unmarshal(c.ResponseFormat, &rf); err != nil {
					t.Fatal(err)
				}
				if rf.Type != "json_schema" || rf.JSONSchema.Name == "" || !rf.JSONSchema.Strict || !strings.Contains(string(rf.JSONSchema.Schema), `"intent"`) {
					t.Errorf("response_format = %s", c.ResponseFormat)
				}
			},
		},
		{
			name: "max tokens, temperature, model, key",
			cfg:  openai.Config{Model: "gpt-x", APIKey: "sk-abc", MaxTokens: 300},
			req:  llm.Request{Messages: []llm.Message{llm.UserText("x")}, Temperature: &temp},
			check: func(t *testing.T, c llmtest.ChatRequest, r llmtest.Request) {
				if c.Model != "gpt-x" || c.MaxCompletionTokens == nil || *c.MaxCompletionTokens != 300 || c.MaxTokens != nil {
					t.Errorf("model %q max_completion_tokens %v max_tokens %v", c.Model, c.MaxCompletionTokens, c.MaxTokens)
				}
				if c.Temperature == nil || *c.Temperature != 0.2 {
					t.Errorf("temperature = %v", c.Temperature)
				}
				if got := r.Header.Get("Authorization"); got != "Bearer sk-abc" {
					t.Errorf("Authorization = %q", got)
				}
			},
		},
		{
			name: "legacy max_tokens and no key",
			cfg:  openai.Config{Model: "llama", LegacyMaxTokens: true},
			req:  llm.Request{Messages: []llm.Message{llm.UserText("x")}, MaxTokens: 50},
			check: func(t *testing.T, c llmtest.ChatRequest, r llmtest.Request) {
				if c.MaxTokens == nil || *c.MaxTokens != 50 || c.MaxCompletionTokens != nil {
					t.Errorf("max_tokens %v max_completion_tokens %v", c.MaxTokens, c.MaxCompletionTokens)
				}
				if got := r.Header.Get("Authorization"); got != "" {
					t.Errorf("Authorization = %q, want none", got)
				}
			},
		},
		{
			name: "system messages in place and error results marked",
			cfg:  openai.Config{Model: "m"},
			req: llm.Request{System: "top", Messages: []llm.Message{
				{Role: llm.RoleSystem, Content: "later"},
				llm.UserText("u"),
				{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c1", Name: "f"}}},
				llm.ToolResult(llm.ToolCall{ID: "c1", Name: "f"}, "boom", true),
			}},
			check: func(t *testing.T, c llmtest.ChatRequest, _ llmtest.Request) {
				roles := []string{}
				for _, m := range c.Messages {
					roles = append(roles, m.Role)
				}
				if strings.Join(roles, ",") != "system,system,user,assistant,tool" {
					t.Errorf("roles = %v", roles)
				}
				if got := c.Messages[3].ToolCalls[0].Function.Arguments; got != "{}" {
					t.Errorf("empty arguments sent as %q, want {}", got)
				}
				if got := c.Messages[4].Text(); got != "Error: boom" {
					t.Errorf("error result = %q", got)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.NewOpenAI(t)
			s.Push(llmtest.Reply{Text: `{"intent":"x"}`})
			tt.cfg.BaseURL = s.BaseURL()
			if _, err := newModel(t, tt.cfg).Generate(context.Background(), tt.req); err != nil {
				t.Fatal(err)
			}
			r := s.Last()
			c, err := r.Chat()
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c, r)
		})
	}
}

func TestTranscribe(t *testing.T) {
	tests := []struct {
		name, filename, mime, model string
		wantFile, wantModel         string
	}{
		{"explicit", "voice.ogg", "audio/ogg", "whisper-large", "voice.ogg", "whisper-large"},
		{"defaults", "", "audio/mpeg", "", "audio.mp3", "whisper-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := llmtest.NewOpenAI(t)
			s.Push(llmtest.Reply{Transcript: " hello world \n"})
			m := newModel(t, openai.Config{BaseURL: s.BaseURL(), TranscribeModel: tt.model})
			text, err := m.Transcribe(context.Background(), strings.NewReader("OggS-bytes"), tt.filename, tt.mime)
			if err != nil || text != "hello world" {
				t.Fatalf("Transcribe = %q, %v", text, err)
			}
			r := s.Last()
			if r.Path != "/v1/audio/transcriptions" || r.Form["model"] != tt.wantModel || r.FileName != tt.wantFile || string(r.File) != "OggS-bytes" {
				t.Errorf("request = %s model=%q file=%q (%s) %q", r.Path, r.Form["model"], r.FileName, r.FileContentType, r.File)
			}
		})
	}
}

func TestTranscribeRetry(t *testing.T) {
	s := llmtest.NewOpenAI(t)
	s.Push(llmtest.Reply{Status: http.StatusServiceUnavailable}, llmtest.Reply{Transcript: "again"})
	m := newModel(t, openai.Config{BaseURL: s.BaseURL()})
	p := llm.RetryPolicy{MaxAttempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}
	text, err := llm.TranscriberWithRetry(m, p).Transcribe(context.Background(), strings.NewReader("abc"), "a.ogg", "audio/ogg")
	if err != nil || text != "again" {
		t.Fatalf("Transcribe = %q, %v", text, err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || string(reqs[1].File) != "abc" {
		t.Errorf("second attempt sent %q", reqs[len(reqs)-1].File)
	}
}

func TestNoModelName(t *testing.T) {
	m := newModel(t, openai.Config{BaseURL: "http://127.0.0.1:1/v1"})
	if _, err := m.Generate(context.Background(), llm.Request{}); !errors.Is(err, openai.ErrNoModel) {
		t.Errorf("err = %v", err)
	}
}

// TestNotFoundNamesTheURL: a base URL that answers 404 (most often one
// missing its /v1) is reported with the URL called and what to check.
func TestNotFoundNamesTheURL(t *testing.T) {
	srv := llmtest.NewOpenAI(t)
	for _, tc := range []struct {
		base string
		want []string
	}{
		{srv.URL, []string{"HTTP 404", "POST " + srv.URL + "/chat/completions answered 404", "check OPENAI_BASE_URL", "usually serve under /v1"}},
		{srv.URL + "/v1", nil}, // found: no hint
	} {
		m := newModel(t, openai.Config{BaseURL: tc.base, APIKey: "sk-test", Model: "gpt-test"})
		srv.Push(llmtest.Reply{Text: "hi"})
		_, err := m.Generate(context.Background(), llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}})
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.base, err)
			}
			continue
		}
		var ae *llm.APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: err = %v, want an APIError with 404", tc.base, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.base, err, w)
			}
		}
	}
	// A server at /v1 that answers 404 is asked whether it has the model.
	srv.Push(llmtest.Reply{Status: http.StatusNotFound, ErrorMessage: "model 'gpt-test' not found"})
	m := newModel(t, openai.Config{BaseURL: srv.URL + "/v1", Model: "gpt-test", Provider: "ollama"})
	_, err := m.Generate(context.Background(), llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}})
	if err == nil || !strings.Contains(err.Error(), `model 'gpt-test' not found: POST `+srv.URL+`/v1/chat/completions answered 404; check OLLAMA_HOST (and that the server has the model "gpt-test")`) {
		t.Errorf("err = %v", err)
	}
}
