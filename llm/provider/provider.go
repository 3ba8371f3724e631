// Package provider chooses and builds the models: a model per role (chat,
// classify/extract, vision) and a speech-to-text Transcriber, each wrapped
// in llm.WithRetry. It reads no environment: package config parses and
// validates the variables below into a Config, and New builds from it.
//
// # Variables
//
//	LLM_PROVIDER         openai | anthropic | gemini | ollama (unset: auto, see below)
//	LLM_MODEL            chat model; also the default of the other roles when set
//	LLM_MODEL_CLASSIFY   model for classification and extraction (JSON answers)
//	LLM_MODEL_VISION     model that describes images
//	OPENAI_API_KEY       OpenAI key (or a compatible server's)
//	OPENAI_BASE_URL      OpenAI-compatible base URL incl. /v1 (vLLM, llama.cpp, LM Studio, ...)
//	ANTHROPIC_API_KEY    Anthropic key
//	ANTHROPIC_BASE_URL   Anthropic base URL (no /v1)
//	GOOGLE_API_KEY       Gemini key, used on Gemini's OpenAI-compatible endpoint (GEMINI_API_KEY also accepted)
//	GEMINI_BASE_URL      override of that endpoint
//	OLLAMA_HOST          Ollama server (host:port or URL; default 127.0.0.1:11434); its /v1 is used
//	TRANSCRIBE_MODEL     speech-to-text model (default whisper-1)
//	TRANSCRIBE_BASE_URL  OpenAI-compatible server for speech-to-text (default: the OpenAI endpoint)
//	TRANSCRIBE_API_KEY   its key (default OPENAI_API_KEY)
//	LLM_TIMEOUT          per-attempt timeout, Go duration (default 60s)
//	LLM_MAX_ATTEMPTS     attempts per call incl. the first (default 3)
//	LLM_MAX_TOKENS       answer cap when a request sets none (default: provider's)
//
// # Choosing the provider
//
// With LLM_PROVIDER unset, the first of these wins: OPENAI_API_KEY (openai),
// ANTHROPIC_API_KEY (anthropic), GOOGLE_API_KEY or GEMINI_API_KEY (gemini),
// OPENAI_BASE_URL without a key (openai on a keyless compatible server), an
// Ollama server on OLLAMA_HOST that answers a quick probe of /v1/models.
// When nothing is found Load returns an *llm.NotConfiguredError whose
// message says what to set, together with Models whose roles fail with that
// error, so a server can still start.
//
// # Default models
//
// When LLM_MODEL is set, every role defaults to it. Otherwise:
//
//	openai     chat gpt-4.1-mini        classify gpt-4.1-mini           vision gpt-4.1-mini
//	anthropic  chat claude-sonnet-4-5   classify claude-haiku-4-5       vision claude-sonnet-4-5
//	gemini     chat gemini-2.5-flash    classify gemini-2.5-flash-lite  vision gemini-2.5-flash
//	ollama     chat qwen2.5:7b          classify (chat)                 vision qwen2.5vl:7b
//
// For an auto-detected Ollama, a default the server does not list is
// replaced by the first model it lists (vision falls back to the chat model).
//
// Speech-to-text uses TRANSCRIBE_BASE_URL when set, else the OpenAI-compatible
// chat endpoint when the provider is openai, else OpenAI when OPENAI_API_KEY
// is set; otherwise Models.Transcriber is nil and Models.TranscriberHint says
// what to set. (Anthropic has no speech-to-text; Gemini's and Ollama's
// OpenAI-compatible endpoints have no /audio/transcriptions.)
package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/anthropic"
	"github.com/switchboardhq/switchboard/llm/openai"
)

// The providers LLM_PROVIDER accepts.
const (
	OpenAI    = "openai"
	Anthropic = "anthropic"
	Gemini    = "gemini"
	Ollama    = "ollama"
)

// GeminiBaseURL is Gemini's OpenAI-compatible endpoint.
const GeminiBaseURL = "https://generativelanguage.googleapis.com/v1beta/openai"

// DefaultOllamaHost is where Ollama listens by default.
const DefaultOllamaHost = "http://127.0.0.1:11434"

// ProbeTimeout bounds the Ollama probe.
const ProbeTimeout = 1500 * time.Millisecond

