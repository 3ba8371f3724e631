package llm

import (
	"context"
	"errors"
)

// Speaker turns text into speech: an audio file and its content type
// ("audio/ogg" for OGG/Opus, which WhatsApp plays as a voice note).
type Speaker interface {
	Speak(ctx context.Context, text string) (audio []byte, contentType string, err error)
}

// SpeakerFunc adapts a function to Speaker.
type SpeakerFunc func(ctx context.Context, text string) ([]byte, string, error)

// Speak calls f.
func (f SpeakerFunc) Speak(ctx context.Context, text string) ([]byte, string, error) {
	return f(ctx, text)
}

// MaxSpeechInput is the longest text, in characters, one speech request
// takes (OpenAI's /audio/speech limit); callers send longer replies as text.
const MaxSpeechInput = 4096

// ErrSpeechTooLong is returned for text over MaxSpeechInput.
var ErrSpeechTooLong = errors.New("llm: text too long to speak in one request")

// SpeakerWithRetry wraps s so that each Speak is retried under p, with the
// model calls' defaults (IsRetryable, RetryAfterOf).
func SpeakerWithRetry(s Speaker, p RetryPolicy) Speaker {
	return SpeakerFunc(func(ctx context.Context, text string) ([]byte, string, error) {
		var audio []byte
		var ct string
		err := do(ctx, p, func(ctx context.Context) error {
			var err error
			audio, ct, err = s.Speak(ctx, text)
			return err
		})
		return audio, ct, err
	})
}
