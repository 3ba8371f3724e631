package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/switchboardhq/switchboard/config"
)

// serve runs the HTTP server until ctx is done. When ready is non-nil it
// receives the bound address once the server accepts connections (tests
// listen on port 0).
func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	envFile := fs.String("env-file", ".env", "read variables from this file when it exists")
	if err := fs.Parse(args); err != nil {
		return err
	}
	get, err := config.WithDotEnv(*envFile, getenv)
	if err != nil {
		return err
	}
	cfg, err := config.Load(get)
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)

	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(gin.Recovery())
	router.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok\n") })

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on ASSISTANT_ADDR=%s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           router,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	log.Info("assistant listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL,
		"database", databaseKind(cfg), "timezone", cfg.Location.String())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func databaseKind(cfg config.Config) string {
	if cfg.UsesPostgres() {
		return "postgres"
	}
	return "sqlite"
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level)) // config.Load validated it
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
