// Package meta is the WhatsApp Cloud API channel (Meta's Graph API): the
// webhook (the GET verification handshake and the signed POST of messages
// and delivery statuses), the sender (text, templates, voice notes,
// mark-as-read) and the media fetcher, all on net/http.
//
// Guarantees:
//   - a POST is authenticated before it is parsed: X-Hub-Signature-256 is an
//     HMAC-SHA256 of the raw body under the app secret, compared in constant
//     time; anything else is 403;
//   - every message of a POST (several entries, changes and messages) is
//     stored through the Inbox, unique on its wamid, before the webhook
//     answers 200; a store failure answers 500 so Meta redelivers, and the
//     redelivery stores nothing twice;
//   - statuses are recorded, never start a run;
//   - the access token is sent only to the configured Graph API host and to
//     Meta's documented media host over HTTPS, redirects included.
package meta

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Channel is the name inbound messages and outbound replies carry.
const Channel = "meta"

// Defaults for the Graph API.
const (
	DefaultGraphURL     = "https://graph.facebook.com"
	DefaultGraphVersion = "v23.0"
)

// MediaHost is where the Graph API's media URLs point (Meta's CDN for
// WhatsApp media); the access token goes there over HTTPS only.
const MediaHost = "lookaside.fbsbx.com"

// Config configures the channel. The sender needs AccessToken and
// PhoneNumberID; the webhook needs AppSecret (POST) and VerifyToken (GET).
type Config struct {
	// AccessToken authenticates replies and media downloads
	// (META_ACCESS_TOKEN).
	AccessToken string
	// PhoneNumberID is the business number's id; replies are sent from it,
	// and webhook messages addressed to another number are ignored
	// (META_PHONE_NUMBER_ID).
	PhoneNumberID string
	// AppSecret signs webhook POSTs (META_APP_SECRET).
	AppSecret string
	// VerifyToken is the token of the GET handshake (META_VERIFY_TOKEN).
	VerifyToken string
	// GraphURL is the Graph API base URL (META_GRAPH_URL); tests point it
	// at a fake. Default DefaultGraphURL.
	GraphURL string
	// GraphVersion is the API version path segment, "v23.0"
	// (META_GRAPH_VERSION). Default DefaultGraphVersion.
	GraphVersion string
	// Timeout bounds each Graph API call and media download (default 15s).
	Timeout time.Duration
}

// Enabled reports whether replies can be sent: a token and a number id.
func (c Config) Enabled() bool { return c.AccessToken != "" && c.PhoneNumberID != "" }

// WithDefaults returns c with unset fields at their defaults and the Graph
// URL without a trailing slash.
func (c Config) WithDefaults() Config {
	c.GraphURL = strings.TrimRight(strings.TrimSpace(c.GraphURL), "/")
	if c.GraphURL == "" {
		c.GraphURL = DefaultGraphURL
	}
	if c.GraphVersion == "" {
		c.GraphVersion = DefaultGraphVersion
	}
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	return c
}

// Validate checks c; each error names its variable.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	if u, err := url.Parse(c.GraphURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("META_GRAPH_URL=%q: want an absolute http(s) URL", c.GraphURL))
	}
	if !validVersion(c.GraphVersion) {
		errs = append(errs, fmt.Errorf("META_GRAPH_VERSION=%q: want a version such as v23.0", c.GraphVersion))
	}
	if (c.AccessToken == "") != (c.PhoneNumberID == "") {
		errs = append(errs, errors.New("META_ACCESS_TOKEN and META_PHONE_NUMBER_ID must be set together"))
	}
	if c.PhoneNumberID != "" && !digits(c.PhoneNumberID) {
		errs = append(errs, fmt.Errorf("META_PHONE_NUMBER_ID=%q: want the number's id (digits), not the phone number", c.PhoneNumberID))
	}
	if c.Enabled() && c.AppSecret == "" {
		errs = append(errs, errors.New("META_APP_SECRET: required with META_ACCESS_TOKEN, to verify webhook signatures"))
	}
	if c.Enabled() && c.VerifyToken == "" {
		errs = append(errs, errors.New("META_VERIFY_TOKEN: required with META_ACCESS_TOKEN, for the webhook handshake"))
	}
	return errors.Join(errs...)
}

// validVersion accepts "v" followed by digits and at most one dot.
func validVersion(v string) bool {
	major, minor, dot := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	return strings.HasPrefix(v, "v") && digits(major) && (!dot || digits(minor))
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// versionAtLeast reports whether v ("v23.0") is at least major.
func versionAtLeast(v string, major int) bool {
	m, _, _ := strings.Cut(strings.TrimPrefix(v, "v"), ".")
	n := 0
	for _, r := range m {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
		if n > 1000 {
			break
		}
	}
	return n >= major
}

func (c Config) httpClient() *http.Client {
	return &http.Client{Timeout: c.WithDefaults().Timeout}
}

// endpoint is {graph}/{version}/{path}.
func (c Config) endpoint(path string) string {
	c = c.WithDefaults()
	return c.GraphURL + "/" + c.GraphVersion + "/" + path
}
