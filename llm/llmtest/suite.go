package llmtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// TinyPNG returns a 1×1 PNG, handy as an image input.
func TinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// WeatherTool returns the tool definition the suite offers.
func WeatherTool() llm.ToolDef {
	return llm.ToolDef{
		Name:        "get_weather",
		Description: "Current weather in a city.",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"city":{"type":"string","description":"City name"}},"required":["city"]}`),
	}
}

// RunModelSuite checks an adapter against a fake server of kind: a plain
// answer with usage, a tool round trip, parallel tool calls with all their
// results paired, image input as a data URL, a JSON-schema request, error
// classification (429, 401, 400, 500), 429-then-success and
// 500-then-success through llm.WithRetry (Retry-After honoured), a hanging
// server and an attempt timeout, a provider that is down, and a caller's
// cancellation.
//
// newModel builds the adapter, without retries of its own, for a server's
// BaseURL.
func RunModelSuite(t *testing.T, newModel func(baseURL string) llm.Model, kind Kind) {
	t.Helper()
	setup := func(t *testing.T) (*Server, llm.Model) {
		s := NewServer(t, kind)
		return s, newModel(s.BaseURL())
	}
	conv := func(t *testing.T, s *Server, r Request) Conversation {
		t.Helper()
		c, err := s.Conversation(r)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	t.Run("plain answer and usage", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Text: "Hello there!", Usage: llm.Usage{InputTokens: 11, OutputTokens: 7}})
		resp, err := m.Generate(context.Background(), llm.Request{
			System:   "You are terse.",
			Messages: []llm.Message{llm.UserText("hi")},
		})
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if resp.Message.Role != llm.RoleAssistant || resp.Message.Content != "Hello there!" || len(resp.Message.ToolCalls) != 0 {
			t.Errorf("message = %+v", resp.Message)
		}
		want := llm.Usage{InputTokens: 11, OutputTokens: 7}
		if resp.Usage != want {
			t.Errorf("usage = %+v, want %+v", resp.Usage, want)
		}
		if resp.Message.Usage == nil || *resp.Message.Usage != want {
			t.Errorf("message usage = %v, want %+v", resp.Message.Usage, want)
		}
		if resp.StopReason != "stop" {
			t.Errorf("stop reason = %q, want stop", resp.StopReason)
		}
		c := conv(t, s, s.Last())
		if c.System != "You are terse." {
			t.Errorf("system = %q", c.System)
		}
		if len(c.Turns) != 1 || c.Turns[0].Role != "user" || c.Turns[0].Text != "hi" {
			t.Errorf("turns = %+v", c.Turns)
		}
	})

	t.Run("tool round trip", func(t *testing.T) {
		s, m := setup(t)
		s.Push(
			Reply{ToolCalls: []llm.ToolCall{{ID: "call_A", Name: "get_weather", Arguments: `{"city":"Lisbon"}`}}, Usage: llm.Usage{InputTokens: 20, OutputTokens: 5}},
			Reply{Text: "It is sunny in Lisbon.", Usage: llm.Usage{InputTokens: 30, OutputTokens: 8}},
		)
		req := llm.Request{System: "sys", Messages: []llm.Message{llm.UserText("weather in Lisbon?")}, Tools: []llm.ToolDef{WeatherTool()}}
		resp, err := m.Generate(context.Background(), req)
		if err != nil {
			t.Fatalf("Generate 1: %v", err)
		}
		if resp.StopReason != "tool_calls" {
			t.Errorf("stop reason = %q, want tool_calls", resp.StopReason)
		}
		calls := resp.Message.ToolCalls
		if len(calls) != 1 || calls[0].ID != "call_A" || calls[0].Name != "get_weather" || !sameJSON(calls[0].Arguments, `{"city":"Lisbon"}`) {
			t.Fatalf("tool calls = %+v", calls)
		}
		c1 := conv(t, s, s.Last())
		if !slices.Equal(c1.Tools, []string{"get_weather"}) {
			t.Errorf("tools offered = %v", c1.Tools)
		}
		req.Messages = append(req.Messages, resp.Message, llm.ToolResult(calls[0], `{"sky":"sunny"}`, false))
		resp, err = m.Generate(context.Background(), req)
		if err != nil {
			t.Fatalf("Generate 2: %v", err)
		}
		if resp.Message.Content != "It is sunny in Lisbon." {
			t.Errorf("answer = %q", resp.Message.Content)
		}
		c := conv(t, s, s.Last())
		if err := c.CheckPaired(); err != nil {
			t.Error(err)
		}
		if len(c.Turns) != 3 || len(c.Turns[1].ToolCalls) != 1 || len(c.Turns[2].Results) != 1 || c.Turns[2].Results[0].Content != `{"sky":"sunny"}` {
			t.Errorf("second request turns = %+v", c.Turns)
		}
	})

	t.Run("parallel tool calls", func(t *testing.T) {
		s, m := setup(t)
		cities := []string{"Lisbon", "Porto", "Faro"}
		var scripted []llm.ToolCall
		for i, city := range cities {
			scripted = append(scripted, llm.ToolCall{ID: "call_" + city, Name: "get_weather", Arguments: `{"city":"` + cities[i] + `"}`})
		}
		s.Push(Reply{Text: "Checking all three.", ToolCalls: scripted}, Reply{Text: "Done."})
		req := llm.Request{Messages: []llm.Message{llm.UserText("weather in Lisbon, Porto and Faro?")}, Tools: []llm.ToolDef{WeatherTool()}}
		resp, err := m.Generate(context.Background(), req)
		if err != nil {
			t.Fatalf("Generate 1: %v", err)
		}
		calls := resp.Message.ToolCalls
		if len(calls) != 3 {
			t.Fatalf("got %d tool calls, want 3: %+v", len(calls), calls)
		}
		for i, c := range calls {
			if c.ID != scripted[i].ID || !sameJSON(c.Arguments, scripted[i].Arguments) {
				t.Errorf("call %d = %+v, want %+v", i, c, scripted[i])
			}
		}
		req.Messages = append(req.Messages, resp.Message)
		for i, c := range calls {
			req.Messages = append(req.Messages, llm.ToolResult(c, "result "+cities[i], i == 1))
		}
		if _, err := m.Generate(context.Background(), req); err != nil {
			t.Fatalf("Generate 2: %v", err)
		}
		c := conv(t, s, s.Last())
		if err := c.CheckPaired(); err != nil {
			t.Error(err)
		}
		if len(c.Turns) < 2 || len(c.Turns[1].ToolCalls) != 3 {
			t.Fatalf("assistant turn lost tool calls: %+v", c.Turns)
		}
		var results []Result
		for _, turn := range c.Turns[2:] {
			results = append(results, turn.Results...)
		}
		if len(results) != 3 {
			t.Fatalf("got %d results, want 3: %+v", len(results), c.Turns)
		}
		switch kind {
		case Anthropic:
			if len(c.Turns) != 3 || c.Turns[2].Role != "user" {
				t.Errorf("want all results in ONE user message, got turns %+v", c.Turns)
			}
			for i, r := range results {
				if r.IsError != (i == 1) {
					t.Errorf("result %d is_error = %v", i, r.IsError)
				}
			}
		case OpenAI:
			if len(c.Turns) != 5 {
				t.Errorf("want one tool message per result, got turns %+v", c.Turns)
			}
		}
		for i, r := range results {
			if r.ID != calls[i].ID {
				t.Errorf("result %d answers %q, want %q", i, r.ID, calls[i].ID)
			}
		}
	})

	t.Run("image input as data URL", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Text: "A single pixel."})
		img := llm.DataURL("image/png", TinyPNG())
		resp, err := m.Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserWithImages("what is this?", img)}})
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if resp.Message.Content != "A single pixel." {
			t.Errorf("answer = %q", resp.Message.Content)
		}
		c := conv(t, s, s.Last())
		if len(c.Turns) != 1 || !slices.Equal(c.Turns[0].Images, []string{img}) || c.Turns[0].Text != "what is this?" {
			t.Errorf("turn = %+v, want text and image %s", c.Turns, img)
		}
	})

	t.Run("describe image helper", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Text: " A pixel. ", Usage: llm.Usage{InputTokens: 3, OutputTokens: 2}})
		text, u, err := llm.DescribeImage(context.Background(), m, llm.DataURL("image/png", TinyPNG()), "")
		if err != nil || text != "A pixel." || u.OutputTokens != 2 {
			t.Errorf("DescribeImage = %q, %+v, %v", text, u, err)
		}
	})

	t.Run("json schema request", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Text: `{"intent":"book"}`})
		resp, err := m.Generate(context.Background(), llm.Request{
			System:     "Classify.",
			Messages:   []llm.Message{llm.UserText("I want to book a class")},
			JSONSchema: json.RawMessage(`{"type":"object","properties":{"intent":{"type":"string"}},"required":["intent"]}`),
		})
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		if !sameJSON(resp.Message.Content, `{"intent":"book"}`) {
			t.Errorf("answer = %q", resp.Message.Content)
		}
	})

	t.Run("error classes", func(t *testing.T) {
		for _, tc := range []struct {
			status    int
			sentinel  error
			retryable bool
		}{
			{http.StatusTooManyRequests, llm.ErrRateLimited, true},
			{http.StatusUnauthorized, llm.ErrAuth, false},
			{http.StatusBadRequest, llm.ErrBadRequest, false},
			{http.StatusInternalServerError, llm.ErrUnavailable, true},
			{http.StatusServiceUnavailable, llm.ErrUnavailable, true},
		} {
			t.Run(http.StatusText(tc.status), func(t *testing.T) {
				s, m := setup(t)
				s.Push(Reply{Status: tc.status, ErrorMessage: "scripted failure"})
				_, err := m.Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
				var ae *llm.APIError
				if !errors.As(err, &ae) {
					t.Fatalf("err = %v (%T), want *llm.APIError", err, err)
				}
				if ae.StatusCode != tc.status || ae.Provider == "" {
					t.Errorf("APIError = %+v", ae)
				}
				if !errors.Is(err, tc.sentinel) {
					t.Errorf("errors.Is(%v, %v) = false", err, tc.sentinel)
				}
				if llm.IsRetryable(err) != tc.retryable {
					t.Errorf("IsRetryable = %v, want %v", !tc.retryable, tc.retryable)
				}
				if n := len(s.Requests()); n != 1 {
					t.Errorf("adapter sent %d requests, want 1 (SDK retries must be off)", n)
				}
			})
		}
	})

	t.Run("retry: 429 with Retry-After then success", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Status: http.StatusTooManyRequests, RetryAfter: "2"}, Reply{Text: "finally"})
		p, waits := fakeSleepPolicy(3)
		resp, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if err != nil || resp.Message.Content != "finally" {
			t.Fatalf("Generate = %+v, %v", resp.Message, err)
		}
		if got := waits(); len(got) != 1 || got[0] < 2*time.Second || got[0] > 2200*time.Millisecond {
			t.Errorf("waits = %v, want one of about 2s (Retry-After)", got)
		}
		if n := len(s.Requests()); n != 2 {
			t.Errorf("requests = %d, want 2", n)
		}
	})

	t.Run("retry: 500 then success", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Status: http.StatusInternalServerError}, Reply{Status: http.StatusBadGateway}, Reply{Text: "ok"})
		p, waits := fakeSleepPolicy(3)
		resp, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if err != nil || resp.Message.Content != "ok" {
			t.Fatalf("Generate = %+v, %v", resp.Message, err)
		}
		if got := waits(); len(got) != 2 {
			t.Errorf("waits = %v, want 2", got)
		}
	})

	t.Run("retry: gives up on 400", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Status: http.StatusBadRequest})
		p, _ := fakeSleepPolicy(3)
		_, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if !errors.Is(err, llm.ErrBadRequest) || len(s.Requests()) != 1 {
			t.Errorf("err = %v after %d requests; want ErrBadRequest after 1", err, len(s.Requests()))
		}
	})

	t.Run("retry: hanging attempt times out, next succeeds", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Hang: true}, Reply{Text: "ok"})
		p, _ := fakeSleepPolicy(2)
		p.AttemptTimeout = 200 * time.Millisecond
		resp, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if err != nil || resp.Message.Content != "ok" {
			t.Fatalf("Generate = %+v, %v", resp.Message, err)
		}
	})

	t.Run("provider down", func(t *testing.T) {
		s, m := setup(t)
		s.Close()
		_, err := m.Generate(context.Background(), llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		var ae *llm.APIError
		if !errors.As(err, &ae) || !errors.Is(err, llm.ErrUnavailable) || !llm.IsRetryable(err) || ae.StatusCode != 0 {
			t.Errorf("err = %v (%T); want *llm.APIError matching ErrUnavailable, retryable, no status", err, err)
		}
	})

	t.Run("context cancel", func(t *testing.T) {
		s, m := setup(t)
		s.Push(Reply{Hang: true})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, err := llm.WithRetry(m, llm.DefaultRetryPolicy()).Generate(ctx, llm.Request{Messages: []llm.Message{llm.UserText("hi")}})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if llm.IsRetryable(err) || errors.Is(err, llm.ErrUnavailable) {
			t.Errorf("a caller's cancellation must be neither retryable nor ErrUnavailable: %v", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("returned after %s", d)
		}
		if n := len(s.Requests()); n != 1 {
			t.Errorf("requests = %d, want 1", n)
		}
	})
}

// fakeSleepPolicy returns a retry policy whose waits are recorded instead of
// slept, and the recorder.
func fakeSleepPolicy(attempts int) (llm.RetryPolicy, func() []time.Duration) {
	var mu sync.Mutex
	var waits []time.Duration
	p := llm.RetryPolicy{
		MaxAttempts: attempts,
		BaseDelay:   10 * time.Millisecond,
		MaxDelay:    10 * time.Second,
		Sleep: func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			return ctx.Err()
		},
	}
	return p, func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return string(xa) == string(ya)
}
