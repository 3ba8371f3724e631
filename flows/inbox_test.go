package flows_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/store"
)

const group = "whatsapp:120363012345678901@g.us"

func TestAcceptServesDirectChatsAndListedGroups(t *testing.T) {
	tests := []struct {
		name   string
		thread string
		isGym  func(string) bool
		stored bool
	}{
		{"direct chat", th, nil, true},
		{"direct chat, groups listed", th, func(string) bool { return false }, true},
		{"listed group", group, func(s string) bool { return s == group }, true},
		{"unlisted group", group, func(s string) bool { return false }, false},
		{"group, none listed", group, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			e := newEnv(t, func(r *flows.Runner) {
				r.IsGym = tt.isGym
				r.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			})
			created, err := e.runner.Accept(context.Background(), store.Inbound{Channel: "evolution", Thread: tt.thread, From: tt.thread, Body: "hi"})
			if err != nil || created != tt.stored || (len(e.store.inbound) == 1) != tt.stored {
				t.Fatalf("Accept = %v, %v; %d stored, want stored %v", created, err, len(e.store.inbound), tt.stored)
			}
			if !tt.stored && (!strings.Contains(logs.String(), "not stored") || strings.Contains(logs.String(), "120363012345678901")) {
				t.Fatalf("want one line naming the masked group, got %s", logs.String())
			}
		})
	}
}

// flowFunc is a Flow from a function.
type flowFunc func(ctx context.Context, thread string, turn flows.Turn) (flows.Reply, error)

func (f flowFunc) Run(ctx context.Context, thread string, turn flows.Turn) (flows.Reply, error) {
	return f(ctx, thread, turn)
}

// A flow's error wrapping flows.ErrModel is answered with the fallback;
// any other error fails the job, to be retried, and stores no reply.
func TestFlowErrorsFallbackOrRetry(t *testing.T) {
	storage := errors.New("database gone")
	tests := []struct {
		name      string
		err       error
		wantRetry bool
		replies   string
	}{
		{"model failed", fmt.Errorf("my flow: %w: %w", flows.ErrModel, errors.New("503")), false, "fallback:1=" + flows.DefaultFallback},
		{"storage failed", fmt.Errorf("my flow: %w", storage), true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(r *flows.Runner) {
				r.Agent = flowFunc(func(context.Context, string, flows.Turn) (flows.Reply, error) { return flows.Reply{}, tt.err })
			})
			e.receive("hello")
			_, err := e.runner.RunThread(context.Background(), th)
			if gotRetry := err != nil; gotRetry != tt.wantRetry || (err != nil && !errors.Is(err, storage)) {
				t.Fatalf("RunThread err = %v, want retry %v", err, tt.wantRetry)
			}
			if got := strings.Join(e.store.replies(), ","); got != tt.replies {
				t.Fatalf("replies = %q, want %q", got, tt.replies)
			}
		})
	}
}
