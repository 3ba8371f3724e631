// Package googletest is a fake Google Calendar API (calendar/v3) and OAuth
// token endpoint for tests. It implements what the google backend uses —
// events list (with timeMin/timeMax, singleEvents, orderBy=startTime and
// paging through nextPageToken), get, insert, patch and delete — with the
// real JSON shapes, and answers 401 with Google's error body to a request
// whose bearer token it does not accept.
package googletest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is one request the server received.
type Request struct {
	Method string
	Path   string
	Query  map[string][]string
}

// Server is the fake. Its fields may be changed between requests with the
// methods below; it is safe for concurrent use.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	pageSize int
	events   map[string]map[string]map[string]any // calendar id → event id → event JSON
	deleted  map[string]bool
	tokens   map[string]bool // accepted access tokens
	refresh  map[string]bool // accepted refresh tokens
	codes    map[string]string
	requests []Request
	nextID   int
	issued   int
}

// New starts a fake server (see NewServer) that is closed when the test
// ends.
func New(t testing.TB) *Server {
	s := NewServer()
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake server that accepts the access token
// "valid-token" and the refresh token "refresh-token", and lists at most 10
// events a page. The caller closes it.
func NewServer() *Server {
	s := &Server{
		pageSize: 10,
		events:   map[string]map[string]map[string]any{},
		deleted:  map[string]bool{},
		tokens:   map[string]bool{"valid-token": true},
		refresh:  map[string]bool{"refresh-token": true},
		codes:    map[string]string{},
	}
	mux := http.NewServeMux()
	const base = "/calendar/v3/calendars/{cal}/events"
	mux.HandleFunc("GET "+base, s.auth(s.list))
	mux.HandleFunc("POST "+base, s.auth(s.insert))
	mux.HandleFunc("GET "+base+"/{id}", s.auth(s.get))
	mux.HandleFunc("PATCH "+base+"/{id}", s.auth(s.patch))
	mux.HandleFunc("DELETE "+base+"/{id}", s.auth(s.delete))
	mux.HandleFunc("POST /token", s.token)
	s.Server = httptest.NewServer(mux)
	return s
}

// TokenURL is the OAuth token endpoint of the fake.
func (s *Server) TokenURL() string { return s.URL + "/token" }

// SetPageSize sets the most events a list page holds.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// RevokeAll makes every access and refresh token invalid, as revoking the
// app's access in the Google account does.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
	s.refresh = map[string]bool{}
}

// ExpireAccessTokens makes every access token invalid while refresh tokens
// still work, as when an access token's hour is up.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens = map[string]bool{}
}

// AddAuthCode makes code exchangeable once at the token endpoint with the
// given PKCE verifier ("" skips the check).
func (s *Server) AddAuthCode(code, verifier string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = verifier
}

// Issued counts the access tokens the token endpoint issued.
func (s *Server) Issued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// Requests returns the API requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Event returns the stored JSON of an event.
func (s *Server) Event(calendarID, id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.events[calendarID][id]
	return e, ok
}

// apiError writes Google's error body.
func apiError(w http.ResponseWriter, code int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	status := map[int]string{400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 404: "NOT_FOUND", 410: "NOT_FOUND"}[code]
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": msg, "status": status,
		"errors": []any{map[string]any{"domain": "global", "reason": reason, "message": msg}},
	}})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) auth(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query()})
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		ok = ok && s.tokens[tok]
		s.mu.Unlock()
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
			apiError(w, http.StatusUnauthorized, "authError",
				"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
			return
		}
		h(w, r)
	}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bad := func(desc string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": desc})
	}
	refresh := ""
	switch r.PostForm.Get("grant_type") {
	case "refresh_token":
		if !s.refresh[r.PostForm.Get("refresh_token")] {
			bad("Token has been expired or revoked.")
			return
		}
	case "authorization_code":
		verifier, ok := s.codes[r.PostForm.Get("code")]
		if !ok || (verifier != "" && verifier != r.PostForm.Get("code_verifier")) {
			bad("Malformed auth code.")
			return
		}
		delete(s.codes, r.PostForm.Get("code"))
		refresh = "refresh-token"
		s.refresh[refresh] = true
	default:
		http.Error(w, `{"error":"unsupported_grant_type"}`, http.StatusBadRequest)
		return
	}
	s.issued++
	access := fmt.Sprintf("access-%d", s.issued)
	s.tokens[access] = true
	resp := map[string]any{"access_token": access, "expires_in": 3599, "token_type": "Bearer",
		"scope": "https://www.googleapis.com/auth/calendar.events"}
	if refresh != "" {
		resp["refresh_token"] = refresh
	}
	writeJSON(w, resp)
}

