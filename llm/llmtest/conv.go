package llmtest

import (
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/llm"
)

// Conversation is a kind-neutral view of the conversation a request sent,
// message by message as it went on the wire.
type Conversation struct {
	// System is the system prompt (all system messages joined).
	System string
	// Turns are the non-system messages in order.
	Turns []Turn
	// Tools are the names of the tools offered.
	Tools []string
}

// Turn is one wire message.
type Turn struct {
	// Role is the wire role: "user", "assistant" or (OpenAI) "tool".
	Role string
	// Text is the text content.
	Text string
	// Images are the image URLs; Anthropic base64 images are rebuilt as data
	// URLs so both kinds compare alike.
	Images []string
	// ToolCalls are an assistant message's calls.
	ToolCalls []llm.ToolCall
	// Results are the tool results the message carries: one per OpenAI tool
	// message, all of a turn in one Anthropic user message.
	Results []Result
}

// Result is one tool result.
type Result struct {
	ID      string
	Content string
	IsError bool
}

// Conversation decodes r according to the server's kind.
func (s *Server) Conversation(r Request) (Conversation, error) {
	if s.Kind == OpenAI {
		return openAIConversation(r)
	}
	return anthropicConversation(r)
}

func openAIConversation(r Request) (Conversation, error) {
	var c Conversation
	req, err := r.Chat()
	if err != nil {
		return c, err
	}
	var sys []string
	for _, m := range req.Messages {
		switch m.Role {
		case "system", "developer":
			sys = append(sys, m.Text())
		case "tool":
			c.Turns = append(c.Turns, Turn{Role: "tool", Results: []Result{{ID: m.ToolCallID, Content: m.Text()}}})
		default:
			t := Turn{Role: m.Role, Text: m.Text(), Images: m.ImageURLs()}
			for _, tc := range m.ToolCalls {
				t.ToolCalls = append(t.ToolCalls, llm.ToolCall{ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
			}
			c.Turns = append(c.Turns, t)
		}
	}
	c.System = strings.Join(sys, "\n")
	for _, t := range req.Tools {
		c.Tools = append(c.Tools, t.Function.Name)
	}
	return c, nil
}

func anthropicConversation(r Request) (Conversation, error) {
	var c Conversation
	req, err := r.Messages()
	if err != nil {
		return c, err
	}
	c.System = req.SystemText()
	for _, m := range req.Messages {
		t := Turn{Role: m.Role}
		var texts []string
		for _, b := range m.Blocks() {
			switch b.Type {
			case "text":
				texts = append(texts, b.Text)
			case "image":
				if b.Source == nil {
					return c, fmt.Errorf("llmtest: image block without source")
				}
				if b.Source.Type == "base64" {
					t.Images = append(t.Images, llm.DataURL(b.Source.MediaType, nil)+b.Source.Data)
				} else {
					t.Images = append(t.Images, b.Source.URL)
				}
			case "tool_use":
				t.ToolCalls = append(t.ToolCalls, llm.ToolCall{ID: b.ID, Name: b.Name, Arguments: string(b.Input)})
			case "tool_result":
				t.Results = append(t.Results, Result{ID: b.ToolUseID, Content: b.ResultText(), IsError: b.IsError})
			}
		}
		t.Text = strings.Join(texts, "\n")
		c.Turns = append(c.Turns, t)
	}
	for _, t := range req.Tools {
		c.Tools = append(c.Tools, t.Name)
	}
	return c, nil
}

// CheckPaired returns an error when a tool call in c has no result in the
// messages that follow it (before the next assistant message), or a result
// answers no call.
func (c Conversation) CheckPaired() error {
	pending := map[string]bool{}
	known := map[string]bool{}
	for i, t := range c.Turns {
		if t.Role == "assistant" {
			for id := range pending {
				return fmt.Errorf("tool call %q got no result before turn %d", id, i)
			}
			for _, tc := range t.ToolCalls {
				pending[tc.ID], known[tc.ID] = true, true
			}
		}
		for _, r := range t.Results {
			if !known[r.ID] {
				return fmt.Errorf("tool result %q in turn %d answers no call", r.ID, i)
			}
			delete(pending, r.ID)
		}
	}
	for id := range pending {
		return fmt.Errorf("tool call %q got no result", id)
	}
	return nil
}
