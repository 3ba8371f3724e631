package twilio_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

const (
	sid       = "AC00000000000000000000000000000001"
	token     = "f00dfeedf00dfeedf00dfeedf00dfeed"
	publicURL = "https://bot.example.com"
)

// memInbox accepts each provider id once.
type memInbox struct {
	mu   sync.Mutex
	msgs []store.Inbound
	fail error
}

func (m *memInbox) Accept(ctx context.Context, msg store.Inbound) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	for _, x := range m.msgs {
		if x.ProviderID == msg.ProviderID {
			return false, nil
		}
	}
	m.msgs = append(m.msgs, msg)
	return true, nil
}

type statusLog struct{ got []string }

func (s *statusLog) RecordStatus(ctx context.Context, channel, providerID, status string, code int) error {
	s.got = append(s.got, strings.Join([]string{channel, providerID, status}, "/"))
	return nil
}

func newRouter(cfg twilio.Config, inbox twilio.Inbox, st twilio.StatusRecorder, logs io.Writer) (*http.ServeMux, *[]string) {
	r := http.NewServeMux()
	w := twilio.NewWebhook(cfg, inbox, st, slog.New(slog.NewTextHandler(logs, nil)))
	var results []string
	w.OnResult = func(route, result string) { results = append(results, route+":"+result) }
	w.Register(r)
	return r, &results
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func post(r http.Handler, path string, body url.Values, sign bool, mutate func(*http.Request)) *httptest.ResponseRecorder {
	enc := body.Encode()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(enc))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sign {
		req.Header.Set("X-Twilio-Signature", twiliotest.Sign(token, publicURL+path, body))
	}
	if mutate != nil {
		mutate(req)
	}
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	return rec
}

var message = form(
	"From", "whatsapp:+15551234567", "To", "whatsapp:+14155238886", "MessageSid", "SM1",
	"Body", "hello", "ProfileName", "Ana", "WaId", "15551234567", "NumMedia", "2",
	"MediaUrl0", "https://api.twilio.com/m/0", "MediaContentType0", "audio/ogg",
	"MediaUrl1", "https://api.twilio.com/m/1", "MediaContentType1", "image/jpeg",
)

func TestInbound(t *testing.T) {
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}
	inbox := &memInbox{}
	var logs bytes.Buffer
	r, results := newRouter(cfg, inbox, &statusLog{}, &logs)

	rec := post(r, "/webhooks/twilio", message, true, nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "<Response/>") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/xml") {
		t.Fatalf("inbound = %d %q", rec.Code, rec.Body.String())
	}
	if len(inbox.msgs) != 1 {
		t.Fatalf("stored %d messages", len(inbox.msgs))
	}
	m := inbox.msgs[0]
	if m.Thread != "whatsapp:+15551234567" || m.ProviderID != "SM1" || m.Body != "hello" || m.ProfileName != "Ana" ||
		m.Channel != "twilio" || len(m.Media) != 2 || m.Media[0].ContentType != "audio/ogg" || m.Media[1].URL != "https://api.twilio.com/m/1" {
		t.Fatalf("stored %+v", m)
	}
	// Twilio retries a delivery: acknowledged, nothing new stored.
	if rec := post(r, "/webhooks/twilio", message, true, nil); rec.Code != 200 || len(inbox.msgs) != 1 {
		t.Fatalf("duplicate = %d, %d stored", rec.Code, len(inbox.msgs))
	}
	if got := strings.Join(*results, " "); got != "inbound:accepted inbound:duplicate" {
		t.Fatalf("results = %s", got)
	}
	if strings.Contains(logs.String(), "5551234567") || strings.Contains(logs.String(), "hello") {
		t.Fatalf("logs leak the number or the body:\n%s", logs.String())
	}
}

