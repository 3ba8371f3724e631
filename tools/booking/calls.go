package booking

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/tools"
)

// RequestArgs are request_booking's arguments.
type RequestArgs struct {
	Name          string `json:"name" jsonschema:"the customer's name, as they gave it"`
	Service       string `json:"service" jsonschema:"the service, exactly as listed by the business"`
	RequestedTime string `json:"requested_time" jsonschema:"the customer's own words for when (next Tuesday at 10)"`
	Start         string `json:"start" jsonschema:"the start as local date and time in the business's time zone (2026-12-08T10:00), or RFC 3339 with an offset"`
}

// BookingView is a booking as the model sees it.
type BookingView struct {
	Ref           string `json:"ref"`
	Status        string `json:"status"`
	Service       string `json:"service"`
	Start         string `json:"start"`
	LocalTime     string `json:"local_time"`
	RequestedTime string `json:"requested_time,omitempty"`
}

func view(b business.Booking, loc *time.Location) BookingView {
	b = b.In(loc)
	return BookingView{Ref: b.Ref.String(), Status: string(b.Status), Service: b.Service,
		Start: b.Start.Format(time.RFC3339), LocalTime: b.Start.Format("Monday 2 January 2006, 15:04"), RequestedTime: b.RequestedTime}
}

// RequestResult is what request_booking returns.
type RequestResult struct {
	Booking BookingView `json:"booking"`
	Note    string      `json:"note"`
}

func (t *Tools) request(ctx context.Context, a RequestArgs) (RequestResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolRequest, ResultError)
		return RequestResult{}, err
	}
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolRequest, ResultError)
		return RequestResult{}, err
	}
	b, created, err := t.cfg.Store.RequestBooking(ctx, p, t.cfg.Now(), bizstore.NewBooking{
		Thread: thread, CustomerName: a.Name, Service: a.Service, Start: a.Start,
		RequestedTime: a.RequestedTime, Source: SourceFromContext(ctx),
	})
	var r *business.Refusal
	var inv *bizstore.InvalidError
	switch {
	case errors.As(err, &r):
		t.count(ToolRequest, ResultRefused)
		return RequestResult{}, tools.Errorf("not booked: %s. Explain this to the customer and offer the suggested times if any", r.Error())
	case errors.As(err, &inv):
		t.count(ToolRequest, ResultRefused)
		return RequestResult{}, tools.Errorf("not booked: %s", inv.Message)
	case err != nil:
		t.count(ToolRequest, ResultError)
		return RequestResult{}, fmt.Errorf("booking: request: %w", err)
	}
	res := RequestResult{Booking: view(b, p.Location),
		Note: "Request " + b.Ref.String() + " sent to the team. It is NOT confirmed yet: tell the customer the team will confirm, and give the reference."}
	if !created {
		t.count(ToolRequest, ResultReplayed)
		res.Note = "This message already made request " + b.Ref.String() + " (status " + string(b.Status) + "); no new booking was made. Tell the customer its status."
		return res, nil
	}
	t.count(ToolRequest, ResultCreated)
	if t.cfg.OnBooking != nil {
		t.cfg.OnBooking(ctx, b.In(p.Location))
	}
	return res, nil
}

// AvailabilityArgs are check_availability's arguments.
type AvailabilityArgs struct {
	Service string `json:"service" jsonschema:"the service, exactly as listed by the business"`
	Date    string `json:"date" jsonschema:"the day as YYYY-MM-DD in the business's time zone (today and tomorrow are accepted)"`
}

// AvailabilityResult is what check_availability returns.
type AvailabilityResult struct {
	Service string   `json:"service"`
	Date    string   `json:"date"`
	Weekday string   `json:"weekday"`
	Free    []string `json:"free_start_times"`
	Note    string   `json:"note"`
}

func (t *Tools) availability(ctx context.Context, a AvailabilityArgs) (AvailabilityResult, error) {
	if _, err := tools.ThreadOf(ctx); err != nil {
		t.count(ToolAvailability, ResultError)
		return AvailabilityResult{}, err
	}
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolAvailability, ResultError)
		return AvailabilityResult{}, err
	}
	now := t.cfg.Now().In(p.Location)
	var day business.Date
	switch strings.ToLower(strings.TrimSpace(a.Date)) {
	case "today", "hoy":
		day = business.DateOf(now)
	case "tomorrow", "mañana", "manana":
		day = business.DateOf(now).AddDays(1)
	default:
		if day, err = business.ParseDate(a.Date); err != nil {
			t.count(ToolAvailability, ResultRefused)
			return AvailabilityResult{}, tools.Errorf("%v", err)
		}
	}
	svc, err := p.Service(a.Service)
	if err != nil {
		t.count(ToolAvailability, ResultRefused)
		return AvailabilityResult{}, tools.Errorf("%v", err)
	}
	from, _ := day.In(p.Location, 0)
	to, _ := day.AddDays(1).In(p.Location, 0)
	held, err := t.cfg.Store.Holding(ctx, svc.Name, from, to.Add(svc.Duration))
	if err != nil {
		t.count(ToolAvailability, ResultError)
		return AvailabilityResult{}, fmt.Errorf("booking: availability: %w", err)
	}
	free, err := p.Free(now, svc.Name, day, held)
	if err != nil {
		t.count(ToolAvailability, ResultError)
		return AvailabilityResult{}, fmt.Errorf("booking: availability: %w", err)
	}
	res := AvailabilityResult{Service: svc.Name, Date: day.String(), Weekday: day.Weekday().String(), Free: []string{}}
	for _, f := range free {
		res.Free = append(res.Free, f.Format("15:04"))
	}
	switch {
	case len(p.OpenOn(day)) == 0:
		res.Note = "Closed that day."
	case len(free) == 0:
		res.Note = "No free time that day (fully booked, past, too soon or beyond the booking horizon). Offer another day."
	default:
		res.Note = fmt.Sprintf("Each %s lasts %s. Offer only these times.", svc.Name, business.FormatDuration(svc.Duration))
	}
	t.count(ToolAvailability, ResultOK)
	return res, nil
}

