package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/switchboardhq/switchboard/internal/retry"
)

// RetryPolicy says how WithRetry and TranscriberWithRetry retry a failed
// call; it is the module's one retry policy (graph retries nodes with the
// same type). The adapters turn off their SDKs' own retries, so this is the
// only retry layer.
//
// For a model call, a RetryIf or RetryAfter left nil means IsRetryable (429,
// 408, 409, 5xx, network errors, an attempt's timeout) and RetryAfterOf (the
// provider's Retry-After): see retry.Policy for the waits. The caller's
// context bounds everything.
type RetryPolicy = retry.Policy

// DefaultRetryPolicy is 3 attempts, 500ms base delay, 20s max delay and a
// 60s attempt timeout, retrying what IsRetryable accepts and honouring
// Retry-After.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts: 3, BaseDelay: 500 * time.Millisecond, MaxDelay: 20 * time.Second, AttemptTimeout: 60 * time.Second,
		RetryIf: IsRetryable, RetryAfter: RetryAfterOf,
	}
}

// do runs fn under p with the model calls' defaults. An attempt that ran
// out of its own time (not the caller's) is reported as an unavailable
// provider, so it is retried and classified.
func do(ctx context.Context, p RetryPolicy, fn func(ctx context.Context) error) error {
	if p.RetryIf == nil {
		p.RetryIf = IsRetryable
	}
	if p.RetryAfter == nil {
		p.RetryAfter = RetryAfterOf
	}
	return p.Do(ctx, func(actx context.Context) error {
		err := fn(actx)
		if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), retry.ErrAttemptTimeout) {
			var ae *APIError
			if !errors.As(err, &ae) {
				err = &APIError{Err: fmt.Errorf("%w after %s: %w", retry.ErrAttemptTimeout, p.AttemptTimeout, err)}
			}
		}
		return err
	})
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
	err := do(ctx, r.p, func(ctx context.Context) error {
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
		err = do(ctx, p, func(ctx context.Context) error {
			var err error
			text, err = t.Transcribe(ctx, bytes.NewReader(data), filename, mimeType)
			return err
		})
		return text, err
	})
}
