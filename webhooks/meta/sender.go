package meta

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// MaxMessageLength is the longest text body the Cloud API accepts; longer
// replies are split (webhooks.Split) and sent part by part.
const MaxMessageLength = 4096

// maxResponseBytes caps a Graph API answer we read.
const maxResponseBytes = 1 << 20

// Sender sends WhatsApp messages through the Cloud API:
// POST {graph}/{version}/{phone-number-id}/messages with the bearer token.
type Sender struct {
	cfg    Config
	client *http.Client
}

// NewSender returns a sender for cfg, which must have a token and a phone
// number id.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Enabled() {
		return nil, errors.New("meta: sender needs META_ACCESS_TOKEN and META_PHONE_NUMBER_ID")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	return &Sender{cfg: cfg, client: cfg.httpClient()}, nil
}

// Recipient turns a thread id or address ("whatsapp:+15551234567",
// "+15551234567", "15551234567") into the Cloud API's "to": the number's
// digits.
func Recipient(to string) (string, error) {
	th, err := thread.Normalize(to)
	if err != nil {
		return "", fmt.Errorf("meta: recipient: %w", err)
	}
	_, num, _ := strings.Cut(th, ":")
	if !strings.HasPrefix(num, "+") {
		return "", fmt.Errorf("meta: recipient %s is not a phone number", thread.Mask(th))
	}
	return num[1:], nil
}

// outMessage is the body of POST /{phone-number-id}/messages.
type outMessage struct {
	MessagingProduct string         `json:"messaging_product"`
	RecipientType    string         `json:"recipient_type,omitempty"`
	To               string         `json:"to,omitempty"`
	Type             string         `json:"type,omitempty"`
	Text             *outText       `json:"text,omitempty"`
	Audio            *outMedia      `json:"audio,omitempty"`
	Template         *outTemplate   `json:"template,omitempty"`
	Status           string         `json:"status,omitempty"`
	MessageID        string         `json:"message_id,omitempty"`
	TypingIndicator  *outTypingType `json:"typing_indicator,omitempty"`
}

type outText struct {
	Body       string `json:"body"`
	PreviewURL bool   `json:"preview_url"`
}

type outMedia struct {
	ID string `json:"id"`
}

type outTypingType struct {
	Type string `json:"type"`
}

type outTemplate struct {
	Name       string         `json:"name"`
	Language   outLanguage    `json:"language"`
	Components []outComponent `json:"components,omitempty"`
}

type outLanguage struct {
	Code string `json:"code"`
}

type outComponent struct {
	Type       string         `json:"type"`
	Parameters []outParameter `json:"parameters"`
}

type outParameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// sendResponse is the answer to a send: the message's wamid.
type sendResponse struct {
	Messages []struct {
		ID string `json:"id"`
	} `json:"messages"`
	Success bool   `json:"success"`
	ID      string `json:"id"` // media upload
}

// Send sends one text message of at most MaxMessageLength characters and
// returns its wamid.
func (s *Sender) Send(ctx context.Context, to, body string) (string, error) {
	rcpt, err := Recipient(to)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	return s.send(ctx, outMessage{Type: "text", To: rcpt, Text: &outText{Body: body}})
}

// SendAudio sends an uploaded audio file (UploadMedia) as a voice message.
func (s *Sender) SendAudio(ctx context.Context, to, mediaID string) (string, error) {
	rcpt, err := Recipient(to)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	return s.send(ctx, outMessage{Type: "audio", To: rcpt, Audio: &outMedia{ID: mediaID}})
}

// SendVoice uploads a voice note (POST /{phone-number-id}/media; OGG/Opus
// plays as a voice note) and sends it as an audio message. A recipient that
// is not a phone number fails before anything is uploaded.
func (s *Sender) SendVoice(ctx context.Context, to string, note webhooks.VoiceNote) (string, error) {
	if _, err := Recipient(to); err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	if len(note.Audio) == 0 {
		return "", &SendError{Permanent: true, Err: errors.New("meta: empty voice note")}
	}
	ct := note.ContentType
	if ct == "" {
		ct = "audio/ogg"
	}
	id, err := s.UploadMedia(ctx, note.Audio, ct, "voice.ogg")
	if err != nil {
		return "", err
	}
	return s.SendAudio(ctx, to, id)
}

