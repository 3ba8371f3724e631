// Package metatest fakes the parts of Meta's Graph API that Switchboard
// talks to — sending messages, mark-as-read, media upload, media lookup and
// download — with the Cloud API's wire formats, and builds signed webhook
// payloads shaped like Meta's documented examples.
package metatest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Sent is a message the fake accepted: POST /{phone-number-id}/messages.
type Sent struct {
	// ID is the wamid the fake answered with.
	ID   string
	To   string
	Type string
	// Text is a text message's body.
	Text string
	// AudioID is an audio message's media id.
	AudioID string
	// Template is a template message's name, language and body values.
	Template *Template
	// Body is the raw JSON request.
	Body []byte
	At   time.Time
}

// Template is a template message as the fake received it.
type Template struct {
	Name     string
	Language string
	Body     []string
}

// Read is a mark-as-read call.
type Read struct {
	MessageID string
	Typing    bool
}

// Upload is a media upload.
type Upload struct {
	ID, ContentType, Filename string
	Data                      []byte
}

// Failure makes the fake answer a call with a Graph API error.
type Failure struct {
	Status int // HTTP status, e.g. 400 or 503
	Code   int // Meta's error code, e.g. 131047
	// RetryAfter is sent as the Retry-After header when not empty.
	RetryAfter string
}

// Server is a fake Graph API for one business number.
type Server struct {
	*httptest.Server
	// Token is the access token every call must carry.
	Token string
	// PhoneNumberID is the business number's id.
	PhoneNumberID string
	// Version is the API version in paths ("v23.0").
	Version string

	mu       sync.Mutex
	sent     []Sent
	reads    []Read
	uploads  []Upload
	attempts int
	fail     func(attempt int, s Sent) *Failure
	media    map[string]media
	n        int
	hold     chan struct{}
	held     int
}

type media struct {
	contentType string
	data        []byte
	url         string // overrides the download URL the lookup returns
}

// NewServer starts a fake, closed at the end of the test.
func NewServer(t testing.TB, token, phoneNumberID, version string) *Server {
	s := &Server{Token: token, PhoneNumberID: phoneNumberID, Version: version, media: map[string]media{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Fail sets a function consulted for every send attempt (1-based, counting
// mark-as-read and uploads too) that may return a failure to answer with.
func (s *Server) Fail(f func(attempt int, m Sent) *Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = f
}

// Hold makes sends hang, as if the network to Meta were down, until the
// returned release is called (or the client gives up). Mark-as-read calls
// still pass: tests hold the reply, not the turn.
func (s *Server) Hold() (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.hold = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.hold = nil
			s.mu.Unlock()
			close(ch)
		})
	}
}

// Held counts the sends hanging in Hold now.
func (s *Server) Held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// wait blocks while sends are held; false means the client gave up.
func (s *Server) wait(r *http.Request) bool {
	s.mu.Lock()
	hold := s.hold
	if hold != nil {
		s.held++
	}
	s.mu.Unlock()
	if hold == nil {
		return true
	}
	defer func() {
		s.mu.Lock()
		s.held--
		s.mu.Unlock()
	}()
	select {
	case <-hold:
		return true
	case <-r.Context().Done():
		return false
	}
}

// AddMedia makes media id downloadable.
func (s *Server) AddMedia(id, contentType string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.media[id] = media{contentType: contentType, data: data}
}

// SetMediaURL makes the lookup of media id answer with rawURL as the
// download URL (a host the token must not go to, in tests of the fetcher).
func (s *Server) SetMediaURL(id, rawURL string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.media[id]
	m.url = rawURL
	s.media[id] = m
}

// Sent returns the messages accepted so far, oldest first.
func (s *Server) Sent() []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Sent(nil), s.sent...)
}

// Reads returns the mark-as-read calls so far.
func (s *Server) Reads() []Read {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Read(nil), s.reads...)
}

// Uploads returns the media uploaded so far.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Upload(nil), s.uploads...)
}

// Attempts counts POSTs to /messages and /media, failed ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

func (s *Server) graphError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": fmt.Sprintf("(#%d) %s", code, msg), "type": "OAuthException", "code": code,
		"error_data": map[string]any{"messaging_product": "whatsapp", "details": msg},
		"fbtrace_id": "AbCdEfGhIjK",
	}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) authorized(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer "+s.Token
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		s.graphError(w, http.StatusUnauthorized, 190, "Invalid OAuth access token - Cannot parse access token")
		return
	}
	path := strings.Trim(r.URL.Path, "/")
	if rest, ok := strings.CutPrefix(path, "download/"); ok && r.Method == http.MethodGet {
		s.download(w, r, rest)
		return
	}
	version, rest, ok := strings.Cut(path, "/")
	if !ok || version != s.Version {
		s.graphError(w, http.StatusBadRequest, 2500, "Unknown path components: /"+path)
		return
	}
	switch {
	case r.Method == http.MethodPost && rest == s.PhoneNumberID+"/messages":
		s.messages(w, r)
	case r.Method == http.MethodPost && rest == s.PhoneNumberID+"/media":
		s.upload(w, r)
	case r.Method == http.MethodGet && !strings.Contains(rest, "/"):
		s.lookup(w, r, rest)
	default:
		s.graphError(w, http.StatusBadRequest, 100, "Unsupported request: "+r.Method+" /"+path)
	}
}

