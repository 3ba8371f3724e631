package console

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/migrations"
)

// bizNow is the clock of the seeded front desk: bookings are two days on.
var bizNow = time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)

// notices records what the desk tells customers; fail makes sends fail.
type notices struct {
	mu   sync.Mutex
	sent map[string]string
	fail string
}

func (n *notices) Notify(_ context.Context, thread, key, text string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail != "" {
		return errors.New(n.fail)
	}
	if n.sent == nil {
		n.sent = map[string]string{}
	}
	n.sent[thread+" "+key] = text
	return nil
}

func (n *notices) texts() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, t := range n.sent {
		out = append(out, t)
	}
	return out
}

// frontDesk imports the example gym's profile and seeds two pending
// bookings and two leads.
func frontDesk(t testing.TB, d testDB) (*desk.Desk, *notices) {
	t.Helper()
	dialect := migrations.SQLite
	if d.name == "postgres" {
		dialect = migrations.Postgres
	}
	s, err := bizstore.New(d.db, dialect, bizstore.WithClock(func() time.Time { return bizNow }))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../examples/business/gym.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, p, err := s.Import(ctx, "gym.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	for i, start := range []string{"2026-12-08T10:00", "2026-12-09T11:00"} {
		if _, _, err := s.RequestBooking(ctx, p, bizNow, bizstore.NewBooking{Thread: "whatsapp:+34600111222", CustomerName: "Ana",
			Service: "Fitness assessment", Start: start, RequestedTime: "next week", Source: "twilio:SM" + string(rune('1'+i))}); err != nil {
			t.Fatal(err)
		}
	}
	for i, l := range []business.Lead{
		{Thread: "whatsapp:+34600333444", Name: "José Núñez", Requirement: "Personal training, 3 days a week", SourceMessageID: "twilio:L1"},
		{Thread: "whatsapp:+34600555666", Name: "=HYPERLINK(\"http://evil\")", Requirement: "+1 guest pass, \"quoted\"\nand a new line", SourceMessageID: "twilio:L2"},
	} {
		if _, _, err := s.CaptureLead(ctx, l); err != nil {
			t.Fatalf("lead %d: %v", i, err)
		}
	}
	n := &notices{}
	return &desk.Desk{Store: s, Notifier: n}, n
}

func withDesk(dk *desk.Desk) func(*Config) {
	return func(c *Config) { c.Business = FrontDesk{Desk: dk} }
}

