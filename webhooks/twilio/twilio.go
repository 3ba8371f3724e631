// Package twilio is the Twilio WhatsApp channel: the signed inbound and
// status-callback webhooks (net/http handlers), the sender built on twilio-go's
// REST client, and the media fetcher.
package twilio

import (
	"net/http"
	"time"
)

// DefaultAPIBaseURL is Twilio's REST API.
const DefaultAPIBaseURL = "https://api.twilio.com"

// Config configures the channel (the config package reads it from the
// environment). Unset credentials turn the sender off:
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

// Enabled reports whether credentials are configured.
func (c Config) Enabled() bool { return c.AccountSID != "" && c.AuthToken != "" }

func (c Config) httpClient() *http.Client {
	t := c.Timeout
	if t <= 0 {
		t = 15 * time.Second
	}
	return &http.Client{Timeout: t}
}
