package desk_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
)

// flaky asks for a booking, then fails on the call that would answer: the
// model dying in the middle of a turn.
type flaky struct {
	mu    sync.Mutex
	calls int
}

func (f *flaky) Generate(_ context.Context, req llm.Request) (llm.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	last := req.Messages[len(req.Messages)-1]
	if last.Role == llm.RoleTool {
		return llm.Response{}, errors.New("provider unavailable")
	}
	return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c", Name: booking.ToolRequest,
		Arguments: `{"name":"Ana","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"2026-12-08T10:00"}`}}}}, nil
}

// TestModelFailsMidTurn: the turn is retried (the job runs again for the
// same message) and the model fails again; the booking exists once, and
// the owners heard of it once.
func TestModelFailsMidTurn(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, out *outbox, _ *threads, p *business.Profile) {
		ctx := booking.WithSource(context.Background(), "twilio:SM7")
		ann := &desk.Announcer{Notifier: out, Owners: []string{owner}}
		announced := 0
		bt, err := booking.New(booking.Config{Store: d.Store, Now: func() time.Time { return now },
			OnBooking: func(ctx context.Context, b business.Booking) { announced++; ann.Booking(ctx, b) }})
		if err != nil {
			t.Fatal(err)
		}
		ag, err := agent.New(agent.Config{
			Model: &flaky{},
			Tools: func(th string) agent.Toolbox { return tools.Must(tools.NewSet(bt.ToolsFor(th)...)) },
			Now:   func() time.Time { return now },
		})
		if err != nil {
			t.Fatal(err)
		}
		for attempt := range 3 {
			if _, err := ag.Reply(ctx, ana, flows.Text("a fitness assessment next Tuesday at 10")); err == nil {
				t.Fatalf("attempt %d: the model failed but the turn did not", attempt)
			}
		}
		bs, err := d.Store.Bookings(context.Background(), bizstore.Filter{})
		if err != nil || len(bs) != 1 || bs[0].Status != business.StatusPending {
			t.Fatalf("bookings after 3 failed attempts: %+v %v", bs, err)
		}
		if announced != 1 || len(out.sent) != 1 {
			t.Errorf("announced %d times, %d notices", announced, len(out.sent))
		}
		// With the model down, an FAQ question still gets its answer.
		if a, ok, err := d.FAQAnswer(context.Background(), "¿cuál es vuestro horario?"); err != nil || !ok || a != p.FAQs[1].A {
			t.Errorf("FAQ answer with the model down: %q %v %v", a, ok, err)
		}
	})
}
