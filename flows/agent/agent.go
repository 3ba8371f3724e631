// Package agent is the assistant's agent graph: a chat node (a model) and a
// tools node (Go functions), looping until the model answers, bounded by a
// hard iteration cap, with the conversation checkpointed per thread.
//
//	START → receive → chat ─(tool calls?)→ tools → chat … → END
//
// The model proposes; Go decides. Tool arguments are validated before any
// tool runs, tool failures go back to the model as tool results, and the
// loop always ends with an answer for the user: at the cap the model is
// called once more without tools.
package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/thread"
)

// State is what the agent checkpoints for a thread. Messages is the whole
// history, stored as an append-only log; the context sent to the model is a
// bounded window of it.
type State struct {
	Messages []llm.Message `graph:"append"`
	// ProfileName is the user's name as the channel reported it.
	ProfileName string
	// Watermark is the highest caller sequence number received (see
	// flows.Input.Seqs).
	Watermark int64
	// Inbox and InboxSeqs carry a turn's new user messages into the run;
	// the receive node moves them into Messages. They are never
	// checkpointed.
	Inbox     []llm.Message `graph:"-"`
	InboxSeqs []int64       `graph:"-"`
	// Said carries replies the user got without the model (the runner's
	// fallback) into the run; the receive node adds them to Messages.
	// Never checkpointed.
	Said []llm.Message `graph:"-"`
	// Human carries what people at the business wrote to the user since
	// the last turn (a hand-off), HumanSeqs each one's sequence number;
	// the receive node adds those above HumanMark to Messages, before the
	// turn's own messages. Never checkpointed.
	Human     []llm.Message `graph:"-"`
	HumanSeqs []int64       `graph:"-"`
	// HumanMark is the highest sequence number of Human received, so a
	// retried turn records no reply of a person twice.
	HumanMark int64
	// Hold makes the turn store its messages without calling the model:
	// the thread is handed to a person. Never checkpointed.
	Hold bool `graph:"-"`
	// Skipped lists the inbox sequence numbers the receive node dropped as
	// already received, for Reply to report. Never checkpointed.
	Skipped []int64 `graph:"-"`
}

// Toolbox is the set of tools offered to the model. tools.Set implements
// it.
type Toolbox interface {
	// Defs describes the tools to the model.
	Defs() []llm.ToolDef
	// Run executes calls, concurrently where it can, and returns exactly one
	// tool message per call, in call order.
	Run(ctx context.Context, calls []llm.ToolCall) []llm.Message
}

// ReadOnlyToolbox is a Toolbox that can tell calls that only read (a
// search, a listing) from those with effects (a booking, an event
// created). After a tools step whose calls all only read, the turn goes
// on without storing its progress first (graph.NoEffects): a crash before
// its end runs those calls again, which changes nothing. tools.Set
// implements it.
type ReadOnlyToolbox interface {
	Toolbox
	ReadOnly(calls []llm.ToolCall) bool
}

// SystemInput is what the system prompt is rendered from each turn.
type SystemInput struct {
	Thread      string
	ProfileName string
	Tools       []llm.ToolDef
	Now         time.Time
}

// Config configures an Agent.
type Config struct {
	// Model answers; required.
	Model llm.Model
	// Tools returns the tools offered on a thread (some are offered only to
	// the owner). Nil offers none.
	Tools func(thread string) Toolbox
	// System renders the system prompt; nil sends none.
	System func(ctx context.Context, in SystemInput) (string, error)
	// Saver stores the threads; with nil, nothing is kept between turns
	// (each turn starts a new conversation): use checkpoint/memory for a
	// conversation held in memory.
	Saver checkpoint.Saver
	// MaxIterations bounds chat ⇄ tools rounds per turn (default 8).
	MaxIterations int
	// HistoryMessages bounds the messages sent to the model (default 40);
	// whole turns are trimmed from the oldest end.
	HistoryMessages int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
	// OnIterationCap is called when a turn reaches MaxIterations; metrics
	// count it.
	OnIterationCap func(thread string)
	// Durability says when a turn is checkpointed: after every step
	// (graph.DurabilityStep, the default) or once at the end of the turn
	// (graph.DurabilityExit). With DurabilityStep the checkpoints are
	// stored when a tools step with effects ends and when the turn ends,
	// each time with those of the steps before it in one write
	// (graph.WithSyncAfter): a crash never runs again a tool whose result
	// was stored, and costs at most a model call and the calls of tools
	// that only read (ReadOnlyToolbox). See BENCHMARKS.md for what each
	// costs.
	Durability graph.Durability
	// StateCache, when set, is how many threads' decoded states to keep in
	// memory between turns (graph.WithStateCache); nil keeps the engine's
	// default.
	StateCache *int
}

