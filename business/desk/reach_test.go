package desk_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/migrations"
)

// templated is the outbox of several processes (one map, keyed as the
// real outbox: one message per thread and key) that also carries
// templates; calls counts every send, duplicates included.
type templated struct {
	mu    sync.Mutex
	sent  map[[2]string]string
	tpl   map[[2]string]string // key → content SID + " " + variables
	calls atomic.Int32
}

func (o *templated) Notify(ctx context.Context, thread, key, text string) error {
	return o.NotifyTemplate(ctx, thread, key, text, "", "")
}

func (o *templated) NotifyTemplate(_ context.Context, thread, key, text, sid, vars string) error {
	o.calls.Add(1)
	o.mu.Lock()
	defer o.mu.Unlock()
	k := [2]string{thread, key}
	if _, dup := o.sent[k]; !dup {
		o.sent[k] = text
		o.tpl[k] = strings.TrimSpace(sid + " " + vars)
	}
	return nil
}

func (o *templated) keys(prefix string) []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []string
	for k := range o.sent {
		if strings.HasPrefix(k[1], prefix) {
			out = append(out, k[1])
		}
	}
	return out
}

// reachEnv is a front desk on a database, with a clock the test moves;
// desk() returns another process's desk on the same database.
type reachEnv struct {
	db      *sql.DB
	dialect migrations.Dialect
	s       *bizstore.Store
	p       *business.Profile
	out     *templated
	clock   *atomic.Pointer[time.Time]
}

func (e *reachEnv) desk() *desk.Desk {
	return &desk.Desk{Store: e.s, Notifier: e.out, Reminder: 48 * time.Hour,
		Templates: desk.Templates{BookingUpdate: "HXupdate", BookingReminder: "HXreminder"}}
}

func (e *reachEnv) set(t time.Time) { e.clock.Store(&t) }

func eachReach(t *testing.T, fn func(t *testing.T, e *reachEnv)) {
	run := func(t *testing.T, db *sql.DB, dialect migrations.Dialect) {
		clock := &atomic.Pointer[time.Time]{}
		s, err := bizstore.New(db, dialect, bizstore.WithClock(func() time.Time { return *clock.Load() }))
		if err != nil {
			t.Fatal(err)
		}
		e := &reachEnv{db: db, dialect: dialect, s: s, clock: clock, out: &templated{sent: map[[2]string]string{}, tpl: map[[2]string]string{}}}
		e.set(time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC))
		data, _ := os.ReadFile("../../examples/business/gym.yaml")
		if _, e.p, err = s.Import(context.Background(), "gym.yaml", data); err != nil {
			t.Fatal(err)
		}
		fn(t, e)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, sqlstoretest.OpenSQLite(t), migrations.SQLite) })
	t.Run("postgres", func(t *testing.T) { run(t, sqlstoretest.OpenPostgres(t), migrations.Postgres) })
}

// request books start (wall time in Madrid) for thread, requested now.
func (e *reachEnv) request(t *testing.T, thread, start, source string) business.Booking {
	t.Helper()
	b, _, err := e.s.RequestBooking(context.Background(), e.p, *e.clock.Load(), bizstore.NewBooking{
		Thread: thread, CustomerName: "Ana", Service: "Fitness assessment", Start: start, RequestedTime: "Monday", Source: source})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *reachEnv) decide(t *testing.T, ref business.Ref, to business.Status) desk.Decision {
	t.Helper()
	dec, err := e.desk().Decide(context.Background(), ref, to, business.Actor{Kind: business.ActorOwner, ID: owner}, "")
	if err != nil {
		t.Fatal(err)
	}
	return dec
}

