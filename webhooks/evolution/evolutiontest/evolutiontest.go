// Package evolutiontest fakes the parts of the Evolution API Switchboard
// talks to — sendText, sendWhatsAppAudio and getBase64FromMediaMessage — with Evolution's
// status codes and error bodies, and builds realistic messages.upsert
// webhook bodies for tests.
package evolutiontest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/evolution"
)

// Message is a text or voice note the fake accepted.
type Message struct {
	// ID is the key.id the fake answered with.
	ID     string
	Number string
	Text   string
	// Audio is a voice note's bytes (sendWhatsAppAudio with base64).
	Audio []byte
	At    time.Time
}

// Failure makes the fake answer a call with an Evolution error.
type Failure struct {
	Status int // HTTP status, e.g. 400 or 503
	// Message is response.message; empty gives a default for the status.
	Message string
	// NotOnWhatsApp answers the way Evolution does for a number without
	// WhatsApp: 400 with [{"exists":false,"jid":...,"number":...}].
	NotOnWhatsApp bool
}

// Server is a fake Evolution API for one instance.
type Server struct {
	*httptest.Server
	Instance, APIKey string

	mu         sync.Mutex
	messages   []Message
	attempts   int
	fail       func(attempt int, number, text string) *Failure
	hold       chan struct{}
	media      map[string]media
	mediaCalls int
}

type media struct {
	mimetype string
	data     []byte
}

// NewServer starts a fake serving instance behind apiKey, closed at the
// end of the test.
func NewServer(t testing.TB, instance, apiKey string) *Server {
	s := &Server{Instance: instance, APIKey: apiKey, media: map[string]media{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /message/sendText/{instance}", s.sendText)
	mux.HandleFunc("POST /message/sendWhatsAppAudio/{instance}", s.sendAudio)
	mux.HandleFunc("POST /chat/getBase64FromMediaMessage/{instance}", s.getBase64)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// Config returns a channel configuration pointing at the fake. Its timeout
// is generous: the 16 MB media cases move 22 MB of base64 through the race
// detector on machines that may be busy; timeouts have their own tests.
func (s *Server) Config() evolution.Config {
	return evolution.Config{URL: s.URL, APIKey: s.APIKey, Instance: s.Instance, Timeout: 60 * time.Second}
}

// SetFailure installs fn, consulted for each sendText attempt (1-based);
// a non-nil Failure is answered instead of sending.
func (s *Server) SetFailure(fn func(attempt int, number, text string) *Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fn
}

// Hold makes sends block until the returned function is called.
func (s *Server) Hold() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.hold = ch
	s.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

// Messages returns the texts accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitMessages waits until at least n texts were accepted or the timeout
// passes, and returns them.
func (s *Server) WaitMessages(n int, timeout time.Duration) []Message {
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n || time.Now().After(deadline) {
			return msgs
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// AddMedia makes the media of message id downloadable and returns the URL
// the webhook stores for it (evolution.MediaURL).
func (s *Server) AddMedia(messageID, mimetype string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[messageID] = media{mimetype: mimetype, data: data}
	return evolution.MediaURL(s.Instance, messageID)
}

// MediaCalls counts getBase64FromMediaMessage calls that passed the key
// check.
func (s *Server) MediaCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mediaCalls
}

// writeError answers like Evolution's exception filter:
// {"status":400,"error":"Bad Request","response":{"message":...}}.
func writeError(w http.ResponseWriter, status int, message any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"status": status, "error": http.StatusText(status), "response": map[string]any{"message": message},
	})
}

// authorized checks the apikey header and the instance in the path,
// answering when they fail.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("apikey") != s.APIKey {
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return false
	}
	if inst := r.PathValue("instance"); inst != s.Instance {
		writeError(w, http.StatusNotFound, []string{fmt.Sprintf("The %q instance does not exist", inst)})
		return false
	}
	return true
}

func jidOf(number string) string {
	if strings.Contains(number, "@") {
		return number
	}
	return number + "@s.whatsapp.net"
}

