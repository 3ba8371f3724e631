// Package switchboard is Switchboard as a library: an assistant built from a
// chat model, the tools you write in Go and a system prompt, answering
// conversations that are checkpointed per thread.
//
//	a, err := switchboard.New(ctx, os.Getenv, switchboard.WithTools(myTool))
//	r, err := a.Reply(ctx, "whatsapp:+15551234567", "where is my order A100?")
//
// New reads the model from the same settings as the assistant command
// (LLM_PROVIDER, LLM_MODEL, OPENAI_API_KEY, OPENAI_BASE_URL,
// ANTHROPIC_API_KEY, OLLAMA_HOST, …), unless WithModel gives one. The
// agent is the command's: the model proposes tool calls, Go validates their
// arguments against each tool's schema before it runs, a failing or
// panicking tool becomes an error result the model reads, and a turn has at
// most WithMaxIterations rounds of tool calls, after which the model
// answers without tools. Turns on one thread run one at a time; threads run
// in parallel.
package switchboard

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/provider"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/tools"
)

// Option configures an Assistant.
type Option func(*options)

type options struct {
	model         llm.Model
	tools         []tools.Tool
	system        string
	name          string
	saver         checkpoint.Saver
	maxIterations int
	logger        *slog.Logger
}

// WithTools adds tools to the ones offered to the model (none by default).
// tools.New turns a Go function with a typed argument struct into one.
func WithTools(t ...tools.Tool) Option {
	return func(o *options) { o.tools = append(o.tools, t...) }
}

// WithModel answers with m instead of the model the environment names.
func WithModel(m llm.Model) Option { return func(o *options) { o.model = m } }

// WithSystemPrompt replaces the built-in system prompt (the personal
// assistant's, which lists the tools offered and the current time).
func WithSystemPrompt(s string) Option { return func(o *options) { o.system = s } }

// WithName is what the built-in prompt calls the assistant (default
// "Switchboard").
func WithName(name string) Option { return func(o *options) { o.name = name } }

// WithSaver stores the conversations in s (checkpoint/sqlite,
// checkpoint/postgres); the default keeps them in memory for the life of
// the process, every message of every thread: use a saver for anything
// long-lived.
func WithSaver(s checkpoint.Saver) Option { return func(o *options) { o.saver = s } }

// WithMaxIterations bounds the rounds of tool calls in one turn (default 8).
func WithMaxIterations(n int) Option { return func(o *options) { o.maxIterations = n } }

// WithLogger sends the agent's and the tools' logs to l (default
// slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// Assistant answers conversations. It is safe for concurrent use.
type Assistant struct {
	agent *agent.Agent
	tools *tools.Set
	// turns serialises the turns of a thread: a thread's lock is one of a
	// fixed number, chosen by the thread's hash, so the memory they take
	// is bounded whatever the number of threads.
	turns [turnLocks]sync.Mutex
}

// turnLocks is how many locks the threads share.
const turnLocks = 64

// New builds an Assistant. getenv is where the model's settings are read
// (os.Getenv), validated as the assistant command validates them; a bad
// value is an error naming its variable, and a missing model an error
// saying what to set.
func New(ctx context.Context, getenv func(string) string, opts ...Option) (*Assistant, error) {
	o := options{logger: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.saver == nil {
		o.saver = memory.New()
	}
	if o.model == nil {
		cfg, err := config.Load(getenv)
		if err != nil {
			return nil, fmt.Errorf("assistant: %w", err)
		}
		models, err := provider.New(ctx, cfg.Models, nil)
		if err != nil {
			return nil, fmt.Errorf("assistant: the language model: %w", err)
		}
		o.model = models.Chat
	}
	set, err := tools.NewSet(o.tools...)
	if err != nil {
		return nil, fmt.Errorf("assistant: %w", err)
	}
	set = set.WithLogger(o.logger)
	system, err := systemPrompt(o)
	if err != nil {
		return nil, err
	}
	a := &Assistant{tools: set}
	a.agent, err = agent.New(agent.Config{
		Model:         o.model,
		Tools:         func(string) agent.Toolbox { return set },
		System:        system,
		Saver:         o.saver,
		MaxIterations: o.maxIterations,
		Logger:        o.logger,
	})
	if err != nil {
		return nil, fmt.Errorf("assistant: %w", err)
	}
	return a, nil
}

// systemPrompt returns the renderer of the system prompt: the fixed text
// given, or the built-in personal assistant's.
func systemPrompt(o options) (func(context.Context, agent.SystemInput) (string, error), error) {
	if o.system != "" {
		return func(context.Context, agent.SystemInput) (string, error) { return o.system, nil }, nil
	}
	set, err := prompts.Load("")
	if err != nil {
		return nil, fmt.Errorf("assistant: the built-in prompts: %w", err)
	}
	return func(_ context.Context, in agent.SystemInput) (string, error) {
		return set.System(prompts.SystemData{Now: in.Now, AssistantName: o.name, Owner: true, ProfileName: in.ProfileName, Tools: in.Tools})
	}, nil
}

// Tools describes the tools offered to the model.
func (a *Assistant) Tools() []llm.ToolDef { return a.tools.Defs() }

// Reply is the answer to one message.
type Reply struct {
	// Text is the answer for the user.
	Text string
	// ToolCalls are the tools the turn called, in order, with their results.
	ToolCalls []ToolCall
}

// ToolCall is one tool call of a turn and, once it ran, its result.
type ToolCall struct {
	Name      string
	Arguments string
	Result    string
	// IsError marks a result that reports a failure (bad arguments, an
	// error of the tool).
	IsError bool
	done    bool
}

// Reply answers text from the user of thread (any string naming a
// conversation, such as "whatsapp:+15551234567"); the thread's history is
// kept for its next message.
func (a *Assistant) Reply(ctx context.Context, thread, text string) (Reply, error) {
	return a.reply(ctx, thread, text, nil)
}

// reply runs one turn; onCall, when set, sees each tool call as the model
// makes it and again with its result.
func (a *Assistant) reply(ctx context.Context, thread, text string, onCall func(ToolCall)) (Reply, error) {
	if thread == "" {
		return Reply{}, errors.New("assistant: a thread is required")
	}
	mu := &a.turns[threadSlot(thread)]
	mu.Lock()
	defer mu.Unlock()
	var calls []ToolCall
	r, err := a.agent.Reply(ctx, thread, flows.Text(text), agent.OnEvent(func(ev graph.Event[agent.State]) {
		if ev.Kind != graph.EventNodeEnd {
			return
		}
		for _, m := range ev.Update.Messages {
			switch m.Role {
			case llm.RoleAssistant:
				for _, c := range m.ToolCalls {
					calls = append(calls, ToolCall{Name: c.Name, Arguments: c.Arguments})
					if onCall != nil {
						onCall(calls[len(calls)-1])
					}
				}
			case llm.RoleTool:
				// Results come back one per call, in call order.
				for i := range calls {
					if !calls[i].done {
						calls[i].Result, calls[i].IsError, calls[i].done = m.Content, m.IsError, true
						if onCall != nil {
							onCall(calls[i])
						}
						break
					}
				}
			}
		}
	}))
	if err != nil {
		return Reply{}, fmt.Errorf("assistant: %w", err)
	}
	return Reply{Text: r.Text, ToolCalls: calls}, nil
}

// threadSlot picks the lock of a thread.
func threadSlot(thread string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(thread))
	return h.Sum32() % turnLocks
}
