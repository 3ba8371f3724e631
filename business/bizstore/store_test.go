package bizstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/migrations"
)

const exampleFile = "../../examples/business/gym.yaml"

// now is Sunday 6 December 2026, 16:00 in Madrid.
var now = time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)

// each runs fn on a fresh SQLite and a fresh Postgres store with the
// example business imported.
func each(t *testing.T, fn func(t *testing.T, s *bizstore.Store, p *business.Profile, db *sql.DB)) {
	t.Helper()
	run := func(t *testing.T, db *sql.DB, d migrations.Dialect) {
		s, err := bizstore.New(db, d, bizstore.WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(exampleFile)
		if err != nil {
			t.Fatal(err)
		}
		_, p, err := s.Import(context.Background(), "gym.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s, p, db)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, sqlstoretest.OpenSQLite(t), migrations.SQLite) })
	t.Run("postgres", func(t *testing.T) { run(t, sqlstoretest.OpenPostgres(t), migrations.Postgres) })
}

const customer = "whatsapp:+34600111222"

func request(start, source string) bizstore.NewBooking {
	return bizstore.NewBooking{Thread: customer, CustomerName: "Ana", Service: "Fitness assessment", Start: start, RequestedTime: "next Tuesday at 10", Source: source}
}

func TestImport(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		data, _ := os.ReadFile(exampleFile)
		v1, _ := s.Version(ctx)
		// The same file again changes nothing, so FAQ edits stand.
		added, err := s.AddFAQ(ctx, "Do you have towels?", "Yes, 2 EUR.")
		if err != nil {
			t.Fatal(err)
		}
		imported, _, err := s.Import(ctx, "gym.yaml", data)
		if err != nil || imported {
			t.Fatalf("re-import of the same file: imported=%v, %v", imported, err)
		}
		got, err := s.Profile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.FAQs) != len(p.FAQs)+1 || got.FAQs[len(got.FAQs)-1].Q != "Do you have towels?" {
			t.Errorf("faqs after add = %d", len(got.FAQs))
		}
		if v2, _ := s.Version(ctx); v2 <= v1 {
			t.Errorf("version %d after an FAQ edit, was %d", v2, v1)
		}
		if err := s.RemoveFAQ(ctx, added.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveFAQ(ctx, added.ID); !errors.Is(err, bizstore.ErrNotFound) {
			t.Errorf("second remove: %v", err)
		}
		// The stored profile equals the file's.
		got, _ = s.Profile(ctx)
		a, _ := got.YAML()
		b, _ := p.YAML()
		if string(a) != string(b) {
			t.Errorf("stored profile differs:\n%s\nwant\n%s", a, b)
		}
		if imported, _, err := s.ImportFile(ctx, exampleFile); err != nil || imported {
			t.Errorf("ImportFile of the same file: %v %v", imported, err)
		}
		if _, _, err := s.ImportFile(ctx, "missing.yaml"); err == nil {
			t.Error("ImportFile of a missing file succeeded")
		}
		// A changed file is imported; a bad one changes nothing.
		changed := strings.Replace(string(data), "name: Forma Gym", "name: Forma Gym Centro", 1)
		if imported, p2, err := s.Import(ctx, "gym.yaml", []byte(changed)); err != nil || !imported || p2.Name != "Forma Gym Centro" {
			t.Fatalf("changed file: %v %v", imported, err)
		}
		_, _, err = s.Import(ctx, "gym.yaml", []byte(strings.Replace(changed, "Europe/Madrid", "Europe/Nowhere", 1)))
		var fe *business.FileError
		if !errors.As(err, &fe) || fe.Field != "timezone" {
			t.Fatalf("bad file: %v", err)
		}
		if got, _ := s.Profile(ctx); got.Name != "Forma Gym Centro" {
			t.Errorf("a bad file changed the profile: %s", got.Name)
		}
	})
}

func TestNoProfile(t *testing.T) {
	s, err := bizstore.New(sqlstoretest.OpenSQLite(t), migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profile(context.Background()); !errors.Is(err, bizstore.ErrNoProfile) {
		t.Errorf("Profile = %v", err)
	}
	if _, err := s.AddFAQ(context.Background(), "q", "a"); !errors.Is(err, bizstore.ErrNoProfile) {
		t.Errorf("AddFAQ without a profile = %v", err)
	}
	if v, err := s.Version(context.Background()); v != 0 || err != nil {
		t.Errorf("Version = %d, %v", v, err)
	}
	if _, err := bizstore.New(nil, "oracle"); err == nil {
		t.Error("an unknown dialect should be refused")
	}
}

func TestRequestBooking(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		b, created, err := s.RequestBooking(ctx, p, now, request("2026-12-08T10:00", "twilio:SM1"))
		if err != nil || !created {
			t.Fatalf("RequestBooking: %v, created=%v", err, created)
		}
		if b.Ref != 1 || b.Status != business.StatusPending || b.Service != "Fitness assessment" || b.CustomerName != "Ana" ||
			!b.Start.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) || b.SourceMessageID != "twilio:SM1" || b.RequestedTime != "next Tuesday at 10" {
			t.Errorf("booking = %+v", b)
		}
		if len(b.History) != 1 || b.History[0].To != business.StatusPending || b.History[0].By.Kind != business.ActorCustomer {
			t.Errorf("history = %+v", b.History)
		}
		// A replayed call (same source message) returns the same booking.
		again, created, err := s.RequestBooking(ctx, p, now, request("2026-12-09T12:00", "twilio:SM1"))
		if err != nil || created || again.Ref != b.Ref {
			t.Errorf("replay: %+v created=%v %v", again.Ref, created, err)
		}
		// The same source from another thread is an error, not a leak.
		other := request("2026-12-09T12:00", "twilio:SM1")
		other.Thread = "whatsapp:+34600999888"
		if got, _, err := s.RequestBooking(ctx, p, now, other); err == nil || got.Ref != 0 {
			t.Errorf("another thread's source: %+v, %v", got, err)
		}
		// The place is taken now.
		_, _, err = s.RequestBooking(ctx, p, now, request("2026-12-08T10:30", "twilio:SM2"))
		var r *business.Refusal
		if !errors.As(err, &r) || r.Reason != business.ReasonFull || len(r.Suggestions) == 0 {
			t.Fatalf("overlap: %v", err)
		}
		// Rules refuse before anything is written.
		for _, start := range []string{"2026-12-05T03:00", "2026-12-13T10:00", "2026-12-11T14:30", "2027-03-28T02:30", "soon"} {
			if _, _, err := s.RequestBooking(ctx, p, now, request(start, "twilio:"+start)); !errors.As(err, &r) {
				t.Errorf("%s: %v, want a refusal", start, err)
			}
		}
		noName := request("2026-12-09T12:00", "twilio:SM3")
		noName.CustomerName = "  "
		var inv *bizstore.InvalidError
		if _, _, err := s.RequestBooking(ctx, p, now, noName); !errors.As(err, &inv) {
			t.Errorf("no name: %v", err)
		}
		all, err := s.Bookings(ctx, bizstore.Filter{})
		if err != nil || len(all) != 1 {
			t.Errorf("bookings = %d, %v; want only the first", len(all), err)
		}
		b2, _, err := s.RequestBooking(ctx, p, now, request("2026-12-09T12:00", ""))
		if err != nil || b2.Ref != 2 {
			t.Errorf("second booking: %+v %v", b2.Ref, err)
		}
	})
}

