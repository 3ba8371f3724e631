package metatest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

func call(t *testing.T, s *metatest.Server, token, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// The fake refuses what the Graph API refuses, in its error format.
func TestFakeRefuses(t *testing.T) {
	s := metatest.NewServer(t, "tok", "123", "v23.0")
	cases := []struct {
		name, token, path, body string
		status, code            int
	}{
		{"wrong token", "nope", "/v23.0/123/messages", `{"messaging_product":"whatsapp","to":"1555","type":"text","text":{"body":"x"}}`, 401, 190},
		{"another version", "tok", "/v19.0/123/messages", `{}`, 400, 2500},
		{"another number", "tok", "/v23.0/999/messages", `{}`, 400, 100},
		{"no messaging_product", "tok", "/v23.0/123/messages", `{"to":"1555","type":"text","text":{"body":"x"}}`, 400, 100},
		{"a + in to", "tok", "/v23.0/123/messages", `{"messaging_product":"whatsapp","to":"+1555","type":"text","text":{"body":"x"}}`, 400, 100},
		{"text over 4096", "tok", "/v23.0/123/messages", `{"messaging_product":"whatsapp","to":"1555","type":"text","text":{"body":"` + strings.Repeat("a", 4097) + `"}}`, 400, 100},
		{"text without body", "tok", "/v23.0/123/messages", `{"messaging_product":"whatsapp","to":"1555","type":"text"}`, 400, 100},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := call(t, s, c.token, c.path, c.body)
			e, _ := out["error"].(map[string]any)
			if status != c.status || e == nil || int(e["code"].(float64)) != c.code {
				t.Fatalf("got %d %v, want %d with code %d", status, out, c.status, c.code)
			}
		})
	}
	if len(s.Sent()) != 0 {
		t.Fatalf("refused sends were recorded: %+v", s.Sent())
	}
}

func TestFakeAccepts(t *testing.T) {
	s := metatest.NewServer(t, "tok", "123", "v23.0")
	status, out := call(t, s, "tok", "/v23.0/123/messages", `{"messaging_product":"whatsapp","recipient_type":"individual","to":"15551234567","type":"text","text":{"body":"hi"}}`)
	msgs, _ := out["messages"].([]any)
	if status != 200 || len(msgs) != 1 {
		t.Fatalf("got %d %v", status, out)
	}
	sent := s.Sent()
	if len(sent) != 1 || sent[0].ID != msgs[0].(map[string]any)["id"] || sent[0].To != "15551234567" || sent[0].Text != "hi" {
		t.Fatalf("recorded %+v", sent)
	}
}

func TestPayloadIsSigned(t *testing.T) {
	body := metatest.NewPayload("123").Text("15551234567", "A", "wamid.1", "hi").Bytes()
	req := metatest.Request("http://bot.local/webhooks/meta", "secret", body)
	got, _ := new(bytes.Buffer).ReadFrom(req.Body)
	if got != int64(len(body)) || !meta.ValidSignature("secret", body, req.Header.Get(meta.SignatureHeader)) {
		t.Fatal("the request does not carry the body and its signature")
	}
}

func TestHold(t *testing.T) {
	s := metatest.NewServer(t, "tok", "123", "v23.0")
	release := s.Hold()
	done := make(chan int)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/v23.0/123/messages",
			strings.NewReader(`{"messaging_product":"whatsapp","to":"1555","type":"text","text":{"body":"x"}}`))
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	select {
	case <-done:
		t.Fatal("a held send was answered")
	case <-time.After(100 * time.Millisecond):
	}
	release()
	if status := <-done; status != 200 || len(s.Sent()) != 1 {
		t.Fatalf("after release: %d, %d sent", status, len(s.Sent()))
	}
}
