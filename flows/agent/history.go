package agent

import (
	"fmt"
	"slices"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// turnStart returns the index of the first message after the last user
// message: the current turn's work. Turn boundaries are derived from the
// history rather than stored, so they cannot disagree with it.
func turnStart(msgs []llm.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleUser {
			return i + 1
		}
	}
	return 0
}

// toolRounds counts the assistant messages that asked for tools.
func toolRounds(msgs []llm.Message) int {
	n := 0
	for _, m := range msgs {
		if m.Role == llm.RoleAssistant && len(m.ToolCalls) > 0 {
			n++
		}
	}
	return n
}

func toolError(c llm.ToolCall, text string) llm.Message {
	return llm.Message{Role: llm.RoleTool, ToolCallID: c.ID, Name: c.Name, Content: text, IsError: true}
}

// pairResults returns exactly one result per call, in call order, whatever
// the toolbox returned: the history must never hold a call without its
// result, nor a result for a call that was not made.
func pairResults(calls []llm.ToolCall, results []llm.Message, now time.Time) []llm.Message {
	byID := make(map[string]llm.Message, len(results))
	for _, r := range results {
		if _, dup := byID[r.ToolCallID]; !dup {
			byID[r.ToolCallID] = r
		}
	}
	out := make([]llm.Message, len(calls))
	for i, c := range calls {
		r, ok := byID[c.ID]
		if !ok {
			r = toolError(c, fmt.Sprintf("tool %q returned no result", c.Name))
		}
		r.Role, r.ToolCallID, r.Name = llm.RoleTool, c.ID, c.Name
		if r.Time.IsZero() {
			r.Time = now
		}
		out[i] = r
	}
	return out
}

// orphanResults returns error results for tool calls of the last assistant
// message that have none (a run that died mid-way).
func orphanResults(msgs []llm.Message) []llm.Message {
	last := -1
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleAssistant {
			last = i
			break
		}
	}
	if last < 0 || len(msgs[last].ToolCalls) == 0 {
		return nil
	}
	answered := map[string]bool{}
	for _, m := range msgs[last+1:] {
		if m.Role == llm.RoleTool {
			answered[m.ToolCallID] = true
		}
	}
	var out []llm.Message
	for _, c := range msgs[last].ToolCalls {
		if !answered[c.ID] {
			out = append(out, toolError(c, "this tool call was interrupted before it finished; it may not have run"))
		}
	}
	return out
}

// window returns the most recent messages, at most limit of them, cut only
// where a user turn starts so a tool call is never separated from its
// result. When even the last turn is longer than limit, the whole last turn
// is kept: the model needs it to answer.
func window(msgs []llm.Message, limit int) []llm.Message {
	if len(msgs) <= limit {
		return msgs
	}
	lastStart := -1
	for i := range msgs {
		if msgs[i].Role != llm.RoleUser || (i > 0 && msgs[i-1].Role == llm.RoleUser) {
			continue // not the first message of a turn
		}
		if len(msgs)-i <= limit {
			return msgs[i:]
		}
		lastStart = i
	}
	if lastStart >= 0 {
		return msgs[lastStart:]
	}
	return msgs
}

// imageWindow is how many of the latest user turns keep their images in a
// request; older images become the text "[image]". An image is sent to the
// model with the turn it came in (and its tool rounds), not again with
// every later message.
const imageWindow = 1

// withoutOldImages returns msgs with the images of all but the latest
// imageWindow turns replaced by "[image]". msgs is not modified.
func withoutOldImages(msgs []llm.Message) []llm.Message {
	keepFrom := len(msgs)
	for n := 0; n < imageWindow; n++ {
		i := turnStart(msgs[:keepFrom]) - 1 // the turn's last user message
		if i < 0 {
			keepFrom = 0
			break
		}
		for i > 0 && msgs[i-1].Role == llm.RoleUser {
			i-- // a merged burst is several user messages in a row
		}
		keepFrom = i
	}
	var out []llm.Message
	for i := 0; i < keepFrom; i++ {
		if !hasImage(msgs[i]) {
			continue
		}
		if out == nil {
			out = slices.Clone(msgs)
		}
		m := out[i]
		parts := make([]llm.Part, len(m.Parts))
		for j, p := range m.Parts {
			if p.Type == llm.PartImage {
				p = llm.Part{Type: llm.PartText, Text: "[image]"}
			}
			parts[j] = p
		}
		m.Parts = parts
		out[i] = m
	}
	if out == nil {
		return msgs
	}
	return out
}

func hasImage(m llm.Message) bool {
	for _, p := range m.Parts {
		if p.Type == llm.PartImage {
			return true
		}
	}
	return false
}
