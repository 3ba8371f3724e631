// Package desk runs the owner's side of a business front desk: the owner
// commands typed on WhatsApp (business.ParseCommand), and the decisions on
// bookings that the CLI and the console make too. It works without any
// model.
//
// A decision (approve, decline, complete, cancel) goes through
// business.Transition in the store, is kept with who made it, when and why,
// and is told to the customer through a Notifier (the thread's own channel
// and the outbox, keyed so it goes out once). When it cannot go out as
// free text (outside WhatsApp's 24-hour window), the booking records it as
// not sent, with the reason, for `bookings list`.
package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

// Notifier sends a proactive message to a customer thread. Key makes it
// idempotent: a thread gets at most one message per key (the outbox's
// rule). An error means it was not sent; its text is recorded as the
// reason.
type Notifier interface {
	Notify(ctx context.Context, thread, key, text string) error
}

// Threads pauses and resumes the assistant on a customer thread (the owner
// answers in person meanwhile).
type Threads interface {
	Pause(ctx context.Context, thread string) error
	Resume(ctx context.Context, thread string) error
}

// Desk executes owner commands and booking decisions. It is safe for
// concurrent use when its parts are.
type Desk struct {
	// Store keeps the profile, bookings and leads; required.
	Store *bizstore.Store
	// Notifier tells customers of decisions and carries `reply`; required.
	Notifier Notifier
	// Threads carries `pause` and `resume`; nil makes them answer that
	// pausing is not available.
	Threads Threads
	// Templates are the approved WhatsApp templates for when a customer's
	// 24-hour window is closed (used when Notifier is a
	// TemplateNotifier); without one such a message is not sent, and the
	// booking says why.
	Templates Templates
	// Reminder is how long before an approved booking its customer is
	// reminded (BOOKING_REMINDER); 0 sends no reminders.
	Reminder time.Duration
}

// Templates are approved WhatsApp templates (Twilio Content SIDs), each
// with the variables of business.TemplateVariables.
type Templates struct {
	// BookingUpdate tells of an owner's decision
	// (TWILIO_CONTENT_SID_BOOKING_UPDATE).
	BookingUpdate string
	// BookingReminder reminds of an approved booking
	// (TWILIO_CONTENT_SID_BOOKING_REMINDER).
	BookingReminder string
}

// TemplateNotifier is a Notifier that can carry an approved template along
// with the text: the channel sends the template instead when the thread's
// 24-hour window is closed. variables is a JSON object of strings.
type TemplateNotifier interface {
	Notifier
	NotifyTemplate(ctx context.Context, thread, key, text, contentSID, variables string) error
}

// Decision is the outcome of a booking decision.
type Decision struct {
	Booking business.Booking
	Change  business.Change
	// Told is true when the customer's message went out; otherwise
	// NotTold says why.
	Told    bool
	NotTold string
}

// Decide changes booking ref to status to on behalf of by, with an
// optional reason, and tells the customer (unless they opted out with
// STOP). An invalid change is a
// *business.TransitionError; an unknown reference wraps
// bizstore.ErrNotFound. The decision stands even when the customer could
// not be told: Decision says so, and so does the booking (Notice).
func (d *Desk) Decide(ctx context.Context, ref business.Ref, to business.Status, by business.Actor, reason string) (Decision, error) {
	p, err := d.Store.Profile(ctx)
	if err != nil {
		return Decision{}, err
	}
	b, change, err := d.Store.SetStatus(ctx, ref, to, by, reason)
	if err != nil {
		return Decision{}, err
	}
	b = b.In(p.Location)
	dec := Decision{Booking: b, Change: change}
	if err := d.tell(ctx, p, b, change); err != nil {
		var nt *notTold
		if !errors.As(err, &nt) {
			return dec, err
		}
		dec.NotTold = nt.reason
		return dec, nil
	}
	dec.Told = true
	return dec, nil
}

// pastTense names a status change for the owner's confirmation.
func pastTense(s business.Status) string {
	switch s {
	case business.StatusApproved:
		return "approved (confirmed)"
	case business.StatusDeclined:
		return "declined"
	case business.StatusCancelled:
		return "cancelled"
	case business.StatusCompleted:
		return "marked completed"
	}
	return string(s)
}

// verbStatus maps a decision verb to its status.
func verbStatus(v business.Verb) business.Status {
	switch v {
	case business.VerbApprove:
		return business.StatusApproved
	case business.VerbDecline:
		return business.StatusDeclined
	case business.VerbComplete:
		return business.StatusCompleted
	}
	return business.StatusCancelled
}

// maxListed bounds the bookings and leads listed in one reply.
const maxListed = 15

// Owner runs text, the message messageID of the owner on thread owner, as
// a command. ok is false when text is not a command (it goes to the
// model). The reply says what changed or why not; err is an internal
// failure only (the reply then says the command could not be run). Run
// again for the same message (a retried job), a command changes nothing
// twice: decisions are transitions, and `reply` is keyed by messageID.
func (d *Desk) Owner(ctx context.Context, owner, messageID, text string) (reply string, ok bool, err error) {
	cmd, ok := business.ParseCommand(text)
	if !ok {
		return "", false, nil
	}
	reply, err = d.run(ctx, owner, messageID, cmd)
	if err != nil {
		return "Sorry, that could not be done right now; try again in a minute.", true, err
	}
	return reply, true, nil
}

