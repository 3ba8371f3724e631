package business_test

import (
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

func TestTransitions(t *testing.T) {
	all := []business.Status{business.StatusPending, business.StatusApproved, business.StatusCompleted, business.StatusDeclined, business.StatusCancelled}
	allowed := map[[2]business.Status]bool{
		{business.StatusPending, business.StatusApproved}:   true,
		{business.StatusPending, business.StatusDeclined}:   true,
		{business.StatusPending, business.StatusCancelled}:  true,
		{business.StatusApproved, business.StatusCompleted}: true,
		{business.StatusApproved, business.StatusDeclined}:  true,
		{business.StatusApproved, business.StatusCancelled}: true,
	}
	owner := business.Actor{Kind: business.ActorOwner, ID: "whatsapp:+34600000001"}
	at := time.Date(2026, 12, 6, 16, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			c, err := business.Transition(7, from, to, owner, at, "  because  ")
			if allowed[[2]business.Status{from, to}] {
				if err != nil {
					t.Errorf("%s → %s: %v", from, to, err)
					continue
				}
				if c.From != from || c.To != to || c.By != owner || !c.At.Equal(at) || c.Reason != "because" {
					t.Errorf("%s → %s: change = %+v", from, to, c)
				}
				continue
			}
			var te *business.TransitionError
			if !errors.As(err, &te) || te.Ref != 7 {
				t.Errorf("%s → %s: err = %v, want a *TransitionError", from, to, err)
			}
		}
	}
}

func TestTransitionMessages(t *testing.T) {
	owner := business.Actor{Kind: business.ActorOwner}
	tests := []struct {
		from, to business.Status
		want     string
	}{
		{business.StatusDeclined, business.StatusApproved, "B3 is already declined and cannot be approved"},
		{business.StatusApproved, business.StatusApproved, "B3 is already approved"},
		{business.StatusPending, business.StatusCompleted, "B3 is still pending: approve it before completing it"},
		{business.StatusApproved, business.StatusPending, "B3 is approved and cannot become pending"},
	}
	for _, tc := range tests {
		_, err := business.Transition(3, tc.from, tc.to, owner, time.Now(), "")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s → %s: %v, want %q", tc.from, tc.to, err, tc.want)
		}
	}
}

func TestTransitionActors(t *testing.T) {
	customer := business.Actor{Kind: business.ActorCustomer, ID: "whatsapp:+34600111222"}
	if _, err := business.Transition(1, business.StatusPending, business.StatusCancelled, customer, time.Now(), ""); err != nil {
		t.Errorf("a customer may cancel: %v", err)
	}
	for _, to := range []business.Status{business.StatusApproved, business.StatusDeclined} {
		if _, err := business.Transition(1, business.StatusPending, to, customer, time.Now(), ""); err == nil {
			t.Errorf("a customer must not make a booking %s", to)
		}
	}
	if _, err := business.Transition(1, business.StatusPending, business.StatusApproved, business.Actor{Kind: business.ActorSystem}, time.Now(), ""); err == nil {
		t.Error("the assistant must not approve a booking")
	}
	long := make([]rune, 2*business.MaxReasonLength)
	for i := range long {
		long[i] = 'x'
	}
	c, err := business.Transition(1, business.StatusPending, business.StatusDeclined, business.Actor{Kind: business.ActorCLI}, time.Now(), string(long))
	if err != nil || len([]rune(c.Reason)) != business.MaxReasonLength {
		t.Errorf("reason not bounded: %d, %v", len(c.Reason), err)
	}
}

func TestStatus(t *testing.T) {
	for _, s := range []string{"pending", "APPROVED", " completed ", "declined", "cancelled"} {
		if _, err := business.ParseStatus(s); err != nil {
			t.Errorf("ParseStatus(%q): %v", s, err)
		}
	}
	if _, err := business.ParseStatus("canceled"); err == nil {
		t.Error("ParseStatus(canceled) succeeded")
	}
	if !business.StatusPending.Holds() || !business.StatusApproved.Holds() || business.StatusDeclined.Holds() || business.StatusCompleted.Holds() {
		t.Error("only pending and approved bookings hold a place")
	}
}
