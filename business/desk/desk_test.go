package desk_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/migrations"
)

const (
	owner = "whatsapp:+34600000001"
	ana   = "whatsapp:+34600111222"
)

var now = time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)

// outbox records notifications like the real outbox: one per (thread,
// key). fail makes the next sends fail with that reason.
type outbox struct {
	mu   sync.Mutex
	sent map[[2]string]string
	fail string
}

func (o *outbox) Notify(_ context.Context, thread, key, text string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != "" {
		return errors.New(o.fail)
	}
	if o.sent == nil {
		o.sent = map[[2]string]string{}
	}
	if _, dup := o.sent[[2]string{thread, key}]; !dup {
		o.sent[[2]string{thread, key}] = text
	}
	return nil
}

type threads struct{ paused map[string]bool }

func (t *threads) Pause(_ context.Context, th string) error  { t.paused[th] = true; return nil }
func (t *threads) Resume(_ context.Context, th string) error { delete(t.paused, th); return nil }

func each(t *testing.T, fn func(t *testing.T, d *desk.Desk, out *outbox, th *threads, p *business.Profile)) {
	run := func(t *testing.T, db *sql.DB, dialect migrations.Dialect) {
		s, err := bizstore.New(db, dialect, bizstore.WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile("../../examples/business/gym.yaml")
		_, p, err := s.Import(context.Background(), "gym.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		out, th := &outbox{}, &threads{paused: map[string]bool{}}
		fn(t, &desk.Desk{Store: s, Notifier: out, Threads: th}, out, th, p)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, sqlstoretest.OpenSQLite(t), migrations.SQLite) })
	t.Run("postgres", func(t *testing.T) { run(t, sqlstoretest.OpenPostgres(t), migrations.Postgres) })
}

func book(t *testing.T, d *desk.Desk, p *business.Profile, start, source string) business.Booking {
	t.Helper()
	b, _, err := d.Store.RequestBooking(context.Background(), p, now, bizstore.NewBooking{
		Thread: ana, CustomerName: "Ana", Service: "Fitness assessment", Start: start, RequestedTime: "Tuesday at 10", Source: source})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOwnerCommands(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, out *outbox, th *threads, p *business.Profile) {
		ctx := context.Background()
		say := func(text string) string {
			t.Helper()
			reply, ok, err := d.Owner(ctx, owner, "twilio:OWN-"+text, text)
			if err != nil || !ok {
				t.Fatalf("%q: ok=%v err=%v", text, ok, err)
			}
			return reply
		}
		if got := say("bookings"); got != "No bookings are waiting for you." {
			t.Errorf("bookings (none) = %q", got)
		}
		book(t, d, p, "2026-12-08T10:00", "twilio:SM1")
		book(t, d, p, "2026-12-09T10:00", "twilio:SM2")
		if got := say("Bookings"); !strings.Contains(got, "2 waiting:\nB1 pending · Ana · Fitness assessment · Tue 8 Dec 2026 10:00\nB2 pending") {
			t.Errorf("bookings = %q", got)
		}
		if got := say("approve b1"); got != "B1 approved (confirmed): Ana, Fitness assessment, Tue 8 Dec 2026 10:00. The customer has been told." {
			t.Errorf("approve = %q", got)
		}
		if msg := out.sent[[2]string{ana, "booking:B1:approved"}]; msg != "Tu reserva B1 está confirmada: Fitness assessment, Tue 8 Dec 2026 10:00 en Forma Gym." {
			t.Errorf("customer told %q", msg)
		}
		if got := say("approve B1"); got != "B1 is already approved." {
			t.Errorf("approve twice = %q", got)
		}
		if got := say("approve 99"); !strings.Contains(got, "There is no booking B99") {
			t.Errorf("unknown = %q", got)
		}
		if got := say("complete 2"); got != "B2 is still pending: approve it before completing it." {
			t.Errorf("complete pending = %q", got)
		}
		// A decision that cannot reach the customer still stands, and says so.
		out.fail = "outside the 24-hour window and no template is configured"
		if got := say("decline B2 fully booked that day"); !strings.Contains(got, "B2 declined") || !strings.Contains(got, "could not be told (outside the 24-hour window") {
			t.Errorf("decline = %q", got)
		}
		out.fail = ""
		b2, _ := d.Store.Booking(ctx, 2)
		if b2.Status != business.StatusDeclined || b2.Notice != business.NoticeNotSent || !strings.Contains(b2.NoticeReason, "24-hour") ||
			b2.History[1].Reason != "fully booked that day" || b2.History[1].By.ID != owner {
			t.Errorf("B2 = %+v", b2)
		}
		b1, _ := d.Store.Booking(ctx, 1)
		if b1.Notice != business.NoticeSent {
			t.Errorf("B1 notice = %q", b1.Notice)
		}
		if got := say("leads"); got != "No leads yet." {
			t.Errorf("leads = %q", got)
		}
		if _, _, err := d.Store.CaptureLead(ctx, business.Lead{Thread: ana, Name: "Ana", Requirement: "personal training"}); err != nil {
			t.Fatal(err)
		}
		if got := say("leads"); got != "Latest leads:\nAna · +34600111222 · personal training" {
			t.Errorf("leads = %q", got)
		}
		if got := say("pause +34 600 111 222"); !strings.Contains(got, "Paused") || !th.paused[ana] {
			t.Errorf("pause = %q %v", got, th.paused)
		}
		if got := say("resume +34600111222"); !strings.Contains(got, "Resumed") || th.paused[ana] {
			t.Errorf("resume = %q", got)
		}
		if got := say("reply +34600111222 See you Tuesday!"); got != "Sent to +34600111222." {
			t.Errorf("reply = %q", got)
		}
		if msg := out.sent[[2]string{ana, "owner-reply:twilio:OWN-reply +34600111222 See you Tuesday!"}]; msg != "See you Tuesday!" {
			t.Errorf("reply sent %q (%v)", msg, out.sent)
		}
		if got := say("help"); got != business.CommandHelp {
			t.Errorf("help = %q", got)
		}
		if _, ok, _ := d.Owner(ctx, owner, "x", "approve the Tuesday one please"); ok {
			t.Error("natural language is not a command")
		}
	})
}

func TestDecideFromCLI(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, out *outbox, _ *threads, p *business.Profile) {
		b := book(t, d, p, "2026-12-08T10:00", "twilio:SM1")
		cli := business.Actor{Kind: business.ActorCLI, ID: "root"}
		dec, err := d.Decide(context.Background(), b.Ref, business.StatusCancelled, cli, "gym closed for repairs")
		if err != nil || !dec.Told || dec.Booking.Status != business.StatusCancelled {
			t.Fatalf("Decide = %+v, %v", dec, err)
		}
		if msg := out.sent[[2]string{ana, "booking:B1:cancelled"}]; !strings.Contains(msg, "cancelada") || !strings.Contains(msg, "gym closed for repairs") {
			t.Errorf("customer told %q", msg)
		}
		var te *business.TransitionError
		if _, err := d.Decide(context.Background(), b.Ref, business.StatusApproved, cli, ""); !errors.As(err, &te) {
			t.Errorf("approve a cancelled booking: %v", err)
		}
	})
}
