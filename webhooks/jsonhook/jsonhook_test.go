package jsonhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
)

const token = "0123456789abcdef0123456789abcdef-token"

// fakeStore is the inbox and the reply lookup: messages unique on id, a
// reply set by the test when "the turn finishes".
type fakeStore struct {
	mu      sync.Mutex
	msgs    map[string]store.Inbound
	order   []string
	replies map[string]string
	fail    error
}

func newStore() *fakeStore {
	return &fakeStore{msgs: map[string]store.Inbound{}, replies: map[string]string{}}
}

func (s *fakeStore) Accept(_ context.Context, m store.Inbound) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return false, s.fail
	}
	if _, ok := s.msgs[m.ProviderID]; ok {
		return false, nil
	}
	s.msgs[m.ProviderID] = m
	s.order = append(s.order, m.ProviderID)
	return true, nil
}

func (s *fakeStore) Answer(_ context.Context, channel, id string) (store.Answer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[id]
	if !ok || channel != jsonhook.Channel {
		return store.Answer{}, nil
	}
	text, done := s.replies[id]
	return store.Answer{Found: true, Thread: m.Thread, Done: done, Text: text}, nil
}

func (s *fakeStore) finish(id, reply string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[id] = reply
}

func (s *fakeStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.order)
}

func newHandler(st *fakeStore) *jsonhook.Handler {
	return jsonhook.NewHandler(jsonhook.Config{Token: token}, st, st, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

type response struct {
	code int
	body map[string]any
}

func post(h http.Handler, query, body string, header ...string) response {
	req := httptest.NewRequest(http.MethodPost, "/webhooks/json"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return response{rec.Code, out}
}

const hello = `{"id":"m1","from":"visitor-42","text":"Do you open on Sundays?","name":"Ana"}`

func TestAuthentication(t *testing.T) {
	cases := []struct {
		name   string
		header []string
		code   int
	}{
		{"bearer", nil, 202},
		{"bearer, lower-case scheme", []string{"Authorization", "bearer " + token}, 202},
		{"X-Webhook-Token", []string{"Authorization", "", "X-Webhook-Token", token}, 202},
		{"no token", []string{"Authorization", ""}, 401},
		{"wrong token", []string{"Authorization", "Bearer " + strings.Repeat("x", 40)}, 401},
		{"token as basic auth", []string{"Authorization", "Basic " + token}, 401},
		{"a prefix of the token", []string{"Authorization", "Bearer " + token[:32]}, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore()
			r := post(newHandler(st), "", hello, c.header...)
			if r.code != c.code {
				t.Fatalf("status %d %v, want %d", r.code, r.body, c.code)
			}
			if c.code == 401 && (st.count() != 0 || r.body["error"] == nil) {
				t.Fatalf("stored %d, body %v", st.count(), r.body)
			}
		})
	}
	t.Run("off without a token", func(t *testing.T) {
		h := jsonhook.NewHandler(jsonhook.Config{}, newStore(), nil, nil)
		if r := post(h, "", hello, "Authorization", "Bearer "); r.code != 404 {
			t.Fatalf("status %d, want 404", r.code)
		}
	})
	t.Run("GET", func(t *testing.T) {
		rec := httptest.NewRecorder()
		newHandler(newStore()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/webhooks/json", nil))
		if rec.Code != 405 {
			t.Fatalf("status %d, want 405", rec.Code)
		}
	})
}

func TestBadRequests(t *testing.T) {
	cases := []struct {
		name, query, body string
		header            []string
		code              int
		want              string
	}{
		{"empty body", "", "", nil, 400, "empty body"},
		{"not JSON", "", "id=1&text=hi", nil, 400, "not valid JSON"},
		{"a number for text", "", `{"id":"1","from":"a","text":5}`, nil, 400, `field "text": want a string`},
		{"unknown field", "", `{"id":"1","from":"a","message":"hi"}`, nil, 400, `unknown field "message"`},
		{"missing fields", "", `{}`, nil, 400, `field "id" is required; field "from" is required; field "text" is required`},
		{"blank text", "", `{"id":"1","from":"a","text":"  "}`, nil, 400, `field "text" is required`},
		{"from with a space", "", `{"id":"1","from":"a b","text":"hi"}`, nil, 400, `field "from": use letters`},
		{"from with a colon", "", `{"id":"1","from":"whatsapp:+1555","text":"hi"}`, nil, 400, `field "from": use letters`},
		{"text too long", "", `{"id":"1","from":"a","text":"` + strings.Repeat("a", jsonhook.MaxTextLength+1) + `"}`, nil, 400, "longer than 8000"},
		{"control characters in the id", "", `{"id":"1\u0007","from":"a","text":"hi"}`, nil, 400, "control characters"},
		{"two values", "", hello + hello, nil, 400, "more than one JSON value"},
		{"wait too long", "?wait=30s", hello, nil, 400, "at most 25s"},
		{"wait not a duration", "?wait=soon", hello, nil, 400, "want a duration"},
		{"wait negative", "?wait=-1s", hello, nil, 400, "above 0"},
		{"form content type", "", hello, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "send application/json"},
		{"oversized", "", `{"id":"1","from":"a","text":"` + strings.Repeat("a", jsonhook.MaxBodyBytes) + `"}`, nil, 413, "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore()
			r := post(newHandler(st), c.query, c.body, c.header...)
			msg, _ := r.body["error"].(string)
			if r.code != c.code || !strings.Contains(msg, c.want) {
				t.Fatalf("got %d %q, want %d with %q", r.code, msg, c.code, c.want)
			}
			if st.count() != 0 {
				t.Fatal("a refused request stored a message")
			}
		})
	}
}

func TestAcceptStoresTheMessage(t *testing.T) {
	st := newStore()
	r := post(newHandler(st), "", hello)
	if r.code != 202 || r.body["status"] != "accepted" {
		t.Fatalf("got %d %v", r.code, r.body)
	}
	m := st.msgs["m1"]
	if m.Channel != "json" || m.Thread != "json:visitor-42" || m.From != "visitor-42" || m.ProfileName != "Ana" ||
		m.Body != "Do you open on Sundays?" || m.ReceivedAt.IsZero() {
		t.Fatalf("stored %+v", m)
	}
	st.fail = errors.New("disk full")
	if r := post(newHandler(st), "", strings.Replace(hello, "m1", "m2", 1)); r.code != 500 {
		t.Fatalf("status %d, want 500 when the store fails", r.code)
	}
}

func TestWaitForTheReply(t *testing.T) {
	st := newStore()
	h := newHandler(st)
	go func() {
		for st.count() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		st.finish("m1", "Yes, 9:00 to 14:00.")
	}()
	r := post(h, "?wait=15s", hello)
	if r.code != 200 || r.body["reply"] != "Yes, 9:00 to 14:00." {
		t.Fatalf("got %d %v", r.code, r.body)
	}
}

// TestWaitTimesOutThenTheRetryCollects: a waiting request that runs out
// answers 202; the retry of the same id runs nothing and returns the reply
// once it exists.
func TestWaitTimesOutThenTheRetryCollects(t *testing.T) {
	st := newStore()
	h := newHandler(st)
	if r := post(h, "?wait=100ms", hello); r.code != 202 || r.body["status"] != "accepted" {
		t.Fatalf("got %d %v, want 202 when the reply is not ready in time", r.code, r.body)
	}
	if r := post(h, "", hello); r.code != 202 {
		t.Fatalf("repeat while in progress: got %d %v, want 202", r.code, r.body)
	}
	st.finish("m1", "Yes.")
	for _, q := range []string{"", "?wait=1s"} {
		if r := post(h, q, hello); r.code != 200 || r.body["reply"] != "Yes." {
			t.Fatalf("repeat %q after the reply: got %d %v", q, r.code, r.body)
		}
	}
	if st.count() != 1 {
		t.Fatalf("stored %d messages, want 1", st.count())
	}
}

func TestRepeatedIDFromAnotherSender(t *testing.T) {
	st := newStore()
	h := newHandler(st)
	post(h, "", hello)
	st.finish("m1", "private answer")
	r := post(h, "", strings.Replace(hello, "visitor-42", "visitor-43", 1))
	if r.code != 409 || strings.Contains(r.body["error"].(string), "private") {
		t.Fatalf("got %d %v, want 409 without the other sender's reply", r.code, r.body)
	}
}

func TestWaitingRequestsAreCapped(t *testing.T) {
	st := newStore()
	h := newHandler(st)
	h.SetMaxWaiting(1)
	done := make(chan response)
	go func() { done <- post(h, "?wait=2s", hello) }()
	for st.count() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	r := post(h, "?wait=2s", strings.Replace(hello, "m1", "m2", 1))
	if r.code != 202 || time.Since(start) > time.Second {
		t.Fatalf("over the cap: got %d after %v, want 202 at once", r.code, time.Since(start))
	}
	st.finish("m1", "ok")
	if r := <-done; r.code != 200 {
		t.Fatalf("the waiting request got %d", r.code)
	}
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		cfg  jsonhook.Config
		want string
	}{
		{jsonhook.Config{}, ""},
		{jsonhook.Config{Token: token}, ""},
		{jsonhook.Config{Token: token, ReplyURL: "https://crm.example/hooks/switchboard"}, ""},
		{jsonhook.Config{Token: "short"}, "WEBHOOK_TOKEN: 5 characters"},
		{jsonhook.Config{Token: token, ReplyURL: "crm.example"}, "JSON_REPLY_URL"},
		{jsonhook.Config{ReplyURL: "https://crm.example"}, "needs WEBHOOK_TOKEN"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%+v: err %v, want %q", c.cfg, err, c.want)
		}
	}
}
