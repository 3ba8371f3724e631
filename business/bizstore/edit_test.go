package bizstore_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

func TestUpdateProfile(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, p *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		v1, _ := s.Version(ctx)
		doc := *p
		doc.FAQs = nil
		y, err := doc.YAML()
		if err != nil {
			t.Fatal(err)
		}
		edited := strings.Replace(string(y), "name: Forma Gym", "name: Forma Gym Centro", 1)
		got, err := s.UpdateProfile(ctx, "console", []byte(edited))
		if err != nil || got.Name != "Forma Gym Centro" || len(got.FAQs) != len(p.FAQs) {
			t.Fatalf("update = %+v, %v", got, err)
		}
		if v2, _ := s.Version(ctx); v2 <= v1 {
			t.Fatalf("version %d after %d", v2, v1)
		}
		// The same file imported again changes nothing: the edit stands.
		if changed, _, err := s.ImportFile(ctx, exampleFile); err != nil || changed {
			t.Fatalf("re-import: %v, %v", changed, err)
		}
		if p2, _ := s.Profile(ctx); p2.Name != "Forma Gym Centro" {
			t.Fatalf("the edit did not stand: %q", p2.Name)
		}
		if _, err := s.UpdateProfile(ctx, "console", []byte(edited+"colour: green\n")); err == nil || !strings.Contains(err.Error(), "colour: unknown field") {
			t.Fatalf("unknown field: %v", err)
		}
		if _, err := s.UpdateProfile(ctx, "console", []byte(edited+"faqs:\n  - {q: a?, a: b}\n")); !errors.Is(err, bizstore.ErrFAQsInProfile) {
			t.Fatalf("faqs in the profile: %v", err)
		}
	})
}

func TestMoveFAQ(t *testing.T) {
	each(t, func(t *testing.T, s *bizstore.Store, _ *business.Profile, _ *sql.DB) {
		ctx := context.Background()
		fs, err := s.FAQs(ctx)
		if err != nil || len(fs) < 2 {
			t.Fatalf("faqs = %v, %v", fs, err)
		}
		if err := s.MoveFAQ(ctx, fs[1].ID, true); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FAQs(ctx)
		if got[0].ID != fs[1].ID || got[1].ID != fs[0].ID {
			t.Fatalf("after moving the second up: %v", got)
		}
		if err := s.MoveFAQ(ctx, got[0].ID, true); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.FAQs(ctx); again[0].ID != got[0].ID {
			t.Fatal("moving the first up changed the order")
		}
		if err := s.MoveFAQ(ctx, got[0].ID, false); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.FAQs(ctx); again[1].ID != got[0].ID {
			t.Fatal("moving down did not move it")
		}
		if err := s.MoveFAQ(ctx, 999999, true); !errors.Is(err, bizstore.ErrNotFound) {
			t.Fatalf("unknown faq: %v", err)
		}
	})
}
