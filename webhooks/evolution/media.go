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
	"net/url"
	"strings"
)

// MaxMediaBytes caps a downloaded attachment (decoded).
const MaxMediaBytes = 16 << 20

// mediaScheme starts every media URL the webhook stores.
const mediaScheme = "evolution://"

// ErrMediaTooLarge is returned for an attachment over MaxMediaBytes.
var ErrMediaTooLarge = errors.New("evolution: media larger than 16 MB")

// ErrNotMediaURL is returned by Fetch for a URL the webhook did not make
// for this instance: the fetcher never calls anything else.
var ErrNotMediaURL = errors.New("evolution: not an evolution:// media URL of this instance")

// MediaURL returns the URL under which the webhook stores the attachment of
// message id on instance: "evolution://<instance>/<message id>", both parts
// path-escaped.
func MediaURL(instance, messageID string) string {
	return mediaScheme + url.PathEscape(instance) + "/" + url.PathEscape(messageID)
}

// ParseMediaURL returns the instance and message id of a URL made by
// MediaURL, or an error wrapping ErrNotMediaURL.
func ParseMediaURL(raw string) (instance, messageID string, err error) {
	rest, ok := strings.CutPrefix(raw, mediaScheme)
	if !ok {
		return "", "", fmt.Errorf("%w: %q", ErrNotMediaURL, raw)
	}
	inst, id, ok := strings.Cut(rest, "/")
	if !ok || inst == "" || id == "" || strings.ContainsAny(id, "/?#") {
		return "", "", fmt.Errorf("%w: %q", ErrNotMediaURL, raw)
	}
	if instance, err = url.PathUnescape(inst); err != nil {
		return "", "", fmt.Errorf("%w: %q: %w", ErrNotMediaURL, raw, err)
	}
	if messageID, err = url.PathUnescape(id); err != nil {
		return "", "", fmt.Errorf("%w: %q: %w", ErrNotMediaURL, raw, err)
	}
	return instance, messageID, nil
}

// MediaFetcher downloads attachments through Evolution's
// getBase64FromMediaMessage: Evolution fetches and decrypts the media from
// WhatsApp and answers with it in base64.
type MediaFetcher struct {
	cfg    Config
	client *http.Client
}

// NewMediaFetcher returns a fetcher for cfg.
func NewMediaFetcher(cfg Config) *MediaFetcher {
	return &MediaFetcher{cfg: cfg, client: cfg.httpClient()}
}

// base64Request is the body of POST /chat/getBase64FromMediaMessage: the
// message key; Evolution looks the stored message up by key.id.
type base64Request struct {
	Message struct {
		Key struct {
			ID string `json:"id"`
		} `json:"key"`
	} `json:"message"`
	ConvertToMp4 bool `json:"convertToMp4"`
}

// base64Response is Evolution's answer, less the fields we do not use
// (fileName, caption, size).
type base64Response struct {
	MediaType string `json:"mediaType"`
	Mimetype  string `json:"mimetype"`
	Base64    string `json:"base64"`
}

// maxMediaResponse bounds the JSON answer: the base64 of MaxMediaBytes
// plus room for the other fields.
var maxMediaResponse = int64(base64.StdEncoding.EncodedLen(MaxMediaBytes)) + 64<<10

// Fetch resolves a URL made by MediaURL for the configured instance and
// returns the attachment's bytes and MIME type. Any other URL is refused
// with ErrNotMediaURL, so a stored URL can never make us call another host
// or instance.
func (f *MediaFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	instance, id, err := ParseMediaURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	if instance != f.cfg.Instance {
		return nil, "", fmt.Errorf("%w: instance %q, want %q", ErrNotMediaURL, instance, f.cfg.Instance)
	}
	if !f.cfg.Enabled() {
		return nil, "", errors.New("evolution: fetch media: EVOLUTION_URL, EVOLUTION_API_KEY and EVOLUTION_INSTANCE are not set")
	}
	var in base64Request
	in.Message.Key.ID = id
	body, err := json.Marshal(in)
	if err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.cfg.endpoint("chat/getBase64FromMediaMessage"), bytes.NewReader(body))
	if err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("apikey", f.cfg.APIKey)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		detail, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return nil, "", fmt.Errorf("evolution: fetch media: HTTP %d: %s", resp.StatusCode, apiMessage(detail))
	}
	if resp.ContentLength > maxMediaResponse {
		return nil, "", ErrMediaTooLarge
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxMediaResponse+1))
	if err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: %w", err)
	}
	if int64(len(raw)) > maxMediaResponse {
		return nil, "", ErrMediaTooLarge
	}
	var out base64Response
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: unreadable answer: %w", err)
	}
	b64 := out.Base64
	if strings.HasPrefix(b64, "data:") { // tolerate a data URL
		if _, after, ok := strings.Cut(b64, ","); ok {
			b64 = after
		}
	}
	if b64 == "" {
		return nil, "", errors.New("evolution: fetch media: answer without base64")
	}
	if base64.StdEncoding.DecodedLen(len(b64)) > MaxMediaBytes+2 {
		return nil, "", ErrMediaTooLarge
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, "", fmt.Errorf("evolution: fetch media: bad base64: %w", err)
	}
	if len(data) > MaxMediaBytes {
		return nil, "", ErrMediaTooLarge
	}
	return data, out.Mimetype, nil
}

// apiMessage extracts a short, loggable reason from an Evolution error body
// {"status":400,"error":"Bad Request","response":{"message":...}}. The
// message is a string or a list; a list entry that reports a number not on
// WhatsApp ({"exists":false,...}) is summarised without the number.
func apiMessage(body []byte) string {
	var e struct {
		Error    string `json:"error"`
		Response struct {
			Message json.RawMessage `json:"message"`
		} `json:"response"`
	}
	if json.Unmarshal(body, &e) != nil {
		return "unreadable error body"
	}
	var s string
	if json.Unmarshal(e.Response.Message, &s) == nil && s != "" {
		return truncate(s, 200)
	}
	var list []json.RawMessage
	if json.Unmarshal(e.Response.Message, &list) == nil {
		var parts []string
		for _, item := range list {
			var str string
			var obj struct {
				Exists *bool `json:"exists"`
			}
			switch {
			case json.Unmarshal(item, &str) == nil:
				parts = append(parts, str)
			case json.Unmarshal(item, &obj) == nil && obj.Exists != nil && !*obj.Exists:
				parts = append(parts, "the number is not on WhatsApp")
			}
		}
		if len(parts) > 0 {
			return truncate(strings.Join(parts, "; "), 200)
		}
	}
	if e.Error != "" {
		return e.Error
	}
	return "no reason given"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
