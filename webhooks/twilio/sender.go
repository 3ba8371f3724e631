package twilio

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	twiliogo "github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/switchboardhq/switchboard/webhooks"
)

// MaxMessageLength is the longest WhatsApp body Twilio accepts; longer
// replies are split (webhooks.Split) and sent part by part.
const MaxMessageLength = 1600

// Sender sends WhatsApp messages through Twilio's Messages API.
type Sender struct {
	api            *openapi.ApiService
	from           string
	statusCallback string
}

// NewSender returns a sender for cfg, which must have credentials. Its REST
// calls go to cfg.APIBaseURL: twilio-go hard-codes Twilio's host, so the
// HTTP client rewrites the scheme and host of every request.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Enabled() {
		return nil, errors.New("twilio: sender needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
	}
	base, err := url.Parse(cfg.APIBaseURL)
	if err != nil {
		return nil, fmt.Errorf("twilio: TWILIO_API_BASE_URL: %w", err)
	}
	hc := cfg.httpClient()
	var rt http.RoundTripper = http.DefaultTransport
	if cfg.APIBaseURL != DefaultAPIBaseURL {
		rt = rewriteHost{to: base, next: rt}
	}
	hc.Transport = checkAnswer{next: rt}
	c := &client.Client{Credentials: client.NewCredentials(cfg.AccountSID, cfg.AuthToken), HTTPClient: hc}
	c.SetAccountSid(cfg.AccountSID)
	rc := twiliogo.NewRestClientWithParams(twiliogo.ClientParams{Client: c})
	return &Sender{
		api:            rc.Api,
		from:           cfg.From,
		statusCallback: cfg.PublicURL + "/webhooks/twilio/status",
	}, nil
}

// rewriteHost sends every request to another scheme and host, keeping the
// path: twilio-go's REST host cannot be configured.
type rewriteHost struct {
	to   *url.URL
	next http.RoundTripper
}

func (r rewriteHost) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme = r.to.Scheme
	out.URL.Host = r.to.Host
	out.URL.Path = strings.TrimRight(r.to.Path, "/") + req.URL.Path
	out.Host = r.to.Host
	return r.next.RoundTrip(out)
}

// SendError is a failed send. Permanent errors (an invalid number, a
// conversation outside WhatsApp's 24-hour window) must not be retried.
type SendError struct {
	// Code is Twilio's error code (63016, 21211, ...), 0 when the request
	// never got an answer.
	Code      int
	Status    int
	Permanent bool
	Err       error
}

func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("twilio send failed (%s, code %d, HTTP %d): %v", kind, e.Code, e.Status, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// ErrorCode returns Twilio's error code, so the outbox records why a reply
// failed (flows reads it through this method).
func (e *SendError) ErrorCode() int { return e.Code }

// Send sends one message of at most MaxMessageLength characters and
// returns Twilio's message SID. twilio-go takes no context, so ctx is
// checked before the call and the HTTP client's timeout bounds it.
func (s *Sender) Send(ctx context.Context, to, body string) (string, error) {
	return s.create(ctx, to, func(p *openapi.CreateMessageParams) { p.SetBody(body) })
}

// create sends one message to to, its content set by fill, through the
// Messages API, and returns its SID; errors are classified (SendError).
func (s *Sender) create(ctx context.Context, to string, fill func(*openapi.CreateMessageParams)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	params := &openapi.CreateMessageParams{}
	params.SetTo(to)
	params.SetFrom(s.from)
	fill(params)
	params.SetStatusCallback(s.statusCallback)
	msg, err := s.api.CreateMessage(params)
	if err != nil {
		return "", classify(err)
	}
	if msg.Sid == nil {
		return "", &SendError{Err: errors.New("response without a message SID")}
	}
	return *msg.Sid, nil
}

// SendVoice sends a voice note by its link: Twilio fetches note.URL (a
// signed, expiring PUBLIC_URL/media/<id> link) and delivers the audio. A
// note without a link cannot be sent this way and fails permanently.
func (s *Sender) SendVoice(ctx context.Context, to string, note webhooks.VoiceNote) (string, error) {
	if note.URL == "" {
		return "", &SendError{Permanent: true, Err: errors.New("voice note without a public link (PUBLIC_URL/media)")}
	}
	return s.create(ctx, to, func(p *openapi.CreateMessageParams) { p.SetMediaUrl([]string{note.URL}) })
}

// SendTemplate sends an approved WhatsApp template: contentSID is its
// Content SID (HX…) and variables its variables as a JSON object of strings
// ({"1":"Ana","2":"Yoga"}), sent as the Messages API's ContentSid and
// ContentVariables fields with no Body. Templates are what WhatsApp accepts
// outside the 24-hour window.
func (s *Sender) SendTemplate(ctx context.Context, to, contentSID, variables string) (string, error) {
	if contentSID == "" {
		return "", &SendError{Permanent: true, Err: errors.New("no Content SID")}
	}
	return s.create(ctx, to, func(p *openapi.CreateMessageParams) {
		p.SetContentSid(contentSID)
		if variables != "" {
			p.SetContentVariables(variables)
		}
	})
}

// ErrOutsideWindow is Twilio's error code for a free-form message to a
// WhatsApp user who has not written in the last 24 hours.
const ErrOutsideWindow = 63016

// OutsideWindow reports whether err is Twilio refusing free text outside
// WhatsApp's 24-hour window (error 63016): an approved template is then the
// only way to reach the user.
func OutsideWindow(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Code == ErrOutsideWindow
}

// classify sorts a failed send: Twilio's 429 and 5xx, and network
// trouble, are retried; its other errors are permanent. An answer that is
// not Twilio's keeps its HTTP status and is permanent unless it is a 5xx
// (a proxy's bad gateway passes): a wrong TWILIO_API_BASE_URL must not be
// retried for days.
func classify(err error) error {
	var nt *NotTwilioError
	if errors.As(err, &nt) {
		return &SendError{Status: nt.Status, Permanent: nt.Status < 500, Err: nt}
	}
	var te *client.TwilioRestError
	if !errors.As(err, &te) {
		return &SendError{Err: err} // network trouble: retry
	}
	transient := te.Status == http.StatusTooManyRequests || te.Status >= 500 || te.Code == 20429
	return &SendError{Code: te.Code, Status: te.Status, Permanent: !transient, Err: err}
}
