// Package jsonhook is the JSON webhook for integrations (a website chat, a
// CRM, a form): POST /webhooks/json with a bearer token gets the same
// assistant, memory and rules as the WhatsApp channels.
//
// Guarantees:
//   - the token (WEBHOOK_TOKEN, at least 32 characters) is checked in
//     constant time before the body is read; without one the endpoint is off;
//   - a body is validated field by field, and every refusal is a 4xx with a
//     JSON {"error": "..."} naming what is wrong;
//   - a message is stored (unique on its id) before the answer, so a
//     repeated id runs nothing: it answers the stored reply once it exists;
//   - a request may wait for its reply (?wait=, at most 25 seconds); the
//     number of requests waiting at once is bounded.
package jsonhook

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Channel is the name the webhook's messages and replies carry; their
// thread is "json:<from>".
const Channel = "json"

// MinTokenLength is the shortest WEBHOOK_TOKEN accepted.
const MinTokenLength = 32

// MaxWait is the longest ?wait= a request may ask for.
const MaxWait = 25 * time.Second

// Config configures the webhook and the reply poster.
type Config struct {
	// Token authenticates requests (WEBHOOK_TOKEN) and signs the replies
	// posted to ReplyURL; empty turns the endpoint off.
	Token string
	// ReplyURL is where replies no waiting request collected are POSTed
	// (JSON_REPLY_URL); empty keeps them for a repeated request to collect.
	ReplyURL string
	// Timeout bounds each POST to ReplyURL (default 15s).
	Timeout time.Duration
}

// Enabled reports whether the endpoint is on.
func (c Config) Enabled() bool { return c.Token != "" }

// Validate checks c; each error names its variable.
func (c Config) Validate() error {
	var errs []error
	if c.Token != "" && len(c.Token) < MinTokenLength {
		errs = append(errs, fmt.Errorf("WEBHOOK_TOKEN: %d characters; use at least %d (for example: openssl rand -hex 32)", len(c.Token), MinTokenLength))
	}
	if c.ReplyURL != "" {
		if u, err := url.Parse(c.ReplyURL); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			errs = append(errs, fmt.Errorf("JSON_REPLY_URL=%q: want an absolute http(s) URL", c.ReplyURL))
		}
		if c.Token == "" {
			errs = append(errs, errors.New("JSON_REPLY_URL: needs WEBHOOK_TOKEN, which signs the replies"))
		}
	}
	return errors.Join(errs...)
}