func (d *Desk) run(ctx context.Context, owner, messageID string, cmd business.Command) (string, error) {
	by := business.Actor{Kind: business.ActorOwner, ID: owner}
	switch cmd.Verb {
	case business.VerbHelp:
		return business.CommandHelp, nil
	case business.VerbBookings:
		return d.pending(ctx)
	case business.VerbLeads:
		return d.leads(ctx)
	case business.VerbApprove, business.VerbDecline, business.VerbComplete, business.VerbCancel:
		dec, err := d.Decide(ctx, cmd.Ref, verbStatus(cmd.Verb), by, cmd.Text)
		var te *business.TransitionError
		switch {
		case errors.Is(err, bizstore.ErrNotFound):
			return fmt.Sprintf("There is no booking %s. Send \"bookings\" to see those waiting.", cmd.Ref), nil
		case errors.Is(err, bizstore.ErrNoProfile):
			return "There is no business profile yet: import one with `assistant business import FILE`.", nil
		case errors.As(err, &te):
			return capitalize(te.Error()) + ".", nil
		case err != nil:
			return "", err
		}
		s := fmt.Sprintf("%s %s: %s.", dec.Booking.Ref, pastTense(dec.Change.To), strings.Join(bookingFacts(dec.Booking), ", "))
		if dec.Told {
			s += " The customer has been told."
		} else {
			s += " The customer could not be told (" + dec.NotTold + "); contact them another way."
		}
		return s, nil
	case business.VerbPause, business.VerbResume:
		if d.Threads == nil {
			return "Pausing the assistant is not available on this deployment.", nil
		}
		phone := phoneOf(cmd.Thread)
		if cmd.Verb == business.VerbPause {
			if err := d.Threads.Pause(ctx, cmd.Thread); err != nil {
				return "", err
			}
			return fmt.Sprintf("Paused: the assistant will not answer %s until you send \"resume %s\".", phone, phone), nil
		}
		if err := d.Threads.Resume(ctx, cmd.Thread); err != nil {
			return "", err
		}
		return fmt.Sprintf("Resumed: the assistant answers %s again.", phone), nil
	case business.VerbReply:
		key := "owner-reply:" + messageID
		if messageID == "" {
			key = fmt.Sprintf("owner-reply:%x", hash(owner+"\x00"+cmd.Thread+"\x00"+cmd.Text))
		}
		if err := d.SendAsBusiness(ctx, cmd.Thread, key, cmd.Text, owner); err != nil {
			return fmt.Sprintf("Not sent to %s: %v.", phoneOf(cmd.Thread), err), nil
		}
		return "Sent to " + phoneOf(cmd.Thread) + ".", nil
	}
	return "", fmt.Errorf("desk: unhandled command %q", cmd.Verb)
}

func (d *Desk) pending(ctx context.Context) (string, error) {
	p, err := d.Store.Profile(ctx)
	if errors.Is(err, bizstore.ErrNoProfile) {
		return "There is no business profile yet: import one with `assistant business import FILE`.", nil
	}
	if err != nil {
		return "", err
	}
	bs, err := d.Store.Bookings(ctx, bizstore.Filter{Status: business.StatusPending})
	if err != nil {
		return "", err
	}
	if len(bs) == 0 {
		return "No bookings are waiting for you.", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d waiting:", len(bs))
	for i, bk := range bs {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more (`assistant bookings list --status pending`)", len(bs)-maxListed)
			break
		}
		b.WriteString("\n" + business.BookingLine(bk.In(p.Location)))
	}
	b.WriteString("\nReply \"approve B12\" or \"decline B12 reason\".")
	return b.String(), nil
}

func (d *Desk) leads(ctx context.Context) (string, error) {
	ls, err := d.Store.Leads(ctx, maxListed)
	if err != nil {
		return "", err
	}
	if len(ls) == 0 {
		return "No leads yet.", nil
	}
	var b strings.Builder
	b.WriteString("Latest leads:")
	for _, l := range ls {
		name := l.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(&b, "\n%s · %s · %s", name, phoneOf(l.Thread), l.Requirement)
	}
	return b.String(), nil
}

// bookingFacts are the parts of a booking an owner reads in a reply.
func bookingFacts(b business.Booking) []string {
	name := b.CustomerName
	if name == "" {
		name = "a customer"
	}
	return []string{name, b.Service, b.Start.Format("Mon 2 Jan 2006 15:04")}
}

// phoneOf writes a thread for the owner: the number of a WhatsApp thread,
// the thread id otherwise.
func phoneOf(thread string) string {
	if _, num, ok := strings.Cut(thread, ":"); ok && strings.HasPrefix(num, "+") {
		return num
	}
	return thread
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// hash is FNV-1a, for idempotency keys.
func hash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
