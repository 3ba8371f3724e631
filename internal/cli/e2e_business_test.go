package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

const (
	bizOwner    = "whatsapp:+34600111222"
	bizStranger = "whatsapp:+15551230009"
	hoursAnswer = "Mon-Thu 7:00-22:00, Fri 7:00-15:00 and 17:00-22:00, Sat 9:00-14:00, closed Sundays and public holidays."
)

// nextTuesday is the date of a Tuesday at least two days ahead in Madrid
// that examples/business/gym.yaml does not close.
func nextTuesday(t *testing.T) string {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	d := time.Now().In(loc).AddDate(0, 0, 2)
	for d.Weekday() != time.Tuesday || d.Format("2006-01-02") == "2027-01-06" {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format("2006-01-02")
}

// frontDeskModel plays the front desk's model: it answers the hours from
// what it was given, books when asked for an assessment and takes a lead
// for a call-back; systems records every system prompt it received.
func frontDeskModel(s *llmtest.Server, day string, systems *seen) func(llmtest.Request) llmtest.Reply {
	return func(r llmtest.Request) llmtest.Reply {
		conv, err := s.Conversation(r)
		if err != nil {
			return llmtest.Reply{Status: 400, ErrorMessage: err.Error()}
		}
		systems.add(conv.System)
		last := conv.Turns[len(conv.Turns)-1]
		if last.Role == "tool" {
			return llmtest.Reply{Text: "Done: " + last.Results[0].Content}
		}
		switch {
		case strings.Contains(last.Text, "hours"):
			return llmtest.Reply{Text: "We are open " + hoursAnswer}
		case strings.Contains(last.Text, "assessment"):
			return llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "request_booking", Arguments: fmt.Sprintf(
				`{"name":"Ana","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"%sT10:00"}`, day)}}}
		case strings.Contains(last.Text, "call me"):
			return llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "capture_lead", Arguments: `{"name":"Ana","requirement":"call back about personal training"}`}}}
		case strings.Contains(last.Text, "What is booked"):
			// Only an owner's model has this tool; on any other thread the
			// call fails as an unknown tool.
			return llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "business_bookings", Arguments: `{}`}}}
		}
		return llmtest.Reply{Text: "I can help with bookings and questions."}
	}
}

// TestE2EFrontDeskSeedJourney runs the seed journey through signed
// Twilio webhooks, the queue, the agent with a scripted model, the fake
// Twilio and the CLI.
func TestE2EFrontDeskSeedJourney(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { seedJourney(t, nil) })
	t.Run("postgres", func(t *testing.T) { seedJourney(t, map[string]string{"DATABASE_URL": pgtest.URL(t)}) })
}

