package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
)

const (
	chat  = "120363000000000001@g.us"
	other = "120363000000000002@g.us"
	ana   = "34600000001@s.whatsapp.net"
	luis  = "34600000002@s.whatsapp.net"
	marta = "34600000003@s.whatsapp.net"
)

var day = gym.NewDate(2026, time.March, 12) // a Thursday

func workout(member string, d gym.Date, activity string, minutes int, source string) gym.Workout {
	return gym.Workout{Member: member, Date: d, Activity: activity, Minutes: minutes, SourceMessageID: source}
}

func TestRecordDuplicates(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		first := workout(ana, day, "biceps", 60, "evolution:A1")
		if o, err := s.Record(ctx, chat, "Ana", first); err != nil || !o.Inserted {
			t.Fatalf("first Record = %+v, %v", o, err)
		}
		tests := []struct {
			name       string
			chat       string
			w          gym.Workout
			dup        bool
			sameSource bool
		}{
			{"66 min is within 10% of 60", chat, workout(ana, day, "biceps", 66, "evolution:A2"), true, false},
			{"54 min is within 10% of 60", chat, workout(ana, day, "biceps", 54, ""), true, false},
			{"the same message again", chat, workout(ana, day, "legs", 20, "evolution:A1"), true, true},
			{"the same message from another chat id", other, workout(ana, day, "biceps", 60, "evolution:A1"), true, true},
			{"67 min is more than 10% off", chat, workout(ana, day, "biceps", 67, "evolution:A3"), false, false},
			{"another activity", chat, workout(ana, day, "legs", 60, "evolution:A4"), false, false},
			{"another day", chat, workout(ana, day.AddDays(-1), "biceps", 60, "evolution:A5"), false, false},
			{"another member", chat, workout(luis, day, "biceps", 60, "evolution:L1"), false, false},
			{"the same member in another chat", other, workout(ana, day, "biceps", 60, "evolution:B1"), false, false},
			{"no source id, new", chat, workout(marta, day, "running", 30, ""), false, false},
			{"no source id, duplicate of the one before", chat, workout(marta, day, "running", 31, ""), true, false},
		}
		for _, tc := range tests {
			o, err := s.Record(ctx, tc.chat, "", tc.w)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if o.Duplicate != tc.dup || o.Inserted == tc.dup || o.SameSource != tc.sameSource {
				t.Errorf("%s: outcome %+v, want duplicate=%v sameSource=%v", tc.name, o, tc.dup, tc.sameSource)
			}
			if tc.dup && o.Of.Member == "" {
				t.Errorf("%s: duplicate of nothing", tc.name)
			}
		}
		got, err := s.Workouts(ctx, chat, ana, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Workout != first || got[0].MemberName != "Ana" || got[0].Chat != chat {
			t.Fatalf("Ana's workouts on %s = %+v", day, got)
		}
	})
}

func TestInsertIsIdempotentOnSource(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		w := gym.Workout{Member: ana, Date: day, Activity: "running", Minutes: 30, DistanceKm: 5.25, Calories: 400, Sets: 0, SourceMessageID: "twilio:SM1"}
		for i, want := range []bool{true, false} {
			ok, err := s.Insert(ctx, chat, "Ana", w)
			if err != nil || ok != want {
				t.Fatalf("Insert #%d = %v, %v; want %v", i+1, ok, err, want)
			}
		}
		// Without a source id nothing stops a second row: Insert does no
		// duplicate check, Record does.
		w.SourceMessageID = ""
		for range 2 {
			if ok, err := s.Insert(ctx, chat, "Ana", w); err != nil || !ok {
				t.Fatalf("Insert without source = %v, %v", ok, err)
			}
		}
		c, err := s.Candidates(ctx, chat, w)
		if err != nil || len(c) != 3 || c[0].DistanceKm != 5.25 || c[0].Calories != 400 || c[0].SourceMessageID != "twilio:SM1" {
			t.Fatalf("Candidates = %+v, %v", c, err)
		}
	})
}

