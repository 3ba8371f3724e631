package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
)

func TestUndoAndCorrect(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s := sqlstore.New(db)
		for _, w := range []struct {
			member, activity, source string
			minutes                  int
		}{{ana, "legs", "evolution:A1", 45}, {ana, "abs", "evolution:A1#2", 15}, {luis, "tennis", "evolution:L1", 60}} {
			if _, err := s.Insert(ctx, chat, "", workout(w.member, day, w.activity, w.minutes, w.source)); err != nil {
				t.Fatal(err)
			}
		}
		es, err := s.BySource(ctx, chat, ana, []string{"evolution:A1", "evolution:A1#2", "evolution:L1"})
		if err != nil || len(es) != 2 || es[0].Activity != "legs" || es[1].Activity != "abs" {
			t.Fatalf("BySource = %+v, %v; want ana's two", es, err)
		}
		// Luis cannot touch Ana's workouts.
		if n, err := s.Delete(ctx, chat, luis, []string{"evolution:A1"}); err != nil || n != 0 {
			t.Fatalf("Delete of another member's = %d, %v", n, err)
		}
		if ok, err := s.Correct(ctx, chat, luis, "evolution:A1", workout(luis, day, "padel", 40, "")); err != nil || ok {
			t.Fatalf("Correct of another member's = %v, %v", ok, err)
		}
		fixed := workout(ana, day, "padel", 40, "")
		fixed.DistanceKm = 2.5
		if ok, err := s.Correct(ctx, chat, ana, "evolution:A1", fixed); err != nil || !ok {
			t.Fatalf("Correct = %v, %v", ok, err)
		}
		if n, err := s.Delete(ctx, chat, ana, []string{"evolution:A1#2"}); err != nil || n != 1 {
			t.Fatalf("Delete = %d, %v", n, err)
		}
		left, err := s.Workouts(ctx, chat, "", day, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(left) != 2 || left[0].Activity != "padel" || left[0].Minutes != 40 || left[0].DistanceKm != 2.5 || left[0].SourceMessageID != "evolution:A1" || left[1].Member != luis {
			t.Fatalf("left = %+v", left)
		}
		if _, err := s.Delete(ctx, chat, ana, nil); !errors.Is(err, sqlstore.ErrInvalid) {
			t.Fatalf("Delete of nothing = %v, want ErrInvalid", err)
		}
		if _, err := s.Correct(ctx, chat, ana, "evolution:A1", workout(ana, day, "padel", 0, "")); !errors.Is(err, sqlstore.ErrInvalid) {
			t.Fatalf("Correct to 0 minutes = %v, want ErrInvalid", err)
		}
	})
}