// Models are the configured models, one per role. All are safe for
// concurrent use and already retry under the configured policy.
type Models struct {
	// Provider is the chosen provider ("" when none is configured).
	Provider string
	// Chat answers the conversation (with tools).
	Chat llm.Model
	// Classify classifies and extracts (JSON-schema answers).
	Classify llm.Model
	// Vision describes images.
	Vision llm.Model
	// ChatModel, ClassifyModel and VisionModel are the model names.
	ChatModel, ClassifyModel, VisionModel string
	// Transcriber turns voice notes into text; nil when none is configured.
	Transcriber llm.Transcriber
	// TranscribeModel is the speech-to-text model name ("" when none).
	TranscribeModel string
	// TranscriberHint says how to enable speech-to-text when Transcriber is
	// nil.
	TranscriberHint string
}

// String describes the configuration for a start-up log line (no secrets).
func (m Models) String() string {
	if m.Provider == "" {
		return "llm: not configured"
	}
	s := fmt.Sprintf("llm: %s chat=%s classify=%s vision=%s", m.Provider, m.ChatModel, m.ClassifyModel, m.VisionModel)
	if m.Transcriber != nil {
		s += " transcribe=" + m.TranscribeModel
	} else {
		s += " transcribe=off"
	}
	return s
}

type defaults struct{ chat, classify, vision string }

func defaultModels(p string) defaults {
	switch p {
	case OpenAI:
		return defaults{"gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1-mini"}
	case Anthropic:
		return defaults{"claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-5"}
	case Gemini:
		return defaults{"gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-flash"}
	default:
		return defaults{"qwen2.5:7b", "qwen2.5:7b", "qwen2.5vl:7b"}
	}
}

// Config is the validated model configuration; package config reads it
// from the environment (the variables above). The zero value auto-detects
// a provider with the default timeout and attempts.
type Config struct {
	// Provider is openai, anthropic, gemini or ollama; "" auto-detects.
	Provider string
	// Model is the chat model and every role's default (LLM_MODEL).
	Model string
	// ClassifyModel and VisionModel override the role models
	// (LLM_MODEL_CLASSIFY, LLM_MODEL_VISION).
	ClassifyModel, VisionModel string
	// OpenAIKey and OpenAIBaseURL (OPENAI_API_KEY, OPENAI_BASE_URL).
	OpenAIKey, OpenAIBaseURL string
	// AnthropicKey and AnthropicBaseURL (ANTHROPIC_API_KEY,
	// ANTHROPIC_BASE_URL).
	AnthropicKey, AnthropicBaseURL string
	// GoogleKey and GeminiBaseURL (GOOGLE_API_KEY or GEMINI_API_KEY,
	// GEMINI_BASE_URL).
	GoogleKey, GeminiBaseURL string
	// OllamaHost is the Ollama server's URL as OllamaURL returns it
	// (OLLAMA_HOST); "" means DefaultOllamaHost.
	OllamaHost string
	// TranscribeModel, TranscribeBaseURL and TranscribeKey configure
	// speech-to-text (TRANSCRIBE_MODEL, TRANSCRIBE_BASE_URL,
	// TRANSCRIBE_API_KEY).
	TranscribeModel, TranscribeBaseURL, TranscribeKey string
	// Timeout bounds one attempt (LLM_TIMEOUT); 0 means 60s.
	Timeout time.Duration
	// MaxAttempts counts attempts per call incl. the first
	// (LLM_MAX_ATTEMPTS); 0 means 3.
	MaxAttempts int
	// MaxTokens caps answers when a request sets none (LLM_MAX_TOKENS);
	// 0 leaves it to the provider.
	MaxTokens int
}

// Providers lists the values Config.Provider accepts besides "".
var Providers = []string{OpenAI, Anthropic, Gemini, Ollama}

// settings are a Config with its defaults applied.
type settings struct {
	Config
	openaiURLSet, anthropicURLSet      bool
	transcribeURLSet, transcribeKeySet bool
}

func withDefaults(c Config) settings {
	s := settings{Config: c}
	s.Provider = strings.ToLower(strings.TrimSpace(s.Provider))
	s.OpenAIBaseURL = strings.TrimRight(s.OpenAIBaseURL, "/")
	s.AnthropicBaseURL = strings.TrimRight(s.AnthropicBaseURL, "/")
	s.GeminiBaseURL = strings.TrimRight(s.GeminiBaseURL, "/")
	s.TranscribeBaseURL = strings.TrimRight(s.TranscribeBaseURL, "/")
	if s.OllamaHost == "" {
		s.OllamaHost = DefaultOllamaHost
	}
	if s.Timeout <= 0 {
		s.Timeout = 60 * time.Second
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = 3
	}
	s.openaiURLSet = s.OpenAIBaseURL != ""
	s.anthropicURLSet = s.AnthropicBaseURL != ""
	s.transcribeURLSet = s.TranscribeBaseURL != ""
	s.transcribeKeySet = s.TranscribeKey != ""
	return s
}

