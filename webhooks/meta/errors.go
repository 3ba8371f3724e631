package meta

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// SendError is a failed Graph API call. Permanent errors (outside the
// 24-hour window, an invalid recipient, a bad token) must not be retried;
// the others are retried with backoff, at least RetryAfter from now.
type SendError struct {
	// Code is Meta's error code (131047, 130429, ...), 0 when the request
	// never got an answer in Meta's error format.
	Code int
	// Status is the HTTP status, 0 when there was no answer.
	Status    int
	Permanent bool
	// RetryAfter is how long to wait before retrying a transient error:
	// the Retry-After header, or longer for rate limits; 0 to use the
	// caller's backoff.
	RetryAfter time.Duration
	// Message is Meta's message and details.
	Message string
	Err     error
}

func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	msg := e.Message
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("meta send failed (%s, code %d, HTTP %d): %s", kind, e.Code, e.Status, msg)
}

func (e *SendError) Unwrap() error { return e.Err }

// ErrorCode returns Meta's error code, so the outbox records why a reply
// failed.
func (e *SendError) ErrorCode() int { return e.Code }

// Meta's error codes the channel branches on. The reference is Meta's
// "WhatsApp error codes" page of the Cloud API documentation.
const (
	// CodeReEngagement: more than 24 hours since the customer's last
	// message; only a template can be sent.
	CodeReEngagement = 131047
	// CodeUndeliverable: the recipient cannot get the message (not on
	// WhatsApp, an old app, ...).
	CodeUndeliverable = 131026
	// CodeRateLimit: the number's throughput was exceeded.
	CodeRateLimit = 130429
	// CodePairRateLimit: too many messages to the same user too fast.
	CodePairRateLimit = 131056
	// CodeAccountRateLimit: the account's request rate was exceeded.
	CodeAccountRateLimit = 80007
	// CodeSpamRateLimit: the number's quality limits sending for a while.
	CodeSpamRateLimit = 131048
)

// transientCodes are retried: rate limits, Meta-side outages, a number in
// maintenance. Every other code is permanent: retrying the same request
// cannot fix a bad parameter, token, template, recipient or window.
var transientCodes = map[int]time.Duration{
	1:                    0,                // API unknown: possibly a server error
	2:                    0,                // API service: temporary downtime or overload
	4:                    time.Minute,      // application request limit
	17:                   time.Minute,      // user request limit
	341:                  time.Minute,      // application limit reached
	CodeAccountRateLimit: time.Minute,      // WhatsApp Business Account rate limit
	CodeRateLimit:        10 * time.Second, // throughput: short backoff
	CodePairRateLimit:    10 * time.Second, // pair rate limit: Meta suggests waiting before the next message to that user
	CodeSpamRateLimit:    10 * time.Minute, // quality-based limit: wait long
	131000:               0,                // something went wrong
	131016:               30 * time.Second, // service unavailable
	131057:               5 * time.Minute,  // business account in maintenance mode
	133004:               30 * time.Second, // server temporarily unavailable
}

// classify turns a Graph API error answer into a SendError.
func classify(status int, header http.Header, e apiError, fallback string) *SendError {
	se := &SendError{Code: e.Code, Status: status}
	se.Message = firstNonEmpty(e.Message, e.Title, fallback)
	if e.ErrorData.Details != "" {
		se.Message += ": " + e.ErrorData.Details
	}
	wait, transient := transientCodes[e.Code]
	if e.Code == 0 {
		// No Meta error code: judge by the HTTP status.
		transient = status == http.StatusTooManyRequests || status >= 500 || status == 0
	}
	if status >= 500 && e.Code != CodeReEngagement {
		transient = true
	}
	se.Permanent = !transient
	if transient {
		se.RetryAfter = max(wait, retryAfter(header))
	}
	return se
}

func retryAfter(h http.Header) time.Duration {
	if h == nil {
		return 0
	}
	v := h.Get("Retry-After")
	if secs, err := strconv.Atoi(v); err == nil && secs > 0 {
		return min(time.Duration(secs)*time.Second, time.Hour)
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return min(d, time.Hour)
		}
	}
	return 0
}

// IsPermanent reports whether err is a send failure that must not be
// retried (for flows.Channel.Permanent).
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}
