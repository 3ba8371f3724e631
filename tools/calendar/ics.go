package calendar

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// The iCalendar feed
//
// GET /calendar.ics?token=TOKEN serves a thread's events (from 90 days ago
// to a year ahead) as text/calendar, so its owner can subscribe from any
// calendar app. A token is
//
//	"v1." + base64url(thread) + "." + base64url(HMAC-SHA256(secret, "switchboard-calendar-feed/v1\x00" + thread))
//
// with secret = CALENDAR_FEED_SECRET. The token names its thread, and only
// the holder of the secret can make one, so each thread's feed has its own
// unguessable URL and no state is stored. Tokens do not expire; changing
// the secret revokes every feed URL at once. The thread id (a phone number)
// is readable in the URL: the URL is a credential for that person's
// calendar and is given to that person only (`assistant calendar feed-url
// THREAD`, or FeedURL in code). A bad or missing token gets 404, as does
// every request when no secret is configured.

// feedMACContext separates feed MACs from any other use of the secret.
const feedMACContext = "switchboard-calendar-feed/v1\x00"

// ErrBadToken reports a feed token that was not made with the secret.
var ErrBadToken = errors.New("calendar: invalid feed token")

// FeedToken returns the feed token of thread under secret.
func FeedToken(secret []byte, thread string) string {
	return "v1." + base64.RawURLEncoding.EncodeToString([]byte(thread)) + "." +
		base64.RawURLEncoding.EncodeToString(feedMAC(secret, thread))
}

func feedMAC(secret []byte, thread string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(feedMACContext + thread))
	return m.Sum(nil)
}

// ParseFeedToken checks token against secret and returns its thread, or an
// error wrapping ErrBadToken.
func ParseFeedToken(secret []byte, token string) (string, error) {
	if len(secret) == 0 {
		return "", fmt.Errorf("%w: no feed secret configured", ErrBadToken)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] != "v1" {
		return "", ErrBadToken
	}
	thread, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	mac, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || len(thread) == 0 {
		return "", ErrBadToken
	}
	if !hmac.Equal(mac, feedMAC(secret, string(thread))) {
		return "", ErrBadToken
	}
	return string(thread), nil
}

// FeedURL returns the feed URL of thread under publicURL (PUBLIC_URL), or
// an error when no feed secret is configured.
func (c *Calendar) FeedURL(publicURL, thread string) (string, error) {
	if len(c.opts.FeedSecret) == 0 {
		return "", errors.New("calendar: the feed is off: set CALENDAR_FEED_SECRET")
	}
	if !c.Allowed(thread) {
		return "", fmt.Errorf("calendar: thread %q may not use this calendar (see CALENDAR_OWNERS)", thread)
	}
	return strings.TrimRight(publicURL, "/") + "/calendar.ics?token=" + url.QueryEscape(FeedToken(c.opts.FeedSecret, thread)), nil
}

// FeedHandler serves GET /calendar.ics?token=TOKEN (see the package's feed
// notes in ics.go and FeedToken).
func (c *Calendar) FeedHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		thread, err := ParseFeedToken(c.opts.FeedSecret, r.URL.Query().Get("token"))
		if err != nil || !c.Allowed(thread) {
			http.NotFound(w, r)
			return
		}
		now := c.opts.Now()
		events, err := c.backend.List(r.Context(), thread, now.AddDate(0, 0, -90), now.AddDate(1, 0, 0))
		if err != nil {
			if errors.Is(err, ErrAuth) {
				c.opts.Logger.ErrorContext(r.Context(), "calendar authorization failed: run `assistant calendar auth` to reconnect the calendar", "op", "feed", "error", err)
			} else {
				c.opts.Logger.ErrorContext(r.Context(), "calendar feed failed", "error", err)
			}
			http.Error(w, "calendar unavailable", http.StatusServiceUnavailable)
			return
		}
		var buf bytes.Buffer
		if err := WriteICS(&buf, "Switchboard", c.opts.Location, now, events); err != nil {
			http.Error(w, "calendar unavailable", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Header().Set("Content-Disposition", `inline; filename="calendar.ics"`)
		w.Header().Set("Cache-Control", "private, max-age=300")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(buf.Bytes())
	})
}

// Feed returns a thread's iCalendar document for the given range, as the
// feed serves it.
func (c *Calendar) Feed(ctx context.Context, thread string, from, to time.Time) ([]byte, error) {
	events, err := c.backend.List(ctx, thread, from, to)
	if err != nil {
		return nil, fmt.Errorf("calendar feed: %w", err)
	}
	var buf bytes.Buffer
	if err := WriteICS(&buf, "Switchboard", c.opts.Location, c.opts.Now(), events); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteICS writes events as an iCalendar (RFC 5545) document named name.
// Times are written in UTC; loc is announced as the calendar's zone.
// stamp is the DTSTAMP of each event.
func WriteICS(w io.Writer, name string, loc *time.Location, stamp time.Time, events []Event) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(fold(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Switchboard//Calendar//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
	line("X-WR-CALNAME:" + escapeText(name))
	if loc != nil {
		line("X-WR-TIMEZONE:" + escapeText(loc.String()))
	}
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + escapeText(e.ID) + "@switchboard")
		line("DTSTAMP:" + icsTime(stamp))
		line("DTSTART:" + icsTime(e.Start))
		line("DTEND:" + icsTime(e.End))
		line("SUMMARY:" + escapeText(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escapeText(e.Description))
		}
		if e.Location != "" {
			line("LOCATION:" + escapeText(e.Location))
		}
		for _, a := range e.Attendees {
			line("ATTENDEE;RSVP=FALSE:mailto:" + a)
		}
		if !e.Updated.IsZero() {
			line("LAST-MODIFIED:" + icsTime(e.Updated))
		}
		line(fmt.Sprintf("SEQUENCE:%d", e.Sequence))
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("calendar: write ics: %w", err)
	}
	return nil
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes an iCalendar TEXT value.
func escapeText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// fold ends a content line with CRLF, folding it at 75 octets without
// splitting a UTF-8 sequence.
func fold(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		l := utf8.RuneLen(r)
		if n+l > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += l
	}
	b.WriteString("\r\n")
	return b.String()
}
