package cli

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

const (
	metaToken    = "EAAGe2etesttoken"
	metaNumberID = "106540352242922"
	metaSecret   = "e2e-app-secret-0123456789abcdef"
	metaVerify   = "e2e-verify-token"
	metaVersion  = "v23.0"
)

// metaE2E is the assistant with the WhatsApp Cloud API channel on, talking
// to a fake Graph API.
type metaE2E struct {
	*e2e
	graph *metatest.Server
}

func newMetaE2E(t *testing.T, extra map[string]string) *metaE2E {
	graph := metatest.NewServer(t, metaToken, metaNumberID, metaVersion)
	env := map[string]string{
		"META_ACCESS_TOKEN":    metaToken,
		"META_PHONE_NUMBER_ID": metaNumberID,
		"META_APP_SECRET":      metaSecret,
		"META_VERIFY_TOKEN":    metaVerify,
		"META_GRAPH_URL":       graph.URL,
		"META_GRAPH_VERSION":   metaVersion,
	}
	for k, v := range extra {
		env[k] = v
	}
	return &metaE2E{e2e: newE2E(t, env), graph: graph}
}

var wamidSeq struct {
	sync.Mutex
	n int
}

func nextWamid() string {
	wamidSeq.Lock()
	defer wamidSeq.Unlock()
	wamidSeq.n++
	return fmt.Sprintf("wamid.HBgLMTU1NTEyMzAwMDEVAgASGBQzQTRBNjU5OUFFRTAz%06d", wamidSeq.n)
}

// postMeta sends a signed Cloud API webhook and returns the status code.
func postMeta(t *testing.T, addr string, body []byte) int {
	t.Helper()
	req := metatest.Request("http://"+addr+"/webhooks/meta", metaSecret, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func metaText(waID, text string) []byte {
	return metatest.NewPayload(metaNumberID).Text(waID, "Ana", nextWamid(), text).Bytes()
}

// sentTo waits until the fake Graph API accepted n text messages to waID,
// and a little longer to catch extras.
func (e *metaE2E) sentTo(waID string, n int, wait time.Duration) []string {
	e.t.Helper()
	collect := func() []string {
		var got []string
		for _, m := range e.graph.Sent() {
			if m.To == waID && m.Type == "text" {
				got = append(got, m.Text)
			}
		}
		return got
	}
	deadline := time.Now().Add(wait)
	var got []string
	for time.Now().Before(deadline) {
		if got = collect(); len(got) >= n {
			time.Sleep(300 * time.Millisecond)
			return collect()
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("waited for %d messages to %s, got %d: %q", n, waID, len(got), got)
	return nil
}

const metaAna = "15551230001"

func TestE2EMetaReplyArrivesOnce(t *testing.T) {
	e := newMetaE2E(t, nil)
	e.start()
	body := metaText(metaAna, "hello there")
	for range 2 { // Meta redelivers
		if code := postMeta(t, e.addr, body); code != 200 {
			t.Fatalf("webhook = %d", code)
		}
	}
	got := e.sentTo(metaAna, 1, 20*time.Second)
	if len(got) != 1 || got[0] != "echo: hello there" {
		t.Fatalf("replies = %q", got)
	}
	// The turn marked the message read, with the typing indicator.
	if r := e.graph.Reads(); len(r) != 1 || !r[0].Typing {
		t.Fatalf("mark-as-read calls %+v", r)
	}
	// A delivery status is recorded and starts no run.
	wamid := e.graph.Sent()[0].ID
	if code := postMeta(t, e.addr, metatest.NewPayload(metaNumberID).Status(wamid, "read", metaAna, 0).Bytes()); code != 200 {
		t.Fatalf("status webhook = %d", code)
	}
	if got := e.sentTo(metaAna, 1, 5*time.Second); len(got) != 1 {
		t.Fatalf("a status produced a reply: %q", got)
	}
}

func TestE2EMetaRefusals(t *testing.T) {
	e := newMetaE2E(t, nil)
	e.start()
	body := metaText(metaAna, "hi")
	req := metatest.Request("http://"+e.addr+"/webhooks/meta", "not the secret", body)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("bad signature = %v %v", resp.StatusCode, err)
	}
	req = metatest.Request("http://"+e.addr+"/webhooks/meta", metaSecret, body)
	req.Header.Del(meta.SignatureHeader)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 403 {
		t.Fatalf("unsigned = %v %v", resp.StatusCode, err)
	}
	big := metaText(metaAna, strings.Repeat("x", meta.MaxBodyBytes))
	if code := postMeta(t, e.addr, big); code != 413 {
		t.Fatalf("oversized = %d", code)
	}
	for query, want := range map[string]int{
		"hub.mode=subscribe&hub.verify_token=" + metaVerify + "&hub.challenge=8421": 200,
		"hub.mode=subscribe&hub.verify_token=guess&hub.challenge=8421":              403,
	} {
		resp, err := http.Get("http://" + e.addr + "/webhooks/meta?" + query)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("handshake %q = %v %v", query, resp.StatusCode, err)
		}
		b, _ := io.ReadAll(resp.Body)
		if want == 200 && string(b) != "8421" {
			t.Fatalf("challenge echoed as %q", b)
		}
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(e.graph.Sent()); n != 0 {
		t.Fatalf("refused requests produced %d replies", n)
	}
}

func TestE2EMetaVoiceNoteAndUnsupported(t *testing.T) {
	e := newMetaE2E(t, nil)
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		if strings.HasSuffix(r.Path, "/audio/transcriptions") {
			return llmtest.Reply{Transcript: "remind me to call mum"}
		}
		return echoModel(e.model)(r)
	})
	e.start()
	e.graph.AddMedia("1003383421387256", "audio/ogg", []byte("OggS\x00fake opus"))
	postMeta(t, e.addr, metatest.NewPayload(metaNumberID).Audio(metaAna, "Ana", nextWamid(), "1003383421387256").Bytes())
	if got := e.sentTo(metaAna, 1, 20*time.Second); len(got) != 1 || got[0] != "echo: [voice note] remind me to call mum" {
		t.Fatalf("voice note reply = %q", got)
	}
	const bob = "15551230002"
	postMeta(t, e.addr, metatest.NewPayload(metaNumberID).Unsupported(bob, "Bob", nextWamid()).Bytes())
	if got := e.sentTo(bob, 1, 20*time.Second); len(got) != 1 || !strings.Contains(got[0], "can't open") {
		t.Fatalf("unsupported message reply = %q", got)
	}
}

func TestE2EMetaLongReplyIsSplitInOrder(t *testing.T) {
	e := newMetaE2E(t, nil)
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		return llmtest.Reply{Text: strings.Repeat("This sentence is part of a very long answer. ", 200)}
	})
	e.start()
	postMeta(t, e.addr, metaText(metaAna, "write me an essay"))
	got := e.sentTo(metaAna, 3, 20*time.Second)
	if len(got) != 3 {
		t.Fatalf("%d parts", len(got))
	}
	var whole []string
	for _, p := range got {
		if len([]rune(p)) > meta.MaxMessageLength || !strings.HasSuffix(p, ".") {
			t.Fatalf("part of %d chars", len([]rune(p)))
		}
		whole = append(whole, p)
	}
	if strings.Join(whole, " ") != strings.TrimSpace(strings.Repeat("This sentence is part of a very long answer. ", 200)) {
		t.Fatal("the parts do not make the reply, in order")
	}
}

