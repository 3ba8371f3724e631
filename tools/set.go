package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// DefaultTimeout is how long a tool call may take when neither the tool nor
// the Set says otherwise.
const DefaultTimeout = 30 * time.Second

// emptyResult stands for a tool that returned no text: some providers reject
// an empty tool result.
const emptyResult = "(empty result)"

// timeoutError is the cause of a call's context when its timeout expires.
type timeoutError struct{ timeout time.Duration }

// Error implements error.
func (e timeoutError) Error() string { return fmt.Sprintf("tool timed out after %v", e.timeout) }

// Set is the collection of tools offered to a model in a conversation. It is
// immutable and safe for concurrent use; [Set.Filter], [Set.WithLogger] and
// [Set.WithDefaultTimeout] return new Sets. A nil *Set holds no tools.
type Set struct {
	tools   []Tool // sorted by name
	byName  map[string]Tool
	logger  *slog.Logger
	timeout time.Duration
}

// NewSet returns a Set of the given tools, which Defs lists sorted by name.
// A nil tool or two tools of the same name are an error. Build sets once,
// at start-up: a Set is immutable and may be shared by every conversation.
func NewSet(tools ...Tool) (*Set, error) {
	s := &Set{
		byName:  make(map[string]Tool, len(tools)),
		logger:  slog.Default(),
		timeout: DefaultTimeout,
	}
	for i, t := range tools {
		if t == nil {
			return nil, fmt.Errorf("tools: NewSet: tool %d is nil", i)
		}
		if _, dup := s.byName[t.Name()]; dup {
			return nil, fmt.Errorf("tools: NewSet: two tools are named %q", t.Name())
		}
		s.byName[t.Name()] = t
		s.tools = append(s.tools, t)
	}
	slices.SortFunc(s.tools, func(a, b Tool) int { return strings.Compare(a.Name(), b.Name()) })
	return s, nil
}

// clone returns a shallow copy of s that may be changed.
func (s *Set) clone() *Set {
	if s == nil {
		return &Set{byName: map[string]Tool{}, logger: slog.Default(), timeout: DefaultTimeout}
	}
	c := *s
	return &c
}

// WithLogger returns a copy of s that logs tool failures, timeouts and
// panics to l instead of slog.Default().
func (s *Set) WithLogger(l *slog.Logger) *Set {
	c := s.clone()
	if l != nil {
		c.logger = l
	}
	return c
}

// WithDefaultTimeout returns a copy of s whose tools without their own
// timeout (see [WithTimeout]) may run for d per call. d <= 0 restores
// [DefaultTimeout].
func (s *Set) WithDefaultTimeout(d time.Duration) *Set {
	c := s.clone()
	if d <= 0 {
		d = DefaultTimeout
	}
	c.timeout = d
	return c
}

// Filter returns the Set of the tools for which keep returns true, with the
// same logger and default timeout. Use it to offer private tools only to
// some threads: a tool left out is unknown to [Set.Run] as well.
func (s *Set) Filter(keep func(Tool) bool) *Set {
	c := s.clone()
	c.tools = nil
	c.byName = make(map[string]Tool)
	if s == nil {
		return c
	}
	for _, t := range s.tools {
		if keep(t) {
			c.tools = append(c.tools, t)
			c.byName[t.Name()] = t
		}
	}
	return c
}

// Len returns the number of tools in s.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.tools)
}

// Tools returns the tools of s, sorted by name.
func (s *Set) Tools() []Tool {
	if s == nil {
		return nil
	}
	return slices.Clone(s.tools)
}

// Get returns the tool with the given name.
func (s *Set) Get(name string) (Tool, bool) {
	if s == nil {
		return nil, false
	}
	t, ok := s.byName[name]
	return t, ok
}

// ReadOnly reports whether every tool calls names only reads: each is
// marked with the [ReadOnly] option (or implements ReadOnly() bool and
// says so), or is not in s, so that calling it ran nothing. A flow may
// then skip storing its progress before going on (graph.NoEffects): a
// crash runs those calls again, which changes nothing.
func (s *Set) ReadOnly(calls []llm.ToolCall) bool {
	for _, c := range calls {
		t, ok := s.Get(c.Name)
		if !ok {
			continue
		}
		if ro, isRO := t.(interface{ ReadOnly() bool }); !isRO || !ro.ReadOnly() {
			return false
		}
	}
	return true
}

// Defs returns the definitions of the tools of s for a model request,
// sorted by name.
func (s *Set) Defs() []llm.ToolDef {
	if s.Len() == 0 {
		return nil
	}
	defs := make([]llm.ToolDef, len(s.tools))
	for i, t := range s.tools {
		defs[i] = t.Def()
	}
	return defs
}

