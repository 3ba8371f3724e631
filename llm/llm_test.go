package llm_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

func TestAPIErrorClasses(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		sentinels []error
		retryable bool
	}{
		{"429", &llm.APIError{StatusCode: 429}, []error{llm.ErrRateLimited}, true},
		{"401", &llm.APIError{StatusCode: 401}, []error{llm.ErrAuth}, false},
		{"403", &llm.APIError{StatusCode: 403}, []error{llm.ErrAuth}, false},
		{"400", &llm.APIError{StatusCode: 400}, []error{llm.ErrBadRequest}, false},
		{"404", &llm.APIError{StatusCode: 404}, []error{llm.ErrBadRequest}, false},
		{"408", &llm.APIError{StatusCode: 408}, []error{llm.ErrUnavailable}, true},
		{"500", &llm.APIError{StatusCode: 500}, []error{llm.ErrUnavailable}, true},
		{"529", &llm.APIError{StatusCode: 529}, []error{llm.ErrUnavailable}, true},
		{"network", &llm.APIError{Err: errors.New("connection refused")}, []error{llm.ErrUnavailable}, true},
		{"deadline", &llm.APIError{Err: context.DeadlineExceeded}, []error{llm.ErrUnavailable, context.DeadlineExceeded}, true},
		{"canceled", &llm.APIError{Err: context.Canceled}, []error{context.Canceled}, false},
		{"wrapped 429", fmt.Errorf("node chat: %w", &llm.APIError{StatusCode: 429}), []error{llm.ErrRateLimited}, true},
		{"not configured", &llm.NotConfiguredError{Hint: "set X"}, []error{llm.ErrNotConfigured}, false},
		{"plain", errors.New("x"), nil, false},
	}
	all := []error{llm.ErrRateLimited, llm.ErrAuth, llm.ErrBadRequest, llm.ErrUnavailable, llm.ErrNotConfigured, context.Canceled, context.DeadlineExceeded}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range all {
				want := false
				for _, w := range tt.sentinels {
					want = want || w == s
				}
				if got := errors.Is(tt.err, s); got != want {
					t.Errorf("errors.Is(%v, %v) = %v, want %v", tt.err, s, got, want)
				}
			}
			if got := llm.IsRetryable(tt.err); got != tt.retryable {
				t.Errorf("IsRetryable = %v, want %v", got, tt.retryable)
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	e := &llm.APIError{Provider: "openai", StatusCode: 429, Message: "slow down", RetryAfter: 2 * time.Second}
	if got, want := e.Error(), "llm openai: HTTP 429 Too Many Requests: slow down (retry after 2s)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"seconds", map[string]string{"Retry-After": "3"}, 3 * time.Second},
		{"fractional", map[string]string{"Retry-After": "0.5"}, 500 * time.Millisecond},
		{"ms wins", map[string]string{"Retry-After": "3", "Retry-After-Ms": "120"}, 120 * time.Millisecond},
		{"date", map[string]string{"Retry-After": now.Add(10 * time.Second).Format(http.TimeFormat)}, 10 * time.Second},
		{"past date", map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0},
		{"negative", map[string]string{"Retry-After": "-1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := llm.ParseRetryAfter(h, now); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRetryPolicyDelay(t *testing.T) {
	p := llm.DefaultRetryPolicy()
	p.BaseDelay, p.MaxDelay, p.Jitter = 100*time.Millisecond, time.Second, func() float64 { return 0.5 }
	tests := []struct {
		retry int
		err   error
		want  time.Duration
		ok    bool
	}{
		{1, errors.New("x"), 75 * time.Millisecond, true},  // 50 + 25
		{2, errors.New("x"), 150 * time.Millisecond, true}, // 100 + 50
		{3, errors.New("x"), 300 * time.Millisecond, true},
		{10, errors.New("x"), 750 * time.Millisecond, true}, // capped at 1s
		{1, &llm.APIError{StatusCode: 429, RetryAfter: 400 * time.Millisecond}, 420 * time.Millisecond, true},
		{1, &llm.APIError{StatusCode: 429, RetryAfter: 5 * time.Second}, 0, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.retry, tt.err), func(t *testing.T) {
			got, ok := p.Delay(tt.retry, tt.err)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Delay = %s, %v; want %s, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestWithRetry(t *testing.T) {
	e429 := &llm.APIError{StatusCode: 429, RetryAfter: time.Second}
	e500 := &llm.APIError{StatusCode: 500}
	e400 := &llm.APIError{StatusCode: 400}
	tooLong := &llm.APIError{StatusCode: 429, RetryAfter: time.Hour}
	tests := []struct {
		name      string
		errs      []error // per attempt; nil = success
		attempts  int
		wantCalls int
		wantErr   error
	}{
		{"success", []error{nil}, 3, 1, nil},
		{"429 then ok", []error{e429, nil}, 3, 2, nil},
		{"500 twice then ok", []error{e500, e500, nil}, 3, 3, nil},
		{"attempts spent", []error{e500, e500, e500, nil}, 3, 3, llm.ErrUnavailable},
		{"400 not retried", []error{e400, nil}, 3, 1, llm.ErrBadRequest},
		{"retry-after too long", []error{tooLong, nil}, 3, 1, llm.ErrRateLimited},
		{"single attempt", []error{e500, nil}, 0, 1, llm.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			m := llm.ModelFunc(func(context.Context, llm.Request) (llm.Response, error) {
				n := calls.Add(1)
				if err := tt.errs[n-1]; err != nil {
					return llm.Response{}, err
				}
				return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, Content: "ok"}}, nil
			})
			var slept []time.Duration
			var retried []int
			p := llm.RetryPolicy{
				MaxAttempts: tt.attempts,
				MaxDelay:    10 * time.Second,
				Sleep:       func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil },
				OnRetry:     func(a int, _ error, _ time.Duration) { retried = append(retried, a) },
			}
			resp, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{})
			if int(calls.Load()) != tt.wantCalls {
				t.Errorf("calls = %d, want %d", calls.Load(), tt.wantCalls)
			}
			if tt.wantErr == nil {
				if err != nil || resp.Message.Content != "ok" {
					t.Errorf("Generate = %+v, %v", resp, err)
				}
			} else if !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if len(slept) != tt.wantCalls-1 || len(retried) != len(slept) {
				t.Errorf("slept %v, OnRetry %v for %d calls", slept, retried, tt.wantCalls)
			}
			if tt.name == "429 then ok" && (slept[0] < time.Second || slept[0] > 1100*time.Millisecond) {
				t.Errorf("Retry-After not honoured: slept %s", slept[0])
			}
		})
	}
}

