package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboardhq/switchboard/tools/workout"
)

// markerPrefix opens the marker that names an inbound message in its Body,
// "[lt-42]"; the fake model echoes the markers of the messages it answers,
// so the fake Twilio knows which inbound each reply answers.
const markerPrefix = "[lt-"

// marker returns the marker of message i.
func marker(i int) string { return markerPrefix + strconv.Itoa(i) + "]" }

// markers calls fn with the index of every well-formed marker in s.
func markers(s string, fn func(int)) {
	for {
		at := strings.Index(s, markerPrefix)
		if at < 0 {
			return
		}
		s = s[at+len(markerPrefix):]
		end := strings.IndexByte(s, ']')
		if end <= 0 {
			continue
		}
		if n, err := strconv.Atoi(s[:end]); err == nil && n >= 0 {
			fn(n)
			s = s[end+1:]
		}
	}
}

// tracker records, per inbound message, what the fakes saw: model calls
// naming it and replies naming it. Its methods are safe for concurrent use.
type tracker struct {
	mu sync.Mutex
	// replies counts the outbound sends naming each message.
	replies []int32
	// replyAt is when the first send naming the message arrived, lastAt
	// the last.
	replyAt, lastAt []time.Time
	// done[i] is closed at the first reply naming message i.
	done []chan struct{}
	// modelCalls counts the model calls whose newest user turn names the
	// message; modelIn is when the first arrived, modelOut when the last
	// answer was written; modelTime sums the time the fake spent on them.
	modelCalls []int32
	modelIn    []time.Time
	modelOut   []time.Time
	modelTime  []time.Duration
	// sends counts every outbound send; merged those naming more than one
	// message, stray those naming none or an unknown one.
	sends, merged, stray int
	// fallbacks counts the fallback replies answering each message: a
	// fallback names no message, it answers those of the thread's last
	// model call (lastAsked, by thread; threads is the load's -threads).
	fallbacks []int32
	lastAsked map[int][]int
	threads   int
	// modelFails counts the fake model's failures by kind.
	modelFails [failKinds]int
}

func newTracker(n int) *tracker {
	t := &tracker{
		replies:    make([]int32, n),
		replyAt:    make([]time.Time, n),
		lastAt:     make([]time.Time, n),
		done:       make([]chan struct{}, n),
		modelCalls: make([]int32, n),
		modelIn:    make([]time.Time, n),
		modelOut:   make([]time.Time, n),
		modelTime:  make([]time.Duration, n),
		fallbacks:  make([]int32, n),
		lastAsked:  map[int][]int{},
		threads:    1,
	}
	for i := range t.done {
		t.done[i] = make(chan struct{})
	}
	return t
}

// reply records an outbound send received at the given time.
func (t *tracker) reply(body string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sends++
	named := 0
	markers(body, func(i int) {
		named++
		if i >= len(t.replies) {
			t.stray++
			return
		}
		t.replies[i]++
		t.lastAt[i] = at
		if t.replies[i] == 1 {
			t.replyAt[i] = at
			close(t.done[i])
		}
	})
	switch {
	case named == 0:
		t.stray++
	case named > 1:
		t.merged++
	}
}

// asked records the messages a model call is about to answer, so a
// fallback reply to their thread can be attributed.
func (t *tracker) asked(ids []int) {
	if len(ids) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.lastAsked[ids[0]%t.threads] = slices.Clone(ids)
}

// modelFailed counts a failure of the fake model.
func (t *tracker) modelFailed(kind int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.modelFails[kind]++
}

// fallback records the fallback reply sent to the thread: it answers the
// messages of the thread's last model call.
func (t *tracker) fallback(thread int, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sends++
	ids := t.lastAsked[thread]
	if len(ids) == 0 {
		t.stray++
		return
	}
	for _, i := range ids {
		if i >= len(t.replies) {
			continue
		}
		t.fallbacks[i]++
		t.replies[i]++
		t.lastAt[i] = at
		if t.replies[i] == 1 {
			t.replyAt[i] = at
			close(t.done[i])
		}
	}
	if len(ids) > 1 {
		t.merged++
	}
}

