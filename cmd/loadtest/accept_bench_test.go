package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	spostgres "github.com/switchboardhq/switchboard/store/postgres"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

// discardInbox accepts every message without storing it.
type discardInbox struct{}

func (discardInbox) Accept(context.Context, store.Inbound) (bool, error) { return true, nil }

// storeInbox is the assistant's inbox with BURST_WINDOW=0.
type storeInbox struct{ st store.Store }

func (i storeInbox) Accept(ctx context.Context, msg store.Inbound) (bool, error) {
	return i.st.Accept(ctx, msg, time.Now())
}

// BenchmarkWebhook measures the acknowledgement path in process, without
// the network and without queue workers, so a CPU profile shows it alone:
//
//	scripts/with-postgres.sh go test -run '^$' -bench Webhook -cpuprofile cpu.out ./cmd/loadtest/
//
// "handler" is the net/http handler with the signature check and a no-op
// inbox; "postgres" adds the store's Accept (inbound row and River job in
// one transaction). 64 goroutines post at once, like the load tool.
func BenchmarkWebhook(b *testing.B) {
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	cfg := twilio.Config{AccountSID: accountSID, AuthToken: authToken, From: botNumber, APIBaseURL: twilio.DefaultAPIBaseURL, PublicURL: publicURL}
	// Message numbers go on across rounds: a benchmark round must not
	// re-send the previous round's MessageSids.
	sent := 0
	bench := func(b *testing.B, inbox twilio.Inbox, st twilio.StatusRecorder) {
		router := twilio.NewWebhook(cfg, inbox, st, log).Handler()
		plan := make([]delivery, b.N)
		for i := range plan {
			plan[i] = prepare(sent+i, (sent+i)%1000, "hello")
		}
		sent += b.N
		var next atomic.Int64
		b.SetParallelism(32) // 64 goroutines on 2 cores
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				d := plan[next.Add(1)-1]
				req := httptest.NewRequest(http.MethodPost, "/webhooks/twilio", bytes.NewReader(d.body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Twilio-Signature", d.sig)
				w := httptest.NewRecorder()
				router.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Errorf("status %d: %s", w.Code, w.Body)
					return
				}
			}
		})
	}
	b.Run("handler", func(b *testing.B) { bench(b, discardInbox{}, nil) })
	b.Run("postgres", func(b *testing.B) {
		server := os.Getenv("TEST_DATABASE_URL")
		if server == "" {
			b.Skip("TEST_DATABASE_URL is not set: run under scripts/with-postgres.sh")
		}
		if err := checkLoopback(server); err != nil {
			b.Skip(err)
		}
		ctx := context.Background()
		url, drop, err := freshDatabase(ctx, server)
		if err != nil {
			b.Fatal(err)
		}
		defer func() {
			if err := drop(ctx); err != nil {
				b.Error(err)
			}
		}()
		pool, err := cpostgres.NewPool(ctx, url, false)
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		if err := migrations.Up(ctx, migrations.OpenPostgres(pool), migrations.Postgres); err != nil {
			b.Fatal(err)
		}
		if err := spostgres.MigrateRiver(ctx, pool); err != nil {
			b.Fatal(err)
		}
		// An insert-only client: no workers, the benchmark measures only
		// the webhook's side.
		client, err := queue.NewPostgresInserter(pool, log)
		if err != nil {
			b.Fatal(err)
		}
		st, err := spostgres.New(pool, client)
		if err != nil {
			b.Fatal(err)
		}
		bench(b, storeInbox{st}, st)
	})
}
