package desk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
)

// TestSeedJourney walks the seed journey through every part this
// package family provides (the webhook, the agent and the model are the
// flow's): the front-desk prompt holds the approved hours; the model's
// request_booking makes a pending booking that every owner hears of; the
// owner's "approve B1" confirms it to the customer; a call-back request
// becomes a lead; the listings show both.
func TestSeedJourney(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, out *outbox, _ *threads, p *business.Profile) {
		ctx := context.Background()
		ann := &desk.Announcer{Notifier: out, Owners: []string{owner}}
		bt, err := booking.New(booking.Config{Store: d.Store, Now: func() time.Time { return now }, OnBooking: ann.Booking, OnLead: ann.Lead, OnCancel: ann.Cancelled})
		if err != nil {
			t.Fatal(err)
		}
		set := tools.Must(tools.NewSet(bt.ToolsFor(ana)...))

		// 1. "What are your opening hours?": the prompt the model gets
		// holds the approved answer.
		ps, err := prompts.Load("")
		if err != nil {
			t.Fatal(err)
		}
		system, err := ps.FrontDesk(p.FrontDeskData(now, "Ana", set.Defs()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(system, p.FAQs[0].A) || !strings.Contains(system, "request_booking") {
			t.Fatalf("the front-desk prompt lacks the hours FAQ or the tools:\n%s", system)
		}

		// 2. "A fitness assessment next Tuesday at 10": the model calls
		// request_booking (Sunday 6 December: next Tuesday is the 8th).
		res := set.RunOne(booking.WithSource(ctx, "twilio:SM2"), llm.ToolCall{ID: "1", Name: booking.ToolRequest,
			Arguments: `{"name":"Ana","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"2026-12-08T10:00"}`})
		if res.IsError || !strings.Contains(res.Content, `"ref":"B1","status":"pending"`) {
			t.Fatalf("request_booking: %s", res.Content)
		}
		if got := out.sent[[2]string{owner, "booking:B1:new"}]; !strings.Contains(got, "B1") || !strings.Contains(got, "approve B1") {
			t.Fatalf("the owner was not told: %q", got)
		}

		// 3. The owner texts "approve B1"; the customer hears back.
		reply, ok, err := d.Owner(ctx, owner, "twilio:SM3", "approve B1")
		if err != nil || !ok || !strings.HasPrefix(reply, "B1 approved (confirmed)") {
			t.Fatalf("approve: %q %v %v", reply, ok, err)
		}
		if got := out.sent[[2]string{ana, "booking:B1:approved"}]; !strings.Contains(got, "confirmada") {
			t.Fatalf("the customer was not told: %q", got)
		}

		// 4. "Can someone call me about personal training?": a lead.
		res = set.RunOne(booking.WithSource(ctx, "twilio:SM4"), llm.ToolCall{ID: "2", Name: booking.ToolLead,
			Arguments: `{"name":"Ana","requirement":"call back about personal training"}`})
		if res.IsError {
			t.Fatalf("capture_lead: %s", res.Content)
		}

		// 5. bookings list --json and leads list --csv.
		bs, err := d.Store.Bookings(ctx, bizstore.Filter{})
		if err != nil || len(bs) != 1 {
			t.Fatalf("bookings: %v %v", bs, err)
		}
		js, _ := json.Marshal([]business.BookingRecord{bs[0].Record(p.Location)})
		for _, want := range []string{`"ref":"B1"`, `"status":"approved"`, `"customer_name":"Ana"`, `"thread":"whatsapp:+34600111222"`, `"service":"Fitness assessment"`,
			`"requested_time":"next Tuesday at 10"`, `"start":"2026-12-08T10:00:00+01:00"`, `"source_message_id":"twilio:SM2"`, `"created_at":"2026-12-06T16:00:00+01:00"`, `"notice":"sent"`} {
			if !bytes.Contains(js, []byte(want)) {
				t.Errorf("bookings json lacks %s: %s", want, js)
			}
		}
		leads, _ := d.Store.Leads(ctx, 0)
		var csv strings.Builder
		if err := business.WriteLeadsCSV(&csv, leads, p.Location); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(csv.String(), "Ana,whatsapp:+34600111222,call back about personal training,twilio:SM4") {
			t.Errorf("leads csv = %s", csv.String())
		}
	})
}
