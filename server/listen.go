package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
)

// Background serves h on ln (with HTTPServer's limits) until the returned
// stop is called; stop shuts the server down gracefully within ctx's time
// and waits for it. It is for side listeners (metrics, the profiler) that
// live as long as the main one.
func Background(ln net.Listener, h http.Handler, log *slog.Logger) (stop func(ctx context.Context)) {
	srv := HTTPServer(h, log)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) && log != nil {
			log.Error("listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}()
	return func(ctx context.Context) {
		_ = srv.Shutdown(ctx)
		<-done
	}
}

// IsLoopback reports whether ln listens on a loopback address only.
func IsLoopback(ln net.Listener) bool {
	a, ok := ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}
