package flows_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

const th = "whatsapp:+15551234567"

// model answers "echo: <all user text of the turn>" and records requests.
type model struct {
	mu   sync.Mutex
	reqs []llm.Request
	err  error
}

func (m *model) Generate(ctx context.Context, req llm.Request) (llm.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reqs = append(m.reqs, req)
	if m.err != nil {
		return llm.Response{}, m.err
	}
	var texts []string
	for _, msg := range req.Messages[lastAnswer(req.Messages):] {
		if msg.Role == llm.RoleUser {
			t := msg.Content
			for _, p := range msg.Parts {
				if p.Type == llm.PartImage {
					t += " +image(" + p.ImageURL[:20] + ")"
				}
			}
			texts = append(texts, t)
		}
	}
	return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "echo: " + strings.Join(texts, " | ")}}, nil
}

func lastAnswer(msgs []llm.Message) int {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == llm.RoleAssistant && len(msgs[i].ToolCalls) == 0 {
			return i + 1
		}
	}
	return 0
}

type sender struct {
	mu    sync.Mutex
	sent  []string
	fails map[int]error // by attempt number, 1-based
	n     int
}

func (s *sender) Send(ctx context.Context, to, body string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	if err := s.fails[s.n]; err != nil {
		return "", err
	}
	s.sent = append(s.sent, body)
	return fmt.Sprint("SM", s.n), nil
}

// fetcher maps a URL to the content type it claims; the body is
// "data:<url>", or a small PNG for an image URL's path ending in "photo".
type fetcher map[string]string

func (f fetcher) Fetch(ctx context.Context, url string) ([]byte, string, error) {
	ct, ok := f[url]
	if !ok {
		return nil, "", errors.New("404")
	}
	if strings.HasSuffix(url, "photo") {
		return pngOf(8, 8), ct, nil
	}
	return []byte("data:" + url), ct, nil
}

// pngOf returns a w×h PNG.
func pngOf(w, h int) []byte {
	var b bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// errPermanent is a channel's permanent failure, with the channel's code.
var errPermanent error = codedError{63016}

type codedError struct{ code int }

func (e codedError) Error() string  { return fmt.Sprintf("outside the 24-hour window (%d)", e.code) }
func (e codedError) ErrorCode() int { return e.code }

type env struct {
	t      *testing.T
	store  *memStore
	model  *model
	sender *sender
	runner *flows.Runner
	now    time.Time
}

func newEnv(t *testing.T, mod func(*flows.Runner)) *env {
	e := &env{t: t, store: newMemStore(), model: &model{}, sender: &sender{}, now: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)}
	a, err := agent.New(agent.Config{Model: e.model, Saver: memory.New()})
	if err != nil {
		t.Fatal(err)
	}
	e.runner = &flows.Runner{
		Store: e.store,
		Agent: a,
		Channels: map[string]flows.Channel{"twilio": {
			Sender: e.sender, MaxLength: 40,
			Media:     fetcher{"https://m/voice": "audio/ogg", "https://m/photo": "image/jpeg", "https://m/clip": "video/mp4"},
			Permanent: func(err error) bool { return errors.Is(err, errPermanent) },
		}},
		Transcriber: llm.TranscriberFunc(func(ctx context.Context, audio io.Reader, name, mime string) (string, error) {
			b, _ := io.ReadAll(audio)
			if !strings.HasSuffix(name, ".ogg") || mime != "audio/ogg" {
				return "", fmt.Errorf("bad upload %s %s", name, mime)
			}
			return "transcript of " + string(b), nil
		}),
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: flows.NewMetrics(metrics.New()),
		Now:     func() time.Time { return e.now },
		Owner:   "test",
	}
	if mod != nil {
		mod(e.runner)
	}
	return e
}

func (e *env) receive(body string, media ...store.Media) {
	e.store.add(store.Inbound{Channel: "twilio", Thread: th, From: th, Body: body, Media: media, ReceivedAt: e.now})
}

// run runs the thread's job, following its immediate continuations (one
// turn per message when bursts are not merged), as River would.
func (e *env) run() time.Duration {
	e.t.Helper()
	for {
		again, err := e.runner.RunThread(context.Background(), th)
		if err != nil {
			e.t.Fatalf("RunThread: %v", err)
		}
		if again != time.Millisecond {
			return again
		}
	}
}

