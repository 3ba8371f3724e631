package cli

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestModelHealth(t *testing.T) {
	at := time.Date(2026, time.December, 6, 12, 0, 0, 0, time.UTC)
	h := &modelHealth{now: func() time.Time { return at }}
	ctx := context.Background()
	c := h.check()
	if err := c.Check(ctx); err != nil || c.Note() != "no calls since the start" {
		t.Fatalf("fresh: %v, %q", err, c.Note())
	}
	h.recordFor(ctx, "whatsapp:+15551234567", errors.New("upstream 500 for whatsapp:+15551234567"))
	at = at.Add(3 * time.Minute)
	err := c.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "the latest call failed 3 minutes ago") || strings.Contains(err.Error(), "1234567") ||
		!strings.Contains(err.Error(), "has not answered since the start") {
		t.Fatalf("after a failure: %v", err)
	}
	h.record(ctx, nil)
	at = at.Add(time.Hour)
	if err := c.Check(ctx); err != nil || c.Note() != "last answered 1 hour ago; last failure 1 hour ago" {
		t.Fatalf("after a success: %v, %q", err, c.Note())
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	h.record(cancelled, context.Canceled)
	if err := c.Check(ctx); err != nil {
		t.Fatalf("a cancelled call counted as a failure: %v", err)
	}
	var none *modelHealth
	none.record(ctx, errors.New("x")) // a nil health records nothing, and does not panic
}
