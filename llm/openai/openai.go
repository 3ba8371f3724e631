// Package openai adapts github.com/openai/openai-go/v3 to llm.Model and
// llm.Transcriber, for OpenAI and every OpenAI-compatible server reached
// through a base URL: Ollama (/v1), vLLM, llama.cpp, LM Studio, Gemini's
// OpenAI-compatible endpoint.
//
// The SDK's own retries are turned off (llm.WithRetry is the one retry
// layer) and it does not read the process environment: everything comes
// from Config.
package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/switchboardhq/switchboard/llm"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultTranscribeModel is the speech-to-text model used when
// Config.TranscribeModel is empty.
const DefaultTranscribeModel = "whisper-1"

// Config configures a Model.
type Config struct {
	// Provider names the provider in errors ("openai", "gemini", "ollama",
	// ...). Default "openai".
	Provider string
	// BaseURL is the API root including /v1 (e.g. "http://localhost:11434/v1").
	// Default DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// Model is the chat model name. Required for Generate.
	Model string
	// TranscribeModel is the speech-to-text model. Default
	// DefaultTranscribeModel.
	TranscribeModel string
	// HTTPClient is the client used; nil means a client with sane transport
	// timeouts. Bound whole calls with contexts.
	HTTPClient *http.Client
	// MaxTokens caps answers when a Request does not; 0 sends no cap.
	MaxTokens int
	// LegacyMaxTokens sends the cap as max_tokens instead of
	// max_completion_tokens. Set it for servers that only know the older
	// field (some OpenAI-compatible servers); OpenAI's reasoning models
	// reject it.
	LegacyMaxTokens bool
	// StrictJSONSchema sets strict: true on json_schema response formats.
	// OpenAI then requires every property to be required and
	// additionalProperties false.
	StrictJSONSchema bool
}

// Model is an llm.Model and llm.Transcriber on an OpenAI-compatible API.
// It is safe for concurrent use.
type Model struct {
	cfg   Config
	chat  sdk.ChatCompletionService
	audio sdk.AudioService
}

var (
	_ llm.Model       = (*Model)(nil)
	_ llm.Transcriber = (*Model)(nil)
)

// ErrNoModel is returned by New when Config.Model and Config.TranscribeModel
// are both empty.
var ErrNoModel = errors.New("openai: no model name")