func TestCapacityRace(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, db *sql.DB) {
		// Several connections, so the database (not the pool) serializes.
		db.SetMaxOpenConns(8)
		ctx := context.Background()
		for _, tc := range []struct {
			service  string
			capacity int
		}{{"Fitness assessment", 1}, {"Personal training", 2}} {
			const n = 16
			var wg sync.WaitGroup
			var mu sync.Mutex
			won, full := 0, 0
			for i := range n {
				wg.Go(func() {
					req := request("2026-12-10T18:00", fmt.Sprintf("twilio:%s-%d", tc.service, i))
					req.Service = tc.service
					req.Thread = fmt.Sprintf("whatsapp:+346001110%02d", i)
					_, _, err := s.RequestBooking(ctx, p, now, req)
					var r *business.Refusal
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						won++
					case errors.As(err, &r) && r.Reason == business.ReasonFull:
						full++
					default:
						t.Errorf("%s: %v", tc.service, err)
					}
				})
			}
			wg.Wait()
			if won != tc.capacity || full != n-tc.capacity {
				t.Errorf("%s: %d won and %d were refused; want %d and %d", tc.service, won, full, tc.capacity, n-tc.capacity)
			}
		}
	})
}

func TestReplayRace(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, db *sql.DB) {
		db.SetMaxOpenConns(8)
		var wg sync.WaitGroup
		refs := make([]business.Ref, 8)
		for i := range refs {
			wg.Go(func() {
				b, _, err := s.RequestBooking(context.Background(), p, now, request("2026-12-10T18:00", "twilio:SAME"))
				if err != nil {
					t.Error(err)
				}
				refs[i] = b.Ref
			})
		}
		wg.Wait()
		for _, r := range refs {
			if r != refs[0] {
				t.Fatalf("one source made several bookings: %v", refs)
			}
		}
	})
}

