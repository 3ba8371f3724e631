// Package langchain adapts any langchaingo llms.Model to llm.Model, so a
// developer can use one of langchaingo's many providers that Switchboard has
// no first-class adapter for.
//
// Prefer llm/openai and llm/anthropic where they apply: langchaingo v0.1.14
// has defects this bridge can only partly work around. Images are always
// sent as data-URL ImageURLParts (its OpenAI adapter sends BinaryPart as an
// invalid "binary" part, tmc/langchaingo#958); its Anthropic adapter keeps
// only the first part of an assistant turn, losing parallel tool calls
// (#1468); its native Ollama adapter has no tools (#965).
//
// langchaingo providers report HTTP failures as plain strings. For typed
// errors with the status code and Retry-After, build the provider with the
// *http.Client returned by InstrumentHTTPClient; without it the adapter
// falls back to reading the status from the error text.
package langchain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tmc/langchaingo/llms"

	"github.com/switchboardhq/switchboard/llm"
)

// Model is an llm.Model on a langchaingo llms.Model. It is safe for
// concurrent use when the wrapped model is.
type Model struct {
	inner    llms.Model
	provider string
	jsonMode bool
	opts     []llms.CallOption
}

var _ llm.Model = (*Model)(nil)

// Option configures a Model.
type Option func(*Model)

// WithProvider names the provider in errors. Default "langchain".
func WithProvider(name string) Option { return func(m *Model) { m.provider = name } }

// WithCallOptions adds langchaingo call options to every call (e.g.
// llms.WithModel).
func WithCallOptions(opts ...llms.CallOption) Option {
	return func(m *Model) { m.opts = append(m.opts, opts...) }
}

// WithoutJSONMode stops the adapter from asking for JSON mode
// (llms.WithJSONMode) when a request carries a JSONSchema, for providers
// that reject it; the schema is still asked for in the system prompt.
func WithoutJSONMode() Option { return func(m *Model) { m.jsonMode = false } }

// New wraps inner.
func New(inner llms.Model, opts ...Option) *Model {
	m := &Model{inner: inner, provider: "langchain", jsonMode: true}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Generate converts req, calls GenerateContent and converts the answer.
func (m *Model) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	msgs, err := convertMessages(req)
	if err != nil {
		return llm.Response{}, err
	}
	opts := append([]llms.CallOption(nil), m.opts...)
	if len(req.Tools) > 0 {
		tools := make([]llms.Tool, 0, len(req.Tools))
		for _, t := range req.Tools {
			var params map[string]any
			if len(t.Parameters) > 0 {
				if err := json.Unmarshal(t.Parameters, &params); err != nil {
					return llm.Response{}, fmt.Errorf("langchain: tool %s parameters: %w", t.Name, err)
				}
			}
			tools = append(tools, llms.Tool{Type: "function", Function: &llms.FunctionDefinition{Name: t.Name, Description: t.Description, Parameters: params}})
		}
		opts = append(opts, llms.WithTools(tools))
	}
	if req.MaxTokens > 0 {
		opts = append(opts, llms.WithMaxTokens(req.MaxTokens))
	}
	if req.Temperature != nil {
		opts = append(opts, llms.WithTemperature(*req.Temperature))
	}
	if len(req.JSONSchema) > 0 && m.jsonMode {
		opts = append(opts, llms.WithJSONMode())
	}

	rec := &record{}
	out, err := m.inner.GenerateContent(context.WithValue(ctx, recordKey{}, rec), msgs, opts...)
	if err != nil {
		return llm.Response{}, m.wrapErr(ctx, err, rec)
	}
	if out == nil || len(out.Choices) == 0 || out.Choices[0] == nil {
		return llm.Response{}, &llm.APIError{Provider: m.provider, StatusCode: rec.statusCode(), Message: "answer has no choices", Err: errors.New("no choices")}
	}
	ch := out.Choices[0]
	msg := llm.Message{Role: llm.RoleAssistant, Content: ch.Content, Time: time.Now()}
	for _, tc := range ch.ToolCalls {
		if tc.FunctionCall == nil {
			continue
		}
		args := tc.FunctionCall.Arguments
		if strings.TrimSpace(args) == "" {
			args = "{}"
		}
		msg.ToolCalls = append(msg.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.FunctionCall.Name, Arguments: args})
	}
	if len(msg.ToolCalls) == 0 && ch.FuncCall != nil {
		msg.ToolCalls = append(msg.ToolCalls, llm.ToolCall{Name: ch.FuncCall.Name, Arguments: ch.FuncCall.Arguments})
	}
	u := usageOf(ch.GenerationInfo)
	msg.Usage = &u
	return llm.Response{Message: msg, Usage: u, StopReason: stopReason(ch.StopReason, len(msg.ToolCalls) > 0)}, nil
}

