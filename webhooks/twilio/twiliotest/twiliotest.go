// Package twiliotest fakes the parts of Twilio that Switchboard talks to —
// the Messages API and media downloads — and signs webhook requests the way
// Twilio does, so tests exercise the real twilio-go client and validator.
package twiliotest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Sign computes the X-Twilio-Signature of a form POST to fullURL, with
// Twilio's documented algorithm: the URL followed by every parameter name
// and value, sorted by name, signed with HMAC-SHA1 under the auth token and
// base64-encoded.
func Sign(authToken, fullURL string, form url.Values) string {
	var b strings.Builder
	b.WriteString(fullURL)
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range form[k] {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Message is a message the fake accepted. A template message has
// ContentSID and ContentVariables (the JSON object as sent) and no Body.
type Message struct {
	SID, To, From, Body, StatusCallback string
	// MediaURLs are the message's MediaUrl values (a voice reply's link).
	MediaURLs                    []string
	ContentSID, ContentVariables string
	At                           time.Time
}

// Variables decodes a template message's ContentVariables.
func (m Message) Variables() (map[string]string, error) {
	var v map[string]string
	if m.ContentVariables == "" {
		return v, nil
	}
	err := json.Unmarshal([]byte(m.ContentVariables), &v)
	return v, err
}

// Failure makes the fake answer a send with a Twilio error.
type Failure struct {
	Status int // HTTP status, e.g. 400 or 503
	Code   int // Twilio error code, e.g. 63016
}

// Server is a fake Twilio REST API.
type Server struct {
	*httptest.Server
	AccountSID, AuthToken string

	mu       sync.Mutex
	messages []Message
	attempts int
	// Fail, when set, is consulted for each send attempt (1-based) and may
	// return a failure to answer with.
	fail  func(attempt int, form url.Values) *Failure
	media map[string]media
	hold  chan struct{}
	held  int // sends waiting on hold
}

type media struct {
	contentType string
	data        []byte
	redirect    string // when set, where the media is stored
}

// NewServer starts a fake for the given account, closed at the end of the
// test. Credentials must be letters and digits (twilio-go checks).
func NewServer(t testing.TB, accountSID, authToken string) *Server {
	s := &Server{AccountSID: accountSID, AuthToken: authToken, media: map[string]media{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", s.createMessage)
	mux.HandleFunc("GET /media/{name}", s.serveMedia)
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// SetFailure installs fn to script failures of send attempts.
func (s *Server) SetFailure(fn func(attempt int, form url.Values) *Failure) {
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

// Held reports how many sends are waiting on Hold. A send whose client
// goes away stops waiting (and is dropped) as soon as the server notices,
// so a test that kills a sender can wait for Held to reach 0 before it
// releases, and know the message did not get through.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitMessages waits until at least n messages were accepted or the
// timeout passes, and returns them.
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

// AddMedia serves data at the returned URL, behind the account's basic
// auth, as Twilio serves attachments.
func (s *Server) AddMedia(name, contentType string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[name] = media{contentType: contentType, data: data}
	return s.URL + "/media/" + name
}

func (s *Server) authorized(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	return ok && u == s.AccountSID && p == s.AuthToken
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) || r.PathValue("sid") != s.AccountSID {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 21602, "unreadable form")
		return
	}
	s.mu.Lock()
	s.attempts++
	attempt, fail, hold := s.attempts, s.fail, s.hold
	s.mu.Unlock()
	if hold != nil {
		s.mu.Lock()
		s.held++
		s.mu.Unlock()
		select {
		case <-hold:
		case <-r.Context().Done():
		}
		s.mu.Lock()
		s.held--
		s.mu.Unlock()
		if r.Context().Err() != nil {
			return // the client died while held: the message never reached "Twilio"
		}
	}
	if fail != nil {
		if f := fail(attempt, r.PostForm); f != nil {
			writeError(w, f.Status, f.Code, "scripted failure")
			return
		}
	}
	to, from, body := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body")
	sid, vars := r.PostForm.Get("ContentSid"), r.PostForm.Get("ContentVariables")
	if to == "" || from == "" {
		writeError(w, http.StatusBadRequest, 21604, "A 'To' and 'From' phone number is required.")
		return
	}
	mediaURLs := r.PostForm["MediaUrl"]
	if body == "" && len(mediaURLs) == 0 && sid == "" {
		writeError(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	if msg, ok := checkContent(body, sid, vars); !ok {
		writeError(w, http.StatusBadRequest, 21619, msg)
		return
	}
	if len([]rune(body)) > 1600 {
		writeError(w, http.StatusBadRequest, 21617, "The concatenated message body exceeds the 1600 character limit.")
		return
	}
	msg := Message{
		SID: fmt.Sprintf("SM%032x", attempt), To: to, From: from, Body: body, MediaURLs: mediaURLs,
		ContentSID: sid, ContentVariables: vars,
		StatusCallback: r.PostForm.Get("StatusCallback"), At: time.Now(),
	}
	s.mu.Lock()
	s.messages = append(s.messages, msg)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(map[string]any{
		"sid": msg.SID, "account_sid": s.AccountSID, "to": to, "from": from, "body": body,
		"status": "queued", "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
		"date_created": msg.At.UTC().Format(time.RFC1123Z),
		"uri":          fmt.Sprintf("/2010-04-01/Accounts/%s/Messages/%s.json", s.AccountSID, msg.SID),
	})
}

// checkContent applies Twilio's rules on a template: a ContentSid is HX
// and 32 hex digits; ContentVariables come only with a ContentSid, and are
// a JSON object whose values are strings.
func checkContent(body, sid, vars string) (string, bool) {
	switch {
	case sid == "" && vars != "":
		return "ContentVariables were sent without a ContentSid.", false
	case sid != "" && (len(sid) != 34 || !strings.HasPrefix(sid, "HX")):
		return "Invalid ContentSid " + sid, false
	case vars != "":
		var v map[string]string
		if err := json.Unmarshal([]byte(vars), &v); err != nil {
			return "Invalid ContentVariables: " + err.Error(), false
		}
	}
	return "", true
}

// AddRedirect serves, behind the account's basic auth, a redirect to
// target at the returned URL, as Twilio redirects to where it stores
// attachments.
func (s *Server) AddRedirect(name, target string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[name] = media{redirect: target}
	return s.URL + "/media/" + name
}

func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	s.mu.Lock()
	m, ok := s.media[r.PathValue("name")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	if m.redirect != "" {
		http.Redirect(w, r, m.redirect, http.StatusTemporaryRedirect)
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	w.Write(m.data)
}