// Agent answers user turns on a thread. It is safe for concurrent use on
// different threads; callers run one turn per thread at a time.
type Agent struct {
	cfg   Config
	graph *graph.Compiled[State]
}

const (
	nodeReceive = "receive"
	nodeChat    = "chat"
	nodeTools   = "tools"
)

// capNote is added to the last model call of a turn that used all its
// tool rounds, so the model answers with what it has.
const capNote = "You have used every tool call available for this message. Do not call tools; answer the user now with what you know, and say briefly what you could not finish."

// New builds the agent graph.
func New(cfg Config) (*Agent, error) {
	if cfg.Model == nil {
		return nil, errors.New("agent: a model is required")
	}
	if cfg.MaxIterations <= 0 {
		cfg.MaxIterations = 8
	}
	if cfg.HistoryMessages <= 0 {
		cfg.HistoryMessages = 40
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	a := &Agent{cfg: cfg}
	opts := []graph.CompileOption{
		// receive, then chat and tools alternating, then the final answer.
		graph.WithStepLimit(2*cfg.MaxIterations + 3),
		graph.WithDurability(cfg.Durability),
		// Tools are the only steps with effects outside the state; a
		// lost chat step costs a model call, not a second side effect.
		graph.WithSyncAfter(nodeTools),
	}
	if cfg.StateCache != nil {
		opts = append(opts, graph.WithStateCache(*cfg.StateCache))
	}
	if cfg.Saver != nil {
		opts = append(opts, graph.WithSaver(cfg.Saver))
	}
	g, err := graph.New[State]().
		AddNode(nodeReceive, receive).
		AddNode(nodeChat, a.chat).
		AddNode(nodeTools, a.runTools).
		AddEdge(graph.START, nodeReceive).
		AddConditionalEdges(nodeReceive, afterReceive, nodeChat, graph.END).
		AddConditionalEdges(nodeChat, route, nodeTools, graph.END).
		AddEdge(nodeTools, nodeChat).
		Compile(opts...)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a.graph = g
	return a, nil
}

// Graph returns the compiled graph, for inspection (Mermaid, State).
func (a *Agent) Graph() *graph.Compiled[State] { return a.graph }

// afterReceive skips the model when the history already ends with an
// answer: the turn's messages were all received and answered by an earlier
// run (a retried delivery).
func afterReceive(ctx context.Context, s State) ([]string, error) {
	if n := len(s.Messages); n == 0 || s.Hold || answered(s.Messages[n-1]) {
		return []string{graph.END}, nil
	}
	return []string{nodeChat}, nil
}

func answered(m llm.Message) bool { return m.Role == llm.RoleAssistant && len(m.ToolCalls) == 0 }

func route(ctx context.Context, s State) ([]string, error) {
	if n := len(s.Messages); n > 0 && len(s.Messages[n-1].ToolCalls) > 0 {
		return []string{nodeTools}, nil
	}
	return []string{graph.END}, nil
}

func (a *Agent) toolbox(thread string) Toolbox {
	if a.cfg.Tools == nil {
		return nil
	}
	return a.cfg.Tools(thread)
}

// receive appends the turn's messages to the history. A run that died
// between a tool call and its results left the call unanswered, and
// providers reject such a history, so the call is answered (as failed)
// first, where it belongs: before the new messages.
//
// Messages whose sequence number is at or below the thread's watermark were
// received by an earlier run and are dropped, so a retried job never runs a
// turn twice.
func receive(ctx context.Context, s State) (State, error) {
	upd := State{Messages: orphanResults(s.Messages)}
	for i, m := range s.Human {
		if i >= len(s.HumanSeqs) || s.HumanSeqs[i] <= s.HumanMark {
			continue
		}
		upd.HumanMark = max(upd.HumanMark, s.HumanSeqs[i])
		upd.Messages = append(upd.Messages, m)
	}
	for i, m := range s.Inbox {
		if i < len(s.InboxSeqs) {
			seq := s.InboxSeqs[i]
			if seq <= s.Watermark {
				upd.Skipped = append(upd.Skipped, seq)
				continue
			}
			upd.Watermark = max(upd.Watermark, seq)
			if m.ID == "" {
				m.ID = strconv.FormatInt(seq, 10)
			}
		}
		upd.Messages = append(upd.Messages, m)
	}
	upd.Messages = append(upd.Messages, s.Said...)
	return upd, nil
}

func (a *Agent) chat(ctx context.Context, s State) (State, error) {
	th := graph.ThreadFromContext(ctx)
	var upd State
	history := s.Messages

	var defs []llm.ToolDef
	if tb := a.toolbox(th); tb != nil {
		defs = tb.Defs()
	}
	rounds := toolRounds(history[turnStart(history):])
	capped := rounds >= a.cfg.MaxIterations
	system := ""
	if a.cfg.System != nil {
		var err error
		system, err = a.cfg.System(ctx, SystemInput{Thread: th, ProfileName: s.ProfileName, Tools: defs, Now: a.cfg.Now()})
		if err != nil {
			return State{}, fmt.Errorf("system prompt: %w", err)
		}
	}
	req := llm.Request{System: system, Messages: withoutOldImages(window(history, a.cfg.HistoryMessages)), Tools: defs}
	if capped {
		req.Tools = nil
		req.System = joinNonEmpty(req.System, capNote)
		a.cfg.Logger.WarnContext(ctx, "agent reached its tool-round cap; asking for a final answer",
			"thread", thread.ID(th), "rounds", rounds, "max", a.cfg.MaxIterations)
		if a.cfg.OnIterationCap != nil {
			a.cfg.OnIterationCap(th)
		}
	}
	resp, err := a.cfg.Model.Generate(ctx, req)
	if err != nil {
		return State{}, err
	}
	msg := resp.Message
	msg.Role = llm.RoleAssistant
	if capped {
		msg.ToolCalls = nil // the model was told it has no tools; hold it to that
	}
	if msg.Usage == nil {
		u := resp.Usage
		msg.Usage = &u
	}
	if msg.Time.IsZero() {
		msg.Time = a.cfg.Now()
	}
	upd.Messages = append(upd.Messages, msg)
	return upd, nil
}

func (a *Agent) runTools(ctx context.Context, s State) (State, error) {
	last := s.Messages[len(s.Messages)-1]
	tb := a.toolbox(graph.ThreadFromContext(ctx))
	var results []llm.Message
	if tb == nil {
		results = make([]llm.Message, len(last.ToolCalls))
		for i, c := range last.ToolCalls {
			results[i] = toolError(c, fmt.Sprintf("unknown tool %q: no tools are available here", c.Name))
		}
		graph.NoEffects(ctx) // nothing ran
	} else {
		results = tb.Run(ctx, last.ToolCalls)
		if ro, ok := tb.(ReadOnlyToolbox); ok && ro.ReadOnly(last.ToolCalls) {
			graph.NoEffects(ctx)
		}
	}
	return State{Messages: pairResults(last.ToolCalls, results, a.cfg.Now())}, nil
}

func joinNonEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n\n" + b
}
