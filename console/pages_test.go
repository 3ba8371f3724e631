package console

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/llmtest"
)

// seedConversation stores a conversation with a voice note, a photo, a
// tool call and replies in several delivery states.
func seedConversation(t testing.TB, d testDB, thread string, at time.Time) {
	t.Helper()
	in1 := seedInbound(t, d, thread, "Are you open on Saturday? <script>alert(1)</script>", "", at)
	in2 := seedInbound(t, d, thread, "", `[{"url":"https://media.example/v1","content_type":"audio/ogg"}]`, at.Add(time.Minute))
	in3 := seedInbound(t, d, thread, "this one", `[{"url":"https://media.example/i1","content_type":"image/jpeg"}]`, at.Add(2*time.Minute))
	seedReply(t, d, thread, fmt.Sprintf("turn:%d", in1), "Yes, 9 to 2.", "read", at.Add(30*time.Second))
	seedReply(t, d, thread, fmt.Sprintf("turn:%d", in2), "Booked!", "delivered", at.Add(90*time.Second))
	seedReply(t, d, thread, fmt.Sprintf("turn:%d", in3), "Nice photo.", "failed", at.Add(150*time.Second))
	seedHistory(t, d, thread, []llm.Message{
		{ID: fmt.Sprint(in1), Role: llm.RoleUser, Content: "Are you open on Saturday?"},
		{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c1", Name: "opening_hours", Arguments: `{"day":"saturday"}`}}, Usage: &llm.Usage{InputTokens: 100, OutputTokens: 10}},
		{Role: llm.RoleTool, ToolCallID: "c1", Name: "opening_hours", Content: "Open 9:00-14:00"},
		{Role: llm.RoleAssistant, Content: "Yes, 9 to 2.", Usage: &llm.Usage{InputTokens: 120, OutputTokens: 8}},
		{ID: fmt.Sprint(in2), Role: llm.RoleUser, Content: "[voice note] book me for ten please"},
		{Role: llm.RoleAssistant, Content: "Booked!"},
		{ID: fmt.Sprint(in3), Role: llm.RoleUser, Parts: []llm.Part{{Type: llm.PartText, Text: "this one"}, {Type: llm.PartImage, ImageURL: tinyPNG}, {Type: llm.PartImage, ImageURL: "https://tracker.example/pixel.png"}}},
		{Role: llm.RoleAssistant, Content: "Nice photo."},
	})
}

func TestConversations(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		h := newHarness(t, d)
		u := h.signIn("owner", ownerPassword)
		now := time.Now().UTC().Truncate(time.Second)
		seedConversation(t, d, "whatsapp:+34600111222", now.Add(-time.Hour))
		seedInbound(t, d, "whatsapp:+15550009999", "Do you sell gift cards?", "", now.Add(-10*time.Minute))

		r := u.get("/console/conversations")
		if r.status != 200 {
			t.Fatalf("list: %d", r.status)
		}
		first, second := strings.Index(r.body, esc("whatsapp:+15550009999")), strings.Index(r.body, esc("whatsapp:+34600111222"))
		if first < 0 || second < 0 || first > second {
			t.Fatalf("list does not show both threads, newest first:\n%s", r.body)
		}
		if !strings.Contains(r.body, "Nice photo.") || !strings.Contains(r.body, "WhatsApp (Twilio)") {
			t.Error("list lacks the last message or the channel")
		}
		for q, want := range map[string][]string{
			"GIFT":              {"+15550009999"},
			"saturday":          {"+34600111222"},
			"+346":              {"+34600111222"},
			"nothing like this": nil,
			"100%_":             nil,
		} {
			r := u.get("/console/conversations?q=" + url.QueryEscape(q))
			n := strings.Count(r.body, `class="who"`) - 1 // the header's account name
			if n != len(want) {
				t.Errorf("search %q: %d threads, want %d", q, n, len(want))
			}
			for _, w := range want {
				if !strings.Contains(r.body, esc(w)) {
					t.Errorf("search %q lacks %s", q, w)
				}
			}
		}

		r = u.get("/console/conversation?t=" + url.QueryEscape("whatsapp:+34600111222"))
		if r.status != 200 {
			t.Fatalf("transcript: %d", r.status)
		}
		for _, want := range []string{
			"&lt;script&gt;alert(1)&lt;/script&gt;", // customers' words are data
			"book me for ten please",                // the voice note's transcript
			"Voice note, transcribed",
			`src="` + tinyPNG + `"`, // the picture the model saw
			"opening_hours", "Open 9:00-14:00", "1 tool call", "238 tokens",
			"tick-read", "tick-delivered", "tick-failed",
		} {
			if !strings.Contains(r.body, want) {
				t.Errorf("transcript lacks %q", want)
			}
		}
		if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "tracker.example") {
			t.Error("transcript let markup or a remote image through")
		}
		if strings.Index(r.body, "Are you open") > strings.Index(r.body, "Yes, 9 to 2.") {
			t.Error("transcript out of order")
		}
		if r := u.get("/console/conversation?t=whatsapp:%2B1000"); r.status != http.StatusNotFound {
			t.Errorf("unknown thread: %d", r.status)
		}
		if r := u.get("/console/conversation"); r.status != http.StatusBadRequest {
			t.Errorf("no thread: %d", r.status)
		}
	})
}

