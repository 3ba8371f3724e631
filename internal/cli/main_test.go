package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envMap(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestServeHealth(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	metricsReady := make(chan string, 1)
	env := envMap(map[string]string{"ASSISTANT_ADDR": "127.0.0.1:0", "ASSISTANT_DATA_DIR": t.TempDir(), "DEBUG_ADDR": "127.0.0.1:0",
		"METRICS_ADDR": "127.0.0.1:0", "METRICS_TOKEN": "health-test-token-0123456789"})
	go func() {
		done <- serve(ctx, []string{"-env-file", ""}, env, &logs, &serveOptions{ready: ready, metricsReady: metricsReady, nextSteps: true})
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, logs.String())
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start")
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Fatalf("GET /healthz = %d %q", resp.StatusCode, body)
	}
	// The profiler answers on DEBUG_ADDR only.
	m := regexp.MustCompile(`"msg":"profiler listening","addr":"([^"]+)"`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no profiler address in the logs:\n%s", logs.String())
	}
	// Metrics answer on METRICS_ADDR, and on the main port only with the
	// token.
	metricsAddr := <-metricsReady
	for _, tc := range []struct {
		url   string
		token string
		code  int
		body  string
	}{
		{"http://" + m[1] + "/debug/pprof/cmdline", "", http.StatusOK, ""},
		{"http://" + addr + "/debug/pprof/cmdline", "", http.StatusNotFound, ""},
		{"http://" + metricsAddr + "/metrics", "", http.StatusOK, "go_goroutines"},
		{"http://" + addr + "/metrics", "", http.StatusNotFound, ""},
		{"http://" + addr + "/metrics", "wrong-token-0123456789", http.StatusNotFound, ""},
		{"http://" + addr + "/metrics", "health-test-token-0123456789", http.StatusOK, "switchboard_backlog_messages 0"},
	} {
		req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code || !strings.Contains(string(body), tc.body) {
			t.Errorf("GET %s (token %q) = %d, want %d with %q", tc.url, tc.token, resp.StatusCode, tc.code, tc.body)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v", err)
	}
	// The start-up line counts the tools every thread is offered: the
	// local calendar's five (each sender's own) and the workout log's two.
	for _, want := range []string{`"msg":"assistant listening"`, `"tools":7`, `"tool_names":"calendar_create_event,`, `log_workout`,
		"Switchboard is running at http://localhost:" + addr[strings.LastIndex(addr, ":")+1:],
		"set CONSOLE_PASSWORD", "TWILIO_SKIP_SIGNATURE=true", "A language model: set OPENAI_API_KEY"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
}

func TestRunCommands(t *testing.T) {
	tests := []struct {
		args     []string
		env      map[string]string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, nil, 2, "", "usage"},
		{[]string{"bogus"}, nil, 2, "", `unknown command "bogus"`},
		{[]string{"version"}, nil, 0, "assistant ", ""},
		{[]string{"--version"}, nil, 0, "assistant ", ""},
		{[]string{"--help"}, nil, 0, "threads erase THREAD", ""},
		{[]string{"-h"}, nil, 0, "healthcheck", ""},
		{[]string{"help", "chat"}, nil, 0, "usage: assistant chat", ""},
		// Every command's help: usage on stdout, exit 0, no error line,
		// and nothing opened (the bad timezone would fail a real start).
		{[]string{"serve", "--help"}, map[string]string{"ASSISTANT_TIMEZONE": "Nowhere/City"}, 0, "usage: assistant serve", ""},
		{[]string{"chat", "-h"}, nil, 0, "usage: assistant chat", ""},
		{[]string{"migrate", "-help"}, nil, 0, "usage: assistant migrate", ""},
		{[]string{"threads", "--help"}, nil, 0, "usage: assistant threads", ""},
		{[]string{"threads", "show", "-h"}, nil, 0, "usage: assistant threads", ""},
		{[]string{"calendar", "--help"}, nil, 0, "usage: assistant calendar", ""},
		{[]string{"calendar", "auth", "-h"}, nil, 0, "usage: assistant calendar", ""},
		{[]string{"healthcheck", "--help"}, nil, 0, "usage: assistant healthcheck", ""},
		{[]string{"version", "--help"}, nil, 0, "usage: assistant version", ""},
		{[]string{"serve", "-env-file", "no-such.env"}, nil, 1, "", "-env-file no-such.env: stat no-such.env: no such file or directory"},
		{[]string{"healthcheck", "-env-file", ""}, map[string]string{"ASSISTANT_ADDR": "127.0.0.1:1"}, 1, "", "healthcheck: http://127.0.0.1:1/healthz"},
		{[]string{"serve", "-env-file", ""}, map[string]string{"ASSISTANT_TIMEZONE": "Nowhere/City"}, 1, "", "ASSISTANT_TIMEZONE"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, envMap(tc.env), strings.NewReader(""), &out, &errb)
			if code != tc.code || !strings.Contains(out.String(), tc.inStdout) || !strings.Contains(errb.String(), tc.inStderr) ||
				(tc.code == 0 && errb.Len() > 0) {
				t.Fatalf("code %d stdout %q stderr %q", code, out.String(), errb.String())
			}
		})
	}
}

func TestUnreachableDatabaseStopsStartup(t *testing.T) {
	var out, errb bytes.Buffer
	env := envMap(map[string]string{
		"DATABASE_URL":   "postgres://app:s3cret@127.0.0.1:1/switchboard?connect_timeout=2",
		"ASSISTANT_ADDR": "127.0.0.1:0",
	})
	code := run(context.Background(), []string{"serve", "-env-file", ""}, env, strings.NewReader(""), &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "DATABASE_URL") {
		t.Fatalf("exit %d, stderr:\n%s", code, errb.String())
	}
	if strings.Contains(errb.String(), "s3cret") {
		t.Fatalf("the password leaked:\n%s", errb.String())
	}
}

func TestHealthcheckAsksTheServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	var out, errb bytes.Buffer
	// ":PORT" listens everywhere; the check asks loopback.
	code := run(context.Background(), []string{"healthcheck", "-env-file", ""}, envMap(map[string]string{"ASSISTANT_ADDR": ":" + port}), strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "ok: http://127.0.0.1:"+port+"/healthz") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errb.String())
	}
}

func TestLogFormat(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{"auto", `{"time":`}, // a buffer is not a terminal: JSON for collectors
		{"json", `{"time":`},
		{"text", "time="},
	} {
		var b bytes.Buffer
		newLogger(&b, "info", tc.format).Info("hello")
		if !strings.HasPrefix(b.String(), tc.want) {
			t.Errorf("LOG_FORMAT=%s: %q", tc.format, b.String())
		}
	}
}
