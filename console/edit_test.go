package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestEditProfileAndFAQOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, d testDB) {
		dk, _ := frontDesk(t, d)
		h := newHarness(t, d, withDesk(dk))
		h.addStaff("sam")
		ctx := context.Background()
		staff := h.signIn("sam", "staff password")
		if r := staff.post("/console/business", url.Values{"profile": {"name: x"}}, true); r.status != http.StatusForbidden {
			t.Fatalf("staff changed the profile: %d", r.status)
		}
		if r := staff.post("/console/faqs/move", url.Values{"id": {"1"}, "dir": {"up"}}, true); r.status != http.StatusForbidden {
			t.Fatalf("staff moved an FAQ: %d", r.status)
		}
		u := h.signIn("owner", ownerPassword)
		r := u.get("/console/business")
		if r.status != 200 || !strings.Contains(r.body, `name="profile"`) || strings.Contains(r.body, "faqs:") {
			t.Fatalf("business page: %d, editor missing or holds FAQs", r.status)
		}
		p, _ := dk.Store.Profile(ctx)
		doc, err := profileDocument(p)
		if err != nil {
			t.Fatal(err)
		}
		refusals := []struct{ name, text, want string }{
			{"unknown field", doc + "colour: green\n", "colour: unknown field"},
			{"bad hours", strings.Replace(doc, "07:00-22:00", "25:00-26:00", 1), "Not saved: profile:"},
			{"faqs", doc + "faqs:\n  - {q: a?, a: b}\n", "Leave the FAQs out"},
		}
		for _, tc := range refusals {
			r := u.post("/console/business", url.Values{"profile": {tc.text}}, true)
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, tc.want) {
				t.Errorf("%s: %d, body lacks %q", tc.name, r.status, tc.want)
			}
		}
		if p2, _ := dk.Store.Profile(ctx); p2.Name != p.Name {
			t.Fatal("a refused edit changed the profile")
		}
		r = u.post("/console/business", url.Values{"profile": {strings.Replace(doc, "name: Forma Gym", "name: Forma Gym Centro", 1)}}, true)
		if r.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		if r := u.get("/console/business?saved=1"); !strings.Contains(r.body, "Forma Gym Centro") || !strings.Contains(r.body, "Saved.") {
			t.Fatal("the saved profile is not shown")
		}
		if p2, _ := dk.Store.Profile(ctx); p2.Name != "Forma Gym Centro" || len(p2.FAQs) != len(p.FAQs) {
			t.Fatalf("stored: %q with %d FAQs", p2.Name, len(p2.FAQs))
		}

		fs, _ := dk.Store.FAQs(ctx)
		if r := u.post("/console/faqs/move", url.Values{"id": {strconv.FormatInt(fs[1].ID, 10)}, "dir": {"up"}}, true); r.status != http.StatusSeeOther {
			t.Fatalf("move: %d", r.status)
		}
		if got, _ := dk.Store.FAQs(ctx); got[0].ID != fs[1].ID {
			t.Fatal("the FAQ did not move up")
		}
		for _, bad := range []url.Values{{"id": {"x"}, "dir": {"up"}}, {"id": {"1"}, "dir": {"sideways"}}} {
			if r := u.post("/console/faqs/move", bad, true); r.status != http.StatusBadRequest {
				t.Errorf("move %v: %d", bad, r.status)
			}
		}
		if r := u.post("/console/faqs/move", url.Values{"id": {"999999"}, "dir": {"up"}}, true); r.status != http.StatusNotFound {
			t.Errorf("move unknown: %d", r.status)
		}
	})
}