// Run executes calls concurrently and returns one tool-result message per
// call, in the order of calls, whatever happens: an unknown tool, invalid
// arguments, an error, a timeout, a panic or the cancellation of ctx each
// yield a message with IsError set that explains the failure to the model.
// Run returns when every call has a result; a tool that ignores its
// context's cancellation is abandoned at its timeout (its goroutine ends
// when the function returns).
func (s *Set) Run(ctx context.Context, calls []llm.ToolCall) []llm.Message {
	if len(calls) == 0 {
		return nil
	}
	results := make([]llm.Message, len(calls))
	var wg sync.WaitGroup
	for i, call := range calls {
		wg.Go(func() { results[i] = s.RunOne(ctx, call) })
	}
	wg.Wait()
	return results
}

// RunOne executes one call as [Set.Run] does.
func (s *Set) RunOne(ctx context.Context, call llm.ToolCall) llm.Message {
	msg := llm.Message{Role: llm.RoleTool, ToolCallID: call.ID, Name: call.Name}
	content, isErr := s.execute(ctx, call)
	if content == "" {
		content = emptyResult
	}
	msg.Content, msg.IsError = content, isErr
	msg.Time = time.Now()
	return msg
}

// outcome is what a tool call's goroutine reports.
type outcome struct {
	out      string
	err      error
	panicked bool
	value    any
	stack    []byte
}

// execute runs one call and returns the text for the model and whether it
// reports a failure.
func (s *Set) execute(ctx context.Context, call llm.ToolCall) (string, bool) {
	logger := s.log().With("tool", call.Name, "call_id", call.ID)
	t, ok := s.Get(call.Name)
	if !ok {
		logger.Warn("model called an unknown tool")
		return s.unknownTool(call.Name), true
	}
	timeout := t.Timeout()
	if timeout <= 0 {
		timeout = s.defaultTimeout()
	}
	cctx, cancel := context.WithTimeoutCause(ctx, timeout, timeoutError{timeout})
	defer cancel()

	start := time.Now()
	done := make(chan outcome, 1) // buffered: an abandoned call must not block
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- outcome{panicked: true, value: v, stack: debug.Stack()}
			}
		}()
		out, err := t.Call(cctx, call.Arguments)
		done <- outcome{out: out, err: err}
	}()

	var o outcome
	select {
	case o = <-done:
	case <-cctx.Done():
		select {
		case o = <-done: // finished at the same moment: keep its result
		default:
			o = outcome{err: context.Cause(cctx)}
		}
	}
	elapsed := time.Since(start)
	logger = logger.With("duration", elapsed)

	switch {
	case o.panicked:
		logger.Error("tool panicked", "panic", fmt.Sprint(o.value), "stack", string(o.stack))
		return fmt.Sprintf("Error: %s failed with an internal error. Tell the user it could not be done right now; do not retry with the same arguments.", call.Name), true
	case o.err == nil:
		logger.Debug("tool call done")
		return o.out, false
	}

	var argErr *ArgumentsError
	var userErr *UserError
	switch {
	case errors.As(o.err, &argErr):
		logger.Info("model sent invalid tool arguments", "error", o.err)
		return fmt.Sprintf("Error: %v. Call %s again with arguments that match its parameters schema.", argErr, call.Name), true
	case errors.As(o.err, &userErr):
		logger.Info("tool reported an error", "error", o.err)
		return "Error: " + userErr.Error(), true
	case errors.As(context.Cause(cctx), new(timeoutError)) && ctx.Err() == nil:
		logger.Warn("tool timed out", "timeout", timeout, "error", o.err)
		return fmt.Sprintf("Error: %s did not finish within %v and was stopped. Tell the user it is not available right now, or try again later.", call.Name, timeout), true
	case ctx.Err() != nil:
		logger.Info("tool call cancelled", "error", o.err)
		return fmt.Sprintf("Error: %s was cancelled before it finished.", call.Name), true
	default:
		logger.Error("tool failed", "error", o.err)
		return fmt.Sprintf("Error: %s failed with an internal error. You may retry once; if it fails again, tell the user it could not be done right now.", call.Name), true
	}
}

// unknownTool explains a call of a tool that is not in the Set.
func (s *Set) unknownTool(name string) string {
	if s.Len() == 0 {
		return fmt.Sprintf("Error: unknown tool %q: no tools are available.", name)
	}
	names := make([]string, len(s.tools))
	for i, t := range s.tools {
		names[i] = t.Name()
	}
	return fmt.Sprintf("Error: unknown tool %q. Available tools: %s.", name, strings.Join(names, ", "))
}

// log returns the Set's logger.
func (s *Set) log() *slog.Logger {
	if s == nil || s.logger == nil {
		return slog.Default()
	}
	return s.logger
}

// defaultTimeout returns the Set's default timeout.
func (s *Set) defaultTimeout() time.Duration {
	if s == nil || s.timeout <= 0 {
		return DefaultTimeout
	}
	return s.timeout
}
