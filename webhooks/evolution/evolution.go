// Package evolution is the Evolution API channel: a self-hosted WhatsApp
// gateway (Baileys underneath) that, unlike Twilio, can take part in
// WhatsApp groups. It holds the inbound webhook (a Gin handler for
// messages.upsert events), the sender (POST /message/sendText/{instance})
// and the media fetcher (POST /chat/getBase64FromMediaMessage/{instance}).
//
// # Addresses and thread ids
//
// Evolution names chats by JID. Thread ids come from thread.Normalize:
//
//	15551234567@s.whatsapp.net → whatsapp:+15551234567            (a person)
//	120363012345678901@g.us    → whatsapp:120363012345678901@g.us (a group)
//
// A person therefore has the same thread on Evolution as on Twilio. The
// inbound message's From is the JID to reply to (the group's JID for a
// group), To is the instance, and Sender is the group member who spoke, as
// a thread id ("whatsapp:+15551234567").
//
// # Authentication
//
// Inbound requests must carry EVOLUTION_API_KEY, either in the apikey
// header (set it in the instance's webhook headers) or in the body's
// apikey field, where stock Evolution puts the instance token when
// AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES is true. For the body form,
// EVOLUTION_API_KEY must be the instance's token, not the global key.
// Outbound calls send EVOLUTION_API_KEY as the apikey header.
//
// # Media
//
// Webhooks carry no downloadable media (leave webhook_base64 off: such
// bodies exceed webhooks.MaxBodyBytes). A voice note or image is stored as
// the URL evolution://<instance>/<message id> (see MediaURL), which the
// MediaFetcher resolves by asking Evolution for the message's media in
// base64; Evolution finds the message in its own database, so its
// DATABASE_SAVE_DATA_NEW_MESSAGE must stay on.
package evolution

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/thread"
)

// Channel is the name inbound messages and outbound replies carry.
const Channel = "evolution"

// MaxMessageLength is the longest text sent in one message, in UTF-16
// units; longer replies are split (webhooks.Split). WhatsApp itself takes
// far longer texts through Evolution, but 4,096 is the limit of WhatsApp's
// official Business API and about what reads well on a phone.
const MaxMessageLength = 4096

// DefaultTimeout bounds each API call and media download when
// Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Config configures the channel. With nothing set the channel is off.
type Config struct {
	// URL is the Evolution server's base URL, without a trailing slash
	// (EVOLUTION_URL).
	URL string
	// APIKey authenticates inbound webhooks and is sent as the apikey
	// header on our calls (EVOLUTION_API_KEY).
	APIKey string
	// Instance is the Evolution instance (WhatsApp number) we speak for
	// (EVOLUTION_INSTANCE).
	Instance string
	// Timeout bounds each API call and media download (DefaultTimeout
	// when zero).
	Timeout time.Duration
}

// Enabled reports whether the channel is configured.
func (c Config) Enabled() bool { return c.URL != "" && c.APIKey != "" && c.Instance != "" }

// endpoint returns the URL of an instance-scoped API route, e.g.
// "message/sendText".
func (c Config) endpoint(route string) string {
	return c.URL + "/" + route + "/" + url.PathEscape(c.Instance)
}

// httpClient returns a client with the configured timeout that never
// follows redirects: the apikey header would follow them to any host.
func (c Config) httpClient() *http.Client {
	t := c.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	return &http.Client{
		Timeout:       t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// MatchChats returns a matcher for a list of conversations such as
// GYM_CHATS: group JIDs ("120363012345678901@g.us") or thread ids
// ("whatsapp:+15551234567", "+1 555 123 4567"). Entries and the threads
// matched against them are compared after thread.Normalize, so any
// spelling of the same conversation matches. Blank entries are skipped;
// entries that are not addresses make an error naming them, and the
// matcher still matches the valid ones. The flows runner's IsGym takes the
// matcher.
func MatchChats(list []string) (func(thread string) bool, error) {
	set := make(map[string]bool, len(list))
	var errs []error
	for _, raw := range list {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		id, err := thread.Normalize(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("chat %q: %w", raw, err))
			continue
		}
		set[id] = true
	}
	match := func(th string) bool {
		if set[th] {
			return true
		}
		id, err := thread.Normalize(th)
		return err == nil && set[id]
	}
	return match, errors.Join(errs...)
}
