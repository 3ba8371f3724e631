package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/store"
)

// testLastInbound checks the message that opens a thread's 24-hour window
// and names the channel of its proactive messages: the newest one, of that
// thread only, processed or not.
func testLastInbound(t *testing.T, b Backend) {
	s := b.Store
	ctx := context.Background()
	const thread, other = "whatsapp:+15551230201", "whatsapp:+15551230202"
	if _, err := s.LastInbound(ctx, thread); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LastInbound of an unknown thread: err = %v, want ErrNotFound", err)
	}
	first := msg(thread, "li1", "first")
	accept(t, s, first, time.Time{})
	second := msg(thread, "li2", "second")
	second.Channel, second.From, second.ReceivedAt = "meta", "whatsapp:+15551230201", t0().Add(time.Hour)
	accept(t, s, second, time.Time{})
	accept(t, s, msg(other, "li3", "other"), time.Time{})
	complete(t, s, thread, pendingIDs(t, s, thread))

	got, err := s.LastInbound(ctx, thread)
	if err != nil {
		t.Fatal(err)
	}
	if got.ProviderID != "li2" || got.Channel != "meta" || got.Body != "second" || !got.ReceivedAt.Equal(t0().Add(time.Hour)) {
		t.Fatalf("LastInbound = %+v, want li2 on meta at %v", got, t0().Add(time.Hour))
	}
	if err := s.DeleteThread(ctx, thread); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LastInbound(ctx, thread); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("LastInbound after erase: err = %v, want ErrNotFound", err)
	}
}

// testTemplateReply checks that an outbox row keeps its template.
func testTemplateReply(t *testing.T, b Backend) {
	s := b.Store
	const thread = "whatsapp:+15551230203"
	r := reply(thread, "booking:B1:approved", "B1 is confirmed.")
	r.ContentSID, r.ContentVariables = "HX0123456789abcdef0123456789abcdef", `{"1":"Ana","2":"Yoga","3":"Tue 8 Dec 10:00","4":"confirmed"}`
	plain := reply(thread, "turn:1", "hi")
	ids := complete(t, s, thread, nil, r, plain)
	got := outbound(t, s, ids[0])
	if got.ContentSID != r.ContentSID || got.ContentVariables != r.ContentVariables || got.Body != r.Body {
		t.Fatalf("template reply = %+v, want %+v", got, r)
	}
	if got := outbound(t, s, ids[1]); got.ContentSID != "" || got.ContentVariables != "" {
		t.Fatalf("free-text reply has a template: %+v", got)
	}
}
