package flows_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
	"github.com/switchboardhq/switchboard/webhooks/twilio/twiliotest"
)

const (
	windowSID   = "AC0123456789abcdef0123456789abcdef"
	windowToken = "token0123456789"
	contentSID  = "HX0123456789abcdef0123456789abcdef"
)

// twilioEnv is a runner whose "twilio" channel is the real sender against
// the fake Twilio, with WhatsApp's 24-hour window.
func twilioEnv(t *testing.T) (*env, *twiliotest.Server, *[]string) {
	fake := twiliotest.NewServer(t, windowSID, windowToken)
	s, err := twilio.NewSender(twilio.Config{AccountSID: windowSID, AuthToken: windowToken, From: "whatsapp:+14155238886",
		APIBaseURL: fake.URL, PublicURL: "https://bot.example"})
	if err != nil {
		t.Fatal(err)
	}
	var failed []string
	e := newEnv(t, func(r *flows.Runner) {
		r.Channels["twilio"] = flows.Channel{
			Sender: s, Templates: s, MaxLength: twilio.MaxMessageLength, Window: 24 * time.Hour,
			OutsideWindow: twilio.OutsideWindow,
			Permanent: func(err error) bool {
				var se *twilio.SendError
				return errors.As(err, &se) && se.Permanent
			},
		}
		r.ChannelFor = func(string) string { return "twilio" }
		r.OnFailed = func(_ context.Context, out store.Outbound, reason string) {
			failed = append(failed, out.Key+": "+reason)
		}
	})
	return e, fake, &failed
}

// TestNoticeInsideAndOutsideTheWindow: a proactive message goes as free
// text while the customer's last message is under 24 hours old, as the
// approved template (ContentSid and ContentVariables on the wire) after
// that, and without a template it is recorded as not sent, with the
// reason, and not retried.
func TestNoticeInsideAndOutsideTheWindow(t *testing.T) {
	ctx := context.Background()
	const vars = `{"1":"Ana","2":"Fitness assessment","3":"Tue 8 Dec 2026 10:00","4":"confirmed"}`
	e, fake, failed := twilioEnv(t)
	e.receive("hello")

	e.now = e.now.Add(23 * time.Hour)
	if err := e.runner.NotifyTemplate(ctx, th, "booking:B1:approved", "B1 is confirmed.", contentSID, vars); err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(2 * time.Hour) // 25 hours after the customer wrote
	if err := e.runner.NotifyTemplate(ctx, th, "booking:B2:approved", "B2 is confirmed.", contentSID, vars); err != nil {
		t.Fatal(err)
	}
	err := e.runner.Notify(ctx, th, "owner-reply:1", "See you tomorrow!")
	var ns *flows.NotSentError
	if !errors.As(err, &ns) || !strings.Contains(ns.Reason, "24-hour window") {
		t.Fatalf("free text outside the window: err = %v, want NotSentError about the window", err)
	}
	// The same key again reports the recorded failure; nothing is sent.
	if err := e.runner.Notify(ctx, th, "owner-reply:1", "See you tomorrow!"); !errors.As(err, &ns) {
		t.Fatalf("again: err = %v", err)
	}

	got := fake.Messages()
	if len(got) != 2 {
		t.Fatalf("Twilio got %d messages, want 2: %+v", len(got), got)
	}
	if got[0].Body != "B1 is confirmed." || got[0].ContentSID != "" {
		t.Errorf("inside the window: %+v, want free text", got[0])
	}
	if got[1].Body != "" || got[1].ContentSID != contentSID || got[1].ContentVariables != vars || got[1].To != th {
		t.Errorf("outside the window: %+v, want the template", got[1])
	}
	if len(*failed) != 1 || !strings.HasPrefix((*failed)[0], "owner-reply:1: outside WhatsApp's 24-hour window") {
		t.Errorf("OnFailed heard %q", *failed)
	}
}

// TestOutsideWindowErrorIsNotRetried: Twilio answering 63016 to free text
// (its clock says the window closed) sends the template when there is one,
// and otherwise records the message as not sent: never the same free text
// again.
func TestOutsideWindowErrorIsNotRetried(t *testing.T) {
	ctx := context.Background()
	e, fake, failed := twilioEnv(t)
	e.receive("hello")
	var bodies []string
	fake.SetFailure(func(_ int, f url.Values) *twiliotest.Failure {
		if f.Get("Body") != "" {
			bodies = append(bodies, f.Get("Body"))
			return &twiliotest.Failure{Status: 400, Code: twilio.ErrOutsideWindow}
		}
		return nil
	})
	if err := e.runner.NotifyTemplate(ctx, th, "reminder:B1", "Reminder: B1 tomorrow.", contentSID, `{"1":"Ana"}`); err != nil {
		t.Fatalf("with a template: %v", err)
	}
	err := e.runner.Notify(ctx, th, "booking:B2:declined", "B2 was declined.")
	var ns *flows.NotSentError
	if !errors.As(err, &ns) || !strings.Contains(ns.Reason, "error 63016") {
		t.Fatalf("without a template: err = %v", err)
	}
	// The send job of the failed row, run again, sends nothing.
	if _, err := e.runner.SendReply(ctx, 2); err != nil {
		t.Fatalf("SendReply of a failed row: %v", err)
	}
	if got := fake.Messages(); len(got) != 1 || got[0].ContentSID != contentSID {
		t.Fatalf("Twilio accepted %+v, want only the template", got)
	}
	if len(bodies) != 2 {
		t.Errorf("free text tried %d times, want once per message: %q", len(bodies), bodies)
	}
	if row, _ := e.store.Outbound(ctx, 2); row.Status != store.StatusFailed || row.ErrorCode != 0 || !strings.Contains(row.Error, "63016") {
		t.Errorf("failed row = %+v", row)
	}
	if len(*failed) != 1 {
		t.Errorf("OnFailed heard %q", *failed)
	}
}

// TestNoticeTakesTheLastInboundChannel: a customer who wrote through
// another channel (the Cloud API) hears back through it, at the address
// they wrote from, even though ChannelFor names Twilio.
func TestNoticeTakesTheLastInboundChannel(t *testing.T) {
	ctx := context.Background()
	e, fake, _ := twilioEnv(t)
	meta := &toSender{}
	e.runner.Channels["meta"] = flows.Channel{Sender: meta, MaxLength: 4096}
	e.store.add(store.Inbound{Channel: "meta", ProviderID: "wamid.1", Thread: th, From: "15551234567", Body: "hola", ReceivedAt: e.now})
	if err := e.runner.Notify(ctx, th, "booking:B1:approved", "B1 is confirmed."); err != nil {
		t.Fatal(err)
	}
	if len(fake.Messages()) != 0 {
		t.Fatalf("went through Twilio: %+v", fake.Messages())
	}
	if sent := meta.sent; len(sent) != 1 || sent[0] != "15551234567: B1 is confirmed." {
		t.Fatalf("meta sent %q", sent)
	}
}

// toSender records "to: body" of each message.
type toSender struct{ sent []string }

func (s *toSender) Send(ctx context.Context, to, body string) (string, error) {
	s.sent = append(s.sent, to+": "+body)
	return "wamid.out" + string(rune('0'+len(s.sent))), nil
}
