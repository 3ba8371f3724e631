package cli

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/llm/llmtest"
	"github.com/switchboardhq/switchboard/webhooks/evolution/evolutiontest"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

// TestE2EVoiceRepliesMeta: with VOICE_REPLIES=mirror a voice note is
// answered on the Cloud API by an uploaded voice note (POST /media, then
// an audio message) and then the text; a text is answered by text.
func TestE2EVoiceRepliesMeta(t *testing.T) {
	e := newMetaE2E(t, map[string]string{"VOICE_REPLIES": "mirror"})
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		if strings.HasSuffix(r.Path, "/audio/transcriptions") {
			return llmtest.Reply{Transcript: "what time do you open"}
		}
		return echoModel(e.model)(r)
	})
	e.start()
	e.graph.AddMedia("1003383421387257", "audio/ogg", []byte("OggS\x00fake opus"))
	postMeta(t, e.addr, metatest.NewPayload(metaNumberID).Audio(metaAna, "Ana", nextWamid(), "1003383421387257").Bytes())
	if got := e.sentTo(metaAna, 1, 20*time.Second); len(got) != 1 || got[0] != "echo: [voice note] what time do you open" {
		t.Fatalf("text replies = %q", got)
	}
	var kinds []string
	for _, m := range e.graph.Sent() {
		kinds = append(kinds, m.Type)
	}
	up := e.graph.Uploads()
	if strings.Join(kinds, ",") != "audio,text" || len(up) != 1 || !bytes.Equal(up[0].Data, llmtest.SpeechAudio) ||
		up[0].ContentType != "audio/ogg" || e.graph.Sent()[0].AudioID != up[0].ID {
		t.Fatalf("sent %q, uploads %+v", kinds, up)
	}
	const bob = "15551230003"
	postMeta(t, e.addr, metaText(bob, "hi"))
	e.sentTo(bob, 1, 20*time.Second)
	for _, m := range e.graph.Sent() {
		if m.To == bob && m.Type != "text" {
			t.Fatalf("a text was answered with %s", m.Type)
		}
	}
}

// TestE2EVoiceRepliesTwilio: with VOICE_REPLIES=always and the text off,
// Twilio gets only a MediaUrl: a signed PUBLIC_URL/media link that serves
// the voice note, while a forged or altered link is 404. Speech that fails
// sends the text instead.
func TestE2EVoiceRepliesTwilio(t *testing.T) {
	e := newE2E(t, map[string]string{"VOICE_REPLIES": "always", "VOICE_REPLIES_TEXT": "false"})
	failSpeech := "whatsapp:+15551230009"
	e.model.Handle(func(r llmtest.Request) llmtest.Reply {
		if strings.HasSuffix(r.Path, "/audio/speech") {
			if strings.Contains(string(r.Body), "fail me") {
				return llmtest.Reply{Status: 400, ErrorMessage: "voice not available"}
			}
			return llmtest.Reply{}
		}
		return echoModel(e.model)(r)
	})
	e.start()
	post(t, e.addr, text(ana, "hello"))
	msgs := e.twilio.WaitMessages(1, 20*time.Second)
	if len(msgs) != 1 || msgs[0].Body != "" || len(msgs[0].MediaURLs) != 1 || !strings.HasPrefix(msgs[0].MediaURLs[0], e2ePublic+"/media/") {
		t.Fatalf("sent %+v", msgs)
	}
	link, err := url.Parse(msgs[0].MediaURLs[0])
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, query string) (int, []byte) {
		t.Helper()
		resp, err := http.Get("http://" + e.addr + path + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, b := get(link.Path, link.RawQuery); code != 200 || !bytes.Equal(b, llmtest.SpeechAudio) {
		t.Fatalf("GET the voice note's link = %d, %d bytes", code, len(b))
	}
	q := link.Query()
	q.Set("exp", "4102444800") // a later expiry, under the old signature
	if code, _ := get(link.Path, q.Encode()); code != 404 {
		t.Fatalf("an altered link = %d, want 404", code)
	}
	if code, _ := get("/media/00000000000000000000000000000000", link.RawQuery); code != 404 {
		t.Fatalf("another id under the link's signature = %d, want 404", code)
	}

	post(t, e.addr, text(failSpeech, "fail me"))
	var got []twiliotest.Message
	deadline := time.Now().Add(20 * time.Second)
	for len(got) == 0 && time.Now().Before(deadline) {
		for _, m := range e.twilio.Messages() {
			if m.To == failSpeech {
				got = append(got, m)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if len(got) != 1 || got[0].Body != "echo: fail me" || len(got[0].MediaURLs) != 0 {
		t.Fatalf("after speech failed, sent %+v; want the text alone", got)
	}
}

// TestE2EVoiceRepliesEvolution: Evolution gets the voice note through its
// audio endpoint, as base64, then the text.
func TestE2EVoiceRepliesEvolution(t *testing.T) {
	evo := evolutiontest.NewServer(t, "desk", evoKey)
	e := newE2E(t, map[string]string{
		"EVOLUTION_URL": evo.URL, "EVOLUTION_API_KEY": evoKey, "EVOLUTION_INSTANCE": "desk",
		"VOICE_REPLIES": "always",
	})
	e.start()
	body := evolutiontest.Body("messages.upsert", "desk", evoKey, evolutiontest.DirectText("34600000011@s.whatsapp.net", "Ana", "V1", "hola"))
	resp, err := http.Post("http://"+e.addr+"/webhooks/evolution", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := evo.WaitMessages(2, 20*time.Second)
	if len(got) != 2 || !bytes.Equal(got[0].Audio, llmtest.SpeechAudio) || got[0].Text != "" || got[1].Text != "echo: hola" {
		t.Fatalf("sent %+v", got)
	}
}
