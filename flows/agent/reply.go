package agent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
)

// Input is one user turn: the messages of a burst (one or more), and the
// sender's profile name when the channel knows it.
type Input struct {
	Messages []llm.Message
	// Seqs, when set, holds each message's sequence number in the caller's
	// durable inbox, increasing. A message at or below the thread's
	// watermark was already received by an earlier run and is skipped; when
	// the history already ends with an answer, no model is called. That
	// makes a retried delivery of the same messages harmless.
	Seqs        []int64
	ProfileName string
}

// Text is an Input of one text message.
func Text(s string) Input {
	return Input{Messages: []llm.Message{{Role: llm.RoleUser, Content: s}}}
}

// Reply is the outcome of a turn.
type Reply struct {
	// Text is the answer for the user.
	Text string
	// Usage sums the tokens of every model call of the turn.
	Usage llm.Usage
	// ToolCalls counts the tool calls the turn made.
	ToolCalls int
	// Capped is true when the turn hit MaxIterations.
	Capped bool
	// CheckpointID is the turn's final checkpoint.
	CheckpointID string
	// State is the thread's state after the turn.
	State State
	// Recovered is set when some of the turn's messages had been received
	// and answered by an earlier run whose answer the caller may never have
	// delivered (it crashed after the checkpoint): the caller delivers it
	// idempotently, keyed by Seq.
	Recovered *Recovered
}

// Recovered is an answer given by an earlier run to messages up to Seq.
type Recovered struct {
	Seq  int64
	Text string
}

// ReplyOption configures one turn.
type ReplyOption func(*replyConfig)

type replyConfig struct {
	onEvent func(graph.Event[State])
}

// OnEvent receives each event of the turn as it happens: the terminal
// simulator shows tool calls and results with it.
func OnEvent(fn func(graph.Event[State])) ReplyOption {
	return func(c *replyConfig) { c.onEvent = fn }
}

// Reply runs one turn on the thread and returns the answer. The caller runs
// one turn per thread at a time. Errors from the model (after its retries)
// are returned wrapped; the channel answers the user with a fallback.
func (a *Agent) Reply(ctx context.Context, thread string, in Input, opts ...ReplyOption) (Reply, error) {
	if len(in.Messages) == 0 {
		return Reply{}, errors.New("agent: a turn needs at least one message")
	}
	if len(in.Seqs) != 0 && len(in.Seqs) != len(in.Messages) {
		return Reply{}, fmt.Errorf("agent: %d sequence numbers for %d messages", len(in.Seqs), len(in.Messages))
	}
	var rc replyConfig
	for _, opt := range opts {
		opt(&rc)
	}
	now := a.cfg.Now()
	input := State{ProfileName: in.ProfileName, Inbox: make([]llm.Message, len(in.Messages)), InboxSeqs: in.Seqs}
	for i, m := range in.Messages {
		m.Role = llm.RoleUser
		if m.Time.IsZero() {
			m.Time = now
		}
		input.Inbox[i] = m
	}
	runOpts := []graph.RunOption{graph.Thread(thread)}
	var res graph.Result[State]
	var err error
	if rc.onEvent == nil {
		res, err = a.graph.Invoke(ctx, input, runOpts...)
	} else {
		for ev, e := range a.graph.Stream(ctx, input, runOpts...) {
			if e != nil {
				err = e
				break
			}
			rc.onEvent(ev)
			if ev.Kind == graph.EventDone {
				res = graph.Result[State]{State: ev.State, CheckpointID: ev.CheckpointID}
			}
		}
	}
	if err != nil {
		return Reply{}, fmt.Errorf("agent: thread %s: %w", thread, err)
	}
	r := summarize(res, a.cfg.MaxIterations)
	r.Recovered = recovered(res.State)
	return r, nil
}

// recovered finds the answer that follows the last skipped message, when
// it is not the answer of this very turn.
func recovered(s State) *Recovered {
	if len(s.Skipped) == 0 || len(s.Skipped) == len(s.InboxSeqs) {
		return nil // nothing skipped, or nothing new: Text is that answer
	}
	seq := slices.Max(s.Skipped)
	id := strconv.FormatInt(seq, 10)
	msgs := s.Messages
	at := -1
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleUser && msgs[i].ID == id {
			at = i
			break
		}
	}
	if at < 0 {
		return nil
	}
	for _, m := range msgs[at+1:] {
		if m.Role == llm.RoleUser {
			return nil // a later turn began before any answer
		}
		if answered(m) {
			if turnStart(msgs) <= at {
				return nil // that answer is this turn's own
			}
			return &Recovered{Seq: seq, Text: m.Content}
		}
	}
	return nil
}

func summarize(res graph.Result[State], maxIter int) Reply {
	msgs := res.State.Messages
	turn := msgs[turnStart(msgs):]
	r := Reply{CheckpointID: res.CheckpointID, State: res.State}
	for _, m := range turn {
		if m.Role != llm.RoleAssistant {
			continue
		}
		if m.Usage != nil {
			r.Usage = r.Usage.Add(*m.Usage)
		}
		r.ToolCalls += len(m.ToolCalls)
	}
	r.Capped = toolRounds(turn) >= maxIter
	if n := len(turn); n > 0 && turn[n-1].Role == llm.RoleAssistant {
		r.Text = turn[n-1].Content
	}
	return r
}
