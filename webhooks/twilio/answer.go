package twilio

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// NotTwilioError is an answer of TWILIO_API_BASE_URL that is not Twilio's
// JSON: a proxy's error page, another service, a wrong path. It keeps the
// real HTTP status, which twilio-go would otherwise lose while failing to
// decode the body.
type NotTwilioError struct {
	Status      int
	ContentType string
	// Host is the host that answered.
	Host string
}

func (e *NotTwilioError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%s answered HTTP %d %s with %s, not Twilio's JSON: is TWILIO_API_BASE_URL right?",
		e.Host, e.Status, http.StatusText(e.Status), ct)
}

// checkAnswer passes Twilio's answers (a JSON object) through and turns
// anything else into a *NotTwilioError.
type checkAnswer struct{ next http.RoundTripper }

func (c checkAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// Peek at the first bytes: Twilio answers every request, errors
	// included, with a JSON object.
	br := bufio.NewReaderSize(resp.Body, 512)
	head, _ := br.Peek(512)
	if trimmed := strings.TrimSpace(string(head)); strings.HasPrefix(trimmed, "{") {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{br, resp.Body}
		return resp, nil
	}
	resp.Body.Close()
	return nil, &NotTwilioError{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Host: req.URL.Host}
}
