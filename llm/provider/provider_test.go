package provider_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/llm/provider"
)

// load builds the models from environment variables the way the
// assistant does: config parses them, New builds.
func load(t *testing.T, env map[string]string) (provider.Models, error) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return provider.New(context.Background(), cfg.Models, nil)
}

// deadHost returns a host:port where nothing listens.
func deadHost(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestChoice(t *testing.T) {
	oa := llmtest.NewOpenAI(t)
	oa.SetModels("llama3.2:3b", "qwen2.5vl:7b")
	tests := []struct {
		name                   string
		env                    map[string]string
		provider               string
		chat, classify, vision string
		transcribe             bool
	}{
		{"openai key", map[string]string{"OPENAI_API_KEY": "k"}, "openai", "gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1-mini", true},
		{"openai wins over anthropic", map[string]string{"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "a"}, "openai", "gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1-mini", true},
		{"anthropic key", map[string]string{"ANTHROPIC_API_KEY": "a"}, "anthropic", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-5", false},
		{"anthropic with openai for voice", map[string]string{"LLM_PROVIDER": "anthropic", "ANTHROPIC_API_KEY": "a", "OPENAI_API_KEY": "k"}, "anthropic", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-5", true},
		{"google key", map[string]string{"GOOGLE_API_KEY": "g"}, "gemini", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash", false},
		{"gemini alias key", map[string]string{"GEMINI_API_KEY": "g"}, "gemini", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash", false},
		{"keyless compatible server", map[string]string{"OPENAI_BASE_URL": oa.BaseURL(), "LLM_MODEL": "mistral"}, "openai", "mistral", "mistral", "mistral", true},
		{"LLM_MODEL sets all roles", map[string]string{"LLM_PROVIDER": "OpenAI", "OPENAI_API_KEY": "k", "LLM_MODEL": "gpt-4o"}, "openai", "gpt-4o", "gpt-4o", "gpt-4o", true},
		{"role overrides", map[string]string{"ANTHROPIC_API_KEY": "a", "LLM_MODEL_CLASSIFY": "c", "LLM_MODEL_VISION": "v"}, "anthropic", "claude-sonnet-4-5", "c", "v", false},
		{"ollama probed, models from its list", map[string]string{"OLLAMA_HOST": oa.URL}, "ollama", "llama3.2:3b", "llama3.2:3b", "qwen2.5vl:7b", false},
		{"ollama explicit, no probe", map[string]string{"LLM_PROVIDER": "ollama", "OLLAMA_HOST": deadHost(t)}, "ollama", "qwen2.5:7b", "qwen2.5:7b", "qwen2.5vl:7b", false},
		{"whisper server", map[string]string{"GOOGLE_API_KEY": "g", "TRANSCRIBE_BASE_URL": oa.BaseURL()}, "gemini", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := load(t, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			if m.Provider != tt.provider || m.ChatModel != tt.chat || m.ClassifyModel != tt.classify || m.VisionModel != tt.vision {
				t.Errorf("got %s", m)
			}
			if m.Chat == nil || m.Classify == nil || m.Vision == nil {
				t.Errorf("nil role model: %+v", m)
			}
			if (m.Transcriber != nil) != tt.transcribe || (m.Transcriber == nil && m.TranscriberHint == "") {
				t.Errorf("transcriber = %v hint %q, want present=%v", m.Transcriber, m.TranscriberHint, tt.transcribe)
			}
		})
	}
}

func TestNotConfigured(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing", map[string]string{"OLLAMA_HOST": deadHost(t)}, []string{"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "OLLAMA_HOST"}},
		{"anthropic without key", map[string]string{"LLM_PROVIDER": "anthropic", "OPENAI_API_KEY": "k"}, []string{"ANTHROPIC_API_KEY"}},
		{"gemini without key", map[string]string{"LLM_PROVIDER": "gemini"}, []string{"GOOGLE_API_KEY"}},
		{"openai without key", map[string]string{"LLM_PROVIDER": "openai"}, []string{"OPENAI_API_KEY", "OPENAI_BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := load(t, tt.env)
			var nc *llm.NotConfiguredError
			if !errors.As(err, &nc) || !errors.Is(err, llm.ErrNotConfigured) {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not mention %s", err, w)
				}
			}
			if m.Chat == nil {
				t.Fatal("Chat is nil; want a model that reports the error")
			}
			if _, gerr := m.Chat.Generate(context.Background(), llm.Request{}); !errors.Is(gerr, llm.ErrNotConfigured) {
				t.Errorf("Chat.Generate err = %v", gerr)
			}
		})
	}
}

func TestUnknownProvider(t *testing.T) {
	_, err := provider.New(context.Background(), provider.Config{Provider: "mistral"}, nil)
	if err == nil || errors.Is(err, llm.ErrNotConfigured) || !strings.Contains(err.Error(), "mistral") {
		t.Errorf("err = %v, want an error naming the provider", err)
	}
}

// TestEndToEnd drives each provider's role models against the fakes.
func TestEndToEnd(t *testing.T) {
	oa := llmtest.NewOpenAI(t)
	an := llmtest.NewAnthropic(t)
	tests := []struct {
		name   string
		env    map[string]string
		server *llmtest.Server
		path   string
		auth   func(h http.Header) string
		want   string
	}{
		{"openai", map[string]string{"OPENAI_API_KEY": "sk-1", "OPENAI_BASE_URL": oa.BaseURL()}, oa, "/v1/chat/completions",
			func(h http.Header) string { return h.Get("Authorization") }, "Bearer sk-1"},
		{"gemini", map[string]string{"GOOGLE_API_KEY": "g-1", "GEMINI_BASE_URL": oa.BaseURL()}, oa, "/v1/chat/completions",
			func(h http.Header) string { return h.Get("Authorization") }, "Bearer g-1"},
		{"ollama", map[string]string{"LLM_PROVIDER": "ollama", "OLLAMA_HOST": strings.TrimPrefix(oa.URL, "http://")}, oa, "/v1/chat/completions",
			func(h http.Header) string { return h.Get("Authorization") }, ""},
		{"anthropic", map[string]string{"ANTHROPIC_API_KEY": "a-1", "ANTHROPIC_BASE_URL": an.URL}, an, "/v1/messages",
			func(h http.Header) string { return h.Get("X-Api-Key") }, "a-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := load(t, tt.env)
			if err != nil {
				t.Fatal(err)
			}
			tt.server.Push(llmtest.Reply{Status: http.StatusServiceUnavailable, RetryAfter: "0.01"}, llmtest.Reply{Text: "hi"})
			resp, err := m.Chat.Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hello")}})
			if err != nil || resp.Message.Content != "hi" {
				t.Fatalf("Generate = %+v, %v (retry must be in place)", resp.Message, err)
			}
			r := tt.server.Last()
			if r.Path != tt.path || tt.auth(r.Header) != tt.want {
				t.Errorf("request %s auth %q", r.Path, tt.auth(r.Header))
			}
		})
	}
	t.Run("transcriber", func(t *testing.T) {
		m, err := load(t, map[string]string{"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": oa.BaseURL(), "TRANSCRIBE_MODEL": "whisper-large-v3"})
		if err != nil {
			t.Fatal(err)
		}
		oa.Push(llmtest.Reply{Transcript: "hola"})
		text, err := m.Transcriber.Transcribe(context.Background(), strings.NewReader("audio"), "v.ogg", "audio/ogg")
		if err != nil || text != "hola" || oa.Last().Form["model"] != "whisper-large-v3" {
			t.Errorf("Transcribe = %q, %v, model %q", text, err, oa.Last().Form["model"])
		}
	})
}

func TestString(t *testing.T) {
	m, err := load(t, map[string]string{"OPENAI_API_KEY": "sk-secret"})
	if err != nil {
		t.Fatal(err)
	}
	s := m.String()
	if strings.Contains(s, "sk-secret") || !strings.Contains(s, "chat=gpt-4.1-mini") || !strings.Contains(s, "transcribe=whisper-1") {
		t.Errorf("String() = %q", s)
	}
}