func TestOverview(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		failing := Check{Name: "Model", Check: func(context.Context) error { return fmt.Errorf("401 from the provider") }}
		h := newHarness(t, d, func(c *Config) { c.Checks = append(c.Checks, failing) })
		u := h.signIn("owner", ownerPassword)
		now := time.Now().UTC()
		seedConversation(t, d, "whatsapp:+34600111222", now.Add(-5*time.Minute))
		r := u.get("/console/")
		if r.status != 200 {
			t.Fatalf("overview: %d", r.status)
		}
		for _, want := range []string{"Something needs attention", "Database", "401 from the provider",
			"Messages received", ">3<", "Replies not delivered", "Typical reply time", "30s", "Latest messages", "Nice photo.", "signed in",
			"Replies per day", `<rect width="100"`, "WhatsApp (Twilio)</strong> last reply delivered"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		live := u.get("/console/live")
		if live.status != 200 || strings.Contains(live.body, "<html") || !strings.Contains(live.body, "Messages received") {
			t.Errorf("live fragment: %d %q", live.status, live.body[:min(200, len(live.body))])
		}
	})
}

func TestLab(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	u := h.signIn("owner", ownerPassword)
	cases := []struct {
		text   string
		status int
		says   string
	}{
		{"", http.StatusBadRequest, "Type a message first."},
		{"   ", http.StatusBadRequest, "Type a message first."},
		{strings.Repeat("a", maxLabMessage+1), http.StatusBadRequest, "too long"},
	}
	for _, tc := range cases {
		r := u.post("/console/lab/send", url.Values{"text": {tc.text}}, true)
		if r.status != tc.status || !strings.Contains(r.body, tc.says) {
			t.Errorf("send %q: %d, want %d saying %q", clipRunes(tc.text, 10), r.status, tc.status, tc.says)
		}
	}
	h.model.Push(
		llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "opening_hours", Arguments: `{"day":"sunday"}`}}},
		llmtest.Reply{Text: "We open at 9 on Sunday.", Usage: llm.Usage{InputTokens: 50, OutputTokens: 7}},
	)
	r := u.post("/console/lab/send", url.Values{"text": {"When do you open on Sunday?"}}, true)
	if r.status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	r = u.get("/console/lab")
	for _, want := range []string{"When do you open on Sunday?", "We open at 9 on Sunday.", "opening_hours", "Open 9:00-17:00 on sunday", "lab:owner"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("lab lacks %q", want)
		}
	}
	if got := u.get("/console/lab/transcript"); !strings.Contains(got.body, "We open at 9") || strings.Contains(got.body, "<html") {
		t.Error("transcript fragment wrong")
	}
	// Each account has its own lab thread.
	h.addStaff("sam")
	staff := h.signIn("sam", "staff password")
	if r := staff.get("/console/lab"); strings.Contains(r.body, "We open at 9") {
		t.Error("staff sees the owner's lab conversation")
	}
	// One turn at a time.
	if !h.c.claimLab("lab:owner") {
		t.Fatal("claim")
	}
	if r := u.post("/console/lab/send", url.Values{"text": {"again"}}, true); r.status != http.StatusConflict {
		t.Errorf("send while busy: %d", r.status)
	}
	if r := u.post("/console/lab/reset", nil, true); r.status != http.StatusConflict {
		t.Errorf("reset while busy: %d", r.status)
	}
	h.c.releaseLab("lab:owner")
	// A model failure is shown, not hidden.
	h.model.Push(llmtest.Reply{Status: 400, ErrorMessage: "bad request from test"})
	if r := u.post("/console/lab/send", url.Values{"text": {"and now?"}}, true); r.status != http.StatusBadGateway || !strings.Contains(r.body, "could not answer") {
		t.Errorf("model failure: %d", r.status)
	}
	if r := u.post("/console/lab/reset", nil, true); r.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", r.status)
	}
	if r := u.get("/console/lab"); strings.Contains(r.body, "We open at 9") || !strings.Contains(r.body, "No messages yet") {
		t.Error("reset left the conversation")
	}
	trail, _ := h.c.Accounts().AuditTrail(context.Background(), 50)
	var labMsgs, resets int
	for _, e := range trail {
		switch e.Action {
		case "lab message":
			labMsgs++
		case "lab reset":
			resets++
		}
	}
	if labMsgs != 2 || resets != 1 {
		t.Errorf("audit: %d lab messages, %d resets", labMsgs, resets)
	}
}

