package console

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// benchPage measures the server time of one signed-in GET, reporting p50.
func benchPage(b *testing.B, h *harness, path string) {
	b.Helper()
	u := h.signIn("owner", ownerPassword)
	token := u.token()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: token})
	var times []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		start := time.Now()
		h.c.ServeHTTP(w, req)
		times = append(times, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
}

// BenchmarkOverview is the overview's server time with a day of traffic:
// 200 conversations of 5 messages and their replies.
func BenchmarkOverview(b *testing.B) {
	d := sqliteDB(b)
	h := newHarness(b, d)
	now := time.Now().UTC().Add(-time.Hour)
	for i := range 200 {
		th := fmt.Sprintf("whatsapp:+3460000%04d", i)
		for j := range 5 {
			at := now.Add(time.Duration(i*5+j) * time.Second)
			id := seedInbound(b, d, th, fmt.Sprintf("message %d", j), "", at)
			seedReply(b, d, th, fmt.Sprintf("turn:%d", id), "reply", "delivered", at.Add(2*time.Second))
		}
	}
	benchPage(b, h, "/console/")
}

// BenchmarkTranscript500 is a 500-message conversation's server time: 250
// customer messages and 250 replies, each turn with a tool call in the
// checkpoint.
func BenchmarkTranscript500(b *testing.B) {
	d := sqliteDB(b)
	h := newHarness(b, d)
	th := "whatsapp:+34600111222"
	now := time.Now().UTC().Add(-24 * time.Hour)
	var hist []llm.Message
	for i := range 250 {
		at := now.Add(time.Duration(i) * time.Minute)
		id := seedInbound(b, d, th, fmt.Sprintf("Question number %d about opening hours and prices?", i), "", at)
		seedReply(b, d, th, fmt.Sprintf("turn:%d", id), fmt.Sprintf("Answer %d: we are open 9:00-17:00 and a class costs 12 EUR.", i), "read", at.Add(3*time.Second))
		hist = append(hist,
			llm.Message{ID: fmt.Sprint(id), Role: llm.RoleUser, Content: "Question"},
			llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "c", Name: "opening_hours", Arguments: `{"day":"monday"}`}}, Usage: &llm.Usage{InputTokens: 900, OutputTokens: 20}},
			llm.Message{Role: llm.RoleTool, ToolCallID: "c", Name: "opening_hours", Content: "Open 9:00-17:00"},
			llm.Message{Role: llm.RoleAssistant, Content: "Answer", Usage: &llm.Usage{InputTokens: 950, OutputTokens: 30}},
		)
	}
	seedHistory(b, d, th, hist)
	benchPage(b, h, "/console/conversation?t="+url.QueryEscape(th))
}

// BenchmarkNew is what building the console allocates (templates parsed
// once, the owner's hash checked): its added memory at start-up.
func BenchmarkNew(b *testing.B) {
	d := sqliteDB(b)
	cfg := Config{DB: d.db, Password: ownerPassword, BcryptCost: 4}
	if _, err := New(b.Context(), cfg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(b.Context(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