func TestE2EMetaSendRetryAndPermanentFailure(t *testing.T) {
	e := newMetaE2E(t, nil)
	const retried, outside = "15551230021", "15551230022"
	var mu sync.Mutex
	tries := map[string]int{}
	e.graph.Fail(func(_ int, m metatest.Sent) *metatest.Failure {
		mu.Lock()
		defer mu.Unlock()
		tries[m.To]++
		switch {
		case m.To == retried && tries[m.To] == 1:
			return &metatest.Failure{Status: 400, Code: meta.CodeRateLimit, RetryAfter: "1"}
		case m.To == outside:
			return &metatest.Failure{Status: 400, Code: meta.CodeReEngagement}
		}
		return nil
	})
	e.start()
	postMeta(t, e.addr, metaText(retried, "one"))
	postMeta(t, e.addr, metaText(outside, "two"))
	if got := e.sentTo(retried, 1, 60*time.Second); got[0] != "echo: one" {
		t.Fatalf("retried reply = %q", got)
	}
	time.Sleep(2 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	if tries[outside] != 1 {
		t.Fatalf("a reply outside the 24-hour window was tried %d times", tries[outside])
	}
}

func TestE2EMetaCrashBeforeSendRepliesOnce(t *testing.T) {
	e := newMetaE2E(t, map[string]string{"QUEUE_JOB_TIMEOUT": "6s", "QUEUE_RESCUE_AFTER": "8s", "LOG_LEVEL": "info"})
	release := e.graph.Hold()
	addr, kill := e.process(nil)
	postMeta(t, addr, metaText(metaAna, "are you there?"))
	// Wait until the reply's send is in flight (it is committed to the
	// outbox before), then crash the process.
	deadline := time.Now().Add(30 * time.Second)
	for e.graph.Held() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	kill()
	// Release only once the fake has seen the dead process's connection
	// close, or the release could let that send through.
	for e.graph.Held() != 0 && time.Now().Before(deadline.Add(20*time.Second)) {
		time.Sleep(20 * time.Millisecond)
	}
	release()
	e.process(nil) // restart on the same database
	// River rescues the in-flight job at a rescue pass after
	// QUEUE_RESCUE_AFTER.
	e.sentTo(metaAna, 1, 90*time.Second)
	time.Sleep(9 * time.Second) // past another rescue: nothing more may arrive
	if got := e.sentTo(metaAna, 1, time.Second); len(got) != 1 || got[0] != "echo: are you there?" {
		t.Fatalf("replies after the crash = %q", got)
	}
	if n := len(e.model.Requests()); n != 1 {
		t.Fatalf("the model was called %d times: the turn ran again", n)
	}
}
