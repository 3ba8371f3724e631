package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/switchboardhq/switchboard/webhooks"
)

// MaxMediaBytes caps a downloaded attachment.
const MaxMediaBytes = 16 << 20

// ErrMediaTooLarge is returned for an attachment over MaxMediaBytes.
var ErrMediaTooLarge = errors.New("twilio: media larger than 16 MB")

// ErrForeignMedia is returned for a media URL outside Twilio's API host.
// Twilio's media always lives there; any other URL in a webhook is forged
// (or sent with signatures off), and fetching it would let the sender make
// the server request internal addresses.
var ErrForeignMedia = errors.New("twilio: media URL is not on Twilio's API host")

// MediaFetcher downloads message attachments. It fetches only URLs on the
// configured API host and scheme (https, unless TWILIO_API_BASE_URL names a
// local fake over http), and sends the account's basic auth only there;
// Twilio's redirects to its storage are followed without credentials, and
// never from https down to http.
type MediaFetcher struct {
	cfg       Config
	apiHost   string
	apiScheme string
	client    *http.Client
}

// NewMediaFetcher returns a fetcher for cfg.
func NewMediaFetcher(cfg Config) *MediaFetcher {
	host, scheme := "", ""
	if u, err := url.Parse(cfg.APIBaseURL); err == nil {
		host, scheme = u.Host, u.Scheme
	}
	hc := cfg.httpClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		if scheme == "https" && req.URL.Scheme != "https" {
			return errors.New("redirect from https to " + req.URL.Scheme)
		}
		if req.URL.Host != host {
			req.Header.Del("Authorization")
		}
		return nil
	}
	return &MediaFetcher{cfg: cfg, apiHost: host, apiScheme: scheme, client: hc}
}

// Fetch downloads the attachment at rawURL and returns its bytes and
// content type.
func (f *MediaFetcher) Fetch(ctx context.Context, rawURL string) ([]byte, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.Host != f.apiHost || u.Scheme != f.apiScheme || u.User != nil {
		return nil, "", fmt.Errorf("%w: %q", ErrForeignMedia, webhooks.Bound(rawURL))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, "", err
	}
	if f.cfg.Enabled() {
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
