// Package twilio is the Twilio WhatsApp channel: the signed inbound and
// status-callback webhooks (Gin handlers), the sender built on twilio-go's
// REST client, and the media fetcher.
package twilio

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAPIBaseURL is Twilio's REST API.
const DefaultAPIBaseURL = "https://api.twilio.com"

// Config configures the channel. Unset credentials turn the sender off:
// replies then go to the log (the dev outbox).
type Config struct {
	AccountSID string // TWILIO_ACCOUNT_SID
	AuthToken  string // TWILIO_AUTH_TOKEN
	// From is the WhatsApp sender, "whatsapp:+14155238886"
	// (TWILIO_WHATSAPP_FROM).
	From string
	// APIBaseURL is where REST calls and credentialed media fetches go
	// (TWILIO_API_BASE_URL); tests point it at a fake.
	APIBaseURL string
	// PublicURL is the base URL Twilio calls us at (PUBLIC_URL); signatures
	// are computed over it.
	PublicURL string
	// SkipSignature turns signature checks off, for local development only
	// (TWILIO_SKIP_SIGNATURE).
	SkipSignature bool
	// Timeout bounds each REST call and media download (default 15s):
	// twilio-go's calls take no context.
	Timeout time.Duration
}

// ConfigFromEnv reads the channel's variables. Errors name the variable.
func ConfigFromEnv(getenv func(string) string, publicURL string) (Config, error) {
	c := Config{
		AccountSID: strings.TrimSpace(getenv("TWILIO_ACCOUNT_SID")),
		AuthToken:  strings.TrimSpace(getenv("TWILIO_AUTH_TOKEN")),
		From:       strings.TrimSpace(getenv("TWILIO_WHATSAPP_FROM")),
		APIBaseURL: strings.TrimRight(strings.TrimSpace(getenv("TWILIO_API_BASE_URL")), "/"),
		PublicURL:  strings.TrimRight(publicURL, "/"),
	}
	var errs []error
	if c.APIBaseURL == "" {
		c.APIBaseURL = DefaultAPIBaseURL
	} else if u, err := url.Parse(c.APIBaseURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("TWILIO_API_BASE_URL=%q: want an absolute http(s) URL", c.APIBaseURL))
	}
	if v := strings.TrimSpace(getenv("TWILIO_SKIP_SIGNATURE")); v != "" {
		switch strings.ToLower(v) {
		case "1", "true", "yes":
			c.SkipSignature = true
		case "0", "false", "no":
		default:
			errs = append(errs, fmt.Errorf("TWILIO_SKIP_SIGNATURE=%q: want true or false", v))
		}
	}
	if (c.AccountSID == "") != (c.AuthToken == "") {
		errs = append(errs, errors.New("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set together"))
	}
	if c.AccountSID != "" {
		if !alnum(c.AccountSID) || !strings.HasPrefix(c.AccountSID, "AC") {
			errs = append(errs, errors.New("TWILIO_ACCOUNT_SID: want the account SID, AC followed by letters and digits"))
		}
		if !alnum(c.AuthToken) {
			errs = append(errs, errors.New("TWILIO_AUTH_TOKEN: want letters and digits only"))
		}
		if !strings.HasPrefix(c.From, "whatsapp:+") {
			errs = append(errs, fmt.Errorf("TWILIO_WHATSAPP_FROM=%q: want the sender as whatsapp:+<number>", c.From))
		}
	}
	return c, errors.Join(errs...)
}

// Enabled reports whether credentials are configured.
func (c Config) Enabled() bool { return c.AccountSID != "" && c.AuthToken != "" }

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

func (c Config) httpClient() *http.Client {
	t := c.Timeout
	if t <= 0 {
		t = 15 * time.Second
	}
	return &http.Client{Timeout: t}
}
