package business_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

// A business file is YAML; a mistake is reported with its line and field.
func ExampleParse() {
	_, err := business.Parse("shop.yaml", []byte(`name: Corner Barber
timezone: Europe/Madrid
hours:
  mon: ["09:00-14:00", "13:00-20:00"]
  tue: ["09:00-25:00"]
services:
  - {name: Haircut, duration: 30 minutes}
`))
	fmt.Println(err)
	// Output:
	// shop.yaml:4: hours.mon: ranges 09:00-14:00 and 13:00-20:00 overlap
	// shop.yaml:5: hours.tue[0]: "25:00" is not a time of day (hours 00-23, minutes 00-59, or 24:00 for midnight at the end of the day)
	// shop.yaml:7: services[0].duration: "30 minutes" is not a duration (want something like 90m, 2h or 60d)
}

// The model proposes a booking; the rules decide. A refusal says why in
// words a customer understands and offers the nearest free times.
func ExampleProfile_Check() {
	p, err := business.Load("../examples/business/gym.yaml")
	if err != nil {
		panic(err)
	}
	madrid := p.Location
	now := time.Date(2026, time.December, 6, 16, 0, 0, 0, madrid) // Sunday afternoon

	slot, err := p.Check(now, business.Request{Service: "fitness assessment", Start: "2026-12-08T10:00"}, nil)
	fmt.Println(slot.Service, slot.Start.Format(time.RFC3339), err)

	taken := []business.Slot{slot} // now a pending booking holds the only place
	for _, start := range []string{"2026-12-08T10:30", "2026-12-11T14:30", "2026-12-05T03:00", "next tuesday"} {
		_, err := p.Check(now, business.Request{Service: "Fitness assessment", Start: start}, taken)
		var r *business.Refusal
		if errors.As(err, &r) {
			fmt.Printf("%s: %s\n", r.Reason, r)
		}
	}
	// Output:
	// Fitness assessment 2026-12-08T10:00:00+01:00 <nil>
	// full: Fitness assessment is fully booked on Tuesday 8 December 2026 at 10:30. Nearest free times: Tue 8 Dec 2026 09:00 (2026-12-08T09:00:00+01:00), Tue 8 Dec 2026 11:00 (2026-12-08T11:00:00+01:00), Tue 8 Dec 2026 11:30 (2026-12-08T11:30:00+01:00)
	// across_closing: a Fitness assessment of 1 hour starting at 14:30 would end after closing time (15:00). Nearest free times: Fri 11 Dec 2026 13:00 (2026-12-11T13:00:00+01:00), Fri 11 Dec 2026 13:30 (2026-12-11T13:30:00+01:00), Fri 11 Dec 2026 14:00 (2026-12-11T14:00:00+01:00)
	// past: Saturday 5 December 2026 at 03:00 has already passed. Nearest free times: Mon 7 Dec 2026 07:00 (2026-12-07T07:00:00+01:00), Mon 7 Dec 2026 07:30 (2026-12-07T07:30:00+01:00), Mon 7 Dec 2026 08:00 (2026-12-07T08:00:00+01:00)
	// bad_time: the start time "next tuesday" is not a date and time (want 2026-12-08T10:00 in the business's time zone, or RFC 3339 with an offset)
}

// Free start times for a service on a date, as check_availability gives
// them.
func ExampleProfile_Free() {
	p, err := business.Load("../examples/business/gym.yaml")
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, time.December, 12, 9, 0, 0, 0, p.Location) // Saturday 09:00
	free, err := p.Free(now, "Trial class", business.DateOf(now), nil)
	if err != nil {
		panic(err)
	}
	for _, t := range free {
		fmt.Print(t.Format("15:04"), " ")
	}
	fmt.Println()
	// Output:
	// 11:00 11:30 12:00 12:30 13:00
}

// When no model is available, a message that closely matches an approved
// question gets its answer; anything else gets the fallback.
func ExampleFAQMatcher() {
	m := business.NewFAQMatcher([]business.FAQ{
		{Q: "What are your opening hours?", A: "Mon-Fri 7:00-22:00, Sat 9:00-14:00."},
		{Q: "¿Cuánto cuesta la cuota?", A: "39 EUR al mes."},
	})
	for _, msg := range []string{"when are you open?", "CUANTO VALE LA CUOTA", "are you open on Christmas?"} {
		if faq, ok := m.Match(msg); ok {
			fmt.Printf("%q → %s\n", msg, faq.A)
		} else {
			fmt.Printf("%q → (fallback)\n", msg)
		}
	}
	// Output:
	// "when are you open?" → Mon-Fri 7:00-22:00, Sat 9:00-14:00.
	// "CUANTO VALE LA CUOTA" → 39 EUR al mes.
	// "are you open on Christmas?" → (fallback)
}

// Owner commands are recognized before any model; other text is not a
// command.
func ExampleParseCommand() {
	for _, msg := range []string{"approve b12", "Decline 12 we are full that day", "pause +34 600 111 222", "reply +34600111222 See you at 10!", "approve the Tuesday one"} {
		cmd, ok := business.ParseCommand(msg)
		if !ok {
			fmt.Printf("%q: not a command\n", msg)
			continue
		}
		fmt.Printf("%q: %s ref=%v thread=%q text=%q\n", msg, cmd.Verb, cmd.Ref, cmd.Thread, cmd.Text)
	}
	// Output:
	// "approve b12": approve ref=B12 thread="" text=""
	// "Decline 12 we are full that day": decline ref=B12 thread="" text="we are full that day"
	// "pause +34 600 111 222": pause ref=B0 thread="whatsapp:+34600111222" text=""
	// "reply +34600111222 See you at 10!": reply ref=B0 thread="whatsapp:+34600111222" text="See you at 10!"
	// "approve the Tuesday one": not a command
}

// Every status change is validated and recorded with who, when and why.
func ExampleTransition() {
	owner := business.Actor{Kind: business.ActorOwner, ID: "whatsapp:+34600000001"}
	at := time.Date(2026, time.December, 6, 18, 0, 0, 0, time.UTC)
	c, err := business.Transition(12, business.StatusPending, business.StatusApproved, owner, at, "")
	fmt.Println(c.From, "→", c.To, "by", c.By, "at", c.At.Format(time.RFC3339), err)
	_, err = business.Transition(12, business.StatusDeclined, business.StatusApproved, owner, at, "")
	fmt.Println(err)
	// Output:
	// pending → approved by owner whatsapp:+34600000001 at 2026-12-06T18:00:00Z <nil>
	// B12 is already declined and cannot be approved
}
