package agent_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	threadid "github.com/switchboardhq/switchboard/thread"
)

// script is a model that answers from a list of steps and records every
// request it gets.
type script struct {
	mu    sync.Mutex
	steps []func(req llm.Request) (llm.Response, error)
	reqs  []llm.Request
}

func (s *script) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
	if len(s.steps) == 0 {
		return llm.Response{}, errors.New("script: no more steps")
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	return step(req)
}

func say(text string) func(llm.Request) (llm.Response, error) {
	return func(llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: text}, Usage: llm.Usage{InputTokens: 10, OutputTokens: 2}}, nil
	}
}

func call(calls ...llm.ToolCall) func(llm.Request) (llm.Response, error) {
	return func(llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: calls}, Usage: llm.Usage{InputTokens: 5, OutputTokens: 1}}, nil
	}
}

// echoTools answers each call with "<name>(<args>)".
type echoTools struct {
	mu  sync.Mutex
	ran []string
}

func (e *echoTools) Defs() []llm.ToolDef {
	return []llm.ToolDef{{Name: "echo", Description: "echoes", Parameters: []byte(`{"type":"object"}`)}}
}

func (e *echoTools) Run(ctx context.Context, calls []llm.ToolCall) []llm.Message {
	out := make([]llm.Message, len(calls))
	for i, c := range calls {
		e.mu.Lock()
		e.ran = append(e.ran, c.ID)
		e.mu.Unlock()
		out[i] = llm.Message{Role: llm.RoleTool, ToolCallID: c.ID, Name: c.Name, Content: fmt.Sprintf("%s(%s)", c.Name, c.Arguments)}
	}
	return out
}

func newAgent(t *testing.T, m llm.Model, tb agent.Toolbox, mod func(*agent.Config)) *agent.Agent {
	t.Helper()
	cfg := agent.Config{
		Model: m,
		Saver: memory.New(),
		Now:   func() time.Time { return time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC) },
	}
	if tb != nil {
		cfg.Tools = func(string) agent.Toolbox { return tb }
	}
	if mod != nil {
		mod(&cfg)
	}
	a, err := agent.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func roles(msgs []llm.Message) string {
	var b []string
	for _, m := range msgs {
		s := string(m.Role)
		if len(m.ToolCalls) > 0 {
			s += fmt.Sprintf("(%d calls)", len(m.ToolCalls))
		}
		b = append(b, s)
	}
	return strings.Join(b, ",")
}

const thread = "whatsapp:+15551234567"