func TestBookings(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		dk, sent := frontDesk(t, d)
		h := newHarness(t, d, withDesk(dk))
		h.addStaff("sam")
		u := h.signIn("sam", "staff password") // staff run the bookings
		r := u.get("/console/bookings")
		if r.status != 200 || !strings.Contains(r.body, "B1") || !strings.Contains(r.body, "B2") || !strings.Contains(r.body, "Tuesday 8 December 2026") {
			t.Fatalf("pending bookings: %d", r.status)
		}
		if !strings.Contains(r.body, "Approve") || !strings.Contains(r.body, "10:00–11:00") {
			t.Error("no approve button or local time")
		}
		cases := []struct {
			form   url.Values
			status int
			says   string
		}{
			{url.Values{"ref": {"twelve"}, "to": {"approved"}}, http.StatusBadRequest, "not a booking reference"},
			{url.Values{"ref": {"B1"}, "to": {"maybe"}}, http.StatusBadRequest, "Choose approve"},
			{url.Values{"ref": {"B1"}, "to": {"pending"}}, http.StatusBadRequest, "Choose approve"},
			{url.Values{"ref": {"B1"}, "to": {"approved"}, "reason": {strings.Repeat("x", maxReason+1)}}, http.StatusBadRequest, "under 300"},
			{url.Values{"ref": {"B99"}, "to": {"approved"}}, http.StatusNotFound, "no booking B99"},
			{url.Values{"ref": {"B1"}, "to": {"completed"}}, http.StatusConflict, "cannot be marked completed"},
		}
		for _, tc := range cases {
			r := u.post("/console/bookings/decide", tc.form, true)
			if r.status != tc.status || !strings.Contains(r.body, tc.says) {
				t.Errorf("decide %v: %d, want %d saying %q", tc.form, r.status, tc.status, tc.says)
			}
		}
		if len(sent.texts()) != 0 {
			t.Fatal("a refused decision told the customer")
		}
		if r := u.post("/console/bookings/decide", url.Values{"ref": {"1"}, "to": {"approved"}, "back": {"pending"}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}
		if texts := sent.texts(); len(texts) != 1 || !strings.Contains(texts[0], "B1") {
			t.Errorf("the customer was told %q", texts)
		}
		if r := u.get("/console/"); !strings.Contains(r.body, "Bookings waiting for you") || !strings.Contains(r.body, "New leads (7 days)") {
			t.Error("overview lacks the front desk's figures")
		}
		r = u.get("/console/bookings?status=approved")
		if !strings.Contains(r.body, "B1") || !strings.Contains(r.body, "Customer told") || !strings.Contains(r.body, "Mark completed") {
			t.Error("approved tab lacks B1 and its notice")
		}
		sent.fail = "outside the 24-hour window"
		if r := u.post("/console/bookings/decide", url.Values{"ref": {"B2"}, "to": {"declined"}, "reason": {"fully booked"}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("decline: %d", r.status)
		}
		r = u.get("/console/bookings?status=declined")
		if !strings.Contains(r.body, "Customer not told: outside the 24-hour window") {
			t.Error("declined tab does not say the customer was not told")
		}
		if r := u.get("/console/bookings?status=nonsense"); r.status != http.StatusBadRequest {
			t.Errorf("bad status: %d", r.status)
		}
		trail, _ := h.c.Accounts().AuditTrail(context.Background(), 20)
		var decisions []string
		for _, e := range trail {
			if e.Action == "booking decision" && e.Account == "sam" {
				decisions = append(decisions, e.Detail)
			}
		}
		if len(decisions) != 2 || !strings.Contains(decisions[0], "B2 declined (fully booked); customer not told") {
			t.Errorf("audit %q", decisions)
		}
	})
}

func TestLeadsCSV(t *testing.T) {
	d := sqliteDB(t)
	dk, _ := frontDesk(t, d)
	h := newHarness(t, d, withDesk(dk))
	u := h.signIn("owner", ownerPassword)
	r := u.get("/console/leads")
	if r.status != 200 || !strings.Contains(r.body, "José Núñez") || !strings.Contains(r.body, "Download CSV") {
		t.Fatalf("leads: %d", r.status)
	}
	r = u.get("/console/leads.csv")
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("csv: %d %v", r.status, r.header)
	}
	if !strings.HasPrefix(r.body, "\uFEFF") {
		t.Error("no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][2] != "name" {
		t.Fatalf("rows %q", rows)
	}
	byName := map[string][]string{}
	for _, row := range rows[1:] {
		byName[row[2]] = row
	}
	if row := byName["José Núñez"]; row == nil || row[3] != "whatsapp:+34600333444" {
		t.Errorf("accented name or phone mangled: %q", rows)
	}
	if row := byName[`'=HYPERLINK("http://evil")`]; row == nil || row[4] != "'+1 guest pass, \"quoted\"\nand a new line" {
		t.Errorf("formulas not neutralized or quoting lost: %q", rows)
	}
}

