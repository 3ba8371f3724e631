// Package anthropic adapts github.com/anthropics/anthropic-sdk-go to
// llm.Model.
//
// Conversion rules: the system prompt (Request.System and any system
// messages) goes in the top-level system field; an assistant turn keeps ALL
// its tool_use blocks; all tool results that follow a turn go in ONE user
// message of tool_result blocks (is_error set), with any user text that
// follows them appended after the results; images become base64 image
// blocks when given as data URLs, url image blocks otherwise.
//
// The SDK's own retries are turned off (llm.WithRetry is the one retry
// layer) and it does not read the process environment: everything comes
// from Config.
package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/switchboardhq/switchboard/llm"
)

// DefaultBaseURL is Anthropic's API root (without /v1).
const DefaultBaseURL = "https://api.anthropic.com"

// DefaultMaxTokens is the answer cap when neither the request nor Config
// sets one; the API requires a cap.
const DefaultMaxTokens = 4096

// Config configures a Model.
type Config struct {
	// BaseURL is the API root without /v1. Default DefaultBaseURL.
	BaseURL string
	// APIKey is sent as X-Api-Key.
	APIKey string
	// Model is the model name. Required.
	Model string
	// HTTPClient is the client used; nil means a client with sane transport
	// timeouts. Bound whole calls with contexts.
	HTTPClient *http.Client
	// MaxTokens caps answers when a Request does not. Default
	// DefaultMaxTokens.
	MaxTokens int
	// NativeJSONSchema sends Request.JSONSchema as output_config.format
	// (structured outputs; only recent models accept it). Otherwise the
	// schema is asked for in the system prompt, which every model accepts.
	NativeJSONSchema bool
}

// Model is an llm.Model on Anthropic's Messages API. It is safe for
// concurrent use.
type Model struct {
	cfg      Config
	messages sdk.MessageService
}

var _ llm.Model = (*Model)(nil)

// ErrNoModel is returned by New when Config.Model is empty.
var ErrNoModel = errors.New("anthropic: no model name")

const provider = "anthropic"

// New returns a Model for cfg.
func New(cfg Config) (*Model, error) {
	if cfg.Model == "" {
		return nil, ErrNoModel
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.MaxTokens <= 0 {
		cfg.MaxTokens = DefaultMaxTokens
	}
	if cfg.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = 5 * time.Minute
		cfg.HTTPClient = &http.Client{Transport: t}
	}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(cfg.BaseURL),
		option.WithHTTPClient(cfg.HTTPClient),
		option.WithMaxRetries(0),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	client := sdk.NewClient(opts...)
	return &Model{cfg: cfg, messages: client.Messages}, nil
}

// Name returns the model name.
func (m *Model) Name() string { return m.cfg.Model }

// Generate sends req to /v1/messages.
func (m *Model) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	params, err := m.params(req)
	if err != nil {
		return llm.Response{}, err
	}
	out, err := m.messages.New(ctx, params)
	if err != nil {
		return llm.Response{}, wrapErr(ctx, err)
	}
	msg := llm.Message{Role: llm.RoleAssistant, Time: time.Now()}
	var texts []string
	for _, block := range out.Content {
		switch b := block.AsAny().(type) {
		case sdk.TextBlock:
			texts = append(texts, b.Text)
		case sdk.ToolUseBlock:
			args := string(b.Input)
			if strings.TrimSpace(args) == "" || args == "null" {
				args = "{}"
			}
			msg.ToolCalls = append(msg.ToolCalls, llm.ToolCall{ID: b.ID, Name: b.Name, Arguments: args})
		}
	}
	msg.Content = strings.Join(texts, "")
	u := llm.Usage{
		InputTokens:  int(out.Usage.InputTokens + out.Usage.CacheCreationInputTokens + out.Usage.CacheReadInputTokens),
		OutputTokens: int(out.Usage.OutputTokens),
	}
	msg.Usage = &u
	return llm.Response{Message: msg, Usage: u, StopReason: stopReason(string(out.StopReason))}, nil
}

func stopReason(s string) string {
	switch s {
	case "end_turn", "stop_sequence", "":
		return "stop"
	case "tool_use":
		return "tool_calls"
	case "max_tokens", "model_context_window_exceeded":
		return "length"
	}
	return s
}

func (m *Model) params(req llm.Request) (sdk.MessageNewParams, error) {
	p := sdk.MessageNewParams{Model: sdk.Model(m.cfg.Model), MaxTokens: int64(m.cfg.MaxTokens)}
	if req.MaxTokens > 0 {
		p.MaxTokens = int64(req.MaxTokens)
	}
	if req.Temperature != nil {
		p.Temperature = sdk.Float(*req.Temperature)
	}
	var system []string
	if req.System != "" {
		system = append(system, req.System)
	}
	for _, msg := range req.Messages {
		if msg.Role == llm.RoleSystem && msg.Text() != "" {
			system = append(system, msg.Text())
		}
	}
	if len(req.JSONSchema) > 0 {
		var schema map[string]any
		if err := json.Unmarshal(req.JSONSchema, &schema); err != nil {
			return p, fmt.Errorf("anthropic: request JSONSchema: %w", err)
		}
		if m.cfg.NativeJSONSchema {
			p.OutputConfig.Format = sdk.JSONOutputFormatParam{Schema: schema}
		} else {
			system = append(system, llm.JSONInstruction(req.JSONSchema))
		}
	}
	for _, s := range system {
		p.System = append(p.System, sdk.TextBlockParam{Text: s})
	}
	msgs, err := convertMessages(req.Messages)
	if err != nil {
		return p, err
	}
	p.Messages = msgs
	for _, t := range req.Tools {
		tp, err := toolParam(t)
		if err != nil {
			return p, err
		}
		p.Tools = append(p.Tools, sdk.ToolUnionParam{OfTool: tp})
	}
	return p, nil
}

