package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

// handoffModel plays the front desk's model for the hand-off: it calls
// request_human when asked for a person and otherwise answers; convs
// records each conversation it was sent, as text.
func handoffModel(s *llmtest.Server, convs *seen) func(llmtest.Request) llmtest.Reply {
	return func(r llmtest.Request) llmtest.Reply {
		conv, err := s.Conversation(r)
		if err != nil {
			return llmtest.Reply{Status: 400, ErrorMessage: err.Error()}
		}
		var all []string
		for _, t := range conv.Turns {
			all = append(all, t.Role+": "+t.Text)
		}
		convs.add(strings.Join(all, "\n"))
		last := conv.Turns[len(conv.Turns)-1]
		if last.Role == "tool" {
			return llmtest.Reply{Text: "Someone from the team will answer you here."}
		}
		if strings.Contains(last.Text, "person") {
			return llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "request_human", Arguments: `{"reason":"wants to talk to a person"}`}}}
		}
		return llmtest.Reply{Text: "Happy to help."}
	}
}

// TestE2EHandoff runs the hand-off through signed Twilio webhooks, the
// queue, the agent with a scripted model, the fake Twilio and the CLI:
// the customer asks for a person, the owner is told, the assistant stays
// silent (messages stored, no model call), the owner's reply reaches the
// customer, `resume` gives the thread back, and the assistant's next turn
// sees what was said meanwhile.
func TestE2EHandoff(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { handoffJourney(t, nil) })
	t.Run("postgres", func(t *testing.T) { handoffJourney(t, map[string]string{"DATABASE_URL": pgtest.URL(t)}) })
}

func handoffJourney(t *testing.T, env map[string]string) {
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":    "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS": bizOwner,
	})
	for k, v := range env {
		e.env[k] = v
	}
	var convs seen
	e.model.Handle(handoffModel(e.model, &convs))
	e.start()

	post(t, e.addr, text(ana, "Can I talk to a person please?"))
	if got := e.repliesWithin(ana, 1, time.Minute); got[0] != "Someone from the team will answer you here." {
		t.Fatalf("hand-off reply = %q", got)
	}
	notice := e.repliesWithin(bizOwner, 1, time.Minute)[0]
	for _, want := range []string{"+15551230001 asked to talk to a person", "wants to talk to a person", "> Can I talk to a person please?", "reply +15551230001", "resume +15551230001"} {
		if !strings.Contains(notice, want) {
			t.Fatalf("owner notice lacks %q:\n%s", want, notice)
		}
	}
	if list := e.cli(t, "threads", "list"); !strings.Contains(list, "paused (with a person until") {
		t.Fatalf("threads list does not show the pause:\n%s", list)
	}

	// While paused: the message is stored, the model is not called, and
	// nothing is sent.
	calls := len(e.model.Requests())
	post(t, e.addr, text(ana, "Hello? Is anyone there?"))
	e.waitFor(t, func() bool { return strings.Contains(e.cliOut("threads", "show", ana), "Is anyone there?") })
	time.Sleep(300 * time.Millisecond)
	if n := len(e.model.Requests()); n != calls {
		t.Fatalf("the model was called %d times while the thread was paused", n-calls)
	}
	if got := e.repliesWithin(ana, 1, time.Minute); len(got) != 1 {
		t.Fatalf("the assistant answered a paused thread: %q", got)
	}

	// The owner answers from WhatsApp; the customer gets it.
	post(t, e.addr, text(bizOwner, "reply +15551230001 Hi, this is Marta. Come by at 5."))
	if got := e.repliesWithin(ana, 2, time.Minute); got[1] != "Hi, this is Marta. Come by at 5." {
		t.Fatalf("owner reply to the customer = %q", got)
	}
	if got := e.repliesWithin(bizOwner, 2, time.Minute); got[1] != "Sent to +15551230001." {
		t.Fatalf("owner confirmation = %q", got)
	}

	// Resume: the assistant answers again and sees the human part.
	post(t, e.addr, text(bizOwner, "resume +15551230001"))
	if got := e.repliesWithin(bizOwner, 3, time.Minute); !strings.HasPrefix(got[2], "Resumed") {
		t.Fatalf("resume reply = %q", got)
	}
	post(t, e.addr, text(ana, "Thanks! One more question."))
	if got := e.repliesWithin(ana, 3, time.Minute); got[2] != "Happy to help." {
		t.Fatalf("reply after resume = %q", got)
	}
	all := convs.all()
	last := all[len(all)-1]
	for _, want := range []string{"user: Hello? Is anyone there?", "assistant: [Written by a person from the team, not by you:] Hi, this is Marta. Come by at 5.", "user: Thanks! One more question."} {
		if !strings.Contains(last, want) {
			t.Fatalf("the model's conversation after resume lacks %q:\n%s", want, last)
		}
	}
	if strings.Count(last, "Come by at 5") != 1 {
		t.Fatalf("the owner's reply is in the history more than once:\n%s", last)
	}
	if list := e.cli(t, "threads", "list"); strings.Contains(list, "paused") {
		t.Fatalf("threads list still shows a pause:\n%s", list)
	}
}

// TestE2EHandoffTimeout: `threads pause` from the CLI, then
// HANDOFF_TIMEOUT without an owner reply gives the thread back.
func TestE2EHandoffTimeout(t *testing.T) {
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":    "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS": bizOwner,
		"HANDOFF_TIMEOUT":  "6s",
	})
	var convs seen
	e.model.Handle(handoffModel(e.model, &convs))
	e.start()
	if out := e.cli(t, "threads", "pause", "+1 555 123 0001", "--reason", "billing question"); !strings.Contains(out, "paused whatsapp:+15551230001") {
		t.Fatalf("threads pause = %q", out)
	}
	if got := e.repliesWithin(bizOwner, 1, time.Minute); !strings.Contains(got[0], "is now handled by a person: billing question") {
		t.Fatalf("owner notice = %q", got)
	}
	if out := e.cli(t, "threads", "pause", ana); !strings.Contains(out, "already handed to a person") {
		t.Fatalf("second pause = %q", out)
	}
	paused := time.Now()
	post(t, e.addr, text(ana, "About my bill"))
	e.waitFor(t, func() bool { return strings.Contains(e.cliOut("threads", "show", ana), "About my bill") })
	if time.Since(paused) < 6*time.Second {
		for _, m := range e.twilio.Messages() {
			if m.To == ana {
				t.Fatalf("the assistant answered a paused thread: %q", m.Body)
			}
		}
	} else {
		t.Log("the machine took longer than HANDOFF_TIMEOUT to store the message; silence not checked")
	}
	time.Sleep(time.Until(paused.Add(6 * time.Second)))
	post(t, e.addr, text(ana, "Hello again"))
	if got := e.repliesWithin(ana, 1, time.Minute); got[0] != "Happy to help." {
		t.Fatalf("reply after the timeout = %q", got)
	}
	if got := e.repliesWithin(bizOwner, 1, time.Minute); len(got) != 1 {
		t.Fatalf("owners were told twice: %q", got)
	}
}

// waitFor polls ok until it holds, for up to a minute.
func (e *e2e) waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within a minute")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cliOut runs the CLI and returns its stdout, whatever its exit code.
func (e *e2e) cliOut(args ...string) string {
	var out, errb bytes.Buffer
	run(context.Background(), args, envMap(e.env), strings.NewReader(""), &out, &errb)
	return out.String()
}