func TestInvalid(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		tests := []struct {
			name string
			chat string
			w    gym.Workout
		}{
			{"no chat", "", workout(ana, day, "legs", 30, "")},
			{"no member", chat, workout("", day, "legs", 30, "")},
			{"no date", chat, workout(ana, gym.Date{}, "legs", 30, "")},
			{"no activity", chat, workout(ana, day, "", 30, "")},
			{"no minutes", chat, workout(ana, day, "legs", 0, "")},
		}
		for _, tc := range tests {
			if _, err := s.Record(ctx, tc.chat, "", tc.w); !errors.Is(err, sqlstore.ErrInvalid) {
				t.Errorf("Record %s: %v, want ErrInvalid", tc.name, err)
			}
			if _, err := s.Insert(ctx, tc.chat, "", tc.w); !errors.Is(err, sqlstore.ErrInvalid) {
				t.Errorf("Insert %s: %v, want ErrInvalid", tc.name, err)
			}
		}
		if _, err := s.AddMember(ctx, chat, "", "x"); !errors.Is(err, sqlstore.ErrInvalid) {
			t.Errorf("AddMember without id: %v", err)
		}
	})
}

func TestMembers(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		steps := []struct {
			id, name string
			created  bool
		}{
			{luis, "Luis", true},
			{ana, "Ana", true},
			{ana, "", false},         // keeps "Ana"
			{luis, "Luis M.", false}, // renamed
			{marta, "", true},        // no name yet
			{ana, "Ana", false},      // unchanged
		}
		for _, st := range steps {
			created, err := s.AddMember(ctx, chat, st.id, st.name)
			if err != nil || created != st.created {
				t.Fatalf("AddMember(%s, %q) = %v, %v; want %v", st.id, st.name, created, err, st.created)
			}
		}
		if _, err := s.AddMember(ctx, other, ana, "Ana in the other group"); err != nil {
			t.Fatal(err)
		}
		if err := s.RemoveMember(ctx, chat, marta); err != nil {
			t.Fatal(err)
		}
		got, err := s.Members(ctx, chat)
		want := []sqlstore.Member{{ID: ana, Name: "Ana"}, {ID: luis, Name: "Luis M."}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Members = %+v, %v; want %+v", got, err, want)
		}
		if _, err := s.Record(ctx, chat, "Ana", workout(ana, day, "legs", 30, "m1")); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteChat(ctx, chat); err != nil || n != 1 {
			t.Fatalf("DeleteChat = %d, %v", n, err)
		}
		if got, _ := s.Members(ctx, chat); len(got) != 0 {
			t.Fatalf("members after DeleteChat: %+v", got)
		}
		if got, _ := s.Members(ctx, other); len(got) != 1 {
			t.Fatalf("DeleteChat touched another chat: %+v", got)
		}
	})
}

// seedWeek is a week of a group's data (Monday 9 to Sunday 15 March 2026,
// "today" Thursday 12), with days before it that feed streaks, a workout
// after today, and another group's workouts.
func seedWeek() (in []gym.Workout, others []gym.Workout) {
	mon := gym.NewDate(2026, time.March, 9)
	d := func(n int) gym.Date { return mon.AddDays(n) }
	in = []gym.Workout{
		// Ana: every day from last Saturday to today: streak 6.
		workout(ana, d(-2), "legs", 60, "s1"),
		workout(ana, d(-1), "running", 30, "s2"),
		workout(ana, d(0), "chest+triceps", 75, "s3"),
		workout(ana, d(1), "biceps", 45, "s4"),
		workout(ana, d(2), "running", 40, "s5"),
		workout(ana, d(2), "yoga", 20, "s6"), // two on Wednesday: 1 active day
		workout(ana, d(3), "legs", 50, "s7"),
		// Luis: Monday and Wednesday, then nothing today: streak 1
		// (yesterday), 2 sessions.
		{Member: luis, Date: d(0), Activity: "running", Minutes: 30, DistanceKm: 5.25, Calories: 350, SourceMessageID: "s8"},
		{Member: luis, Date: d(2), Activity: "running", Minutes: 33, DistanceKm: 5.5, Calories: 360, SourceMessageID: "s9"},
		// Marta: last month and tomorrow only (ignored: after today).
		workout(marta, gym.NewDate(2026, time.February, 27), "swimming", 45, "s10"),
		workout(marta, d(4), "swimming", 45, "s11"),
		// Pablo: ties with Luis on sessions and minutes.
		workout("pablo", d(1), "cycling", 30, "s12"),
		workout("pablo", d(3), "cycling", 33, "s13"),
	}
	others = []gym.Workout{workout(ana, d(1), "legs", 500, "o1")}
	return in, others
}

