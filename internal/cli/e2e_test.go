package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

const (
	e2eSID    = "AC00000000000000000000000000000abc"
	e2eToken  = "0123456789abcdef0123456789abcdef"
	e2eFrom   = "whatsapp:+14155238886"
	e2ePublic = "https://bot.example.com"

	e2eMetricsToken = "e2e-metrics-token-0123456789"
)

// getMetrics scrapes the server's /metrics on its main port, with the
// bearer token.
func getMetrics(t *testing.T, addr string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+e2eMetricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s", resp.StatusCode, body)
	}
	return string(body)
}

// TestMain lets the test binary act as the assistant for tests that need a
// separate process (a crash, two servers on one database).
func TestMain(m *testing.M) {
	if os.Getenv("SWITCHBOARD_E2E_PROCESS") == "1" {
		ctx, stop := signalContext()
		code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// e2e is a running assistant with fake Twilio and a fake model around it.
type e2e struct {
	t      *testing.T
	twilio *twiliotest.Server
	model  *llmtest.Server
	env    map[string]string
	addr   string
}

// echoModel answers each turn with "echo: " and the user texts since the
// last answer, so tests can see what was merged into one turn.
func echoModel(s *llmtest.Server) func(llmtest.Request) llmtest.Reply {
	return func(r llmtest.Request) llmtest.Reply {
		conv, err := s.Conversation(r)
		if err != nil {
			return llmtest.Reply{Status: 400, ErrorMessage: err.Error()}
		}
		var texts []string
		for _, m := range conv.Turns {
			switch {
			case m.Role == "assistant" && len(m.ToolCalls) == 0:
				texts = nil
			case m.Role == "user":
				texts = append(texts, m.Text)
			}
		}
		reply := "echo: " + strings.Join(texts, " | ")
		if strings.Contains(reply, "essay") {
			reply = strings.Repeat("This sentence is part of a very long answer. ", 60)
		}
		return llmtest.Reply{Text: reply}
	}
}

func newE2E(t *testing.T, extra map[string]string) *e2e {
	e := &e2e{t: t, twilio: twiliotest.NewServer(t, e2eSID, e2eToken), model: llmtest.NewOpenAI(t)}
	e.model.Handle(echoModel(e.model))
	e.env = map[string]string{
		"ASSISTANT_ADDR":       "127.0.0.1:0",
		"ASSISTANT_DATA_DIR":   t.TempDir(),
		"PUBLIC_URL":           e2ePublic,
		"TWILIO_ACCOUNT_SID":   e2eSID,
		"TWILIO_AUTH_TOKEN":    e2eToken,
		"TWILIO_WHATSAPP_FROM": e2eFrom,
		"TWILIO_API_BASE_URL":  e.twilio.URL,
		"OPENAI_API_KEY":       "sk-test",
		"OPENAI_BASE_URL":      e.model.BaseURL(),
		"BURST_WINDOW":         "0",
		// Debug: every line a thread can appear in is checked for
		// unmasked numbers (checkLogsMasked).
		"LOG_LEVEL": "debug",
		// Parallel servers cannot share the default metrics port; the
		// tests read /metrics on the main port with the token.
		"METRICS_ADDR":  "off",
		"METRICS_TOKEN": e2eMetricsToken,
	}
	for k, v := range extra {
		e.env[k] = v
	}
	return e
}

// start runs the server in this process until the test ends.
func (e *e2e) start() {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs syncBuffer
	go func() {
		done <- serve(ctx, []string{"-env-file", ""}, envMap(e.env), &logs, &serveOptions{ready: ready, pollInterval: 20 * time.Millisecond, tick: time.Second})
	}()
	select {
	case e.addr = <-ready:
	case err := <-done:
		e.t.Fatalf("serve: %v\n%s", err, logs.String())
	case <-time.After(30 * time.Second):
		e.t.Fatalf("server did not start\n%s", logs.String())
	}
	e.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("serve returned %v\n%s", err, logs.String())
		}
		checkLogsMasked(e.t, logs.String())
	})
}

