package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how WithRetry retries a failed call. The adapters turn
// off their SDKs' own retries, so this is the only retry layer.
//
// A call is retried when IsRetryable says so (429, 408, 409, 5xx, network
// errors, an attempt's timeout), up to MaxAttempts attempts in all. The wait
// before retry n (n = 1, 2, ...) is "equal jitter" exponential backoff:
// half of min(MaxDelay, BaseDelay·2^(n-1)) plus a random part of the other
// half. When the provider sent Retry-After, the wait is that value plus up to
// 10% jitter; if it exceeds MaxDelay the error is returned at once instead,
// since waiting less than asked is pointless and a chat user should not wait
// longer. The caller's context bounds everything.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, first included. Values
	// below 1 mean 1 (no retry).
	MaxAttempts int
	// BaseDelay is the backoff before the first retry.
	BaseDelay time.Duration
	// MaxDelay caps the backoff and the Retry-After that is honoured.
	MaxDelay time.Duration
	// AttemptTimeout bounds each attempt; 0 means only the caller's context
	// bounds it. A timed-out attempt is retried.
	AttemptTimeout time.Duration
	// OnRetry, when set, is called before each wait with the attempt that
	// failed (1-based), its error and the wait. Useful for logs and metrics.
	OnRetry func(attempt int, err error, wait time.Duration)
	// Sleep waits d or until ctx is done; nil means a timer. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a number in [0, 1); nil means math/rand/v2.
	Jitter func() float64
}

// DefaultRetryPolicy is 3 attempts, 500ms base delay, 20s max delay and a
// 60s attempt timeout.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second, AttemptTimeout: 60 * time.Second}
}

// Delay returns the wait before retry number retry (1-based) after err.
// The second result is false when err asks for a wait longer than MaxDelay.
func (p RetryPolicy) Delay(retry int, err error) (time.Duration, bool) {
	jitter := p.Jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	maxDelay := p.MaxDelay
	if maxDelay <= 0 {
		maxDelay = 20 * time.Second
	}
	if ra := RetryAfterOf(err); ra > 0 {
		if ra > maxDelay {
			return 0, false
		}
		return ra + time.Duration(jitter()*0.1*float64(ra)), true
	}
	base := p.BaseDelay
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	d := base
	for i := 1; i < retry && d < maxDelay; i++ {
		d *= 2
	}
	d = min(d, maxDelay)
	return d/2 + time.Duration(jitter()*float64(d/2)), true
}

// Do runs fn until it succeeds, fails with an error that is not retryable,
// or the attempts are spent; it returns fn's last error. Each attempt gets
// its own context bounded by AttemptTimeout.
func (p RetryPolicy) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts := max(p.MaxAttempts, 1)
	sleep := p.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	var err error
	for attempt := 1; ; attempt++ {
		err = p.attempt(ctx, fn)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return err
		}
		if attempt >= attempts || !IsRetryable(err) {
			return err
		}
		wait, ok := p.Delay(attempt, err)
		if !ok {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(attempt, err, wait)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

func (p RetryPolicy) attempt(ctx context.Context, fn func(ctx context.Context) error) error {
	if p.AttemptTimeout <= 0 {
		return fn(ctx)
	}
	actx, cancel := context.WithTimeoutCause(ctx, p.AttemptTimeout, errAttemptTimeout)
	defer cancel()
	err := fn(actx)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout) {
		// The attempt, not the caller, ran out of time: report it as an
		// unavailable provider so it is retried and classified.
		var ae *APIError
		if !errors.As(err, &ae) {
			err = &APIError{Err: fmt.Errorf("%w after %s: %w", errAttemptTimeout, p.AttemptTimeout, err)}
		}
	}
	return err
}

var errAttemptTimeout = errors.New("attempt timed out")

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WithRetry wraps m so that each Generate is retried under p.
func WithRetry(m Model, p RetryPolicy) Model {
	return &retryModel{m: m, p: p}
}

type retryModel struct {
	m Model
	p RetryPolicy
}

func (r *retryModel) Generate(ctx context.Context, req Request) (Response, error) {
	var resp Response
	err := r.p.Do(ctx, func(ctx context.Context) error {
		var err error
		resp, err = r.m.Generate(ctx, req)
		return err
	})
	return resp, err
}

// WithTimeout wraps m so that each Generate is bounded by d. Prefer
// RetryPolicy.AttemptTimeout when retrying: it bounds each attempt rather
// than the sum.
func WithTimeout(m Model, d time.Duration) Model {
	return ModelFunc(func(ctx context.Context, req Request) (Response, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return m.Generate(ctx, req)
	})
}

// Transcriber turns speech into text.
type Transcriber interface {
	// Transcribe returns the text spoken in audio. filename and mimeType
	// describe the audio (e.g. "voice.ogg", "audio/ogg"); providers use the
	// extension to detect the format.
	Transcribe(ctx context.Context, audio io.Reader, filename, mimeType string) (string, error)
}

// TranscriberFunc adapts a function to Transcriber.
type TranscriberFunc func(ctx context.Context, audio io.Reader, filename, mimeType string) (string, error)

// Transcribe calls f.
func (f TranscriberFunc) Transcribe(ctx context.Context, audio io.Reader, filename, mimeType string) (string, error) {
	return f(ctx, audio, filename, mimeType)
}

// MaxAudioBytes caps the audio TranscriberWithRetry buffers: 25 MB, the
// limit of OpenAI's transcription endpoint.
const MaxAudioBytes = 25 << 20

// ErrAudioTooLarge is returned for audio above MaxAudioBytes.
var ErrAudioTooLarge = errors.New("llm: audio larger than 25 MB")

// TranscriberWithRetry wraps t so that each Transcribe is retried under p.
// The audio is read into memory once (at most MaxAudioBytes) so it can be
// sent again.
func TranscriberWithRetry(t Transcriber, p RetryPolicy) Transcriber {
	return TranscriberFunc(func(ctx context.Context, audio io.Reader, filename, mimeType string) (string, error) {
		data, err := io.ReadAll(io.LimitReader(audio, MaxAudioBytes+1))
		if err != nil {
			return "", fmt.Errorf("llm: read audio: %w", err)
		}
		if len(data) > MaxAudioBytes {
			return "", ErrAudioTooLarge
		}
		var text string
		err = p.Do(ctx, func(ctx context.Context) error {
			var err error
			text, err = t.Transcribe(ctx, bytes.NewReader(data), filename, mimeType)
			return err
		})
		return text, err
	})
}
