package evolution_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
)

const (
	apiKey   = "B6D711FCDE4D4FD5936544120E713976"
	instance = "gym-bot"
	group    = "120363012345678901@g.us"
	member   = "15551234567@s.whatsapp.net"
	person   = "447700900123@s.whatsapp.net"
)

// memInbox accepts each provider id once.
type memInbox struct {
	mu   sync.Mutex
	msgs []store.Inbound
	fail error
}

func (m *memInbox) Accept(ctx context.Context, msg store.Inbound) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	for _, x := range m.msgs {
		if x.Channel == msg.Channel && x.ProviderID == msg.ProviderID {
			return false, nil
		}
	}
	m.msgs = append(m.msgs, msg)
	return true, nil
}

func (m *memInbox) stored() []store.Inbound {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.Inbound(nil), m.msgs...)
}

type env struct {
	router  *http.ServeMux
	inbox   *memInbox
	logs    *bytes.Buffer
	results *[]string
}

func newEnv(t *testing.T, cfg evolution.Config) env {
	t.Helper()
	r := http.NewServeMux()
	inbox := &memInbox{}
	var logs bytes.Buffer
	w := evolution.NewWebhook(cfg, inbox, slog.New(slog.NewTextHandler(&logs, nil)))
	var results []string
	w.OnResult = func(route, result string) { results = append(results, route+":"+result) }
	w.Register(r)
	return env{router: r, inbox: inbox, logs: &logs, results: &results}
}

func (e env) post(path string, body []byte, header string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if header != "" {
		req.Header.Set("apikey", header)
	}
	rec := httptest.NewRecorder()
	e.router.ServeHTTP(rec, req)
	return rec
}

var cfg = evolution.Config{URL: "http://evolution.invalid", APIKey: apiKey, Instance: instance}

func TestWebhookRequests(t *testing.T) {
	text := evolutiontest.GroupText(group, member, "Ana", "3A0F1C2D3E4F5A6B7C8D", "bench 3x5 @ 80kg")
	tests := []struct {
		name   string
		path   string
		body   []byte
		header string
		code   int
		reason string // in the response body
		stored int
		result string
	}{
		{"key in header", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, "", text), apiKey, 200, "accepted", 1, "inbound:accepted"},
		{"key in body", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, text), "", 200, "accepted", 1, "inbound:accepted"},
		{"wrong header, right body", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, text), "nope", 200, "accepted", 1, "inbound:accepted"},
		{"by-events URL", "/webhooks/evolution/messages-upsert", evolutiontest.Body("messages.upsert", instance, apiKey, text), "", 200, "accepted", 1, "inbound:accepted"},
		{"upper-case event", "/webhooks/evolution", evolutiontest.Body("MESSAGES_UPSERT", instance, apiKey, text), "", 200, "accepted", 1, "inbound:accepted"},
		{"wrong key", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, "guess", text), "guess", 403, "apikey", 0, "inbound:forbidden"},
		{"missing key", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, "", text), "", 403, "apikey", 0, "inbound:forbidden"},
		{"key prefix", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey[:10], text), "", 403, "apikey", 0, "inbound:forbidden"},
		{"from me", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.Upsert(evolutiontest.Key{RemoteJid: group, ID: "ME1", FromMe: true}, "Bot", "conversation",
				map[string]any{"conversation": "our own reply"}, time.Now())), "", 200, "ignored", 0, "inbound:ignored_from_me"},
		{"other event", "/webhooks/evolution", evolutiontest.Body("connection.update", instance, apiKey,
			map[string]any{"instance": instance, "state": "open", "statusReason": 200}), "", 200, "ignored", 0, "inbound:ignored_event"},
		{"messages.update", "/webhooks/evolution", evolutiontest.Body("messages.update", instance, apiKey,
			map[string]any{"keyId": "X", "status": "READ"}), "", 200, "ignored", 0, "inbound:ignored_event"},
		{"other instance", "/webhooks/evolution", evolutiontest.Body("messages.upsert", "someone-else", apiKey, text), "", 200, "ignored", 0, "inbound:ignored_instance"},
		{"status broadcast", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.Upsert(evolutiontest.Key{RemoteJid: "status@broadcast", ID: "S1", Participant: member}, "Ana", "conversation",
				map[string]any{"conversation": "my status"}, time.Now())), "", 200, "ignored", 0, "inbound:ignored_chat"},
		{"reaction", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.Upsert(evolutiontest.Key{RemoteJid: group, ID: "R1", Participant: member}, "Ana", "reactionMessage",
				map[string]any{"reactionMessage": map[string]any{"text": "👍", "key": map[string]any{"id": "X"}}}, time.Now())), "", 200, "ignored", 0, "inbound:ignored_empty"},
		{"bad JSON", "/webhooks/evolution", []byte(`{"event":"messages.upsert",`), apiKey, 400, "JSON", 0, "inbound:bad_request"},
		{"bad JSON, no key", "/webhooks/evolution", []byte(`not json`), "", 400, "JSON", 0, "inbound:bad_request"},
		{"no data", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, nil), "", 400, "data", 0, "inbound:bad_request"},
		{"no key.id", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.GroupText(group, member, "Ana", "", "hi")), "", 400, "key.id", 0, "inbound:bad_request"},
		{"junk remoteJid", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.DirectText("call-me@s.whatsapp.net", "Ana", "J1", "hi")), "", 400, "remoteJid", 0, "inbound:bad_request"},
		{"oversized", "/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey,
			evolutiontest.DirectText(person, "Ana", "BIG", strings.Repeat("a", 70<<10))), "", 413, "larger than", 0, "inbound:too_large"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, cfg)
			rec := e.post(tc.path, tc.body, tc.header)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.reason) {
				t.Fatalf("got %d %q, want %d mentioning %q", rec.Code, rec.Body.String(), tc.code, tc.reason)
			}
			if n := len(e.inbox.stored()); n != tc.stored {
				t.Fatalf("stored %d messages, want %d", n, tc.stored)
			}
			if got := strings.Join(*e.results, " "); got != tc.result {
				t.Fatalf("results = %q, want %q", got, tc.result)
			}
			if strings.Contains(e.logs.String(), apiKey) || strings.Contains(e.logs.String(), "bench") {
				t.Fatalf("logs leak the key or the body:\n%s", e.logs.String())
			}
		})
	}
}

