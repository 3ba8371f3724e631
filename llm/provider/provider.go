// Package provider chooses and builds the models from the environment: a
// model per role (chat, classify/extract, vision) and a speech-to-text
// Transcriber, each wrapped in llm.WithRetry.
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
	"strconv"
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

// ConfigError reports an invalid variable.
type ConfigError struct {
	// Var is the variable's name.
	Var string
	// Value is its value (empty for secrets).
	Value string
	// Reason says what is wrong.
	Reason string
}

// Error names the variable.
func (e *ConfigError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Var, e.Reason)
	}
	return fmt.Sprintf("%s=%q: %s", e.Var, e.Value, e.Reason)
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

// env reads trimmed variables.
type env func(string) string

func (e env) get(k string) string { return strings.TrimSpace(e(k)) }

// settings are the parsed, validated variables.
type settings struct {
	provider                           string
	model, classify, vision            string
	openaiKey, openaiURL               string
	anthropicKey, anthropicURL         string
	googleKey, geminiURL               string
	ollamaHost                         string
	transcribeModel, transcribeURL     string
	transcribeKey                      string
	timeout                            time.Duration
	attempts, maxTokens                int
	openaiURLSet, anthropicURLSet      bool
	transcribeURLSet, transcribeKeySet bool
}

func parse(e env) (settings, error) {
	s := settings{
		provider:        strings.ToLower(e.get("LLM_PROVIDER")),
		model:           e.get("LLM_MODEL"),
		classify:        e.get("LLM_MODEL_CLASSIFY"),
		vision:          e.get("LLM_MODEL_VISION"),
		openaiKey:       e.get("OPENAI_API_KEY"),
		anthropicKey:    e.get("ANTHROPIC_API_KEY"),
		googleKey:       e.get("GOOGLE_API_KEY"),
		transcribeModel: e.get("TRANSCRIBE_MODEL"),
		transcribeKey:   e.get("TRANSCRIBE_API_KEY"),
		timeout:         60 * time.Second,
		attempts:        3,
	}
	if s.googleKey == "" {
		s.googleKey = e.get("GEMINI_API_KEY")
	}
	switch s.provider {
	case "", OpenAI, Anthropic, Gemini, Ollama:
	default:
		return s, &ConfigError{Var: "LLM_PROVIDER", Value: e.get("LLM_PROVIDER"), Reason: "must be one of openai, anthropic, gemini, ollama"}
	}
	var err error
	urls := []struct {
		name string
		dst  *string
		set  *bool
	}{
		{"OPENAI_BASE_URL", &s.openaiURL, &s.openaiURLSet},
		{"ANTHROPIC_BASE_URL", &s.anthropicURL, &s.anthropicURLSet},
		{"GEMINI_BASE_URL", &s.geminiURL, nil},
		{"TRANSCRIBE_BASE_URL", &s.transcribeURL, &s.transcribeURLSet},
	}
	for _, u := range urls {
		v := e.get(u.name)
		if v == "" {
			continue
		}
		if *u.dst, err = checkURL(u.name, v); err != nil {
			return s, err
		}
		if u.set != nil {
			*u.set = true
		}
	}
	s.transcribeKeySet = s.transcribeKey != ""
	if v := e.get("OLLAMA_HOST"); v != "" {
		if s.ollamaHost, err = ollamaURL(v); err != nil {
			return s, err
		}
	} else {
		s.ollamaHost = DefaultOllamaHost
	}
	if v := e.get("LLM_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return s, &ConfigError{Var: "LLM_TIMEOUT", Value: v, Reason: "must be a positive duration such as 45s or 2m"}
		}
		s.timeout = d
	}
	ints := []struct {
		name string
		dst  *int
	}{{"LLM_MAX_ATTEMPTS", &s.attempts}, {"LLM_MAX_TOKENS", &s.maxTokens}}
	for _, it := range ints {
		v := e.get(it.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s, &ConfigError{Var: it.name, Value: v, Reason: "must be a whole number of at least 1"}
		}
		*it.dst = n
	}
	return s, nil
}

func checkURL(name, v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", &ConfigError{Var: name, Value: v, Reason: "must be an http:// or https:// URL"}
	}
	return strings.TrimRight(v, "/"), nil
}

