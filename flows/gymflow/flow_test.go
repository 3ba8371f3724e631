package gymflow_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/llm"
)

// TestWithoutModel runs the pipeline end to end with no model configured:
// it records workouts, refuses a duplicate, answers a summary, stays
// quiet on banter, and asks to rephrase what the rules cannot read.
func TestWithoutModel(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		fx := newFixture(t, db, nil)
		steps := []struct {
			name    string
			msgs    []msg
			want    []string // in the reply; nil: no reply
			stored  int      // workouts stored after the step
			without []string
		}{
			{"a log", []msg{{from: ana, name: "Ana", text: "biceps 45 min"}},
				[]string{"Ana", "biceps 45 min (today)", "Your week: 1 session, 45 min."}, 1, nil},
			{"another member, yesterday", []msg{{from: luis, name: "Luis", text: "ran 5k in 28 min yesterday"}},
				[]string{"Luis", "running 28 min 5 km (yesterday)"}, 2, nil},
			{"a duplicate within 10%", []msg{{from: ana, name: "Ana", text: "biceps 48 min"}},
				[]string{"you already logged that", "biceps 45 min (today)", "Not counted twice", "Your week: 1 session, 45 min."}, 2, []string{"48"}},
			{"banter", []msg{{from: luis, name: "Luis", text: "anyone up for pizza?"}}, nil, 2, nil},
			{"a burst: a log in two messages and a summary request", []msg{
				{from: ana, name: "Ana", text: "pierna"},
				{from: ana, name: "Ana", text: "1h"},
				{from: luis, name: "Luis", text: "how are we doing this week?"},
			}, []string{"legs 60 min (today)", "Your week: 2 sessions, 105 min.",
				"This week (Mon 9 Mar to Sun 15 Mar):", "1. Ana: 2 sessions, 105 min", "2. Luis: 1 session, 28 min", "Group: 3 sessions, 133 min."}, 3, nil},
			{"no activity", []msg{{from: ana, name: "Ana", text: "did 45 min today 💪"}}, []string{"Ana, what did you train?"}, 3, nil},
			{"no duration", []msg{{from: luis, name: "Luis", text: "ran 5k"}}, []string{"Luis, how long was it?"}, 3, nil},
			{"out of range", []msg{{from: ana, name: "Ana", text: "legs 700 min"}}, []string{"I didn't log legs 700 min", "1 to 600 minutes"}, 3, nil},
			{"too old", []msg{{from: ana, name: "Ana", text: "legs 45 min 20/02"}}, []string{"more than 14 days ago"}, 3, nil},
			{"a photo and no vision model", []msg{{from: luis, name: "Luis", images: []string{"data:image/jpeg;base64,AAAA"}}},
				[]string{"can't read photos"}, 3, nil},
			{"a month summary", []msg{{from: luis, name: "Luis", text: "resumen del mes"}},
				[]string{"This month (March 2026):", "1. Ana: 2 sessions, 105 min\n"}, 3, nil},
		}
		for _, st := range steps {
			got := fx.say(st.msgs...)
			if st.want == nil && got != "" {
				t.Errorf("%s: reply %q, want none", st.name, got)
			}
			mustContain(t, st.name, got, st.want...)
			for _, w := range st.without {
				if strings.Contains(got, w) {
					t.Errorf("%s: reply %q mentions %q", st.name, got, w)
				}
			}
			if n := len(fx.workouts()); n != st.stored {
				t.Fatalf("%s: %d workouts stored, want %d: %s", st.name, n, st.stored, describe(fx.workouts()))
			}
		}
		got := describe(fx.workouts())
		want := "Luis 2026-03-11 running 28 evolution:WAMID2; Ana 2026-03-12 biceps 45 evolution:WAMID1; Ana 2026-03-12 legs 60 evolution:WAMID5"
		if got != want {
			t.Errorf("stored %s\nwant   %s", got, want)
		}
		for _, line := range []string{
			`switchboard_gym_workouts_total{result="inserted"} 3`,
			`switchboard_gym_workouts_total{result="duplicate"} 1`,
			`switchboard_gym_workouts_total{result="invalid"} 2`,
			`switchboard_gym_rephrase_total 3`,
			`switchboard_gym_runs_total{result="ok"} 11`,
		} {
			if !fx.metric(line) {
				t.Errorf("metrics lack %s:\n%s", line, fx.metricsText())
			}
		}
		ms, err := sqlstore.New(db).Members(context.Background(), group)
		if err != nil || len(ms) != 2 || ms[0].Name != "Ana" || ms[1].Name != "Luis" {
			t.Errorf("members = %+v, %v", ms, err)
		}
	})
}

