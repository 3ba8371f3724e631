package meta_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

const (
	testNumberID = "106540352242922"
	sheena       = "whatsapp:+16505551234"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// got is the part of an inbound message the table checks.
type got struct {
	ID, Thread, From, To, Name, Body string
	Media                            []store.Media
}

func summarize(ms []store.Inbound) []got {
	var out []got
	for _, m := range ms {
		if m.Channel != meta.Channel {
			panic("channel " + m.Channel)
		}
		out = append(out, got{m.ProviderID, m.Thread, m.From, m.To, m.ProfileName, m.Body, m.Media})
	}
	return out
}

// TestParseDocumentedPayloads parses webhook bodies shaped like Meta's
// documented examples, one per message type, and a batch.
func TestParseDocumentedPayloads(t *testing.T) {
	now := time.Unix(1749416400, 0)
	cases := []struct {
		file     string
		messages []got
		statuses []meta.Status
		skipped  map[string]int
	}{
		{file: "text.json", messages: []got{{
			ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=", Thread: sheena, From: "16505551234",
			To: testNumberID, Name: "Sheena Nelson", Body: "Does it come in another color?",
		}}},
		{file: "audio.json", messages: []got{{
			ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=", Thread: sheena, From: "16505551234",
			To: testNumberID, Name: "Sheena Nelson",
			Media: []store.Media{{URL: "meta://media/1003383421387256", ContentType: "audio/ogg; codecs=opus"}},
		}}},
		{file: "image.json", messages: []got{{
			ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTNDQjQ0RDI4QjNBOUMxNEYyNgA=", Thread: sheena, From: "16505551234",
			To: testNumberID, Name: "Sheena Nelson", Body: "Is this the right size?",
			Media: []store.Media{{URL: "meta://media/1479537139650973", ContentType: "image/jpeg"}},
		}}},
		{file: "interactive.json", messages: []got{
			{ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUVCNkZBMjI5MzQ1RkY1RjFBMAA=", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson", Body: "Cancel"},
			{ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUY5RkNBRkZFNkI4NTZFMjg4RAA=", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson", Body: "Priority Mail Express"},
		}},
		{file: "reaction.json", messages: []got{
			{ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUU5QjlBRDJBNEMxQjNFQzVFNgA=", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson",
				Media: []store.Media{{ContentType: "application/x-whatsapp-reaction"}}},
			{ID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUU5QjlBRDJBNEMxQjNFQzVFNwA=", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson",
				Media: []store.Media{{ContentType: "application/x-whatsapp-unsupported"}}},
		}},
		{file: "status.json", statuses: []meta.Status{
			{MessageID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDNUQ5OEQ5RjlCNUY5RTNCQjgA", Status: "delivered"},
			{MessageID: "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0MTQ4RDJCQjAyNEM4RTNBNTgA", Status: "failed", Code: 131047,
				Reason: "Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
		}},
		{file: "batch.json",
			messages: []got{
				{ID: "wamid.BATCH1", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson", Body: "first"},
				{ID: "wamid.BATCH2", Thread: "whatsapp:+34600111222", From: "34600111222", To: testNumberID, Name: "Pablo Morales", Body: "hola"},
				{ID: "wamid.BATCH3", Thread: sheena, From: "16505551234", To: testNumberID, Name: "Sheena Nelson", Body: "third"},
			},
			statuses: []meta.Status{{MessageID: "wamid.SENT1", Status: "read"}},
			skipped:  map[string]int{"other_number": 1, "field": 1},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := meta.Parse(readTestdata(t, c.file), meta.ParseOptions{PhoneNumberID: testNumberID, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if g := summarize(b.Messages); !reflect.DeepEqual(g, c.messages) {
				t.Errorf("messages:\n got %+v\nwant %+v", g, c.messages)
			}
			if !reflect.DeepEqual(b.Statuses, c.statuses) {
				t.Errorf("statuses:\n got %+v\nwant %+v", b.Statuses, c.statuses)
			}
			if !reflect.DeepEqual(b.Skipped, c.skipped) {
				t.Errorf("skipped: got %v, want %v", b.Skipped, c.skipped)
			}
		})
	}
}

func TestParseBuilderPayloads(t *testing.T) {
	now := time.Now()
	p := metatest.NewPayload(testNumberID)
	p.Time = now.Add(-time.Minute)
	p.Text("16505551234", "Sheena", "wamid.1", "hi").
		Audio("16505551234", "Sheena", "wamid.2", "m1").
		Image("16505551234", "Sheena", "wamid.3", "m2", "look").
		ButtonReply("16505551234", "Sheena", "wamid.4", "b", "Yes").
		ListReply("16505551234", "Sheena", "wamid.5", "l", "Tuesday", "10:00").
		Reaction("16505551234", "Sheena", "wamid.6", "wamid.sent", "").
		Unsupported("16505551234", "Sheena", "wamid.7").
		Status("wamid.sent", "sent", "16505551234", 0)
	b, err := meta.Parse(p.Bytes(), meta.ParseOptions{PhoneNumberID: testNumberID, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, m := range b.Messages {
		bodies = append(bodies, m.ProviderID+"="+m.Body)
		if !m.ReceivedAt.Equal(p.Time.Truncate(time.Second)) {
			t.Errorf("%s received at %v, want the message's timestamp %v", m.ProviderID, m.ReceivedAt, p.Time)
		}
	}
	want := "wamid.1=hi wamid.2= wamid.3=look wamid.4=Yes wamid.5=Tuesday wamid.7="
	if strings.Join(bodies, " ") != want {
		t.Errorf("bodies %q, want %q", strings.Join(bodies, " "), want)
	}
	if b.Skipped["reaction_removed"] != 1 {
		t.Errorf("a removed reaction (empty emoji) must be skipped: %v", b.Skipped)
	}
	if len(b.Statuses) != 1 || b.Statuses[0].Status != store.StatusSent {
		t.Errorf("statuses %+v", b.Statuses)
	}
}

func TestParseOddMessages(t *testing.T) {
	now := time.Unix(1749416400, 0)
	cases := []struct {
		name, message string
		body          string
		media         []store.Media
		skipped       string
		receivedAt    time.Time
	}{
		{name: "no id", message: `{"from":"16505551234","timestamp":"1749416383","type":"text","text":{"body":"x"}}`, skipped: "invalid"},
		{name: "sender not a number", message: `{"from":"abc","id":"w1","type":"text","text":{"body":"x"}}`, skipped: "invalid"},
		{name: "sender too short", message: `{"from":"123","id":"w1","type":"text","text":{"body":"x"}}`, skipped: "invalid"},
		{name: "system", message: `{"from":"16505551234","id":"w1","type":"system","system":{"body":"changed number"}}`, skipped: "system"},
		{name: "audio without id", message: `{"from":"16505551234","id":"w1","type":"audio","audio":{}}`,
			media: []store.Media{{ContentType: "application/x-whatsapp-audio"}}},
		{name: "empty text", message: `{"from":"16505551234","id":"w1","type":"text","text":{"body":"  "}}`,
			body: "  ", media: []store.Media{{ContentType: "application/x-whatsapp-text"}}},
		{name: "document", message: `{"from":"16505551234","id":"w1","type":"document","document":{"id":"d1","filename":"a.pdf","mime_type":"application/pdf","caption":"my cv"}}`,
			body: "my cv", media: []store.Media{{URL: "meta://media/d1", ContentType: "application/pdf"}}},
		{name: "sticker", message: `{"from":"16505551234","id":"w1","type":"sticker","sticker":{"id":"s1","mime_type":"image/webp","animated":false}}`,
			media: []store.Media{{URL: "meta://media/s1", ContentType: "image/webp"}}},
		{name: "contacts", message: `{"from":"16505551234","id":"w1","type":"contacts","contacts":[{"name":{"formatted_name":"A"}}]}`,
			media: []store.Media{{ContentType: "application/x-whatsapp-contacts"}}},
		{name: "a type from the future", message: `{"from":"16505551234","id":"w1","type":"hologram!","hologram!":{}}`,
			media: []store.Media{{ContentType: "application/x-whatsapp-hologram"}}},
		{name: "template quick reply", message: `{"from":"16505551234","id":"w1","type":"button","button":{"payload":"YES","text":"Yes, confirm"}}`,
			body: "Yes, confirm"},
		{name: "location", message: `{"from":"16505551234","id":"w1","type":"location","location":{"latitude":40.4168,"longitude":-3.7038,"name":"Forma Gym","address":"Calle Mayor 1"}}`,
			body: "[location] Forma Gym, Calle Mayor 1, 40.4168, -3.7038"},
		{name: "timestamp in the future", message: `{"from":"16505551234","id":"w1","timestamp":"1849416383","type":"text","text":{"body":"x"}}`,
			body: "x", receivedAt: now},
		{name: "timestamp not a number", message: `{"from":"16505551234","id":"w1","timestamp":"soon","type":"text","text":{"body":"x"}}`,
			body: "x", receivedAt: now},
		{name: "timestamp of a moment ago", message: `{"from":"16505551234","id":"w1","timestamp":"1749416398","type":"text","text":{"body":"x"}}`,
			body: "x", receivedAt: now},
		{name: "timestamp in range", message: `{"from":"16505551234","id":"w1","timestamp":"1749416383","type":"text","text":{"body":"x"}}`,
			body: "x", receivedAt: time.Unix(1749416383, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{` +
				`"messaging_product":"whatsapp","metadata":{"phone_number_id":"` + testNumberID + `"},"messages":[` + c.message + `]}}]}]}`
			b, err := meta.Parse([]byte(body), meta.ParseOptions{PhoneNumberID: testNumberID, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			if c.skipped != "" {
				if len(b.Messages) != 0 || b.Skipped[c.skipped] != 1 {
					t.Fatalf("want skipped as %q, got messages %+v, skipped %v", c.skipped, b.Messages, b.Skipped)
				}
				return
			}
			if len(b.Messages) != 1 {
				t.Fatalf("got %d messages (skipped %v)", len(b.Messages), b.Skipped)
			}
			m := b.Messages[0]
			if m.Body != c.body || !reflect.DeepEqual(m.Media, c.media) {
				t.Errorf("got body %q media %+v, want %q %+v", m.Body, m.Media, c.body, c.media)
			}
			if !c.receivedAt.IsZero() && !m.ReceivedAt.Equal(c.receivedAt) {
				t.Errorf("received at %v, want %v", m.ReceivedAt, c.receivedAt)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	many := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[` +
		strings.Repeat(`{"id":"w","status":"read"},`, meta.MaxItems) + `{"id":"w","status":"read"}]}}]}]}`
	cases := []struct{ name, body, want string }{
		{"not JSON", `<xml/>`, "webhook body"},
		{"another object", `{"object":"page","entry":[]}`, `object "page"`},
		{"no object", `{}`, `object ""`},
		{"too many items", many, "more than 1000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := meta.Parse([]byte(c.body), meta.ParseOptions{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestMediaURLRoundTrip(t *testing.T) {
	for _, id := range []string{"1003383421387256", "a b/c?d"} {
		got, err := meta.ParseMediaURL(meta.MediaURL(id))
		if err != nil || got != id {
			t.Errorf("%q: got %q, %v", id, got, err)
		}
	}
	for _, bad := range []string{"", "https://lookaside.fbsbx.com/x", "meta://media/", "meta://media/a/b", "evolution://i/x"} {
		if _, err := meta.ParseMediaURL(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
