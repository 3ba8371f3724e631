package webhooks

import (
	"context"
	"net"
	"net/http"
	"unicode/utf8"
)

// MaxLogField bounds a request-supplied string (a path, a header) written to
// the log: a refused request must not be able to grow the log by the size
// of whatever it sent.
const MaxLogField = 256

// Bound returns s cut to at most MaxLogField bytes (on a rune boundary),
// marked with "…" when it was cut, for logging request-supplied values.
func Bound(s string) string {
	if len(s) <= MaxLogField {
		return s
	}
	cut := MaxLogField
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

type clientIPKey struct{}

// WithClientIP returns ctx carrying the client address the server decided
// on (the peer, or what a trusted proxy reported). The server's router sets
// it; handlers read it with ClientIP.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, ip)
}

// ClientIP returns the client address of r for logs: the one the server's
// router put in the context (see WithClientIP), else the TCP peer. It never
// reads X-Forwarded-For itself: only the router knows which proxies to
// trust.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok && ip != "" {
		return ip
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return Bound(r.RemoteAddr)
}