// New returns a Model for cfg.
func New(cfg Config) (*Model, error) {
	if cfg.Provider == "" {
		cfg.Provider = "openai"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.TranscribeModel == "" {
		cfg.TranscribeModel = DefaultTranscribeModel
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
	}
	opts := requestOptions(cfg.BaseURL, cfg.APIKey, cfg.HTTPClient)
	// The services are built directly rather than through sdk.NewClient,
	// which would also read OPENAI_* variables from the process environment.
	return &Model{cfg: cfg, chat: sdk.NewChatCompletionService(opts...), audio: sdk.NewAudioService(opts...)}, nil
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = 5 * time.Minute
	return &http.Client{Transport: t}
}

// Name returns the chat model name.
func (m *Model) Name() string { return m.cfg.Model }

// Generate sends req to /chat/completions.
func (m *Model) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	if m.cfg.Model == "" {
		return llm.Response{}, ErrNoModel
	}
	params, err := m.params(req)
	if err != nil {
		return llm.Response{}, err
	}
	var httpResp *http.Response
	out, err := m.chat.New(ctx, params, option.WithResponseInto(&httpResp))
	if err != nil {
		return llm.Response{}, m.notFoundHint(m.wrapErr(ctx, err), "/chat/completions")
	}
	if len(out.Choices) == 0 {
		return llm.Response{}, &llm.APIError{Provider: m.cfg.Provider, StatusCode: statusOf(httpResp), Message: "answer has no choices", Err: errors.New("no choices")}
	}
	ch := out.Choices[0]
	msg := llm.Message{Role: llm.RoleAssistant, Content: ch.Message.Content, Time: time.Now()}
	if msg.Content == "" && ch.Message.Refusal != "" {
		msg.Content = ch.Message.Refusal
	}
	for _, tc := range ch.Message.ToolCalls {
		if tc.Type != "" && tc.Type != "function" {
			continue
		}
		msg.ToolCalls = append(msg.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
	}
	u := llm.Usage{InputTokens: int(out.Usage.PromptTokens), OutputTokens: int(out.Usage.CompletionTokens)}
	msg.Usage = &u
	return llm.Response{Message: msg, Usage: u, StopReason: stopReason(ch.FinishReason, len(msg.ToolCalls) > 0)}, nil
}

func statusOf(r *http.Response) int {
	if r == nil {
		return 0
	}
	return r.StatusCode
}

func stopReason(finish string, hasCalls bool) string {
	switch finish {
	case "tool_calls", "function_call":
		return "tool_calls"
	case "length", "stop":
		return finish
	case "":
		if hasCalls {
			return "tool_calls"
		}
		return "stop"
	}
	return finish
}

func (m *Model) params(req llm.Request) (sdk.ChatCompletionNewParams, error) {
	p := sdk.ChatCompletionNewParams{Model: shared.ChatModel(m.cfg.Model)}
	system := req.System
	if len(req.JSONSchema) > 0 {
		var schema map[string]any
		if err := json.Unmarshal(req.JSONSchema, &schema); err != nil {
			return p, fmt.Errorf("openai: request JSONSchema: %w", err)
		}
		js := shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "answer", Schema: schema}
		if m.cfg.StrictJSONSchema {
			js.Strict = sdk.Bool(true)
		}
		p.ResponseFormat.OfJSONSchema = &shared.ResponseFormatJSONSchemaParam{JSONSchema: js}
	}
	if system != "" {
		p.Messages = append(p.Messages, sdk.SystemMessage(system))
	}
	msgs, err := convertMessages(req.Messages)
	if err != nil {
		return p, err
	}
	p.Messages = append(p.Messages, msgs...)
	for _, t := range req.Tools {
		fd := shared.FunctionDefinitionParam{Name: t.Name}
		if t.Description != "" {
			fd.Description = sdk.String(t.Description)
		}
		if len(t.Parameters) > 0 {
			var params shared.FunctionParameters
			if err := json.Unmarshal(t.Parameters, &params); err != nil {
				return p, fmt.Errorf("openai: tool %s parameters: %w", t.Name, err)
			}
			fd.Parameters = params
		}
		p.Tools = append(p.Tools, sdk.ChatCompletionFunctionTool(fd))
	}
	maxTokens := req.MaxTokens
	if maxTokens == 0 {
		maxTokens = m.cfg.MaxTokens
	}
	if maxTokens > 0 {
		if m.cfg.LegacyMaxTokens {
			p.MaxTokens = sdk.Int(int64(maxTokens))
		} else {
			p.MaxCompletionTokens = sdk.Int(int64(maxTokens))
		}
	}
	if req.Temperature != nil {
		p.Temperature = sdk.Float(*req.Temperature)
	}
	return p, nil
}

// convertMessages turns our messages into the SDK's: system messages stay
// in place, user Parts become text and image_url parts (data URLs pass
// through), an assistant message keeps all its tool calls, and each tool
// result is its own tool message.
func convertMessages(msgs []llm.Message) ([]sdk.ChatCompletionMessageParamUnion, error) {
	out := make([]sdk.ChatCompletionMessageParamUnion, 0, len(msgs))
	for i, m := range msgs {
		switch m.Role {
		case llm.RoleSystem:
			out = append(out, sdk.SystemMessage(m.Text()))
		case llm.RoleUser:
			if len(m.Parts) == 0 {
				out = append(out, sdk.UserMessage(m.Content))
				continue
			}
			parts := make([]sdk.ChatCompletionContentPartUnionParam, 0, len(m.Parts))
			for _, p := range m.Parts {
				switch p.Type {
				case llm.PartText:
					parts = append(parts, sdk.TextContentPart(p.Text))
				case llm.PartImage:
					parts = append(parts, sdk.ImageContentPart(sdk.ChatCompletionContentPartImageImageURLParam{URL: p.ImageURL}))
				default:
					return nil, fmt.Errorf("openai: message %d: unknown part type %q", i, p.Type)
				}
			}
			out = append(out, sdk.UserMessage(parts))
		case llm.RoleAssistant:
			a := sdk.ChatCompletionAssistantMessageParam{}
			if m.Content != "" {
				a.Content.OfString = sdk.String(m.Content)
			}
			for _, tc := range m.ToolCalls {
				args := tc.Arguments
				if strings.TrimSpace(args) == "" {
					args = "{}"
				}
				a.ToolCalls = append(a.ToolCalls, sdk.ChatCompletionMessageToolCallUnionParam{
					OfFunction: &sdk.ChatCompletionMessageFunctionToolCallParam{
						ID:       tc.ID,
						Function: sdk.ChatCompletionMessageFunctionToolCallFunctionParam{Name: tc.Name, Arguments: args},
					},
				})
			}
			out = append(out, sdk.ChatCompletionMessageParamUnion{OfAssistant: &a})
		case llm.RoleTool:
			content := m.Content
			if m.IsError {
				content = "Error: " + content
			}
			out = append(out, sdk.ToolMessage(content, m.ToolCallID))
		default:
			return nil, fmt.Errorf("openai: message %d: unknown role %q", i, m.Role)
		}
	}
	return out, nil
}

