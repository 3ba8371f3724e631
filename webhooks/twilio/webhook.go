package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/webhooks"
)

// Channel is the name inbound messages and outbound replies carry.
const Channel = "twilio"

// maxMedia is how many attachments Twilio sends at most.
const maxMedia = 10

// Inbox stores an inbound message and schedules its processing, in one
// transaction. created is false when the provider id was seen before.
type Inbox interface {
	Accept(ctx context.Context, msg store.Inbound) (created bool, err error)
}

// StatusRecorder records a delivery-status callback.
type StatusRecorder interface {
	RecordStatus(ctx context.Context, channel, providerID, status string, errorCode int) error
}

// Webhook serves Twilio's inbound and status-callback requests.
type Webhook struct {
	cfg      Config
	verifier *verifier
	inbox    Inbox
	statuses StatusRecorder
	log      *slog.Logger
	now      func() time.Time
	// OnResult, when set, is told the outcome of each request ("accepted",
	// "duplicate", "forbidden", ...), for metrics.
	OnResult func(route, result string)
}

// NewWebhook returns the handlers. With cfg.SkipSignature unset and no
// auth token configured, every request is refused: there is nothing to
// check signatures against.
func NewWebhook(cfg Config, inbox Inbox, statuses StatusRecorder, log *slog.Logger) *Webhook {
	if log == nil {
		log = slog.Default()
	}
	return &Webhook{
		cfg:      cfg,
		verifier: newVerifier(cfg.AuthToken),
		inbox:    inbox,
		statuses: statuses,
		log:      log,
		now:      time.Now,
	}
}

// Register mounts POST /webhooks/twilio and POST /webhooks/twilio/status
// on mux.
func (w *Webhook) Register(mux *http.ServeMux) {
	mux.HandleFunc("POST /webhooks/twilio", w.inbound)
	mux.HandleFunc("POST /webhooks/twilio/status", w.status)
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

const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

func (w *Webhook) result(route, result string) {
	if w.OnResult != nil {
		w.OnResult(route, result)
	}
}

// form reads and authenticates a webhook body. On failure it has already
// answered the request.
func (w *Webhook) form(rw http.ResponseWriter, r *http.Request, route string) (url.Values, bool) {
	r.Body = http.MaxBytesReader(rw, r.Body, webhooks.MaxBodyBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.log.Warn("twilio webhook body too large", "route", route, "limit", webhooks.MaxBodyBytes)
			w.result(route, "too_large")
			text(rw, http.StatusRequestEntityTooLarge, "body larger than %d bytes\n", webhooks.MaxBodyBytes)
			return nil, false
		}
		w.result(route, "bad_request")
		text(rw, http.StatusBadRequest, "unreadable form body\n")
		return nil, false
	}
	form := r.PostForm
	if n := countValues(form); n > MaxFormParams {
		w.log.Warn("twilio webhook refused", "route", route, "reason", "too many form parameters",
			"params", n, "limit", MaxFormParams, "remote", webhooks.ClientIP(r))
		w.result(route, "bad_request")
		text(rw, http.StatusBadRequest, "form has %d parameters; at most %d are accepted\n", n, MaxFormParams)
		return nil, false
	}
	if !w.cfg.SkipSignature {
		sig := r.Header.Get("X-Twilio-Signature")
		// Twilio signs the exact URL it called: our public URL, the path
		// and any query string.
		u := w.cfg.PublicURL + r.URL.RequestURI()
		if reason := w.refusal(u, form, sig); reason != "" {
			// The path only, bounded: a refused request must not write
			// whatever URL it chose into the log.
			w.log.Warn("twilio webhook refused", "route", route, "reason", reason,
				"path", webhooks.Bound(r.URL.Path), "remote", webhooks.ClientIP(r))
			w.result(route, "forbidden")
			text(rw, http.StatusForbidden, "refused: %s\n", reason)
			return nil, false
		}
	}
	return form, true
}

