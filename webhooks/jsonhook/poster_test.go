package jsonhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
)

// receiver is the integrator's JSON_REPLY_URL: it checks signatures and
// records deliveries.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []jsonhook.Delivery
	status int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{status: 200}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if !jsonhook.ValidSignature(token, body, req.Header.Get(jsonhook.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var d jsonhook.Delivery
		if err := json.Unmarshal(body, &d); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.status != 200 {
			w.WriteHeader(r.status)
			return
		}
		r.got = append(r.got, d)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) deliveries() []jsonhook.Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]jsonhook.Delivery(nil), r.got...)
}

func TestPosterPostsSignedReplies(t *testing.T) {
	rcv := newReceiver(t)
	p := jsonhook.NewPoster(jsonhook.Config{Token: token, ReplyURL: rcv.URL}, nil)
	id, err := p.Send(context.Background(), "visitor-42", "Hello!")
	if err != nil {
		t.Fatal(err)
	}
	got := rcv.deliveries()
	if len(got) != 1 || got[0].ID != id || got[0].To != "visitor-42" || got[0].Thread != "json:visitor-42" || got[0].Reply != "Hello!" {
		t.Fatalf("deliveries %+v (id %s)", got, id)
	}
	t.Run("a forged signature is refused by the receiver", func(t *testing.T) {
		p := jsonhook.NewPoster(jsonhook.Config{Token: token + "x", ReplyURL: rcv.URL}, nil)
		if _, err := p.Send(context.Background(), "visitor-42", "x"); err == nil || !jsonhook.IsPermanent(err) {
			t.Fatalf("err %v, want a permanent failure (401)", err)
		}
	})
}

func TestPosterErrors(t *testing.T) {
	for _, c := range []struct {
		status    int
		permanent bool
	}{{400, true}, {404, true}, {408, false}, {429, false}, {500, false}, {503, false}} {
		rcv := newReceiver(t)
		rcv.status = c.status
		p := jsonhook.NewPoster(jsonhook.Config{Token: token, ReplyURL: rcv.URL}, nil)
		_, err := p.Send(context.Background(), "a", "x")
		var se *jsonhook.SendError
		if err == nil || jsonhook.IsPermanent(err) != c.permanent {
			t.Errorf("HTTP %d: err %v, want permanent=%v", c.status, err, c.permanent)
		}
		if !errors.As(err, &se) || se.ErrorCode() != c.status {
			t.Errorf("HTTP %d: code %v", c.status, err)
		}
	}
}

func TestPosterWithoutURLKeepsTheReply(t *testing.T) {
	p := jsonhook.NewPoster(jsonhook.Config{Token: token}, nil)
	id, err := p.Send(context.Background(), "json:visitor-42", "Hello!")
	if err != nil || len(id) < 10 || id[:5] != "kept-" {
		t.Fatalf("id %q, err %v", id, err)
	}
}

// TestAWaitingRequestCollectsTheReply: a reply whose request is waiting is
// returned to that request and not posted — every part of it — while a
// reply to a message nobody waits for is posted.
func TestAWaitingRequestCollectsTheReply(t *testing.T) {
	rcv := newReceiver(t)
	st := newStore()
	h := newHandler(st)
	p := jsonhook.NewPoster(jsonhook.Config{Token: token, ReplyURL: rcv.URL}, h)

	// Another message of the same sender, answered while nobody waits.
	post(h, "", `{"id":"m0","from":"visitor-42","text":"earlier"}`)
	done := make(chan response)
	go func() { done <- post(h, "?wait=10s", hello) }()
	for st.count() < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // the request is waiting now
	st.finish("m0", "earlier answer")
	if _, err := p.Send(context.Background(), "visitor-42", "earlier answer"); err != nil {
		t.Fatal(err)
	}
	st.finish("m1", "part one. part two.")
	for _, part := range []string{"part one.", "part two."} {
		id, err := p.Send(context.Background(), "visitor-42", part)
		if err != nil || id[:10] != "collected-" {
			t.Fatalf("part %q: id %q err %v, want collected", part, id, err)
		}
	}
	if r := <-done; r.code != 200 || r.body["reply"] != "part one. part two." {
		t.Fatalf("the waiting request got %d %v", r.code, r.body)
	}
	got := rcv.deliveries()
	if len(got) != 1 || got[0].Reply != "earlier answer" {
		t.Fatalf("posted %+v, want only the reply nobody waited for", got)
	}
}
