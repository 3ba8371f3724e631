package storetest

import (
	"context"
	"testing"

	"github.com/switchboardhq/switchboard/store"
)

// testAnswer: the reply to a message is found by its channel and provider
// id once the turn that read it committed, whichever message of a merged
// turn is asked about.
func testAnswer(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const th = "json:visitor-42"
	in := func(id, body string) store.Inbound {
		return store.Inbound{Channel: "json", ProviderID: id, Thread: th, From: "visitor-42", To: "json", Body: body, ReceivedAt: t0()}
	}
	answer := func(channel, id string) store.Answer {
		t.Helper()
		a, err := s.Answer(ctx, channel, id)
		if err != nil {
			t.Fatalf("Answer(%s, %s): %v", channel, id, err)
		}
		return a
	}
	if a := answer("json", "nope"); a != (store.Answer{}) {
		t.Fatalf("unknown message: %+v", a)
	}
	for _, id := range []string{"a", "b", "c"} {
		accept(t, s, in(id, "message "+id), t0())
	}
	if a := answer("json", "a"); !a.Found || a.Done || a.Thread != th {
		t.Fatalf("pending message: %+v", a)
	}
	if a := answer("twilio", "a"); a.Found {
		t.Fatalf("another channel's id: %+v", a)
	}
	ids := pendingIDs(t, s, th)
	keys := store.AnswerKeys(ids[1])
	replies := []store.Outbound{
		{Thread: th, Channel: "json", To: "visitor-42", Key: keys[0], Body: "I can't open that file.", Status: store.StatusPending},
		{Thread: th, Channel: "json", To: "visitor-42", Key: keys[1], Body: "Hello!", Status: store.StatusPending},
		{Thread: th, Channel: "json", To: "visitor-42", Key: "ratelimit:1", Body: "Slow down.", Status: store.StatusPending},
	}
	if _, err := s.Complete(ctx, th, ids[:2], replies); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if a := answer("json", id); !a.Found || !a.Done || a.Text != "I can't open that file.\n\nHello!" {
			t.Fatalf("message %s of the turn: %+v", id, a)
		}
	}
	if a := answer("json", "c"); a.Done {
		t.Fatalf("a message of the next turn: %+v", a)
	}
	if _, err := s.Complete(ctx, th, ids[2:], nil); err != nil {
		t.Fatal(err)
	}
	if a := answer("json", "c"); !a.Done || a.Text != "" {
		t.Fatalf("a turn that answered nothing: %+v", a)
	}
}