func convertMessages(req llm.Request) ([]llms.MessageContent, error) {
	var out []llms.MessageContent
	system := req.System
	if len(req.JSONSchema) > 0 {
		system = strings.TrimSpace(system + "\n\n" + llm.JSONInstruction(req.JSONSchema))
	}
	if system != "" {
		out = append(out, llms.TextParts(llms.ChatMessageTypeSystem, system))
	}
	for i, m := range req.Messages {
		switch m.Role {
		case llm.RoleSystem:
			out = append(out, llms.TextParts(llms.ChatMessageTypeSystem, m.Text()))
		case llm.RoleUser:
			if len(m.Parts) == 0 {
				out = append(out, llms.TextParts(llms.ChatMessageTypeHuman, m.Content))
				continue
			}
			mc := llms.MessageContent{Role: llms.ChatMessageTypeHuman}
			for _, p := range m.Parts {
				switch p.Type {
				case llm.PartText:
					mc.Parts = append(mc.Parts, llms.TextPart(p.Text))
				case llm.PartImage:
					// Always a URL part: BinaryPart is sent as an invalid
					// "binary" part by langchaingo's OpenAI adapter.
					mc.Parts = append(mc.Parts, llms.ImageURLPart(p.ImageURL))
				default:
					return nil, fmt.Errorf("langchain: message %d: unknown part type %q", i, p.Type)
				}
			}
			out = append(out, mc)
		case llm.RoleAssistant:
			mc := llms.MessageContent{Role: llms.ChatMessageTypeAI}
			if m.Content != "" {
				mc.Parts = append(mc.Parts, llms.TextPart(m.Content))
			}
			for _, tc := range m.ToolCalls {
				args := tc.Arguments
				if strings.TrimSpace(args) == "" {
					args = "{}"
				}
				mc.Parts = append(mc.Parts, llms.ToolCall{ID: tc.ID, Type: "function", FunctionCall: &llms.FunctionCall{Name: tc.Name, Arguments: args}})
			}
			out = append(out, mc)
		case llm.RoleTool:
			content := m.Content
			if m.IsError {
				content = "Error: " + content
			}
			// One message per result: langchaingo requires exactly one
			// ToolCallResponse part per tool message.
			out = append(out, llms.MessageContent{Role: llms.ChatMessageTypeTool, Parts: []llms.ContentPart{
				llms.ToolCallResponse{ToolCallID: m.ToolCallID, Name: m.Name, Content: content},
			}})
		default:
			return nil, fmt.Errorf("langchain: message %d: unknown role %q", i, m.Role)
		}
	}
	return out, nil
}

func stopReason(s string, hasCalls bool) string {
	switch strings.ToLower(s) {
	case "stop", "end_turn", "stop_sequence", "":
		if hasCalls {
			return "tool_calls"
		}
		return "stop"
	case "tool_calls", "tool_use", "function_call":
		return "tool_calls"
	case "length", "max_tokens":
		return "length"
	}
	return s
}

// usageOf reads token counts from GenerationInfo under the names
// langchaingo's providers use.
func usageOf(info map[string]any) llm.Usage {
	pick := func(keys ...string) int {
		for _, k := range keys {
			if v, ok := info[k]; ok {
				switch n := v.(type) {
				case int:
					return n
				case int32:
					return int(n)
				case int64:
					return int(n)
				case float64:
					return int(n)
				case json.Number:
					i, _ := n.Int64()
					return int(i)
				}
			}
		}
		return 0
	}
	return llm.Usage{
		InputTokens:  pick("PromptTokens", "InputTokens", "prompt_tokens", "input_tokens", "PromptEvalCount"),
		OutputTokens: pick("CompletionTokens", "OutputTokens", "completion_tokens", "output_tokens", "EvalCount"),
	}
}