func TestWebhookWithoutKeyRefusesAll(t *testing.T) {
	e := newEnv(t, evolution.Config{Instance: instance})
	body := evolutiontest.Body("messages.upsert", instance, "", evolutiontest.DirectText(person, "Ana", "K1", "hi"))
	// Even an empty header and an empty body key must not match an unset key.
	if rec := e.post("/webhooks/evolution", body, ""); rec.Code != 403 {
		t.Fatalf("unset key: %d, want 403", rec.Code)
	}
	if !strings.Contains(e.logs.String(), "EVOLUTION_API_KEY is not set") {
		t.Fatalf("log does not say why:\n%s", e.logs.String())
	}
}

func TestWebhookParsing(t *testing.T) {
	now := time.Now()
	at := now.Add(-90 * time.Second).Truncate(time.Second)
	tests := []struct {
		name string
		data map[string]any
		want store.Inbound
	}{
		{"group text", evolutiontest.GroupText(group, member, "Ana", "G1", "squat 5x5 100kg"), store.Inbound{
			Thread: "whatsapp:120363012345678901@g.us", From: group, Sender: "whatsapp:+15551234567",
			ProfileName: "Ana", Body: "squat 5x5 100kg"}},
		{"group extended text", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: group, ID: "G2", Participant: member}, "Ana",
			"extendedTextMessage", map[string]any{"extendedTextMessage": map[string]any{"text": "see https://example.com"}}, at), store.Inbound{
			Thread: "whatsapp:120363012345678901@g.us", From: group, Sender: "whatsapp:+15551234567",
			ProfileName: "Ana", Body: "see https://example.com", ReceivedAt: at}},
		{"group voice note", evolutiontest.GroupVoiceNote(group, member, "Ana", "G3"), store.Inbound{
			Thread: "whatsapp:120363012345678901@g.us", From: group, Sender: "whatsapp:+15551234567", ProfileName: "Ana",
			Media: []store.Media{{URL: "evolution://gym-bot/G3", ContentType: "audio/ogg; codecs=opus"}}}},
		{"group image with caption", evolutiontest.GroupImage(group, member, "Ana", "G4", "my form?"), store.Inbound{
			Thread: "whatsapp:120363012345678901@g.us", From: group, Sender: "whatsapp:+15551234567", ProfileName: "Ana",
			Body: "my form?", Media: []store.Media{{URL: "evolution://gym-bot/G4", ContentType: "image/jpeg"}}}},
		{"group video", evolutiontest.Video(group, member, "Ana", "G5", ""), store.Inbound{
			Thread: "whatsapp:120363012345678901@g.us", From: group, Sender: "whatsapp:+15551234567", ProfileName: "Ana",
			Media: []store.Media{{URL: "evolution://gym-bot/G5", ContentType: "video/mp4"}}}},
		{"document with caption", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: person, ID: "D1"}, "Ben", "documentWithCaptionMessage",
			map[string]any{"documentWithCaptionMessage": map[string]any{"message": map[string]any{
				"documentMessage": map[string]any{"mimetype": "application/pdf", "caption": "my plan", "fileName": "plan.pdf"}}}}, at), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", Body: "my plan", ReceivedAt: at,
			Media: []store.Media{{URL: "evolution://gym-bot/D1", ContentType: "application/pdf"}}}},
		{"sticker", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: person, ID: "S1"}, "Ben", "stickerMessage",
			map[string]any{"stickerMessage": map[string]any{"url": "https://mmg.whatsapp.net/x", "isAnimated": false}}, at), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", ReceivedAt: at,
			Media: []store.Media{{URL: "evolution://gym-bot/S1", ContentType: "image/webp"}}}},
		{"ephemeral text", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: person, ID: "E1"}, "Ben", "ephemeralMessage",
			map[string]any{"ephemeralMessage": map[string]any{"message": map[string]any{
				"extendedTextMessage": map[string]any{"text": "disappearing"}}}}, at), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", Body: "disappearing", ReceivedAt: at}},
		{"direct message", evolutiontest.DirectText(person, "Ben", "P1", "hello"), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", Body: "hello"}},
		{"direct message by linked id", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: "175105850253361@lid", ID: "L1"}, "Ben",
			"conversation", map[string]any{"conversation": "hi"}, at), store.Inbound{
			Thread: "whatsapp:175105850253361@lid", From: "175105850253361@lid", ProfileName: "Ben", Body: "hi", ReceivedAt: at}},
		{"future timestamp", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: person, ID: "T1"}, "Ben", "conversation",
			map[string]any{"conversation": "hi"}, now.Add(time.Hour)), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", Body: "hi"}},
		{"ancient timestamp", evolutiontest.Upsert(evolutiontest.Key{RemoteJid: person, ID: "T2"}, "Ben", "conversation",
			map[string]any{"conversation": "hi"}, time.Unix(1, 0)), store.Inbound{
			Thread: "whatsapp:+447700900123", From: person, ProfileName: "Ben", Body: "hi"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, cfg)
			before := time.Now()
			rec := e.post("/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, tc.data), "")
			if rec.Code != 200 {
				t.Fatalf("got %d %q", rec.Code, rec.Body.String())
			}
			got := e.inbox.stored()
			if len(got) != 1 {
				t.Fatalf("stored %d messages", len(got))
			}
			m := got[0]
			key := tc.data["key"].(map[string]any)
			want := tc.want
			want.Channel, want.ProviderID, want.To = "evolution", key["id"].(string), instance
			if want.ReceivedAt.IsZero() {
				// Built now, or with a timestamp that is not sane: dated
				// on arrival.
				if m.ReceivedAt.Before(before.Add(-time.Second)) || m.ReceivedAt.After(time.Now()) {
					t.Fatalf("ReceivedAt = %v, want about now", m.ReceivedAt)
				}
				want.ReceivedAt = m.ReceivedAt
			}
			if !m.ReceivedAt.Equal(want.ReceivedAt) {
				t.Fatalf("ReceivedAt = %v, want %v", m.ReceivedAt, want.ReceivedAt)
			}
			m.ReceivedAt, want.ReceivedAt = time.Time{}, time.Time{}
			if !equalInbound(m, want) {
				t.Fatalf("stored\n%+v\nwant\n%+v", m, want)
			}
		})
	}
}