func (e *reachEnv) booking(t *testing.T, ref business.Ref) business.Booking {
	t.Helper()
	b, err := e.s.Booking(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReminderOnceAtLocalTime: with BOOKING_REMINDER=48h, a booking on
// Monday 30 March 2026 at 10:00 in Madrid (summer time began on the
// Sunday) is reminded on Saturday at 10:00 local (09:00 UTC, winter
// time), not 48 elapsed hours before (08:00 UTC); two processes ticking
// at once and a restart send it once, as the approved template with its
// variables.
func TestReminderOnceAtLocalTime(t *testing.T) {
	eachReach(t, func(t *testing.T, e *reachEnv) {
		ctx := context.Background()
		b := e.request(t, ana, "2026-03-30T10:00", "twilio:SM1")
		e.decide(t, b.Ref, business.StatusApproved)

		early := time.Date(2026, 3, 28, 8, 59, 0, 0, time.UTC) // 48h before was 08:00 UTC
		if n, err := e.desk().Remind(ctx, early); n != 0 || err != nil {
			t.Fatalf("Remind at 09:59 local = %d, %v; want nothing yet", n, err)
		}
		due := time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)
		e.set(due)
		var wg sync.WaitGroup
		var total atomic.Int32
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := e.desk().Remind(ctx, due)
				if err != nil {
					t.Error(err)
				}
				total.Add(int32(n))
			}()
		}
		wg.Wait()
		if total.Load() != 1 || e.out.calls.Load() != 2 { // the approval's notice and one reminder
			t.Fatalf("4 processes settled %d reminders, %d sends; want 1 and 2", total.Load(), e.out.calls.Load())
		}
		// A restart, later the same day: nothing again.
		if n, err := e.desk().Remind(ctx, due.Add(3*time.Hour)); n != 0 || err != nil {
			t.Fatalf("after a restart: %d, %v", n, err)
		}
		keys := e.out.keys("reminder:")
		if len(keys) != 1 {
			t.Fatalf("reminders %q", keys)
		}
		k := [2]string{ana, keys[0]}
		if !strings.Contains(e.out.sent[k], "B1") || !strings.Contains(e.out.sent[k], "Mon 30 Mar 2026 10:00") {
			t.Errorf("reminder text %q", e.out.sent[k])
		}
		sid, vars, _ := strings.Cut(e.out.tpl[k], " ")
		var v map[string]string
		if err := json.Unmarshal([]byte(vars), &v); err != nil || sid != "HXreminder" ||
			v["1"] != "Ana" || v["2"] != "Fitness assessment" || v["3"] != "Mon 30 Mar 2026 10:00" || v["4"] != "confirmed" {
			t.Errorf("template %q %q: %v", sid, vars, err)
		}
		if got := e.booking(t, b.Ref); got.Reminder != business.ReminderSent {
			t.Errorf("booking reminder = %q %q", got.Reminder, got.ReminderReason)
		}
	})
}

// TestReminderOutcomes: no reminder for a declined booking, one cancelled
// after approval, or before the reminder time; a customer who opted out is
// not reminded (and the booking says why); a booking moved after its
// reminder was scheduled is reminded for its new time only; one approved
// after its reminder time is not reminded.
func TestReminderOutcomes(t *testing.T) {
	eachReach(t, func(t *testing.T, e *reachEnv) {
		ctx := context.Background()
		const bea, cai, dan, eva = "whatsapp:+34600000011", "whatsapp:+34600000012", "whatsapp:+34600000013", "whatsapp:+34600000014"
		declined := e.request(t, ana, "2026-03-30T10:00", "twilio:D")
		e.decide(t, declined.Ref, business.StatusDeclined)
		cancelled := e.request(t, bea, "2026-03-30T11:00", "twilio:C")
		e.decide(t, cancelled.Ref, business.StatusApproved)
		e.decide(t, cancelled.Ref, business.StatusCancelled)
		optedOut := e.request(t, cai, "2026-03-30T12:00", "twilio:O")
		e.decide(t, optedOut.Ref, business.StatusApproved)
		if err := e.s.SetOptOut(ctx, cai, true); err != nil {
			t.Fatal(err)
		}
		moved := e.request(t, dan, "2026-03-30T13:00", "twilio:M")
		e.decide(t, moved.Ref, business.StatusApproved)

		// Moved to Wednesday before its reminder time (an edit in the
		// database: the console's and a future command's way).
		newStart := time.Date(2026, 4, 1, 13, 0, 0, 0, e.p.Location)
		e.move(t, moved.Ref, newStart)

		sat := time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
		e.set(sat)
		if n, err := e.desk().Remind(ctx, sat); n != 1 || err != nil {
			t.Fatalf("Saturday: settled %d, %v; want the opted-out one only", n, err)
		}
		if got := e.out.keys("reminder:"); len(got) != 0 {
			t.Fatalf("reminders sent %q", got)
		}
		if got := e.booking(t, optedOut.Ref); got.Reminder != business.ReminderNotSent || got.ReminderReason != desk.ReasonOptedOut {
			t.Errorf("opted out: %q %q", got.Reminder, got.ReminderReason)
		}
		// Monday at 13:00 local: Wednesday's reminder.
		mon := time.Date(2026, 3, 30, 11, 0, 0, 0, time.UTC)
		e.set(mon)
		if n, err := e.desk().Remind(ctx, mon); n != 1 || err != nil {
			t.Fatalf("Monday: settled %d, %v", n, err)
		}
		if got := e.out.keys("reminder:"); len(got) != 1 || !strings.Contains(e.out.sent[[2]string{dan, got[0]}], "Wed 1 Apr 2026 13:00") {
			t.Fatalf("moved booking's reminder: %q", got)
		}
		for _, b := range []business.Booking{declined, cancelled} {
			if got := e.booking(t, b.Ref); got.Reminder != "" {
				t.Errorf("%s (%s) has reminder %q", b.Ref, got.Status, got.Reminder)
			}
		}

		// Booked and approved the day before: the confirmation is the
		// reminder.
		late := e.request(t, eva, "2026-03-31T10:00", "twilio:L")
		e.decide(t, late.Ref, business.StatusApproved)
		if n, err := e.desk().Remind(ctx, mon.Add(time.Minute)); n != 1 || err != nil {
			t.Fatalf("late approval: %d, %v", n, err)
		}
		if got := e.booking(t, late.Ref); got.Reminder != business.ReminderNotSent || !strings.Contains(got.ReminderReason, "confirmation") {
			t.Errorf("late approval: %q %q", got.Reminder, got.ReminderReason)
		}
		if got := e.out.keys("reminder:"); len(got) != 1 {
			t.Errorf("reminders %q", got)
		}
	})
}

