package evolution

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// EventMessagesUpsert is the event of a new message; the webhook ignores
// every other event.
const EventMessagesUpsert = "messages.upsert"

// MaxMessagesPerRequest bounds the messages of one messages.upsert
// webhook. Evolution posts one message per webhook; a list is tolerated,
// but each message costs a transaction before the answer, so a longer one
// is refused (413) rather than held open.
const MaxMessagesPerRequest = 20

// Inbox stores an inbound message and schedules its processing, in one
// transaction. created is false when the provider id was seen before.
type Inbox interface {
	Accept(ctx context.Context, msg store.Inbound) (created bool, err error)
}

// Webhook serves Evolution's event webhook.
type Webhook struct {
	cfg   Config
	inbox Inbox
	log   *slog.Logger
	now   func() time.Time
	// OnResult, when set, is told the outcome of each request or message
	// ("accepted", "duplicate", "forbidden", "ignored_event",
	// "ignored_from_me", ...), for metrics.
	OnResult func(route, result string)
}

// NewWebhook returns the handler. With no EVOLUTION_API_KEY configured,
// every request is refused: there is nothing to check the key against.
func NewWebhook(cfg Config, inbox Inbox, log *slog.Logger) *Webhook {
	if log == nil {
		log = slog.Default()
	}
	return &Webhook{cfg: cfg, inbox: inbox, log: log, now: time.Now}
}

// Register mounts POST /webhooks/evolution and, for instances configured
// with webhook_by_events (which append the event to the URL),
// POST /webhooks/evolution/{event}, on mux. The event in the body decides
// either way.
func (w *Webhook) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/evolution", w.inbound)
	mux.HandleFunc("POST /webhooks/evolution/{event}", w.inbound)
}

// Handler returns a handler serving only the webhook's routes.
func (w *Webhook) Handler() http.Handler {
	mux := http.NewServeMux()
	w.Register(mux)
	return mux
}

// text answers with a plain-text message.
func text(rw http.ResponseWriter, code int, format string, args ...any) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.WriteHeader(code)
	fmt.Fprintf(rw, format, args...)
}

// writeJSON answers 200 with v as JSON.
func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json; charset=utf-8")
	rw.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(rw).Encode(v)
}

const route = "inbound"

func (w *Webhook) result(result string) {
	if w.OnResult != nil {
		w.OnResult(route, result)
	}
}

// envelope is the body of every Evolution webhook call.
type envelope struct {
	Event    string          `json:"event"`
	Instance string          `json:"instance"`
	Data     json.RawMessage `json:"data"`
	APIKey   *string         `json:"apikey"`
}

// upsert is the data of a messages.upsert event: one WhatsApp message as
// Evolution prepares it.
type upsert struct {
	Key struct {
		RemoteJid string `json:"remoteJid"`
		FromMe    bool   `json:"fromMe"`
		ID        string `json:"id"`
		// Participant is the group member who spoke.
		Participant string `json:"participant"`
		// RemoteJidAlt and ParticipantAlt carry the phone-number JID when
		// WhatsApp addresses by linked id (@lid).
		RemoteJidAlt   string `json:"remoteJidAlt"`
		ParticipantAlt string `json:"participantAlt"`
	} `json:"key"`
	PushName string `json:"pushName"`
	// Participant is set at the top level by some Evolution versions.
	Participant      string    `json:"participant"`
	Message          *waMsg    `json:"message"`
	MessageType      string    `json:"messageType"`
	MessageTimestamp timestamp `json:"messageTimestamp"`
}

// waMsg is the part of WhatsApp's Message proto (as JSON) the channel
// reads.
type waMsg struct {
	Conversation        string `json:"conversation"`
	ExtendedTextMessage *struct {
		Text string `json:"text"`
	} `json:"extendedTextMessage"`
	ImageMessage    *mediaMsg `json:"imageMessage"`
	AudioMessage    *mediaMsg `json:"audioMessage"`
	VideoMessage    *mediaMsg `json:"videoMessage"`
	PtvMessage      *mediaMsg `json:"ptvMessage"`
	DocumentMessage *mediaMsg `json:"documentMessage"`
	StickerMessage  *mediaMsg `json:"stickerMessage"`
	// Wrappers around another message.
	EphemeralMessage           *wrapper `json:"ephemeralMessage"`
	ViewOnceMessage            *wrapper `json:"viewOnceMessage"`
	ViewOnceMessageV2          *wrapper `json:"viewOnceMessageV2"`
	ViewOnceMessageV2Extension *wrapper `json:"viewOnceMessageV2Extension"`
	DocumentWithCaptionMessage *wrapper `json:"documentWithCaptionMessage"`
}

type wrapper struct {
	Message *waMsg `json:"message"`
}

type mediaMsg struct {
	Mimetype string `json:"mimetype"`
	Caption  string `json:"caption"`
	PTT      bool   `json:"ptt"`
}

// timestamp is messageTimestamp: Unix seconds as a number or a string.
type timestamp int64

// UnmarshalJSON reads a number or a numeric string; anything else reads as
// zero (no timestamp) rather than failing the message.
func (t *timestamp) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*t = 0
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		*t = 0 // an odd timestamp is not worth refusing the message over
		return nil
	}
	*t = timestamp(n)
	return nil
}

