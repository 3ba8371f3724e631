package evolution

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/webhooks"
)

// Sender sends WhatsApp texts through Evolution's
// POST /message/sendText/{instance}, and voice notes through
// POST /message/sendWhatsAppAudio/{instance}.
type Sender struct {
	cfg           Config
	client        *http.Client
	endpoint      string
	audioEndpoint string
}

// NewSender returns a sender for cfg, which must be enabled.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Enabled() {
		return nil, errors.New("evolution: sender needs EVOLUTION_URL, EVOLUTION_API_KEY and EVOLUTION_INSTANCE")
	}
	return &Sender{cfg: cfg, client: cfg.httpClient(), endpoint: cfg.endpoint("message/sendText"),
		audioEndpoint: cfg.endpoint("message/sendWhatsAppAudio")}, nil
}

// SendError is a failed send. Permanent errors (a number not on WhatsApp,
// an unknown instance, a refused key: HTTP 4xx other than 408 and 429) must
// not be retried; the others (429, 5xx, network trouble) may be.
type SendError struct {
	// Status is the HTTP status, 0 when the request got no answer.
	Status    int
	Permanent bool
	Err       error
}

// Error describes the failure.
func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("evolution send failed (%s, HTTP %d): %v", kind, e.Status, e.Err)
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// Number turns an outbound address into what sendText's "number" takes: a
// JID is kept ("120363012345678901@g.us", "15551234567@s.whatsapp.net"), a
// thread id or E.164 number loses its channel and "+"
// ("whatsapp:+15551234567" → "15551234567").
func Number(to string) (string, error) {
	s := strings.TrimSpace(to)
	if ch, rest, ok := strings.Cut(s, ":"); ok && !strings.Contains(ch, "@") && ch != "" && (ch[0] < '0' || ch[0] > '9') && ch[0] != '+' {
		s = strings.TrimSpace(rest)
	}
	if strings.Contains(s, "@") {
		return s, nil
	}
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return "", fmt.Errorf("evolution: empty recipient %q", to)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("evolution: recipient %q is neither a JID nor a number", to)
		}
	}
	return s, nil
}

type sendTextRequest struct {
	Number string `json:"number"`
	Text   string `json:"text"`
}

// sendTextResponse is the created message; only its key matters here.
type sendTextResponse struct {
	Key struct {
		ID string `json:"id"`
	} `json:"key"`
}

// Send sends one message of at most MaxMessageLength UTF-16 units to a JID
// (a group's or a person's), a thread id or an E.164 number, and returns
// the id WhatsApp gave the message (key.id). Every error is a *SendError.
func (s *Sender) Send(ctx context.Context, to, body string) (string, error) {
	number, err := Number(to)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	return s.post(ctx, s.endpoint, sendTextRequest{Number: number, Text: body})
}

type sendAudioRequest struct {
	Number string `json:"number"`
	// Audio is a URL or the file in base64.
	Audio string `json:"audio"`
	// Encoding has Evolution re-encode the audio as a WhatsApp voice note
	// (push to talk), whatever format it came in.
	Encoding bool `json:"encoding"`
}

// SendVoice sends a voice note through POST /message/sendWhatsAppAudio:
// the audio goes as base64, so Evolution need not reach PUBLIC_URL.
func (s *Sender) SendVoice(ctx context.Context, to string, note webhooks.VoiceNote) (string, error) {
	number, err := Number(to)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	if len(note.Audio) == 0 {
		return "", &SendError{Permanent: true, Err: errors.New("evolution: empty voice note")}
	}
	audio := base64.StdEncoding.EncodeToString(note.Audio)
	return s.post(ctx, s.audioEndpoint, sendAudioRequest{Number: number, Audio: audio, Encoding: true})
}

// post sends one message request and returns the created message's key.id.
func (s *Sender) post(ctx context.Context, endpoint string, body any) (string, error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(payload))
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", s.cfg.APIKey)
	resp, err := s.client.Do(req)
	if err != nil {
		return "", &SendError{Err: err} // network trouble or ctx: retry
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", &SendError{Status: resp.StatusCode, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		transient := resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout ||
			resp.StatusCode >= 500 || resp.StatusCode < 400 // 1xx/3xx: nothing we can act on now
		return "", &SendError{Status: resp.StatusCode, Permanent: !transient, Err: errors.New(apiMessage(raw))}
	}
	var out sendTextResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", &SendError{Status: resp.StatusCode, Err: fmt.Errorf("unreadable answer: %w", err)}
	}
	if out.Key.ID == "" {
		return "", &SendError{Status: resp.StatusCode, Err: errors.New("answer without key.id")}
	}
	return out.Key.ID, nil
}