// statusInText finds "status code: NNN" (langchaingo's wording) in msg.
func statusInText(msg string) int {
	_, rest, ok := strings.Cut(msg, "status code")
	if !ok {
		return 0
	}
	rest = strings.TrimLeft(rest, ": ")
	if len(rest) < 3 {
		return 0
	}
	code, err := strconv.Atoi(rest[:3])
	if err != nil || code < 100 || code > 599 {
		return 0
	}
	return code
}

func (m *Model) wrapErr(ctx context.Context, err error, rec *record) error {
	if cerr := ctx.Err(); cerr != nil {
		if !errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", cerr, err)
		}
		return &llm.APIError{Provider: m.provider, Err: err}
	}
	status, header, netErr := rec.get()
	switch {
	case status >= 400:
		return &llm.APIError{Provider: m.provider, StatusCode: status, RetryAfter: llm.ParseRetryAfter(header, time.Now()), Message: err.Error(), Err: err}
	case netErr != nil:
		return &llm.APIError{Provider: m.provider, Err: fmt.Errorf("%w (%w)", err, netErr)}
	}
	msg := err.Error()
	if code := statusInText(msg); code != 0 {
		return &llm.APIError{Provider: m.provider, StatusCode: code, Message: msg, Err: err}
	}
	var le *llms.Error
	if errors.As(err, &le) {
		code := map[llms.ErrorCode]int{
			llms.ErrCodeRateLimit:           http.StatusTooManyRequests,
			llms.ErrCodeQuotaExceeded:       http.StatusTooManyRequests,
			llms.ErrCodeAuthentication:      http.StatusUnauthorized,
			llms.ErrCodeInvalidRequest:      http.StatusBadRequest,
			llms.ErrCodeResourceNotFound:    http.StatusNotFound,
			llms.ErrCodeTokenLimit:          http.StatusBadRequest,
			llms.ErrCodeContentFilter:       http.StatusBadRequest,
			llms.ErrCodeProviderUnavailable: http.StatusServiceUnavailable,
		}[le.Code]
		if code != 0 || le.Code == llms.ErrCodeTimeout {
			return &llm.APIError{Provider: m.provider, StatusCode: code, Message: msg, Err: err}
		}
	}
	lower := strings.ToLower(msg)
	for _, s := range []string{"network error", "connection refused", "request timeout", "no such host", "connection reset", "eof"} {
		if strings.Contains(lower, s) {
			return &llm.APIError{Provider: m.provider, Err: err}
		}
	}
	return fmt.Errorf("langchain %s: %w", m.provider, err)
}

// record is filled by an instrumented transport with what the HTTP layer
// saw during one Generate.
type record struct {
	mu     sync.Mutex
	status int
	header http.Header
	netErr error
}

type recordKey struct{}

func (r *record) get() (int, http.Header, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.header, r.netErr
}

func (r *record) statusCode() int {
	s, _, _ := r.get()
	return s
}

// InstrumentHTTPClient returns a copy of c (nil: a new client) whose
// transport reports each response's status and headers, or transport
// error, to the adapter, so errors carry the status code and Retry-After.
// Pass it to the langchaingo provider (e.g. openai.WithHTTPClient).
func InstrumentHTTPClient(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	}
	base := cp.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cp.Transport = &transport{base: base}
	return &cp
}

type transport struct{ base http.RoundTripper }

// RoundTrip records the outcome in the request context's record, if any.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if rec, ok := req.Context().Value(recordKey{}).(*record); ok {
		rec.mu.Lock()
		if err != nil {
			rec.netErr = err
		} else {
			rec.status, rec.header = resp.StatusCode, resp.Header.Clone()
		}
		rec.mu.Unlock()
	}
	return resp, err
}