func toolParam(t llm.ToolDef) (*sdk.ToolParam, error) {
	tp := &sdk.ToolParam{Name: t.Name}
	if t.Description != "" {
		tp.Description = sdk.String(t.Description)
	}
	schema := map[string]any{}
	if len(t.Parameters) > 0 {
		if err := json.Unmarshal(t.Parameters, &schema); err != nil {
			return nil, fmt.Errorf("anthropic: tool %s parameters: %w", t.Name, err)
		}
	}
	if props, ok := schema["properties"]; ok {
		tp.InputSchema.Properties = props
	}
	if req, ok := schema["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				tp.InputSchema.Required = append(tp.InputSchema.Required, s)
			}
		}
	}
	for k, v := range schema {
		if k == "properties" || k == "required" || k == "type" {
			continue
		}
		if tp.InputSchema.ExtraFields == nil {
			tp.InputSchema.ExtraFields = map[string]any{}
		}
		tp.InputSchema.ExtraFields[k] = v
	}
	return tp, nil
}

// convertMessages builds the alternating user/assistant list: consecutive
// messages of the same side merge into one, so all tool results of a turn
// (and any user text after them) form ONE user message with the
// tool_result blocks first.
func convertMessages(msgs []llm.Message) ([]sdk.MessageParam, error) {
	var out []sdk.MessageParam
	add := func(role sdk.MessageParamRole, blocks []sdk.ContentBlockParamUnion) {
		if len(blocks) == 0 {
			return
		}
		if n := len(out); n > 0 && out[n-1].Role == role {
			out[n-1].Content = append(out[n-1].Content, blocks...)
			return
		}
		out = append(out, sdk.MessageParam{Role: role, Content: blocks})
	}
	for i, m := range msgs {
		switch m.Role {
		case llm.RoleSystem:
			// Moved to the system field.
		case llm.RoleUser:
			blocks, err := userBlocks(m)
			if err != nil {
				return nil, fmt.Errorf("anthropic: message %d: %w", i, err)
			}
			add(sdk.MessageParamRoleUser, blocks)
		case llm.RoleAssistant:
			var blocks []sdk.ContentBlockParamUnion
			if strings.TrimSpace(m.Content) != "" {
				blocks = append(blocks, sdk.NewTextBlock(m.Content))
			}
			for _, tc := range m.ToolCalls {
				blocks = append(blocks, sdk.NewToolUseBlock(tc.ID, toolInput(tc.Arguments), tc.Name))
			}
			add(sdk.MessageParamRoleAssistant, blocks)
		case llm.RoleTool:
			content := m.Content
			if content == "" {
				content = "(no output)"
			}
			add(sdk.MessageParamRoleUser, []sdk.ContentBlockParamUnion{sdk.NewToolResultBlock(m.ToolCallID, content, m.IsError)})
		default:
			return nil, fmt.Errorf("anthropic: message %d: unknown role %q", i, m.Role)
		}
	}
	return out, nil
}

func userBlocks(m llm.Message) ([]sdk.ContentBlockParamUnion, error) {
	if len(m.Parts) == 0 {
		if strings.TrimSpace(m.Content) == "" {
			return nil, nil
		}
		return []sdk.ContentBlockParamUnion{sdk.NewTextBlock(m.Content)}, nil
	}
	var blocks []sdk.ContentBlockParamUnion
	for _, p := range m.Parts {
		switch p.Type {
		case llm.PartText:
			if strings.TrimSpace(p.Text) != "" {
				blocks = append(blocks, sdk.NewTextBlock(p.Text))
			}
		case llm.PartImage:
			mt, data, err := llm.ParseDataURL(p.ImageURL)
			switch {
			case err == nil:
				blocks = append(blocks, sdk.NewImageBlockBase64(mt, data))
			case strings.HasPrefix(p.ImageURL, "https://") || strings.HasPrefix(p.ImageURL, "http://"):
				blocks = append(blocks, sdk.NewImageBlock(sdk.URLImageSourceParam{URL: p.ImageURL}))
			default:
				return nil, fmt.Errorf("image is neither a base64 data URL nor an http(s) URL: %w", err)
			}
		default:
			return nil, fmt.Errorf("unknown part type %q", p.Type)
		}
	}
	return blocks, nil
}

// toolInput returns the call's arguments as a JSON object; arguments that
// are not one (empty, or invalid JSON from another provider) become {}.
func toolInput(args string) any {
	raw := json.RawMessage(strings.TrimSpace(args))
	var obj map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &obj) != nil || obj == nil {
		return map[string]any{}
	}
	return raw
}

// wrapErr turns an SDK or transport error into an *llm.APIError.
func wrapErr(ctx context.Context, err error) error {
	var se *sdk.Error
	if errors.As(err, &se) {
		ae := &llm.APIError{Provider: provider, StatusCode: se.StatusCode, Err: err}
		var body struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal([]byte(se.RawJSON()), &body) == nil {
			ae.Message = body.Error.Message
		}
		if se.Response != nil {
			ae.RetryAfter = llm.ParseRetryAfter(se.Response.Header, time.Now())
		}
		if ae.Message == "" {
			ae.Message = http.StatusText(se.StatusCode)
		}
		return ae
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return &llm.APIError{Provider: provider, Err: err}
}