func equalInbound(a, b store.Inbound) bool {
	if len(a.Media) != len(b.Media) {
		return false
	}
	for i := range a.Media {
		if a.Media[i] != b.Media[i] {
			return false
		}
	}
	a.Media, b.Media = nil, nil
	return a.ID == b.ID && a.Channel == b.Channel && a.ProviderID == b.ProviderID && a.Thread == b.Thread &&
		a.From == b.From && a.To == b.To && a.Sender == b.Sender && a.ProfileName == b.ProfileName &&
		a.Body == b.Body && a.ReceivedAt.Equal(b.ReceivedAt)
}

func TestWebhookLinkedIDs(t *testing.T) {
	// WhatsApp's linked ids: Evolution adds the phone-number JIDs as
	// remoteJidAlt and participantAlt.
	data := evolutiontest.Upsert(evolutiontest.Key{RemoteJid: "175105850253361@lid", ID: "L2"}, "Ben", "conversation",
		map[string]any{"conversation": "hi"}, time.Now())
	data["key"].(map[string]any)["remoteJidAlt"] = person
	g := evolutiontest.GroupText(group, "175105850253362@lid", "Ana", "L3", "hey")
	g["key"].(map[string]any)["participantAlt"] = member
	e := newEnv(t, cfg)
	for _, d := range []map[string]any{data, g} {
		if rec := e.post("/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, d), ""); rec.Code != 200 {
			t.Fatalf("got %d %q", rec.Code, rec.Body.String())
		}
	}
	got := e.inbox.stored()
	if len(got) != 2 || got[0].Thread != "whatsapp:+447700900123" || got[0].From != "175105850253361@lid" ||
		got[1].Sender != "whatsapp:+15551234567" || got[1].Thread != "whatsapp:120363012345678901@g.us" {
		t.Fatalf("stored %+v", got)
	}
}