// post sends a signed Twilio webhook and returns the status code.
func post(t *testing.T, addr string, form url.Values) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/webhooks/twilio", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(e2eToken, e2ePublic+"/webhooks/twilio", form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

var sidSeq struct {
	sync.Mutex
	n int
}

func nextSID() string {
	sidSeq.Lock()
	defer sidSeq.Unlock()
	sidSeq.n++
	return fmt.Sprintf("SM%032d", sidSeq.n)
}

func text(from, body string) url.Values {
	return url.Values{"From": {from}, "To": {e2eFrom}, "Body": {body}, "MessageSid": {nextSID()}, "NumMedia": {"0"}, "ProfileName": {"Ana"}}
}

// replies waits until the fake Twilio holds n messages to the number, and
// a little longer to catch extras.
func (e *e2e) replies(to string, n int) []string {
	e.t.Helper()
	return e.repliesWithin(to, n, 20*time.Second)
}

func (e *e2e) repliesWithin(to string, n int, wait time.Duration) []string {
	e.t.Helper()
	collect := func() []string {
		var got []string
		for _, m := range e.twilio.Messages() {
			if m.To == to {
				got = append(got, m.Body)
			}
		}
		return got
	}
	deadline := time.Now().Add(wait)
	var got []string
	for time.Now().Before(deadline) {
		if got = collect(); len(got) >= n {
			time.Sleep(300 * time.Millisecond) // catch extras
			return collect()
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("waited for %d replies to %s, got %d: %q", n, to, len(got), got)
	return nil
}

const ana = "whatsapp:+15551230001"

func TestE2EReplyArrivesOnce(t *testing.T) {
	e := newE2E(t, nil)
	e.start()
	msg := text(ana, "hello there")
	if code := post(t, e.addr, msg); code != 200 {
		t.Fatalf("webhook = %d", code)
	}
	if code := post(t, e.addr, msg); code != 200 { // Twilio retries the delivery
		t.Fatalf("duplicate webhook = %d", code)
	}
	got := e.replies(ana, 1)
	if len(got) != 1 || got[0] != "echo: hello there" {
		t.Fatalf("replies = %q", got)
	}
	sent := e.twilio.Messages()[0]
	if sent.From != e2eFrom || sent.StatusCallback != e2ePublic+"/webhooks/twilio/status" {
		t.Fatalf("sent %+v", sent)
	}
	// The delivery callback is recorded and starts no run.
	status := url.Values{"MessageSid": {sent.SID}, "MessageStatus": {"delivered"}, "To": {ana}, "From": {e2eFrom}}
	req, _ := http.NewRequest(http.MethodPost, "http://"+e.addr+"/webhooks/twilio/status", strings.NewReader(status.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliotest.Sign(e2eToken, e2ePublic+"/webhooks/twilio/status", status))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("status callback = %v %v", resp.StatusCode, err)
	}
	if got := e.replies(ana, 1); len(got) != 1 {
		t.Fatalf("a status callback produced a reply: %q", got)
	}
}

func TestE2ERefusals(t *testing.T) {
	e := newE2E(t, nil)
	e.start()
	form := text(ana, "hi")
	req, _ := http.NewRequest(http.MethodPost, "http://"+e.addr+"/webhooks/twilio", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ := http.DefaultClient.Do(req)
	if resp.StatusCode != 403 {
		t.Fatalf("unsigned = %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, "http://"+e.addr+"/webhooks/twilio", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")
	resp, _ = http.DefaultClient.Do(req)
	if resp.StatusCode != 403 {
		t.Fatalf("bad signature = %d", resp.StatusCode)
	}
	if code := post(t, e.addr, text(ana, strings.Repeat("x", 70<<10))); code != 413 {
		t.Fatalf("oversized = %d", code)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get("http://" + e.addr + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s = %v %v", path, resp.StatusCode, err)
		}
	}
	body := getMetrics(t, e.addr)
	if !strings.Contains(body, `switchboard_webhooks_total{channel="twilio",result="forbidden",route="inbound"} 2`) ||
		!strings.Contains(body, `result="too_large",route="inbound"} 1`) || !strings.Contains(body, "switchboard_backlog_messages 0") {
		t.Fatalf("metrics:\n%s", body)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(e.twilio.Messages()); n != 0 {
		t.Fatalf("refused requests produced %d replies", n)
	}
}

func TestE2EBurstIsOneTurn(t *testing.T) {
	e := newE2E(t, map[string]string{"BURST_WINDOW": "700ms"})
	e.start()
	for _, body := range []string{"hi", "I need", "a table for two"} {
		post(t, e.addr, text(ana, body))
	}
	got := e.replies(ana, 1)
	if len(got) != 1 || got[0] != "echo: hi | I need | a table for two" {
		t.Fatalf("replies = %q", got)
	}
}

func TestE2EThreadsInParallelAndInOrder(t *testing.T) {
	e := newE2E(t, nil)
	e.start()
	var wg sync.WaitGroup
	users := []string{"whatsapp:+15551230011", "whatsapp:+15551230012", "whatsapp:+15551230013"}
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1; i <= 3; i++ {
				post(t, e.addr, text(u, fmt.Sprintf("message %d", i)))
				// Wait for each answer so this thread's turns stay separate.
				e.replies(u, i)
			}
		}()
	}
	wg.Wait()
	for _, u := range users {
		got := e.replies(u, 3)
		want := []string{"echo: message 1", "echo: message 2", "echo: message 3"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("%s got %q", u, got)
		}
	}
}

func TestE2EMedia(t *testing.T) {
	e := newE2E(t, nil)
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		if strings.HasSuffix(r.Path, "/audio/transcriptions") {
			return llmtest.Reply{Transcript: "remind me to call mum"}
		}
		return echoModel(e.model)(r)
	})
	e.start()
	voice := e.twilio.AddMedia("voice.ogg", "audio/ogg", []byte("OggS\x00fake opus"))
	msg := text(ana, "")
	msg.Set("NumMedia", "1")
	msg.Set("MediaUrl0", voice)
	msg.Set("MediaContentType0", "audio/ogg")
	post(t, e.addr, msg)
	got := e.replies(ana, 1)
	if len(got) != 1 || got[0] != "echo: [voice note] remind me to call mum" {
		t.Fatalf("voice note reply = %q", got)
	}
	video := text("whatsapp:+15551230002", "look at this")
	video.Set("NumMedia", "1")
	video.Set("MediaUrl0", e.twilio.AddMedia("clip.mp4", "video/mp4", []byte("....")))
	video.Set("MediaContentType0", "video/mp4")
	post(t, e.addr, video)
	got = e.replies("whatsapp:+15551230002", 2)
	if len(got) != 2 || !strings.Contains(got[0], "can't open videos") || got[1] != "echo: look at this" {
		t.Fatalf("video replies = %q", got)
	}
}

func TestE2EModelDownSendsFallback(t *testing.T) {
	e := newE2E(t, map[string]string{"LLM_MAX_ATTEMPTS": "2", "FALLBACK_REPLY": "Sorry, try again in a minute."})
	e.model.Handle(func(r llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: 503, ErrorMessage: "overloaded"} })
	e.start()
	post(t, e.addr, text(ana, "hello?"))
	if got := e.replies(ana, 1); len(got) != 1 || got[0] != "Sorry, try again in a minute." {
		t.Fatalf("replies = %q", got)
	}
}

func TestE2ELongReplyIsSplit(t *testing.T) {
	e := newE2E(t, nil)
	e.start()
	post(t, e.addr, text(ana, "write me an essay"))
	got := e.replies(ana, 2)
	if len(got) != 2 {
		t.Fatalf("%d parts", len(got))
	}
	for _, p := range got {
		if len([]rune(p)) > 1600 || !strings.HasSuffix(p, ".") {
			t.Fatalf("part of %d chars ending %q", len([]rune(p)), p[len(p)-10:])
		}
	}
}

// process runs `assistant serve` as a separate process and returns its
// address and a kill function.
func (e *e2e) process(env map[string]string) (addr string, kill func()) {
	e.t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "-env-file", "")
	cmd.Env = append(os.Environ(), "SWITCHBOARD_E2E_PROCESS=1")
	for k, v := range e.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "LOG_LEVEL=info") // the "listening" line gives the address
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	killed := false
	kill = func() {
		if !killed {
			killed = true
			cmd.Process.Kill() // SIGKILL: no shutdown, no cleanup
			cmd.Wait()
		}
	}
	e.t.Cleanup(kill)
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				e.t.Fatal("assistant process exited before listening")
			}
			if strings.Contains(l, `"assistant listening"`) {
				i := strings.Index(l, `"addr":"`) + len(`"addr":"`)
				addr = l[i : i+strings.Index(l[i:], `"`)]
				go func() {
					for range lines {
					}
				}()
				return addr, kill
			}
		case <-deadline:
			e.t.Fatal("assistant process did not start")
		}
	}
}

