package flows_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/store"
)

// TestRunSendsItsRepliesAndHandsOverWhatDidNotGo: a run sends the replies
// it recorded itself, their send jobs held (CompleteHeld); a reply that
// does not go now, and those after it, are handed to their jobs, which
// send each once and in order.
func TestRunSendsItsRepliesAndHandsOverWhatDidNotGo(t *testing.T) {
	tests := []struct {
		name       string
		fails      map[int]error
		busy       bool // an older reply of the thread is still pending
		handedOver int
		sentByRun  string
	}{
		{name: "sent", sentByRun: "echo: hi"},
		{name: "the channel fails", fails: map[int]error{1: errors.New("503")}, handedOver: 1},
		{name: "an older reply is pending", busy: true, handedOver: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.sender.fails = tc.fails
			if tc.busy {
				if _, err := e.store.Complete(context.Background(), th, nil, []store.Outbound{{Thread: th, Channel: "twilio", To: th, Key: "older", Body: "older"}}); err != nil {
					t.Fatal(err)
				}
			}
			e.receive("hi")
			e.run()
			if e.store.held != 1 {
				t.Fatalf("%d CompleteHeld calls, want 1", e.store.held)
			}
			if got := strings.Join(e.sender.sent, "|"); got != tc.sentByRun {
				t.Fatalf("the run sent %q, want %q", got, tc.sentByRun)
			}
			if len(e.store.handedOver) != tc.handedOver {
				t.Fatalf("handed over %v, want %d replies", e.store.handedOver, tc.handedOver)
			}
			e.sendAll() // the send jobs, in order: each sends what is left
			want := []string{"echo: hi"}
			if tc.busy {
				want = []string{"older", "echo: hi"}
			}
			if !slices.Equal(e.sender.sent, want) {
				t.Fatalf("sent %q, want %q", e.sender.sent, want)
			}
			for k, l := range e.store.leases {
				if strings.HasPrefix(k, "outbox:") {
					t.Fatalf("reply lease %s left behind: %+v", k, l)
				}
			}
		})
	}
}

// TestRepliesOfADeadRunAreSweptAfterTheHold: a run that recorded its
// replies and died before sending them leaves them to SweepHeld, which
// takes those older than twice the lease's TTL and gives them send jobs.
func TestRepliesOfADeadRunAreSweptAfterTheHold(t *testing.T) {
	e := newEnv(t, func(r *flows.Runner) { r.LeaseTTL = 20 * time.Second })
	// The run died between recording and sending: CompleteHeld alone.
	ids, err := e.store.CompleteHeld(context.Background(), th, nil, []store.Outbound{{Thread: th, Channel: "twilio", To: th, Key: "k", Body: "left behind"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.runner.SweepHeld(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("SweepHeld = %d, %v; want 1", n, err)
	}
	if want := e.now.Add(-40 * time.Second); !e.store.sweptBefore.Equal(want) {
		t.Fatalf("swept replies recorded before %s, want %s (twice the lease TTL)", e.store.sweptBefore, want)
	}
	e.sendAll()
	if got := strings.Join(e.sender.sent, "|"); got != "left behind" || !slices.Equal(e.store.handedOver, ids) {
		t.Fatalf("sent %q, handed over %v", got, e.store.handedOver)
	}
}