func TestPlainAnswer(t *testing.T) {
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){say("Hello!")}}
	r, err := newAgent(t, m, nil, nil).Reply(context.Background(), thread, flows.Text("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Hello!" || r.Usage != (llm.Usage{InputTokens: 10, OutputTokens: 2}) || r.ToolCalls != 0 || r.Capped {
		t.Fatalf("reply = %+v", r)
	}
	if len(m.reqs[0].Tools) != 0 {
		t.Fatalf("tools offered with no toolbox: %v", m.reqs[0].Tools)
	}
}

func TestToolRoundTripWithParallelCalls(t *testing.T) {
	tb := &echoTools{}
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){
		call(llm.ToolCall{ID: "c1", Name: "echo", Arguments: `{"a":1}`}, llm.ToolCall{ID: "c2", Name: "echo", Arguments: `{"b":2}`}),
		say("done"),
	}}
	r, err := newAgent(t, m, tb, nil).Reply(context.Background(), thread, flows.Text("do two things"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "done" || r.ToolCalls != 2 || r.Usage.InputTokens != 15 {
		t.Fatalf("reply = %+v", r)
	}
	second := m.reqs[1].Messages
	if got := roles(second); got != "user,assistant(2 calls),tool,tool" {
		t.Fatalf("second request = %s", got)
	}
	if second[2].ToolCallID != "c1" || second[2].Content != `echo({"a":1})` || second[3].ToolCallID != "c2" {
		t.Fatalf("tool results out of order: %+v", second[2:])
	}
	if len(m.reqs[0].Tools) != 1 || m.reqs[0].Tools[0].Name != "echo" {
		t.Fatalf("tools offered = %v", m.reqs[0].Tools)
	}
}

func TestIterationCapStillAnswers(t *testing.T) {
	tb := &echoTools{}
	var capped []string
	loopForever := func(req llm.Request) (llm.Response, error) {
		if len(req.Tools) == 0 {
			return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "Here is what I found so far."}}, nil
		}
		return call(llm.ToolCall{ID: fmt.Sprint("c", len(req.Messages)), Name: "echo", Arguments: "{}"})(req)
	}
	m := &script{}
	for range 10 {
		m.steps = append(m.steps, loopForever)
	}
	a := newAgent(t, m, tb, func(c *agent.Config) {
		c.MaxIterations = 3
		c.OnIterationCap = func(th string) { capped = append(capped, th) }
	})
	r, err := a.Reply(context.Background(), thread, flows.Text("loop please"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "Here is what I found so far." || !r.Capped || r.ToolCalls != 3 || len(tb.ran) != 3 {
		t.Fatalf("reply = %+v, tools ran %d times", r, len(tb.ran))
	}
	last := m.reqs[len(m.reqs)-1]
	if len(m.reqs) != 4 || len(last.Tools) != 0 || !strings.Contains(last.System, "Do not call tools") {
		t.Fatalf("%d model calls; last offered %d tools with system %q", len(m.reqs), len(last.Tools), last.System)
	}
	if len(capped) != 1 || capped[0] != thread {
		t.Fatalf("OnIterationCap calls = %v", capped)
	}
	// The next turn starts a fresh budget.
	m.steps = append(m.steps[:0], say("fresh"))
	if r, err := a.Reply(context.Background(), thread, flows.Text("thanks")); err != nil || r.Capped || r.Text != "fresh" {
		t.Fatalf("next turn = %+v, %v", r, err)
	}
}

func TestMemoryAcrossTurnsNotThreads(t *testing.T) {
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){say("3 PM it is"), say("Moved to 4 PM"), say("Hi stranger")}}
	a := newAgent(t, m, nil, nil)
	ctx := context.Background()
	if _, err := a.Reply(ctx, thread, flows.Text("Meeting with Sarah tomorrow at 3 PM")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Reply(ctx, thread, flows.Text("Actually, make that 4 PM")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Reply(ctx, "whatsapp:+15550000000", flows.Text("hello")); err != nil {
		t.Fatal(err)
	}
	second := m.reqs[1].Messages
	if got := roles(second); got != "user,assistant,user" || second[0].Content != "Meeting with Sarah tomorrow at 3 PM" {
		t.Fatalf("second turn sent %s: %+v", got, second)
	}
	if got := roles(m.reqs[2].Messages); got != "user" {
		t.Fatalf("another thread saw %s", got)
	}
}

func TestModelErrorIsReturned(t *testing.T) {
	down := errors.New("provider down")
	m := llm.ModelFunc(func(context.Context, llm.Request) (llm.Response, error) { return llm.Response{}, down })
	_, err := newAgent(t, m, nil, nil).Reply(context.Background(), thread, flows.Text("hi"))
	if !errors.Is(err, down) || !errors.Is(err, flows.ErrModel) {
		t.Fatalf("err = %v, want it to wrap the model error and flows.ErrModel", err)
	}
	// The error names the thread, masked: errors end up in logs.
	if !strings.Contains(err.Error(), threadid.Mask(thread)) || strings.Contains(err.Error(), thread) {
		t.Fatalf("err = %v, want it to name the thread %s masked", err, thread)
	}
}

// blockingTools never returns until its context ends.
type blockingTools struct{ echoTools }

func (b *blockingTools) Run(ctx context.Context, calls []llm.ToolCall) []llm.Message {
	<-ctx.Done()
	return b.echoTools.Run(ctx, calls)
}

func TestRunDyingMidToolsLeavesNoOrphanCall(t *testing.T) {
	saver := memory.New()
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){
		call(llm.ToolCall{ID: "c1", Name: "echo", Arguments: "{}"}),
		say("Sorry, that did not finish. Anything else?"),
	}}
	cfg := func(c *agent.Config) { c.Saver = saver }
	a := newAgent(t, m, &blockingTools{}, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := a.Reply(ctx, thread, flows.Text("book it")); err == nil {
		t.Fatal("the dying run succeeded")
	}
	// A new process picks the thread up with the next message.
	b := newAgent(t, m, &echoTools{}, cfg)
	r, err := b.Reply(context.Background(), thread, flows.Text("hello?"))
	if err != nil {
		t.Fatal(err)
	}
	sent := m.reqs[1].Messages
	if got := roles(sent); got != "user,assistant(1 calls),tool,user" || sent[3].Content != "hello?" {
		t.Fatalf("model got %s", got)
	}
	if !sent[2].IsError || sent[2].ToolCallID != "c1" {
		t.Fatalf("orphaned call answered with %+v", sent[2])
	}
	if got := roles(r.State.Messages); got != "user,assistant(1 calls),tool,user,assistant" {
		t.Fatalf("stored history = %s", got)
	}
}