func TestInspectorAndFork(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		h := newHarness(t, d)
		u := h.signIn("owner", ownerPassword)
		ctx := context.Background()
		thread := "whatsapp:+34600111222"
		h.model.Push(
			llmtest.Reply{ToolCalls: []llm.ToolCall{{Name: "opening_hours", Arguments: `{"day":"monday"}`}}},
			llmtest.Reply{Text: "Monday 9 to 5."},
			llmtest.Reply{Text: "Tuesday too."},
		)
		if _, err := h.agent.Reply(ctx, thread, agentText("Monday?")); err != nil {
			t.Fatal(err)
		}
		if _, err := h.agent.Reply(ctx, thread, agentText("Tuesday?")); err != nil {
			t.Fatal(err)
		}
		r := u.get("/console/inspector")
		for _, want := range []string{esc(thread), "<svg", "chat", "tools", "flowchart TD"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("inspector lacks %q", want)
			}
		}
		r = u.get("/console/inspector/thread?t=" + url.QueryEscape(thread))
		if r.status != 200 || !strings.Contains(r.body, "Continue in the lab") || !strings.Contains(r.body, "Messages: ") {
			t.Fatalf("checkpoints: %d", r.status)
		}
		cps, err := d.saver.List(ctx, thread, checkpointListAll())
		if err != nil {
			t.Fatal(err)
		}
		// The checkpoint after the first answer: its history ends with
		// "Monday 9 to 5.".
		var mid string
		for _, cp := range cps {
			if cp.LogLens[messagesLog] == 4 && len(cp.Next) == 0 {
				mid = cp.ID
			}
		}
		if mid == "" {
			t.Fatalf("no checkpoint with 4 messages among %d", len(cps))
		}
		r = u.get("/console/inspector/checkpoint?t=" + url.QueryEscape(thread) + "&c=" + mid)
		for _, want := range []string{"Monday 9 to 5.", "Model calls", "called opening_hours"} {
			if !strings.Contains(r.body, want) {
				t.Errorf("checkpoint page lacks %q", want)
			}
		}
		if strings.Contains(r.body, "Tuesday too.") {
			t.Error("checkpoint page shows a later message")
		}
		if r := u.get("/console/inspector/checkpoint?t=" + url.QueryEscape(thread) + "&c=nope"); r.status != http.StatusNotFound {
			t.Errorf("unknown checkpoint: %d", r.status)
		}
		if r := u.post("/console/inspector/fork", url.Values{"thread": {thread}}, true); r.status != http.StatusBadRequest {
			t.Errorf("fork without a checkpoint: %d", r.status)
		}
		if r := u.post("/console/inspector/fork", url.Values{"thread": {thread}, "checkpoint": {"nope"}}, true); r.status != http.StatusNotFound {
			t.Errorf("fork of an unknown checkpoint: %d", r.status)
		}
		// Fork into the lab, then continue there: the model sees the
		// history up to the fork, and the real thread is untouched.
		if r := u.post("/console/inspector/fork", url.Values{"thread": {thread}, "checkpoint": {mid}}, true); r.status != http.StatusSeeOther || r.header.Get("Location") != "/console/lab" {
			t.Fatalf("fork: %d %q %s", r.status, r.header.Get("Location"), r.body)
		}
		r = u.get("/console/lab")
		if !strings.Contains(r.body, "Monday 9 to 5.") || strings.Contains(r.body, "Tuesday too.") {
			t.Fatal("the lab does not hold the forked history")
		}
		h.model.Push(llmtest.Reply{Text: "Wednesday is closed."})
		if r := u.post("/console/lab/send", url.Values{"text": {"Wednesday?"}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("send after fork: %d %s", r.status, r.body)
		}
		conv, err := h.model.Conversation(h.model.Last())
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, m := range conv.Turns {
			texts = append(texts, m.Text)
		}
		joined := strings.Join(texts, "|")
		if !strings.Contains(joined, "Monday?") || strings.Contains(joined, "Tuesday") || !strings.Contains(joined, "Wednesday?") {
			t.Errorf("the model saw %q", joined)
		}
		real, err := loadMessages(ctx, d.saver, thread)
		if err != nil || len(real) != 6 || real[5].Content != "Tuesday too." {
			t.Errorf("the real thread changed: %d messages, %v", len(real), err)
		}
		// Forking again replaces the lab conversation.
		if r := u.post("/console/inspector/fork", url.Values{"thread": {thread}, "checkpoint": {mid}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("second fork: %d", r.status)
		}
		if r := u.get("/console/lab"); strings.Contains(r.body, "Wednesday") {
			t.Error("second fork kept the lab's later messages")
		}
	})
}