func TestInboundRefusals(t *testing.T) {
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}
	tests := []struct {
		name   string
		body   url.Values
		sign   bool
		mutate func(*http.Request)
		code   int
		reason string
	}{
		{"unsigned", message, false, nil, 403, "refused: missing signature: the X-Twilio-Signature header is absent"},
		{"wrong signature", message, false, func(r *http.Request) { r.Header.Set("X-Twilio-Signature", "AAAA") }, 403,
			"refused: bad signature: X-Twilio-Signature does not sign this body at PUBLIC_URL " + publicURL},
		{"signed for another URL", message, false, func(r *http.Request) {
			r.Header.Set("X-Twilio-Signature", twiliotest.Sign(token, "https://evil.example.com/webhooks/twilio", message))
		}, 403, "signature"},
		{"tampered body", message, true, func(r *http.Request) {
			tampered := url.Values{}
			for k, v := range message {
				tampered[k] = v
			}
			tampered.Set("Body", "transfer all the money")
			r.Body = io.NopCloser(strings.NewReader(tampered.Encode()))
		}, 403, "signature"},
		{"oversized", form("From", "whatsapp:+15551234567", "To", "x", "MessageSid", "SM2", "Body", strings.Repeat("a", 70<<10)), true, nil, 413, "larger than"},
		{"missing From", form("To", "whatsapp:+14155238886", "MessageSid", "SM3"), true, nil, 400, "From"},
		{"missing MessageSid", form("From", "whatsapp:+15551234567", "To", "whatsapp:+14155238886"), true, nil, 400, "MessageSid"},
		{"junk From", form("From", "whatsapp:call-me", "To", "x", "MessageSid", "SM4"), true, nil, 400, "From"},
		{"too many parameters", manyParams(twilio.MaxFormParams + 1), true, nil, 400, "parameters"},
		{"8,190 parameters with a bogus signature", manyParams(8190), false, func(r *http.Request) { r.Header.Set("X-Twilio-Signature", "AAAA") }, 400, "parameters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inbox := &memInbox{}
			r, _ := newRouter(cfg, inbox, &statusLog{}, io.Discard)
			rec := post(r, "/webhooks/twilio", tc.body, tc.sign, tc.mutate)
			if rec.Code != tc.code || !strings.Contains(rec.Body.String(), tc.reason) {
				t.Fatalf("got %d %q, want %d mentioning %q", rec.Code, rec.Body.String(), tc.code, tc.reason)
			}
			if len(inbox.msgs) != 0 {
				t.Fatal("a refused request was stored")
			}
		})
	}
	// Without a token, nothing is accepted unless signatures are skipped;
	// the response and the log say why, in the same words.
	var logs bytes.Buffer
	r, _ := newRouter(twilio.Config{PublicURL: publicURL}, &memInbox{}, &statusLog{}, &logs)
	const why = "Twilio is not configured: TWILIO_AUTH_TOKEN is not set"
	if rec := post(r, "/webhooks/twilio", message, false, nil); rec.Code != 403 || !strings.Contains(rec.Body.String(), why) ||
		!strings.Contains(rec.Body.String(), "TWILIO_SKIP_SIGNATURE=true") || !strings.Contains(logs.String(), why) {
		t.Fatalf("tokenless = %d %q, want 403 saying %q (log: %s)", rec.Code, rec.Body.String(), why, logs.String())
	}
	inbox := &memInbox{}
	r, _ = newRouter(twilio.Config{PublicURL: publicURL, SkipSignature: true}, inbox, &statusLog{}, io.Discard)
	if rec := post(r, "/webhooks/twilio", message, false, nil); rec.Code != 200 || len(inbox.msgs) != 1 {
		t.Fatalf("skip-signature = %d", rec.Code)
	}
}

// manyParams is a message padded to n parameters.
func manyParams(n int) url.Values {
	v := form("From", "whatsapp:+15551234567", "To", "whatsapp:+14155238886", "MessageSid", "SM9")
	for i := len(v); i < n; i++ {
		v.Set(fmt.Sprint("p", i), "x")
	}
	return v
}

func TestInboundStoreFailureAsksForRetry(t *testing.T) {
	// A database error may quote the row it failed on.
	inbox := &memInbox{fail: errors.New(`insert: deadlock on (thread)=(whatsapp:+15551234567)`)}
	var logs bytes.Buffer
	r, _ := newRouter(twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}, inbox, &statusLog{}, &logs)
	if rec := post(r, "/webhooks/twilio", message, true, nil); rec.Code != 500 {
		t.Fatalf("store failure = %d, want 500 so Twilio retries", rec.Code)
	}
	if !strings.Contains(logs.String(), "deadlock") || strings.Contains(logs.String(), "5551234567") {
		t.Fatalf("the error is not logged masked:\n%s", logs.String())
	}
}

