package evolutiontest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
)

// TestBody checks the envelope and data against the fields Evolution's
// webhook controller and prepareMessage write.
func TestBody(t *testing.T) {
	body := evolutiontest.Body("messages.upsert", "gym-bot", "KEY",
		evolutiontest.GroupVoiceNote("120363012345678901@g.us", "15551234567@s.whatsapp.net", "Ana", "ID1"))
	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"event", "instance", "data", "destination", "date_time", "sender", "server_url", "apikey"} {
		if _, ok := got[k]; !ok {
			t.Errorf("envelope lacks %q", k)
		}
	}
	data := got["data"].(map[string]any)
	key := data["key"].(map[string]any)
	audio := data["message"].(map[string]any)["audioMessage"].(map[string]any)
	if key["remoteJid"] != "120363012345678901@g.us" || key["participant"] != "15551234567@s.whatsapp.net" ||
		key["fromMe"] != false || key["id"] != "ID1" || audio["ptt"] != true || data["messageType"] != "audioMessage" {
		t.Fatalf("data = %v", data)
	}
	if b := evolutiontest.Body("messages.upsert", "gym-bot", "", nil); !bytes.Contains(b, []byte(`"apikey":null`)) {
		t.Fatalf("unexposed key: %s", b)
	}
}

func TestServerRefusals(t *testing.T) {
	fake := evolutiontest.NewServer(t, "gym-bot", "KEY")
	tests := []struct {
		name, path, key, body string
		code                  int
	}{
		{"wrong key", "/message/sendText/gym-bot", "nope", `{"number":"1555","text":"x"}`, 401},
		{"unknown instance", "/message/sendText/other", "KEY", `{"number":"1555","text":"x"}`, 404},
		{"missing text", "/message/sendText/gym-bot", "KEY", `{"number":"1555"}`, 400},
		{"unknown media", "/chat/getBase64FromMediaMessage/gym-bot", "KEY", `{"message":{"key":{"id":"X"}}}`, 400},
		{"sent", "/message/sendText/gym-bot", "KEY", `{"number":"1555","text":"x"}`, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, fake.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("apikey", tc.key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var out map[string]any
			json.NewDecoder(resp.Body).Decode(&out)
			if resp.StatusCode != tc.code {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tc.code, out)
			}
			if tc.code >= 400 && out["response"] == nil {
				t.Fatalf("error body %v lacks response.message", out)
			}
		})
	}
	if n := len(fake.Messages()); n != 1 {
		t.Fatalf("%d messages recorded, want 1", n)
	}
}
