package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business/desk"
)

const handoffCustomer = "whatsapp:+34600111222"

// withHandoff gives the desk a hand-off whose notices go to one owner.
func withHandoff(dk *desk.Desk, n *notices) {
	dk.Threads = &desk.Handoff{Store: dk.Store, Timeout: 24 * time.Hour,
		Announcer: &desk.Announcer{Notifier: n, Owners: []string{"whatsapp:+34699000000"}}}
}

func TestHandoffPages(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		dk, sent := frontDesk(t, d)
		withHandoff(dk, sent)
		seedInbound(t, d, handoffCustomer, "Can I talk to someone?", "", bizNow.Add(-time.Minute))
		h := newHarness(t, d, withDesk(dk))
		h.addStaff("sam")
		u := h.signIn("sam", "staff password") // staff handle hand-offs
		ctx := context.Background()

		if r := u.get("/console/handoff"); r.status != 200 || !strings.Contains(r.body, "No conversation is with a person") {
			t.Fatalf("empty hand-off page: %d", r.status)
		}
		refusals := []struct {
			name, path string
			form       url.Values
			want       string
		}{
			{"no number", "/console/handoff/pause", url.Values{"thread": {""}}, "Write the customer&#39;s number"},
			{"a group", "/console/handoff/pause", url.Values{"thread": {"evolution:120363000000000001@g.us"}}, "is not a customer&#39;s number"},
			{"long reason", "/console/handoff/pause", url.Values{"thread": {"+34600111222"}, "reason": {strings.Repeat("x", 301)}}, "Keep the reason under 300"},
			{"empty reply", "/console/handoff/reply", url.Values{"thread": {"+34600111222"}, "text": {" "}, "nonce": {"0123456789abcdef01234567"}}, "Write the message first"},
			{"no nonce", "/console/handoff/reply", url.Values{"thread": {"+34600111222"}, "text": {"hi"}}, "This form has expired"},
			{"long reply", "/console/handoff/reply", url.Values{"thread": {"+34600111222"}, "text": {strings.Repeat("x", 1601)}, "nonce": {"0123456789abcdef01234567"}}, "Keep the message under 1600"},
		}
		for _, tc := range refusals {
			if r := u.post(tc.path, tc.form, true); r.status != http.StatusBadRequest || !strings.Contains(r.body, tc.want) {
				t.Errorf("%s: %d, body lacks %q", tc.name, r.status, tc.want)
			}
		}
		if r := u.post("/console/handoff/pause", url.Values{"thread": {"+34 600 111 222"}}, false); r.status != http.StatusForbidden {
			t.Errorf("pause without the form token: %d", r.status)
		}
		if held, _ := dk.Threads.(*desk.Handoff).Held(ctx, handoffCustomer); held {
			t.Fatal("a refused form paused the thread")
		}

		// Pause from the conversation page: the owners are told once.
		r := u.post("/console/handoff/pause", url.Values{"thread": {"+34 600 111 222"}, "reason": {"billing"}, "back": {"conversation"}}, true)
		if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "/console/conversation?t=whatsapp%3A%2B34600111222&done=paused") {
			t.Fatalf("pause: %d %s", r.status, r.header.Get("Location"))
		}
		u.post("/console/handoff/pause", url.Values{"thread": {"+34600111222"}}, true)
		var told int
		for _, s := range sent.texts() {
			if strings.Contains(s, "+34600111222 is now handled by a person: billing") && strings.Contains(s, "> Can I talk to someone?") {
				told++
			}
		}
		if told != 1 {
			t.Fatalf("owners told %d times: %q", told, sent.texts())
		}
		if r := u.get("/console/conversation?t=whatsapp%3A%2B34600111222&done=paused"); !strings.Contains(r.body, "With a person") || !strings.Contains(r.body, "Give back to the assistant") || !strings.Contains(r.body, "Paused: the assistant stays silent") {
			t.Fatalf("conversation page does not show the hand-off: %d", r.status)
		}
		if r := u.get("/console/conversations"); !strings.Contains(r.body, "With a person") {
			t.Fatal("conversation list does not show the hand-off")
		}
		if r := u.get("/console/handoff"); !strings.Contains(r.body, "whatsapp:&#43;34600111222") || !strings.Contains(r.body, "sam, in the console") || !strings.Contains(r.body, "Why: billing") {
			t.Fatalf("hand-off page lacks the thread: %d\n%s", r.status, r.body)
		}

		// A reply sent twice (the same form) goes out and is recorded once.
		form := url.Values{"thread": {handoffCustomer}, "text": {"Hi, Sam here."}, "nonce": {"00112233445566778899aabb"}}
		for range 2 {
			if r := u.post("/console/handoff/reply", form, true); r.status != http.StatusSeeOther {
				t.Fatalf("reply: %d %s", r.status, r.body)
			}
		}
		if got := sent.sent[handoffCustomer+" console-reply:00112233445566778899aabb"]; got != "Hi, Sam here." {
			t.Fatalf("customer got %q", got)
		}
		rs, err := dk.Store.UnrecordedReplies(ctx, handoffCustomer)
		if err != nil || len(rs) != 1 || rs[0].Author != "console:sam" {
			t.Fatalf("recorded replies = %+v, %v", rs, err)
		}

		// Give it back.
		if r := u.post("/console/handoff/resume", url.Values{"thread": {handoffCustomer}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("resume: %d", r.status)
		}
		if held, _ := dk.Threads.(*desk.Handoff).Held(ctx, handoffCustomer); held {
			t.Fatal("still held after resume")
		}
		if r := u.get("/console/conversation?t=whatsapp%3A%2B34600111222"); !strings.Contains(r.body, "The assistant answers this conversation") {
			t.Fatal("conversation page still shows the hand-off")
		}
		acts, err := h.c.Accounts().AuditTrail(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		var trail []string
		for _, a := range acts {
			trail = append(trail, a.Action)
		}
		for _, want := range []string{"handed a conversation to a person", "wrote to a customer", "gave a conversation back to the assistant"} {
			if !strings.Contains(strings.Join(trail, "|"), want) {
				t.Errorf("audit trail lacks %q: %v", want, trail)
			}
		}
	})
}

func TestLeadContacted(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		dk, _ := frontDesk(t, d)
		h := newHarness(t, d, withDesk(dk))
		h.addStaff("sam")
		u := h.signIn("sam", "staff password")
		ls, err := dk.Store.Leads(context.Background(), 0)
		if err != nil || len(ls) == 0 {
			t.Fatal(ls, err)
		}
		if r := u.get("/console/leads"); strings.Count(r.body, "Mark contacted") != len(ls) {
			t.Fatalf("leads page: %d buttons for %d leads", strings.Count(r.body, "Mark contacted"), len(ls))
		}
		id := ls[0].ID
		if r := u.post("/console/leads/contacted", url.Values{"id": {itoa(int(id))}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("mark contacted: %d %s", r.status, r.body)
		}
		if r := u.get("/console/leads"); !strings.Contains(r.body, "by sam") || strings.Count(r.body, "Mark contacted") != len(ls)-1 {
			t.Fatal("the lead is not shown contacted")
		}
		for _, bad := range []string{"", "x", "-1"} {
			if r := u.post("/console/leads/contacted", url.Values{"id": {bad}}, true); r.status != http.StatusBadRequest {
				t.Errorf("id %q: %d", bad, r.status)
			}
		}
		if r := u.post("/console/leads/contacted", url.Values{"id": {"999999"}}, true); r.status != http.StatusNotFound {
			t.Errorf("unknown lead: %d", r.status)
		}
	})
}
