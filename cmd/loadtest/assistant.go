package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Fake Twilio and Meta credentials and addresses. Twilio's are letters and
// digits, as twilio-go requires.
const (
	accountSID = "AC0000000000000000000000000000load"
	authToken  = "0123456789abcdef0123456789abcdef"
	botNumber  = "whatsapp:+14155238886"
	// publicURL is what signatures are computed over; the reserved
	// .invalid domain is never called (status callbacks are not sent).
	publicURL  = "https://loadtest.invalid"
	webhookURL = publicURL + "/webhooks/twilio"

	metaToken     = "EAAGloadtesttoken"
	metaNumberID  = "106540352242922"
	metaAppSecret = "loadtest-app-secret-0123456789abcdef"
	metaVersion   = "v23.0"
)

// buildAssistant compiles cmd/assistant into dir. It must run inside the
// module.
func buildAssistant(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "assistant")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/switchboardhq/switchboard/cmd/assistant")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build cmd/assistant (run inside the repository, or pass -assistant): %w\n%s", err, out)
	}
	return bin, nil
}

// checkLoopback refuses a database URL whose hosts are not this machine:
// a loopback address, localhost, or a Unix socket directory.
func checkLoopback(dsn string) error {
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("parse database URL: %w", err)
	}
	hosts := []string{cfg.Host}
	for _, fb := range cfg.Fallbacks {
		hosts = append(hosts, fb.Host)
	}
	for _, h := range hosts {
		if !loopbackHost(h) {
			return fmt.Errorf("database host %q is not on loopback: the load tool only runs against a local server", h)
		}
	}
	return nil
}

func loopbackHost(h string) bool {
	if strings.HasPrefix(h, "/") || h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// freshDatabase creates an empty database on the server of serverURL and
// returns its URL and a function that drops it.
func freshDatabase(ctx context.Context, serverURL string) (string, func(context.Context) error, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, errors.New("the database URL must be a postgres:// URL to create a fresh database (or pass -fresh-db=false)")
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("random database name: %w", err)
	}
	name := "loadtest_" + hex.EncodeToString(b[:])
	ident := pgx.Identifier{name}.Sanitize()
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to the database server: %w", err)
	}
	defer admin.Close(context.WithoutCancel(ctx))
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	fresh := *u
	fresh.Path = "/" + name
	drop := func(ctx context.Context) error {
		admin, err := pgx.Connect(ctx, serverURL)
		if err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		defer admin.Close(context.WithoutCancel(ctx))
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	return fresh.String(), drop, nil
}

// assistant is a running `assistant serve` process.
type assistant struct {
	Addr string
	cmd  *exec.Cmd
	done chan error
	log  *logScan
}

// logScan copies the assistant's JSON log to a file, finds the listening
// address, and counts warnings and errors.
type logScan struct {
	mu     sync.Mutex
	warns  int
	errors int
	first  []string // the first few error lines
	turnMS []float64
}

// logLine is the part of a log line the scanner reads.
type logLine struct {
	Level      string  `json:"level"`
	Msg        string  `json:"msg"`
	Addr       string  `json:"addr"`
	DurationMS float64 `json:"duration_ms"`
}

func (s *logScan) scan(r io.Reader, w io.Writer, ready chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if w != nil {
			_, _ = w.Write(append(line, '\n'))
		}
		var l logLine
		if json.Unmarshal(line, &l) != nil {
			continue
		}
		s.mu.Lock()
		switch l.Level {
		case "WARN":
			s.warns++
		case "ERROR":
			s.errors++
			if len(s.first) < 3 {
				s.first = append(s.first, string(line))
			}
		}
		if l.Msg == "turn answered" {
			s.turnMS = append(s.turnMS, l.DurationMS)
		}
		s.mu.Unlock()
		if l.Msg == "assistant listening" && ready != nil {
			ready <- l.Addr
			ready = nil
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// counts returns the warnings and errors logged so far, and the first
// error lines.
func (s *logScan) counts() (warns, errs int, first []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.warns, s.errors, append([]string(nil), s.first...)
}

// startAssistant runs bin serve with env (and nothing of this process's
// environment but PATH, HOME and TMPDIR), copying its log to logw, and
// waits until it listens.
func startAssistant(ctx context.Context, bin string, env map[string]string, logw io.Writer) (*assistant, error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "-env-file", "")
	cmd.Env = nil
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	// On cancellation ask politely; kill if it has not stopped after 30 s.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("assistant stderr: %w", err)
	}
	cmd.Stdout = logw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", bin, err)
	}
	a := &assistant{cmd: cmd, done: make(chan error, 1), log: &logScan{}}
	ready := make(chan string, 2)
	scanned := make(chan struct{})
	go func() {
		a.log.scan(stderr, logw, ready)
		close(scanned)
	}()
	go func() {
		<-scanned
		a.done <- cmd.Wait()
	}()
	if addr := env["ASSISTANT_ADDR"]; !strings.HasSuffix(addr, ":0") {
		// A fixed address: the listening line may be below LOG_LEVEL.
		ready <- addr
	}
	select {
	case a.Addr = <-ready:
	case err := <-a.done:
		a.done <- err
		return nil, fmt.Errorf("assistant exited before listening (%v); see its log", err)
	case <-time.After(90 * time.Second):
		_ = a.Stop(context.WithoutCancel(ctx))
		return nil, errors.New("assistant did not listen within 90 s; see its log")
	case <-ctx.Done():
		_ = a.Stop(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("start assistant: %w", ctx.Err())
	}
	if err := waitReady(ctx, "http://"+a.Addr+"/readyz"); err != nil {
		_ = a.Stop(context.WithoutCancel(ctx))
		return nil, err
	}
	return a, nil
}

// waitReady polls url until it answers 200, for at most 30 s.
func waitReady(ctx context.Context, url string) error {
	return waitReadyWithin(ctx, url, 30*time.Second)
}

// waitReadyWithin polls url until it answers 200, for at most d.
func waitReadyWithin(ctx context.Context, url string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("readiness request: %w", err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("assistant not ready at %s: %w", url, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop interrupts the assistant and waits for it to exit (killing it after
// 30 s).
func (a *assistant) Stop(ctx context.Context) error {
	if err := a.cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("interrupt assistant: %w", err)
	}
	select {
	case err := <-a.done:
		a.done <- err
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			return fmt.Errorf("assistant: %w", err)
		}
		if err != nil {
			return fmt.Errorf("assistant exited: %w", err)
		}
		return nil
	case <-time.After(30 * time.Second):
		_ = a.cmd.Process.Kill()
		return errors.New("assistant did not stop within 30 s: killed")
	case <-ctx.Done():
		_ = a.cmd.Process.Kill()
		return fmt.Errorf("stop assistant: %w", ctx.Err())
	}
}

// metricsToken is the METRICS_TOKEN the load tool gives the assistant to
// read its /metrics on the main port.
const metricsToken = "loadtest-metrics-token-0123456789"

// metricLines fetches the assistant's /metrics and returns the lines of the
// named series, histogram buckets left out.
func metricLines(ctx context.Context, addr string, names ...string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return nil, fmt.Errorf("metrics request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch metrics: %w", err)
	}
	defer resp.Body.Close()
	var out []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.Contains(line, "_bucket") {
			continue
		}
		for _, n := range names {
			if strings.HasPrefix(line, n) {
				out = append(out, line)
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read metrics: %w", err)
	}
	return out, nil
}