// unwrap returns the innermost message of ephemeral, view-once and
// document-with-caption wrappers.
func (m *waMsg) unwrap() *waMsg {
	for i := 0; m != nil && i < 4; i++ {
		var next *wrapper
		for _, w := range []*wrapper{m.EphemeralMessage, m.ViewOnceMessage, m.ViewOnceMessageV2,
			m.ViewOnceMessageV2Extension, m.DocumentWithCaptionMessage} {
			if w != nil && w.Message != nil {
				next = w
				break
			}
		}
		if next == nil {
			return m
		}
		m = next.Message
	}
	return m
}

// keyMatches compares a presented key with the configured one in constant
// time (over SHA-256 digests, so lengths leak nothing either).
func keyMatches(presented, want string) bool {
	if presented == "" || want == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(presented)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// normalizeEvent turns the spellings Evolution uses ("messages.upsert",
// "MESSAGES_UPSERT", "messages-upsert") into the dotted lower-case form.
func normalizeEvent(e string) string {
	return strings.NewReplacer("_", ".", "-", ".").Replace(strings.ToLower(strings.TrimSpace(e)))
}

func (w *Webhook) inbound(rw http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(rw, r.Body, webhooks.MaxBodyBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.log.Warn("evolution webhook body too large", "limit", webhooks.MaxBodyBytes)
			w.result("too_large")
			text(rw, http.StatusRequestEntityTooLarge, "body larger than %d bytes\n", webhooks.MaxBodyBytes)
			return
		}
		w.result("bad_request")
		text(rw, http.StatusBadRequest, "unreadable body\n")
		return
	}
	headerOK := keyMatches(r.Header.Get("apikey"), w.cfg.APIKey)
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		w.result("bad_request")
		text(rw, http.StatusBadRequest, "body is not a JSON webhook event: %v\n", err)
		return
	}
	if !headerOK && (env.APIKey == nil || !keyMatches(*env.APIKey, w.cfg.APIKey)) {
		reason := "wrong key"
		switch {
		case w.cfg.APIKey == "":
			reason = "EVOLUTION_API_KEY is not set, so no request can be authenticated"
		case r.Header.Get("apikey") == "" && (env.APIKey == nil || *env.APIKey == ""):
			reason = "missing key"
		}
		w.log.Warn("evolution webhook refused", "reason", reason, "remote", webhooks.ClientIP(r))
		w.result("forbidden")
		text(rw, http.StatusForbidden, "invalid or missing apikey\n")
		return
	}
	event := normalizeEvent(env.Event)
	if event == "" {
		event = normalizeEvent(r.PathValue("event"))
	}
	if event != EventMessagesUpsert {
		w.result("ignored_event")
		writeJSON(rw, map[string]any{"result": "ignored", "reason": "event " + event})
		return
	}
	if env.Instance != "" && w.cfg.Instance != "" && env.Instance != w.cfg.Instance {
		w.log.Warn("evolution webhook for another instance ignored", "instance", webhooks.Bound(env.Instance))
		w.result("ignored_instance")
		writeJSON(rw, map[string]any{"result": "ignored", "reason": "another instance"})
		return
	}
	// data is one message; tolerate a list of them.
	var items []upsert
	data := bytes.TrimSpace(env.Data)
	if bytes.Equal(data, []byte("null")) {
		data = nil
	}
	if len(data) > 0 && data[0] == '[' {
		var raw []json.RawMessage
		if err = json.Unmarshal(data, &raw); err == nil && len(raw) > MaxMessagesPerRequest {
			w.log.Warn("evolution webhook refused", "reason", "too many messages", "messages", len(raw),
				"limit", MaxMessagesPerRequest, "remote", webhooks.ClientIP(r))
			w.result("too_many")
			text(rw, http.StatusRequestEntityTooLarge, "messages.upsert carries %d messages; at most %d are accepted per request\n", len(raw), MaxMessagesPerRequest)
			return
		}
		if err == nil {
			err = json.Unmarshal(data, &items)
		}
	} else {
		var one upsert
		err = json.Unmarshal(data, &one)
		items = []upsert{one}
	}
	if len(data) == 0 {
		err = errors.New("no data")
	}
	if err != nil {
		w.result("bad_request")
		text(rw, http.StatusBadRequest, "messages.upsert data: %v\n", err)
		return
	}
	msgs := make([]*store.Inbound, len(items))
	for i, u := range items {
		msg, reason, err := w.parse(u)
		if err != nil {
			w.result("bad_request")
			text(rw, http.StatusBadRequest, "messages.upsert: %v\n", err)
			return
		}
		if reason != "" {
			w.result("ignored_" + reason)
			continue
		}
		msgs[i] = msg
	}
	results := make([]string, 0, len(msgs))
	for _, msg := range msgs {
		if msg == nil {
			results = append(results, "ignored")
			continue
		}
		created, err := w.inbox.Accept(r.Context(), *msg)
		if err != nil {
			// 5xx: the message is not stored; a redelivery of the same id
			// is safe.
			w.log.Error("store inbound message", "thread", thread.ID(msg.Thread), "message_id", msg.ProviderID, "err", thread.MaskError(msg.Thread, err))
			w.result("error")
			text(rw, http.StatusInternalServerError, "could not store the message; retry\n")
			return
		}
		result := "accepted"
		if !created {
			result = "duplicate"
		}
		w.log.Debug("evolution message received", "thread", thread.ID(msg.Thread), "message_id", msg.ProviderID,
			"group", thread.IsGroup(msg.Thread), "media", len(msg.Media), "result", result)
		w.result(result)
		results = append(results, result)
	}
	if len(results) == 1 {
		writeJSON(rw, map[string]any{"result": results[0]})
		return
	}
	writeJSON(rw, map[string]any{"results": results})
}

