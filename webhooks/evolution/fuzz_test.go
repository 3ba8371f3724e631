package evolution_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
)

// FuzzWebhook posts arbitrary JSON bodies (with the right key, so parsing
// is reached) to the webhook: it never panics, never answers 5xx (the
// inbox does not fail here), and stores nothing from a refused request.
func FuzzWebhook(f *testing.F) {
	f.Add(evolutiontest.Body("messages.upsert", instance, apiKey, evolutiontest.GroupText(group, member, "Ana", "A1", "legs 45 min")))
	f.Add(evolutiontest.Body("messages.upsert", instance, apiKey, []any{evolutiontest.GroupText(group, member, "Ana", "A2", "one")}))
	f.Add([]byte(`{"event":"MESSAGES_UPSERT","instance":"gym-bot","apikey":"` + apiKey + `","data":{"key":{"remoteJid":"x@g.us"},"message":{"ephemeralMessage":{"message":{"viewOnceMessage":{}}}}}}`))
	f.Add([]byte(`{"event":"messages.upsert","instance":"gym-bot","apikey":"` + apiKey + `","data":[null,1,"x",{}]}`))
	f.Add([]byte(`{"data":`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := newEnv(t, cfg)
		rec := e.post("/webhooks/evolution", body, apiKey)
		if rec.Code >= 500 {
			t.Fatalf("%d %q", rec.Code, rec.Body.String())
		}
		if rec.Code != 200 && len(e.inbox.stored()) != 0 {
			t.Fatalf("refused (%d) but stored", rec.Code)
		}
	})
}