func (e *env) sendAll() {
	e.t.Helper()
	for _, id := range e.store.sendJobs {
		if again, err := e.runner.SendReply(context.Background(), id); err != nil || again != 0 {
			e.t.Fatalf("SendReply(%d): %v, again %s", id, err, again)
		}
	}
}

func TestMessageGetsOneReply(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("hello")
	if again := e.run(); again != 0 {
		t.Fatalf("again = %s", again)
	}
	e.sendAll()
	e.sendAll() // a retried send job changes nothing
	if got := strings.Join(e.sender.sent, "|"); got != "echo: hello" {
		t.Fatalf("sent %q", got)
	}
	if e.run(); len(e.model.reqs) != 1 {
		t.Fatalf("a job with nothing pending called the model")
	}
	if v := e.runner.Metrics.Runs.Value("agent", "ok"); v != 1 {
		t.Fatalf("runs metric = %v", v)
	}
}

func TestBurstIsMergedIntoOneTurn(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.BurstWindow = 3 * time.Second; r.BurstMaxWait = 20 * time.Second })
	e.receive("hi")
	e.now = e.now.Add(time.Second)
	e.receive("can you")
	e.now = e.now.Add(time.Second)
	e.receive("help me?")
	if again := e.run(); again != 3*time.Second {
		t.Fatalf("again = %s, want the window after the newest message (3s)", again)
	}
	e.now = e.now.Add(3 * time.Second)
	if again := e.run(); again != 0 {
		t.Fatalf("again = %s after the window", again)
	}
	if len(e.model.reqs) != 1 || len(e.store.outbox) != 1 || e.store.outbox[0].Body != "echo: hi | can you | help me?" {
		t.Fatalf("%d model calls, outbox %v", len(e.model.reqs), e.store.replies())
	}
}

func TestBurstMaxWaitCapsAKeenTypist(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.BurstWindow = 3 * time.Second; r.BurstMaxWait = 5 * time.Second })
	for i := range 4 {
		e.receive(fmt.Sprint("part ", i))
		e.now = e.now.Add(2 * time.Second)
	}
	// Oldest at t0, newest at t0+6s, now t0+8s: the window is open until
	// t0+9s, but the cap (t0+5s) has passed.
	if again := e.run(); again != 0 || len(e.model.reqs) != 1 {
		t.Fatalf("again = %s, %d model calls", again, len(e.model.reqs))
	}
}

func TestBusyThreadIsRetriedLater(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("hi")
	e.store.AcquireLease(context.Background(), th, "other-process", e.now, time.Minute)
	if again := e.run(); again <= 0 || len(e.model.reqs) != 0 {
		t.Fatalf("again = %s with %d model calls; want a retry and no run", again, len(e.model.reqs))
	}
	e.now = e.now.Add(2 * time.Minute) // the other process died; its lease expired
	if again := e.run(); again != 0 || len(e.model.reqs) != 1 {
		t.Fatalf("after expiry: again %s, %d model calls", again, len(e.model.reqs))
	}
}

func TestModelFailureSendsFallback(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.Fallback = "Sorry, try again soon." })
	e.model.err = &llm.APIError{Provider: "openai", StatusCode: 503, Err: llm.ErrUnavailable}
	e.receive("hello")
	e.run()
	if got := e.store.replies(); len(got) != 1 || got[0] != "fallback:1=Sorry, try again soon." {
		t.Fatalf("replies = %v", got)
	}
	if e.runner.Metrics.Runs.Value("agent", "fallback") != 1 {
		t.Fatal("fallback not counted")
	}
	// The model recovers: the next message is answered, and the model sees
	// the fallback the user got as the answer to the first one, so it does
	// not act on that request as if it were new.
	e.model.err = nil
	e.receive("still there?")
	e.run()
	if got := e.store.replies(); len(got) != 2 || got[1] != "turn:2=echo: still there?" {
		t.Fatalf("replies = %v", got)
	}
	msgs := e.model.reqs[len(e.model.reqs)-1].Messages
	if n := len(msgs); n != 3 || msgs[1].Role != llm.RoleAssistant || msgs[1].Content != "Sorry, try again soon." {
		t.Fatalf("the model's history = %+v, want the fallback between the two messages", msgs)
	}
}

