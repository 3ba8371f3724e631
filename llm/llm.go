// Package llm is Switchboard's own model interface and message types.
//
// Conversations are stored in checkpoints as these types, never as a
// provider's, so a thread can move from one provider to another and old
// threads stay readable. Adapters in subpackages convert at the edge.
package llm

import (
	"context"
	"encoding/json"
	"time"
)

// Role is who speaks a Message.
type Role string

// The roles of a conversation.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// PartType says what a Part holds.
type PartType string

// The kinds of content part.
const (
	PartText  PartType = "text"
	PartImage PartType = "image"
)

// Part is one piece of multimodal content. A message with only text uses
// Message.Content instead.
type Part struct {
	Type PartType `json:"type"`
	Text string   `json:"text,omitempty"`
	// ImageURL is a data URL ("data:image/jpeg;base64,...") or an https URL.
	ImageURL string `json:"image_url,omitempty"`
}

// ToolCall is a model's request to run a tool.
type ToolCall struct {
	// ID pairs the call with its result; providers require the pairing.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Arguments is the JSON text the model produced. It is kept as text
	// because a model may produce invalid JSON, which the tool layer reports
	// back to the model rather than failing the run.
	Arguments string `json:"arguments"`
}

// Message is one turn of a conversation.
type Message struct {
	// ID is the caller's id for the message, when it has one (an inbound
	// message's row id), so an answer can be traced to what it answers.
	// Adapters do not send it to providers.
	ID   string `json:"id,omitempty"`
	Role Role   `json:"role"`
	// Content is the text of the message.
	Content string `json:"content,omitempty"`
	// Parts, when set, carry multimodal content (text and images) of a user
	// message; Content is then ignored by adapters.
	Parts []Part `json:"parts,omitempty"`
	// ToolCalls are the calls an assistant message asks for.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// ToolCallID and Name identify the call a tool message answers.
	ToolCallID string `json:"tool_call_id,omitempty"`
	Name       string `json:"name,omitempty"`
	// IsError marks a tool result that reports a failure.
	IsError bool `json:"is_error,omitempty"`
	// Usage is the token usage of the call that produced an assistant message.
	Usage *Usage `json:"usage,omitempty"`
	// Time is when the message was created, when known.
	Time time.Time `json:"time,omitzero"`
}

// Usage counts tokens.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Add returns the sum of u and v.
func (u Usage) Add(v Usage) Usage {
	return Usage{InputTokens: u.InputTokens + v.InputTokens, OutputTokens: u.OutputTokens + v.OutputTokens}
}

// ToolDef describes a tool to the model.
type ToolDef struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Parameters is the JSON Schema of the tool's arguments object.
	Parameters json.RawMessage `json:"parameters"`
}

// Request is one call to a model.
type Request struct {
	// System is the system prompt.
	System   string
	Messages []Message
	// Tools are offered to the model; none means the model must answer.
	Tools []ToolDef
	// MaxTokens caps the answer; 0 means the adapter's default.
	MaxTokens int
	// Temperature, when non-nil, overrides the provider's default.
	Temperature *float64
	// JSONSchema, when set, asks for a JSON answer matching the schema
	// (for classification and extraction). Adapters that cannot enforce it
	// ask for it in the prompt; callers validate the answer either way.
	JSONSchema json.RawMessage
}

// Response is a model's answer.
type Response struct {
	// Message is the assistant message, with any tool calls.
	Message Message
	Usage   Usage
	// StopReason is the provider's reason, normalized where possible:
	// "stop", "tool_calls", "length".
	StopReason string
}

// Model generates the next assistant message. Implementations must be safe
// for concurrent use.
type Model interface {
	Generate(ctx context.Context, req Request) (Response, error)
}

// ModelFunc adapts a function to Model; handy for scripted test models.
type ModelFunc func(ctx context.Context, req Request) (Response, error)

// Generate calls f.
func (f ModelFunc) Generate(ctx context.Context, req Request) (Response, error) { return f(ctx, req) }
