package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/llm/provider"
)

func TestModels(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"LLM_PROVIDER":     "Anthropic",
		"LLM_MODEL":        "claude-x",
		"GEMINI_API_KEY":   "g",
		"OPENAI_BASE_URL":  "http://127.0.0.1:8000/v1/",
		"OLLAMA_HOST":      "0.0.0.0",
		"LLM_TIMEOUT":      "45s",
		"LLM_MAX_ATTEMPTS": "5",
		"LLM_MAX_TOKENS":   "800",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := provider.Config{
		Provider: "anthropic", Model: "claude-x", GoogleKey: "g",
		OpenAIBaseURL: "http://127.0.0.1:8000/v1", OllamaHost: "http://127.0.0.1:11434",
		Timeout: 45 * time.Second, MaxAttempts: 5, MaxTokens: 800,
	}
	if c.Models != want {
		t.Errorf("Models = %+v\nwant     %+v", c.Models, want)
	}
}

func TestModelsInvalid(t *testing.T) {
	tests := []struct{ variable, value string }{
		{"LLM_PROVIDER", "mistral"},
		{"OPENAI_BASE_URL", "localhost:8000/v1"},
		{"ANTHROPIC_BASE_URL", "ftp://x"},
		{"GEMINI_BASE_URL", "gemini"},
		{"TRANSCRIBE_BASE_URL", "::"},
		{"OLLAMA_HOST", "http://"},
		{"LLM_TIMEOUT", "soon"},
		{"LLM_TIMEOUT", "-1s"},
		{"LLM_TIMEOUT", "0"},
		{"LLM_MAX_ATTEMPTS", "0"},
		{"LLM_MAX_TOKENS", "lots"},
	}
	for _, tt := range tests {
		t.Run(tt.variable+"="+tt.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{"OPENAI_API_KEY": "k", tt.variable: tt.value}))
			if err == nil || !strings.Contains(err.Error(), tt.variable) {
				t.Errorf("err = %v, want one naming %s", err, tt.variable)
			}
		})
	}
}

func TestModelsSecretsNotEchoed(t *testing.T) {
	_, err := config.Load(env(map[string]string{"OPENAI_API_KEY": "sk-secret-value", "LLM_TIMEOUT": "x"}))
	if err == nil || strings.Contains(err.Error(), "sk-secret-value") {
		t.Errorf("err = %v", err)
	}
}
