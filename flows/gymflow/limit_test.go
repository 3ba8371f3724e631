package gymflow_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
)

// at sets every message of the turn to the time t.
func at(tr flows.Turn, t time.Time) flows.Turn {
	for i := range tr.Messages {
		tr.Messages[i].ReceivedAt = t
		tr.Input.Messages[i].Time = t
	}
	return tr
}

// TestMemberRateLimit checks the per-member limit in a group: a member
// over it loses the rest of their minute, with one notice, while the
// others' messages of the same turns are read in order; a retried turn
// decides the same; the next minute reads them again.
func TestMemberRateLimit(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		fx := newFixture(t, db, func(c *gymflow.Config) { c.MemberRateLimit = 3 })
		minute := now.Add(-10 * time.Minute).Truncate(time.Minute)
		burst := fx.turn(
			msg{from: ana, name: "Ana", text: "biceps 10 min"},
			msg{from: ana, name: "Ana", text: "triceps 11 min"},
			msg{from: luis, name: "Luis", text: "swim 30 min"},
			msg{from: ana, name: "Ana", text: "legs 12 min"},
			msg{from: ana, name: "Ana", text: "chest 13 min"}, // over: dropped, with the notice
			msg{from: ana, name: "Ana", text: "back 14 min"},  // over: dropped, silent
			msg{from: luis, name: "Luis", text: "yoga 40 min"},
		)
		burst = at(burst, minute.Add(5*time.Second))
		got := fx.run(burst).Text
		mustContain(t, "the burst's reply", got, "Ana, that's more than 3 messages from you in a minute", "swimming 30 min", "yoga 40 min")
		if n := strings.Count(got, "more than 3 messages"); n != 1 {
			t.Errorf("%d notices in %q, want 1", n, got)
		}
		want := "Luis swimming 30; Luis yoga 40; Ana biceps 10; Ana triceps 11; Ana legs 12"
		if s := whoDid(fx.workouts()); !sameEntries(s, want) {
			t.Fatalf("stored %s\nwant   %s", s, want)
		}

		// the same turn again (a retried job): the same decisions, the same reply
		if again := fx.run(burst).Text; again != got {
			t.Errorf("retried reply %q, want %q", again, got)
		}
		if n := len(fx.workouts()); n != 5 {
			t.Errorf("%d workouts after the retry, want 5", n)
		}

		// still the same minute: Ana is dropped silently, Luis is read
		later := at(fx.turn(msg{from: ana, name: "Ana", text: "glutes 15 min"}, msg{from: luis, name: "Luis", text: "padel 60 min"}), minute.Add(40*time.Second))
		reply := fx.run(later).Text
		if strings.Contains(reply, "more than 3") || !strings.Contains(reply, "padel 60 min") {
			t.Errorf("reply in the same minute = %q, want Luis's log and no second notice", reply)
		}
		alone := at(fx.turn(msg{from: ana, name: "Ana", text: "abs 16 min"}), minute.Add(50*time.Second))
		if reply := fx.run(alone).Text; reply != "" {
			t.Errorf("a dropped message alone got the reply %q, want none", reply)
		}

		// the next minute: Ana is read again
		next := at(fx.turn(msg{from: ana, name: "Ana", text: "abs 16 min"}), minute.Add(70*time.Second))
		mustContain(t, "the next minute's reply", fx.run(next).Text, "abs 16 min")
		if n := len(fx.workouts()); n != 7 {
			t.Errorf("%d workouts, want 7: %s", n, describe(fx.workouts()))
		}
		if !fx.metric(`switchboard_gym_rate_limited_total 1`) {
			t.Errorf("metrics lack the rate limit:\n%s", fx.metricsText())
		}
	})
}

// whoDid describes stored workouts by member, activity and minutes.
func whoDid(es []sqlstore.Entry) string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s %s %d", e.MemberName, e.Activity, e.Minutes))
	}
	return strings.Join(out, "; ")
}

// sameEntries compares two described lists of workouts in any order.
func sameEntries(a, b string) bool {
	as, bs := strings.Split(a, "; "), strings.Split(b, "; ")
	if len(as) != len(bs) {
		return false
	}
	seen := map[string]int{}
	for _, x := range as {
		seen[x]++
	}
	for _, x := range bs {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}