func TestRetryAttemptTimeout(t *testing.T) {
	var calls atomic.Int32
	m := llm.ModelFunc(func(ctx context.Context, _ llm.Request) (llm.Response, error) {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			return llm.Response{}, ctx.Err()
		}
		return llm.Response{Message: llm.Message{Content: "second"}}, nil
	})
	p := llm.RetryPolicy{MaxAttempts: 2, AttemptTimeout: 50 * time.Millisecond, Sleep: func(context.Context, time.Duration) error { return nil }}
	resp, err := llm.WithRetry(m, p).Generate(context.Background(), llm.Request{})
	if err != nil || resp.Message.Content != "second" {
		t.Fatalf("Generate = %+v, %v", resp, err)
	}
}

func TestRetryStopsOnCallerCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	m := llm.ModelFunc(func(context.Context, llm.Request) (llm.Response, error) {
		calls.Add(1)
		cancel()
		return llm.Response{}, &llm.APIError{StatusCode: 500}
	})
	_, err := llm.WithRetry(m, llm.DefaultRetryPolicy()).Generate(ctx, llm.Request{})
	if err == nil || calls.Load() != 1 {
		t.Errorf("err = %v after %d calls", err, calls.Load())
	}
}

func TestDataURL(t *testing.T) {
	tests := []struct {
		in       string
		wantMIME string
		wantB64  string
		wantErr  bool
	}{
		{llm.DataURL("image/png", []byte("hi")), "image/png", "aGk=", false},
		{"data:image/jpeg;name=x.jpg;base64,AAAA", "image/jpeg", "AAAA", false},
		{"data:;base64,AAAA", "text/plain", "AAAA", false},
		{"data:image/png,raw", "", "", true},
		{"https://example.com/a.png", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			mt, b64, err := llm.ParseDataURL(tt.in)
			if (err != nil) != tt.wantErr || mt != tt.wantMIME || b64 != tt.wantB64 {
				t.Errorf("ParseDataURL = %q, %q, %v", mt, b64, err)
			}
			if tt.wantErr && !errors.Is(err, llm.ErrNotDataURL) {
				t.Errorf("err = %v, want ErrNotDataURL", err)
			}
		})
	}
}

func TestCheckToolResults(t *testing.T) {
	call := func(id string) llm.ToolCall { return llm.ToolCall{ID: id, Name: "f"} }
	tests := []struct {
		name string
		msgs []llm.Message
		ok   bool
	}{
		{"empty", nil, true},
		{"paired", []llm.Message{{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call("a"), call("b")}}, llm.ToolResult(call("b"), "", false), llm.ToolResult(call("a"), "", false), {Role: llm.RoleAssistant, Content: "x"}}, true},
		{"missing at end", []llm.Message{{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call("a"), call("b")}}, llm.ToolResult(call("a"), "", false)}, false},
		{"missing before next", []llm.Message{{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call("a")}}, {Role: llm.RoleAssistant, Content: "x"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := llm.CheckToolResults(tt.msgs)
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, llm.ErrUnansweredToolCall)) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestUsageMeter(t *testing.T) {
	var meter llm.UsageMeter
	m := llm.Metered(llm.ModelFunc(func(context.Context, llm.Request) (llm.Response, error) {
		return llm.Response{Usage: llm.Usage{InputTokens: 10, OutputTokens: 3}}, nil
	}), &meter)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			_, _ = m.Generate(context.Background(), llm.Request{})
		}()
	}
	for range 4 {
		<-done
	}
	if u, n := meter.Total(); n != 4 || u != (llm.Usage{InputTokens: 40, OutputTokens: 12}) {
		t.Errorf("Total = %+v, %d", u, n)
	}
}

func TestMessageHelpers(t *testing.T) {
	m := llm.UserWithImages("look", "data:image/png;base64,AA")
	if m.Role != llm.RoleUser || len(m.Parts) != 2 || m.Parts[1].ImageURL != "data:image/png;base64,AA" || m.Text() != "look" {
		t.Errorf("UserWithImages = %+v", m)
	}
	r := llm.ToolResult(llm.ToolCall{ID: "c", Name: "n"}, "out", true)
	if r.Role != llm.RoleTool || r.ToolCallID != "c" || r.Name != "n" || !r.IsError {
		t.Errorf("ToolResult = %+v", r)
	}
	if got := llm.JSONInstruction([]byte(`{"type":"object"}`)); !strings.Contains(got, `{"type":"object"}`) {
		t.Errorf("JSONInstruction = %q", got)
	}
	_, err := llm.Unconfigured(&llm.NotConfiguredError{Hint: "set LLM_PROVIDER"}).Generate(context.Background(), llm.Request{})
	if !errors.Is(err, llm.ErrNotConfigured) || !strings.Contains(err.Error(), "set LLM_PROVIDER") {
		t.Errorf("Unconfigured err = %v", err)
	}
}
