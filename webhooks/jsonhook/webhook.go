package jsonhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Limits of a request.
const (
	// MaxBodyBytes caps a request body.
	MaxBodyBytes = 64 << 10
	// MaxTextLength caps a message's text, in characters.
	MaxTextLength = 8000
	// MaxIDLength, MaxFromLength and MaxNameLength cap the other fields.
	MaxIDLength   = 128
	MaxFromLength = 64
	MaxNameLength = 100
	// MaxWaiting caps the requests waiting for a reply at once; past it a
	// request answers 202 at once instead of waiting.
	MaxWaiting = 256
)

// Inbox stores an inbound message and schedules its processing, in one
// transaction. created is false when the provider id was seen before.
type Inbox interface {
	Accept(ctx context.Context, msg store.Inbound) (created bool, err error)
}

// ReplyLookup finds the reply to a stored message by its channel and
// provider id; store.Store implements it.
type ReplyLookup interface {
	Answer(ctx context.Context, channel, providerID string) (store.Answer, error)
}

// Request is the body of POST /webhooks/json.
type Request struct {
	// ID is the caller's id for the message; a repeated id is the same
	// message.
	ID string `json:"id"`
	// From is the caller's id for the person; the thread is "json:<from>".
	From string `json:"from"`
	Text string `json:"text"`
	// Name is the person's name, optional.
	Name string `json:"name"`
}

// Handler serves POST /webhooks/json.
type Handler struct {
	cfg     Config
	inbox   Inbox
	replies ReplyLookup
	log     *slog.Logger
	now     func() time.Time
	// poll is the longest pause between two lookups of a waiting request.
	poll time.Duration
	// OnResult, when set, is told the outcome of each request ("accepted",
	// "duplicate", "replied", "unauthorized", "bad_request", ...).
	OnResult func(route, result string)

	mu      sync.Mutex
	waiting map[string]map[*waiter]struct{} // by thread
	nwait   int
	// maxWaiting is MaxWaiting; tests lower it.
	maxWaiting int
	// recent holds replies handed to waiters in the last collectedTTL, so
	// the later parts of a split reply are not posted after the request
	// that collected the whole reply has answered.
	recent map[string][]recentReply
}

// NewHandler returns the handler. replies may be nil: then ?wait is
// refused and a repeated id answers 202.
func NewHandler(cfg Config, inbox Inbox, replies ReplyLookup, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.Default()
	}
	return &Handler{cfg: cfg, inbox: inbox, replies: replies, log: log, now: time.Now, poll: 500 * time.Millisecond,
		waiting: map[string]map[*waiter]struct{}{}, recent: map[string][]recentReply{}, maxWaiting: MaxWaiting}
}

func (h *Handler) result(r string) {
	if h.OnResult != nil {
		h.OnResult("inbound", r)
	}
}

// writeJSON answers status with v.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Handler) fail(w http.ResponseWriter, status int, result, format string, args ...any) {
	h.result(result)
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// presentedToken is the bearer token or the X-Webhook-Token header.
func presentedToken(r *http.Request) string {
	if v := r.Header.Get("Authorization"); v != "" {
		scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	return strings.TrimSpace(r.Header.Get("X-Webhook-Token"))
}

// tokenMatches compares in constant time over SHA-256 digests, so the
// length leaks nothing either.
func tokenMatches(presented, want string) bool {
	if presented == "" || want == "" {
		return false
	}
	a, b := sha256.Sum256([]byte(presented)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// ServeHTTP handles one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.cfg.Enabled() {
		h.fail(w, http.StatusNotFound, "off", "the JSON webhook is off: set WEBHOOK_TOKEN to turn it on")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		h.fail(w, http.StatusMethodNotAllowed, "bad_request", "use POST")
		return
	}
	if !tokenMatches(presentedToken(r), h.cfg.Token) {
		h.log.Warn("json webhook refused", "reason", "missing or wrong token")
		w.Header().Set("WWW-Authenticate", `Bearer realm="switchboard"`)
		h.fail(w, http.StatusUnauthorized, "unauthorized", "missing or wrong token: send Authorization: Bearer <WEBHOOK_TOKEN> or X-Webhook-Token")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		h.fail(w, http.StatusUnsupportedMediaType, "bad_request", "Content-Type %q: send application/json", ct)
		return
	}
	wait, err := parseWait(r.URL.Query().Get("wait"))
	if err != nil {
		h.fail(w, http.StatusBadRequest, "bad_request", "%v", err)
		return
	}
	if wait > 0 && h.replies == nil {
		h.fail(w, http.StatusBadRequest, "bad_request", "wait: replies cannot be awaited on this server")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.fail(w, http.StatusRequestEntityTooLarge, "too_large", "body larger than %d bytes", MaxBodyBytes)
			return
		}
		h.fail(w, http.StatusBadRequest, "bad_request", "unreadable body")
		return
	}
	req, err := Decode(body)
	if err != nil {
		h.fail(w, http.StatusBadRequest, "bad_request", "%v", err)
		return
	}
	th := Thread(req.From)
	msg := store.Inbound{
		Channel: Channel, ProviderID: req.ID, Thread: th, From: req.From, To: Channel,
		ProfileName: req.Name, Body: req.Text, ReceivedAt: h.now(),
	}
	ctx := r.Context()
	// Register before storing, so a reply recorded the moment after is
	// not missed.
	var wt *waiter
	if wait > 0 {
		wt = h.register(th, req.ID)
		defer h.unregister(th, wt)
	}
	created, err := h.inbox.Accept(ctx, msg)
	if err != nil {
		h.log.Error("store inbound message", "thread", thread.ID(th), "err", err)
		h.fail(w, http.StatusInternalServerError, "error", "could not store the message; retry with the same id")
		return
	}
	if !created {
		h.duplicate(w, r, req, th, wait, wt)
		return
	}
	h.log.Debug("json message received", "thread", thread.ID(th), "id", req.ID)
	if wt == nil {
		h.result("accepted")
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
		return
	}
	h.await(w, r, req.ID, th, wait, wt, "accepted")
}

// duplicate answers a repeated id: the stored reply when there is one,
// after waiting for it if asked, else 202.
func (h *Handler) duplicate(w http.ResponseWriter, r *http.Request, req Request, th string, wait time.Duration, wt *waiter) {
	if h.replies == nil {
		h.result("duplicate")
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
		return
	}
	rep, err := h.replies.Answer(r.Context(), Channel, req.ID)
	if err != nil {
		h.log.Error("look up reply", "thread", thread.ID(th), "err", err)
		h.fail(w, http.StatusInternalServerError, "error", "could not look up the reply; retry")
		return
	}
	if rep.Found && rep.Thread != th {
		// Another sender's message: its reply is not this caller's to see.
		h.fail(w, http.StatusConflict, "conflict", "id %q was already used for another sender", req.ID)
		return
	}
	if rep.Done {
		h.result("replied")
		writeJSON(w, http.StatusOK, map[string]string{"reply": rep.Text})
		return
	}
	if wt == nil {
		h.result("duplicate")
		writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
		return
	}
	h.await(w, r, req.ID, th, wait, wt, "duplicate")
}

// Thread returns the thread id of a JSON sender: "json:<from>".
func Thread(from string) string { return Channel + ":" + from }
