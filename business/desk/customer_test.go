package desk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/desk"
)

func TestOptOut(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, out *outbox, _ *threads, p *business.Profile) {
		ctx := context.Background()
		if _, ok, _ := d.Opt(ctx, ana, "please stop"); ok {
			t.Error("a sentence is not an opt-out")
		}
		reply, ok, err := d.Opt(ctx, ana, " baja ")
		if err != nil || !ok || !strings.Contains(reply, "ALTA") {
			t.Fatalf("BAJA: %q %v %v", reply, ok, err)
		}
		b := book(t, d, p, "2026-12-08T10:00", "twilio:SM1")
		dec, err := d.Decide(ctx, b.Ref, business.StatusApproved, business.Actor{Kind: business.ActorOwner, ID: owner}, "")
		if err != nil || dec.Told || !strings.Contains(dec.NotTold, "opted out") || len(out.sent) != 0 {
			t.Errorf("decision for an opted-out customer: %+v %v, sent %v", dec, err, out.sent)
		}
		if reply, ok, err := d.Opt(ctx, ana, "Alta"); err != nil || !ok || !strings.Contains(reply, "volverás") {
			t.Fatalf("ALTA: %q %v %v", reply, ok, err)
		}
		if dec, err := d.Decide(ctx, b.Ref, business.StatusCancelled, business.Actor{Kind: business.ActorOwner, ID: owner}, ""); err != nil || !dec.Told {
			t.Errorf("after ALTA: %+v %v", dec, err)
		}
	})
}

func TestFAQAnswer(t *testing.T) {
	each(t, func(t *testing.T, d *desk.Desk, _ *outbox, _ *threads, _ *business.Profile) {
		ctx := context.Background()
		a, ok, err := d.FAQAnswer(ctx, "when are you open?")
		if err != nil || !ok || !strings.HasPrefix(a, "Mon-Thu 7:00-22:00") {
			t.Errorf("hours: %q %v %v", a, ok, err)
		}
		if a, ok, _ := d.FAQAnswer(ctx, "can I bring my dog?"); ok {
			t.Errorf("a question with no FAQ got %q", a)
		}
	})
}