func TestStatusCallback(t *testing.T) {
	st := &statusLog{}
	inbox := &memInbox{}
	r, _ := newRouter(twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}, inbox, st, io.Discard)
	body := form("MessageSid", "SM9", "MessageStatus", "delivered", "To", "whatsapp:+15551234567", "From", "whatsapp:+14155238886")
	if rec := post(r, "/webhooks/twilio/status", body, true, nil); rec.Code != 204 {
		t.Fatalf("status = %d", rec.Code)
	}
	if strings.Join(st.got, ",") != "twilio/SM9/delivered" || len(inbox.msgs) != 0 {
		t.Fatalf("recorded %v; inbox %d (a callback must never start a run)", st.got, len(inbox.msgs))
	}
	if rec := post(r, "/webhooks/twilio/status", body, false, nil); rec.Code != 403 {
		t.Fatalf("unsigned status = %d, want 403", rec.Code)
	}
}

func TestSender(t *testing.T) {
	fake := twiliotest.NewServer(t, sid, token)
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, From: "whatsapp:+14155238886", APIBaseURL: fake.URL, PublicURL: publicURL}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	msgSID, err := s.Send(ctx, "whatsapp:+15551234567", "hi there")
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].SID != msgSID || got[0].To != "whatsapp:+15551234567" || got[0].From != cfg.From ||
		got[0].Body != "hi there" || got[0].StatusCallback != publicURL+"/webhooks/twilio/status" {
		t.Fatalf("sent %+v (sid %s)", got, msgSID)
	}
	tests := []struct {
		failure   twiliotest.Failure
		permanent bool
	}{
		{twiliotest.Failure{Status: 400, Code: 63016}, true},
		{twiliotest.Failure{Status: 400, Code: 21211}, true},
		{twiliotest.Failure{Status: 429, Code: 20429}, false},
		{twiliotest.Failure{Status: 503, Code: 20500}, false},
	}
	for _, tc := range tests {
		fake.SetFailure(func(int, url.Values) *twiliotest.Failure { return &tc.failure })
		_, err := s.Send(ctx, "whatsapp:+15551234567", "x")
		var se *twilio.SendError
		if !errors.As(err, &se) || se.Code != tc.failure.Code || se.ErrorCode() != tc.failure.Code || se.Permanent != tc.permanent {
			t.Fatalf("failure %+v: err = %v, want SendError permanent=%v", tc.failure, err, tc.permanent)
		}
	}
	down := twilio.Config{AccountSID: sid, AuthToken: token, From: cfg.From, APIBaseURL: "http://127.0.0.1:1", PublicURL: publicURL}
	s2, _ := twilio.NewSender(down)
	var se *twilio.SendError
	if _, err := s2.Send(ctx, "whatsapp:+15551234567", "x"); !errors.As(err, &se) || se.Permanent {
		t.Fatalf("unreachable API: %v, want a transient SendError", err)
	}
}

func TestSendVoice(t *testing.T) {
	fake := twiliotest.NewServer(t, sid, token)
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, From: "whatsapp:+14155238886", APIBaseURL: fake.URL, PublicURL: publicURL}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	link := publicURL + "/media/0123456789abcdef0123456789abcdef?exp=1900000000&sig=ab"
	msgSID, err := s.SendVoice(ctx, "whatsapp:+15551234567", webhooks.VoiceNote{Audio: []byte("OggS"), ContentType: "audio/ogg", URL: link})
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].SID != msgSID || got[0].Body != "" || len(got[0].MediaURLs) != 1 || got[0].MediaURLs[0] != link {
		t.Fatalf("sent %+v", got)
	}
	var se *twilio.SendError
	if _, err := s.SendVoice(ctx, "whatsapp:+15551234567", webhooks.VoiceNote{Audio: []byte("OggS")}); !errors.As(err, &se) || !se.Permanent {
		t.Fatalf("a note without a link: %v, want a permanent SendError", err)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
}

