// Package business is the domain core of Switchboard's business front desk:
// the business profile (hours, services, booking rules, approved FAQs) read
// from a YAML file, the booking rules that decide whether a requested slot
// can be booked, free-slot search, the FAQ matcher that answers when no
// model is available, the owner's WhatsApp commands, the opt-out words and
// the booking status machine.
//
// It depends on no database and no language model: the model proposes
// (a service, a start time, a command), and the functions here decide.
// Around it: business/bizstore keeps the profile, FAQs, bookings, leads
// and opt-outs in SQL (SQLite and Postgres); business/desk runs the owner
// commands and decisions and announces new requests to the owners;
// tools/booking gives customers request_booking, check_availability,
// my_bookings, cancel_my_booking and capture_lead; prompts renders the
// front-desk prompt from [Profile.FrontDeskData].
//
// # Guarantees
//
//   - A [Profile] returned by [Parse] or [Load] is valid: a real IANA zone,
//     well-formed non-overlapping opening ranges, positive durations and
//     capacities, unique service names, non-empty FAQs. A bad file is an
//     error naming the line and the field at fault ([FileError]); unknown
//     fields are errors too.
//   - [Profile.Check] accepts a booking only when it starts in the future by
//     at least the minimum notice, no later than the horizon, on an open day
//     (closed dates honoured), inside one opening range for its whole
//     duration, and with a free place for the service among the
//     overlapping pending and approved bookings it is given. Anything else
//     is a *[Refusal] whose message can be shown to a customer, with the
//     nearest free slots when they help. Making "exactly one wins" atomic
//     for concurrent requests is the store's job: it calls Check inside the
//     transaction that inserts the booking.
//   - [ParseCommand] recognizes only the owner commands of the Wave 2
//     contract; any other text is not a command and goes to the model.
//   - [Transition] permits only pending → approved → completed and
//     pending|approved → declined|cancelled, and records who, when and why.
//
// # Time
//
// Opening hours, closed dates and wall-clock start times are in the
// business's time zone. A wall time that does not exist there (the hour
// skipped when clocks go forward) is refused; a wall time that happens
// twice (the hour repeated when clocks go back) means the first of the two
// instants, the one still on the earlier (summer) offset.
package business
