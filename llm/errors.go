package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors callers branch on with errors.Is. An *APIError matches the
// sentinel of its class (see APIError.Is).
var (
	// ErrUnavailable: the provider could not be reached, timed out, or
	// answered with a 5xx status. Usually transient.
	ErrUnavailable = errors.New("llm: provider unavailable")
	// ErrRateLimited: the provider answered 429 Too Many Requests.
	ErrRateLimited = errors.New("llm: rate limited")
	// ErrAuth: the provider rejected the credentials (401, 403).
	ErrAuth = errors.New("llm: authentication failed")
	// ErrBadRequest: the provider rejected the request itself (400, 404,
	// 413, 422): a wrong model name, a malformed conversation, too many
	// tokens. Retrying the same request does not help.
	ErrBadRequest = errors.New("llm: request rejected")
	// ErrNotConfigured: no model is configured. Errors of this class say
	// what to set.
	ErrNotConfigured = errors.New("llm: no model configured")
)

// APIError is the error every adapter returns when a call to a provider
// fails, whatever the SDK underneath. StatusCode is 0 when no HTTP answer
// arrived (connection refused, reset, timeout, cancellation); Err then holds
// the transport or context error, so errors.Is(err, context.Canceled) works.
type APIError struct {
	// Provider names the provider, e.g. "openai", "anthropic", "ollama".
	Provider string
	// StatusCode is the HTTP status, or 0 when there was none.
	StatusCode int
	// RetryAfter is how long the provider asked us to wait (Retry-After or
	// retry-after-ms headers), or 0.
	RetryAfter time.Duration
	// Message is the provider's error message, when it gave one.
	Message string
	// Err is the underlying error (the SDK's, or a transport/context error).
	Err error
}

// Error describes the failure without request details (URLs and bodies may
// hold secrets).
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("llm")
	if e.Provider != "" {
		b.WriteString(" ")
		b.WriteString(e.Provider)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.StatusCode)
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" ")
			b.WriteString(t)
		}
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.Err != nil:
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *APIError) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's class: ErrRateLimited
// for 429, ErrAuth for 401/403, ErrBadRequest for other 4xx, ErrUnavailable
// for 5xx, 408 and failures without a status (except a caller's
// cancellation).
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrAuth:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrBadRequest:
		return e.StatusCode >= 400 && e.StatusCode < 500 && !e.isTransient4xx() &&
			e.StatusCode != http.StatusUnauthorized && e.StatusCode != http.StatusForbidden
	case ErrUnavailable:
		if e.StatusCode == 0 {
			return !errors.Is(e.Err, context.Canceled)
		}
		return e.StatusCode >= 500 || e.StatusCode == http.StatusRequestTimeout
	}
	return false
}

func (e *APIError) isTransient4xx() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusRequestTimeout ||
		e.StatusCode == http.StatusConflict
}

// Retryable reports whether the same request may succeed later: 408, 409,
// 429, 5xx, and failures without a status other than the caller's
// cancellation.
func (e *APIError) Retryable() bool {
	if e.StatusCode == 0 {
		return !errors.Is(e.Err, context.Canceled)
	}
	return e.StatusCode >= 500 || e.isTransient4xx()
}

// IsRetryable reports whether err is worth retrying: an *APIError that is
// Retryable, or a bare context.DeadlineExceeded (an attempt timed out). A
// caller's cancellation (context.Canceled) and ErrNotConfigured are not.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, ErrNotConfigured) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Retryable()
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// RetryAfterOf returns the wait a provider asked for in err, or 0.
func RetryAfterOf(err error) time.Duration {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.RetryAfter
	}
	return 0
}

// ParseRetryAfter reads the wait a response asks for: the retry-after-ms
// header (sent by OpenAI and Anthropic) when present, else Retry-After as
// seconds or as an HTTP date. It returns 0 when there is none or it is
// unparsable or in the past.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// NotConfiguredError says no model is configured and what to set. It
// matches ErrNotConfigured.
type NotConfiguredError struct {
	// Hint says exactly which variables to set.
	Hint string
}

// Error returns the hint.
func (e *NotConfiguredError) Error() string {
	if e.Hint == "" {
		return ErrNotConfigured.Error()
	}
	return ErrNotConfigured.Error() + ": " + e.Hint
}

// Is matches ErrNotConfigured.
func (e *NotConfiguredError) Is(target error) bool { return target == ErrNotConfigured }

// Unconfigured returns a Model whose every call fails with err; wiring code
// can install it when no provider is configured so the server still starts
// and each turn reports why there is no answer.
func Unconfigured(err error) Model {
	return ModelFunc(func(context.Context, Request) (Response, error) { return Response{}, err })
}
