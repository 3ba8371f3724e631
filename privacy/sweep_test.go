package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/store"
)

// putTurns stores turns turns of three checkpoints each (two
// intermediate, one ending the turn) on th and returns the ids, oldest
// first.
func putTurns(t *testing.T, e env, th string, turns int) []string {
	t.Helper()
	var ids []string
	parent := ""
	for i := range turns * 3 {
		next := []string{"agent"}
		if i%3 == 2 {
			next = nil
		}
		cp := checkpoint.Checkpoint{ThreadID: th, ID: checkpoint.NewID(), ParentID: parent, Step: i, Version: 1,
			Next: next, Source: "loop", Metadata: map[string]string{}}
		if err := e.saver.Put(context.Background(), cp, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, cp.ID)
		parent = cp.ID
	}
	return ids
}

func TestSweepKeepsWhatIsStillNeeded(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		ctx := context.Background()
		now := time.Now()
		old := now.Add(-40 * 24 * time.Hour)
		th := person
		// An old message answered long ago, and an old one never answered.
		for i, body := range []string{"answered", "unanswered"} {
			if _, err := e.st.Accept(ctx, store.Inbound{Channel: "twilio", ProviderID: "SM" + body, Thread: th, From: th,
				Body: body, ReceivedAt: old}, old); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				p, _ := e.st.Pending(ctx, th)
				if _, err := e.st.Complete(ctx, th, []int64{p[0].ID}, []store.Outbound{{Thread: th, Channel: "twilio", To: th,
					Key: "turn:sent", Body: "sent long ago", Status: store.StatusPending}}); err != nil {
					t.Fatal(err)
				}
				e.exec(t, `UPDATE outbox SET status = 'delivered'`)
			}
		}
		if _, err := e.st.Complete(ctx, th, nil, []store.Outbound{{Thread: th, Channel: "twilio", To: th,
			Key: "turn:unsent", Body: "still to send", Status: store.StatusPending}}); err != nil {
			t.Fatal(err)
		}
		e.exec(t, `UPDATE outbox SET updated_at = $1, created_at = $1`, e.ts(old))
		for _, b := range []struct{ status string }{{"completed"}, {"approved"}} {
			e.exec(t, `INSERT INTO bookings (thread_id, service, start_at, end_at, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $2, $3, $3)`, th, b.status, e.ts(old), e.ts(old.Add(time.Hour)))
		}
		e.exec(t, `INSERT INTO leads (thread_id, requirement, created_at) VALUES ($1, 'old', $2), ($1, 'new', $3)`, th, e.ts(old), e.ts(now))
		e.exec(t, `INSERT INTO business_optouts (thread_id, opted_out_at) VALUES ($1, $2)`, th, e.ts(old))
		e.exec(t, `INSERT INTO console_audit (at, account, action) VALUES ($1, 'owner', 'old'), ($2, 'owner', 'new')`, old.UnixMilli(), now.UnixMilli())
		e.exec(t, `INSERT INTO calendar_events (thread_id, id, summary, start_unix, end_unix, created_unix, updated_unix)
			VALUES ($1, 'old', 'old', $2, $3, $2, $2), ($1, 'new', 'new', $4, $5, $4, $4)`, th, old.Unix(), old.Unix()+60, now.Unix()+60, now.Unix()+120)
		gs := sqlstore.New(e.db)
		prevMonth := time.Date(now.Year(), now.Month()-1, 1, 12, 0, 0, 0, time.UTC)
		for i, day := range []time.Time{now.Add(-100 * 24 * time.Hour), prevMonth} {
			if _, err := gs.Insert(ctx, group, "", gym.Workout{Member: th, Date: gym.DateOf(day, nil), Activity: "running",
				Minutes: 30 + i}); err != nil {
				t.Fatal(err)
			}
		}
		// An idle thread, and an active one with an old checkpoint.
		putTurns(t, e, "json:idle", 1)
		e.exec(t, `UPDATE checkpoints SET created_at = $1 WHERE thread_id = 'json:idle'`, e.ts(old))
		active := putTurns(t, e, "json:active", 1)
		e.exec(t, `UPDATE checkpoints SET created_at = $1 WHERE thread_id = 'json:active' AND id <> $2`, e.ts(old), active[len(active)-1])

		off, err := privacy.NewSweeper(e.db, e.dialect, e.saver, privacy.SweepConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := off.Sweep(ctx, now); err != nil || got != (privacy.Swept{}) {
			t.Fatalf("Sweep with RETENTION off = %+v, %v; want nothing", got, err)
		}
		s, err := privacy.NewSweeper(e.db, e.dialect, e.saver, privacy.SweepConfig{Retention: 30 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Sweep(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		want := privacy.Swept{Messages: 1, Replies: 1, Calendar: 1, Workouts: 1, Bookings: 1, Leads: 1, Audit: 1, Checkpoints: 2, Threads: 1}
		if got != want {
			t.Errorf("Sweep = %+v, want %+v", got, want)
		}
		checks := []struct {
			what, query string
			want        int
		}{
			{"the unanswered message", `SELECT count(*) FROM inbound_messages WHERE body = 'unanswered'`, 1},
			{"the reply still to send", `SELECT count(*) FROM outbox WHERE key = 'turn:unsent'`, 1},
			{"the approved booking", `SELECT count(*) FROM bookings WHERE status = 'approved'`, 1},
			{"the new lead", `SELECT count(*) FROM leads`, 1},
			{"the opt-out", `SELECT count(*) FROM business_optouts`, 1},
			{"the previous month's workout", `SELECT count(*) FROM workouts WHERE minutes = 31`, 1},
			{"the coming event", `SELECT count(*) FROM calendar_events WHERE id = 'new'`, 1},
			{"the active thread's newest checkpoint", `SELECT count(*) FROM checkpoints WHERE thread_id = 'json:active'`, 1},
			{"the idle thread's checkpoints", `SELECT count(*) FROM checkpoints WHERE thread_id = 'json:idle'`, 0},
			{"the old reply's delivery records", `SELECT count(*) FROM outbox_parts`, 0},
		}
		for _, c := range checks {
			if n := e.count(t, c.query); n != c.want {
				t.Errorf("%s: %d rows, want %d", c.what, n, c.want)
			}
		}
		if again, err := s.Sweep(ctx, now); err != nil || again != (privacy.Swept{}) {
			t.Errorf("second Sweep = %+v, %v; want nothing left", again, err)
		}
	})
}

func TestPruneKeepsRecentTurns(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		ctx := context.Background()
		putTurns(t, e, "json:long", 30)
		putTurns(t, e, "json:short", 3)
		off, _ := privacy.NewSweeper(e.db, e.dialect, e.saver, privacy.SweepConfig{})
		if n, err := off.Prune(ctx, time.Now()); err != nil || n != 0 {
			t.Fatalf("Prune with CHECKPOINT_RECENT_TURNS=0 = %d, %v", n, err)
		}
		s, _ := privacy.NewSweeper(e.db, e.dialect, e.saver, privacy.SweepConfig{RecentTurns: 5})
		// 30 turns of 3: the last 5 turns whole (15), one checkpoint for
		// each of the 25 before (25); the short thread is within the window.
		n, err := s.Prune(ctx, time.Now())
		if err != nil || n != 50 {
			t.Fatalf("Prune = %d, %v; want 50", n, err)
		}
		if got := e.count(t, `SELECT count(*) FROM checkpoints WHERE thread_id = 'json:long'`); got != 40 {
			t.Errorf("long thread keeps %d checkpoints, want 40", got)
		}
		if got := e.count(t, `SELECT count(*) FROM checkpoints WHERE thread_id = 'json:short'`); got != 9 {
			t.Errorf("short thread keeps %d checkpoints, want 9", got)
		}
		if n, err := s.Prune(ctx, time.Now()); err != nil || n != 0 {
			t.Errorf("second Prune = %d, %v; want 0", n, err)
		}
	})
}