func TestHistoryWindowKeepsWholeTurns(t *testing.T) {
	tb := &echoTools{}
	m := &script{}
	a := newAgent(t, m, tb, func(c *agent.Config) { c.HistoryMessages = 5 })
	ctx := context.Background()
	for i := range 4 {
		m.steps = append(m.steps, call(llm.ToolCall{ID: fmt.Sprint("c", i), Name: "echo", Arguments: "{}"}), say(fmt.Sprint("answer ", i)))
		if _, err := a.Reply(ctx, thread, flows.Text(fmt.Sprint("question ", i))); err != nil {
			t.Fatal(err)
		}
	}
	last := m.reqs[len(m.reqs)-1].Messages
	// Each turn is user, assistant(call), tool, assistant: 4 messages. With
	// a budget of 5, the model sees the current turn only, never half a turn.
	if got := roles(last); got != "user,assistant(1 calls),tool" || last[0].Content != "question 3" {
		t.Fatalf("window = %s starting %q", got, last[0].Content)
	}
	snap, err := a.Graph().State(ctx, thread)
	if err != nil || len(snap.State.Messages) != 16 {
		t.Fatalf("stored %d messages, %v; want all 16", len(snap.State.Messages), err)
	}
}

func TestSystemPromptInputs(t *testing.T) {
	var got agent.SystemInput
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){say("hi Ana")}}
	a := newAgent(t, m, &echoTools{}, func(c *agent.Config) {
		c.System = func(ctx context.Context, in agent.SystemInput) (string, error) {
			got = in
			return "You are helpful.", nil
		}
	})
	in := flows.Text("hola")
	in.ProfileName = "Ana"
	if _, err := a.Reply(context.Background(), thread, in); err != nil {
		t.Fatal(err)
	}
	if got.Thread != thread || got.ProfileName != "Ana" || len(got.Tools) != 1 || got.Now.IsZero() {
		t.Fatalf("system input = %+v", got)
	}
	if m.reqs[0].System != "You are helpful." {
		t.Fatalf("system = %q", m.reqs[0].System)
	}
}

func TestEventsShowToolCalls(t *testing.T) {
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){
		call(llm.ToolCall{ID: "c1", Name: "echo", Arguments: `{"x":1}`}), say("ok"),
	}}
	var seen []string
	_, err := newAgent(t, m, &echoTools{}, nil).Reply(context.Background(), thread, flows.Text("go"),
		agent.OnEvent(func(ev graph.Event[agent.State]) {
			if ev.Kind == graph.EventNodeEnd {
				seen = append(seen, ev.Node+":"+roles(ev.Update.Messages))
			}
		}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, " ") != "receive:user chat:assistant(1 calls) tools:tool chat:assistant" {
		t.Fatalf("events = %v", seen)
	}
}