func (s *Server) sendText(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	var in struct {
		Number string `json:"number"`
		Text   string `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, []string{"invalid JSON: " + err.Error()})
		return
	}
	var missing []string
	if in.Number == "" {
		missing = append(missing, "number is required")
	}
	if in.Text == "" {
		missing = append(missing, "text is required")
	}
	if len(missing) > 0 {
		writeError(w, http.StatusBadRequest, missing)
		return
	}
	s.accept(w, Message{Number: in.Number, Text: in.Text}, map[string]any{"conversation": in.Text}, "conversation")
}

// sendAudio answers POST /message/sendWhatsAppAudio/{instance}: a voice
// note given as base64 ({"number", "audio", "encoding"}).
func (s *Server) sendAudio(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	var in struct {
		Number   string `json:"number"`
		Audio    string `json:"audio"`
		Encoding *bool  `json:"encoding"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, []string{"invalid JSON: " + err.Error()})
		return
	}
	audio, err := base64.StdEncoding.DecodeString(in.Audio)
	switch {
	case in.Number == "":
		writeError(w, http.StatusBadRequest, []string{"number is required"})
		return
	case in.Audio == "" || err != nil:
		writeError(w, http.StatusBadRequest, []string{"audio must be a URL or base64"})
		return
	}
	s.accept(w, Message{Number: in.Number, Audio: audio}, map[string]any{
		"audioMessage": map[string]any{"mimetype": "audio/ogg; codecs=opus", "ptt": true, "fileLength": len(audio)},
	}, "audioMessage")
}

// accept applies holds and failures to a send and answers it as Evolution
// does: 201 with the created message.
func (s *Server) accept(w http.ResponseWriter, msg Message, content map[string]any, messageType string) {
	s.mu.Lock()
	s.attempts++
	attempt, fail, hold := s.attempts, s.fail, s.hold
	s.mu.Unlock()
	if hold != nil {
		<-hold
	}
	if fail != nil {
		if f := fail(attempt, msg.Number, msg.Text); f != nil {
			switch {
			case f.NotOnWhatsApp:
				writeError(w, http.StatusBadRequest, []map[string]any{{"exists": false, "jid": jidOf(msg.Number), "number": msg.Number}})
			case f.Message != "":
				writeError(w, f.Status, f.Message)
			default:
				writeError(w, f.Status, http.StatusText(f.Status))
			}
			return
		}
	}
	msg.ID, msg.At = fmt.Sprintf("3EB0%016X", attempt), time.Now()
	s.mu.Lock()
	s.messages = append(s.messages, msg)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"key":              map[string]any{"remoteJid": jidOf(msg.Number), "fromMe": true, "id": msg.ID},
		"pushName":         "",
		"status":           "PENDING",
		"message":          content,
		"messageType":      messageType,
		"messageTimestamp": msg.At.Unix(),
		"instanceId":       "6f1c2b1e-0000-4000-8000-000000000001",
		"source":           "unknown",
	})
}

