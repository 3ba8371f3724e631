package business

import "time"

// Booking is a customer's booking request and what became of it.
type Booking struct {
	Ref    Ref
	Status Status
	// Thread is the customer's thread id; a customer sees only the
	// bookings of their own thread.
	Thread       string
	CustomerName string
	Service      string
	// RequestedTime is the customer's own words ("next Tuesday at 10").
	RequestedTime string
	// Start and End are the booked period (a store returns them in UTC:
	// show them with In(profile.Location)).
	Start, End time.Time
	// SourceMessageID is the message the request came from: one booking
	// per source message.
	SourceMessageID string
	CreatedAt       time.Time
	// History is every status change, oldest first, the creation included.
	History []Change
	// Notice says whether the customer was told of the latest owner
	// decision: "" (nothing to tell), NoticeDue (decided, the notice not
	// yet recorded), NoticeSent or NoticeNotSent, with NoticeReason saying
	// why not.
	Notice       string
	NoticeReason string
	// Reminder is what became of the reminder for the booking's current
	// start: "" (none yet), ReminderSent or ReminderNotSent with
	// ReminderReason saying why not.
	Reminder       string
	ReminderReason string
}

// The values of Booking.Notice.
const (
	NoticeDue     = "due"
	NoticeSent    = "sent"
	NoticeNotSent = "not_sent"
)

// The values of Booking.Reminder ("claimed" while a process sends it).
const (
	ReminderClaimed = "claimed"
	ReminderSent    = "sent"
	ReminderNotSent = "not_sent"
)

// In returns b with its times in loc.
func (b Booking) In(loc *time.Location) Booking {
	b.Start, b.End, b.CreatedAt = b.Start.In(loc), b.End.In(loc), b.CreatedAt.In(loc)
	return b
}

// Slot returns the period the booking holds.
func (b Booking) Slot() Slot { return Slot{Service: b.Service, Start: b.Start, End: b.End} }

// Lead is a customer's requirement passed to the team.
type Lead struct {
	ID              int64
	Thread          string
	Name            string
	Requirement     string
	SourceMessageID string
	CreatedAt       time.Time
}

// Limits of what a customer (through the model) can make the business
// store.
const (
	MaxNameLength        = 100
	MaxRequirementLength = 1000
	MaxRequestedTime     = 200
)
