package meta_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/webhooks"
	"github.com/switchboardhq/switchboard/webhooks/meta"
	"github.com/switchboardhq/switchboard/webhooks/meta/metatest"
)

const testToken = "EAAGtesttoken"

func newSender(t *testing.T, version string) (*meta.Sender, *metatest.Server) {
	t.Helper()
	fake := metatest.NewServer(t, testToken, testNumberID, version)
	s, err := meta.NewSender(meta.Config{
		AccessToken: testToken, PhoneNumberID: testNumberID, AppSecret: testSecret, VerifyToken: testVerifyToken,
		GraphURL: fake.URL, GraphVersion: version,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, fake
}

func TestSendText(t *testing.T) {
	s, fake := newSender(t, "v23.0")
	ctx := context.Background()
	for _, to := range []string{"whatsapp:+16505551234", "+1 650 555 1234", "16505551234"} {
		id, err := s.Send(ctx, to, "Hello!")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(id, "wamid.") {
			t.Fatalf("id %q", id)
		}
	}
	for _, m := range fake.Sent() {
		if m.To != "16505551234" || m.Type != "text" || m.Text != "Hello!" {
			t.Fatalf("sent %+v", m)
		}
	}
	if _, err := s.Send(ctx, "whatsapp:120363012345678901@g.us", "x"); !meta.IsPermanent(err) {
		t.Fatalf("a group is not a Cloud API recipient: err %v", err)
	}
}

// TestSendLongReplyInOrder sends a reply over the Cloud API's limit the way
// the runner does: split with webhooks.Split at MaxMessageLength, part by
// part; the fake refuses any body over 4,096 characters.
func TestSendLongReplyInOrder(t *testing.T) {
	s, fake := newSender(t, "v23.0")
	var b strings.Builder
	for i := range 900 {
		b.WriteString("Sentence number ")
		b.WriteString(strings.Repeat("é", i%7))
		b.WriteString(". ")
	}
	parts := webhooks.Split(b.String(), meta.MaxMessageLength)
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	for _, p := range parts {
		if _, err := s.Send(context.Background(), "+16505551234", p); err != nil {
			t.Fatal(err)
		}
	}
	sent := fake.Sent()
	if len(sent) != len(parts) {
		t.Fatalf("sent %d of %d parts", len(sent), len(parts))
	}
	for i := range parts {
		if sent[i].Text != parts[i] {
			t.Fatalf("part %d out of order", i)
		}
	}
}

func TestSendTemplate(t *testing.T) {
	s, fake := newSender(t, "v23.0")
	_, err := s.SendTemplate(context.Background(), "whatsapp:+34600111222", meta.Template{
		Name: "booking_update", Language: "es", Body: []string{"Ana", "Fitness assessment", "mar 9 dic 10:00", "approved"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := fake.Sent()[0]
	if m.Type != "template" || m.To != "34600111222" || m.Template.Name != "booking_update" || m.Template.Language != "es" ||
		strings.Join(m.Template.Body, "|") != "Ana|Fitness assessment|mar 9 dic 10:00|approved" {
		t.Fatalf("sent %+v %+v", m, m.Template)
	}
	if _, err := s.SendTemplate(context.Background(), "+34600111222", meta.Template{Name: "x"}); !meta.IsPermanent(err) {
		t.Fatalf("a template without a language: err %v", err)
	}
}

func TestSendVoice(t *testing.T) {
	s, fake := newSender(t, "v23.0")
	ogg := append([]byte("OggS"), make([]byte, 100)...)
	id, err := s.SendVoice(context.Background(), "+16505551234", webhooks.VoiceNote{Audio: ogg, ContentType: "audio/ogg"})
	if err != nil {
		t.Fatal(err)
	}
	up := fake.Uploads()
	if len(up) != 1 || up[0].ContentType != "audio/ogg" || string(up[0].Data) != string(ogg) {
		t.Fatalf("uploads %+v", up)
	}
	m := fake.Sent()[0]
	if m.ID != id || m.Type != "audio" || m.AudioID != up[0].ID {
		t.Fatalf("sent %+v, upload %s", m, up[0].ID)
	}
	// Nothing is uploaded for a message that cannot be sent.
	for _, c := range []struct {
		to    string
		audio []byte
	}{{"json:crm-7", ogg}, {"+16505551234", nil}} {
		if _, err := s.SendVoice(context.Background(), c.to, webhooks.VoiceNote{Audio: c.audio}); !meta.IsPermanent(err) {
			t.Fatalf("SendVoice(%q, %d bytes): err %v, want permanent", c.to, len(c.audio), err)
		}
	}
	if n := len(fake.Uploads()); n != 1 {
		t.Fatalf("%d uploads, want 1", n)
	}
}

func TestMarkRead(t *testing.T) {
	for _, c := range []struct {
		version string
		typing  bool
	}{{"v21.0", false}, {"v22.0", true}, {"v23.0", true}} {
		t.Run(c.version, func(t *testing.T) {
			s, fake := newSender(t, c.version)
			if err := s.MarkRead(context.Background(), "wamid.IN", true); err != nil {
				t.Fatal(err)
			}
			r := fake.Reads()
			if len(r) != 1 || r[0].MessageID != "wamid.IN" || r[0].Typing != c.typing {
				t.Fatalf("reads %+v, want typing %v", r, c.typing)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	cases := []struct {
		name       string
		failure    metatest.Failure
		permanent  bool
		retryAtLea time.Duration
	}{
		{"outside the 24-hour window", metatest.Failure{Status: 400, Code: meta.CodeReEngagement}, true, 0},
		{"undeliverable", metatest.Failure{Status: 400, Code: meta.CodeUndeliverable}, true, 0},
		{"invalid parameter", metatest.Failure{Status: 400, Code: 100}, true, 0},
		{"expired token", metatest.Failure{Status: 401, Code: 190}, true, 0},
		{"template missing", metatest.Failure{Status: 404, Code: 132001}, true, 0},
		{"throughput", metatest.Failure{Status: 400, Code: meta.CodeRateLimit}, false, 10 * time.Second},
		{"pair rate limit", metatest.Failure{Status: 400, Code: meta.CodePairRateLimit}, false, 10 * time.Second},
		{"account rate limit", metatest.Failure{Status: 429, Code: meta.CodeAccountRateLimit}, false, time.Minute},
		{"Retry-After longer than the code's", metatest.Failure{Status: 429, Code: meta.CodeRateLimit, RetryAfter: "120"}, false, 2 * time.Minute},
		{"something went wrong", metatest.Failure{Status: 500, Code: 131000}, false, 0},
		{"a 503 without a Meta code", metatest.Failure{Status: 503}, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, fake := newSender(t, "v23.0")
			f := c.failure
			fake.Fail(func(int, metatest.Sent) *metatest.Failure { return &f })
			_, err := s.Send(context.Background(), "+16505551234", "hi")
			var se *meta.SendError
			if !errors.As(err, &se) {
				t.Fatalf("err %v, want a *SendError", err)
			}
			if se.Permanent != c.permanent || meta.IsPermanent(err) != c.permanent {
				t.Fatalf("permanent %v, want %v (%v)", se.Permanent, c.permanent, err)
			}
			if se.Code != c.failure.Code || se.ErrorCode() != c.failure.Code || se.Status != c.failure.Status {
				t.Fatalf("code %d status %d, want %d %d", se.Code, se.Status, c.failure.Code, c.failure.Status)
			}
			if se.RetryAfter < c.retryAtLea {
				t.Fatalf("retry after %v, want at least %v", se.RetryAfter, c.retryAtLea)
			}
		})
	}
}

func TestSendNetworkErrorIsTransient(t *testing.T) {
	s, fake := newSender(t, "v23.0")
	fake.Close()
	_, err := s.Send(context.Background(), "+16505551234", "hi")
	if err == nil || meta.IsPermanent(err) {
		t.Fatalf("err %v, want a transient error", err)
	}
}

func TestNewSenderNeedsCredentials(t *testing.T) {
	if _, err := meta.NewSender(meta.Config{PhoneNumberID: testNumberID}); err == nil {
		t.Fatal("want an error without a token")
	}
}

func TestConfigValidate(t *testing.T) {
	full := meta.Config{AccessToken: "t", PhoneNumberID: "1065", AppSecret: "s", VerifyToken: "v"}
	cases := []struct {
		name string
		edit func(*meta.Config)
		want string
	}{
		{"complete", func(*meta.Config) {}, ""},
		{"channel off", func(c *meta.Config) { *c = meta.Config{} }, ""},
		{"token without number", func(c *meta.Config) { c.PhoneNumberID = "" }, "META_ACCESS_TOKEN and META_PHONE_NUMBER_ID"},
		{"phone number instead of id", func(c *meta.Config) { c.PhoneNumberID = "+15550783881" }, "META_PHONE_NUMBER_ID"},
		{"no app secret", func(c *meta.Config) { c.AppSecret = "" }, "META_APP_SECRET"},
		{"no verify token", func(c *meta.Config) { c.VerifyToken = "" }, "META_VERIFY_TOKEN"},
		{"bad version", func(c *meta.Config) { c.GraphVersion = "23" }, "META_GRAPH_VERSION"},
		{"bad URL", func(c *meta.Config) { c.GraphURL = "graph.local" }, "META_GRAPH_URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := full
			c.edit(&cfg)
			err := cfg.Validate()
			if (err == nil) != (c.want == "") || (err != nil && !strings.Contains(err.Error(), c.want)) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
		})
	}
}
