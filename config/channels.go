package config

import (
	"errors"
	"strings"

	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

// Channels are the channels' settings: Twilio, Evolution, the WhatsApp
// Cloud API, the JSON webhook, and voice replies.
type Channels struct {
	// Twilio is the Twilio channel (TWILIO_*); without credentials replies
	// go to the log.
	Twilio twilio.Config
	// Evolution is the Evolution API channel (EVOLUTION_*); off unless all
	// three of its variables are set.
	Evolution evolution.Config
	// Meta is the WhatsApp Cloud API channel (META_*); off unless
	// META_ACCESS_TOKEN is set.
	Meta meta.Config
	// JSON is the JSON webhook (WEBHOOK_TOKEN, JSON_REPLY_URL); off unless
	// WEBHOOK_TOKEN is set.
	JSON jsonhook.Config
	// Voice is how replies are spoken (VOICE_REPLIES, TTS_*).
	Voice Voice
}

func (p *parser) channels(publicURL string) Channels {
	return Channels{Twilio: p.twilio(publicURL), Evolution: p.evolution(), Meta: p.meta(), JSON: p.jsonhook(), Voice: p.voice()}
}

func (p *parser) twilio(publicURL string) twilio.Config {
	c := twilio.Config{
		AccountSID:    p.raw("TWILIO_ACCOUNT_SID"),
		AuthToken:     p.raw("TWILIO_AUTH_TOKEN"),
		From:          p.raw("TWILIO_WHATSAPP_FROM"),
		APIBaseURL:    p.url("TWILIO_API_BASE_URL", twilio.DefaultAPIBaseURL),
		PublicURL:     publicURL,
		SkipSignature: p.boolean("TWILIO_SKIP_SIGNATURE", false),
	}
	if (c.AccountSID == "") != (c.AuthToken == "") {
		p.errs = append(p.errs, errors.New("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set both or neither"))
	}
	if c.AccountSID != "" {
		if !alnum(c.AccountSID) || !strings.HasPrefix(c.AccountSID, "AC") {
			p.fail("TWILIO_ACCOUNT_SID", c.AccountSID, "want the account SID, AC followed by letters and digits")
		}
		// twilio-go refuses credentials with anything but letters and
		// digits, at the first call; say so at start-up instead.
		if !alnum(c.AuthToken) {
			p.errs = append(p.errs, errors.New("TWILIO_AUTH_TOKEN: want letters and digits only"))
		}
		if !strings.HasPrefix(c.From, "whatsapp:+") {
			p.fail("TWILIO_WHATSAPP_FROM", c.From, "want the sender as whatsapp:+<number>")
		}
	}
	return c
}

func alnum(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

func (p *parser) evolution() evolution.Config {
	c := evolution.Config{
		URL:      p.raw("EVOLUTION_URL"),
		APIKey:   p.raw("EVOLUTION_API_KEY"),
		Instance: p.raw("EVOLUTION_INSTANCE"),
	}
	if c.URL == "" && c.APIKey == "" && c.Instance == "" {
		return c
	}
	for _, v := range []struct{ name, value string }{
		{"EVOLUTION_URL", c.URL}, {"EVOLUTION_API_KEY", c.APIKey}, {"EVOLUTION_INSTANCE", c.Instance},
	} {
		if v.value == "" {
			p.errs = append(p.errs, errors.New(v.name+": not set; EVOLUTION_URL, EVOLUTION_API_KEY and EVOLUTION_INSTANCE go together"))
		}
	}
	if c.URL != "" {
		c.URL = p.url("EVOLUTION_URL", "")
		if strings.Contains(c.URL, "?") {
			p.fail("EVOLUTION_URL", c.URL, "want a base URL without a query")
		}
	}
	if strings.ContainsAny(c.Instance, "/?#") {
		p.fail("EVOLUTION_INSTANCE", c.Instance, "want an instance name without '/', '?' or '#'")
	}
	if strings.ContainsAny(c.APIKey, " \t\r\n") {
		p.errs = append(p.errs, errors.New("EVOLUTION_API_KEY: want no spaces or line breaks"))
	}
	return c
}
