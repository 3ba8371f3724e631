package meta

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// MaxItems caps the messages and statuses one POST may carry; Meta batches
// far fewer. A larger batch is refused (413) rather than half-stored.
const MaxItems = 1000

// ErrTooManyItems is returned by Parse for a batch over MaxItems.
var ErrTooManyItems = fmt.Errorf("meta: more than %d messages and statuses in one request", MaxItems)

// The wire format of a WhatsApp Business Account webhook: object, entries,
// changes, and in each change's value the contacts, messages and statuses.
type payload struct {
	Object string  `json:"object"`
	Entry  []entry `json:"entry"`
}

type entry struct {
	ID      string   `json:"id"`
	Changes []change `json:"changes"`
}

type change struct {
	Field string `json:"field"`
	Value value  `json:"value"`
}

type value struct {
	MessagingProduct string `json:"messaging_product"`
	Metadata         struct {
		DisplayPhoneNumber string `json:"display_phone_number"`
		PhoneNumberID      string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID string `json:"wa_id"`
	} `json:"contacts"`
	Messages []message  `json:"messages"`
	Statuses []statusIn `json:"statuses"`
}

type message struct {
	From        string     `json:"from"`
	ID          string     `json:"id"`
	Timestamp   string     `json:"timestamp"`
	Type        string     `json:"type"`
	Text        *textBody  `json:"text"`
	Audio       *mediaBody `json:"audio"`
	Image       *mediaBody `json:"image"`
	Video       *mediaBody `json:"video"`
	Document    *mediaBody `json:"document"`
	Sticker     *mediaBody `json:"sticker"`
	Interactive *struct {
		Type        string    `json:"type"`
		ButtonReply *choice   `json:"button_reply"`
		ListReply   *choice   `json:"list_reply"`
		NfmReply    *struct{} `json:"nfm_reply"`
	} `json:"interactive"`
	Button *struct {
		Text    string `json:"text"`
		Payload string `json:"payload"`
	} `json:"button"`
	Reaction *struct {
		MessageID string `json:"message_id"`
		Emoji     string `json:"emoji"`
	} `json:"reaction"`
	Location *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Name      string  `json:"name"`
		Address   string  `json:"address"`
	} `json:"location"`
	Errors []apiError `json:"errors"`
}

type textBody struct {
	Body string `json:"body"`
}

