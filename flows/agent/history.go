package agent

import (
	"fmt"
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