// Transcribe sends audio to /audio/transcriptions with Config.TranscribeModel.
func (m *Model) Transcribe(ctx context.Context, audio io.Reader, filename, mimeType string) (string, error) {
	if filename == "" {
		filename = "audio" + extFor(mimeType)
	}
	if mimeType == "" {
		mimeType = "application/octet-stream"
	}
	out, err := m.audio.Transcriptions.New(ctx, sdk.AudioTranscriptionNewParams{
		File:  sdk.File(audio, filename, mimeType),
		Model: sdk.AudioModel(m.cfg.TranscribeModel),
	})
	if err != nil {
		return "", m.wrapErr(ctx, err)
	}
	return strings.TrimSpace(out.Text), nil
}

// extFor guesses a file extension for the MIME types WhatsApp voice notes
// and common recorders use; the endpoint detects the format from it.
func extFor(mimeType string) string {
	mt, _, _ := strings.Cut(mimeType, ";")
	switch strings.TrimSpace(mt) {
	case "audio/ogg", "audio/opus":
		return ".ogg"
	case "audio/mpeg", "audio/mp3":
		return ".mp3"
	case "audio/mp4", "audio/m4a", "audio/x-m4a", "audio/aac":
		return ".m4a"
	case "audio/wav", "audio/x-wav", "audio/wave":
		return ".wav"
	case "audio/webm":
		return ".webm"
	case "audio/amr":
		return ".amr"
	}
	return ".ogg"
}

// wrapErr turns an SDK or transport error into an *llm.APIError.
func (m *Model) wrapErr(ctx context.Context, err error) error {
	return wrapError(ctx, m.cfg.Provider, err)
}

// baseURLSetting names the setting of each provider's base URL, for hints.
var baseURLSetting = map[string]string{"openai": "OPENAI_BASE_URL", "gemini": "GEMINI_BASE_URL", "ollama": "OLLAMA_HOST"}

// notFoundHint adds to a 404 which URL answered it and what usually fixes
// it: a base URL without its /v1 makes every call a 404, which otherwise
// reads like a missing model. Only the scheme, host and path of the URL
// are shown (never credentials or a query).
func (m *Model) notFoundHint(err error, path string) error {
	var ae *llm.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusNotFound {
		return err
	}
	shown := m.cfg.BaseURL
	if u, perr := url.Parse(m.cfg.BaseURL); perr == nil {
		shown = (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	}
	hint := fmt.Sprintf("POST %s%s answered 404", strings.TrimSuffix(shown, "/"), path)
	if name := baseURLSetting[m.cfg.Provider]; name != "" {
		hint += "; check " + name
	}
	if !strings.HasSuffix(strings.TrimSuffix(shown, "/"), "/v1") {
		hint += " (OpenAI-compatible servers usually serve under /v1, e.g. http://localhost:11434/v1)"
	} else {
		hint += " (and that the server has the model " + strconv.Quote(m.cfg.Model) + ")"
	}
	if ae.Message != "" {
		hint = ae.Message + ": " + hint
	}
	ae.Message = hint
	return ae
}

func wrapError(ctx context.Context, provider string, err error) error {
	var se *sdk.Error
	if errors.As(err, &se) {
		ae := &llm.APIError{Provider: provider, StatusCode: se.StatusCode, Message: se.Message, Err: err}
		if se.Response != nil {
			ae.RetryAfter = llm.ParseRetryAfter(se.Response.Header, time.Now())
		}
		return ae
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return &llm.APIError{Provider: provider, Err: err}
}

// requestOptions are the SDK options every service of this package uses:
// our base URL and HTTP client, the key when there is one, and no SDK
// retries (llm's retry policy decides).
func requestOptions(baseURL, apiKey string, hc *http.Client) []option.RequestOption {
	opts := []option.RequestOption{
		option.WithBaseURL(baseURL),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	if apiKey != "" {
		opts = append(opts, option.WithAPIKey(apiKey))
	}
	return opts
}