func TestFAQsAndProfile(t *testing.T) {
	d := sqliteDB(t)
	dk, _ := frontDesk(t, d)
	h := newHarness(t, d, withDesk(dk))
	h.addStaff("sam")
	owner := h.signIn("owner", ownerPassword)
	staff := h.signIn("sam", "staff password")
	r := owner.get("/console/faqs")
	if r.status != 200 || !strings.Contains(r.body, "What are your opening hours?") {
		t.Fatalf("faqs: %d", r.status)
	}
	cases := []struct {
		q, a   string
		status int
		says   string
	}{
		{"", "an answer", http.StatusBadRequest, "Write both"},
		{"A question?", "  ", http.StatusBadRequest, "Write both"},
		{strings.Repeat("q", maxFAQQuestion+1), "a", http.StatusBadRequest, "question under 200"},
		{"q?", strings.Repeat("a", maxFAQAnswer+1), http.StatusBadRequest, "answer under 2000"},
	}
	for _, tc := range cases {
		r := owner.post("/console/faqs/add", url.Values{"q": {tc.q}, "a": {tc.a}}, true)
		if r.status != tc.status || !strings.Contains(r.body, tc.says) {
			t.Errorf("add %q/%q: %d, want %d saying %q", clipRunes(tc.q, 10), clipRunes(tc.a, 10), r.status, tc.status, tc.says)
		}
	}
	if r := owner.post("/console/faqs/add", url.Values{"q": {"Do you have parking?"}, "a": {"Yes, free for members."}}, true); r.status != http.StatusSeeOther {
		t.Fatalf("add: %d", r.status)
	}
	faqs, _ := dk.Store.FAQs(context.Background())
	var id string
	for _, f := range faqs {
		if f.Q == "Do you have parking?" {
			id = itoa(int(f.ID))
		}
	}
	if id == "" {
		t.Fatal("the FAQ was not stored")
	}
	if r := owner.post("/console/faqs/remove", url.Values{"id": {id}}, true); r.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", r.status)
	}
	if r := owner.post("/console/faqs/remove", url.Values{"id": {id}}, true); r.status != http.StatusNotFound {
		t.Errorf("remove twice: %d", r.status)
	}
	if r := owner.post("/console/faqs/remove", url.Values{"id": {"x"}}, true); r.status != http.StatusBadRequest {
		t.Errorf("remove nothing: %d", r.status)
	}
	if err := dk.Store.SetOptOut(context.Background(), "whatsapp:+34600111222", true); err != nil {
		t.Fatal(err)
	}
	seedInbound(t, d, "whatsapp:+34600111222", "STOP", "", time.Now())
	seedInbound(t, d, "whatsapp:+34600999888", "hello", "", time.Now())
	if r := owner.get("/console/conversations"); strings.Count(r.body, "Opted out") != 1 || strings.Count(r.body, ">Active<") != 1 {
		t.Error("conversation states wrong")
	}
	r = owner.get("/console/business")
	if r.status != 200 || !strings.Contains(r.body, "Forma Gym") || !strings.Contains(r.body, "Europe/Madrid") {
		t.Errorf("business: %d", r.status)
	}
	// Staff: bookings and leads, not the business settings.
	for _, p := range []string{"/console/bookings", "/console/leads", "/console/leads.csv"} {
		if r := staff.get(p); r.status != 200 {
			t.Errorf("staff GET %s: %d", p, r.status)
		}
	}
	for _, p := range []string{"/console/faqs", "/console/business"} {
		if r := staff.get(p); r.status != http.StatusForbidden {
			t.Errorf("staff GET %s: %d", p, r.status)
		}
	}
	if r := staff.post("/console/faqs/add", url.Values{"q": {"q?"}, "a": {"a"}}, true); r.status != http.StatusForbidden {
		t.Errorf("staff add FAQ: %d", r.status)
	}
	if r := staff.get("/console/"); strings.Contains(r.body, `href="/console/faqs"`) || !strings.Contains(r.body, `href="/console/bookings"`) {
		t.Error("staff navigation wrong")
	}
}

func TestBusinessOff(t *testing.T) {
	h := newHarness(t, sqliteDB(t))
	u := h.signIn("owner", ownerPassword)
	for _, p := range []string{"/console/bookings", "/console/leads", "/console/leads.csv", "/console/faqs", "/console/business"} {
		if r := u.get(p); r.status != 200 || !strings.Contains(r.body, "No business profile") {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
	if r := u.get("/console/"); strings.Contains(r.body, `href="/console/bookings"`) {
		t.Error("navigation links to bookings without a front desk")
	}
}
