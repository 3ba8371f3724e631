package business

import (
	"fmt"
	"time"
)

// ReminderMessage is the customer's reminder of an approved booking, in
// the business's first language when it is Spanish, in English otherwise.
func (p *Profile) ReminderMessage(b Booking) string {
	es := len(p.Languages) > 0 && p.Languages[0] == "es"
	return fmt.Sprintf(pick(es,
		"Reminder from %s: your %s (%s) is on %s. If you can no longer come, just tell me and I'll cancel it.",
		"Recordatorio de %s: tu %s (%s) es el %s. Si ya no puedes venir, dímelo y la cancelo."),
		p.Name, b.Service, b.Ref, localWhen(b.Start))
}

// TemplateVariables are the variables of the approved WhatsApp templates
// for booking updates and reminders (DESIGN.md): "1" the customer's name,
// "2" the service, "3" the local date and time, "4" the status as the
// customer reads it. b's times must be in the business's zone.
func TemplateVariables(b Booking, status Status) map[string]string {
	word := string(status)
	if status == StatusApproved {
		word = "confirmed"
	}
	return map[string]string{
		"1": oneLine(nameOr(b.CustomerName, "there")),
		"2": b.Service,
		"3": localWhen(b.Start),
		"4": word,
	}
}

// RemindAt is when the reminder of a booking starting at start is due,
// lead before it. Whole days of lead are calendar days in loc: a 24h
// reminder comes at the same wall-clock time the day before, also across
// a daylight-saving change (when 24 elapsed hours would be an hour off);
// the rest of lead is elapsed time.
func RemindAt(start time.Time, lead time.Duration, loc *time.Location) time.Time {
	days := int(lead / Day)
	rest := lead - time.Duration(days)*Day
	return start.In(loc).AddDate(0, 0, -days).Add(-rest)
}
