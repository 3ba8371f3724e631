package desk

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/thread"
)

// Announcer tells every owner thread of new booking requests, new leads
// and cancellations by customers. Its methods fit the hooks of
// tools/booking.Config (OnBooking, OnLead, OnCancel). Each notice is keyed
// by what it announces, so a retried turn announces nothing twice. Owners'
// notices are not subject to opt-out.
type Announcer struct {
	Notifier Notifier
	// Owners are the owner threads (ASSISTANT_OWNERS, normalized).
	Owners []string
	// Logger receives the failures (default slog.Default()); the hooks
	// have no error to return, and a failed notice must not undo a
	// booking.
	Logger *slog.Logger
}

// Booking announces a new booking request (times in the business's zone).
func (a *Announcer) Booking(ctx context.Context, b business.Booking) {
	a.send(ctx, "booking:"+b.Ref.String()+":new", business.AnnounceBooking(b))
}

// Lead announces a new lead.
func (a *Announcer) Lead(ctx context.Context, l business.Lead) {
	a.send(ctx, fmt.Sprintf("lead:%d", l.ID), business.AnnounceLead(l, phoneOf(l.Thread)))
}

// Cancelled announces that a customer cancelled their booking.
func (a *Announcer) Cancelled(ctx context.Context, b business.Booking, c business.Change) {
	text := fmt.Sprintf("%s was cancelled by the customer: %s, %s, %s.", b.Ref, nameOr(b.CustomerName), b.Service, b.Start.Format("Mon 2 Jan 2006 15:04"))
	a.send(ctx, "booking:"+b.Ref.String()+":customer-cancelled", text)
}

func (a *Announcer) send(ctx context.Context, key, text string) {
	for _, owner := range a.Owners {
		if err := a.Notifier.Notify(ctx, owner, key, text); err != nil {
			a.log().WarnContext(ctx, "desk: could not notify an owner", "owner", thread.ID(owner), "key", key, "error", err)
		}
	}
}

func (a *Announcer) log() *slog.Logger {
	if a.Logger == nil {
		return slog.Default()
	}
	return a.Logger
}

func nameOr(name string) string {
	if name == "" {
		return "a customer"
	}
	return name
}
