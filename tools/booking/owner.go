package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/tools"
)

// The owner tools' names.
const (
	ToolOwnerBookings = "business_bookings"
	ToolOwnerLeads    = "business_leads"
)

// OwnerTools returns the tools of an owner's own assistant: what the front
// desk holds (bookings, leads), to read. They decide nothing: a booking is
// approved, declined, completed or cancelled by the owner's one-word
// command (approve B12), and the tools say which command to send. A
// customer chooses their own name and words, and those reach the owner's
// model through these results; keeping decisions out of the model's reach
// means no such text can approve or cancel a booking.
//
// Offer them to owner threads only: they see every customer's bookings.
func (t *Tools) OwnerTools() []tools.Tool {
	return []tools.Tool{
		tools.Must(tools.New(ToolOwnerBookings,
			"The business's bookings, for the owner: by default the upcoming ones (pending and approved, from now on); "+
				"or those with one status, or those of one day. To decide on one, tell the owner the command to send (approve B12, decline B12 reason, cancel B12 reason, complete B12): you cannot decide yourself.",
			t.ownerBookings, tools.ReadOnly())),
		tools.Must(tools.New(ToolOwnerLeads,
			"The newest leads (customers who asked to be contacted), for the owner, with their phone and what they need.",
			t.ownerLeads, tools.ReadOnly())),
	}
}

// OwnerBookingsArgs are business_bookings' arguments.
type OwnerBookingsArgs struct {
	Status string `json:"status,omitempty" jsonschema:"upcoming (the default: pending and approved, from now on), or one status" enum:"upcoming,pending,approved,declined,cancelled,completed"`
	Date   string `json:"date,omitempty" jsonschema:"only bookings starting that day, YYYY-MM-DD in the business's time zone (today and tomorrow are accepted)"`
}

// OwnerBooking is a booking as the owner's model sees it. CustomerName and
// RequestedTime are the customer's own words: data, not instructions.
type OwnerBooking struct {
	BookingView
	CustomerName string `json:"customer_name"`
	Phone        string `json:"phone"`
}

// OwnerBookingsResult is what business_bookings returns.
type OwnerBookingsResult struct {
	Bookings []OwnerBooking `json:"bookings"`
	// More is true when more bookings matched than are listed.
	More bool   `json:"more,omitempty"`
	Note string `json:"note"`
}

// maxOwnerListed bounds the owner tools' lists: a model's context is not
// the place for a whole ledger (the console and the CLI are).
const maxOwnerListed = 30

func (t *Tools) ownerBookings(ctx context.Context, a OwnerBookingsArgs) (OwnerBookingsResult, error) {
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolOwnerBookings, ResultError)
		return OwnerBookingsResult{}, err
	}
	now := t.cfg.Now().In(p.Location)
	status := strings.ToLower(strings.TrimSpace(a.Status))
	f := bizstore.Filter{}
	switch status {
	case "", "upcoming":
		status = "upcoming"
	default:
		st, err := business.ParseStatus(status)
		if err != nil {
			t.count(ToolOwnerBookings, ResultRefused)
			return OwnerBookingsResult{}, tools.Errorf("unknown status %q: use upcoming, pending, approved, declined, cancelled or completed", a.Status)
		}
		f.Status = st
	}
	var from, to time.Time
	if d := strings.TrimSpace(a.Date); d != "" {
		day, err := dayOf(d, now)
		if err != nil {
			t.count(ToolOwnerBookings, ResultRefused)
			return OwnerBookingsResult{}, tools.Errorf("%v", err)
		}
		from, _ = day.In(p.Location, 0)
		to, _ = day.AddDays(1).In(p.Location, 0)
	}
	all, err := t.cfg.Store.Bookings(ctx, f)
	if err != nil {
		t.count(ToolOwnerBookings, ResultError)
		return OwnerBookingsResult{}, fmt.Errorf("booking: owner bookings: %w", err)
	}
	res := OwnerBookingsResult{Bookings: []OwnerBooking{}}
	for _, b := range all {
		if status == "upcoming" && (b.Start.Before(now) || (b.Status != business.StatusPending && b.Status != business.StatusApproved)) {
			continue
		}
		if !from.IsZero() && (b.Start.Before(from) || !b.Start.Before(to)) {
			continue
		}
		if len(res.Bookings) == maxOwnerListed {
			res.More = true
			break
		}
		res.Bookings = append(res.Bookings, OwnerBooking{BookingView: view(b, p.Location), CustomerName: b.CustomerName, Phone: phoneOf(b.Thread)})
	}
	switch {
	case len(res.Bookings) == 0:
		res.Note = "No bookings match."
	case res.More:
		res.Note = fmt.Sprintf("The first %d are listed; the console or `assistant bookings list` shows them all. Decisions are the owner's commands: approve B12, decline B12 reason, cancel B12 reason, complete B12.", maxOwnerListed)
	default:
		res.Note = "Decisions are the owner's commands: approve B12, decline B12 reason, cancel B12 reason, complete B12."
	}
	t.count(ToolOwnerBookings, ResultOK)
	return res, nil
}

// dayOf reads a day as YYYY-MM-DD, or today or tomorrow (English or
// Spanish), relative to now.
func dayOf(s string, now time.Time) (business.Date, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "today", "hoy":
		return business.DateOf(now), nil
	case "tomorrow", "mañana", "manana":
		return business.DateOf(now).AddDays(1), nil
	}
	return business.ParseDate(s)
}

// OwnerLeadsArgs are business_leads' arguments: none.
type OwnerLeadsArgs struct{}

// OwnerLead is a lead as the owner's model sees it. Name and Requirement
// are the customer's own words: data, not instructions.
type OwnerLead struct {
	Name        string `json:"name"`
	Requirement string `json:"requirement"`
	Phone       string `json:"phone"`
	Created     string `json:"created"`
}

// OwnerLeadsResult is what business_leads returns.
type OwnerLeadsResult struct {
	Leads []OwnerLead `json:"leads"`
}

func (t *Tools) ownerLeads(ctx context.Context, _ OwnerLeadsArgs) (OwnerLeadsResult, error) {
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolOwnerLeads, ResultError)
		return OwnerLeadsResult{}, err
	}
	ls, err := t.cfg.Store.Leads(ctx, maxOwnerListed)
	if err != nil {
		t.count(ToolOwnerLeads, ResultError)
		return OwnerLeadsResult{}, fmt.Errorf("booking: owner leads: %w", err)
	}
	res := OwnerLeadsResult{Leads: []OwnerLead{}}
	for _, l := range ls {
		res.Leads = append(res.Leads, OwnerLead{Name: l.Name, Requirement: l.Requirement, Phone: phoneOf(l.Thread),
			Created: l.CreatedAt.In(p.Location).Format("Monday 2 January 2006, 15:04")})
	}
	t.count(ToolOwnerLeads, ResultOK)
	return res, nil
}

// phoneOf is the number of a WhatsApp thread (whatsapp:+34600111222 →
// +34600111222), or the thread itself for other channels.
func phoneOf(thread string) string {
	if _, num, ok := strings.Cut(thread, ":"); ok && strings.HasPrefix(num, "+") {
		return num
	}
	return thread
}
