// Package store holds Switchboard's domain data: the messages people send
// (inbound), the replies the assistant sends (outbound, through an outbox),
// and their delivery status. Backends live in subpackages; the storetest
// package holds the conformance suite they pass.
package store

import (
	"time"
)

// Media is an attachment of an inbound message, as the channel reported
// it. Its content is fetched when the message is processed, not when it is
// received, so the webhook answers at once.
type Media struct {
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
}

// Inbound is a message someone sent, stored before the webhook answers.
type Inbound struct {
	// ID is assigned by the store, increasing: it orders a thread's
	// messages and is the sequence number the agent's watermark uses.
	ID int64
	// Channel names where it came from: "twilio", "evolution", ...
	Channel string
	// ProviderID is the channel's id for the message (Twilio's MessageSid);
	// a second delivery of the same id is ignored.
	ProviderID string
	// Thread is the conversation: "whatsapp:+15551234567".
	Thread string
	// From and To are the addresses as the channel sent them.
	From, To string
	// Sender is the participant, when it differs from the thread (groups).
	Sender      string
	ProfileName string
	Body        string
	Media       []Media
	ReceivedAt  time.Time
}

// Outbound status values, as Twilio names them; other channels map theirs.
const (
	StatusPending     = "pending" // recorded, not yet handed to the channel
	StatusQueued      = "queued"
	StatusSent        = "sent"
	StatusDelivered   = "delivered"
	StatusRead        = "read"
	StatusFailed      = "failed"
	StatusUndelivered = "undelivered"
)