func (s *Server) getBase64(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(w, r) {
		return
	}
	var in struct {
		Message struct {
			Key struct {
				ID string `json:"id"`
			} `json:"key"`
		} `json:"message"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeError(w, http.StatusBadRequest, []string{"invalid JSON: " + err.Error()})
		return
	}
	s.mu.Lock()
	s.mediaCalls++
	m, ok := s.media[in.Message.Key.ID]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, "Message not found")
		return
	}
	mediaType := "documentMessage"
	switch {
	case strings.HasPrefix(m.mimetype, "audio/"):
		mediaType = "audioMessage"
	case strings.HasPrefix(m.mimetype, "image/"):
		mediaType = "imageMessage"
	case strings.HasPrefix(m.mimetype, "video/"):
		mediaType = "videoMessage"
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"mediaType": mediaType,
		"fileName":  nil,
		"caption":   nil,
		"size":      map[string]any{"fileLength": fmt.Sprint(len(m.data))},
		"mimetype":  m.mimetype,
		"base64":    base64.StdEncoding.EncodeToString(m.data),
	})
}

// Key is a message key, as in messages.upsert.
type Key struct {
	RemoteJid   string
	ID          string
	Participant string
	FromMe      bool
}

// Upsert builds the data of a messages.upsert event the way Evolution
// prepares it: key, pushName, status, message, messageType,
// messageTimestamp (Unix seconds), instanceId and source.
func Upsert(key Key, pushName, messageType string, message map[string]any, at time.Time) map[string]any {
	k := map[string]any{"remoteJid": key.RemoteJid, "fromMe": key.FromMe, "id": key.ID}
	if key.Participant != "" {
		k["participant"] = key.Participant
	}
	message["messageContextInfo"] = map[string]any{
		"deviceListMetadata":        map[string]any{"senderKeyHash": "mY2Ke7dQ3jN0Lw==", "senderTimestamp": "1718000000"},
		"deviceListMetadataVersion": 2,
	}
	return map[string]any{
		"key":              k,
		"pushName":         pushName,
		"status":           "DELIVERY_ACK",
		"message":          message,
		"messageType":      messageType,
		"messageTimestamp": at.Unix(),
		"instanceId":       "6f1c2b1e-0000-4000-8000-000000000001",
		"source":           "android",
	}
}

// GroupText is a text someone (participant, a JID) sent to a group. As
// Evolution does, the text is in message.conversation.
func GroupText(group, participant, pushName, id, text string) map[string]any {
	return Upsert(Key{RemoteJid: group, ID: id, Participant: participant}, pushName, "conversation",
		map[string]any{"conversation": text}, time.Now())
}

// GroupVoiceNote is a voice note (ptt) someone sent to a group.
func GroupVoiceNote(group, participant, pushName, id string) map[string]any {
	return Upsert(Key{RemoteJid: group, ID: id, Participant: participant}, pushName, "audioMessage",
		map[string]any{"audioMessage": map[string]any{
			"url":               "https://mmg.whatsapp.net/v/t62.7117-24/1234_5678.enc?ccb=11-4",
			"mimetype":          "audio/ogg; codecs=opus",
			"fileSha256":        "p1x3QyA5bM3Qd0x5l6T1k1C8sS2k7e9uVbq0k3m4n5o=",
			"fileLength":        "7891",
			"seconds":           4,
			"ptt":               true,
			"mediaKey":          "b3Jk2Gk4m1q6QyZp0d7l9tXcV8s5R2w1e4Y7u0i3O6a=",
			"fileEncSha256":     "c8V0bN5m2Q4w7E1r3T6y9U2i5O8p1A4s7D0f3G6h9J2=",
			"directPath":        "/v/t62.7117-24/1234_5678.enc?ccb=11-4&oh=01&oe=6700",
			"mediaKeyTimestamp": "1718000000",
			"waveform":          "AAAAAAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJicoKSo=",
		}}, time.Now())
}

// GroupImage is an image with a caption someone sent to a group.
func GroupImage(group, participant, pushName, id, caption string) map[string]any {
	return Upsert(Key{RemoteJid: group, ID: id, Participant: participant}, pushName, "imageMessage",
		map[string]any{"imageMessage": image(caption)}, time.Now())
}

// DirectText is a text a person (jid) sent us directly.
func DirectText(jid, pushName, id, text string) map[string]any {
	return Upsert(Key{RemoteJid: jid, ID: id}, pushName, "conversation",
		map[string]any{"conversation": text}, time.Now())
}

// Video is a video message with a caption, in a group when participant is
// set.
func Video(chat, participant, pushName, id, caption string) map[string]any {
	return Upsert(Key{RemoteJid: chat, ID: id, Participant: participant}, pushName, "videoMessage",
		map[string]any{"videoMessage": map[string]any{
			"url": "https://mmg.whatsapp.net/v/t62.7161-24/9876_5432.enc", "mimetype": "video/mp4",
			"caption": caption, "fileLength": "1048576", "seconds": 12, "height": 1280, "width": 720,
			"mediaKey": "d9K1fL2gM3hN4iO5jP6kQ7lR8mS9nT0oU1pV2qW3rX4=", "directPath": "/v/t62.7161-24/9876_5432.enc",
		}}, time.Now())
}

func image(caption string) map[string]any {
	m := map[string]any{
		"url":               "https://mmg.whatsapp.net/o1/v/t62.7118-24/f1/m231/up-oil-image.enc",
		"mimetype":          "image/jpeg",
		"fileSha256":        "Qm9vb0ZpbGVTaGEyNTZGYWtlVmFsdWVGb3JUZXN0cz0=",
		"fileLength":        "48213",
		"height":            1280,
		"width":             960,
		"mediaKey":          "a2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2V5S2U=",
		"fileEncSha256":     "ZW5jU2hhRW5jU2hhRW5jU2hhRW5jU2hhRW5jU2hhRW4=",
		"directPath":        "/o1/v/t62.7118-24/f1/m231/up-oil-image.enc?ccb=9-4",
		"mediaKeyTimestamp": "1718000000",
		"jpegThumbnail":     "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2Q==",
	}
	if caption != "" {
		m["caption"] = caption
	}
	return m
}

// Body wraps data in the webhook envelope Evolution posts and encodes it:
// {"event","instance","data","destination","date_time","sender",
// "server_url","apikey"}. An empty apiKey is sent as null, as Evolution
// does when AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES is false. Body
// panics if data cannot be encoded as JSON (a test bug).
func Body(event, instance, apiKey string, data any) []byte {
	var key any
	if apiKey != "" {
		key = apiKey
	}
	b, err := json.Marshal(map[string]any{
		"event":       event,
		"instance":    instance,
		"data":        data,
		"destination": "http://switchboard:8080/webhooks/evolution",
		"date_time":   time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"sender":      "15550009999@s.whatsapp.net",
		"server_url":  "http://evolution:8080",
		"apikey":      key,
	})
	if err != nil {
		panic(err) // maps of strings and numbers always encode
	}
	return b
}
