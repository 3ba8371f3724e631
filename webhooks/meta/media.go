package meta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxMediaBytes caps a downloaded attachment (WhatsApp's own limit for
// audio and images is 16 MB).
const MaxMediaBytes = 16 << 20

// ErrMediaTooLarge is returned for an attachment over MaxMediaBytes.
var ErrMediaTooLarge = errors.New("meta: media larger than 16 MB")

// ErrUntrustedMediaHost is returned when the Graph API points a media
// download at a host the access token must not go to.
var ErrUntrustedMediaHost = errors.New("meta: media URL on a host the token is not sent to")

// MediaFetcher downloads attachments: GET {graph}/{version}/{media-id}
// gives a short-lived URL, then GET that URL with the bearer token gives
// the bytes. The token goes only to the configured Graph API host and, over
// HTTPS, to Meta's media host (MediaHost); a media URL anywhere else is
// refused, and a redirect anywhere else is not followed.
type MediaFetcher struct {
	cfg       Config
	graphHost string
	client    *http.Client
}

// NewMediaFetcher returns a fetcher for cfg.
func NewMediaFetcher(cfg Config) *MediaFetcher {
	cfg = cfg.WithDefaults()
	f := &MediaFetcher{cfg: cfg}
	if u, err := url.Parse(cfg.GraphURL); err == nil {
		f.graphHost = u.Host
	}
	f.client = cfg.httpClient()
	f.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if !f.trusted(req.URL) {
			return fmt.Errorf("%w: redirect to %s", ErrUntrustedMediaHost, req.URL.Host)
		}
		return nil
	}
	return f
}

// trusted reports whether the token may be sent to u.
func (f *MediaFetcher) trusted(u *url.URL) bool {
	if u.Host == f.graphHost && (u.Scheme == "https" || u.Scheme == "http" && strings.HasPrefix(f.cfg.GraphURL, "http://")) {
		return true
	}
	return u.Scheme == "https" && strings.EqualFold(u.Hostname(), MediaHost) && (u.Port() == "" || u.Port() == "443")
}

// mediaInfo is the answer of GET /{media-id}.
type mediaInfo struct {
	URL      string      `json:"url"`
	MimeType string      `json:"mime_type"`
	FileSize json.Number `json:"file_size"`
	ID       string      `json:"id"`
}

// Fetch downloads the attachment stored as rawURL (MediaURL) and returns
// its bytes and content type: the one Meta reported, or sniffed from the
// bytes when Meta reported none.
func (f *MediaFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	id, err := ParseMediaURL(rawURL)
	if err != nil {
		return nil, "", err
	}
	if f.cfg.AccessToken == "" {
		return nil, "", errors.New("meta: fetch media: META_ACCESS_TOKEN is not set")
	}
	infoData, _, err := f.get(ctx, f.cfg.endpoint(url.PathEscape(id)), 64<<10)
	if err != nil {
		return nil, "", fmt.Errorf("meta: media %s: %w", id, err)
	}
	var info mediaInfo
	if err := json.Unmarshal(infoData, &info); err != nil || info.URL == "" {
		return nil, "", fmt.Errorf("meta: media %s: the Graph API gave no download URL", id)
	}
	if n, err := info.FileSize.Int64(); err == nil && n > MaxMediaBytes {
		return nil, "", ErrMediaTooLarge
	}
	u, err := url.Parse(info.URL)
	if err != nil || !f.trusted(u) {
		return nil, "", fmt.Errorf("%w: %q", ErrUntrustedMediaHost, hostOf(info.URL))
	}
	data, ct, err := f.get(ctx, u.String(), MaxMediaBytes)
	if err != nil {
		return nil, "", fmt.Errorf("meta: download media %s: %w", id, err)
	}
	if info.MimeType != "" {
		ct = info.MimeType
	}
	if ct == "" || ct == "application/octet-stream" {
		ct = http.DetectContentType(data)
	}
	return data, ct, nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Host
	}
	return "unparseable URL"
}

// get GETs u with the bearer token and reads at most limit bytes.
func (f *MediaFetcher) get(ctx context.Context, u string, limit int64) ([]byte, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Authorization", "Bearer "+f.cfg.AccessToken)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, "", ErrMediaTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > limit {
		return nil, "", ErrMediaTooLarge
	}
	return data, resp.Header.Get("Content-Type"), nil
}