// TestNoticeSurvivesACrash: a decision is committed with its notice due;
// when the process stops before recording the notice, the periodic tick
// tells the customer, once.
func TestNoticeSurvivesACrash(t *testing.T) {
	eachReach(t, func(t *testing.T, e *reachEnv) {
		ctx := context.Background()
		b := e.request(t, ana, "2026-03-30T10:00", "twilio:SM1")
		// The decision, as Decide makes it, then the crash.
		if _, _, err := e.s.SetStatus(ctx, b.Ref, business.StatusApproved, business.Actor{Kind: business.ActorOwner, ID: owner}, ""); err != nil {
			t.Fatal(err)
		}
		if got := e.booking(t, b.Ref); got.Notice != business.NoticeDue {
			t.Fatalf("notice after the decision = %q, want due", got.Notice)
		}
		now := *e.clock.Load()
		if n, err := e.desk().Redeliver(ctx, now); n != 0 || err != nil {
			t.Fatalf("within the grace period: %d, %v", n, err)
		}
		for range 2 {
			if err := e.desk().Tick(ctx, now.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if e.out.calls.Load() != 1 || e.out.sent[[2]string{ana, "booking:B1:approved"}] == "" {
			t.Fatalf("sent %v in %d calls", e.out.sent, e.out.calls.Load())
		}
		if got := e.booking(t, b.Ref); got.Notice != business.NoticeSent {
			t.Fatalf("notice = %q", got.Notice)
		}
		// A customer's own cancellation is not told back to them.
		b2 := e.request(t, ana, "2026-03-31T10:00", "twilio:SM2")
		if _, _, err := e.s.SetStatus(ctx, b2.Ref, business.StatusCancelled, business.Actor{Kind: business.ActorCustomer, ID: ana}, ""); err != nil {
			t.Fatal(err)
		}
		if got := e.booking(t, b2.Ref); got.Notice != "" {
			t.Fatalf("customer's cancellation: notice %q", got.Notice)
		}
	})
}

// TestLateFailureIsRecorded: a channel's permanent failure reported after
// the notice was handed over marks it not sent, with the reason; a report
// on an older decision's notice does not overwrite the newer one.
func TestLateFailureIsRecorded(t *testing.T) {
	eachReach(t, func(t *testing.T, e *reachEnv) {
		ctx := context.Background()
		b := e.request(t, ana, "2026-03-30T10:00", "twilio:SM1")
		if dec := e.decide(t, b.Ref, business.StatusApproved); !dec.Told {
			t.Fatalf("decision %+v", dec)
		}
		d := e.desk()
		if err := d.Failed(ctx, "booking:B1:approved", "outside WhatsApp's 24-hour window"); err != nil {
			t.Fatal(err)
		}
		if got := e.booking(t, b.Ref); got.Notice != business.NoticeNotSent || got.NoticeReason != "outside WhatsApp's 24-hour window" {
			t.Fatalf("notice %q %q", got.Notice, got.NoticeReason)
		}
		e.decide(t, b.Ref, business.StatusCancelled)
		for _, key := range []string{"booking:B1:approved", "booking:B1:new", "turn:12", "reminder:B9:x"} {
			if err := d.Failed(ctx, key, "late"); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
		if got := e.booking(t, b.Ref); got.Notice != business.NoticeSent {
			t.Fatalf("the cancellation's notice = %q %q", got.Notice, got.NoticeReason)
		}
		var rec business.BookingRecord = e.booking(t, b.Ref).Record(e.p.Location)
		if rec.Notice != "sent" {
			t.Fatalf("record %+v", rec)
		}
	})
}

// move changes a booking's time in the database.
func (e *reachEnv) move(t *testing.T, ref business.Ref, start time.Time) {
	t.Helper()
	var a, b any = start.UTC(), start.Add(time.Hour).UTC()
	if e.dialect == migrations.SQLite {
		const layout = "2006-01-02T15:04:05.000000000Z"
		a, b = start.UTC().Format(layout), start.Add(time.Hour).UTC().Format(layout)
	}
	if _, err := e.db.ExecContext(context.Background(), `UPDATE bookings SET start_at = $2, end_at = $3 WHERE id = $1`, int64(ref), a, b); err != nil {
		t.Fatal(err)
	}
}
