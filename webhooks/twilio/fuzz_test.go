package twilio_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/twilio"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

// FuzzInbound posts arbitrary form bodies, signed and unsigned, to the
// inbound and status routes: the handler never panics, never answers 5xx
// (the inbox does not fail here), and stores only what it answered 200.
func FuzzInbound(f *testing.F) {
	f.Add(message.Encode(), true)
	f.Add(message.Encode(), false)
	f.Add("From=whatsapp%3A%2B1&To=x&MessageSid=SM1&NumMedia=99999999999999999999", true)
	f.Add("From=whatsapp:call-me&To=x&MessageSid=SM1&Body=%ZZ", true)
	f.Add(manyParams(200).Encode(), true)
	f.Add("MessageSid=SM1&MessageStatus=delivered&ErrorCode=-1", true)
	f.Fuzz(func(t *testing.T, body string, sign bool) {
		cfg := twilio.Config{AccountSID: sid, AuthToken: token, PublicURL: publicURL}
		inbox := &memInbox{}
		r, _ := newRouter(cfg, inbox, &statusLog{}, io.Discard)
		for _, path := range []string{"/webhooks/twilio", "/webhooks/twilio/status"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if sign {
				if err := req.ParseForm(); err == nil {
					req.Header.Set("X-Twilio-Signature", twiliotest.Sign(token, publicURL+path, req.PostForm))
				}
				req.Body = io.NopCloser(strings.NewReader(body))
				req.Form, req.PostForm = nil, nil
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s: %d %q", path, rec.Code, rec.Body.String())
			}
			if rec.Code != 200 && path == "/webhooks/twilio" && len(inbox.msgs) != 0 {
				t.Fatalf("refused (%d) but stored", rec.Code)
			}
		}
	})
}
