package business

import (
	"fmt"
	"strings"
	"time"
)

// The texts people read about bookings and leads: announcements to the
// owners and decisions to customers. Customer texts are in the business's
// first language when it is Spanish, in English otherwise (no model is
// involved, so they go out even when the model is down).

// AnnounceBooking is the owners' notice of a new booking request: the
// reference, the customer, the service, the local time and how to answer.
func AnnounceBooking(b Booking) string {
	return fmt.Sprintf("New booking request %s: %s, %s, %s (they said %q).\nReply \"approve %s\" or \"decline %s [reason]\".",
		b.Ref, oneLine(nameOr(b.CustomerName, "a customer")), b.Service, localWhen(b.Start), b.RequestedTime, b.Ref, b.Ref)
}

// AnnounceLead is the owners' notice of a new lead. What the customer
// wrote is kept on one line, so it cannot pass for another notice.
func AnnounceLead(l Lead, phone string) string {
	return fmt.Sprintf("New lead from %s (%s): %s\nReply \"reply %s your message\" to answer them.",
		oneLine(nameOr(l.Name, "a customer")), phone, oneLine(l.Requirement), phone)
}

// oneLine collapses every run of white space, line breaks included, to
// one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// DecisionMessage is what a customer is told when an owner (or they
// themselves) changed their booking: plainly approved (confirmed),
// declined, cancelled or completed, with the reason when one was given.
func (p *Profile) DecisionMessage(b Booking, c Change) string {
	es := len(p.Languages) > 0 && p.Languages[0] == "es"
	when := localWhen(b.Start)
	var s string
	switch c.To {
	case StatusApproved:
		s = pick(es, "Your booking %s is confirmed: %s, %s at %s.", "Tu reserva %s está confirmada: %s, %s en %s.")
		s = fmt.Sprintf(s, b.Ref, b.Service, when, p.Name)
	case StatusDeclined:
		s = fmt.Sprintf(pick(es, "Sorry, your booking request %s (%s, %s) was declined.", "Lo sentimos, tu solicitud de reserva %s (%s, %s) ha sido rechazada."), b.Ref, b.Service, when)
	case StatusCancelled:
		s = fmt.Sprintf(pick(es, "Your booking %s (%s, %s) is cancelled.", "Tu reserva %s (%s, %s) está cancelada."), b.Ref, b.Service, when)
	case StatusCompleted:
		s = fmt.Sprintf(pick(es, "Thank you for coming to %s!", "¡Gracias por venir a %s!"), p.Name)
	default:
		s = fmt.Sprintf(pick(es, "Your booking %s is now %s.", "Tu reserva %s está ahora %s."), b.Ref, c.To)
	}
	if c.Reason != "" && c.To != StatusCompleted {
		s += pick(es, " Reason: ", " Motivo: ") + c.Reason
	}
	return s
}

// BookingLine is one booking in a list: "B12 pending · Ana · Fitness
// assessment · Tue 8 Dec 10:00".
func BookingLine(b Booking) string {
	return strings.Join([]string{b.Ref.String() + " " + string(b.Status), nameOr(b.CustomerName, "(no name)"), b.Service, localWhen(b.Start)}, " · ")
}

// localWhen writes a local time for people: "Tue 8 Dec 2026 10:00".
func localWhen(t time.Time) string { return t.Format("Mon 2 Jan 2006 15:04") }

func nameOr(name, def string) string {
	if strings.TrimSpace(name) == "" {
		return def
	}
	return name
}

func pick(es bool, en, spanish string) string {
	if es {
		return spanish
	}
	return en
}