func eventTime(v any) time.Time {
	m, _ := v.(map[string]any)
	if dt, ok := m["dateTime"].(string); ok {
		t, _ := time.Parse(time.RFC3339, dt)
		return t
	}
	if d, ok := m["date"].(string); ok {
		t, _ := time.Parse("2006-01-02", d)
		return t
	}
	return time.Time{}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("orderBy") == "startTime" && q.Get("singleEvents") != "true" {
		apiError(w, http.StatusBadRequest, "invalid", "The requested ordering is not available for the particular query.")
		return
	}
	var tmin, tmax time.Time
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"timeMin", &tmin}, {"timeMax", &tmax}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				apiError(w, http.StatusBadRequest, "badRequest", "Bad Request")
				return
			}
			*p.t = t
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []map[string]any
	for _, e := range s.events[r.PathValue("cal")] {
		st, en := eventTime(e["start"]), eventTime(e["end"])
		if (!tmax.IsZero() && !st.Before(tmax)) || (!tmin.IsZero() && !en.After(tmin)) {
			continue
		}
		items = append(items, e)
	}
	slices.SortFunc(items, func(a, b map[string]any) int {
		if c := eventTime(a["start"]).Compare(eventTime(b["start"])); c != 0 {
			return c
		}
		return strings.Compare(a["id"].(string), b["id"].(string))
	})
	size := s.pageSize
	if n, err := strconv.Atoi(q.Get("maxResults")); err == nil && n > 0 && n < size {
		size = n
	}
	offset := 0
	if pt := q.Get("pageToken"); pt != "" {
		b, err := base64.RawURLEncoding.DecodeString(pt)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 || n > len(items) {
			apiError(w, http.StatusBadRequest, "invalid", "Invalid page token value.")
			return
		}
		offset = n
	}
	page := items[offset:min(offset+size, len(items))]
	resp := map[string]any{
		"kind": "calendar#events", "etag": `"p33c"`, "summary": "owner@example.com",
		"updated": time.Now().UTC().Format(time.RFC3339Nano), "timeZone": "UTC", "accessRole": "owner",
		"items": page,
	}
	if page == nil {
		resp["items"] = []any{}
	}
	if offset+size < len(items) {
		resp["nextPageToken"] = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset + size)))
	}
	writeJSON(w, resp)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.events[r.PathValue("cal")][r.PathValue("id")]
	if !ok {
		apiError(w, http.StatusNotFound, "notFound", "Not Found")
		return
	}
	writeJSON(w, e)
}

func decodeBody(r *http.Request) (map[string]any, error) {
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// normalizeAttendees gives attendees a responseStatus, as Google does.
func normalizeAttendees(e map[string]any) {
	list, _ := e["attendees"].([]any)
	for _, a := range list {
		if m, ok := a.(map[string]any); ok {
			if _, ok := m["responseStatus"]; !ok {
				m["responseStatus"] = "needsAction"
			}
		}
	}
}

func validTimes(e map[string]any) bool {
	st, en := eventTime(e["start"]), eventTime(e["end"])
	return !st.IsZero() && !en.IsZero() && en.After(st)
}

func (s *Server) insert(w http.ResponseWriter, r *http.Request) {
	e, err := decodeBody(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return
	}
	if !validTimes(e) {
		apiError(w, http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	id := fmt.Sprintf("g%05dabc", s.nextID)
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	e["kind"], e["id"], e["status"], e["etag"] = "calendar#event", id, "confirmed", fmt.Sprintf(`"%d"`, s.nextID)
	e["created"], e["updated"], e["sequence"] = now, now, 0
	e["iCalUID"] = id + "@google.com"
	e["htmlLink"] = "https://www.google.com/calendar/event?eid=" + id
	e["organizer"] = map[string]any{"email": "owner@example.com", "self": true}
	e["creator"] = map[string]any{"email": "owner@example.com", "self": true}
	normalizeAttendees(e)
	cal := r.PathValue("cal")
	if s.events[cal] == nil {
		s.events[cal] = map[string]map[string]any{}
	}
	s.events[cal][id] = e
	writeJSON(w, e)
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request) {
	p, err := decodeBody(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cal, id := r.PathValue("cal"), r.PathValue("id")
	old, ok := s.events[cal][id]
	if !ok {
		apiError(w, http.StatusNotFound, "notFound", "Not Found")
		return
	}
	e := map[string]any{}
	for k, v := range old {
		e[k] = v
	}
	for k, v := range p {
		if v == nil {
			delete(e, k)
		} else {
			e[k] = v
		}
	}
	if !validTimes(e) {
		apiError(w, http.StatusBadRequest, "timeRangeEmpty", "The specified time range is empty.")
		return
	}
	seq, _ := e["sequence"].(float64)
	if n, ok := e["sequence"].(int); ok {
		seq = float64(n)
	}
	e["sequence"] = seq + 1
	e["updated"] = time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	normalizeAttendees(e)
	s.events[cal][id] = e
	writeJSON(w, e)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cal, id := r.PathValue("cal"), r.PathValue("id")
	if s.deleted[cal+"/"+id] {
		apiError(w, http.StatusGone, "deleted", "Resource has been deleted")
		return
	}
	if _, ok := s.events[cal][id]; !ok {
		apiError(w, http.StatusNotFound, "notFound", "Not Found")
		return
	}
	delete(s.events[cal], id)
	s.deleted[cal+"/"+id] = true
	w.WriteHeader(http.StatusNoContent)
}