// TestDuplicates checks what the flow refuses after Ana logged legs 60 min
// today from message 1.
func TestDuplicates(t *testing.T) {
	tests := []struct {
		name string
		msg  msg
		dup  bool
	}{
		{"the same again", msg{from: ana, text: "legs 60 min"}, true},
		{"66 min: within a tenth", msg{from: ana, text: "legs 66 min"}, true},
		{"54 min: within a tenth", msg{from: ana, text: "pierna 54 min"}, true},
		{"67 min: more than a tenth", msg{from: ana, text: "legs 67 min"}, false},
		{"53 min: more than a tenth", msg{from: ana, text: "legs 53 min"}, false},
		{"yesterday", msg{from: ana, text: "legs 60 min yesterday"}, false},
		{"another activity", msg{from: ana, text: "chest 60 min"}, false},
		{"another member", msg{from: luis, text: "legs 60 min"}, false},
		{"the same message (a redelivery with a new inbox id)", msg{from: ana, text: "legs 60 min"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
			fx.say(msg{from: ana, name: "Ana", text: "legs 60 min"})
			reply := fx.say(tc.msg)
			stored := len(fx.workouts())
			if tc.dup != strings.Contains(reply, "already logged") || (tc.dup && stored != 1) || (!tc.dup && stored != 2) {
				t.Fatalf("reply %q, %d stored; want duplicate=%v", reply, stored, tc.dup)
			}
		})
	}
	t.Run("twice in one turn", func(t *testing.T) {
		fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
		reply := fx.say(msg{from: ana, name: "Ana", text: "legs 60 min"}, msg{from: ana, text: "legs 1h"})
		if n := len(fx.workouts()); n != 1 {
			t.Fatalf("%d stored (%q)", n, reply)
		}
	})
}

// TestRetriedTurn: a turn run again never inserts twice nor answers twice.
func TestRetriedTurn(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		fx := newFixture(t, db, nil)
		first := fx.turn(msg{from: ana, name: "Ana", text: "biceps 45 min"})
		r1 := fx.run(first)
		if !strings.Contains(r1.Text, "biceps 45 min") {
			t.Fatalf("first reply %q", r1.Text)
		}
		// The runner crashed before recording the reply and runs the same
		// turn again: the same reply (the outbox keys it the same), no
		// second insert.
		r2 := fx.run(first)
		if r2.Text != r1.Text || r2.Recovered != nil {
			t.Fatalf("retried turn = %+v, want the same reply %q", r2, r1.Text)
		}
		// The retry also carries a message that arrived meanwhile: the old
		// reply is recovered, the new message answered.
		both := first
		next := fx.turn(msg{from: luis, name: "Luis", text: "legs 1h"})
		both.Messages = append(both.Messages, next.Messages...)
		both.Input.Messages = append(both.Input.Messages, next.Input.Messages...)
		both.Input.Seqs = append(both.Input.Seqs, next.Input.Seqs...)
		r3 := fx.run(both)
		if r3.Recovered == nil || r3.Recovered.Seq != 1 || r3.Recovered.Text != r1.Text || !strings.Contains(r3.Text, "legs 60 min") || strings.Contains(r3.Text, "biceps") {
			t.Fatalf("turn with a handled and a new message = %+v", r3)
		}
		// A banter turn retried: still no reply.
		banter := fx.turn(msg{from: luis, text: "lol"})
		if r := fx.run(banter); r.Text != "" {
			t.Fatalf("banter reply %q", r.Text)
		}
		if r := fx.run(banter); r.Text != "" || r.Recovered != nil {
			t.Fatalf("retried banter = %+v", r)
		}
		if n := len(fx.workouts()); n != 2 {
			t.Fatalf("%d workouts stored, want 2: %s", n, describe(fx.workouts()))
		}

		// The checkpoint was lost after the insert (a crash between them):
		// the run is redone from scratch and reports the workout as logged,
		// with what is stored, not as a duplicate.
		fx2 := newFixture(t, db, nil)
		fx2.seq = 100
		lost := fx2.turn(msg{from: ana, name: "Ana", text: "run 30 min"})
		fx2.run(lost)
		fx3 := newFixture(t, db, nil)
		r := fx3.run(lost)
		if !strings.Contains(r.Text, "running 30 min") || strings.Contains(r.Text, "already") {
			t.Fatalf("redone turn reply %q", r.Text)
		}
		if n := len(fx.workouts()); n != 3 {
			t.Fatalf("%d workouts stored, want 3: %s", n, describe(fx.workouts()))
		}
		if !fx3.metric(`switchboard_gym_workouts_total{result="recorded"} 1`) {
			t.Errorf("metrics:\n%s", fx3.metricsText())
		}
	})
}

