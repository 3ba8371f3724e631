package meta_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

const (
	testSecret      = "0123456789abcdef0123456789abcdef"
	testVerifyToken = "verify-me-please"
)

// fakeInbox stores messages unique on (channel, provider id), as the store
// does, and can fail.
type fakeInbox struct {
	mu       sync.Mutex
	msgs     []store.Inbound
	seen     map[string]bool
	statuses []string
	fail     error
}

func (f *fakeInbox) Accept(_ context.Context, m store.Inbound) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return false, f.fail
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	key := m.Channel + "/" + m.ProviderID
	if f.seen[key] {
		return false, nil
	}
	f.seen[key] = true
	f.msgs = append(f.msgs, m)
	return true, nil
}

func (f *fakeInbox) RecordStatus(_ context.Context, channel, id, status string, code int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.statuses = append(f.statuses, channel+" "+id+" "+status+" "+strconv.Itoa(code))
	return nil
}

func newWebhook(inbox *fakeInbox, results *[]string) *meta.Webhook {
	w := meta.NewWebhook(meta.Config{AppSecret: testSecret, VerifyToken: testVerifyToken, PhoneNumberID: testNumberID},
		inbox, inbox, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var mu sync.Mutex
	w.OnResult = func(route, result string) {
		mu.Lock()
		defer mu.Unlock()
		if results != nil {
			*results = append(*results, route+":"+result)
		}
	}
	return w
}

func TestVerifyHandshake(t *testing.T) {
	cases := []struct {
		name, query string
		status      int
		body        string
	}{
		{"subscribe with the token", "hub.mode=subscribe&hub.verify_token=" + testVerifyToken + "&hub.challenge=1158201444", 200, "1158201444"},
		{"wrong token", "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", 403, ""},
		{"no token", "hub.mode=subscribe&hub.challenge=1", 403, ""},
		{"wrong mode", "hub.mode=unsubscribe&hub.verify_token=" + testVerifyToken + "&hub.challenge=1", 403, ""},
		{"no query", "", 403, ""},
	}
	w := newWebhook(&fakeInbox{}, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			w.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/meta?"+c.query, nil))
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			if c.status == 200 {
				if rec.Body.String() != c.body || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") {
					t.Fatalf("body %q (%s), want %q as text/plain", rec.Body, rec.Header().Get("Content-Type"), c.body)
				}
			}
		})
	}
	t.Run("no verify token configured", func(t *testing.T) {
		w := meta.NewWebhook(meta.Config{AppSecret: testSecret}, &fakeInbox{}, nil, nil)
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/meta?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", nil))
		if rec.Code != 403 {
			t.Fatalf("status %d, want 403", rec.Code)
		}
	})
}

func TestReceive(t *testing.T) {
	batch := readTestdata(t, "batch.json")
	cases := []struct {
		name     string
		req      func() *http.Request
		fail     error
		status   int
		stored   int
		statuses int
	}{
		{name: "a signed batch", req: func() *http.Request { return metatest.Request("/webhooks/meta", testSecret, batch) },
			status: 200, stored: 3, statuses: 1},
		{name: "bad signature", req: func() *http.Request { return metatest.Request("/webhooks/meta", "another secret", batch) },
			status: 403},
		{name: "no signature", req: func() *http.Request {
			r := metatest.Request("/webhooks/meta", testSecret, batch)
			r.Header.Del(meta.SignatureHeader)
			return r
		}, status: 403},
		{name: "oversized", req: func() *http.Request {
			return metatest.Request("/webhooks/meta", testSecret, []byte(`{"object":"`+strings.Repeat("x", meta.MaxBodyBytes)+`"}`))
		}, status: 413},
		{name: "signed but not JSON", req: func() *http.Request { return metatest.Request("/webhooks/meta", testSecret, []byte("hello")) },
			status: 400},
		{name: "store down", req: func() *http.Request { return metatest.Request("/webhooks/meta", testSecret, batch) },
			fail: errors.New("database is down"), status: 500},
		{name: "PUT", req: func() *http.Request { return httptest.NewRequest(http.MethodPut, "/webhooks/meta", nil) }, status: 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inbox := &fakeInbox{fail: c.fail}
			rec := httptest.NewRecorder()
			newWebhook(inbox, nil).ServeHTTP(rec, c.req())
			if rec.Code != c.status {
				t.Fatalf("status %d (%s), want %d", rec.Code, rec.Body, c.status)
			}
			if len(inbox.msgs) != c.stored || len(inbox.statuses) != c.statuses {
				t.Fatalf("stored %d messages and %d statuses, want %d and %d", len(inbox.msgs), len(inbox.statuses), c.stored, c.statuses)
			}
		})
	}
}

func TestReceiveRedeliveryStoresNothingTwice(t *testing.T) {
	inbox := &fakeInbox{}
	var results []string
	w := newWebhook(inbox, &results)
	body := metatest.NewPayload(testNumberID).
		Text("16505551234", "Sheena", "wamid.A", "one").
		Text("16505551234", "Sheena", "wamid.B", "two").
		Status("wamid.OUT", "failed", "16505551234", meta.CodeReEngagement).Bytes()
	for range 2 {
		rec := httptest.NewRecorder()
		w.ServeHTTP(rec, metatest.Request("/webhooks/meta", testSecret, body))
		if rec.Code != 200 {
			t.Fatalf("status %d", rec.Code)
		}
	}
	if len(inbox.msgs) != 2 || inbox.msgs[0].Body != "one" || inbox.msgs[1].Body != "two" {
		t.Fatalf("stored %+v", inbox.msgs)
	}
	if inbox.msgs[0].Thread != "whatsapp:+16505551234" || inbox.msgs[0].ProfileName != "Sheena" {
		t.Fatalf("thread %q name %q", inbox.msgs[0].Thread, inbox.msgs[0].ProfileName)
	}
	want := "inbound:accepted inbound:accepted status:recorded inbound:duplicate inbound:duplicate status:recorded"
	if got := strings.Join(results, " "); got != want {
		t.Fatalf("results %q, want %q", got, want)
	}
	if inbox.statuses[0] != "meta wamid.OUT failed 131047" {
		t.Fatalf("status %q", inbox.statuses[0])
	}
}

func TestReceiveWithoutAppSecretRefusesEverything(t *testing.T) {
	w := meta.NewWebhook(meta.Config{VerifyToken: testVerifyToken}, &fakeInbox{}, nil, nil)
	body := metatest.NewPayload(testNumberID).Text("16505551234", "S", "wamid.A", "x").Bytes()
	rec := httptest.NewRecorder()
	w.ServeHTTP(rec, metatest.Request("/webhooks/meta", "", body))
	if rec.Code != 403 {
		t.Fatalf("status %d, want 403", rec.Code)
	}
}
