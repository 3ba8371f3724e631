package business

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// BookingRecord is a booking as `assistant bookings list --json` prints
// it (the field names are fixed by the Wave 2 contract). Times are RFC 3339
// with the business's offset.
type BookingRecord struct {
	Ref             string `json:"ref"`
	Status          string `json:"status"`
	CustomerName    string `json:"customer_name"`
	Thread          string `json:"thread"`
	Service         string `json:"service"`
	RequestedTime   string `json:"requested_time"`
	Start           string `json:"start"`
	End             string `json:"end"`
	SourceMessageID string `json:"source_message_id"`
	CreatedAt       string `json:"created_at"`
	// Notice and NoticeReason say whether the customer was told of the
	// latest decision ("sent", "not_sent" and why).
	Notice       string `json:"notice,omitempty"`
	NoticeReason string `json:"notice_reason,omitempty"`
	// Reminder and ReminderReason say whether the reminder went out
	// ("sent", "not_sent" and why).
	Reminder       string `json:"reminder,omitempty"`
	ReminderReason string `json:"reminder_reason,omitempty"`
}

// Record returns the booking as a BookingRecord, with times in loc.
func (b Booking) Record(loc *time.Location) BookingRecord {
	b = b.In(loc)
	return BookingRecord{
		Ref: b.Ref.String(), Status: string(b.Status), CustomerName: b.CustomerName, Thread: b.Thread,
		Service: b.Service, RequestedTime: b.RequestedTime,
		Start: b.Start.Format(time.RFC3339), End: b.End.Format(time.RFC3339),
		SourceMessageID: b.SourceMessageID, CreatedAt: b.CreatedAt.Format(time.RFC3339),
		Notice: b.Notice, NoticeReason: b.NoticeReason,
		Reminder: b.Reminder, ReminderReason: b.ReminderReason,
	}
}

// WriteLeadsCSV writes leads as CSV (`assistant leads list --csv`), with a
// header row and times in loc. What customers wrote (name, requirement) is
// neutralized for spreadsheets: a cell that would start a formula (=, +,
// -, @) gets a leading apostrophe.
func WriteLeadsCSV(w io.Writer, leads []Lead, loc *time.Location) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "created_at", "name", "thread", "requirement", "source_message_id"}); err != nil {
		return fmt.Errorf("business: leads csv: %w", err)
	}
	for _, l := range leads {
		row := []string{strconv.FormatInt(l.ID, 10), l.CreatedAt.In(loc).Format(time.RFC3339), spreadsheetSafe(l.Name), l.Thread, spreadsheetSafe(l.Requirement), l.SourceMessageID}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("business: leads csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("business: leads csv: %w", err)
	}
	return nil
}

// spreadsheetSafe keeps a cell from being read as a formula.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
