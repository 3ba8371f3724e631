package metatest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/webhooks/meta"
)

// Payload builds a webhook body in the shape Meta documents: one entry for
// the business account, one "messages" change per call to the builder's
// methods, each with its metadata, contacts, messages or statuses. The
// zero timestamp is the time the Payload was made.
type Payload struct {
	// PhoneNumberID and DisplayPhoneNumber identify the business number.
	PhoneNumberID      string
	DisplayPhoneNumber string
	// AccountID is the WhatsApp Business Account id of the entry.
	AccountID string
	// Time dates every message and status (default: now).
	Time    time.Time
	changes []any
}

// NewPayload starts a payload for the business number phoneNumberID.
func NewPayload(phoneNumberID string) *Payload {
	return &Payload{PhoneNumberID: phoneNumberID, DisplayPhoneNumber: "15550783881", AccountID: "102290129340398", Time: time.Now()}
}

func (p *Payload) ts() string { return strconv.FormatInt(p.Time.Unix(), 10) }

func (p *Payload) value() map[string]any {
	return map[string]any{
		"messaging_product": "whatsapp",
		"metadata":          map[string]any{"display_phone_number": p.DisplayPhoneNumber, "phone_number_id": p.PhoneNumberID},
	}
}

// Message adds a change carrying one message of type typ from waID (with
// profile name), its type-specific object being body (nil for none).
func (p *Payload) Message(waID, name, wamid, typ string, body any) *Payload {
	v := p.value()
	v["contacts"] = []any{map[string]any{"profile": map[string]any{"name": name}, "wa_id": waID}}
	m := map[string]any{"from": waID, "id": wamid, "timestamp": p.ts(), "type": typ}
	if body != nil {
		m[typ] = body
	}
	if typ == "unsupported" {
		m["errors"] = []any{map[string]any{
			"code": 131051, "title": "Message type unknown", "message": "Message type unknown",
			"error_data": map[string]any{"details": "Message type is currently not supported."},
		}}
	}
	v["messages"] = []any{m}
	p.changes = append(p.changes, map[string]any{"value": v, "field": "messages"})
	return p
}

// Text adds a text message.
func (p *Payload) Text(waID, name, wamid, text string) *Payload {
	return p.Message(waID, name, wamid, "text", map[string]any{"body": text})
}

// Audio adds a voice note (voice: true) of the uploaded media mediaID.
func (p *Payload) Audio(waID, name, wamid, mediaID string) *Payload {
	return p.Message(waID, name, wamid, "audio", map[string]any{
		"mime_type": "audio/ogg; codecs=opus", "sha256": "4Ul8Bb0ATn2yLWFMKPcNS3VbbZ2FmCdQp5zS3wOjXvU=", "id": mediaID, "voice": true,
	})
}

// Image adds an image with a caption.
func (p *Payload) Image(waID, name, wamid, mediaID, caption string) *Payload {
	return p.Message(waID, name, wamid, "image", map[string]any{
		"caption": caption, "mime_type": "image/jpeg", "sha256": "Fm6l1e5DJ7xW0bYzs3hLgDqkzjXo4ZOH0n7t2Ra0zU4=", "id": mediaID,
	})
}

// ButtonReply adds the reply to an interactive reply button.
func (p *Payload) ButtonReply(waID, name, wamid, id, title string) *Payload {
	return p.Message(waID, name, wamid, "interactive", map[string]any{
		"type": "button_reply", "button_reply": map[string]any{"id": id, "title": title},
	})
}

// ListReply adds the reply to an interactive list.
func (p *Payload) ListReply(waID, name, wamid, id, title, description string) *Payload {
	return p.Message(waID, name, wamid, "interactive", map[string]any{
		"type": "list_reply", "list_reply": map[string]any{"id": id, "title": title, "description": description},
	})
}

// Reaction adds a reaction to the message reactedTo (an empty emoji
// removes a reaction).
func (p *Payload) Reaction(waID, name, wamid, reactedTo, emoji string) *Payload {
	return p.Message(waID, name, wamid, "reaction", map[string]any{"message_id": reactedTo, "emoji": emoji})
}

// Unsupported adds a message of a type the Cloud API does not support, as
// Meta reports it (type "unsupported" with error 131051).
func (p *Payload) Unsupported(waID, name, wamid string) *Payload {
	return p.Message(waID, name, wamid, "unsupported", nil)
}

// Status adds a delivery status of the sent message wamid to recipient
// waID; a non-zero code adds the error Meta reports with "failed".
func (p *Payload) Status(wamid, status, waID string, code int) *Payload {
	v := p.value()
	s := map[string]any{"id": wamid, "status": status, "timestamp": p.ts(), "recipient_id": waID}
	if status == "sent" || status == "delivered" {
		s["conversation"] = map[string]any{"id": "CONVERSATION_ID", "origin": map[string]any{"type": "service"}}
		s["pricing"] = map[string]any{"billable": false, "pricing_model": "PMP", "category": "service", "type": "free_customer_service"}
	}
	if code != 0 {
		s["errors"] = []any{map[string]any{
			"code": code, "title": ErrorTitle(code), "message": ErrorTitle(code),
			"error_data": map[string]any{"details": ErrorTitle(code)}, "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
		}}
	}
	v["statuses"] = []any{s}
	p.changes = append(p.changes, map[string]any{"value": v, "field": "messages"})
	return p
}

// Bytes returns the webhook body: all changes in one entry.
func (p *Payload) Bytes() []byte {
	b, err := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry":  []any{map[string]any{"id": p.AccountID, "changes": p.changes}},
	})
	if err != nil {
		panic(err) // maps of strings and numbers always marshal
	}
	return b
}

// Request returns a POST of body to url signed with appSecret, as Meta
// sends it.
func Request(url, appSecret string, body []byte) *http.Request {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(meta.SignatureHeader, meta.Sign(appSecret, body))
	return req
}

// ErrorTitle is the title Meta gives an error code (the ones tests use).
func ErrorTitle(code int) string {
	switch code {
	case meta.CodeReEngagement:
		return "Re-engagement message"
	case meta.CodeUndeliverable:
		return "Message undeliverable"
	case meta.CodeRateLimit:
		return "Rate limit hit"
	case meta.CodePairRateLimit:
		return "(Business Account, Consumer Account) pair rate limit hit"
	case meta.CodeAccountRateLimit:
		return "Rate limit issues"
	case 190:
		return "Access token has expired"
	case 131000:
		return "Something went wrong"
	}
	return "Error " + strconv.Itoa(code)
}
