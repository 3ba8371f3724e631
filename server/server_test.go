package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/switchboardhq/switchboard/server"
	"github.com/switchboardhq/switchboard/webhooks"
)

func do(t *testing.T, h http.Handler, method, path, body string, header map[string]string, peer string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if peer != "" {
		req.RemoteAddr = peer
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestRoutes(t *testing.T) {
	notReady := errors.New("database down")
	var readyErr error
	metrics := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "switchboard_x 1\n") })
	s, err := server.New(server.Config{
		Ready:        func(context.Context) error { return readyErr },
		Metrics:      metrics,
		MetricsToken: "secret-token-0123456789",
		MaxBodyBytes: 16,
	})
	if err != nil {
		t.Fatal(err)
	}
	// A net/http handler that writes without WriteHeader means 200.
	s.Handle("GET /plain", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "plain") }))
	s.Handle("POST /echo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		w.Write(b)
	}))
	s.Handle("GET /panic", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	s.Handle("POST /created", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))

	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		code                     int
		want                     string
	}{
		{"healthz", "GET", "/healthz", "", nil, 200, "ok\n"},
		{"readyz", "GET", "/readyz", "", nil, 200, "ready\n"},
		{"mounted handler", "GET", "/plain", "", nil, 200, "plain"},
		{"no content", "POST", "/created", "", nil, 204, ""},
		{"body within limit", "POST", "/echo", "0123456789", nil, 200, "0123456789"},
		{"body over limit", "POST", "/echo", strings.Repeat("x", 17), nil, 413, "too large\n"},
		{"wrong method", "GET", "/echo", "", nil, 405, ""},
		{"unknown path", "GET", "/nowhere", "", nil, 404, ""},
		{"panic recovered", "GET", "/panic", "", nil, 500, ""},
		{"metrics without token", "GET", "/metrics", "", nil, 404, ""},
		{"metrics with wrong token", "GET", "/metrics", "", map[string]string{"Authorization": "Bearer nope"}, 404, ""},
		{"metrics with token", "GET", "/metrics", "", map[string]string{"Authorization": "Bearer secret-token-0123456789"}, 200, "switchboard_x 1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := do(t, s, tc.method, tc.path, tc.body, tc.header, "")
			if code != tc.code || (tc.want != "" && body != tc.want) {
				t.Fatalf("%s %s = %d %q, want %d %q", tc.method, tc.path, code, body, tc.code, tc.want)
			}
		})
	}
	readyErr = notReady
	if code, body := do(t, s, "GET", "/readyz", "", nil, ""); code != 503 || !strings.Contains(body, "database down") {
		t.Fatalf("readyz when not ready = %d %q", code, body)
	}
}

// Without a token, /metrics is not on the main port at all.
func TestMetricsOffWithoutToken(t *testing.T) {
	s, err := server.New(server.Config{Metrics: http.NotFoundHandler()})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := do(t, s, "GET", "/metrics", "", map[string]string{"Authorization": "Bearer "}, ""); code != 404 {
		t.Fatalf("GET /metrics = %d, want 404", code)
	}
}

func TestClientIP(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		peer    string
		want    string
	}{
		{"no proxy trusted", nil, "192.0.2.7:4000", "192.0.2.7"},
		{"untrusted peer", []string{"10.0.0.0/8"}, "192.0.2.7:4000", "192.0.2.7"},
		{"trusted proxy by CIDR", []string{"10.0.0.0/8"}, "10.1.2.3:4000", "203.0.113.9"},
		{"trusted proxy by IP", []string{"10.1.2.3"}, "10.1.2.3:4000", "203.0.113.9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := server.New(server.Config{TrustedProxies: tc.trusted})
			if err != nil {
				t.Fatal(err)
			}
			s.Handle("GET /ip", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, webhooks.ClientIP(r)) }))
			_, got := do(t, s, "GET", "/ip", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}, tc.peer)
			if got != tc.want {
				t.Fatalf("client IP = %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := server.New(server.Config{TrustedProxies: []string{"not-an-ip"}}); err == nil {
		t.Fatal("a bad trusted proxy was accepted")
	}
}

// Gin routes (the console's) and net/http routes live side by side.
func TestRouter(t *testing.T) {
	s, err := server.New(server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s.Router().GET("/console/", func(c *gin.Context) { c.String(http.StatusOK, "console") })
	s.Handle("GET /calendar.ics", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ics") }))
	for path, want := range map[string]string{"/console/": "console", "/calendar.ics": "ics"} {
		if code, body := do(t, s, "GET", path, "", nil, ""); code != 200 || body != want {
			t.Errorf("GET %s = %d %q", path, code, body)
		}
	}
}