func TestCrashBetweenCheckpointAndOutboxRepliesOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("book a table")
	e.store.failNext = errors.New("connection reset")
	if _, err := e.runner.RunThread(context.Background(), th); err == nil {
		t.Fatal("want the Complete failure")
	}
	e.run() // the job's retry
	e.sendAll()
	if len(e.model.reqs) != 1 || strings.Join(e.sender.sent, "|") != "echo: book a table" {
		t.Fatalf("%d model calls, sent %q", len(e.model.reqs), e.sender.sent)
	}
	// Same, but a new message arrives before the retry: both answers go out.
	e2 := newEnv(t, nil)
	e2.receive("first")
	e2.store.failNext = errors.New("connection reset")
	e2.runner.RunThread(context.Background(), th)
	e2.receive("second")
	e2.run()
	e2.sendAll()
	if got := strings.Join(e2.sender.sent, "|"); got != "echo: first|echo: second" || len(e2.model.reqs) != 2 {
		t.Fatalf("sent %q after %d model calls", got, len(e2.model.reqs))
	}
}

func TestMedia(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.BurstWindow = time.Second })
	e.receive("listen", store.Media{URL: "https://m/voice", ContentType: "audio/ogg"})
	e.receive("", store.Media{URL: "https://m/photo", ContentType: "image/jpeg"})
	e.receive("", store.Media{URL: "https://m/clip", ContentType: "video/mp4"})
	e.receive("and this", store.Media{URL: "https://m/missing", ContentType: "audio/ogg"})
	e.now = e.now.Add(2 * time.Second)
	e.run()
	got := e.store.replies()
	if len(got) != 2 {
		t.Fatalf("replies = %v", got)
	}
	if !strings.Contains(got[0], "can't open videos") || !strings.Contains(got[0], "couldn't make out your voice note") {
		t.Fatalf("notes = %q", got[0])
	}
	want := "turn:4=echo: listen\n[voice note] transcript of data:https://m/voice |  +image(data:image/png;base6) | and this"
	if got[1] != want {
		t.Fatalf("answer = %q\nwant %q", got[1], want)
	}
	if e.runner.Metrics.Media.Value("audio", "ok") != 1 || e.runner.Metrics.Media.Value("video", "unsupported") != 1 {
		t.Fatal("media metrics")
	}
}

func TestOnlyUnsupportedMediaGetsANoteAndNoModelCall(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("", store.Media{URL: "https://m/clip", ContentType: "video/mp4"})
	e.run()
	if got := e.store.replies(); len(got) != 1 || !strings.HasPrefix(got[0], "notes:1=") || len(e.model.reqs) != 0 {
		t.Fatalf("replies = %v, %d model calls", got, len(e.model.reqs))
	}
}

func TestVoiceNoteWithoutTranscriber(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.Transcriber = nil })
	e.receive("", store.Media{URL: "https://m/voice", ContentType: "audio/ogg"})
	e.run()
	if got := e.store.replies(); len(got) != 1 || !strings.Contains(got[0], "can't listen to voice notes") {
		t.Fatalf("replies = %v", got)
	}
}

func TestRateLimit(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.RateLimit = 3; r.BurstWindow = time.Second })
	for i := range 5 {
		e.receive(fmt.Sprint("spam ", i))
	}
	e.now = e.now.Add(2 * time.Second)
	if again := e.run(); again <= 0 || len(e.model.reqs) != 0 {
		t.Fatalf("again = %s, %d model calls; want the messages held", again, len(e.model.reqs))
	}
	e.run() // still over: no second notice in the same minute
	if got := e.store.replies(); len(got) != 1 || !strings.Contains(got[0], "faster than I can answer") {
		t.Fatalf("replies = %v", got)
	}
	e.now = e.now.Add(61 * time.Second)
	if again := e.run(); again != 0 || len(e.model.reqs) != 1 {
		t.Fatalf("after the window: again %s, %d model calls", again, len(e.model.reqs))
	}
}

