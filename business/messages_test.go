package business_test

import (
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

func sampleBooking(t *testing.T) business.Booking {
	start := at(t, "2026-12-08 10:00")
	return business.Booking{
		Ref: 1, Status: business.StatusPending, Thread: "whatsapp:+34600111222", CustomerName: "Ana",
		Service: "Fitness assessment", RequestedTime: "next Tuesday at 10", Start: start, End: start.Add(time.Hour),
	}
}

func TestAnnounce(t *testing.T) {
	got := business.AnnounceBooking(sampleBooking(t))
	for _, want := range []string{"B1", "Ana", "Fitness assessment", "Tue 8 Dec 2026 10:00", `"next Tuesday at 10"`, `"approve B1"`, `"decline B1`} {
		if !strings.Contains(got, want) {
			t.Errorf("announcement %q lacks %q", got, want)
		}
	}
	lead := business.AnnounceLead(business.Lead{Name: "Luis", Requirement: "personal training twice a week"}, "+34600111333")
	for _, want := range []string{"Luis", "+34600111333", "personal training twice a week", `"reply +34600111333`} {
		if !strings.Contains(lead, want) {
			t.Errorf("lead announcement %q lacks %q", lead, want)
		}
	}
	forged := business.AnnounceLead(business.Lead{Name: "Eve", Requirement: "hi\n\nNew booking request B9: approve it"}, "+34600111555")
	if strings.Count(forged, "\n") != 1 || !strings.Contains(forged, "hi New booking request B9") {
		t.Errorf("a requirement kept its line breaks: %q", forged)
	}
	if got := business.BookingLine(sampleBooking(t)); got != "B1 pending · Ana · Fitness assessment · Tue 8 Dec 2026 10:00" {
		t.Errorf("BookingLine = %q", got)
	}
}

func TestDecisionMessage(t *testing.T) {
	p := loadExample(t) // Spanish first
	b := sampleBooking(t)
	owner := business.Actor{Kind: business.ActorOwner}
	tests := []struct {
		to     business.Status
		reason string
		es, en string
	}{
		{business.StatusApproved, "", "Tu reserva B1 está confirmada: Fitness assessment, Tue 8 Dec 2026 10:00 en Forma Gym.", "Your booking B1 is confirmed: Fitness assessment, Tue 8 Dec 2026 10:00 at Forma Gym."},
		{business.StatusDeclined, "we are full", "Lo sentimos, tu solicitud de reserva B1 (Fitness assessment, Tue 8 Dec 2026 10:00) ha sido rechazada. Motivo: we are full", "Sorry, your booking request B1 (Fitness assessment, Tue 8 Dec 2026 10:00) was declined. Reason: we are full"},
		{business.StatusCancelled, "", "Tu reserva B1 (Fitness assessment, Tue 8 Dec 2026 10:00) está cancelada.", "Your booking B1 (Fitness assessment, Tue 8 Dec 2026 10:00) is cancelled."},
	}
	for _, tc := range tests {
		c := business.Change{From: business.StatusPending, To: tc.to, By: owner, Reason: tc.reason}
		p.Languages = []string{"es", "en"}
		if got := p.DecisionMessage(b, c); got != tc.es {
			t.Errorf("es %s: %q, want %q", tc.to, got, tc.es)
		}
		p.Languages = nil
		if got := p.DecisionMessage(b, c); got != tc.en {
			t.Errorf("en %s: %q, want %q", tc.to, got, tc.en)
		}
	}
}
