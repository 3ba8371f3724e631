package openai

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	sdk "github.com/openai/openai-go/v3"

	"github.com/switchboardhq/switchboard/llm"
)

// Defaults of the text-to-speech settings (TTS_MODEL, TTS_VOICE).
const (
	DefaultSpeechModel = "gpt-4o-mini-tts"
	DefaultSpeechVoice = "alloy"
)

// MaxSpeechBytes caps the audio read from /audio/speech: 16 MB, what
// WhatsApp takes for an audio message.
const MaxSpeechBytes = 16 << 20

// SpeechConfig configures a Speaker.
type SpeechConfig struct {
	// Provider names the provider in errors. Default "openai".
	Provider string
	// BaseURL is the API root including /v1 (TTS_BASE_URL, else
	// OPENAI_BASE_URL). Default DefaultBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token (TTS_API_KEY, else OPENAI_API_KEY).
	APIKey string
	// Model and Voice default to DefaultSpeechModel and DefaultSpeechVoice.
	Model, Voice string
	// HTTPClient is the client used; nil means a default one.
	HTTPClient *http.Client
}

// Speaker is an llm.Speaker on an OpenAI-compatible POST /audio/speech,
// asking for OGG/Opus.
type Speaker struct {
	cfg   SpeechConfig
	audio sdk.AudioService
}

var _ llm.Speaker = (*Speaker)(nil)

// NewSpeaker returns a Speaker for cfg.
func NewSpeaker(cfg SpeechConfig) *Speaker {
	if cfg.Provider == "" {
		cfg.Provider = "openai"
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.Model == "" {
		cfg.Model = DefaultSpeechModel
	}
	if cfg.Voice == "" {
		cfg.Voice = DefaultSpeechVoice
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = defaultHTTPClient()
	}
	opts := requestOptions(cfg.BaseURL, cfg.APIKey, cfg.HTTPClient)
	return &Speaker{cfg: cfg, audio: sdk.NewAudioService(opts...)}
}

// Speak returns text spoken as OGG/Opus ("audio/ogg").
func (s *Speaker) Speak(ctx context.Context, text string) ([]byte, string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, "", fmt.Errorf("%s: nothing to speak", s.cfg.Provider)
	}
	if utf8.RuneCountInString(text) > llm.MaxSpeechInput {
		return nil, "", llm.ErrSpeechTooLong
	}
	resp, err := s.audio.Speech.New(ctx, sdk.AudioSpeechNewParams{
		Input:          text,
		Model:          sdk.SpeechModel(s.cfg.Model),
		Voice:          sdk.AudioSpeechNewParamsVoiceUnion{OfString: sdk.String(s.cfg.Voice)},
		ResponseFormat: sdk.AudioSpeechNewParamsResponseFormatOpus,
	})
	if err != nil {
		return nil, "", wrapError(ctx, s.cfg.Provider, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxSpeechBytes+1))
	if err != nil {
		return nil, "", &llm.APIError{Provider: s.cfg.Provider, StatusCode: resp.StatusCode, Err: fmt.Errorf("read speech: %w", err)}
	}
	if len(data) > MaxSpeechBytes {
		return nil, "", fmt.Errorf("%s: speech larger than %d bytes", s.cfg.Provider, MaxSpeechBytes)
	}
	if len(data) < 4 || string(data[:4]) != "OggS" {
		// Asked for Opus in Ogg; anything else would not play as a voice
		// note.
		return nil, "", fmt.Errorf("%s: speech is not OGG/Opus (starts %q)", s.cfg.Provider, data[:min(len(data), 4)])
	}
	return data, "audio/ogg", nil
}
