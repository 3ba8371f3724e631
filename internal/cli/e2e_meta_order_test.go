package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

// TestE2EMetaOrderAcrossAndWithinPosts: several messages of one sender in
// one POST (and of another sender between them), then more in a second
// POST, and the first POST redelivered: without burst merging every message
// gets one reply, in the order it was sent, and the redelivery none.
func TestE2EMetaOrderAcrossAndWithinPosts(t *testing.T) {
	e := newMetaE2E(t, nil)
	e.start()
	const bob = "15551230004"
	first := metatest.NewPayload(metaNumberID)
	for i := 1; i <= 3; i++ {
		first.Text(metaAna, "Ana", nextWamid(), fmt.Sprintf("message %d", i))
		first.Text(bob, "Bob", nextWamid(), fmt.Sprintf("bob %d", i))
	}
	second := metatest.NewPayload(metaNumberID)
	for i := 4; i <= 5; i++ {
		second.Text(metaAna, "Ana", nextWamid(), fmt.Sprintf("message %d", i))
	}
	for _, body := range [][]byte{first.Bytes(), second.Bytes(), first.Bytes()} {
		if code := postMeta(t, e.addr, body); code != 200 {
			t.Fatalf("webhook = %d", code)
		}
	}
	got := e.sentTo(metaAna, 5, 60*time.Second)
	want := "echo: message 1,echo: message 2,echo: message 3,echo: message 4,echo: message 5"
	if strings.Join(got, ",") != want {
		t.Fatalf("Ana's replies %q", got)
	}
	if got := e.sentTo(bob, 3, 30*time.Second); strings.Join(got, ",") != "echo: bob 1,echo: bob 2,echo: bob 3" {
		t.Fatalf("Bob's replies %q", got)
	}
}

// TestE2EMetaBurstIsOneTurn: a burst split over two POSTs, the first
// carrying two messages, is answered once, with the messages in order.
func TestE2EMetaBurstIsOneTurn(t *testing.T) {
	e := newMetaE2E(t, map[string]string{"BURST_WINDOW": "700ms"})
	e.start()
	postMeta(t, e.addr, metatest.NewPayload(metaNumberID).
		Text(metaAna, "Ana", nextWamid(), "hi").
		Text(metaAna, "Ana", nextWamid(), "I need").Bytes())
	postMeta(t, e.addr, metaText(metaAna, "a table for two"))
	got := e.sentTo(metaAna, 1, 20*time.Second)
	if len(got) != 1 || got[0] != "echo: hi | I need | a table for two" {
		t.Fatalf("replies = %q", got)
	}
}