func TestSetStatus(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		b, _, err := s.RequestBooking(ctx, p, now, request("2026-12-08T10:00", "twilio:SM1"))
		if err != nil {
			t.Fatal(err)
		}
		owner := business.Actor{Kind: business.ActorOwner, ID: "whatsapp:+34600000001"}
		got, change, err := s.SetStatus(ctx, b.Ref, business.StatusApproved, owner, "")
		if err != nil || got.Status != business.StatusApproved || change.From != business.StatusPending {
			t.Fatalf("approve: %+v %+v %v", got.Status, change, err)
		}
		if _, _, err := s.SetStatus(ctx, b.Ref, business.StatusApproved, owner, ""); err == nil || err.Error() != "B1 is already approved" {
			t.Errorf("approve twice: %v", err)
		}
		// Another customer cannot see or cancel it.
		stranger := business.Actor{Kind: business.ActorCustomer, ID: "whatsapp:+34600999888"}
		if _, _, err := s.SetStatus(ctx, b.Ref, business.StatusCancelled, stranger, ""); !errors.Is(err, bizstore.ErrNotFound) {
			t.Errorf("stranger cancel: %v", err)
		}
		if _, _, err := s.SetStatus(ctx, 99, business.StatusApproved, owner, ""); !errors.Is(err, bizstore.ErrNotFound) {
			t.Errorf("unknown ref: %v", err)
		}
		me := business.Actor{Kind: business.ActorCustomer, ID: customer}
		got, _, err = s.SetStatus(ctx, b.Ref, business.StatusCancelled, me, "can't make it")
		if err != nil || got.Status != business.StatusCancelled {
			t.Fatalf("own cancel: %v", err)
		}
		if len(got.History) != 3 || got.History[2].Reason != "can't make it" || got.History[1].By != owner || !got.History[1].At.Equal(now) {
			t.Errorf("history = %+v", got.History)
		}
		var te *business.TransitionError
		if _, _, err := s.SetStatus(ctx, b.Ref, business.StatusApproved, owner, ""); !errors.As(err, &te) {
			t.Errorf("approve a cancelled booking: %v", err)
		}
		// The cancelled booking frees its place.
		if _, _, err := s.RequestBooking(ctx, p, now, request("2026-12-08T10:00", "twilio:SM9")); err != nil {
			t.Errorf("the freed place: %v", err)
		}
		if err := s.SetNotice(ctx, b.Ref, business.NoticeNotSent, "outside the 24-hour window"); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Booking(ctx, b.Ref)
		if got.Notice != business.NoticeNotSent || got.NoticeReason != "outside the 24-hour window" {
			t.Errorf("notice = %q %q", got.Notice, got.NoticeReason)
		}
		pending, _ := s.Bookings(ctx, bizstore.Filter{Status: business.StatusPending})
		mine, _ := s.Bookings(ctx, bizstore.Filter{Thread: customer})
		theirs, _ := s.Bookings(ctx, bizstore.Filter{Thread: stranger.ID})
		if len(pending) != 1 || len(mine) != 2 || len(theirs) != 0 {
			t.Errorf("filters: %d pending, %d mine, %d theirs", len(pending), len(mine), len(theirs))
		}
	})
}

func TestLeadsAndErase(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		l, created, err := s.CaptureLead(ctx, business.Lead{Thread: customer, Name: "Ana", Requirement: "personal training, call me back", SourceMessageID: "twilio:SM5"})
		if err != nil || !created || l.ID == 0 || !l.CreatedAt.Equal(now) {
			t.Fatalf("CaptureLead: %+v %v %v", l, created, err)
		}
		again, created, err := s.CaptureLead(ctx, business.Lead{Thread: customer, Name: "Ana", Requirement: "something else", SourceMessageID: "twilio:SM5"})
		if err != nil || created || again.ID != l.ID || again.Requirement != l.Requirement {
			t.Errorf("replay: %+v %v %v", again, created, err)
		}
		var inv *bizstore.InvalidError
		if _, _, err := s.CaptureLead(ctx, business.Lead{Thread: customer, Requirement: " "}); !errors.As(err, &inv) {
			t.Errorf("empty requirement: %v", err)
		}
		if _, _, err := s.CaptureLead(ctx, business.Lead{Thread: "whatsapp:+34600999888", Requirement: "prices"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.RequestBooking(ctx, p, now, request("2026-12-08T10:00", "twilio:SM1")); err != nil {
			t.Fatal(err)
		}
		leads, err := s.Leads(ctx, 0)
		if err != nil || len(leads) != 2 {
			t.Fatalf("leads = %d %v", len(leads), err)
		}
		if err := s.SetOptOut(ctx, customer, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetOptOut(ctx, customer, true); err != nil {
			t.Fatalf("opting out twice: %v", err)
		}
		nb, nl, err := s.EraseThread(ctx, customer)
		if err != nil || nb != 1 || nl != 1 {
			t.Errorf("erase: %d bookings, %d leads, %v", nb, nl, err)
		}
		if left, _ := s.Leads(ctx, 0); len(left) != 1 || left[0].Thread == customer {
			t.Errorf("leads left: %+v", left)
		}
		if left, _ := s.Bookings(ctx, bizstore.Filter{}); len(left) != 0 {
			t.Errorf("bookings left: %d", len(left))
		}
		if out, err := s.OptedOut(ctx, customer); out || err != nil {
			t.Errorf("opt-out left after erase: %v %v", out, err)
		}
	})
}
