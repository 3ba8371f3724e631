package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// MaxMediaBytes caps a downloaded attachment.
const MaxMediaBytes = 16 << 20

// ErrMediaTooLarge is returned for an attachment over MaxMediaBytes.
var ErrMediaTooLarge = errors.New("twilio: media larger than 16 MB")

// MediaFetcher downloads message attachments. Twilio serves them behind the
// account's basic auth; the credentials are sent only to the configured API
// host, never to any other host, redirects included.
type MediaFetcher struct {
	cfg     Config
	apiHost string
	client  *http.Client
}

// NewMediaFetcher returns a fetcher for cfg.
func NewMediaFetcher(cfg Config) *MediaFetcher {
	host := ""
	if u, err := url.Parse(cfg.APIBaseURL); err == nil {
		host = u.Host
	}
	hc := cfg.httpClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if req.URL.Host != host {
			req.Header.Del("Authorization")
		}
		return nil
	}
	return &MediaFetcher{cfg: cfg, apiHost: host, client: hc}
}

// Fetch downloads the attachment at rawURL and returns its bytes and
// content type.
func (f *MediaFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, "", fmt.Errorf("twilio: media URL %q is not http(s)", rawURL)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", err
	}
	if u.Host == f.apiHost && f.cfg.Enabled() {
		req.SetBasicAuth(f.cfg.AccountSID, f.cfg.AuthToken)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("twilio: fetch media: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("twilio: fetch media: HTTP %d", resp.StatusCode)
	}
	if resp.ContentLength > MaxMediaBytes {
		return nil, "", ErrMediaTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxMediaBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("twilio: fetch media: %w", err)
	}
	if len(data) > MaxMediaBytes {
		return nil, "", ErrMediaTooLarge
	}
	return data, resp.Header.Get("Content-Type"), nil
}