// Template is an approved message template: its name, language code and
// the values of the body's {{1}}, {{2}}, ... variables.
type Template struct {
	Name     string
	Language string
	Body     []string
}

// SendTemplate sends an approved template, the only message WhatsApp lets a
// business send outside the 24-hour window.
func (s *Sender) SendTemplate(ctx context.Context, to string, t Template) (string, error) {
	rcpt, err := Recipient(to)
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	if t.Name == "" || t.Language == "" {
		return "", &SendError{Permanent: true, Err: errors.New("meta: a template needs a name and a language")}
	}
	tpl := &outTemplate{Name: t.Name, Language: outLanguage{Code: t.Language}}
	if len(t.Body) > 0 {
		c := outComponent{Type: "body"}
		for _, v := range t.Body {
			c.Parameters = append(c.Parameters, outParameter{Type: "text", Text: v})
		}
		tpl.Components = []outComponent{c}
	}
	return s.send(ctx, outMessage{Type: "template", To: rcpt, Template: tpl})
}

// MarkRead marks an inbound message (and the ones before it) as read, and
// shows the typing indicator while the turn runs when the API version has
// one (v22.0 and later); WhatsApp hides it at the reply or after 25
// seconds. Call it when a turn starts; a failure only costs the blue ticks.
func (s *Sender) MarkRead(ctx context.Context, messageID string, typing bool) error {
	m := outMessage{Status: "read", MessageID: messageID}
	if typing && versionAtLeast(s.cfg.GraphVersion, 22) {
		m.TypingIndicator = &outTypingType{Type: "text"}
	}
	_, err := s.post(ctx, m)
	return err
}

func (s *Sender) send(ctx context.Context, m outMessage) (string, error) {
	m.RecipientType = "individual"
	resp, err := s.post(ctx, m)
	if err != nil {
		return "", err
	}
	if len(resp.Messages) == 0 || resp.Messages[0].ID == "" {
		return "", &SendError{Err: errors.New("meta: response without a message id")}
	}
	return resp.Messages[0].ID, nil
}

func (s *Sender) post(ctx context.Context, m outMessage) (sendResponse, error) {
	m.MessagingProduct = "whatsapp"
	body, err := json.Marshal(m)
	if err != nil {
		return sendResponse{}, &SendError{Permanent: true, Err: err}
	}
	return s.do(ctx, s.cfg.endpoint(s.cfg.PhoneNumberID+"/messages"), "application/json", body)
}

// UploadMedia uploads a file for sending (POST /{phone-number-id}/media,
// multipart) and returns its media id.
func (s *Sender) UploadMedia(ctx context.Context, data []byte, contentType, filename string) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("messaging_product", "whatsapp")
	_ = mw.WriteField("type", contentType)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", contentType)
	part, err := mw.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		return "", &SendError{Permanent: true, Err: err}
	}
	resp, err := s.do(ctx, s.cfg.endpoint(s.cfg.PhoneNumberID+"/media"), mw.FormDataContentType(), buf.Bytes())
	if err != nil {
		return "", err
	}
	if resp.ID == "" {
		return "", &SendError{Err: errors.New("meta: upload answered without a media id")}
	}
	return resp.ID, nil
}

// errorResponse is a Graph API error answer.
type errorResponse struct {
	Error apiError `json:"error"`
}

func (s *Sender) do(ctx context.Context, url, contentType string, body []byte) (sendResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return sendResponse{}, &SendError{Permanent: true, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+s.cfg.AccessToken)
	req.Header.Set("Content-Type", contentType)
	resp, err := s.client.Do(req)
	if err != nil {
		return sendResponse{}, &SendError{Err: fmt.Errorf("meta: %w", err)} // network trouble: retry
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return sendResponse{}, &SendError{Status: resp.StatusCode, Err: fmt.Errorf("meta: read response: %w", err)}
	}
	if resp.StatusCode/100 != 2 {
		var er errorResponse
		_ = json.Unmarshal(data, &er)
		return sendResponse{}, classify(resp.StatusCode, resp.Header, er.Error, resp.Status)
	}
	var out sendResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return sendResponse{}, &SendError{Status: resp.StatusCode, Err: fmt.Errorf("meta: response: %w", err)}
	}
	return out, nil
}
