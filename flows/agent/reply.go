package agent

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/thread"
)

// Reply is the outcome of a turn: what every flow reports, and the
// thread's state after it.
type Reply struct {
	flows.Reply
	// State is the thread's state after the turn.
	State State
}

// Run answers a turn for the runner (flows.Flow): Reply on the turn's
// input.
func (a *Agent) Run(ctx context.Context, thread string, turn flows.Turn) (flows.Reply, error) {
	r, err := a.Reply(ctx, thread, turn.Input)
	return r.Reply, err
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
// one turn per thread at a time. An error of the model (after its retries),
// or of the chat step around it, wraps flows.ErrModel: the channel answers
// the user with a fallback.
func (a *Agent) Reply(ctx context.Context, th string, in flows.Input, opts ...ReplyOption) (Reply, error) {
	if len(in.Messages) == 0 {
		return Reply{}, errors.New("agent: a turn needs at least one message")
	}
	return a.reply(ctx, th, in, opts...)
}

func (a *Agent) reply(ctx context.Context, th string, in flows.Input, opts ...ReplyOption) (Reply, error) {
	if len(in.Seqs) != 0 && len(in.Seqs) != len(in.Messages) {
		return Reply{}, fmt.Errorf("agent: %d sequence numbers for %d messages", len(in.Seqs), len(in.Messages))
	}
	var rc replyConfig
	for _, opt := range opts {
		opt(&rc)
	}
	now := a.cfg.Now()
	input := State{ProfileName: in.ProfileName, Inbox: make([]llm.Message, len(in.Messages)), InboxSeqs: in.Seqs, Hold: in.Hold}
	for _, h := range in.Human {
		at := h.At
		if at.IsZero() {
			at = now
		}
		input.Human = append(input.Human, llm.Message{Role: llm.RoleAssistant, Content: HumanPrefix + h.Text, Time: at})
		input.HumanSeqs = append(input.HumanSeqs, h.Seq)
	}
	for i, m := range in.Messages {
		m.Role = llm.RoleUser
		if m.Time.IsZero() {
			m.Time = now
		}
		input.Inbox[i] = m
	}
	runOpts := []graph.RunOption{graph.Thread(th)}
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
	var ne *graph.NodeError
	switch {
	case err == nil:
	case errors.As(err, &ne) && ne.Node == nodeChat:
		return Reply{}, fmt.Errorf("agent: thread %s: %w: %w", thread.Mask(th), flows.ErrModel, thread.MaskError(th, err))
	default:
		return Reply{}, fmt.Errorf("agent: thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	r := summarize(res, a.cfg.MaxIterations)
	r.Recovered = recovered(res.State)
	return r, nil
}

// HumanPrefix marks, in the history the model sees, a message a person at
// the business wrote to the user (a hand-off): the model then knows what
// was said meanwhile, and that it did not say it.
const HumanPrefix = "[Written by a person from the team, not by you:] "

// Hold stores a turn's messages, and what people wrote meanwhile, in the
// thread's history without calling the model (flows.Holder): the thread is
// handed to a person. The next turn's model request contains them.
func (a *Agent) Hold(ctx context.Context, th string, turn flows.Turn) error {
	in := turn.Input
	in.Hold = true
	if len(in.Messages) == 0 && len(in.Human) == 0 {
		return nil
	}
	_, err := a.reply(ctx, th, in)
	return err
}

// Record adds text to the thread's history as an answer the user got
// (flows.Recorder): the runner's fallback reply. The model is not called;
// the next turn's model request contains the reply.
func (a *Agent) Record(ctx context.Context, th, text string) error {
	said := llm.Message{Role: llm.RoleAssistant, Content: text, Time: a.cfg.Now()}
	if _, err := a.graph.Invoke(ctx, State{Said: []llm.Message{said}}, graph.Thread(th)); err != nil {
		return fmt.Errorf("agent: record a reply on thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	return nil
}

// recovered finds the answer that follows the last skipped message, when
// it is not the answer of this very turn.
func recovered(s State) *flows.Recovered {
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
			return &flows.Recovered{Seq: seq, Text: m.Content}
		}
	}
	return nil
}

func summarize(res graph.Result[State], maxIter int) Reply {
	msgs := res.State.Messages
	turn := msgs[turnStart(msgs):]
	r := Reply{Reply: flows.Reply{CheckpointID: res.CheckpointID}, State: res.State}
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
