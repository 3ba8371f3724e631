package gymflow_test

import (
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
)

// TestUndoAndCorrect: a member undoes or corrects their last log with a
// few words; the reply says what changed; nobody else's log is touched.
func TestUndoAndCorrect(t *testing.T) {
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
	fx.say(msg{from: ana, name: "Ana", text: "legs 45 min"})
	fx.say(msg{from: luis, name: "Luis", text: "tenis 1h"})

	got := fx.say(msg{from: ana, name: "Ana", text: "that was 40 not 45"})
	mustContain(t, "reply", got, "Fixed, Ana: legs 45 min (today) is now legs 40 min (today).")
	got = fx.say(msg{from: luis, name: "Luis", text: "era pádel, no tenis"})
	mustContain(t, "reply", got, "Fixed, Luis: tennis 60 min (today) is now padel 60 min (today).")
	if w := fx.workouts(); len(w) != 2 || w[0].Activity != "legs" || w[0].Minutes != 40 || w[1].Activity != "padel" {
		t.Fatalf("stored: %s", describe(w))
	}

	// a correction that does not match the last log changes nothing
	got = fx.say(msg{from: ana, name: "Ana", text: "it was 30 min, not 50"})
	mustContain(t, "reply", got, "Ana, your last log was legs 40 min (today); I changed nothing.")

	got = fx.say(msg{from: ana, name: "Ana", text: "undo"})
	mustContain(t, "reply", got, "Undone, Ana: I removed legs 40 min (today).")
	if w := fx.workouts(); len(w) != 1 || w[0].Activity != "padel" {
		t.Fatalf("after undo: %s", describe(w))
	}
	got = fx.say(msg{from: ana, name: "Ana", text: "borra el último"})
	mustContain(t, "reply", got, "Ana, I have nothing you logged in the last 24 hours to change.")
	if w := fx.workouts(); len(w) != 1 {
		t.Fatalf("a second undo removed Luis's: %s", describe(w))
	}
}

// TestUndoWindow: the last log is remembered in the checkpoint (an undo
// works after a restart) for CorrectionWindow, and no longer.
func TestUndoWindow(t *testing.T) {
	clock := now
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) { c.Clock = func() time.Time { return clock } })
	fx.say(msg{from: ana, name: "Ana", text: "45 min de pádel y 30 de gimnasio"})
	fx.flow = fx.newFlow(func(c *gymflow.Config) { c.Clock = func() time.Time { return clock }; c.Metrics = nil }) // a restart
	clock = now.Add(2 * time.Hour)
	got := fx.say(msg{from: ana, name: "Ana", text: "deshacer"})
	mustContain(t, "reply", got, "Undone, Ana: I removed padel 45 min (today), strength 30 min (today).")
	if w := fx.workouts(); len(w) != 0 {
		t.Fatalf("after undo: %s", describe(w))
	}
	fx.say(msg{from: ana, name: "Ana", text: "swim 30 min"})
	clock = clock.Add(gymflow.CorrectionWindow + time.Minute)
	got = fx.say(msg{from: ana, name: "Ana", text: "undo"})
	mustContain(t, "reply", got, "nothing you logged in the last 24 hours")
	if w := fx.workouts(); len(w) != 1 {
		t.Fatalf("an undo after the window removed: %s", describe(w))
	}
}

// TestCorrectInSameTurn: a log and its correction merged into one turn
// (a burst) store the corrected workout, and the reply says both.
func TestCorrectInSameTurn(t *testing.T) {
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
	got := fx.say(msg{from: ana, name: "Ana", text: "legs 45 min"}, msg{from: ana, name: "Ana", text: "sorry, it was 50 min, not 45"})
	mustContain(t, "reply", got, "legs 45 min (today)", "Fixed, Ana: legs 45 min (today) is now legs 50 min (today).")
	if w := fx.workouts(); len(w) != 1 || w[0].Minutes != 50 {
		t.Fatalf("stored: %s", describe(w))
	}
}

// TestCorrectDistance: "make that 10k not 8" sets the distance of the
// member's last run right and says so; a wrong distance that matches
// nothing changes nothing.
func TestCorrectDistance(t *testing.T) {
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), nil)
	fx.say(msg{from: ana, name: "Ana", text: "run 8k in 45 min, then 20 min core"})
	got := fx.say(msg{from: ana, name: "Ana", text: "wait no make that 10k not 8"})
	mustContain(t, "reply", got, "Fixed, Ana: running 45 min 8 km (today) is now running 45 min 10 km (today).")
	w := fx.workouts()
	if len(w) != 2 || w[0].Activity != "running" || w[0].DistanceKm != 10 || w[1].DistanceKm != 0 {
		t.Fatalf("stored: %s", describe(w))
	}
	got = fx.say(msg{from: ana, name: "Ana", text: "it was 12k not 15"})
	mustContain(t, "reply", got, "your last log was running 45 min 10 km (today), abs 20 min (today); I changed nothing.")

	fx.say(msg{from: luis, name: "Luis", text: "bici 1h, 25 km"})
	got = fx.say(msg{from: luis, name: "Luis", text: "perdón, fueron 28 km"})
	mustContain(t, "reply", got, "Fixed, Luis: cycling 60 min 25 km (today) is now cycling 60 min 28 km (today).")
}