func TestRetriedDeliveryDoesNotRunTwice(t *testing.T) {
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){say("first answer"), say("second answer")}}
	a := newAgent(t, m, nil, nil)
	ctx := context.Background()
	burst := flows.Input{
		Messages: []llm.Message{{Content: "hi"}, {Content: "are you there?"}},
		Seqs:     []int64{7, 8},
	}
	r1, err := a.Reply(ctx, thread, burst)
	if err != nil {
		t.Fatal(err)
	}
	// The same delivery again (a job retried after a crash): no model call,
	// and the reply is the one already given.
	r2, err := a.Reply(ctx, thread, burst)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.reqs) != 1 || r1.Text != "first answer" || r2.Text != "first answer" {
		t.Fatalf("%d model calls; replies %q then %q", len(m.reqs), r1.Text, r2.Text)
	}
	// A retry that also carries a newer message runs a turn for that one only.
	burst.Messages = append(burst.Messages, llm.Message{Content: "hello??"})
	burst.Seqs = append(burst.Seqs, 9)
	r3, err := a.Reply(ctx, thread, burst)
	if err != nil || r3.Text != "second answer" {
		t.Fatalf("reply = %+v, %v", r3, err)
	}
	if got := roles(r3.State.Messages); got != "user,user,assistant,user,assistant" || r3.State.Watermark != 9 {
		t.Fatalf("history = %s, watermark %d", got, r3.State.Watermark)
	}
	if _, err := a.Reply(ctx, thread, flows.Input{Messages: burst.Messages, Seqs: []int64{1}}); err == nil {
		t.Fatal("mismatched Seqs accepted")
	}
}

func TestUnansweredTurnIsAnsweredOnRetry(t *testing.T) {
	fail := true
	m := llm.ModelFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
		if fail {
			return llm.Response{}, errors.New("503")
		}
		return say("better late")(req)
	})
	a := newAgent(t, m, nil, nil)
	in := flows.Input{Messages: []llm.Message{{Content: "hi"}}, Seqs: []int64{1}}
	if _, err := a.Reply(context.Background(), thread, in); err == nil {
		t.Fatal("want the model error")
	}
	fail = false
	r, err := a.Reply(context.Background(), thread, in)
	if err != nil || r.Text != "better late" || roles(r.State.Messages) != "user,assistant" {
		t.Fatalf("retry = %+v, %v", r, err)
	}
}

func TestRecoveredAnswerOfAnEarlierRun(t *testing.T) {
	m := &script{steps: [](func(llm.Request) (llm.Response, error)){say("answer to 1-2"), say("answer to 3")}}
	a := newAgent(t, m, nil, nil)
	ctx := context.Background()
	first := flows.Input{Messages: []llm.Message{{Content: "a"}, {Content: "b"}}, Seqs: []int64{1, 2}}
	if _, err := a.Reply(ctx, thread, first); err != nil {
		t.Fatal(err)
	}
	// The caller crashed before delivering; message 3 arrived meanwhile, and
	// the retry carries all three.
	retry := flows.Input{Messages: []llm.Message{{Content: "a"}, {Content: "b"}, {Content: "c"}}, Seqs: []int64{1, 2, 3}}
	r, err := a.Reply(ctx, thread, retry)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "answer to 3" || r.Recovered == nil || r.Recovered.Seq != 2 || r.Recovered.Text != "answer to 1-2" {
		t.Fatalf("reply %q, recovered %+v", r.Text, r.Recovered)
	}
	if ids := []string{r.State.Messages[0].ID, r.State.Messages[1].ID, r.State.Messages[3].ID}; strings.Join(ids, ",") != "1,2,3" {
		t.Fatalf("stored ids = %v", ids)
	}
	// A retry of a turn whose answer is this turn's own reports nothing
	// recovered: Text already is that answer.
	r, err = a.Reply(ctx, thread, retry)
	if err != nil || r.Recovered != nil || r.Text != "answer to 3" || len(m.reqs) != 2 {
		t.Fatalf("plain retry = %q, %+v, %v (%d model calls)", r.Text, r.Recovered, err, len(m.reqs))
	}
}
