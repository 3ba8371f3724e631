// Package booking gives a business's customers the front-desk tools:
// request_booking, check_availability, my_bookings, cancel_my_booking,
// capture_lead and request_human (names and arguments fixed by the Wave 2
// contract).
//
// The model proposes; Go decides. Every argument is checked by the
// business rules (business.Profile.Check: in the future, at least the
// minimum notice ahead, within the horizon, inside opening hours for the
// whole duration, within the service's capacity) inside the store's
// transaction (business/bizstore), and a booking is always created
// pending: only an owner confirms it. A refusal is a tool error whose text
// the model can explain, with the nearest free times.
//
// Data is per customer: every call acts for the thread of the run it is
// made in (graph.ThreadFromContext) or the thread the tools are bound to,
// and sees or cancels only that thread's bookings. One booking and one
// lead per source message: the flow puts the message being answered in the
// context (WithSource), so a retried turn or a replayed call finds the
// first booking instead of making another.
package booking

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/tools"
)

// The names of the tools, as the model sees them.
const (
	ToolRequest      = "request_booking"
	ToolAvailability = "check_availability"
	ToolMine         = "my_bookings"
	ToolCancel       = "cancel_my_booking"
	ToolLead         = "capture_lead"
)

// Results counted by the switchboard_booking_tool_calls_total metric.
const (
	ResultCreated  = "created"
	ResultReplayed = "replayed"
	ResultRefused  = "refused"
	ResultOK       = "ok"
	ResultError    = "error"
)

// Config configures the tools.
type Config struct {
	// Store keeps the profile, bookings and leads; required.
	Store *bizstore.Store
	// Now is the clock (default time.Now).
	Now func() time.Time
	// OnBooking is called once for each booking a call created (not for a
	// replay), after it is stored, with times in the business's zone: the
	// flow announces it to the owners (desk.Announcer.Booking).
	OnBooking func(ctx context.Context, b business.Booking)
	// OnLead is called once for each lead a call created
	// (desk.Announcer.Lead).
	OnLead func(ctx context.Context, l business.Lead)
	// OnCancel is called when a customer cancelled their own booking
	// (desk.Announcer.Cancelled).
	OnCancel func(ctx context.Context, b business.Booking, c business.Change)
	// RequestHuman, when set, offers the tool request_human: it hands the
	// customer's thread to a person (desk.Handoff.PauseBy) and must be
	// idempotent for a thread already handed over.
	RequestHuman func(ctx context.Context, thread, reason string) error
	// Metrics, when set, gets the counter
	// switchboard_booking_tool_calls_total{tool,
	// result}. Register one Tools per registry.
	Metrics *metrics.Registry
}

// Tools holds the customer tools. It is safe for concurrent use.
type Tools struct {
	cfg   Config
	calls *metrics.Counter
	tools []tools.Tool

	mu      sync.Mutex
	version int64
	cached  *business.Profile
}

// New returns the tools over cfg.Store.
func New(cfg Config) (*Tools, error) {
	if cfg.Store == nil {
		return nil, errors.New("booking: a store is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	t := &Tools{cfg: cfg}
	if cfg.Metrics != nil {
		t.calls = cfg.Metrics.Counter("booking_tool_calls_total", "Calls of the front-desk tools by result.", "tool", "result")
	}
	var errs []error
	add := func(tool tools.Tool, err error) {
		errs = append(errs, err)
		t.tools = append(t.tools, tool)
	}
	add(tools.New(ToolRequest,
		"Ask the business for a booking for this customer. It is only a request: the team approves or declines it, and the customer is told. "+
			"Needs the customer's name, the service, their own words for the time and the start as local date and time. "+
			"If it is refused, the error says why and suggests free times.", t.request))
	add(tools.New(ToolAvailability, "Free start times for a service on a date, in the business's time zone.", t.availability, tools.ReadOnly()))
	add(tools.New(ToolMine, "This customer's bookings (and only theirs) with their status: pending (waiting for the team), approved (confirmed), declined, cancelled or completed.", t.mine, tools.ReadOnly()))
	add(tools.New(ToolCancel, "Cancel one of this customer's own bookings by its reference (B12).", t.cancel))
	add(tools.New(ToolLead, "Pass the customer's name and what they need to the team, who will get back to them: for questions you cannot answer, call-backs, quotes.", t.lead))
	if cfg.RequestHuman != nil {
		add(tools.New(ToolHuman, "Hand this conversation to a person from the team: when the customer asks for a human, "+
			"or for a complaint or a question only the team can settle. You stay silent until the team gives it back.", t.human))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("booking: %w", err)
	}
	return t, nil
}

// Tools returns the tools, unbound: each call acts for the thread of the
// graph run it is made in and fails outside one.
func (t *Tools) Tools() []tools.Tool { return append([]tools.Tool(nil), t.tools...) }

// ToolsFor returns the tools bound to thread: they act for thread whatever
// the context says, and refuse a call made in a run of another thread.
func (t *Tools) ToolsFor(thread string) []tools.Tool { return tools.Bind(thread, t.tools...) }

// ErrNoThread is returned by a call made outside a run with a thread and
// not bound to one.
var ErrNoThread = tools.ErrNoThread

type sourceKey struct{}

// WithSource returns ctx carrying the id of the customer message being
// answered ("<channel>:<provider id>"); bookings and leads made in it are
// keyed by it, one each per message.
func WithSource(ctx context.Context, messageID string) context.Context {
	return context.WithValue(ctx, sourceKey{}, messageID)
}

// SourceFromContext returns the message id WithSource put in ctx, or "".
func SourceFromContext(ctx context.Context) string {
	s, _ := ctx.Value(sourceKey{}).(string)
	return s
}

// profile returns the current profile, parsed again only when the store's
// version changed.
func (t *Tools) profile(ctx context.Context) (*business.Profile, error) {
	v, err := t.cfg.Store.Version(ctx)
	if err != nil {
		return nil, err
	}
	if v == 0 {
		return nil, tools.Errorf("this business takes no bookings here yet (no business profile): offer to pass the request to the team")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cached != nil && t.version == v {
		return t.cached, nil
	}
	p, err := t.cfg.Store.Profile(ctx)
	if err != nil {
		return nil, err
	}
	t.cached, t.version = p, v
	return p, nil
}

func (t *Tools) count(tool, result string) {
	if t.calls != nil {
		t.calls.Inc(tool, result)
	}
}