func TestListedMembers(t *testing.T) {
	db := sqlstoretest.OpenSQLite(t)
	s := sqlstore.New(db)
	if _, err := s.AddMember(context.Background(), group, ana, "Ana"); err != nil {
		t.Fatal(err)
	}
	fx := newFixture(t, db, func(c *gymflow.Config) { c.Enrolment = gymflow.EnrolListed; c.Tone = gymflow.ToneFriendly })
	if got := fx.say(msg{from: ana, name: "Ana G.", text: "legs 45 min"}); !strings.Contains(got, "Nice one, Ana G.! Logged legs 45 min (today).") {
		t.Errorf("listed member's reply %q", got)
	}
	got := fx.say(msg{from: luis, name: "Luis", text: "legs 45 min"})
	mustContain(t, "stranger's reply", got, "Luis, I didn't log legs 45 min", "not on this group's member list")
	if n := len(fx.workouts()); n != 1 {
		t.Fatalf("%d stored", n)
	}
	ms, _ := s.Members(context.Background(), group)
	if len(ms) != 1 || ms[0].Name != "Ana G." {
		t.Fatalf("members = %+v", ms)
	}
	if _, err := gymflow.NewFlow(gymflow.Config{DB: db, Enrolment: "closed"}); err == nil {
		t.Fatal("unknown enrolment accepted")
	}
	if _, err := gymflow.NewFlow(gymflow.Config{}); err == nil {
		t.Fatal("flow without a database")
	}
}

func TestTurnWithoutSeqs(t *testing.T) {
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
	tr := fx.turn(msg{from: ana, text: "legs 45 min"})
	tr.Input.Seqs = nil
	if _, err := fx.flow.Run(context.Background(), group, tr); !errors.Is(err, gymflow.ErrNoSeqs) {
		t.Fatalf("Run without seqs: %v", err)
	}
}

// TestNotConfiguredModels: models that fail with NotConfiguredError act as
// no model.
func TestNotConfiguredModels(t *testing.T) {
	nc := llm.Unconfigured(&llm.NotConfiguredError{Hint: "set LLM_PROVIDER"})
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) {
		c.Models = gymflow.Models{Classify: nc, Vision: nc, Reply: nc}
		c.Prompts = loadPrompts(t)
	})
	mustContain(t, "log", fx.say(msg{from: ana, name: "Ana", text: "legs 45 min"}), "legs 45 min (today)")
	mustContain(t, "undecided", fx.say(msg{from: ana, name: "Ana", text: "did 45 min today 💪"}), "what did you train?")
	mustContain(t, "photo", fx.say(msg{from: ana, name: "Ana", images: []string{"data:image/png;base64,AAAA"}}), "can't read photos")
	if !fx.metric(`switchboard_gym_model_calls_total{result="not_configured",step="reply"} 1`) {
		t.Errorf("metrics:\n%s", fx.metricsText())
	}
}

func TestSummaryOfSeededWeek(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		for _, m := range []struct{ id, name string }{{ana, "Ana"}, {luis, "Luis"}, {"34600000003@s.whatsapp.net", ""}} {
			if _, err := s.AddMember(ctx, group, m.id, m.name); err != nil {
				t.Fatal(err)
			}
		}
		seed := []gym.Workout{
			{Member: ana, Date: today.AddDays(-5), Activity: "legs", Minutes: 60}, // last Saturday
			{Member: ana, Date: today.AddDays(-3), Activity: "chest", Minutes: 50},
			{Member: ana, Date: today.AddDays(-2), Activity: "running", Minutes: 30},
			{Member: ana, Date: today.AddDays(-1), Activity: "back", Minutes: 45},
			{Member: luis, Date: today.AddDays(-3), Activity: "cycling", Minutes: 90},
			{Member: luis, Date: today, Activity: "yoga", Minutes: 30},
		}
		for _, w := range seed {
			if _, err := s.Insert(ctx, group, "", w); err != nil {
				t.Fatal(err)
			}
		}
		fx := newFixture(t, db, nil)
		got := fx.say(msg{from: luis, name: "Luis", text: "leaderboard?"})
		want := "This week (Mon 9 Mar to Sun 15 Mar):\n" +
			"1. Ana: 3 sessions, 125 min, 3-day streak\n" +
			"2. Luis: 2 sessions, 120 min\n" +
			"3. …0003: 0 sessions, 0 min\n" +
			"Group: 5 sessions, 245 min. …0003, the gym called. It misses you."
		if got != want {
			t.Fatalf("summary:\n%s\nwant:\n%s", got, want)
		}
	})
}
