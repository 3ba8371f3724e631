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
	// Start and End are in the business's zone.
	Start, End time.Time
	// SourceMessageID is the message the request came from: one booking
	// per source message.
	SourceMessageID string
	CreatedAt       time.Time
	// History is every status change, oldest first, the creation included.
	History []Change
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
