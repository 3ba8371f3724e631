package bizstore_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/migrations"
)

// clock is a test clock the store reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// eachClocked runs fn on a fresh SQLite and a fresh Postgres store whose
// clock the test moves.
func eachClocked(t *testing.T, fn func(t *testing.T, s *bizstore.Store, c *clock, db *sql.DB)) {
	run := func(t *testing.T, db *sql.DB, d migrations.Dialect) {
		c := &clock{t: now}
		s, err := bizstore.New(db, d, bizstore.WithClock(c.now))
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s, c, db)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, sqlstoretest.OpenSQLite(t), migrations.SQLite) })
	t.Run("postgres", func(t *testing.T) { run(t, sqlstoretest.OpenPostgres(t), migrations.Postgres) })
}

func TestHandoff(t *testing.T) {
	owner := business.Actor{Kind: business.ActorOwner, ID: "whatsapp:+34600000001"}
	eachClocked(t, func(t *testing.T, s *bizstore.Store, c *clock, _ *sql.DB) {
		ctx := context.Background()
		const timeout = time.Hour
		if _, ok, err := s.OpenHandoff(ctx, customer, timeout); ok || err != nil {
			t.Fatalf("a fresh thread is handed over: %v, %v", ok, err)
		}
		h, created, err := s.Pause(ctx, customer, business.Actor{Kind: business.ActorCustomer, ID: customer}, "  wants\na person ")
		if err != nil || !created || h.Reason != "wants a person" || h.By.Kind != business.ActorCustomer || !h.PausedAt.Equal(now) {
			t.Fatalf("pause = %+v, %v, %v", h, created, err)
		}
		again, created, err := s.Pause(ctx, customer, owner, "")
		if err != nil || created || again.ID != h.ID {
			t.Fatalf("second pause = %+v, %v, %v: want the open hand-off %d", again, created, err, h.ID)
		}
		if got, ok, err := s.OpenHandoff(ctx, customer, timeout); !ok || err != nil || got.ID != h.ID {
			t.Fatalf("open hand-off = %+v, %v, %v", got, ok, err)
		}
		if got := h.Until(timeout); !got.Equal(now.Add(timeout)) {
			t.Fatalf("until = %v", got)
		}

		// A reply of a person moves the timeout; a repeated key records
		// nothing.
		c.add(50 * time.Minute)
		for range 2 {
			if err := s.AddHumanReply(ctx, customer, "owner-reply:1", "Come by at 5", owner.ID); err != nil {
				t.Fatal(err)
			}
		}
		rs, err := s.UnrecordedReplies(ctx, customer)
		if err != nil || len(rs) != 1 || rs[0].Body != "Come by at 5" || rs[0].Author != owner.ID {
			t.Fatalf("unrecorded = %+v, %v", rs, err)
		}
		c.add(50 * time.Minute) // 100 minutes after the pause, 50 after the reply
		if _, ok, _ := s.OpenHandoff(ctx, customer, timeout); !ok {
			t.Fatal("the hand-off ended although a person replied 50 minutes ago")
		}
		hs, err := s.Handoffs(ctx, timeout, 0)
		if err != nil || len(hs) != 1 {
			t.Fatalf("handoffs = %+v, %v", hs, err)
		}
		if err := s.MarkRepliesRecorded(ctx, customer, rs[0].ID); err != nil {
			t.Fatal(err)
		}
		if rs, _ := s.UnrecordedReplies(ctx, customer); len(rs) != 0 {
			t.Fatalf("recorded replies are still given: %+v", rs)
		}

		// The timeout ends it, once.
		c.add(11 * time.Minute)
		if _, ok, err := s.OpenHandoff(ctx, customer, timeout); ok || err != nil {
			t.Fatalf("after the timeout: %v, %v", ok, err)
		}
		if hs, _ := s.Handoffs(ctx, timeout, 0); len(hs) != 0 {
			t.Fatalf("handoffs after the timeout = %+v", hs)
		}
		// A new pause is a new hand-off (a new notice key).
		h2, created, err := s.Pause(ctx, customer, owner, "")
		if err != nil || !created || h2.ID == h.ID {
			t.Fatalf("pause after the timeout = %+v, %v, %v", h2, created, err)
		}
		// With no timeout it never ends by itself; resume ends it.
		c.add(1000 * time.Hour)
		if _, ok, _ := s.OpenHandoff(ctx, customer, 0); !ok {
			t.Fatal("a hand-off without timeout ended by itself")
		}
		if ok, err := s.Resume(ctx, customer, "owner"); !ok || err != nil {
			t.Fatalf("resume = %v, %v", ok, err)
		}
		if ok, err := s.Resume(ctx, customer, "owner"); ok || err != nil {
			t.Fatalf("second resume = %v, %v", ok, err)
		}
		if _, _, err := s.Pause(ctx, customer, owner, "erase me"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddHumanReply(ctx, customer, "owner-reply:2", "Bye", owner.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.EraseThread(ctx, customer); err != nil {
			t.Fatal(err)
		}
		if hs, _ := s.Handoffs(ctx, 0, 0); len(hs) != 0 {
			t.Fatalf("hand-offs left after erasure: %+v", hs)
		}
		if rs, _ := s.UnrecordedReplies(ctx, customer); len(rs) != 0 {
			t.Fatalf("replies left after erasure: %+v", rs)
		}
		if err := s.AddHumanReply(ctx, customer, "k", string(make([]byte, bizstore.MaxHumanReply+1)), "cli"); err == nil {
			t.Fatal("an over-long reply was recorded")
		}
	})
}

func TestHandoffConcurrentPause(t *testing.T) {
	eachClocked(t, func(t *testing.T, s *bizstore.Store, _ *clock, _ *sql.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		ids := make([]int64, 8)
		made := make([]bool, 8)
		errs := make([]error, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				h, created, err := s.Pause(ctx, customer, business.Actor{Kind: business.ActorOwner}, "")
				ids[i], made[i], errs[i] = h.ID, created, err
			}()
		}
		wg.Wait()
		n := 0
		for i := range ids {
			if errs[i] != nil {
				t.Fatalf("pause %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("two open hand-offs: %v", ids)
			}
			if made[i] {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d pauses report creating the hand-off, want 1", n)
		}
	})
}

func TestMarkLeadContacted(t *testing.T) {
	eachClocked(t, func(t *testing.T, s *bizstore.Store, c *clock, _ *sql.DB) {
		ctx := context.Background()
		l, _, err := s.CaptureLead(ctx, business.Lead{Thread: customer, Name: "Ana", Requirement: "a call back"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.MarkLeadContacted(ctx, l.ID, "marta"); err != nil {
			t.Fatal(err)
		}
		c.add(time.Hour)
		if err := s.MarkLeadContacted(ctx, l.ID, "luis"); err != nil {
			t.Fatal(err)
		}
		got, err := s.LeadsContacted(ctx)
		if err != nil || got[l.ID].By != "marta" || !got[l.ID].At.Equal(now) {
			t.Fatalf("contacted = %+v, %v", got, err)
		}
		if err := s.MarkLeadContacted(ctx, l.ID+100, "marta"); !errors.Is(err, bizstore.ErrNotFound) {
			t.Fatalf("unknown lead: %v", err)
		}
	})
}