// MineArgs are my_bookings' arguments: none.
type MineArgs struct{}

// MineResult is what my_bookings returns.
type MineResult struct {
	Bookings []BookingView `json:"bookings"`
}

// maxListed bounds my_bookings.
const maxListed = 20

func (t *Tools) mine(ctx context.Context, _ MineArgs) (MineResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolMine, ResultError)
		return MineResult{}, err
	}
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolMine, ResultError)
		return MineResult{}, err
	}
	bs, err := t.cfg.Store.Bookings(ctx, bizstore.Filter{Thread: thread})
	if err != nil {
		t.count(ToolMine, ResultError)
		return MineResult{}, fmt.Errorf("booking: my bookings: %w", err)
	}
	if len(bs) > maxListed {
		bs = bs[len(bs)-maxListed:] // the latest
	}
	res := MineResult{Bookings: []BookingView{}}
	for _, b := range bs {
		res.Bookings = append(res.Bookings, view(b, p.Location))
	}
	t.count(ToolMine, ResultOK)
	return res, nil
}

// CancelArgs are cancel_my_booking's arguments.
type CancelArgs struct {
	Ref string `json:"ref" jsonschema:"the booking's reference (B12)"`
}

// CancelResult is what cancel_my_booking returns.
type CancelResult struct {
	Booking BookingView `json:"booking"`
	Note    string      `json:"note"`
}

func (t *Tools) cancel(ctx context.Context, a CancelArgs) (CancelResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolCancel, ResultError)
		return CancelResult{}, err
	}
	ref, err := business.ParseRef(a.Ref)
	if err != nil {
		t.count(ToolCancel, ResultRefused)
		return CancelResult{}, tools.Errorf("%v", err)
	}
	p, err := t.profile(ctx)
	if err != nil {
		t.count(ToolCancel, ResultError)
		return CancelResult{}, err
	}
	b, change, err := t.cfg.Store.SetStatus(ctx, ref, business.StatusCancelled,
		business.Actor{Kind: business.ActorCustomer, ID: thread}, "cancelled by the customer")
	var te *business.TransitionError
	switch {
	case errors.Is(err, bizstore.ErrNotFound):
		t.count(ToolCancel, ResultRefused)
		return CancelResult{}, tools.Errorf("this customer has no booking %s", ref)
	case errors.As(err, &te):
		t.count(ToolCancel, ResultRefused)
		return CancelResult{}, tools.Errorf("%v", te)
	case err != nil:
		t.count(ToolCancel, ResultError)
		return CancelResult{}, fmt.Errorf("booking: cancel: %w", err)
	}
	t.count(ToolCancel, ResultOK)
	if t.cfg.OnCancel != nil {
		t.cfg.OnCancel(ctx, b.In(p.Location), change)
	}
	return CancelResult{Booking: view(b, p.Location), Note: "Cancelled; the team is told."}, nil
}

// LeadArgs are capture_lead's arguments.
type LeadArgs struct {
	Name        string `json:"name" jsonschema:"the customer's name, as they gave it"`
	Requirement string `json:"requirement" jsonschema:"what the customer needs, in a sentence or two, with any details they gave"`
}

// LeadResult is what capture_lead returns.
type LeadResult struct {
	Note string `json:"note"`
}

func (t *Tools) lead(ctx context.Context, a LeadArgs) (LeadResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolLead, ResultError)
		return LeadResult{}, err
	}
	l, created, err := t.cfg.Store.CaptureLead(ctx, business.Lead{Thread: thread, Name: a.Name, Requirement: a.Requirement, SourceMessageID: SourceFromContext(ctx)})
	var inv *bizstore.InvalidError
	switch {
	case errors.As(err, &inv):
		t.count(ToolLead, ResultRefused)
		return LeadResult{}, tools.Errorf("not passed on: %s", inv.Message)
	case err != nil:
		t.count(ToolLead, ResultError)
		return LeadResult{}, fmt.Errorf("booking: capture lead: %w", err)
	}
	if !created {
		t.count(ToolLead, ResultReplayed)
		return LeadResult{Note: "Already passed to the team from this message; nothing new was sent."}, nil
	}
	t.count(ToolLead, ResultCreated)
	if t.cfg.OnLead != nil {
		t.cfg.OnLead(ctx, l)
	}
	return LeadResult{Note: "Passed to the team; tell the customer someone will get back to them."}, nil
}
