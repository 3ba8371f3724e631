package business

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Profile is a business as its front desk knows it. Build one with
// [Parse] or [Load], which validate it; the methods assume a valid
// profile.
type Profile struct {
	Name        string
	Category    string
	Description string
	Address     string
	// Phone and Website are optional contact details the assistant may
	// give out.
	Phone   string
	Website string
	// Location is the business's time zone; hours, closed dates and wall
	// times are read in it.
	Location *time.Location
	// Languages are the languages the business answers in (BCP 47 codes
	// such as "es", "en"), preferred first.
	Languages []string
	// Greeting is how the assistant introduces itself.
	Greeting string
	// Hours are the regular opening hours.
	Hours Week
	// Closed are dated exceptions: the business is closed all day.
	Closed []Date
	// Booking holds the booking rules and the service defaults.
	Booking Rules
	// Services are what customers can book. With none, bookings are for a
	// single unnamed service with the Booking defaults.
	Services []Service
	// FAQs are the owner-approved questions and answers.
	FAQs []FAQ
}

// Rules are the booking rules.
type Rules struct {
	// MinNotice is how far ahead a booking must start.
	MinNotice time.Duration
	// Horizon is how far ahead a booking may start.
	Horizon time.Duration
	// Duration and Capacity are the defaults of a service that sets
	// neither: its length and how many bookings may overlap.
	Duration time.Duration
	Capacity int
	// SlotStep is the spacing of the start times availability offers
	// (default 30 minutes); a request may still start at any minute.
	SlotStep time.Duration
}

// Service is something a customer can book.
type Service struct {
	Name     string
	Duration time.Duration
	// Capacity is how many bookings of this service may overlap.
	Capacity int
	// Price is the price as the owner wrote it ("30 EUR"); empty means the
	// assistant must not state one.
	Price string
	// Description is optional.
	Description string
}

// FAQ is an approved question and its answer.
type FAQ struct {
	Q string
	A string
}

// Default values of the booking rules.
const (
	DefaultMinNotice = 2 * time.Hour
	DefaultHorizon   = 60 * Day
	DefaultDuration  = time.Hour
	DefaultCapacity  = 1
	DefaultSlotStep  = 30 * time.Minute
)

// DefaultServiceName names the single service of a business that lists
// none.
const DefaultServiceName = "Appointment"

// OpenOn returns the opening ranges of date d: none on a closed date or a
// closed weekday.
func (p *Profile) OpenOn(d Date) []Range {
	if p.IsClosedDate(d) {
		return nil
	}
	return p.Hours[d.Weekday()]
}

// IsClosedDate reports whether d is one of the dated exceptions.
func (p *Profile) IsClosedDate(d Date) bool { return slices.Contains(p.Closed, d) }

// ServiceList returns the bookable services: the profile's, or the single
// default service when it lists none.
func (p *Profile) ServiceList() []Service {
	if len(p.Services) > 0 {
		return p.Services
	}
	return []Service{{Name: DefaultServiceName, Duration: p.Booking.Duration, Capacity: p.Booking.Capacity}}
}

// Service finds a service by name, ignoring case, accents and surrounding
// space. An empty name means the only service when there is exactly one.
// Otherwise the error is a *Refusal with [ReasonUnknownService] listing the
// services.
func (p *Profile) Service(name string) (Service, error) {
	list := p.ServiceList()
	key := fold(strings.TrimSpace(name))
	if key == "" && len(list) == 1 {
		return list[0], nil
	}
	for _, s := range list {
		if fold(s.Name) == key {
			return s, nil
		}
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.Name
	}
	msg := fmt.Sprintf("there is no service called %s; the services are: %s", quote(name), strings.Join(names, ", "))
	if key == "" {
		msg = "please say which service: " + strings.Join(names, ", ")
	}
	return Service{}, &Refusal{Reason: ReasonUnknownService, Message: msg}
}

// quote writes s in double quotes for a message, shortened to 60 runes.
func quote(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
