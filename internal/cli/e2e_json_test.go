package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
)

const jsonToken = "e2e-webhook-token-0123456789abcdef"

// postJSON sends a request to the JSON webhook and returns the status and
// the decoded answer.
func postJSON(t *testing.T, addr, query, body string) (int, map[string]string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhooks/json"+query, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+jsonToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestE2EJSONWebhook(t *testing.T) {
	e := newE2E(t, map[string]string{"WEBHOOK_TOKEN": jsonToken})
	e.start()
	code, out := postJSON(t, e.addr, "?wait=20s", `{"id":"j1","from":"visitor-42","text":"hello","name":"Ana"}`)
	if code != 200 || out["reply"] != "echo: hello" {
		t.Fatalf("wait: %d %v", code, out)
	}
	// A repeated id runs nothing and returns the stored reply.
	code, out = postJSON(t, e.addr, "", `{"id":"j1","from":"visitor-42","text":"hello","name":"Ana"}`)
	if code != 200 || out["reply"] != "echo: hello" {
		t.Fatalf("repeat: %d %v", code, out)
	}
	// The conversation keeps its memory across requests.
	code, out = postJSON(t, e.addr, "?wait=20s", `{"id":"j2","from":"visitor-42","text":"again"}`)
	if code != 200 || out["reply"] != "echo: again" {
		t.Fatalf("second message: %d %v", code, out)
	}
	if n := len(e.model.Requests()); n != 2 {
		t.Fatalf("the model ran %d times, want 2", n)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://"+e.addr+"/webhooks/json", strings.NewReader(`{"id":"j3","from":"x","text":"hi"}`))
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 401 {
		t.Fatalf("wrong token = %v %v", resp.StatusCode, err)
	}
	if code, out := postJSON(t, e.addr, "", `{"id":"j3","from":"x"}`); code != 400 || !strings.Contains(out["error"], `"text" is required`) {
		t.Fatalf("bad body = %d %v", code, out)
	}
}

// TestE2EJSONWaitTimesOutThenRetryCollects: a slow model makes the waiting
// request answer 202; the retry of the same id collects the reply, and the
// reply is posted to JSON_REPLY_URL, signed, since nobody collected it in
// time.
func TestE2EJSONWaitTimesOutThenRetryCollects(t *testing.T) {
	var mu sync.Mutex
	var posted []jsonhook.Delivery
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !jsonhook.ValidSignature(jsonToken, body, r.Header.Get(jsonhook.SignatureHeader)) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var d jsonhook.Delivery
		_ = json.Unmarshal(body, &d)
		mu.Lock()
		posted = append(posted, d)
		mu.Unlock()
	}))
	defer rcv.Close()
	e := newE2E(t, map[string]string{"WEBHOOK_TOKEN": jsonToken, "JSON_REPLY_URL": rcv.URL})
	gate := make(chan struct{})
	slow := echoModel(e.model)
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		<-gate
		return slow(r)
	})
	e.start()
	if code, out := postJSON(t, e.addr, "?wait=1s", `{"id":"slow","from":"visitor-7","text":"are you there?"}`); code != 202 || out["status"] != "accepted" {
		t.Fatalf("timed-out wait = %d %v", code, out)
	}
	close(gate)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// No wait: nobody collects the reply, so it is also posted.
		code, out := postJSON(t, e.addr, "", `{"id":"slow","from":"visitor-7","text":"are you there?"}`)
		if code == 200 {
			if out["reply"] != "echo: are you there?" {
				t.Fatalf("reply %v", out)
			}
			break
		}
		if code != 202 || time.Now().After(deadline) {
			t.Fatalf("no reply for the retried id: %d %v", code, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(e.model.Requests()); n != 1 {
		t.Fatalf("the model ran %d times for one id", n)
	}
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(posted)
		mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(posted) != 1 || posted[0].To != "visitor-7" || posted[0].Reply != "echo: are you there?" {
		t.Fatalf("posted %+v", posted)
	}
}