// model records a model call that answered the messages ids, received at in
// and answered at out.
func (t *tracker) model(ids []int, in, out time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, i := range ids {
		if i >= len(t.modelCalls) {
			continue
		}
		t.modelCalls[i]++
		if t.modelCalls[i] == 1 {
			t.modelIn[i] = in
		}
		t.modelOut[i] = out
		t.modelTime[i] += out.Sub(in)
	}
}

// answered counts the messages in [0, n) answered at least once.
// sinceFirst returns, for each of the first n messages answered, the time
// from its first delivery (sentAt, by plan index) to its first reply.
func (t *tracker) sinceFirst(plan []delivery, sentAt []time.Time, n int) []time.Duration {
	first := make([]time.Time, n)
	for i, d := range plan {
		if d.msg < n && !sentAt[i].IsZero() && (first[d.msg].IsZero() || sentAt[i].Before(first[d.msg])) {
			first[d.msg] = sentAt[i]
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []time.Duration
	for m, at := range first {
		if !at.IsZero() && !t.replyAt[m].IsZero() {
			out = append(out, t.replyAt[m].Sub(at))
		}
	}
	return out
}

func (t *tracker) answered(n int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := 0
	for _, r := range t.replies[:n] {
		if r > 0 {
			c++
		}
	}
	return c
}

// outcome is what the fakes saw for messages [0, n).
type outcome struct {
	Lost, Duplicated, Sends, Merged, Stray int
	// Fallbacks counts the messages answered with the fallback reply.
	Fallbacks int
	// ModelFails counts the fake model's failures by kind.
	ModelFails [failKinds]int
	LastReply  time.Time
}

func (t *tracker) outcome(n int) outcome {
	t.mu.Lock()
	defer t.mu.Unlock()
	o := outcome{Sends: t.sends, Merged: t.merged, Stray: t.stray, ModelFails: t.modelFails}
	for i, r := range t.replies[:n] {
		if t.fallbacks[i] > 0 {
			o.Fallbacks++
		}
		switch {
		case r == 0:
			o.Lost++
		case r > 1:
			o.Duplicated++
		}
		if r > 0 && t.replyAt[i].After(o.LastReply) {
			o.LastReply = t.replyAt[i]
		}
	}
	return o
}

// turn is what the fakes saw of message i.
type turn struct {
	// ReplyAt is the first reply's arrival, LastReplyAt the last one's.
	ReplyAt, LastReplyAt time.Time
	ModelIn, ModelOut    time.Time
	ModelTime            time.Duration
	Replies, ModelCalls  int
	// Fallbacks counts the fallback replies among Replies.
	Fallbacks int
}

func (t *tracker) turn(i int) turn {
	t.mu.Lock()
	defer t.mu.Unlock()
	return turn{
		ReplyAt: t.replyAt[i], LastReplyAt: t.lastAt[i], ModelIn: t.modelIn[i], ModelOut: t.modelOut[i],
		ModelTime: t.modelTime[i], Replies: int(t.replies[i]), ModelCalls: int(t.modelCalls[i]),
		Fallbacks: int(t.fallbacks[i]),
	}
}

// fakeServer is an HTTP server on a loopback port.
type fakeServer struct {
	URL string
	srv *http.Server
}

// listen serves h on 127.0.0.1 at a free port until Close.
func listen(h http.Handler) (*fakeServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	f := &fakeServer{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = f.srv.Serve(ln) }()
	return f, nil
}

// Close stops the server.
func (f *fakeServer) Close(ctx context.Context) error {
	if err := f.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("stop fake at %s: %w", f.URL, err)
	}
	return nil
}

// twilioFake answers Twilio's Messages API the way twilio-go expects and
// records each message body in the tracker.
type twilioFake struct {
	sid, token string
	track      *tracker
	seq        atomic.Int64
	// failRate is the fraction of sends answered with a 500, which the
	// assistant must retry (the chaos mode's -send-fail).
	failRate float64
}

func (f *twilioFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	want := "/2010-04-01/Accounts/" + f.sid + "/Messages.json"
	if r.Method != http.MethodPost || r.URL.Path != want {
		http.NotFound(w, r)
		return
	}
	u, p, ok := r.BasicAuth()
	if !ok || u != f.sid || p != f.token {
		twilioError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioError(w, http.StatusBadRequest, 21602, "unreadable form")
		return
	}
	now := time.Now()
	to, from, body := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body")
	if to == "" || from == "" {
		twilioError(w, http.StatusBadRequest, 21604, "A 'To' and 'From' phone number is required.")
		return
	}
	if f.failRate > 0 && rand.Float64() < f.failRate {
		twilioError(w, http.StatusInternalServerError, 20500, "Internal Server Error")
		return
	}
	if body == fallbackText {
		f.track.fallback(threadOf(to), now)
	} else {
		f.track.reply(body, now)
	}
	sid := fmt.Sprintf("SM%032x", f.seq.Add(1))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sid": sid, "account_sid": f.sid, "to": to, "from": from, "body": body,
		"status": "queued", "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
		"date_created": now.UTC().Format(time.RFC1123Z),
		"uri":          "/2010-04-01/Accounts/" + f.sid + "/Messages/" + sid + ".json",
	})
}