type mediaBody struct {
	ID       string `json:"id"`
	MimeType string `json:"mime_type"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
	Voice    bool   `json:"voice"`
}

type choice struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
}

type statusIn struct {
	ID          string     `json:"id"`
	Status      string     `json:"status"`
	Timestamp   string     `json:"timestamp"`
	RecipientID string     `json:"recipient_id"`
	Errors      []apiError `json:"errors"`
}

// apiError is an error object as webhooks and API responses carry it.
type apiError struct {
	Code      int    `json:"code"`
	Title     string `json:"title"`
	Message   string `json:"message"`
	ErrorData struct {
		Details string `json:"details"`
	} `json:"error_data"`
}

// Status is a delivery status of a message we sent.
type Status struct {
	// MessageID is the wamid the send returned.
	MessageID string
	// Status is sent, delivered, read or failed (store's names).
	Status string
	// Code is Meta's error code of a failed message (131047, ...), else 0.
	Code int
	// Reason is the error's title and details, for the log.
	Reason string
}

// Batch is what one webhook POST carried.
type Batch struct {
	// Messages are the inbound messages, ready for the Inbox.
	Messages []store.Inbound
	// Statuses are delivery statuses of our messages.
	Statuses []Status
	// Skipped counts what was left out, by reason: "other_number" (a
	// message for another business number of the account), "field" (a
	// change that is not messages), "reaction_removed", "system",
	// "invalid" (no id, or a sender that is not a number).
	Skipped map[string]int
}

func (b *Batch) skip(reason string) {
	if b.Skipped == nil {
		b.Skipped = map[string]int{}
	}
	b.Skipped[reason]++
}

// ParseOptions tell Parse whose messages to keep and what time it is.
type ParseOptions struct {
	// PhoneNumberID, when set, keeps only the changes addressed to that
	// business number.
	PhoneNumberID string
	// Now dates messages whose timestamp is missing or implausible.
	Now time.Time
}

// Parse reads a webhook body (already authenticated). A body that is not a
// WhatsApp Business Account webhook is an error; a single odd message in a
// valid body is skipped (counted in Batch.Skipped), so the rest are stored
// and the batch is not redelivered forever.
func Parse(body []byte, opts ParseOptions) (Batch, error) {
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return Batch{}, fmt.Errorf("meta: webhook body: %w", err)
	}
	if p.Object != "whatsapp_business_account" {
		return Batch{}, fmt.Errorf("meta: webhook object %q, want whatsapp_business_account", p.Object)
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	var b Batch
	items := 0
	for _, e := range p.Entry {
		for _, ch := range e.Changes {
			if ch.Field != "messages" {
				b.skip("field")
				continue
			}
			v := ch.Value
			items += len(v.Messages) + len(v.Statuses)
			if items > MaxItems {
				return Batch{}, ErrTooManyItems
			}
			if opts.PhoneNumberID != "" && v.Metadata.PhoneNumberID != opts.PhoneNumberID {
				for range len(v.Messages) + len(v.Statuses) {
					b.skip("other_number")
				}
				continue
			}
			for _, m := range v.Messages {
				msg, reason := inbound(m, v, opts.Now)
				if reason != "" {
					b.skip(reason)
					continue
				}
				b.Messages = append(b.Messages, msg)
			}
			for _, s := range v.Statuses {
				if s.ID == "" || s.Status == "" {
					b.skip("invalid")
					continue
				}
				b.Statuses = append(b.Statuses, status(s))
			}
		}
	}
	return b, nil
}

func status(s statusIn) Status {
	out := Status{MessageID: s.ID, Status: strings.ToLower(s.Status)}
	if len(s.Errors) > 0 {
		e := s.Errors[0]
		out.Code = e.Code
		out.Reason = strings.TrimSpace(firstNonEmpty(e.Title, e.Message) + ": " + e.ErrorData.Details)
	}
	return out
}

// UnsupportedType returns the content type under which a message the
// assistant cannot use (a reaction, a contact card, an order, a type this
// version does not know) is stored as an attachment, so the runner answers
// it politely as it does a video or a document: "application/x-whatsapp-"
// and the message type.
func UnsupportedType(messageType string) string {
	t := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return -1
	}, strings.ToLower(messageType))
	if t == "" {
		t = "unknown"
	}
	return "application/x-whatsapp-" + t
}

// inbound turns one message into an inbound row, or gives the reason it is
// skipped.
func inbound(m message, v value, now time.Time) (store.Inbound, string) {
	if m.ID == "" || m.From == "" {
		return store.Inbound{}, "invalid"
	}
	th, err := thread.Normalize("+" + strings.TrimPrefix(m.From, "+"))
	if err != nil {
		return store.Inbound{}, "invalid"
	}
	msg := store.Inbound{
		Channel:    Channel,
		ProviderID: m.ID,
		Thread:     th,
		From:       m.From,
		To:         v.Metadata.PhoneNumberID,
		ReceivedAt: receivedAt(m.Timestamp, now),
	}
	for _, c := range v.Contacts {
		if c.WaID == m.From || len(v.Contacts) == 1 {
			msg.ProfileName = strings.TrimSpace(c.Profile.Name)
		}
	}
	unsupported := func() {
		msg.Media = append(msg.Media, store.Media{ContentType: UnsupportedType(m.Type)})
	}
	// media keeps an attachment by its media id; one without an id cannot
	// be downloaded and is answered like an unsupported message.
	media := func(mb *mediaBody, fallback string) {
		if mb == nil || mb.ID == "" {
			unsupported()
			return
		}
		ct := strings.TrimSpace(mb.MimeType)
		if ct == "" {
			ct = fallback
		}
		msg.Media = append(msg.Media, store.Media{URL: MediaURL(mb.ID), ContentType: ct})
		msg.Body = mb.Caption
	}
	switch m.Type {
	case "text":
		if m.Text != nil {
			msg.Body = m.Text.Body
		}
	case "audio":
		media(m.Audio, "audio/ogg")
	case "image":
		media(m.Image, "image/jpeg")
	case "video":
		media(m.Video, "video/mp4")
	case "document":
		media(m.Document, "application/octet-stream")
	case "sticker":
		media(m.Sticker, "image/webp")
	case "interactive":
		switch {
		case m.Interactive != nil && m.Interactive.ButtonReply != nil:
			msg.Body = m.Interactive.ButtonReply.Title
		case m.Interactive != nil && m.Interactive.ListReply != nil:
			msg.Body = m.Interactive.ListReply.Title
		default:
			unsupported()
		}
	case "button":
		// A quick-reply button of a template message.
		if m.Button != nil {
			msg.Body = firstNonEmpty(m.Button.Text, m.Button.Payload)
		}
	case "location":
		if m.Location != nil {
			msg.Body = locationText(m.Location.Name, m.Location.Address, m.Location.Latitude, m.Location.Longitude)
		}
	case "reaction":
		if m.Reaction == nil || m.Reaction.Emoji == "" {
			return store.Inbound{}, "reaction_removed"
		}
		unsupported()
	case "system":
		// "The customer changed their number" and the like: not a message
		// from the person.
		return store.Inbound{}, "system"
	default:
		// contacts, order, unsupported, and types newer than this code.
		unsupported()
	}
	if strings.TrimSpace(msg.Body) == "" && len(msg.Media) == 0 {
		unsupported()
	}
	return msg, ""
}

func locationText(name, address string, lat, lon float64) string {
	var b strings.Builder
	b.WriteString("[location]")
	for _, s := range []string{name, address} {
		if s = strings.TrimSpace(s); s != "" {
			b.WriteString(" " + s + ",")
		}
	}
	fmt.Fprintf(&b, " %s, %s", strconv.FormatFloat(lat, 'f', -1, 64), strconv.FormatFloat(lon, 'f', -1, 64))
	return b.String()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

// maxAge is Meta's redelivery period: an older timestamp is a wrong
// clock, and the message is dated when it arrived (webhooks.ReceivedAt).
const maxAge = 7 * 24 * time.Hour

func receivedAt(ts string, now time.Time) time.Time {
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || secs <= 0 {
		return now
	}
	return webhooks.ReceivedAt(time.Unix(secs, 0), now, maxAge)
}

// mediaPrefix starts every media URL the webhook stores.
const mediaPrefix = "meta://media/"

// ErrNotMediaURL is returned by Fetch for a URL the webhook did not make.
var ErrNotMediaURL = errors.New("meta: not a meta://media/ URL")

// MediaURL returns the URL under which the webhook stores a media id:
// "meta://media/<id>"; the fetcher resolves it through the Graph API when
// the message is processed (Meta's download URLs expire in minutes).
func MediaURL(mediaID string) string { return mediaPrefix + url.PathEscape(mediaID) }

// ParseMediaURL returns the media id of a URL made by MediaURL.
func ParseMediaURL(raw string) (string, error) {
	rest, ok := strings.CutPrefix(raw, mediaPrefix)
	if !ok || rest == "" || strings.ContainsAny(rest, "/?#") {
		return "", fmt.Errorf("%w: %q", ErrNotMediaURL, raw)
	}
	id, err := url.PathUnescape(rest)
	if err != nil || id == "" {
		return "", fmt.Errorf("%w: %q", ErrNotMediaURL, raw)
	}
	return id, nil
}
