// Package llmtest has in-process fake model servers that speak the real wire
// formats — OpenAI's /v1/chat/completions (with several tool_calls in one
// turn), /v1/audio/transcriptions (multipart) and /v1/audio/speech, and Anthropic's
// /v1/messages (tool_use and tool_result blocks) — and a conformance suite
// every llm.Model adapter passes.
//
// A Server answers from a queue of scripted Replies (then from a handler, if
// set) and records every request it got, so tests can assert what an adapter
// sent: that every tool call id got a result, that images went as data URLs.
// GET /v1/models lists the ids given to SetModels and is not recorded.
// A Reply can be an error status with Retry-After, or hang until the client
// gives up.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/llm"
)

// Kind is the wire format a Server speaks.
type Kind string

// The wire formats.
const (
	// OpenAI: POST /v1/chat/completions, /v1/audio/transcriptions and
	// /v1/audio/speech.
	OpenAI Kind = "openai"
	// Anthropic: POST /v1/messages.
	Anthropic Kind = "anthropic"
)

// Reply is one scripted answer.
type Reply struct {
	// Text is the assistant's text.
	Text string
	// ToolCalls are the tool calls of the answer; empty IDs are filled in
	// ("call_N" or "toolu_N") and empty Arguments become "{}".
	ToolCalls []llm.ToolCall
	// Usage is reported in the provider's usage object.
	Usage llm.Usage
	// StopReason overrides the provider-native finish/stop reason.
	StopReason string
	// Status, when not 0 or 200, makes this an error reply in the
	// provider's error format.
	Status int
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
	// ErrorMessage is the message of an error reply.
	ErrorMessage string
	// RawBody, when set, is sent verbatim (with Status, default 200).
	RawBody string
	// Hang makes the server never answer: it waits until the client gives up
	// or the server closes.
	Hang bool
	// Transcript is the text of a /v1/audio/transcriptions answer.
	Transcript string
	// Audio is the body of a /v1/audio/speech answer; empty sends a small
	// OGG/Opus file (SpeechAudio).
	Audio []byte
}

// SpeechAudio is the default answer of /v1/audio/speech: the start of an
// OGG/Opus file (its first page, "OpusHead"), enough for clients that check
// the container.
var SpeechAudio = []byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00")

// Request is one request a Server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	// Body is the raw body of a JSON request (empty for multipart).
	Body []byte
	// Form holds the text fields of a multipart request.
	Form map[string]string
	// FileName, FileContentType and File describe a multipart request's
	// "file" part.
	FileName        string
	FileContentType string
	File            []byte
}

// Server is a fake model server. Its methods are safe for concurrent use.
type Server struct {
	// Kind is the wire format.
	Kind Kind
	// URL is the server's root URL (no path).
	URL string

	t    testing.TB
	srv  *httptest.Server
	done chan struct{}

	mu      sync.Mutex
	queue   []Reply
	handler func(Request) Reply
	reqs    []Request
	n       int
	closed  bool
	models  []string
}

// NewServer starts a fake server of kind; it is closed when the test ends.
func NewServer(t testing.TB, kind Kind) *Server {
	t.Helper()
	s := &Server{Kind: kind, t: t, done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// NewOpenAI starts a fake OpenAI-compatible server.
func NewOpenAI(t testing.TB) *Server { return NewServer(t, OpenAI) }

// NewAnthropic starts a fake Anthropic server.
func NewAnthropic(t testing.TB) *Server { return NewServer(t, Anthropic) }

// BaseURL is the base URL a client of the kind is configured with: URL+"/v1"
// for OpenAI (like OPENAI_BASE_URL), the root URL for Anthropic (like
// ANTHROPIC_BASE_URL).
func (s *Server) BaseURL() string {
	if s.Kind == OpenAI {
		return s.URL + "/v1"
	}
	return s.URL
}

// Push queues replies, answered in order.
func (s *Server) Push(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// Handle sets a function that answers when the queue is empty.
func (s *Server) Handle(h func(Request) Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handler = h
}

// SetModels sets the model ids GET /v1/models lists (OpenAI kind; Ollama and
// other compatible servers answer it too). Default: none.
func (s *Server) SetModels(ids ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.models = append([]string(nil), ids...)
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Last returns the last request received; it fails the test if there is none.
func (s *Server) Last() Request {
	s.t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		s.t.Fatalf("llmtest: no request received")
	}
	return reqs[len(reqs)-1]
}

// Close stops the server: hanging replies end and later calls get
// "connection refused", which is how a test simulates a provider that is
// down. It is safe to call twice.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	s.mu.Unlock()
	s.srv.Close()
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	rec, err := readRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if s.Kind == OpenAI && r.Method == http.MethodGet && r.URL.Path == "/v1/models" {
		s.mu.Lock()
		data := []any{}
		for _, id := range s.models {
			data = append(data, map[string]any{"id": id, "object": "model", "created": 1700000000, "owned_by": "llmtest"})
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
		return
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, rec)
	s.n++
	n := s.n
	var reply Reply
	var ok bool
	if len(s.queue) > 0 {
		reply, s.queue, ok = s.queue[0], s.queue[1:], true
	} else if s.handler != nil {
		h := s.handler
		s.mu.Unlock()
		reply, ok = h(rec), true
		s.mu.Lock()
	}
	s.mu.Unlock()

	if !s.knownPath(r.URL.Path) {
		s.writeError(w, http.StatusNotFound, "llmtest: unknown path "+r.URL.Path)
		return
	}
	if !ok {
		s.t.Errorf("llmtest: %s %s: no scripted reply left", r.Method, r.URL.Path)
		s.writeError(w, http.StatusInternalServerError, "llmtest: no scripted reply")
		return
	}
	if reply.Hang {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	if reply.RawBody != "" {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(cmp(reply.Status, http.StatusOK))
		_, _ = io.WriteString(w, reply.RawBody)
		return
	}
	if reply.Status != 0 && reply.Status != http.StatusOK {
		s.writeError(w, reply.Status, cmpStr(reply.ErrorMessage, http.StatusText(reply.Status)))
		return
	}
	if strings.HasSuffix(r.URL.Path, "/audio/speech") {
		audio := reply.Audio
		if len(audio) == 0 {
			audio = SpeechAudio
		}
		w.Header().Set("Content-Type", speechContentType(rec))
		_, _ = w.Write(audio)
		return
	}
	var body any
	switch {
	case strings.HasSuffix(r.URL.Path, "/audio/transcriptions"):
		body = map[string]any{"text": reply.Transcript}
	case s.Kind == OpenAI:
		body = openAIChatResponse(rec, reply, n)
	default:
		body = anthropicResponse(rec, reply, n)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(body)
}

func (s *Server) knownPath(p string) bool {
	if s.Kind == OpenAI {
		return p == "/v1/chat/completions" || p == "/v1/audio/transcriptions" || p == "/v1/audio/speech"
	}
	return p == "/v1/messages"
}

func (s *Server) writeError(w http.ResponseWriter, status int, msg string) {
	typ := errorType(status)
	var body any
	if s.Kind == OpenAI {
		body = map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil}}
	} else {
		body = map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case status == http.StatusUnauthorized:
		return "authentication_error"
	case status == 529:
		return "overloaded_error"
	case status >= 500:
		return "api_error"
	default:
		return "invalid_request_error"
	}
}

func readRequest(r *http.Request) (Request, error) {
	rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return rec, fmt.Errorf("read body: %w", err)
		}
		rec.Body = b
		return rec, nil
	}
	rec.Form = map[string]string{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return rec, nil
		}
		if err != nil {
			return rec, fmt.Errorf("read multipart: %w", err)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return rec, fmt.Errorf("read part: %w", err)
		}
		if p.FileName() != "" {
			rec.FileName, rec.FileContentType, rec.File = p.FileName(), p.Header.Get("Content-Type"), b
			continue
		}
		rec.Form[p.FormName()] = string(b)
	}
}