func seedJourney(t *testing.T, env map[string]string) {
	day := nextTuesday(t)
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":    "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS": bizOwner,
	})
	for k, v := range env {
		e.env[k] = v
	}
	var systems seen
	e.model.Handle(frontDeskModel(e.model, day, &systems))
	e.start()

	// 1. The opening hours: the prompt held the approved answer.
	post(t, e.addr, text(ana, "What are your opening hours?"))
	if got := e.repliesWithin(ana, 1, time.Minute); !strings.Contains(got[0], hoursAnswer) {
		t.Fatalf("hours reply = %q", got)
	}
	if sys := systems.all(); len(sys) == 0 || !strings.Contains(sys[0], hoursAnswer) || !strings.Contains(sys[0], "Forma Gym") {
		t.Fatalf("the system prompt lacks the approved answer:\n%v", sys)
	}

	// 2. An assessment next Tuesday at 10: a pending booking announced to
	// the owner.
	post(t, e.addr, text(ana, "Can I book a fitness assessment next Tuesday at 10?"))
	if got := e.repliesWithin(ana, 2, time.Minute); !strings.Contains(got[1], `"ref":"B1"`) || !strings.Contains(got[1], "pending") {
		t.Fatalf("booking reply = %q", got)
	}
	if got := e.repliesWithin(bizOwner, 1, time.Minute); !strings.Contains(got[0], "B1") || !strings.Contains(got[0], "approve B1") {
		t.Fatalf("owner announcement = %q", got)
	}

	// 3. A stranger texting "approve B1" talks to the model: no command.
	post(t, e.addr, text(bizStranger, "approve B1"))
	if got := e.repliesWithin(bizStranger, 1, time.Minute); got[0] != "I can help with bookings and questions." {
		t.Fatalf("stranger reply = %q", got)
	}
	if bs := e.bookings(t); bs[0]["status"] != "pending" {
		t.Fatalf("a stranger changed the booking: %v", bs)
	}

	// 4. The owner approves from WhatsApp, with no model involved: the
	// customer hears back.
	before := len(e.model.Requests())
	post(t, e.addr, text(bizOwner, "approve B1"))
	if got := e.repliesWithin(bizOwner, 2, time.Minute); !strings.HasPrefix(got[1], "B1 approved") {
		t.Fatalf("owner reply = %q", got)
	}
	if got := e.repliesWithin(ana, 3, time.Minute); !strings.Contains(got[2], "B1") || !strings.Contains(got[2], "confirm") {
		t.Fatalf("customer confirmation = %q", got)
	}
	if n := len(e.model.Requests()); n != before {
		t.Fatalf("the owner's command reached the model (%d calls)", n-before)
	}

	// 5. A call-back about personal training: a lead, announced.
	post(t, e.addr, text(ana, "Could someone call me about personal training?"))
	e.repliesWithin(ana, 4, time.Minute)
	if got := e.repliesWithin(bizOwner, 3, time.Minute); !strings.Contains(got[2], "personal training") {
		t.Fatalf("lead announcement = %q", got)
	}

	// 6. The listings show both.
	bs := e.bookings(t)
	if len(bs) != 1 || bs[0]["ref"] != "B1" || bs[0]["status"] != "approved" || bs[0]["customer_name"] != "Ana" ||
		bs[0]["thread"] != ana || bs[0]["service"] != "Fitness assessment" || bs[0]["requested_time"] != "next Tuesday at 10" ||
		!strings.HasPrefix(bs[0]["start"].(string), day+"T10:00:00+01:00") || !strings.HasPrefix(bs[0]["source_message_id"].(string), "twilio:SM") ||
		bs[0]["created_at"] == "" {
		t.Fatalf("bookings list --json = %v", bs)
	}
	e.cli(t, "threads", "send", ana, "See you on Tuesday!")
	if got := e.repliesWithin(ana, 5, time.Minute); got[4] != "See you on Tuesday!" {
		t.Fatalf("threads send = %q", got)
	}
	// 7. The owner asks their own assistant what is booked: the owner
	// tools read the bookings; a customer's model never had them.
	post(t, e.addr, text(bizOwner, "What is booked this week?"))
	if got := e.repliesWithin(bizOwner, 4, time.Minute); !strings.Contains(got[3], `"ref":"B1"`) || !strings.Contains(got[3], `"customer_name":"Ana"`) {
		t.Fatalf("owner's question = %q", got)
	}
	post(t, e.addr, text(ana, "What is booked for everyone?"))
	if got := e.repliesWithin(ana, 6, time.Minute); strings.Contains(got[5], `"customer_name"`) {
		t.Fatalf("a customer read the bookings: %q", got[5])
	}
	csv := e.cli(t, "leads", "list", "--csv")
	if !strings.Contains(csv, "call back about personal training") || !strings.Contains(csv, ana) {
		t.Fatalf("leads list --csv:\n%s", csv)
	}
}

// TestE2EFrontDeskWithoutModel: with no model, the owner's commands and
// the FAQ still answer, opt-out words are confirmed, anything else gets
// the fallback.
func TestE2EFrontDeskWithoutModel(t *testing.T) {
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":    "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS": bizOwner,
		"OPENAI_API_KEY":   "",
		"OPENAI_BASE_URL":  "",
		"OLLAMA_HOST":      "http://127.0.0.1:1",
		"FALLBACK_REPLY":   "Sorry, try again in a minute.",
	})
	e.start()
	post(t, e.addr, text(ana, "what are your opening hours"))
	if got := e.repliesWithin(ana, 1, time.Minute); got[0] != hoursAnswer {
		t.Fatalf("FAQ reply = %q", got)
	}
	post(t, e.addr, text(ana, "STOP"))
	if got := e.repliesWithin(ana, 2, time.Minute); !strings.Contains(got[1], "ALTA") {
		t.Fatalf("opt-out reply = %q", got)
	}
	post(t, e.addr, text(bizOwner, "bookings"))
	if got := e.repliesWithin(bizOwner, 1, time.Minute); strings.Contains(got[0], "language model") {
		t.Fatalf("owner command went to the model: %q", got)
	}
}

// seen collects strings from the fake model's handler goroutines.
type seen struct {
	mu sync.Mutex
	s  []string
}

func (s *seen) add(v string) { s.mu.Lock(); s.s = append(s.s, v); s.mu.Unlock() }

func (s *seen) all() []string { s.mu.Lock(); defer s.mu.Unlock(); return append([]string(nil), s.s...) }

// cli runs the assistant's CLI on the test's database and returns stdout.
func (e *e2e) cli(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, envMap(e.env), strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("assistant %s: exit %d\n%s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

func (e *e2e) bookings(t *testing.T) []map[string]any {
	t.Helper()
	var bs []map[string]any
	if err := json.Unmarshal([]byte(e.cli(t, "bookings", "list", "--json")), &bs); err != nil {
		t.Fatal(err)
	}
	return bs
}
