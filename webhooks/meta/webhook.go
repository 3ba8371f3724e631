package meta

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// MaxBodyBytes caps a webhook body. It is read before the signature can be
// checked, so it is a bound on what a stranger can make us buffer; Meta's
// batches are far smaller.
const MaxBodyBytes = 512 << 10

// Inbox stores an inbound message and schedules its processing, in one
// transaction. created is false when the provider id was seen before.
type Inbox interface {
	Accept(ctx context.Context, msg store.Inbound) (created bool, err error)
}

// StatusRecorder records a delivery status of a message we sent.
type StatusRecorder interface {
	RecordStatus(ctx context.Context, channel, providerID, status string, errorCode int) error
}

// Webhook serves GET and POST /webhooks/meta.
type Webhook struct {
	cfg      Config
	inbox    Inbox
	statuses StatusRecorder
	log      *slog.Logger
	now      func() time.Time
	// OnResult, when set, is told the outcome of each request, message and
	// status ("accepted", "duplicate", "forbidden", "status", ...), for
	// metrics.
	OnResult func(route, result string)
}

// NewWebhook returns the handler. Without an app secret every POST is
// refused, and without a verify token every handshake: there is nothing to
// check them against.
func NewWebhook(cfg Config, inbox Inbox, statuses StatusRecorder, log *slog.Logger) *Webhook {
	if log == nil {
		log = slog.Default()
	}
	return &Webhook{cfg: cfg.WithDefaults(), inbox: inbox, statuses: statuses, log: log, now: time.Now}
}

// ServeHTTP answers the GET handshake and POSTed events; other methods get
// 405.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		w.Verify(rw, r)
	case http.MethodPost:
		w.Receive(rw, r)
	default:
		rw.Header().Set("Allow", "GET, POST")
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (w *Webhook) result(route, result string) {
	if w.OnResult != nil {
		w.OnResult(route, result)
	}
}

// tokenMatches compares in constant time, over SHA-256 digests so the
// lengths leak nothing either.
func tokenMatches(presented, want string) bool {
	if presented == "" || want == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(presented)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// Verify answers Meta's subscription handshake: with hub.mode=subscribe
// and the right hub.verify_token it echoes hub.challenge as plain text.
func (w *Webhook) Verify(rw http.ResponseWriter, r *http.Request) {
	const route = "verify"
	q := r.URL.Query()
	if q.Get("hub.mode") != "subscribe" || !tokenMatches(q.Get("hub.verify_token"), w.cfg.VerifyToken) {
		reason := "wrong verify token"
		switch {
		case w.cfg.VerifyToken == "":
			reason = "META_VERIFY_TOKEN is not set"
		case q.Get("hub.mode") != "subscribe":
			reason = "hub.mode is not subscribe"
		}
		w.log.Warn("meta webhook handshake refused", "reason", reason)
		w.result(route, "forbidden")
		http.Error(rw, "verification failed", http.StatusForbidden)
		return
	}
	w.result(route, "verified")
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	rw.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(rw, q.Get("hub.challenge"))
}

// Receive authenticates, parses and stores a POSTed batch.
func (w *Webhook) Receive(rw http.ResponseWriter, r *http.Request) {
	const route = "inbound"
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.log.Warn("meta webhook body too large", "limit", MaxBodyBytes)
			w.result(route, "too_large")
			http.Error(rw, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		w.result(route, "bad_request")
		http.Error(rw, "unreadable body", http.StatusBadRequest)
		return
	}
	if !ValidSignature(w.cfg.AppSecret, body, r.Header.Get(SignatureHeader)) {
		reason := "bad signature"
		switch {
		case w.cfg.AppSecret == "":
			reason = "META_APP_SECRET is not set, so no signature can be verified"
		case r.Header.Get(SignatureHeader) == "":
			reason = "missing signature"
		}
		w.log.Warn("meta webhook refused", "reason", reason)
		w.result(route, "forbidden")
		http.Error(rw, "invalid "+SignatureHeader, http.StatusForbidden)
		return
	}
	batch, err := Parse(body, ParseOptions{PhoneNumberID: w.cfg.PhoneNumberID, Now: w.now()})
	if errors.Is(err, ErrTooManyItems) {
		w.log.Error("meta webhook batch refused", "err", err)
		w.result(route, "too_large")
		http.Error(rw, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		w.log.Warn("meta webhook body unreadable", "err", err)
		w.result(route, "bad_request")
		http.Error(rw, err.Error(), http.StatusBadRequest)
		return
	}
	for reason, n := range batch.Skipped {
		w.log.Info("meta webhook items skipped", "reason", reason, "count", n)
		for range n {
			w.result(route, "skipped_"+reason)
		}
	}
	ctx := r.Context()
	for _, msg := range batch.Messages {
		created, err := w.inbox.Accept(ctx, msg)
		if err != nil {
			// 5xx: Meta redelivers the whole batch; the messages stored
			// already are duplicates then, and change nothing.
			w.log.Error("store inbound message", "thread", thread.ID(msg.Thread), "wamid", msg.ProviderID, "err", err)
			w.result(route, "error")
			http.Error(rw, "could not store the message; retry", http.StatusInternalServerError)
			return
		}
		result := "accepted"
		if !created {
			result = "duplicate"
		}
		w.log.Debug("meta message received", "thread", thread.ID(msg.Thread), "wamid", msg.ProviderID,
			"media", len(msg.Media), "result", result)
		w.result(route, result)
	}
	for _, s := range batch.Statuses {
		if w.statuses == nil {
			break
		}
		if err := w.statuses.RecordStatus(ctx, Channel, s.MessageID, s.Status, s.Code); err != nil {
			w.log.Error("record delivery status", "wamid", s.MessageID, "status", s.Status, "err", err)
			w.result("status", "error")
			http.Error(rw, "could not record a status; retry", http.StatusInternalServerError)
			return
		}
		if s.Code != 0 {
			w.log.Warn("meta delivery failed", "wamid", s.MessageID, "status", s.Status, "error_code", s.Code, "reason", s.Reason)
		}
		w.result("status", "recorded")
	}
	rw.WriteHeader(http.StatusOK)
}