// refusal says why a request's signature is not accepted, in the words of
// both the response and the log; "" accepts it. The reasons name only our
// own settings, never the expected signature.
func (w *Webhook) refusal(fullURL string, form url.Values, sig string) string {
	switch {
	case w.cfg.AuthToken == "":
		return "Twilio is not configured: TWILIO_AUTH_TOKEN is not set, so no signature can be verified (for local tests only, TWILIO_SKIP_SIGNATURE=true accepts unsigned requests)"
	case sig == "":
		return "missing signature: the X-Twilio-Signature header is absent"
	case !w.verifier.valid(fullURL, form, sig):
		return "bad signature: X-Twilio-Signature does not sign this body at PUBLIC_URL " + w.cfg.PublicURL + " (Twilio signs the exact URL it calls)"
	}
	return ""
}

func (w *Webhook) inbound(rw http.ResponseWriter, r *http.Request) {
	const route = "inbound"
	p, ok := w.form(rw, r, route)
	if !ok {
		return
	}
	for _, k := range []string{"From", "To", "MessageSid"} {
		if p.Get(k) == "" {
			w.result(route, "bad_request")
			text(rw, http.StatusBadRequest, "missing form field %s\n", k)
			return
		}
	}
	th, err := thread.Normalize(p.Get("From"))
	if err != nil {
		w.result(route, "bad_request")
		text(rw, http.StatusBadRequest, "field From: %v\n", err)
		return
	}
	msg := store.Inbound{
		Channel:     Channel,
		ProviderID:  p.Get("MessageSid"),
		Thread:      th,
		From:        p.Get("From"),
		To:          p.Get("To"),
		ProfileName: p.Get("ProfileName"),
		Body:        p.Get("Body"),
		ReceivedAt:  w.now(),
	}
	n, _ := strconv.Atoi(p.Get("NumMedia"))
	for i := 0; i < min(n, maxMedia); i++ {
		u := p.Get(fmt.Sprintf("MediaUrl%d", i))
		if u == "" {
			continue
		}
		msg.Media = append(msg.Media, store.Media{URL: u, ContentType: p.Get(fmt.Sprintf("MediaContentType%d", i))})
	}
	created, err := w.inbox.Accept(r.Context(), msg)
	if err != nil {
		// 5xx makes Twilio retry; the unique provider id makes the retry safe.
		w.log.Error("store inbound message", "thread", thread.ID(th), "message_sid", msg.ProviderID, "err", thread.MaskError(th, err))
		w.result(route, "error")
		text(rw, http.StatusInternalServerError, "could not store the message; retry\n")
		return
	}
	result := "accepted"
	if !created {
		result = "duplicate"
	}
	w.log.Debug("twilio message received", "thread", thread.ID(th), "message_sid", msg.ProviderID,
		"media", len(msg.Media), "result", result)
	w.result(route, result)
	rw.Header().Set("Content-Type", "text/xml; charset=utf-8")
	rw.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(rw, emptyTwiML)
}

func (w *Webhook) status(rw http.ResponseWriter, r *http.Request) {
	const route = "status"
	p, ok := w.form(rw, r, route)
	if !ok {
		return
	}
	sid, status := p.Get("MessageSid"), p.Get("MessageStatus")
	if sid == "" || status == "" {
		w.result(route, "bad_request")
		text(rw, http.StatusBadRequest, "missing form field MessageSid or MessageStatus\n")
		return
	}
	code, _ := strconv.Atoi(p.Get("ErrorCode"))
	if err := w.statuses.RecordStatus(r.Context(), Channel, sid, status, code); err != nil {
		w.log.Error("record delivery status", "message_sid", sid, "status", status, "err", err)
		w.result(route, "error")
		text(rw, http.StatusInternalServerError, "could not record the status; retry\n")
		return
	}
	if code != 0 {
		w.log.Warn("twilio delivery failed", "message_sid", sid, "status", status, "error_code", code)
	}
	w.result(route, "recorded")
	rw.WriteHeader(http.StatusNoContent)
}

// countValues counts the values of form, repeated keys included.
func countValues(form url.Values) int {
	n := 0
	for _, v := range form {
		n += max(len(v), 1)
	}
	return n
}