func TestSummaryMatchesReference(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		in, others := seedWeek()
		for _, w := range in {
			if ok, err := s.Insert(ctx, chat, "", w); err != nil || !ok {
				t.Fatalf("seed %+v: %v, %v", w, ok, err)
			}
		}
		for _, w := range others {
			if _, err := s.Insert(ctx, other, "", w); err != nil {
				t.Fatal(err)
			}
		}
		today := gym.NewDate(2026, time.March, 12)
		members := []string{ana, luis, marta, "zoe"}
		tests := []struct {
			period gym.Period
			today  gym.Date
		}{
			{gym.PeriodWeek, today},
			{gym.PeriodMonth, today},
			{gym.PeriodWeek, today.AddDays(3)},    // Sunday: Marta's swim counts
			{gym.PeriodMonth, today.AddDays(-12)}, // February
			{"", today},                           // unknown period is a week
		}
		for _, tc := range tests {
			got, err := s.Summary(ctx, chat, tc.period, tc.today, members)
			if err != nil {
				t.Fatal(err)
			}
			want := gym.Summarize(in, tc.period, tc.today, members)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Summary(%s, %s):\n got %+v\nwant %+v", tc.period, tc.today, got, want)
			}
		}

		// The week as of Thursday, spelled out.
		got, err := s.Summary(ctx, chat, gym.PeriodWeek, today, members)
		if err != nil {
			t.Fatal(err)
		}
		type line struct {
			member                                string
			rank, sessions, minutes, days, streak int
		}
		var lines []line
		for _, m := range got.Members {
			lines = append(lines, line{m.Member, m.Rank, m.Sessions, m.Minutes, m.ActiveDays, m.Streak})
		}
		wantLines := []line{
			{ana, 1, 5, 230, 4, 6},
			{luis, 2, 2, 63, 2, 1},
			{"pablo", 2, 2, 63, 2, 1},
			{marta, 4, 0, 0, 0, 0},
			{"zoe", 4, 0, 0, 0, 0},
		}
		if !reflect.DeepEqual(lines, wantLines) {
			t.Errorf("week lines = %+v\nwant %+v", lines, wantLines)
		}
		if got.TotalSessions != 9 || got.TotalMinutes != 356 || got.From != gym.NewDate(2026, time.March, 9) || got.To != gym.NewDate(2026, time.March, 15) {
			t.Errorf("week totals = %d sessions, %d min, %s..%s", got.TotalSessions, got.TotalMinutes, got.From, got.To)
		}
		if l := got.Members[1]; l.DistanceKm != 10.75 || l.Calories != 710 {
			t.Errorf("Luis's distance and calories = %v km, %d kcal", l.DistanceKm, l.Calories)
		}
	})
}

func TestSummaryEmpty(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		got, err := sqlstore.New(db).Summary(context.Background(), chat, gym.PeriodWeek, day, nil)
		if err != nil || len(got.Members) != 0 || got.TotalSessions != 0 {
			t.Fatalf("empty summary = %+v, %v", got, err)
		}
	})
}
