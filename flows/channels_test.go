package flows_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/store"
)

// TestFlaggedWhatsAppTypesGetAPoliteNote: a message type a channel flags
// as unusable (webhooks/meta.UnsupportedType) is answered with a note that
// names it, and calls no model.
func TestFlaggedWhatsAppTypesGetAPoliteNote(t *testing.T) {
	cases := map[string]string{
		"application/x-whatsapp-reaction": "can't open reactions",
		"application/x-whatsapp-contacts": "can't open contact cards",
		"application/x-whatsapp-order":    "can't open that kind of message",
	}
	for ct, want := range cases {
		t.Run(ct, func(t *testing.T) {
			e := newEnv(t, nil)
			e.receive("", store.Media{ContentType: ct})
			e.run()
			got := e.store.replies()
			if len(got) != 1 || !strings.Contains(got[0], want) || len(e.model.reqs) != 0 {
				t.Fatalf("replies = %q, %d model calls", got, len(e.model.reqs))
			}
		})
	}
}

// readSender is a sender that can mark messages read.
type readSender struct {
	sender
	mu      sync.Mutex
	reads   []string
	typings []bool
	fail    error
}

func (s *readSender) MarkRead(ctx context.Context, id string, typing bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok {
		return errors.New("want a bounded call")
	}
	s.reads = append(s.reads, id)
	s.typings = append(s.typings, typing)
	return s.fail
}

// heldThreads is a Handoff whose listed threads are with a person.
type heldThreads map[string]bool

func (h heldThreads) Held(_ context.Context, th string) (bool, error) { return h[th], nil }
func (heldThreads) Unrecorded(context.Context, string) ([]flows.HumanMessage, error) {
	return nil, nil
}
func (heldThreads) Recorded(context.Context, string, int64) error { return nil }

// TestHeldThreadShowsNoTyping: a thread handed to a person is marked read,
// but without "typing…": no answer of the assistant's is coming.
func TestHeldThreadShowsNoTyping(t *testing.T) {
	for _, held := range []bool{false, true} {
		rs := &readSender{}
		e := newEnv(t, func(r *flows.Runner) {
			ch := r.Channels["twilio"]
			ch.Sender = rs
			r.Channels["twilio"] = ch
			r.Handoff = heldThreads{th: held}
		})
		e.store.add(store.Inbound{Channel: "twilio", ProviderID: "wamid.1", Thread: th, From: th, Body: "hi", ReceivedAt: e.now})
		e.run()
		if len(rs.typings) != 1 || rs.typings[0] == held {
			t.Errorf("held=%v: marked read with typing %v, want typing %v", held, rs.typings, !held)
		}
	}
}

// TestTurnStartMarksTheNewestMessageRead: when a turn starts, the newest of
// its messages is marked read (WhatsApp then shows every earlier one read
// too); a failure to mark does not stop the answer.
func TestTurnStartMarksTheNewestMessageRead(t *testing.T) {
	for _, fail := range []error{nil, errors.New("graph api down")} {
		rs := &readSender{fail: fail}
		e := newEnv(t, func(r *flows.Runner) {
			r.BurstWindow = time.Second
			ch := r.Channels["twilio"]
			ch.Sender = rs
			r.Channels["twilio"] = ch
		})
		for _, id := range []string{"wamid.1", "wamid.2"} {
			e.store.add(store.Inbound{Channel: "twilio", ProviderID: id, Thread: th, From: th, Body: "hi " + id, ReceivedAt: e.now})
		}
		e.now = e.now.Add(2 * time.Second)
		e.run()
		if strings.Join(rs.reads, ",") != "wamid.2" || !rs.typings[0] {
			t.Fatalf("marked read %q (typing %v), want the newest message once, with the typing indicator", rs.reads, rs.typings)
		}
		if got := e.store.replies(); len(got) != 1 {
			t.Fatalf("replies = %q (mark-as-read error %v)", got, fail)
		}
	}
}
