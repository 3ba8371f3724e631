package flows

import (
	"context"
	"errors"
	"time"

	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

// Flow answers a turn of a conversation. The agent (flows/agent) and the
// gym groups' pipeline (flows/gymflow) implement it; the Runner picks one
// per thread.
//
// A flow must be idempotent for a retried turn: messages it already
// handled (by their Input.Seqs) are not handled twice, and an answer it
// gave but the caller may not have delivered is reported in
// Reply.Recovered.
//
// An error wrapping ErrModel means the model failed after its own retries:
// the user gets the fallback reply. Any other error (storage, a cancelled
// context) fails the job, which is retried; the flow's checkpoint keeps the
// progress made.
type Flow interface {
	Run(ctx context.Context, thread string, turn Turn) (Reply, error)
}

// Recorder is implemented by flows that keep a conversation history: the
// runner records there the replies it sent on the flow's behalf (the
// fallback when the model failed), so that every reply the user saw is in
// the history the model sees next.
type Recorder interface {
	Record(ctx context.Context, thread, text string) error
}

// MemberLimiter is implemented by flows that rate-limit each member of a
// group chat themselves (the gym flow). MemberLimit is the limit per member
// per minute; when it is positive the runner does not hold the thread over
// RateLimit, since in a group one noisy member would hold everyone. 0
// leaves the runner's per-thread limit in force.
type MemberLimiter interface {
	MemberLimit() int
}

// ErrModel is wrapped by a flow's error when the model failed (after its
// retries), as opposed to trouble a retry of the whole job can fix.
var ErrModel = errors.New("the model failed")

// Turn is what a flow answers: the pending messages of a thread as the
// model sees them (Input: text with voice notes transcribed, images as
// parts, each with its inbox id in Seqs), and as they were stored
// (Messages, with each one's sender: group flows need to know who spoke).
// Messages that carried nothing usable are in Messages but not in Input.
type Turn struct {
	Input    Input
	Messages []store.Inbound
}

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
	// Human holds what people at the business wrote to the user since the
	// flow last heard (a hand-off: owner replies), for the history; each
	// Seq is increasing, so a retried turn records none twice.
	Human []HumanMessage
	// Hold stores the turn without calling the model: the thread is
	// handed to a person (see Holder).
	Hold bool
}

// HumanMessage is a message a person at the business wrote to the user.
type HumanMessage struct {
	Seq  int64
	Text string
	At   time.Time
}

// Text is an Input of one text message.
func Text(s string) Input {
	return Input{Messages: []llm.Message{{Role: llm.RoleUser, Content: s}}}
}

// Reply is the outcome of a turn.
type Reply struct {
	// Text is the answer for the user; "" sends none.
	Text string
	// Usage sums the tokens of every model call of the turn.
	Usage llm.Usage
	// ToolCalls counts the tool calls the turn made.
	ToolCalls int
	// Capped is true when the turn hit its iteration cap.
	Capped bool
	// CheckpointID is the turn's final checkpoint.
	CheckpointID string
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