// TestSenderNotTwilio: a TWILIO_API_BASE_URL that answers something other
// than Twilio's JSON is reported with its real HTTP status, and is not
// retried unless it is a server error.
func TestSenderNotTwilio(t *testing.T) {
	for _, tc := range []struct {
		name      string
		h         http.HandlerFunc
		status    int
		permanent bool
		want      string
	}{
		{"an HTML 404", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "<html>not found</html>", 404) },
			404, true, "answered HTTP 404 Not Found with text/plain; charset=utf-8, not Twilio's JSON: is TWILIO_API_BASE_URL right?"},
		{"an empty 502", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(502) }, 502, false, "HTTP 502 Bad Gateway"},
		{"a web page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html>hello</html>"))
		}, 200, true, "HTTP 200 OK with text/html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			s, err := twilio.NewSender(twilio.Config{AccountSID: sid, AuthToken: token, From: "whatsapp:+14155238886", APIBaseURL: srv.URL, PublicURL: publicURL})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), "whatsapp:+15551234567", "x")
			var se *twilio.SendError
			if !errors.As(err, &se) || se.Status != tc.status || se.Permanent != tc.permanent || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want HTTP %d, permanent %v, saying %q", err, tc.status, tc.permanent, tc.want)
			}
		})
	}
}

func TestMediaFetcher(t *testing.T) {
	fake := twiliotest.NewServer(t, sid, token)
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, APIBaseURL: fake.URL}
	f := twilio.NewMediaFetcher(cfg)
	ctx := context.Background()
	u := fake.AddMedia("voice.ogg", "audio/ogg", []byte("OggS-fake-audio"))
	data, ct, err := f.Fetch(ctx, u)
	if err != nil || string(data) != "OggS-fake-audio" || ct != "audio/ogg" {
		t.Fatalf("Fetch = %q %q %v", data, ct, err)
	}
	// Nothing is fetched from another host; credentials never leave
	// Twilio's, even through a redirect.
	var sawAuth []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = append(sawAuth, r.Header.Get("Authorization"))
		w.Write([]byte("public"))
	}))
	defer other.Close()
	for _, foreign := range []string{other.URL + "/file", "http://127.0.0.1:6060/debug/pprof/cmdline", "http://169.254.169.254/latest/meta-data/",
		strings.Replace(fake.URL, "http://", "http://user:pw@", 1) + "/media/voice.ogg", strings.Replace(fake.URL, "http://", "https://", 1) + "/media/voice.ogg"} {
		if _, _, err := f.Fetch(ctx, foreign); !errors.Is(err, twilio.ErrForeignMedia) {
			t.Fatalf("Fetch(%s) = %v, want ErrForeignMedia", foreign, err)
		}
	}
	if len(sawAuth) != 0 {
		t.Fatalf("a foreign host was called %d times", len(sawAuth))
	}
	redirect := fake.AddRedirect("cdn.ogg", other.URL+"/stored")
	if data, _, err := f.Fetch(ctx, redirect); err != nil || string(data) != "public" || sawAuth[0] != "" {
		t.Fatalf("Fetch through Twilio's redirect = %q %v, credentials %q", data, err, sawAuth)
	}
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), twilio.MaxMediaBytes+10))
	}))
	defer big.Close()
	if _, _, err := f.Fetch(ctx, fake.AddRedirect("big", big.URL)); !errors.Is(err, twilio.ErrMediaTooLarge) {
		t.Fatalf("oversized media: %v", err)
	}
	if _, _, err := f.Fetch(ctx, "file:///etc/passwd"); err == nil {
		t.Fatal("fetched a file URL")
	}
}

// A refused request's log line is bounded whatever URL it chose, and names
// the peer, not what X-Forwarded-For claims (the server's router decides
// which proxies to trust; a bare handler trusts none).
func TestRefusedRequestLogIsBounded(t *testing.T) {
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}
	var logs bytes.Buffer
	r, _ := newRouter(cfg, &memInbox{}, &statusLog{}, &logs)
	long := "/webhooks/twilio?pad=" + strings.Repeat("x", 1<<20)
	rec := post(r, long, message, false, func(req *http.Request) {
		req.Header.Set("X-Twilio-Signature", "bogus")
		req.Header.Set("X-Forwarded-For", "203.0.113.9")
		req.RemoteAddr = "192.0.2.7:4000"
	})
	if rec.Code != http.StatusForbidden {
		t.Fatalf("forged request = %d", rec.Code)
	}
	line := logs.String()
	if len(line) > 2048 {
		t.Fatalf("refusal logged %d bytes", len(line))
	}
	if strings.Contains(line, "203.0.113.9") || !strings.Contains(line, "remote=192.0.2.7") {
		t.Fatalf("logged remote is not the peer:\n%s", line)
	}
}