// speechContentType is the Content-Type OpenAI answers /audio/speech with
// for the requested response_format.
func speechContentType(rec Request) string {
	var p struct {
		Format string `json:"response_format"`
	}
	_ = json.Unmarshal(rec.Body, &p)
	switch p.Format {
	case "opus":
		return "audio/ogg"
	case "", "mp3":
		return "audio/mpeg"
	case "aac":
		return "audio/aac"
	case "flac":
		return "audio/flac"
	case "wav":
		return "audio/wav"
	default:
		return "application/octet-stream"
	}
}

func cmp(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func cmpStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func modelOf(rec Request) string {
	var m struct {
		Model string `json:"model"`
	}
	_ = json.Unmarshal(rec.Body, &m)
	return m.Model
}

func args(a string) string {
	if strings.TrimSpace(a) == "" {
		return "{}"
	}
	return a
}

func openAIChatResponse(rec Request, r Reply, n int) any {
	msg := map[string]any{"role": "assistant", "content": nil}
	if r.Text != "" || len(r.ToolCalls) == 0 {
		msg["content"] = r.Text
	}
	finish := "stop"
	if len(r.ToolCalls) > 0 {
		finish = "tool_calls"
		calls := make([]any, len(r.ToolCalls))
		for i, c := range r.ToolCalls {
			id := cmpStr(c.ID, fmt.Sprintf("call_%d_%d", n, i))
			calls[i] = map[string]any{"id": id, "type": "function", "function": map[string]any{"name": c.Name, "arguments": args(c.Arguments)}}
		}
		msg["tool_calls"] = calls
	}
	return map[string]any{
		"id":      fmt.Sprintf("chatcmpl-%d", n),
		"object":  "chat.completion",
		"created": 1700000000 + n,
		"model":   modelOf(rec),
		"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": cmpStr(r.StopReason, finish), "logprobs": nil}},
		"usage": map[string]any{
			"prompt_tokens":     r.Usage.InputTokens,
			"completion_tokens": r.Usage.OutputTokens,
			"total_tokens":      r.Usage.InputTokens + r.Usage.OutputTokens,
		},
	}
}

func anthropicResponse(rec Request, r Reply, n int) any {
	content := []any{}
	if r.Text != "" {
		content = append(content, map[string]any{"type": "text", "text": r.Text})
	}
	stop := "end_turn"
	for i, c := range r.ToolCalls {
		stop = "tool_use"
		id := cmpStr(c.ID, fmt.Sprintf("toolu_%d_%d", n, i))
		content = append(content, map[string]any{"type": "tool_use", "id": id, "name": c.Name, "input": json.RawMessage(args(c.Arguments))})
	}
	return map[string]any{
		"id":            fmt.Sprintf("msg_%d", n),
		"type":          "message",
		"role":          "assistant",
		"model":         modelOf(rec),
		"content":       content,
		"stop_reason":   cmpStr(r.StopReason, stop),
		"stop_sequence": nil,
		"usage":         map[string]any{"input_tokens": r.Usage.InputTokens, "output_tokens": r.Usage.OutputTokens},
	}
}
