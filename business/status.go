package business

import (
	"fmt"
	"strings"
	"time"
)

// Status is a booking's status.
type Status string

// The booking statuses. A booking is created pending; only the owner
// approves, declines or completes it; the owner or its customer cancels it.
const (
	StatusPending   Status = "pending"
	StatusApproved  Status = "approved"
	StatusCompleted Status = "completed"
	StatusDeclined  Status = "declined"
	StatusCancelled Status = "cancelled"
)

// ParseStatus reads a status name, any case.
func ParseStatus(s string) (Status, error) {
	st := Status(strings.ToLower(strings.TrimSpace(s)))
	switch st {
	case StatusPending, StatusApproved, StatusCompleted, StatusDeclined, StatusCancelled:
		return st, nil
	}
	return "", fmt.Errorf("%q is not a booking status (want pending, approved, completed, declined or cancelled)", s)
}

// Holds reports whether a booking in this status holds a place (counts
// against capacity): pending and approved ones do.
func (s Status) Holds() bool { return s == StatusPending || s == StatusApproved }

// Final reports whether no change can follow this status.
func (s Status) Final() bool {
	return s == StatusCompleted || s == StatusDeclined || s == StatusCancelled
}

// CanBecome reports whether a booking may go from s to t.
func (s Status) CanBecome(t Status) bool {
	switch s {
	case StatusPending:
		return t == StatusApproved || t == StatusDeclined || t == StatusCancelled
	case StatusApproved:
		return t == StatusCompleted || t == StatusDeclined || t == StatusCancelled
	}
	return false
}

// ActorKind says who changed a booking.
type ActorKind string

// The kinds of actor.
const (
	ActorCustomer ActorKind = "customer" // the booking's own customer
	ActorOwner    ActorKind = "owner"    // an owner, from WhatsApp
	ActorCLI      ActorKind = "cli"      // someone at the assistant's command line
	ActorConsole  ActorKind = "console"  // a console user
	ActorSystem   ActorKind = "system"   // the assistant itself (creating the booking)
)

// Actor is who made a change: a kind and an identity within it (the
// thread of a customer or an owner, the console user's name, the CLI's
// operating-system user).
type Actor struct {
	Kind ActorKind
	ID   string
}

// String writes the actor as "owner whatsapp:+34…" or "cli".
func (a Actor) String() string {
	if a.ID == "" {
		return string(a.Kind)
	}
	return string(a.Kind) + " " + a.ID
}

// Change is one status change, as kept in a booking's history.
type Change struct {
	From   Status // empty for the creation
	To     Status
	By     Actor
	At     time.Time
	Reason string
}

// TransitionError is a status change the machine does not allow.
type TransitionError struct {
	Ref      Ref
	From, To Status
}

func (e *TransitionError) Error() string {
	ref := "the booking"
	if e.Ref > 0 {
		ref = e.Ref.String()
	}
	if e.From == e.To {
		return fmt.Sprintf("%s is already %s", ref, e.From)
	}
	if e.From.Final() {
		return fmt.Sprintf("%s is already %s and cannot be %s", ref, e.From, e.To)
	}
	if e.From == StatusPending && e.To == StatusCompleted {
		return fmt.Sprintf("%s is still pending: approve it before completing it", ref)
	}
	return fmt.Sprintf("%s is %s and cannot become %s", ref, e.From, e.To)
}

// MaxReasonLength bounds the reason kept with a change.
const MaxReasonLength = 500

// Transition validates a change of booking ref from one status to
// another and returns the change to record. A customer may only cancel;
// only an owner (WhatsApp, CLI, console) approves, declines or completes.
func Transition(ref Ref, from, to Status, by Actor, at time.Time, reason string) (Change, error) {
	if !from.CanBecome(to) {
		return Change{}, &TransitionError{Ref: ref, From: from, To: to}
	}
	if by.Kind == ActorCustomer && to != StatusCancelled {
		return Change{}, fmt.Errorf("%s: a customer can only cancel a booking", ref)
	}
	if by.Kind == ActorSystem {
		return Change{}, fmt.Errorf("%s: only a person decides a booking", ref)
	}
	reason = strings.TrimSpace(reason)
	if r := []rune(reason); len(r) > MaxReasonLength {
		reason = string(r[:MaxReasonLength])
	}
	return Change{From: from, To: to, By: by, At: at, Reason: reason}, nil
}
