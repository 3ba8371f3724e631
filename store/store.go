// Package store holds Switchboard's domain data: the messages people send
// (inbound), the replies the assistant sends (outbound, through an outbox),
// and their delivery status. Backends live in subpackages; the storetest
// package holds the conformance suite they pass.
package store

import (
	"context"
	"errors"
	"strconv"
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

// Outbound voice values: how a reply goes out when it is spoken.
const (
	VoiceOnly    = "voice"
	VoiceAndText = "voice+text"
)

// Outbound is a reply in the outbox: recorded before it is sent, sent
// once, its delivery tracked.
type Outbound struct {
	ID      int64
	Thread  string
	Channel string
	// To is the address on the channel ("whatsapp:+15551234567", a group
	// JID, ...).
	To string
	// Key makes the reply idempotent: a thread has at most one reply per
	// key ("turn:<last inbound id>", "fallback:<id>", "ratelimit:<minute>").
	Key  string
	Body string
	// Voice is how the reply goes out: "" as text, VoiceOnly or
	// VoiceAndText (a voice note first, then the text).
	Voice string
	// Audio names the reply's synthesised voice note in the media store,
	// once it is made; "" before.
	Audio string
	// ContentSID and ContentVariables, when set, are an approved WhatsApp
	// template (a Twilio Content SID and its variables, a JSON object such
	// as {"1":"Ana"}): the sender uses them instead of Body when the
	// thread's 24-hour window is closed. Empty means free text only.
	ContentSID       string
	ContentVariables string
	// PartsSent counts the parts of a split body the channel accepted
	// (the voice note, when there is one, is part 0).
	PartsSent int
	Status    string
	ErrorCode int
	Error     string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Store is the durable inbox and outbox. Backends (store/postgres,
// store/sqlite) insert jobs with River in the same transaction as the rows
// that call for them, so nothing is lost between the two.
type Store interface {
	// Accept stores msg and, in the same transaction, enqueues a
	// queue.RunThread job for its thread scheduled at runAt. A message whose
	// (Channel, ProviderID) was stored before changes nothing: created is
	// false and no job is added. msg.ID is ignored; the store assigns it.
	Accept(ctx context.Context, msg Inbound, runAt time.Time) (created bool, err error)
	// Pending returns the thread's unprocessed inbound messages, by ID.
	Pending(ctx context.Context, thread string) ([]Inbound, error)
	// Complete, in one transaction, marks the inbound messages processed,
	// inserts each reply unless the thread already has one with its Key,
	// and enqueues a queue.SendReply job for each reply it inserted. It
	// returns the IDs of the replies, inserted or found, in order.
	Complete(ctx context.Context, thread string, processed []int64, replies []Outbound) ([]int64, error)
	// CompleteHeld is Complete for a caller that sends the replies itself,
	// at once and in order, without their leases: a new reply is held,
	// with no send job. The caller gives each reply it does not send to a
	// send job with HandOver; SweepHeld does it for a caller that died.
	// With lease set, the thread's lease that owner holds is released in
	// the same transaction: the caller needs only its replies now.
	CompleteHeld(ctx context.Context, thread string, processed []int64, replies []Outbound, lease string) ([]int64, error)
	// HandOver enqueues, in one transaction, the queue.SendReply jobs of
	// held replies (CompleteHeld) whose caller will not send them. A reply
	// handed over before, settled or erased is left alone.
	HandOver(ctx context.Context, ids ...int64) error
	// SweepHeld hands over every held reply recorded before cutoff and
	// still pending, whose caller died before sending it, and returns how
	// many it handed over.
	SweepHeld(ctx context.Context, cutoff time.Time) (int, error)
	// LastInbound returns the thread's newest inbound message (its time
	// opens WhatsApp's 24-hour window; its channel and address are where
	// proactive messages go), or an error wrapping ErrNotFound.
	LastInbound(ctx context.Context, thread string) (Inbound, error)
	// Outbound returns one outbox row, or an error wrapping ErrNotFound.
	Outbound(ctx context.Context, id int64) (Outbound, error)
	// OldestPending returns the ID of the thread's oldest reply still
	// pending, or 0: a thread's replies are sent in order, each only after
	// the ones before it were sent or failed.
	OldestPending(ctx context.Context, thread string) (int64, error)
	// RecordPart records that the channel accepted part (0-based) of the
	// reply as providerID and sets PartsSent to part+1; with last set it
	// marks the reply sent. Recording a part already recorded changes
	// nothing.
	RecordPart(ctx context.Context, id int64, part int, providerID string, last bool) error
	// SetVoice sets how a reply not yet started goes out (Outbound.Voice)
	// and its voice note (Outbound.Audio): the audio is recorded before it
	// is sent, and voice "" falls back to text. It changes nothing once a
	// part was sent or the reply is no longer pending, and reports whether
	// it changed the row.
	SetVoice(ctx context.Context, id int64, voice, audio string) (bool, error)
	// FailOutbound marks a reply failed for good.
	FailOutbound(ctx context.Context, id int64, code int, reason string) error
	// RecordStatus records a delivery-status callback for a part the
	// channel accepted. An unknown providerID is not an error (callbacks
	// can outlive an erased thread).
	RecordStatus(ctx context.Context, channel, providerID, status string, code int) error
	// AcquireLease gives owner the thread until now+ttl when nobody holds
	// it, the holder's lease expired, or owner already holds it.
	AcquireLease(ctx context.Context, thread, owner string, now time.Time, ttl time.Duration) (bool, error)
	// ReleaseLease gives the thread up if owner holds it.
	ReleaseLease(ctx context.Context, thread, owner string) error
	// CountReceived counts the thread's inbound messages received at or
	// after since (the rate limit is counted here, so it holds across
	// processes).
	CountReceived(ctx context.Context, thread string, since time.Time) (int, error)
	// Backlog counts unprocessed inbound messages across all threads (a
	// queue-depth gauge).
	Backlog(ctx context.Context) (int, error)
	// DeleteThread erases every inbound and outbound row of the thread.
	DeleteThread(ctx context.Context, thread string) error
	// Answer returns what became of the inbound message (channel,
	// providerID): whether it is stored, its thread, and once the turn that
	// read it committed, that turn's replies.
	Answer(ctx context.Context, channel, providerID string) (Answer, error)
}

// Answer is the reply to one inbound message, as Store.Answer finds it.
type Answer struct {
	// Found is false when no message is stored under the id.
	Found bool
	// Thread is the stored message's thread.
	Thread string
	// Done is true once the turn that read the message committed.
	Done bool
	// Text is that turn's replies (a note about attachments, the answer or
	// the fallback: the outbox keys "notes:", "turn:" and "fallback:" with
	// the turn's last message id), in order, separated by a blank line; ""
	// when the turn answered nothing.
	Text string
}

// AnswerKeys are the outbox keys of the replies to the turn whose last
// inbound message is lastID, in the order they are recorded.
func AnswerKeys(lastID int64) []string {
	n := strconv.FormatInt(lastID, 10)
	return []string{"notes:" + n, "turn:" + n, "fallback:" + n}
}

// ErrNotFound is returned for a row that does not exist.
var ErrNotFound = errors.New("store: not found")

// statusRank orders the statuses a reply or one of its parts goes through;
// failures are final and rank above everything.
func statusRank(s string) int {
	switch s {
	case StatusPending:
		return 0
	case StatusQueued:
		return 1
	case StatusSent:
		return 2
	case StatusDelivered:
		return 3
	case StatusRead:
		return 4
	case StatusFailed, StatusUndelivered:
		return 5
	default:
		return -1
	}
}

// IsFinalFailure reports whether status is one a reply or part never leaves
// (failed, undelivered).
func IsFinalFailure(status string) bool {
	return status == StatusFailed || status == StatusUndelivered
}

// AdvanceStatus returns the status a reply or part has after a report of
// next when it had cur. Callbacks arrive out of order, so a status never
// moves back (pending < queued < sent < delivered < read); failed and
// undelivered are final; a status this package does not know changes
// nothing.
func AdvanceStatus(cur, next string) string {
	if IsFinalFailure(cur) || statusRank(next) < 0 {
		return cur
	}
	if statusRank(next) > statusRank(cur) {
		return next
	}
	return cur
}

// ReplyStatus returns a reply's status from the statuses of its parts, once
// every part was handed to the channel: the first final failure if any part
// failed, otherwise the least advanced part's status (a reply is delivered
// when all its parts are). With no parts it returns StatusSent.
func ReplyStatus(parts []string) string {
	out := ""
	for _, p := range parts {
		if IsFinalFailure(p) {
			return p
		}
		if out == "" || statusRank(p) < statusRank(out) {
			out = p
		}
	}
	if out == "" || statusRank(out) < statusRank(StatusSent) {
		return StatusSent
	}
	return out
}
