package jsonhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

// SignatureHeader carries the signature of a posted reply.
const SignatureHeader = "X-Switchboard-Signature"

// Sign returns the X-Switchboard-Signature of body: the hex HMAC-SHA256 of
// the body under the webhook token. Receivers recompute it and compare in
// constant time.
func Sign(token string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports, in constant time, whether sig is body's
// signature under token.
func ValidSignature(token string, body []byte, sig string) bool {
	if token == "" {
		return false
	}
	got, err := hex.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

// Delivery is the body POSTed to JSON_REPLY_URL.
type Delivery struct {
	// ID identifies this delivery; the receiver can drop one it has seen.
	ID string `json:"id"`
	// To is the "from" of the messages answered.
	To string `json:"to"`
	// Thread is "json:<to>".
	Thread string `json:"thread"`
	Reply  string `json:"reply"`
}

// Collector is told of a reply about to be delivered and reports whether a
// request of this process is waiting for it (Handler.Collect): that request
// returns it, so it is not posted.
type Collector interface {
	Collect(ctx context.Context, thread, part string) bool
}

// Poster is the JSON channel's sender for the outbox: a reply a waiting
// request collects is left to it; otherwise it is POSTed, signed, to
// JSON_REPLY_URL; with no URL configured it stays in the outbox for a
// repeated request to collect.
type Poster struct {
	cfg       Config
	collector Collector
	client    *http.Client
}

// NewPoster returns the sender; collector may be nil.
func NewPoster(cfg Config, collector Collector) *Poster {
	t := cfg.Timeout
	if t <= 0 {
		t = 15 * time.Second
	}
	return &Poster{cfg: cfg, collector: collector, client: &http.Client{Timeout: t}}
}

// SendError is a failed POST to JSON_REPLY_URL; Code is the HTTP status
// (0 without an answer). A 4xx other than 408 and 429 is permanent.
type SendError struct {
	Code      int
	Permanent bool
	Err       error
}

func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("json reply post failed (%s, HTTP %d): %v", kind, e.Code, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// ErrorCode returns the HTTP status, for the outbox's record.
func (e *SendError) ErrorCode() int { return e.Code }

// IsPermanent reports whether err must not be retried.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// Send delivers one reply part to the JSON sender to (their "from") and
// returns a delivery id: "collected-…" when a waiting request takes it,
// "kept-…" when there is nowhere to post it, else the posted Delivery's id.
func (p *Poster) Send(ctx context.Context, to, body string) (string, error) {
	to = strings.TrimPrefix(to, Channel+":")
	th := Thread(to)
	id := uuid.NewString()
	if p.collector != nil && p.collector.Collect(ctx, th, body) {
		return "collected-" + id, nil
	}
	if p.cfg.ReplyURL == "" {
		return "kept-" + id, nil
	}
	payload, err := json.Marshal(Delivery{ID: id, To: to, Thread: th, Reply: body})
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.ReplyURL, bytes.NewReader(payload))
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(p.cfg.Token, payload))
	resp, err := p.client.Do(req)
	if err != nil {
		return "", &SendError{Err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		permanent := resp.StatusCode >= 400 && resp.StatusCode < 500 &&
			resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests
		return "", &SendError{Code: resp.StatusCode, Permanent: permanent, Err: errors.New(resp.Status)}
	}
	return id, nil
}