func TestGym(t *testing.T) {
	d := sqliteDB(t)
	h := newHarness(t, d)
	u := h.signIn("owner", ownerPassword)
	ctx := context.Background()
	st := sqlstore.New(d.db)
	chat := "120363000000000001@g.us"
	today := gym.DateOf(time.Now(), time.UTC)
	if _, err := st.AddMember(ctx, chat, "m1", "Lucía"); err != nil {
		t.Fatal(err)
	}
	for i, w := range []gym.Workout{
		{Member: "m1", Date: today, Activity: "running", Minutes: 30, SourceMessageID: "a"},
		{Member: "m2", Date: today, Activity: "yoga", Minutes: 60, SourceMessageID: "b"},
		{Member: "m1", Date: today.AddDays(-40), Activity: "yoga", Minutes: 45, SourceMessageID: "c"},
	} {
		if _, err := st.Insert(ctx, chat, "", w); err != nil {
			t.Fatalf("workout %d: %v", i, err)
		}
	}
	r := u.get("/console/gym")
	if r.status != 200 || !strings.Contains(r.body, chat) || !strings.Contains(r.body, "Lucía") || !strings.Contains(r.body, "m2") {
		t.Fatalf("gym week: %d", r.status)
	}
	if r := u.get("/console/gym?period=month"); r.status != 200 || !strings.Contains(r.body, "This month") {
		t.Errorf("gym month: %d", r.status)
	}
	if r := u.get("/console/gym?period=year"); r.status != http.StatusBadRequest {
		t.Errorf("gym year: %d", r.status)
	}
}

func TestPagesOff(t *testing.T) {
	h := newHarness(t, sqliteDB(t), func(c *Config) { c.Lab, c.Leaderboards, c.Saver = nil, nil, nil })
	u := h.signIn("owner", ownerPassword)
	for path, says := range map[string]string{"/console/lab": "The lab is off", "/console/gym": "No gym chats", "/console/inspector": "No checkpoints"} {
		if r := u.get(path); r.status != 200 || !strings.Contains(r.body, says) {
			t.Errorf("%s: %d, want %q", path, r.status, says)
		}
	}
	if r := u.post("/console/lab/send", url.Values{"text": {"hi"}}, true); r.status != http.StatusNotFound {
		t.Errorf("send with the lab off: %d", r.status)
	}
	if r := u.get("/console/"); strings.Contains(r.body, `href="/console/lab"`) {
		t.Error("navigation links to the lab while it is off")
	}
	if r := u.get("/console/nowhere"); r.status != http.StatusNotFound {
		t.Errorf("unknown page: %d", r.status)
	}
}

// esc is how html/template writes s in text: "+" becomes "&#43;".
func esc(s string) string { return strings.ReplaceAll(s, "+", "&#43;") }

// tinyPNG is a real one-pixel picture as a data URL.
var tinyPNG = "data:image/png;base64," + base64.StdEncoding.EncodeToString(llmtest.TinyPNG())
