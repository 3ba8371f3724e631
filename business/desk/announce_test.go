package desk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/desk"
)

func TestAnnouncer(t *testing.T) {
	out := &outbox{}
	owners := []string{"whatsapp:+34600000001", "whatsapp:+34600000002"}
	a := &desk.Announcer{Notifier: out, Owners: owners}
	loc, _ := time.LoadLocation("Europe/Madrid")
	b := business.Booking{Ref: 7, Thread: ana, CustomerName: "Ana", Service: "Fitness assessment", RequestedTime: "Tuesday 10",
		Start: time.Date(2026, 12, 8, 10, 0, 0, 0, loc), Status: business.StatusPending}
	ctx := context.Background()
	a.Booking(ctx, b)
	a.Booking(ctx, b) // a retried turn
	a.Lead(ctx, business.Lead{ID: 3, Thread: ana, Name: "Ana", Requirement: "call me about personal training"})
	a.Cancelled(ctx, b, business.Change{To: business.StatusCancelled})
	if len(out.sent) != 6 {
		t.Fatalf("sent %d notices, want 3 to each of 2 owners: %v", len(out.sent), out.sent)
	}
	for _, o := range owners {
		if got := out.sent[[2]string{o, "booking:B7:new"}]; !strings.Contains(got, "New booking request B7: Ana, Fitness assessment, Tue 8 Dec 2026 10:00") || !strings.Contains(got, `"approve B7"`) {
			t.Errorf("%s got %q", o, got)
		}
		if got := out.sent[[2]string{o, "lead:3"}]; !strings.Contains(got, "New lead from Ana (+34600111222): call me about personal training") {
			t.Errorf("%s got %q", o, got)
		}
		if got := out.sent[[2]string{o, "booking:B7:customer-cancelled"}]; got != "B7 was cancelled by the customer: Ana, Fitness assessment, Tue 8 Dec 2026 10:00." {
			t.Errorf("%s got %q", o, got)
		}
	}
}
