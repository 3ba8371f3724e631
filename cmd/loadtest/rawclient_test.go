package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRawConn checks the load tool's client against net/http's server: the
// request arrives whole and signed, the connection is reused, and a
// response that closes the connection makes the next request dial again.
func TestRawConn(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/webhooks/twilio" || r.Header.Get("X-Twilio-Signature") != "c2ln" ||
			r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || !strings.HasPrefix(string(body), "Body=") {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		if string(body) == "Body=close" {
			w.Header().Set("Connection", "close")
		}
		if string(body) == "Body=bad" {
			http.Error(w, "bad", http.StatusForbidden)
			return
		}
		w.Write([]byte("<Response/>"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	c := &rawConn{addr: addr}
	defer c.close()
	req := func(body string) []byte { return rawRequest(addr, delivery{body: []byte(body), sig: "c2ln"}) }
	tests := []struct {
		body  string
		code  int
		conns int32
	}{
		{"Body=hi", http.StatusOK, 1},
		{"Body=hi", http.StatusOK, 1},
		{"Body=bad", http.StatusForbidden, 1},
		{"Body=close", http.StatusOK, 1},
		{"Body=hi", http.StatusOK, 2}, // dialled again
		{"Body=hi", http.StatusOK, 2},
	}
	for i, tc := range tests {
		code, lat, err := c.do(context.Background(), req(tc.body))
		if err != nil || code != tc.code || lat <= 0 {
			t.Fatalf("request %d (%s): %d, %v, %v; want %d", i, tc.body, code, lat, err, tc.code)
		}
		if n := conns.Load(); n != tc.conns {
			t.Fatalf("request %d: %d connections, want %d", i, n, tc.conns)
		}
	}
}
