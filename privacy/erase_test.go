package privacy_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/local"
)

const (
	person = "whatsapp:+34600111222" // the one who asks to be erased
	other  = "whatsapp:+34600999888" // someone else, who keeps everything
	group  = "whatsapp:120363000000000001@g.us"
)

// digits is how a thread's number is searched for in every column.
func digits(th string) string { return th[len("whatsapp:+"):] }

var provider int

// labOf is the lab thread of an account that forked th.
func labOf(th string) string { return console.LabPrefix + "owner-" + th[len(th)-3:] }

// seedThread stores, through each component's own API where it has one,
// a row of th in every table that can hold one.
func seedThread(t *testing.T, e env, er *privacy.Eraser, th string) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	provider++
	pid := func(s string) string { return s + th[len(th)-4:] + string(rune('a'+provider)) }
	if _, err := e.st.Accept(ctx, store.Inbound{Channel: "twilio", ProviderID: pid("SMin"), Thread: th, From: th,
		To: "whatsapp:+15550000000", ProfileName: "Ana", Body: "hello", ReceivedAt: now}, now); err != nil {
		t.Fatal(err)
	}
	pending, err := e.st.Pending(ctx, th)
	if err != nil || len(pending) == 0 {
		t.Fatalf("Pending = %v, %v", pending, err)
	}
	ids, err := e.st.Complete(ctx, th, []int64{pending[0].ID}, []store.Outbound{{Thread: th, Channel: "twilio", To: th,
		Key: "turn:1", Body: "Hi Ana", Status: store.StatusPending}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.RecordPart(ctx, ids[0], 0, pid("SMout"), true); err != nil {
		t.Fatal(err)
	}
	// A message still pending keeps its run_thread job queued.
	if _, err := e.st.Accept(ctx, store.Inbound{Channel: "twilio", ProviderID: pid("SMin2"), Thread: th, From: th,
		Body: "are you there?", ReceivedAt: now}, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.AcquireLease(ctx, th, "test", now, time.Minute); err != nil {
		t.Fatal(err)
	}
	cp := checkpoint.Checkpoint{ThreadID: th, ID: checkpoint.NewID(), Version: 1, LogLens: map[string]int{"messages": 1},
		Values: map[string][]byte{"name": []byte(`"Ana"`)}, Metadata: map[string]string{}}
	if err := e.saver.Put(ctx, cp, map[string][][]byte{"messages": {[]byte(`"hello"`)}}); err != nil {
		t.Fatal(err)
	}
	if err := e.saver.PutWrites(ctx, th, cp.ID, []checkpoint.Write{{Node: "agent", Kind: checkpoint.WriteUpdate, Value: []byte(`1`)}}); err != nil {
		t.Fatal(err)
	}
	// The owner forked the conversation into the console's lab (as
	// console's inspectorFork does): a copy, in a thread of the owner's.
	lab := checkpoint.Checkpoint{ThreadID: labOf(th), ID: checkpoint.NewID(), Version: 1, LogLens: map[string]int{"messages": 1},
		Values: map[string][]byte{"name": []byte(`"Ana"`)}, Metadata: map[string]string{"forked_from": th, "forked_checkpoint": cp.ID}}
	if err := e.saver.Put(ctx, lab, map[string][][]byte{"messages": {[]byte(`"hello"`)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := local.New(e.db).Create(ctx, th, calendar.Event{Summary: "Dentist", Start: now.Add(time.Hour), End: now.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	gs := sqlstore.New(e.db)
	for _, chat := range []string{th, group} {
		if _, err := gs.Insert(ctx, chat, "Ana", gym.Workout{Member: th, Date: gym.DateOf(now, nil), Activity: "running", Minutes: 30,
			SourceMessageID: pid("w" + chat[len(chat)-3:])}); err != nil {
			t.Fatal(err)
		}
		if _, err := gs.AddMember(ctx, chat, th, "Ana"); err != nil {
			t.Fatal(err)
		}
	}
	// What they said in a group, as its member.
	if _, err := e.st.Accept(ctx, store.Inbound{Channel: "evolution", ProviderID: pid("grp"), Thread: group, From: group,
		Sender: th, Body: "ran 30 min", ReceivedAt: now}, now); err != nil {
		t.Fatal(err)
	}
	var booking int64
	if err := e.db.QueryRowContext(ctx, `INSERT INTO bookings (thread_id, customer_name, service, start_at, end_at, status, created_at, updated_at)
		VALUES ($1, 'Ana', 'Assessment', $2, $3, 'pending', $4, $4) RETURNING id`, th, e.ts(now.Add(48*time.Hour)), e.ts(now.Add(49*time.Hour)), e.ts(now)).Scan(&booking); err != nil {
		t.Fatal(err)
	}
	e.exec(t, `INSERT INTO booking_events (booking_id, to_status, actor_kind, actor_id, at) VALUES ($1, 'pending', 'customer', $2, $3)`, booking, th, e.ts(now))
	e.exec(t, `INSERT INTO leads (thread_id, name, requirement, created_at) VALUES ($1, 'Ana', 'a quote', $2)`, th, e.ts(now))
	e.exec(t, `INSERT INTO business_optouts (thread_id, opted_out_at) VALUES ($1, $2)`, th, e.ts(now))
	e.exec(t, `INSERT INTO console_audit (at, account, action, detail) VALUES ($1, 'owner', 'forked into the lab', $2)`,
		now.UnixMilli(), th+" at step 3")
	if act, _, err := er.Handle(ctx, th, "", "Delete my data, please!"); err != nil || act != privacy.Asked {
		t.Fatalf("Handle = %v, %v", act, err)
	}
}

func newEraser(t *testing.T, e env) *privacy.Eraser {
	t.Helper()
	er, err := privacy.NewEraser(e.db, e.dialect, e.saver, e.st)
	if err != nil {
		t.Fatal(err)
	}
	return er
}

// TestEraseLeavesNoTrace erases a thread and then searches every column
// of every table the catalog lists for its number.
func TestEraseLeavesNoTrace(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		er := newEraser(t, e)
		seedThread(t, e, er, person)
		seedThread(t, e, er, other)
		before := e.mentioning(t, digits(person))
		for _, table := range []string{"checkpoints", "checkpoint_writes", "inbound_messages", "outbox", "thread_leases",
			"calendar_events", "workouts", "gym_members", "bookings", "booking_events", "leads", "business_optouts",
			"console_audit", "erasure_requests", "river_job"} {
			if before[table] == 0 {
				t.Errorf("before the erasure, no row of %s mentions the thread: the search or the seed is broken (found %v)", table, before)
			}
		}
		otherBefore := e.mentioning(t, digits(other))
		if err := er.Erase(context.Background(), person); err != nil {
			t.Fatal(err)
		}
		if left := e.mentioning(t, digits(person)); len(left) > 0 {
			t.Errorf("after the erasure, rows still mention the thread: %v", left)
		}
		if got := e.mentioning(t, digits(other)); !maps.Equal(got, otherBefore) {
			t.Errorf("another thread's rows changed: before %v, after %v", otherBefore, got)
		}
		if n := e.count(t, `SELECT count(*) FROM checkpoints WHERE thread_id = $1`, labOf(person)); n != 0 {
			t.Errorf("the lab's copy of the conversation has %d checkpoints left", n)
		}
		if n := e.count(t, `SELECT count(*) FROM checkpoints WHERE thread_id = $1`, labOf(other)); n != 1 {
			t.Errorf("the lab's copy of another conversation has %d checkpoints, want 1", n)
		}
		if n := e.count(t, `SELECT count(*) FROM outbox_parts`); n != 1 {
			t.Errorf("outbox_parts rows = %d, want only the other thread's 1", n)
		}
		// Again: nothing left to do, and no error.
		if err := er.Erase(context.Background(), person); err != nil {
			t.Fatalf("second Erase: %v", err)
		}
	})
}

// TestEraseMember erases one participant of a group: their messages,
// workouts and membership go; the other member's and the group's stay.
func TestEraseMember(t *testing.T) {
	eachDB(t, func(t *testing.T, e env) {
		ctx := context.Background()
		er := newEraser(t, e)
		gs := sqlstore.New(e.db)
		now := time.Now()
		for i, m := range []string{person, other} {
			if _, err := e.st.Accept(ctx, store.Inbound{Channel: "evolution", ProviderID: "g" + string(rune('0'+i)), Thread: group,
				From: group, Sender: m, Body: "ran 30 min", ReceivedAt: now}, now); err != nil {
				t.Fatal(err)
			}
			if _, err := gs.Insert(ctx, group, "", gym.Workout{Member: m, Date: gym.DateOf(now, nil), Activity: "running", Minutes: 30}); err != nil {
				t.Fatal(err)
			}
			if _, err := gs.AddMember(ctx, group, m, ""); err != nil {
				t.Fatal(err)
			}
		}
		cp := checkpoint.Checkpoint{ThreadID: group, ID: checkpoint.NewID(), Version: 1, Metadata: map[string]string{}}
		if err := e.saver.Put(ctx, cp, nil); err != nil {
			t.Fatal(err)
		}
		if act, text, err := er.Handle(ctx, group, person, "borra mis datos"); err != nil || act != privacy.Asked || text == "" {
			t.Fatalf("Handle = %v %q %v", act, text, err)
		}
		if e.mentioning(t, digits(person))["erasure_requests"] != 1 {
			t.Fatal("the group member's request was not recorded")
		}
		otherBefore := e.mentioning(t, digits(other))
		act, text, err := er.Handle(ctx, group, person, "BORRAR")
		if err != nil || act != privacy.Confirmed || text == "" {
			t.Fatalf("Handle(BORRAR) = %v %q %v", act, text, err)
		}
		if err := er.EraseMember(ctx, group, person); err != nil {
			t.Fatal(err)
		}
		if left := e.mentioning(t, digits(person)); len(left) > 0 {
			t.Errorf("rows still mention the erased member: %v", left)
		}
		if got := e.mentioning(t, digits(other)); !maps.Equal(got, otherBefore) {
			t.Errorf("the other member's rows changed: before %v, after %v", otherBefore, got)
		}
		if n := e.count(t, `SELECT count(*) FROM checkpoints WHERE thread_id = $1`, group); n != 1 {
			t.Errorf("the group's checkpoints = %d, want 1 (the group's own history stays)", n)
		}
	})
}
