package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/google"
	"github.com/switchboardhq/switchboard/tools/calendar/google/googletest"
)

// calWriter is a writer safe for concurrent use that reports each write.
type calWriter struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes chan string
}

func (w *calWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	select {
	case w.writes <- w.b.String():
	default:
	}
	return len(p), nil
}

func (w *calWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func calEnv(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

var authURLRe = regexp.MustCompile(`https?://\S+/auth\?\S+`)

func TestCalendarAuth(t *testing.T) {
	for _, mode := range []string{"paste", "loopback"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			srv := googletest.New(t)
			srv.AddAuthCode("4/0Abc-code", "")
			tokenFile := filepath.Join(t.TempDir(), "tok", "google.json")
			env := calEnv(map[string]string{
				"CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+15551234567",
				"GOOGLE_OAUTH_CLIENT_ID": "client", "GOOGLE_OAUTH_CLIENT_SECRET": "secret",
				"GOOGLE_OAUTH_AUTH_URL": srv.URL + "/auth", "GOOGLE_OAUTH_TOKEN_URL": srv.TokenURL(),
				"GOOGLE_TOKEN_FILE": tokenFile,
			})
			out := &calWriter{writes: make(chan string, 16)}
			var stderr bytes.Buffer
			args := []string{"auth"}
			var stdin io.Reader
			if mode == "paste" {
				args = append(args, "-paste")
				stdin = strings.NewReader("\n4/0Abc-code\n")
			} else {
				// Play the browser: follow the printed URL's redirect_uri
				// with the code and the state.
				pr, pw := io.Pipe()
				defer pw.Close()
				stdin = pr
				go func() {
					for s := range out.writes {
						m := authURLRe.FindString(s)
						if m == "" {
							continue
						}
						u, err := url.Parse(m)
						if err != nil {
							t.Error(err)
							return
						}
						q := u.Query()
						if q.Get("access_type") != "offline" || q.Get("code_challenge_method") != "S256" || q.Get("scope") != google.Scope {
							t.Errorf("consent URL %s", m)
						}
						cb := q.Get("redirect_uri") + "?state=" + url.QueryEscape(q.Get("state")) + "&code=" + url.QueryEscape("4/0Abc-code")
						resp, err := http.Get(cb)
						if err != nil {
							t.Error(err)
							return
						}
						resp.Body.Close()
						return
					}
				}()
			}
			if err := runCalendar(ctx, args, env, stdin, out, &stderr); err != nil {
				t.Fatalf("calendar auth: %v\nstdout: %s\nstderr: %s", err, out, stderr.String())
			}
			tok, err := google.FileTokenStore{Path: tokenFile}.Load()
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken != "access-1" || tok.RefreshToken != "refresh-token" {
				t.Fatalf("stored token = %+v", tok)
			}
			if !strings.Contains(out.String(), "Authorized") {
				t.Fatalf("stdout = %s", out)
			}
		})
	}
}

func TestCalendarAuthRejectsWrongState(t *testing.T) {
	srv := googletest.New(t)
	srv.AddAuthCode("code", "")
	env := calEnv(map[string]string{
		"GOOGLE_OAUTH_CLIENT_ID": "client", "GOOGLE_OAUTH_CLIENT_SECRET": "secret",
		"GOOGLE_OAUTH_TOKEN_URL": srv.TokenURL(), "GOOGLE_TOKEN_FILE": filepath.Join(t.TempDir(), "t.json"),
	})
	var out, errb bytes.Buffer
	err := runCalendar(context.Background(), []string{"auth", "-paste"}, env,
		strings.NewReader("http://127.0.0.1/?state=forged&code=code\n"), &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "state") {
		t.Fatalf("a pasted redirect with a forged state: %v", err)
	}
}

func TestCalendarFeedURL(t *testing.T) {
	secret := strings.Repeat("k", 40)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		thread  string
		wantErr string
	}{
		{"local", map[string]string{"CALENDAR_FEED_SECRET": secret, "PUBLIC_URL": "https://bot.example.com/"}, "whatsapp:+15551234567", ""},
		// Every command taking a thread accepts the spellings chat does.
		{"bare number", map[string]string{"CALENDAR_FEED_SECRET": secret, "PUBLIC_URL": "https://bot.example.com/"}, "+15551234567", ""},
		{"spaced number", map[string]string{"CALENDAR_FEED_SECRET": secret, "PUBLIC_URL": "https://bot.example.com/"}, "+1 (555) 123-4567", ""},
		{"no secret", map[string]string{}, "whatsapp:+15551234567", "CALENDAR_FEED_SECRET"},
		{"google stranger", map[string]string{"CALENDAR_FEED_SECRET": secret, "CALENDAR_PROVIDER": "google", "CALENDAR_OWNERS": "whatsapp:+1", "GOOGLE_SERVICE_ACCOUNT_FILE": "/sa.json"}, "whatsapp:+2", "CALENDAR_OWNERS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			err := runCalendar(context.Background(), []string{"feed-url", tc.thread}, calEnv(tc.env), nil, &out, &errb)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(strings.TrimSpace(out.String()))
			if err != nil || u.Host != "bot.example.com" || u.Path != "/calendar.ics" {
				t.Fatalf("feed URL = %q", out.String())
			}
			thread, err := calendar.ParseFeedToken([]byte(secret), u.Query().Get("token"))
			if err != nil || thread != "whatsapp:+15551234567" {
				t.Fatalf("token names %q, %v", thread, err)
			}
		})
	}
}

func TestCalendarUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if err := runCalendar(context.Background(), nil, calEnv(nil), nil, &out, &errb); err == nil || !strings.Contains(errb.String(), "usage") {
		t.Fatalf("no command: %v, %q", err, errb.String())
	}
	if err := runCalendar(context.Background(), []string{"sync"}, calEnv(nil), nil, &out, &errb); err == nil {
		t.Fatal("unknown command accepted")
	}
}