func TestLongReplyIsSplitAndResumedAfterAFailure(t *testing.T) {
	e := newEnv(t, nil)
	e.sender.fails = map[int]error{2: errors.New("503")} // the second part fails once
	e.store.Complete(context.Background(), th, nil, []store.Outbound{{
		Thread: th, Channel: "twilio", To: th, Key: "k",
		Body: "This is the first sentence. And this is the second one. A third.",
	}})
	if _, err := e.runner.SendReply(context.Background(), 1); err == nil {
		t.Fatal("want the transient failure")
	}
	if _, err := e.runner.SendReply(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	want := "This is the first sentence.|And this is the second one. A third."
	if got := strings.Join(e.sender.sent, "|"); got != want {
		t.Fatalf("sent %q, want %q (each part once, in order)", got, want)
	}
	if o, _ := e.store.Outbound(context.Background(), 1); o.Status != store.StatusSent || o.PartsSent != 2 {
		t.Fatalf("outbox = %+v", o)
	}
}

func TestPermanentSendFailureIsNotRetried(t *testing.T) {
	e := newEnv(t, nil)
	e.sender.fails = map[int]error{1: errPermanent}
	e.store.Complete(context.Background(), th, nil, []store.Outbound{{Thread: th, Channel: "twilio", To: th, Key: "k", Body: "hi"}})
	_, err := e.runner.SendReply(context.Background(), 1)
	if !errors.Is(err, queue.ErrPermanent) {
		t.Fatalf("err = %v, want ErrPermanent", err)
	}
	if o, _ := e.store.Outbound(context.Background(), 1); o.Status != store.StatusFailed || o.ErrorCode != 63016 {
		t.Fatalf("outbox = %+v, want failed with the channel's code 63016", o)
	}
	if _, err := e.runner.SendReply(context.Background(), 1); err != nil || e.sender.n != 1 {
		t.Fatalf("a failed reply was sent again: %v, %d attempts", err, e.sender.n)
	}
}

// TestDevOutboxWithoutSender: without credentials, replies go to the log,
// which names the dev outbox rather than the channel and shows the text
// only with LOG_MESSAGE_CONTENT.
func TestDevOutboxWithoutSender(t *testing.T) {
	for _, content := range []bool{false, true} {
		var logs strings.Builder
		e := newEnv(t, func(r *flows.Runner) {
			r.Channels = nil
			r.LogContent = content
			r.Logger = slog.New(slog.NewTextHandler(&logs, nil))
		})
		e.receive("hello")
		e.run()
		e.sendAll()
		got := logs.String()
		if !strings.Contains(got, "dev outbox: reply not sent") || !strings.Contains(got, `channel="dev outbox"`) ||
			strings.Contains(got, "channel=twilio") || strings.Contains(got, "5551234567") {
			t.Fatalf("LOG_MESSAGE_CONTENT=%v: logs:\n%s", content, got)
		}
		if strings.Contains(got, "echo: hello") != content || strings.Contains(got, "LOG_MESSAGE_CONTENT=true shows") == content {
			t.Fatalf("LOG_MESSAGE_CONTENT=%v, but the reply's text is shown = %v:\n%s", content, !content, got)
		}
		if o, _ := e.store.Outbound(context.Background(), 1); o.Status != store.StatusSent {
			t.Fatalf("status = %s", o.Status)
		}
	}
}

func TestNoModelReplyIsPoliteAndTheLogSaysWhatToSet(t *testing.T) {
	var logs strings.Builder
	e := newEnv(t, func(r *flows.Runner) { r.Logger = slog.New(slog.NewTextHandler(&logs, nil)) })
	e.model.err = &llm.NotConfiguredError{Hint: "set OPENAI_API_KEY"}
	e.receive("hello")
	e.run()
	if got := e.store.replies(); len(got) != 1 || got[0] != "fallback:1="+flows.NotConfiguredReply {
		t.Fatalf("replies = %v", got)
	}
	if strings.Contains(e.store.replies()[0], "OPENAI") || !strings.Contains(logs.String(), "set OPENAI_API_KEY") {
		t.Fatalf("the user got %q; the log has:\n%s", e.store.replies()[0], logs.String())
	}
	// Once a model is configured, it sees the reply the user got.
	e.model.err = nil
	e.receive("and now?")
	e.run()
	msgs := e.model.reqs[len(e.model.reqs)-1].Messages
	if n := len(msgs); n != 3 || msgs[1].Content != flows.NotConfiguredReply {
		t.Fatalf("the model's history = %+v, want the no-model reply in it", msgs)
	}
}

func TestDevOutboxIDsAreUniqueAcrossRestarts(t *testing.T) {
	// Provider ids are unique per channel in the store, so an id that
	// repeats after a restart on the same data directory (or in a second
	// process) would fail every later send. Each run here is a fresh
	// process sending its first reply.
	if os.Getenv("FLOWS_DEV_OUTBOX_CHILD") == "1" {
		e := newEnv(t, func(r *flows.Runner) { r.Channels = nil })
		e.receive("one")
		e.run()
		e.sendAll()
		fmt.Println("provider-id", e.store.providerIDs()[0])
		return
	}
	ids := map[string]bool{}
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDevOutboxIDsAreUniqueAcrossRestarts$")
		cmd.Env = append(os.Environ(), "FLOWS_DEV_OUTBOX_CHILD=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		_, id, ok := strings.Cut(string(out), "provider-id ")
		if !ok {
			t.Fatalf("child printed:\n%s", out)
		}
		ids[strings.Fields(id)[0]] = true
	}
	if len(ids) != 2 {
		t.Fatalf("provider ids of two processes = %v, want two different ones", ids)
	}
}

func TestRepliesOfAThreadGoOutInOrder(t *testing.T) {
	e := newEnv(t, nil)
	e.store.Complete(context.Background(), th, nil, []store.Outbound{
		{Thread: th, Channel: "twilio", To: th, Key: "a", Body: "first"},
		{Thread: th, Channel: "twilio", To: th, Key: "b", Body: "second"},
	})
	// The second reply's job runs first: it waits for the first.
	again, err := e.runner.SendReply(context.Background(), 2)
	if err != nil || again <= 0 || len(e.sender.sent) != 0 {
		t.Fatalf("second before first: again %s, err %v, sent %q", again, err, e.sender.sent)
	}
	e.sendAll()
	if got := strings.Join(e.sender.sent, "|"); got != "first|second" {
		t.Fatalf("sent %q", got)
	}
}

func TestWithoutBurstWindowEveryMessageIsATurn(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("one")
	e.receive("two")
	e.receive("three")
	e.run()
	e.sendAll()
	if got := strings.Join(e.sender.sent, "|"); got != "echo: one|echo: two|echo: three" || len(e.model.reqs) != 3 {
		t.Fatalf("sent %q after %d model calls", got, len(e.model.reqs))
	}
}

func TestTwoJobsOfOneProcessNeverRunAThreadTogether(t *testing.T) {
	e := newEnv(t, nil)
	e.receive("hello")
	// Another job of this same process holds the thread.
	holder := e.runner.Owner + "#other-job"
	if ok, _ := e.store.AcquireLease(context.Background(), th, holder, e.now, time.Minute); !ok {
		t.Fatal("could not take the lease")
	}
	if again := e.run(); again <= 0 || len(e.model.reqs) != 0 {
		t.Fatalf("a second job of the process ran the thread: again %s, %d model calls", again, len(e.model.reqs))
	}
}

// TestLeaseReleasedAfterTheDatabaseComesBack: a lease whose release failed
// (the database restarting) is released once it answers again, so the
// thread's next message does not wait for the lease to expire. A turn
// that was answered releases its lease with its replies.
func TestLeaseReleasedAfterTheDatabaseComesBack(t *testing.T) {
	e := newEnv(t, nil)
	e.store.mu.Lock()
	e.store.releaseFails = 3
	e.store.mu.Unlock()
	// A job that finds nothing pending releases the lease on its own.
	if again := e.run(); again != 0 {
		t.Fatalf("again = %s", again)
	}
	e.store.mu.Lock()
	left, fails := len(e.store.leases), e.store.releaseFails
	e.store.mu.Unlock()
	if left != 0 || fails != 0 {
		t.Fatalf("%d leases still held, %d failures left", left, fails)
	}
	e.receive("hello")
	if again := e.run(); again != 0 {
		t.Fatalf("again = %s", again)
	}
	if n := e.store.releasedWithReplies; n != 1 {
		t.Fatalf("%d leases released with the replies, want 1", n)
	}
	e.receive("again")
	if again := e.run(); again != 0 {
		t.Fatalf("the next message waits %s for a lease", again)
	}
	if got := strings.Join(e.sender.sent, "|"); got != "echo: hello|echo: again" {
		t.Fatalf("sent %q", got)
	}
}

// TestSentPartRecordedAfterTheDatabaseComesBack: a part the channel
// accepted while the database failed for a moment is recorded once it
// answers, not sent again by the reply's job.
func TestSentPartRecordedAfterTheDatabaseComesBack(t *testing.T) {
	e := newEnv(t, nil)
	e.store.mu.Lock()
	e.store.recordFails = 2
	e.store.mu.Unlock()
	e.receive("hello")
	if again := e.run(); again != 0 {
		t.Fatalf("again = %s", again)
	}
	e.sendAll() // the reply's job finds it sent
	if got := strings.Join(e.sender.sent, "|"); got != "echo: hello" {
		t.Fatalf("sent %q", got)
	}
	e.store.mu.Lock()
	status := e.store.outbox[0].Status
	e.store.mu.Unlock()
	if status != store.StatusSent {
		t.Fatalf("reply status %q, want sent", status)
	}
}
