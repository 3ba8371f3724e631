package config_test

import (
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/config"
)

func TestMoreChannels(t *testing.T) {
	meta := map[string]string{
		"META_ACCESS_TOKEN": "EAAG", "META_PHONE_NUMBER_ID": "106540352242922",
		"META_APP_SECRET": "s", "META_VERIFY_TOKEN": "v",
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	cases := []struct {
		name  string
		env   map[string]string
		want  string // an error containing this, or "" for none
		check func(t *testing.T, c config.Channels)
	}{
		{name: "all off", env: map[string]string{}, check: func(t *testing.T, c config.Channels) {
			if c.Meta.Enabled() || c.JSON.Enabled() || c.Voice.Replies != "off" || !c.Voice.Text {
				t.Fatalf("%+v", c)
			}
			if c.Meta.GraphURL != "https://graph.facebook.com" || c.Meta.GraphVersion == "" {
				t.Fatalf("graph defaults %q %q", c.Meta.GraphURL, c.Meta.GraphVersion)
			}
		}},
		{name: "meta on", env: with(meta, "META_GRAPH_URL", "http://127.0.0.1:9999/", "META_GRAPH_VERSION", "v21.0"),
			check: func(t *testing.T, c config.Channels) {
				if !c.Meta.Enabled() || c.Meta.GraphURL != "http://127.0.0.1:9999" || c.Meta.GraphVersion != "v21.0" {
					t.Fatalf("%+v", c.Meta)
				}
			}},
		{name: "meta without app secret", env: with(meta, "META_APP_SECRET", ""), want: "META_APP_SECRET"},
		{name: "meta bad version", env: with(meta, "META_GRAPH_VERSION", "latest"), want: "META_GRAPH_VERSION"},
		{name: "short webhook token", env: map[string]string{"WEBHOOK_TOKEN": "abc"}, want: "WEBHOOK_TOKEN"},
		{name: "reply URL without token", env: map[string]string{"JSON_REPLY_URL": "https://crm.example/hook"}, want: "JSON_REPLY_URL"},
		{name: "json on", env: map[string]string{"WEBHOOK_TOKEN": strings.Repeat("k", 32), "JSON_REPLY_URL": "https://crm.example/hook"},
			check: func(t *testing.T, c config.Channels) {
				if !c.JSON.Enabled() || c.JSON.ReplyURL != "https://crm.example/hook" {
					t.Fatalf("%+v", c.JSON)
				}
			}},
		{name: "voice mirror", env: map[string]string{"VOICE_REPLIES": "Mirror", "VOICE_REPLIES_TEXT": "false", "TTS_VOICE": "nova"},
			check: func(t *testing.T, c config.Channels) {
				if c.Voice.Replies != config.VoiceMirror || c.Voice.Text || c.Voice.Voice != "nova" {
					t.Fatalf("%+v", c)
				}
			}},
		{name: "voice bad mode", env: map[string]string{"VOICE_REPLIES": "sometimes"}, want: "VOICE_REPLIES"},
		{name: "TTS base URL", env: map[string]string{"TTS_BASE_URL": "localhost:8000"}, want: "TTS_BASE_URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := config.Load(func(k string) string { return c.env[k] })
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("err %v, want one naming %s", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg.Channels)
		})
	}
}
