package config_test

import (
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

const (
	twSID   = "AC00000000000000000000000000000001"
	twToken = "f00dfeedf00dfeedf00dfeedf00dfeed"
)

func envOf(kv map[string]string) config.Getenv { return func(k string) string { return kv[k] } }

func TestChannels(t *testing.T) {
	c, err := config.Load(envOf(nil))
	if err != nil || c.Channels.Twilio.Enabled() || c.Channels.Twilio.APIBaseURL != twilio.DefaultAPIBaseURL || c.Channels.Evolution.Enabled() {
		t.Fatalf("empty = %+v, %v", c.Channels, err)
	}
	c, err = config.Load(envOf(map[string]string{
		"TWILIO_ACCOUNT_SID": twSID, "TWILIO_AUTH_TOKEN": twToken, "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886", "TWILIO_SKIP_SIGNATURE": "yes",
		"EVOLUTION_URL": " http://evolution:8080/ ", "EVOLUTION_API_KEY": "k3y", "EVOLUTION_INSTANCE": "gym",
	}))
	tw, ev := c.Channels.Twilio, c.Channels.Evolution
	if err != nil || !tw.Enabled() || !tw.SkipSignature || tw.PublicURL != "http://localhost:8080" ||
		!ev.Enabled() || ev.URL != "http://evolution:8080" || ev.Instance != "gym" || ev.APIKey != "k3y" {
		t.Fatalf("valid = %+v, %v", c.Channels, err)
	}
}

// Every bad value is refused with one wording, naming its variable.
func TestErrors(t *testing.T) {
	evo := map[string]string{"EVOLUTION_URL": "http://evolution:8080", "EVOLUTION_API_KEY": "k3y", "EVOLUTION_INSTANCE": "gym"}
	with := func(base map[string]string, k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tw := map[string]string{"TWILIO_ACCOUNT_SID": twSID, "TWILIO_AUTH_TOKEN": twToken, "TWILIO_WHATSAPP_FROM": "whatsapp:+1"}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"gym tone", map[string]string{"GYM_TONE": "angry"}, `GYM_TONE="angry": want one of sarcastic, friendly`},
		{"gym enrolment", map[string]string{"GYM_ENROLMENT": "closed"}, `GYM_ENROLMENT="closed": want one of open, listed`},
		{"owners", map[string]string{"ASSISTANT_OWNERS": "+34600111222"}, `ASSISTANT_OWNERS="+34600111222": want thread ids`},
		{"boolean", map[string]string{"DATABASE_PGBOUNCER": "maybe"}, `DATABASE_PGBOUNCER="maybe": want true or false`},
		{"skip signature", map[string]string{"TWILIO_SKIP_SIGNATURE": "maybe"}, `TWILIO_SKIP_SIGNATURE="maybe": want true or false`},
		{"metrics addr", map[string]string{"METRICS_ADDR": "9090"}, `METRICS_ADDR="9090": want host:port`},
		{"metrics token", map[string]string{"METRICS_TOKEN": "short"}, `METRICS_TOKEN: want at least 16 characters`},
		{"trusted proxies", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, `TRUSTED_PROXIES="proxy.local": want comma-separated IP addresses or CIDRs`},
		{"twilio half", map[string]string{"TWILIO_ACCOUNT_SID": twSID}, "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN: set both or neither"},
		{"twilio sid", with(tw, "TWILIO_ACCOUNT_SID", "XX12"), `TWILIO_ACCOUNT_SID="XX12": want the account SID`},
		{"twilio token", with(tw, "TWILIO_AUTH_TOKEN", "to-ken"), "TWILIO_AUTH_TOKEN: want letters and digits only"},
		{"twilio from", with(tw, "TWILIO_WHATSAPP_FROM", "+14155238886"), `TWILIO_WHATSAPP_FROM="+14155238886": want the sender as whatsapp:+<number>`},
		{"twilio base URL", map[string]string{"TWILIO_API_BASE_URL": "localhost:9"}, `TWILIO_API_BASE_URL="localhost:9": want an absolute http(s) URL`},
		{"evolution no URL", with(evo, "EVOLUTION_URL", ""), "EVOLUTION_URL: not set"},
		{"evolution no key", with(evo, "EVOLUTION_API_KEY", ""), "EVOLUTION_API_KEY: not set"},
		{"evolution no instance", with(evo, "EVOLUTION_INSTANCE", ""), "EVOLUTION_INSTANCE: not set"},
		{"evolution relative URL", with(evo, "EVOLUTION_URL", "evolution:8080"), `EVOLUTION_URL="evolution:8080"`},
		{"evolution ftp URL", with(evo, "EVOLUTION_URL", "ftp://evolution"), `EVOLUTION_URL="ftp://evolution"`},
		{"evolution instance", with(evo, "EVOLUTION_INSTANCE", "a/b"), `EVOLUTION_INSTANCE="a/b"`},
		{"evolution key", with(evo, "EVOLUTION_API_KEY", "ab cd"), "EVOLUTION_API_KEY: want no spaces"},
		{"search provider", map[string]string{"SEARCH_PROVIDER": "bing"}, `SEARCH_PROVIDER="bing": want one of tavily, searxng, or unset`},
		{"calendar provider", map[string]string{"CALENDAR_PROVIDER": "outlook"}, `CALENDAR_PROVIDER="outlook": want one of local, google`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(envOf(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %s", err, tc.want)
			}
		})
	}
}