// failure counts an attempt and returns the injected failure, if any.
func (s *Server) failure(m Sent) *Failure {
	s.mu.Lock()
	s.attempts++
	n, f := s.attempts, s.fail
	s.mu.Unlock()
	if f == nil {
		return nil
	}
	return f(n, m)
}

func (s *Server) answerFailure(w http.ResponseWriter, f *Failure) {
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	status := f.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	s.graphError(w, status, f.Code, ErrorTitle(f.Code))
}

// outgoing is the subset of a send request the fake checks.
type outgoing struct {
	MessagingProduct string `json:"messaging_product"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Status           string `json:"status"`
	MessageID        string `json:"message_id"`
	TypingIndicator  *struct {
		Type string `json:"type"`
	} `json:"typing_indicator"`
	Text *struct {
		Body string `json:"body"`
	} `json:"text"`
	Audio *struct {
		ID string `json:"id"`
	} `json:"audio"`
	Template *struct {
		Name     string `json:"name"`
		Language struct {
			Code string `json:"code"`
		} `json:"language"`
		Components []struct {
			Type       string `json:"type"`
			Parameters []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"parameters"`
		} `json:"components"`
	} `json:"template"`
}

func (s *Server) messages(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	var o outgoing
	if err == nil {
		err = json.Unmarshal(body, &o)
	}
	if o.Status != "read" && !s.wait(r) {
		return
	}
	if err != nil || o.MessagingProduct != "whatsapp" {
		s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: want a JSON body with messaging_product whatsapp")
		return
	}
	if o.Status == "read" {
		if o.MessageID == "" {
			s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: message_id")
			return
		}
		if f := s.failure(Sent{Type: "read", Body: body}); f != nil {
			s.answerFailure(w, f)
			return
		}
		s.mu.Lock()
		s.reads = append(s.reads, Read{MessageID: o.MessageID, Typing: o.TypingIndicator != nil})
		s.mu.Unlock()
		writeJSON(w, map[string]any{"success": true})
		return
	}
	m := Sent{To: o.To, Type: o.Type, Body: body, At: time.Now()}
	switch {
	case o.To == "" || strings.ContainsAny(o.To, "+ "):
		s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: to")
		return
	case o.Type == "text" && o.Text != nil && o.Text.Body != "":
		if n := len([]rune(o.Text.Body)); n > 4096 {
			s.graphError(w, http.StatusBadRequest, 100, "Param text['body'] must be at most 4096 characters long.")
			return
		}
		m.Text = o.Text.Body
	case o.Type == "audio" && o.Audio != nil && o.Audio.ID != "":
		m.AudioID = o.Audio.ID
	case o.Type == "template" && o.Template != nil && o.Template.Name != "" && o.Template.Language.Code != "":
		m.Template = &Template{Name: o.Template.Name, Language: o.Template.Language.Code}
		for _, c := range o.Template.Components {
			for _, p := range c.Parameters {
				if c.Type == "body" {
					m.Template.Body = append(m.Template.Body, p.Text)
				}
			}
		}
	default:
		s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: a "+o.Type+" message needs its object")
		return
	}
	if f := s.failure(m); f != nil {
		s.answerFailure(w, f)
		return
	}
	s.mu.Lock()
	s.n++
	m.ID = fmt.Sprintf("wamid.HBgLMTU1NTAwMDAwMDAVAgARGBI%06d", s.n)
	s.sent = append(s.sent, m)
	s.mu.Unlock()
	writeJSON(w, map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []any{map[string]any{"input": o.To, "wa_id": o.To}},
		"messages":          []any{map[string]any{"id": m.ID}},
	})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: want multipart/form-data")
		return
	}
	up := Upload{}
	fields := map[string]string{}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.graphError(w, http.StatusBadRequest, 100, "Invalid multipart body")
			return
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "file" {
			up.Filename, up.ContentType, up.Data = p.FileName(), p.Header.Get("Content-Type"), b
			continue
		}
		fields[p.FormName()] = string(b)
	}
	if fields["messaging_product"] != "whatsapp" || len(up.Data) == 0 || fields["type"] == "" {
		s.graphError(w, http.StatusBadRequest, 100, "Invalid parameter: messaging_product, type and file are required")
		return
	}
	if f := s.failure(Sent{Type: "upload"}); f != nil {
		s.answerFailure(w, f)
		return
	}
	s.mu.Lock()
	s.n++
	up.ID = strconv.Itoa(1000000000 + s.n)
	s.uploads = append(s.uploads, up)
	s.media[up.ID] = media{contentType: up.ContentType, data: up.Data}
	s.mu.Unlock()
	writeJSON(w, map[string]any{"id": up.ID})
}

// lookup answers GET /{media-id} with the media's URL, as the Graph API
// does; the URL points back at this server unless SetMediaURL changed it.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		s.graphError(w, http.StatusNotFound, 100, "Unsupported get request. Object with ID '"+id+"' does not exist")
		return
	}
	u := m.url
	if u == "" {
		u = s.URL + "/download/" + id + "?ext=1700000000&hash=ATuX"
	}
	sum := sha256.Sum256(m.data)
	writeJSON(w, map[string]any{
		"messaging_product": "whatsapp", "url": u, "mime_type": m.contentType,
		"sha256": base64.StdEncoding.EncodeToString(sum[:]), "file_size": len(m.data), "id": id,
	})
}

func (s *Server) download(w http.ResponseWriter, r *http.Request, id string) {
	s.mu.Lock()
	m, ok := s.media[id]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	_, _ = w.Write(m.data)
}
