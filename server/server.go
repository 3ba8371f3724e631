// Package server is the assistant's HTTP front: the one place Gin is used.
// It builds the router every route of `assistant serve` hangs from, with
// what each request gets before any handler runs:
//
//   - recovery: a panicking handler answers 500 and the process lives;
//   - a bound on every request body (Config.MaxBodyBytes; channels hold
//     theirs to a tighter one);
//   - the client address for logs, taken from X-Forwarded-For only when the
//     peer is one of Config.TrustedProxies (none by default), so a caller
//     cannot forge the address it is logged under;
//   - GET /healthz, GET /readyz, and GET /metrics only behind a bearer
//     token (the metrics' own listener is Listen's business, see Serve).
//
// Channel packages stay plain net/http: they mount with Handle and Go's
// method-and-path patterns ("POST /webhooks/twilio"). Routes that want
// Gin's middleware groups (the console) use Router.
package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/switchboardhq/switchboard/webhooks"
)

// DefaultMaxBodyBytes bounds a request body when Config.MaxBodyBytes is 0.
const DefaultMaxBodyBytes = 1 << 20

// Config is what the router needs; the zero value serves health checks,
// trusts no proxy and keeps /metrics off the port.
type Config struct {
	// TrustedProxies are the IPs and CIDRs (TRUSTED_PROXIES) whose
	// X-Forwarded-For and X-Real-IP are believed. Empty trusts none: the
	// client address is the TCP peer.
	TrustedProxies []string
	// MaxBodyBytes bounds every request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Ready, when set, is what GET /readyz checks (the database, say).
	Ready func(context.Context) error
	// Metrics and MetricsToken (METRICS_TOKEN): with both set, GET /metrics
	// on this router serves Metrics to requests that carry
	// "Authorization: Bearer <MetricsToken>"; any other request, and every
	// request when either is unset, gets 404.
	Metrics      http.Handler
	MetricsToken string
}

// Server is the router. Mount routes before serving; it is not safe to
// add routes while requests are being served.
type Server struct {
	engine *gin.Engine
	mux    *http.ServeMux
}

// New builds the router. It fails when a trusted proxy is neither an IP
// nor a CIDR.
func New(cfg Config) (*Server, error) {
	e := gin.New()
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	// X-Appengine and Cloudflare headers are not ours to believe.
	e.TrustedPlatform = ""
	e.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
	limit := cfg.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	e.Use(gin.Recovery(), func(c *gin.Context) {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Request = c.Request.WithContext(webhooks.WithClientIP(c.Request.Context(), c.ClientIP()))
		c.Next()
	})
	s := &Server{engine: e, mux: http.NewServeMux()}
	e.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })
	e.GET("/readyz", func(c *gin.Context) {
		if cfg.Ready != nil {
			ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
			defer cancel()
			if err := cfg.Ready(ctx); err != nil {
				c.String(http.StatusServiceUnavailable, "not ready: %v\n", err)
				return
			}
		}
		c.String(http.StatusOK, "ready\n")
	})
	if cfg.Metrics != nil && cfg.MetricsToken != "" {
		e.GET("/metrics", bearer(cfg.MetricsToken), gin.WrapH(cfg.Metrics))
	}
	// Whatever Gin has no route for goes to the net/http mux, with the
	// middleware above already applied. Gin presets 404 for unrouted
	// requests; a handler that writes without WriteHeader means 200.
	e.NoRoute(func(c *gin.Context) {
		c.Status(http.StatusOK)
		s.mux.ServeHTTP(c.Writer, c.Request)
	})
	return s, nil
}

// bearer lets a request through only with "Authorization: Bearer token";
// any other answers 404, as if the route did not exist.
func bearer(token string) gin.HandlerFunc {
	want := sha256.Sum256([]byte(token))
	return func(c *gin.Context) {
		got, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
		sum := sha256.Sum256([]byte(got))
		if !ok || subtle.ConstantTimeCompare(sum[:], want[:]) != 1 {
			c.AbortWithStatus(http.StatusNotFound)
			return
		}
		c.Next()
	}
}

// Handle mounts h at a net/http pattern ("POST /webhooks/twilio",
// "GET /calendar.ics", "/console/"); it panics on a pattern that clashes
// with one already mounted, as http.ServeMux does.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Mux is the net/http mux behind Handle, for packages that register their
// own routes (twilio.Webhook.Register, evolution.Webhook.Register).
func (s *Server) Mux() *http.ServeMux { return s.mux }

// Router is the Gin router, for routes that want Gin's groups and
// middleware. Its routes take precedence over the mux's.
func (s *Server) Router() gin.IRouter { return s.engine }

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// HTTPServer returns an http.Server for h with the timeouts and header
// limit every listener of the assistant uses: slow or huge headers cannot
// hold a connection or memory for long.
func HTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if log != nil {
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	}
	return srv
}