func twilioError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"code": code, "message": msg, "status": status})
}

// modelFake is a zero-latency OpenAI-compatible chat-completions server: it
// answers "echo" and the markers of the user messages since the last
// assistant answer, at once.
type modelFake struct {
	track *tracker
	seq   atomic.Int64
	// delay is how long each call takes, as a real model's would.
	delay  time.Duration
	script script
}

// chatRequest is the part of a chat-completions request the fake reads.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role       string          `json:"role"`
		Content    json.RawMessage `json:"content"`
		ToolCalls  json.RawMessage `json:"tool_calls"`
		ToolCallID string          `json:"tool_call_id"`
	} `json:"messages"`
}

// text returns a message content's text: a string, or its text parts.
func text(content json.RawMessage) string {
	var s string
	if json.Unmarshal(content, &s) == nil {
		return s
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	_ = json.Unmarshal(content, &parts)
	var b strings.Builder
	for _, p := range parts {
		if p.Type == "text" {
			b.WriteString(p.Text)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// newest returns the markers of the user messages after the last
// assistant answer (one without tool calls).
func (c chatRequest) newest() []int {
	var ids []int
	for _, m := range c.Messages {
		switch {
		case m.Role == "assistant" && (len(m.ToolCalls) == 0 || string(m.ToolCalls) == "null"):
			ids = ids[:0]
		case m.Role == "user":
			markers(text(m.Content), func(i int) { ids = append(ids, i) })
		}
	}
	return ids
}

func (f *modelFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	in := time.Now()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		}
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	var req chatRequest
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": err.Error(), "type": "invalid_request_error"}})
		return
	}
	ids := req.newest()
	f.track.asked(ids)
	n := f.seq.Add(1)
	failing := f.script.failRate > 0 && rand.Float64() < f.script.failRate
	kind := rand.IntN(failKinds)
	if failing {
		f.track.modelFailed(kind)
	}
	switch {
	case failing && kind == failStatus:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": "loadtest: the model failed", "type": "server_error"}})
		return
	case failing && kind == failTimeout:
		select {
		case <-r.Context().Done():
		case <-time.After(f.script.hang):
		}
		http.Error(w, "loadtest: too late", http.StatusGatewayTimeout)
		return
	}
	message := map[string]any{"role": "assistant"}
	finish := "stop"
	if calls := f.script.workoutCalls(req); len(calls) > 0 || failing {
		if len(calls) == 0 {
			calls = []workout.LogArgs{{Activity: "running", Minutes: 30}}
		}
		message, finish = toolCallMessage(n, calls, failing), "tool_calls"
		ids = nil // not an answer yet
	} else {
		var b strings.Builder
		b.WriteString("echo")
		for _, i := range ids {
			b.WriteByte(' ')
			b.WriteString(marker(i))
		}
		message["content"] = b.String()
	}
	resp, err := json.Marshal(map[string]any{
		"id":      "chatcmpl-" + strconv.FormatInt(n, 10),
		"object":  "chat.completion",
		"created": time.Now().Unix(),
		"model":   req.Model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       message,
			"finish_reason": finish,
			"logprobs":      nil,
		}},
		"usage": map[string]any{"prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12},
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	// Recorded before the answer leaves, so the reply it leads to can never
	// be seen before the model call is.
	f.track.model(ids, in, time.Now())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(resp)))
	_, _ = w.Write(resp)
}