// OllamaURL turns what Ollama itself accepts in OLLAMA_HOST ("host",
// "host:port", or a URL) into the server's base URL; 0.0.0.0 (a bind
// address) is reached as 127.0.0.1.
func OllamaURL(v string) (string, error) {
	raw := v
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", errors.New("want host, host:port or an http(s) URL such as http://127.0.0.1:11434")
	}
	host, port := u.Hostname(), u.Port()
	if host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "11434"
		if strings.Contains(v, "://") {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
	}
	return u.Scheme + "://" + net.JoinHostPort(host, port) + strings.TrimRight(u.Path, "/"), nil
}

// New builds the models cfg describes, using httpClient (nil: each
// adapter's default) for every call and for the Ollama probe.
//
// When no provider is configured the error is an *llm.NotConfiguredError
// (errors.Is(err, llm.ErrNotConfigured)) and the returned Models are still
// usable: every role fails with that error, so the server can start and
// say why. Any other error means cfg names a provider it cannot build.
func New(ctx context.Context, cfg Config, httpClient *http.Client) (Models, error) {
	s := withDefaults(cfg)
	switch s.Provider {
	case "", OpenAI, Anthropic, Gemini, Ollama:
	default:
		return Models{}, fmt.Errorf("provider: unknown provider %q (want one of %s)", s.Provider, strings.Join(Providers, ", "))
	}
	var err error
	var available []string // models an auto-detected Ollama lists
	p := s.Provider
	if p == "" {
		switch {
		case s.OpenAIKey != "":
			p = OpenAI
		case s.AnthropicKey != "":
			p = Anthropic
		case s.GoogleKey != "":
			p = Gemini
		case s.openaiURLSet:
			p = OpenAI
		default:
			ids, perr := probeOllama(ctx, httpClient, s.OllamaHost)
			if perr != nil {
				return notConfigured(fmt.Sprintf(
					"set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_API_KEY (and optionally LLM_PROVIDER, LLM_MODEL), "+
						"or OPENAI_BASE_URL for an OpenAI-compatible server, or run Ollama and set OLLAMA_HOST "+
						"(no Ollama answered at %s: %v)", s.OllamaHost, perr))
			}
			p, available = Ollama, ids
		}
	}

	switch p {
	case OpenAI:
		if s.OpenAIKey == "" && !s.openaiURLSet {
			return notConfigured("LLM_PROVIDER=openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for a keyless OpenAI-compatible server")
		}
	case Anthropic:
		if s.AnthropicKey == "" && !s.anthropicURLSet {
			return notConfigured("LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
		}
	case Gemini:
		if s.GoogleKey == "" {
			return notConfigured("LLM_PROVIDER=gemini needs GOOGLE_API_KEY")
		}
	}

	m := Models{Provider: p}
	m.ChatModel, m.ClassifyModel, m.VisionModel = roleModels(p, s, available)
	policy := llm.DefaultRetryPolicy()
	policy.MaxAttempts, policy.AttemptTimeout = s.MaxAttempts, s.Timeout

	build := func(name string) (llm.Model, error) {
		var inner llm.Model
		var err error
		switch p {
		case Anthropic:
			inner, err = anthropic.New(anthropic.Config{BaseURL: s.AnthropicBaseURL, APIKey: s.AnthropicKey, Model: name, HTTPClient: httpClient, MaxTokens: s.MaxTokens})
		default:
			inner, err = openai.New(openAIConfig(p, s, name, httpClient))
		}
		if err != nil {
			return nil, fmt.Errorf("provider %s: %w", p, err)
		}
		return llm.WithRetry(inner, policy), nil
	}
	cache := map[string]llm.Model{}
	for _, r := range []struct {
		name string
		dst  *llm.Model
	}{{m.ChatModel, &m.Chat}, {m.ClassifyModel, &m.Classify}, {m.VisionModel, &m.Vision}} {
		if cache[r.name] == nil {
			if cache[r.name], err = build(r.name); err != nil {
				return Models{}, err
			}
		}
		*r.dst = cache[r.name]
	}
	if err := m.setTranscriber(p, s, httpClient, policy); err != nil {
		return Models{}, err
	}
	return m, nil
}

func notConfigured(hint string) (Models, error) {
	err := &llm.NotConfiguredError{Hint: hint}
	u := llm.Unconfigured(err)
	return Models{Chat: u, Classify: u, Vision: u, TranscriberHint: "no LLM provider configured"}, err
}

func roleModels(p string, s settings, available []string) (chat, classify, vision string) {
	d := defaultModels(p)
	if s.Model != "" {
		d = defaults{s.Model, s.Model, s.Model}
	} else if p == Ollama && len(available) > 0 {
		if !slices.Contains(available, d.chat) {
			d.chat = available[0]
		}
		d.classify = d.chat
		if !slices.Contains(available, d.vision) {
			d.vision = d.chat
		}
	}
	chat, classify, vision = d.chat, d.classify, d.vision
	if s.ClassifyModel != "" {
		classify = s.ClassifyModel
	}
	if s.VisionModel != "" {
		vision = s.VisionModel
	}
	return chat, classify, vision
}

func openAIConfig(p string, s settings, model string, c *http.Client) openai.Config {
	cfg := openai.Config{Provider: p, Model: model, HTTPClient: c, MaxTokens: s.MaxTokens, TranscribeModel: s.TranscribeModel}
	switch p {
	case Gemini:
		cfg.BaseURL, cfg.APIKey, cfg.LegacyMaxTokens = GeminiBaseURL, s.GoogleKey, true
		if s.GeminiBaseURL != "" {
			cfg.BaseURL = s.GeminiBaseURL
		}
	case Ollama:
		cfg.BaseURL, cfg.LegacyMaxTokens = s.OllamaHost+"/v1", true
	default:
		cfg.BaseURL, cfg.APIKey = s.OpenAIBaseURL, s.OpenAIKey
		// Compatible servers may not know max_completion_tokens.
		cfg.LegacyMaxTokens = s.openaiURLSet
	}
	return cfg
}

func (m *Models) setTranscriber(p string, s settings, c *http.Client, policy llm.RetryPolicy) error {
	var cfg openai.Config
	switch {
	case s.transcribeURLSet:
		key := s.TranscribeKey
		if !s.transcribeKeySet {
			key = s.OpenAIKey
		}
		cfg = openai.Config{Provider: "transcribe", BaseURL: s.TranscribeBaseURL, APIKey: key}
	case p == OpenAI:
		cfg = openai.Config{Provider: OpenAI, BaseURL: s.OpenAIBaseURL, APIKey: s.OpenAIKey}
	case s.OpenAIKey != "":
		cfg = openai.Config{Provider: OpenAI, BaseURL: s.OpenAIBaseURL, APIKey: s.OpenAIKey}
	default:
		m.TranscriberHint = fmt.Sprintf("voice notes need speech-to-text: %s has no /audio/transcriptions here; set OPENAI_API_KEY, "+
			"or TRANSCRIBE_BASE_URL (and TRANSCRIBE_API_KEY) for an OpenAI-compatible Whisper server", p)
		return nil
	}
	cfg.HTTPClient, cfg.TranscribeModel = c, s.TranscribeModel
	t, err := openai.New(cfg)
	if err != nil {
		return fmt.Errorf("provider: transcriber: %w", err)
	}
	m.TranscribeModel = s.TranscribeModel
	if m.TranscribeModel == "" {
		m.TranscribeModel = openai.DefaultTranscribeModel
	}
	m.Transcriber = llm.TranscriberWithRetry(t, policy)
	return nil
}

// probeOllama asks host for its models (GET /v1/models) within
// ProbeTimeout and returns their ids.
func probeOllama(ctx context.Context, c *http.Client, host string) ([]string, error) {
	if c == nil {
		c = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, host+"/v1/models", nil)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is already in the message
		}
		return nil, fmt.Errorf("probe: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("probe: HTTP %d", resp.StatusCode)
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		return nil, fmt.Errorf("probe: not an OpenAI-compatible model list: %w", err)
	}
	ids := make([]string, 0, len(list.Data))
	for _, d := range list.Data {
		ids = append(ids, d.ID)
	}
	return ids, nil
}