// parse turns one messages.upsert message into an inbound message. A
// message that is not for us (our own, a status broadcast, a reaction, ...)
// gives a reason to ignore it; a malformed one gives an error.
func (w *Webhook) parse(u upsert) (*store.Inbound, string, error) {
	if u.Key.FromMe {
		return nil, "from_me", nil
	}
	jid := strings.TrimSpace(u.Key.RemoteJid)
	if jid == "" {
		return nil, "", errors.New("key.remoteJid is missing")
	}
	if u.Key.ID == "" {
		return nil, "", errors.New("key.id is missing")
	}
	if _, domain, _ := strings.Cut(jid, "@"); domain == "broadcast" || domain == "newsletter" {
		return nil, "chat", nil // status updates, broadcast lists, channels
	}
	// A chat addressed by linked id keeps the conversation of its phone
	// number when Evolution tells us the number.
	threadJID := jid
	if strings.HasSuffix(jid, "@lid") && isPhoneJID(u.Key.RemoteJidAlt) {
		threadJID = u.Key.RemoteJidAlt
	}
	th, err := thread.Normalize(threadJID)
	if err != nil {
		return nil, "", fmt.Errorf("key.remoteJid: %w", err)
	}
	msg := &store.Inbound{
		Channel:     Channel,
		ProviderID:  u.Key.ID,
		Thread:      th,
		From:        jid,
		To:          w.cfg.Instance,
		ProfileName: strings.TrimSpace(u.PushName),
		ReceivedAt:  w.receivedAt(u.MessageTimestamp),
	}
	if thread.IsGroup(th) {
		msg.Sender = participant(u)
	}
	m := u.Message.unwrap()
	if m == nil {
		return nil, "empty", nil
	}
	text := m.Conversation
	if text == "" && m.ExtendedTextMessage != nil {
		text = m.ExtendedTextMessage.Text
	}
	media := func(mm *mediaMsg, fallback string) {
		ct := strings.TrimSpace(mm.Mimetype)
		if ct == "" {
			ct = fallback
		}
		msg.Media = append(msg.Media, store.Media{URL: MediaURL(w.cfg.Instance, u.Key.ID), ContentType: ct})
		if text == "" {
			text = mm.Caption
		}
	}
	switch {
	case m.AudioMessage != nil:
		media(m.AudioMessage, "audio/ogg; codecs=opus")
	case m.ImageMessage != nil:
		media(m.ImageMessage, "image/jpeg")
	case m.VideoMessage != nil:
		media(m.VideoMessage, "video/mp4")
	case m.PtvMessage != nil:
		media(m.PtvMessage, "video/mp4")
	case m.DocumentMessage != nil:
		media(m.DocumentMessage, "application/octet-stream")
	case m.StickerMessage != nil:
		media(m.StickerMessage, "image/webp")
	}
	msg.Body = text
	if strings.TrimSpace(msg.Body) == "" && len(msg.Media) == 0 {
		// Reactions, edits, deletions, polls, locations, contacts, ...
		return nil, "empty", nil
	}
	return msg, "", nil
}

// participant returns who spoke in a group, as a thread id when the JID
// names a number, else as the raw JID.
func participant(u upsert) string {
	p := u.Key.Participant
	if p == "" {
		p = u.Participant
	}
	if alt := u.Key.ParticipantAlt; isPhoneJID(alt) && (p == "" || strings.HasSuffix(p, "@lid")) {
		p = alt
	}
	if p == "" {
		return ""
	}
	if id, err := thread.Normalize(p); err == nil {
		return id
	}
	return p
}

func isPhoneJID(jid string) bool {
	return strings.HasSuffix(jid, "@s.whatsapp.net") || strings.HasSuffix(jid, "@c.us")
}

// maxAge is how long WhatsApp queues a message for an offline device: an
// older timestamp is a wrong clock, and the message is dated when it
// arrived (webhooks.ReceivedAt, which also dates a timestamp of the last
// few seconds by its arrival: Evolution's are whole seconds).
const maxAge = 14 * 24 * time.Hour

func (w *Webhook) receivedAt(ts timestamp) time.Time {
	now := w.now()
	secs := int64(ts)
	if secs > 1e12 { // milliseconds
		secs /= 1000
	}
	if secs <= 0 {
		return now
	}
	return webhooks.ReceivedAt(time.Unix(secs, 0), now, maxAge)
}
