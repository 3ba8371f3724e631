package config

import (
	"time"

	"github.com/switchboardhq/switchboard/llm/provider"
)

// models reads the language-model variables (LLM_*, OPENAI_*,
// ANTHROPIC_*, GOOGLE_API_KEY, GEMINI_*, OLLAMA_HOST, TRANSCRIBE_*); the
// package documentation of llm/provider says what each one does.
func (p *parser) models() provider.Config {
	c := provider.Config{
		Model:             p.raw("LLM_MODEL"),
		ClassifyModel:     p.raw("LLM_MODEL_CLASSIFY"),
		VisionModel:       p.raw("LLM_MODEL_VISION"),
		OpenAIKey:         p.raw("OPENAI_API_KEY"),
		OpenAIBaseURL:     p.optionalURL("OPENAI_BASE_URL"),
		AnthropicKey:      p.raw("ANTHROPIC_API_KEY"),
		AnthropicBaseURL:  p.optionalURL("ANTHROPIC_BASE_URL"),
		GoogleKey:         p.raw("GOOGLE_API_KEY"),
		GeminiBaseURL:     p.optionalURL("GEMINI_BASE_URL"),
		TranscribeModel:   p.raw("TRANSCRIBE_MODEL"),
		TranscribeBaseURL: p.optionalURL("TRANSCRIBE_BASE_URL"),
		TranscribeKey:     p.raw("TRANSCRIBE_API_KEY"),
		Timeout:           p.positiveDuration("LLM_TIMEOUT"),
		MaxAttempts:       p.intRange("LLM_MAX_ATTEMPTS", 3, 1, 20),
		MaxTokens:         p.intRange("LLM_MAX_TOKENS", 0, 1, 1_000_000),
	}
	if c.GoogleKey == "" {
		c.GoogleKey = p.raw("GEMINI_API_KEY")
	}
	if v := p.raw("LLM_PROVIDER"); v != "" {
		c.Provider = p.oneOf("LLM_PROVIDER", "", provider.Providers...)
	}
	if v := p.raw("OLLAMA_HOST"); v != "" {
		u, err := provider.OllamaURL(v)
		if err != nil {
			p.fail("OLLAMA_HOST", v, err.Error())
		}
		c.OllamaHost = u
	}
	return c
}

// positiveDuration reads an optional duration above zero; unset is 0.
func (p *parser) positiveDuration(name string) time.Duration {
	v := p.raw(name)
	if v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, v, "want a positive duration such as 45s or 2m")
		return 0
	}
	return d
}
