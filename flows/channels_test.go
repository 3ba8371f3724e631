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
	mu    sync.Mutex
	reads []string
	fail  error
}

func (s *readSender) MarkRead(ctx context.Context, id string, typing bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := ctx.Deadline(); !ok || !typing {
		return errors.New("want a bounded call with the typing indicator")
	}
	s.reads = append(s.reads, id)
	return s.fail
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
		if strings.Join(rs.reads, ",") != "wamid.2" {
			t.Fatalf("marked read %q, want the newest message once", rs.reads)
		}
		if got := e.store.replies(); len(got) != 1 {
			t.Fatalf("replies = %q (mark-as-read error %v)", got, fail)
		}
	}
}