func TestWebhookDuplicateAndStoreFailure(t *testing.T) {
	e := newEnv(t, cfg)
	body := evolutiontest.Body("messages.upsert", instance, apiKey, evolutiontest.GroupText(group, member, "Ana", "DUP1", "hi"))
	for i := 0; i < 2; i++ {
		if rec := e.post("/webhooks/evolution", body, ""); rec.Code != 200 {
			t.Fatalf("delivery %d: %d", i, rec.Code)
		}
	}
	if n := len(e.inbox.stored()); n != 1 {
		t.Fatalf("stored %d, want 1", n)
	}
	if got := strings.Join(*e.results, " "); got != "inbound:accepted inbound:duplicate" {
		t.Fatalf("results = %s", got)
	}
	if strings.Contains(e.logs.String(), "5551234567") {
		t.Fatalf("logs leak a number:\n%s", e.logs.String())
	}
	e.inbox.fail = errors.New("disk full")
	body = evolutiontest.Body("messages.upsert", instance, apiKey, evolutiontest.GroupText(group, member, "Ana", "DUP2", "hi"))
	if rec := e.post("/webhooks/evolution", body, ""); rec.Code != 500 {
		t.Fatalf("store failure = %d, want 500 so the delivery can be retried", rec.Code)
	}
}

func TestWebhookDataList(t *testing.T) {
	e := newEnv(t, cfg)
	list := []any{
		evolutiontest.GroupText(group, member, "Ana", "A1", "one"),
		evolutiontest.Upsert(evolutiontest.Key{RemoteJid: group, ID: "A2", FromMe: true}, "Bot", "conversation",
			map[string]any{"conversation": "ours"}, time.Now()),
		evolutiontest.GroupText(group, member, "Ana", "A3", "three"),
	}
	rec := e.post("/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, list), "")
	if rec.Code != 200 || len(e.inbox.stored()) != 2 {
		t.Fatalf("got %d %q, %d stored", rec.Code, rec.Body.String(), len(e.inbox.stored()))
	}
	if !strings.Contains(rec.Body.String(), `"results":["accepted","ignored","accepted"]`) {
		t.Fatalf("body = %s", rec.Body.String())
	}
}

func TestWebhookDataListIsBounded(t *testing.T) {
	e := newEnv(t, cfg)
	var list []any
	for i := range 100 { // within the 64 KB body limit
		list = append(list, evolutiontest.GroupText(group, member, "Ana", fmt.Sprint("B", i), "hi"))
	}
	rec := e.post("/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, list), "")
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "at most 20") || len(e.inbox.stored()) != 0 {
		t.Fatalf("got %d %q, %d stored", rec.Code, rec.Body.String(), len(e.inbox.stored()))
	}
	rec = e.post("/webhooks/evolution", evolutiontest.Body("messages.upsert", instance, apiKey, list[:evolution.MaxMessagesPerRequest]), "")
	if rec.Code != 200 || len(e.inbox.stored()) != evolution.MaxMessagesPerRequest {
		t.Fatalf("a list at the limit: %d %q", rec.Code, rec.Body.String())
	}
}
