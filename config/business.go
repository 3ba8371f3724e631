package config

import "time"

// Business is the front desk's settings. With no BUSINESS_FILE the
// deployment is a business only when a profile was imported before (by
// `assistant business import`); without any profile nothing changes.
type Business struct {
	// File is the YAML business profile imported at start-up when its
	// content changed since the last import (BUSINESS_FILE).
	File string
	// Reminder is how long before an approved booking its customer is
	// reminded; 0 disables reminders (BOOKING_REMINDER).
	Reminder time.Duration
	// HandoffTimeout gives a thread handed to a human back to the
	// assistant after this long without an owner reply (HANDOFF_TIMEOUT).
	HandoffTimeout time.Duration
	// ContentSIDBookingUpdate and ContentSIDBookingReminder are approved
	// WhatsApp templates used outside the 24-hour window
	// (TWILIO_CONTENT_SID_BOOKING_UPDATE, TWILIO_CONTENT_SID_BOOKING_REMINDER).
	ContentSIDBookingUpdate   string
	ContentSIDBookingReminder string
}

func (p *parser) business() Business {
	return Business{
		File:                      p.raw("BUSINESS_FILE"),
		Reminder:                  p.duration("BOOKING_REMINDER", 24*time.Hour),
		HandoffTimeout:            p.duration("HANDOFF_TIMEOUT", 24*time.Hour),
		ContentSIDBookingUpdate:   p.raw("TWILIO_CONTENT_SID_BOOKING_UPDATE"),
		ContentSIDBookingReminder: p.raw("TWILIO_CONTENT_SID_BOOKING_REMINDER"),
	}
}
