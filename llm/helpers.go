package llm

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// UserText returns a user message with text.
func UserText(text string) Message { return Message{Role: RoleUser, Content: text} }

// UserWithImages returns a user message with text and images (data URLs or
// https URLs), as Parts.
func UserWithImages(text string, imageURLs ...string) Message {
	parts := make([]Part, 0, len(imageURLs)+1)
	if text != "" {
		parts = append(parts, Part{Type: PartText, Text: text})
	}
	for _, u := range imageURLs {
		parts = append(parts, Part{Type: PartImage, ImageURL: u})
	}
	return Message{Role: RoleUser, Parts: parts}
}

// ToolResult returns the tool message answering call.
func ToolResult(call ToolCall, content string, isError bool) Message {
	return Message{Role: RoleTool, ToolCallID: call.ID, Name: call.Name, Content: content, IsError: isError}
}

// Text returns the text of m: Content, or its text Parts joined by newlines.
func (m Message) Text() string {
	if len(m.Parts) == 0 {
		return m.Content
	}
	var texts []string
	for _, p := range m.Parts {
		if p.Type == PartText && p.Text != "" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// ErrUnansweredToolCall is returned by CheckToolResults.
var ErrUnansweredToolCall = errors.New("llm: tool call without a result")

// CheckToolResults reports an error wrapping ErrUnansweredToolCall when an
// assistant message's tool call has no tool message answering it before the
// next assistant message. Every provider rejects such a conversation.
func CheckToolResults(msgs []Message) error {
	pending := map[string]string{}
	check := func() error {
		for id, name := range pending {
			return fmt.Errorf("%w: call %q (%s)", ErrUnansweredToolCall, id, name)
		}
		return nil
	}
	for _, m := range msgs {
		switch m.Role {
		case RoleAssistant:
			if err := check(); err != nil {
				return err
			}
			for _, c := range m.ToolCalls {
				pending[c.ID] = c.Name
			}
		case RoleTool:
			delete(pending, m.ToolCallID)
		}
	}
	return check()
}

// JSONInstruction is the system-prompt text adapters add when a request
// carries a JSONSchema that the provider cannot enforce natively.
func JSONInstruction(schema json.RawMessage) string {
	return "Answer with a single JSON value and nothing else (no prose, no code fences). It must match this JSON Schema:\n" + string(schema)
}

// DataURL returns a data URL ("data:image/png;base64,...") of data.
func DataURL(mimeType string, data []byte) string {
	return "data:" + mimeType + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// ErrNotDataURL is returned by ParseDataURL for anything but a base64 data URL.
var ErrNotDataURL = errors.New("llm: not a base64 data URL")

// ParseDataURL splits a base64 data URL into its MIME type and still
// base64-encoded payload. It does not decode the payload.
func ParseDataURL(u string) (mimeType, b64 string, err error) {
	rest, ok := strings.CutPrefix(u, "data:")
	if !ok {
		return "", "", ErrNotDataURL
	}
	meta, payload, ok := strings.Cut(rest, ",")
	if !ok {
		return "", "", ErrNotDataURL
	}
	mimeType, ok = strings.CutSuffix(meta, ";base64")
	if !ok {
		return "", "", ErrNotDataURL
	}
	if i := strings.IndexByte(mimeType, ';'); i >= 0 { // drop parameters
		mimeType = mimeType[:i]
	}
	if mimeType == "" {
		mimeType = "text/plain"
	}
	return mimeType, payload, nil
}

// DefaultDescribePrompt is the prompt DescribeImage uses when given none.
const DefaultDescribePrompt = "Describe this image for someone who cannot see it. Transcribe any text in it exactly. Be concise."

// DescribeImage asks m (a vision model) to describe the image at imageURL
// (a data URL or an https URL) and returns the answer and its usage.
func DescribeImage(ctx context.Context, m Model, imageURL, prompt string) (string, Usage, error) {
	if prompt == "" {
		prompt = DefaultDescribePrompt
	}
	resp, err := m.Generate(ctx, Request{Messages: []Message{UserWithImages(prompt, imageURL)}})
	if err != nil {
		return "", Usage{}, fmt.Errorf("describe image: %w", err)
	}
	return strings.TrimSpace(resp.Message.Content), resp.Usage, nil
}

// UsageMeter sums the usage of calls, e.g. over one run. It is safe for
// concurrent use; the zero value is ready.
//
// Each Response (and its assistant Message) carries the usage of its own
// call; the meter is for totals across calls. Wrap a model with Metered to
// fill a meter automatically.
type UsageMeter struct {
	mu    sync.Mutex
	total Usage
	calls int
}

// Add records one call's usage.
func (m *UsageMeter) Add(u Usage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.total = m.total.Add(u)
	m.calls++
}

// Total returns the summed usage and the number of calls recorded.
func (m *UsageMeter) Total() (Usage, int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.total, m.calls
}

// Metered wraps model so that the usage of every successful call is added
// to meter.
func Metered(model Model, meter *UsageMeter) Model {
	return ModelFunc(func(ctx context.Context, req Request) (Response, error) {
		resp, err := model.Generate(ctx, req)
		if err == nil {
			meter.Add(resp.Usage)
		}
		return resp, err
	})
}
