package config

import (
	"strings"

	"github.com/switchboardhq/switchboard/webhooks/jsonhook"
	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// Voice reply modes (VOICE_REPLIES).
const (
	VoiceOff    = "off"
	VoiceMirror = "mirror"
	VoiceAlways = "always"
)

// Voice is how replies are spoken.
type Voice struct {
	// Replies is off, mirror (a voice note answers a voice note) or always
	// (VOICE_REPLIES); Text sends the text too (VOICE_REPLIES_TEXT).
	Replies string
	Text    bool
	// Model, Voice, BaseURL and APIKey configure text to speech on an
	// OpenAI-compatible /audio/speech (TTS_*); an empty base URL and key
	// mean the OpenAI settings.
	Model, Voice, BaseURL, APIKey string
}

func (p *parser) meta() meta.Config {
	c := meta.Config{
		AccessToken:   p.raw("META_ACCESS_TOKEN"),
		PhoneNumberID: p.raw("META_PHONE_NUMBER_ID"),
		AppSecret:     p.raw("META_APP_SECRET"),
		VerifyToken:   p.raw("META_VERIFY_TOKEN"),
		GraphURL:      p.raw("META_GRAPH_URL"),
		GraphVersion:  p.raw("META_GRAPH_VERSION"),
	}
	if err := c.Validate(); err != nil {
		p.errs = append(p.errs, err)
	}
	return c.WithDefaults()
}

func (p *parser) jsonhook() jsonhook.Config {
	c := jsonhook.Config{Token: p.raw("WEBHOOK_TOKEN"), ReplyURL: p.raw("JSON_REPLY_URL")}
	if err := c.Validate(); err != nil {
		p.errs = append(p.errs, err)
	}
	return c
}

func (p *parser) voice() Voice {
	v := Voice{
		Replies: p.oneOf("VOICE_REPLIES", VoiceOff, VoiceOff, VoiceMirror, VoiceAlways),
		Text:    p.boolean("VOICE_REPLIES_TEXT", true),
		Model:   p.raw("TTS_MODEL"),
		Voice:   p.raw("TTS_VOICE"),
		APIKey:  p.raw("TTS_API_KEY"),
	}
	if p.raw("TTS_BASE_URL") != "" {
		v.BaseURL = strings.TrimRight(p.url("TTS_BASE_URL", ""), "/")
	}
	return v
}