// ollamaURL accepts what Ollama itself accepts in OLLAMA_HOST: "host",
// "host:port", or a URL; 0.0.0.0 (a bind address) is reached as 127.0.0.1.
func ollamaURL(v string) (string, error) {
	raw := v
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return "", &ConfigError{Var: "OLLAMA_HOST", Value: v, Reason: "must be host, host:port or an http(s) URL"}
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

// Load reads the environment through getenv and builds the models, using
// httpClient (nil: each adapter's default) for every call and for the
// Ollama probe.
//
// Errors: a *ConfigError for an invalid value (naming the variable), or an
// *llm.NotConfiguredError (errors.Is(err, llm.ErrNotConfigured)) when no
// provider is configured — then the returned Models are still usable: every
// role fails with that error, so the server can start and say why.
func Load(ctx context.Context, getenv func(string) string, httpClient *http.Client) (Models, error) {
	s, err := parse(env(getenv))
	if err != nil {
		return Models{}, err
	}
	var available []string // models an auto-detected Ollama lists
	p := s.provider
	if p == "" {
		switch {
		case s.openaiKey != "":
			p = OpenAI
		case s.anthropicKey != "":
			p = Anthropic
		case s.googleKey != "":
			p = Gemini
		case s.openaiURLSet:
			p = OpenAI
		default:
			ids, perr := probeOllama(ctx, httpClient, s.ollamaHost)
			if perr != nil {
				return notConfigured(fmt.Sprintf(
					"set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_API_KEY (and optionally LLM_PROVIDER, LLM_MODEL), "+
						"or OPENAI_BASE_URL for an OpenAI-compatible server, or run Ollama and set OLLAMA_HOST "+
						"(no Ollama answered at %s: %v)", s.ollamaHost, perr))
			}
			p, available = Ollama, ids
		}
	}

	switch p {
	case OpenAI:
		if s.openaiKey == "" && !s.openaiURLSet {
			return notConfigured("LLM_PROVIDER=openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for a keyless OpenAI-compatible server")
		}
	case Anthropic:
		if s.anthropicKey == "" && !s.anthropicURLSet {
			return notConfigured("LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY")
		}
	case Gemini:
		if s.googleKey == "" {
			return notConfigured("LLM_PROVIDER=gemini needs GOOGLE_API_KEY")
		}
	}

	m := Models{Provider: p}
	m.ChatModel, m.ClassifyModel, m.VisionModel = roleModels(p, s, available)
	policy := llm.DefaultRetryPolicy()
	policy.MaxAttempts, policy.AttemptTimeout = s.attempts, s.timeout

	build := func(name string) (llm.Model, error) {
		var inner llm.Model
		var err error
		switch p {
		case Anthropic:
			inner, err = anthropic.New(anthropic.Config{BaseURL: s.anthropicURL, APIKey: s.anthropicKey, Model: name, HTTPClient: httpClient, MaxTokens: s.maxTokens})
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
	if s.model != "" {
		d = defaults{s.model, s.model, s.model}
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
	if s.classify != "" {
		classify = s.classify
	}
	if s.vision != "" {
		vision = s.vision
	}
	return chat, classify, vision
}

func openAIConfig(p string, s settings, model string, c *http.Client) openai.Config {
	cfg := openai.Config{Provider: p, Model: model, HTTPClient: c, MaxTokens: s.maxTokens, TranscribeModel: s.transcribeModel}
	switch p {
	case Gemini:
		cfg.BaseURL, cfg.APIKey, cfg.LegacyMaxTokens = GeminiBaseURL, s.googleKey, true
		if s.geminiURL != "" {
			cfg.BaseURL = s.geminiURL
		}
	case Ollama:
		cfg.BaseURL, cfg.LegacyMaxTokens = s.ollamaHost+"/v1", true
	default:
		cfg.BaseURL, cfg.APIKey = s.openaiURL, s.openaiKey
		// Compatible servers may not know max_completion_tokens.
		cfg.LegacyMaxTokens = s.openaiURLSet
	}
	return cfg
}

func (m *Models) setTranscriber(p string, s settings, c *http.Client, policy llm.RetryPolicy) error {
	var cfg openai.Config
	switch {
	case s.transcribeURLSet:
		key := s.transcribeKey
		if !s.transcribeKeySet {
			key = s.openaiKey
		}
		cfg = openai.Config{Provider: "transcribe", BaseURL: s.transcribeURL, APIKey: key}
	case p == OpenAI:
		cfg = openai.Config{Provider: OpenAI, BaseURL: s.openaiURL, APIKey: s.openaiKey}
	case s.openaiKey != "":
		cfg = openai.Config{Provider: OpenAI, BaseURL: s.openaiURL, APIKey: s.openaiKey}
	default:
		m.TranscriberHint = fmt.Sprintf("voice notes need speech-to-text: %s has no /audio/transcriptions here; set OPENAI_API_KEY, "+
			"or TRANSCRIBE_BASE_URL (and TRANSCRIBE_API_KEY) for an OpenAI-compatible Whisper server", p)
		return nil
	}
	cfg.HTTPClient, cfg.TranscribeModel = c, s.transcribeModel
	t, err := openai.New(cfg)
	if err != nil {
		return fmt.Errorf("provider: transcriber: %w", err)
	}
	m.TranscribeModel = s.transcribeModel
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
