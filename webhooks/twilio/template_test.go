package twilio_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/switchboardhq/switchboard/webhooks/twilio"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

// TestSendTemplate checks the wire format of a template message: the
// Messages API's ContentSid and ContentVariables form fields, no Body; and
// what the fake refuses as Twilio does.
func TestSendTemplate(t *testing.T) {
	fake := twiliotest.NewServer(t, sid, token)
	cfg := twilio.Config{AccountSID: sid, AuthToken: token, From: "whatsapp:+14155238886", APIBaseURL: fake.URL, PublicURL: publicURL}
	s, err := twilio.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const content = "HX0123456789abcdef0123456789abcdef"
	var forms []url.Values
	fake.SetFailure(func(_ int, f url.Values) *twiliotest.Failure { forms = append(forms, f); return nil })
	vars := `{"1":"Ana","2":"Fitness assessment","3":"Tue 8 Dec 2026 10:00","4":"confirmed"}`
	msgSID, err := s.SendTemplate(ctx, "whatsapp:+15551234567", content, vars)
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Messages()
	if len(got) != 1 || got[0].SID != msgSID || got[0].ContentSID != content || got[0].Body != "" || got[0].ContentVariables != vars {
		t.Fatalf("sent %+v", got)
	}
	if f := forms[0]; f.Has("Body") || f.Get("ContentSid") != content || f.Get("ContentVariables") != vars {
		t.Fatalf("form = %v", f)
	}
	v, err := got[0].Variables()
	if err != nil || v["1"] != "Ana" || v["4"] != "confirmed" {
		t.Fatalf("variables = %v, %v", v, err)
	}

	// What Twilio refuses, the fake refuses: a bad SID, variables that
	// are not a JSON object of strings.
	for _, tc := range []struct{ sid, vars string }{
		{"MG0123456789abcdef0123456789abcdef", ""},
		{content, `["Ana"]`},
		{content, `{"1":2}`},
	} {
		var se *twilio.SendError
		if _, err := s.SendTemplate(ctx, "whatsapp:+15551234567", tc.sid, tc.vars); !errors.As(err, &se) || se.Code != 21619 || !se.Permanent {
			t.Errorf("SendTemplate(%q, %q): err = %v, want permanent 21619", tc.sid, tc.vars, err)
		}
	}
	if _, err := s.SendTemplate(ctx, "whatsapp:+15551234567", "", ""); err == nil {
		t.Error("SendTemplate without a Content SID succeeded")
	}

	fake.SetFailure(func(int, url.Values) *twiliotest.Failure { return &twiliotest.Failure{Status: 400, Code: 63016} })
	if _, err := s.Send(ctx, "whatsapp:+15551234567", "hello again"); !twilio.OutsideWindow(err) {
		t.Fatalf("63016: OutsideWindow(%v) = false", err)
	}
	if twilio.OutsideWindow(errors.New("other")) {
		t.Fatal("OutsideWindow of another error")
	}
}
