package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/migrations"
)

const updateSID = "HX0123456789abcdef0123456789abcdef"

// TestE2EDecisionOutsideTheWindow: an owner's decision more than 24 hours
// after the customer's last message goes out as the approved template,
// with its variables (the fake Twilio checks ContentSid and the JSON of
// ContentVariables); without a template it is recorded as not sent, with
// the reason, in `bookings list`.
func TestE2EDecisionOutsideTheWindow(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { outsideWindow(t, nil) })
	t.Run("postgres", func(t *testing.T) { outsideWindow(t, map[string]string{"DATABASE_URL": pgtest.URL(t)}) })
}

func outsideWindow(t *testing.T, env map[string]string) {
	day := nextTuesday(t)
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":                     "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS":                  bizOwner,
		"TWILIO_CONTENT_SID_BOOKING_UPDATE": updateSID,
	})
	for k, v := range env {
		e.env[k] = v
	}
	var systems seen
	e.model.Handle(frontDeskModel(e.model, day, &systems))
	e.start()

	post(t, e.addr, text(ana, "Can I book a fitness assessment next Tuesday at 10?"))
	if got := e.repliesWithin(ana, 1, time.Minute); !strings.Contains(got[0], `"ref":"B1"`) {
		t.Fatalf("booking reply = %q", got)
	}
	e.age(t, ana, 25*time.Hour)

	post(t, e.addr, text(bizOwner, "approve B1"))
	if got := e.repliesWithin(bizOwner, 2, time.Minute); !strings.Contains(got[1], "The customer has been told") {
		t.Fatalf("owner reply = %q", got)
	}
	var tpl []string
	deadline := time.Now().Add(time.Minute)
	for len(tpl) == 0 && time.Now().Before(deadline) {
		for _, m := range e.twilio.Messages() {
			if m.To == ana && m.ContentSID != "" {
				v, err := m.Variables()
				if err != nil || m.ContentSID != updateSID || m.Body != "" || v["1"] != "Ana" || v["2"] != "Fitness assessment" ||
					!strings.HasSuffix(v["3"], " 10:00") || v["4"] != "confirmed" {
					t.Fatalf("template message %+v: %v %v", m, v, err)
				}
				tpl = append(tpl, m.ContentVariables)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(tpl) != 1 {
		t.Fatalf("template messages to the customer: %q", tpl)
	}
	if bs := e.bookings(t); bs[0]["notice"] != "sent" {
		t.Fatalf("after the template: %v", bs)
	}

	// The CLI, with no template configured, cancels: the running server's
	// send job finds the window closed and records why.
	delete(e.env, "TWILIO_CONTENT_SID_BOOKING_UPDATE")
	e.cli(t, "bookings", "cancel", "B1", "--reason", "the trainer is ill")
	var bs []map[string]any
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if bs = e.bookings(t); bs[0]["notice"] == "not_sent" {
			break
		}
	}
	if bs[0]["status"] != "cancelled" || bs[0]["notice"] != "not_sent" || !strings.Contains(bs[0]["notice_reason"].(string), "24-hour window") {
		t.Fatalf("bookings list after a cancellation outside the window: %v", bs)
	}
	if list := e.cli(t, "bookings", "list"); !strings.Contains(list, "not_sent (outside WhatsApp's 24-hour window") {
		t.Fatalf("bookings list:\n%s", list)
	}
	for _, m := range e.twilio.Messages() {
		if m.To == ana && strings.Contains(m.Body, "cancel") {
			t.Fatalf("free text sent outside the window: %+v", m)
		}
	}
}

// age moves every message of thread back by d, as if the customer had
// written that long ago.
func (e *e2e) age(t *testing.T, thread string, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	cfg, err := config.Load(envMap(e.env))
	if err != nil {
		t.Fatal(err)
	}
	db, err := openDatabase(ctx, cfg, newLogger(io.Discard, "error", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var at any = time.Now().Add(-d).UTC()
	if db.dialect == migrations.SQLite {
		at = time.Now().Add(-d).UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	if _, err := db.sql.ExecContext(ctx, `UPDATE inbound_messages SET received_at = $2 WHERE thread_id = $1`, thread, at); err != nil {
		t.Fatal(err)
	}
}

// TestE2EReminder: an approved booking's customer is reminded
// BOOKING_REMINDER before it starts, by the server's periodic job through
// the fake Twilio, once; `bookings list` says so.
func TestE2EReminder(t *testing.T) {
	day := nextTuesday(t)
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Fatal(err)
	}
	start, err := time.ParseInLocation("2006-01-02T15:04", day+"T10:00", loc)
	if err != nil {
		t.Fatal(err)
	}
	// The reminder falls due some seconds after the approval: long enough
	// for a loaded machine to book and approve first.
	const after = 40 * time.Second
	lead := start.Sub(time.Now().Add(after)).Truncate(time.Second)
	remindAt := business.RemindAt(start, lead, loc)
	if d := time.Until(remindAt); d < after/2 || d > 2*after {
		t.Skipf("a change of summer time lies between now and %s: the reminder is %s away", day, d)
	}
	e := newE2E(t, map[string]string{
		"BUSINESS_FILE":    "../../examples/business/gym.yaml",
		"ASSISTANT_OWNERS": bizOwner,
		"BOOKING_REMINDER": lead.String(),
	})
	var systems seen
	e.model.Handle(frontDeskModel(e.model, day, &systems))
	e.start()

	post(t, e.addr, text(ana, "Can I book a fitness assessment next Tuesday at 10?"))
	if got := e.repliesWithin(ana, 1, time.Minute); !strings.Contains(got[0], `"ref":"B1"`) {
		t.Fatalf("booking reply = %q", got)
	}
	e.cli(t, "bookings", "approve", "B1")
	if time.Now().After(remindAt) {
		t.Skip("the machine took longer to book than the reminder lead allows")
	}
	if got := e.repliesWithin(ana, 2, time.Minute); !strings.Contains(got[1], "B1") {
		t.Fatalf("confirmation = %q", got)
	}
	if bs := e.bookings(t); bs[0]["reminder"] != nil {
		t.Fatalf("reminded before its time: %v", bs)
	}
	got := e.repliesWithin(ana, 3, after+time.Minute)
	if len(got) < 3 || !strings.Contains(got[2], "Recordatorio") || !strings.Contains(got[2], "B1") {
		t.Fatalf("reminder = %q", got)
	}
	if time.Now().Before(remindAt) {
		t.Fatalf("reminded %s early", time.Until(remindAt))
	}
	time.Sleep(time.Second) // a few more ticks
	if n := len(e.replies(ana, 0)); n != 3 {
		t.Fatalf("customer got %d messages, want 3 (reply, confirmation, one reminder)", n)
	}
	if bs := e.bookings(t); bs[0]["reminder"] != "sent" {
		t.Fatalf("bookings list: %v", bs)
	}
}
