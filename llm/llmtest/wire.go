package llmtest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ChatRequest is the part of an OpenAI chat completions request tests look at.
type ChatRequest struct {
	Model               string          `json:"model"`
	Messages            []ChatMessage   `json:"messages"`
	Tools               []ChatTool      `json:"tools"`
	ResponseFormat      json.RawMessage `json:"response_format"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Temperature         *float64        `json:"temperature"`
}

// ChatTool is a tool offered in a ChatRequest.
type ChatTool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	} `json:"function"`
}

// ChatMessage is one message of a ChatRequest.
type ChatMessage struct {
	Role string `json:"role"`
	// Content is a string or an array of content parts.
	Content    json.RawMessage `json:"content"`
	ToolCalls  []ChatToolCall  `json:"tool_calls"`
	ToolCallID string          `json:"tool_call_id"`
}

// ChatToolCall is a tool call in an assistant ChatMessage.
type ChatToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type chatPart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	ImageURL struct {
		URL string `json:"url"`
	} `json:"image_url"`
}

func (m ChatMessage) parts() []chatPart {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return []chatPart{{Type: "text", Text: s}}
	}
	var ps []chatPart
	_ = json.Unmarshal(m.Content, &ps)
	return ps
}

// Text returns the message's text (a string content, or its text parts
// joined by newlines).
func (m ChatMessage) Text() string {
	var texts []string
	for _, p := range m.parts() {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// ImageURLs returns the URLs of the message's image_url parts.
func (m ChatMessage) ImageURLs() []string {
	var urls []string
	for _, p := range m.parts() {
		if p.Type == "image_url" {
			urls = append(urls, p.ImageURL.URL)
		}
	}
	return urls
}

// Chat decodes r as an OpenAI chat completions request.
func (r Request) Chat() (ChatRequest, error) {
	var c ChatRequest
	if err := json.Unmarshal(r.Body, &c); err != nil {
		return c, fmt.Errorf("llmtest: decode chat request: %w", err)
	}
	return c, nil
}

// MessagesRequest is the part of an Anthropic messages request tests look at.
type MessagesRequest struct {
	Model     string `json:"model"`
	MaxTokens int    `json:"max_tokens"`
	// System is a string or an array of text blocks.
	System       json.RawMessage    `json:"system"`
	Messages     []AnthropicMessage `json:"messages"`
	Tools        []AnthropicTool    `json:"tools"`
	Temperature  *float64           `json:"temperature"`
	OutputConfig json.RawMessage    `json:"output_config"`
}

// AnthropicTool is a tool offered in a MessagesRequest.
type AnthropicTool struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	InputSchema json.RawMessage `json:"input_schema"`
}

// AnthropicMessage is one message of a MessagesRequest.
type AnthropicMessage struct {
	Role string `json:"role"`
	// Content is a string or an array of blocks.
	Content json.RawMessage `json:"content"`
}

// Block is a content block of an AnthropicMessage.
type Block struct {
	Type string `json:"type"`
	Text string `json:"text"`
	// tool_use
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
	// tool_result
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
	// image
	Source *struct {
		Type      string `json:"type"`
		MediaType string `json:"media_type"`
		Data      string `json:"data"`
		URL       string `json:"url"`
	} `json:"source"`
}

// ResultText returns a tool_result block's text content.
func (b Block) ResultText() string {
	var s string
	if json.Unmarshal(b.Content, &s) == nil {
		return s
	}
	var bs []Block
	_ = json.Unmarshal(b.Content, &bs)
	var texts []string
	for _, x := range bs {
		if x.Type == "text" {
			texts = append(texts, x.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// Blocks returns the message's content blocks (a string content is one
// text block).
func (m AnthropicMessage) Blocks() []Block {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return []Block{{Type: "text", Text: s}}
	}
	var bs []Block
	_ = json.Unmarshal(m.Content, &bs)
	return bs
}

// SystemText returns the system prompt's text.
func (r MessagesRequest) SystemText() string {
	var s string
	if json.Unmarshal(r.System, &s) == nil {
		return s
	}
	var bs []Block
	_ = json.Unmarshal(r.System, &bs)
	var texts []string
	for _, b := range bs {
		texts = append(texts, b.Text)
	}
	return strings.Join(texts, "\n")
}

// Messages decodes r as an Anthropic messages request.
func (r Request) Messages() (MessagesRequest, error) {
	var m MessagesRequest
	if err := json.Unmarshal(r.Body, &m); err != nil {
		return m, fmt.Errorf("llmtest: decode messages request: %w", err)
	}
	return m, nil
}