func TestE2ECrashBeforeSendRepliesOnceAfterRestart(t *testing.T) {
	e := newE2E(t, map[string]string{"QUEUE_JOB_TIMEOUT": "6s", "QUEUE_RESCUE_AFTER": "8s", "LOG_LEVEL": "info"})
	release := e.twilio.Hold() // sends hang, as if the network to Twilio were down
	addr, kill := e.process(nil)
	post(t, addr, text(ana, "are you there?"))
	// Wait until the send is in flight (the reply is committed to the
	// outbox before a send job exists), then crash the process.
	deadline := time.Now().Add(20 * time.Second)
	for len(e.model.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	for e.twilio.Held() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	kill()
	// The send died with the process: wait until the fake has seen its
	// connection close, or releasing could still let it through (a crash
	// after the provider took a message is a different case, and one
	// nobody can tell from a lost answer).
	for e.twilio.Held() != 0 && time.Now().Before(deadline.Add(20*time.Second)) {
		time.Sleep(20 * time.Millisecond)
	}
	release()
	e.process(nil) // restart on the same database
	// River rescues the in-flight job at its next rescue pass (every 30s)
	// after QUEUE_RESCUE_AFTER.
	e.repliesWithin(ana, 1, 60*time.Second)
	time.Sleep(9 * time.Second) // past another rescue: nothing more may arrive
	got := e.replies(ana, 1)
	if len(got) != 1 || got[0] != "echo: are you there?" {
		t.Fatalf("replies after the crash = %q", got)
	}
	if n := len(e.model.Requests()); n != 1 {
		t.Fatalf("the model was called %d times: the turn ran again", n)
	}
}

func TestE2ETwoProcessesOnOnePostgres(t *testing.T) {
	url := pgtest.URL(t)
	e := newE2E(t, map[string]string{"DATABASE_URL": url, "WORKERS": "4"})
	a, _ := e.process(nil)
	b, _ := e.process(nil)
	const n = 30
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			addr := a
			if i%2 == 1 {
				addr = b
			}
			// Five users, six messages each, alternating between servers.
			if code := post(t, addr, text(fmt.Sprintf("whatsapp:+1555123%04d", i%5), fmt.Sprintf("m%d", i))); code != 200 {
				t.Errorf("webhook = %d", code)
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(30 * time.Second)
	answered := map[string]int{}
	for time.Now().Before(deadline) {
		clear(answered)
		for _, m := range e.twilio.Messages() {
			for _, part := range strings.Split(strings.TrimPrefix(m.Body, "echo: "), " | ") {
				answered[part]++
			}
		}
		if len(answered) == n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(time.Second)
	clear(answered)
	for _, m := range e.twilio.Messages() {
		for _, part := range strings.Split(strings.TrimPrefix(m.Body, "echo: "), " | ") {
			answered[part]++
		}
	}
	for i := 0; i < n; i++ {
		if c := answered[fmt.Sprintf("m%d", i)]; c != 1 {
			t.Errorf("m%d answered %d times", i, c)
		}
	}
}
