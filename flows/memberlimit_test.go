package flows_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/flows"
)

// countingFlow is a gym-like flow that limits members itself (or not).
type countingFlow struct {
	limit int
	mu    sync.Mutex
	seen  []string
}

func (f *countingFlow) Run(ctx context.Context, th string, turn flows.Turn) (flows.Reply, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, m := range turn.Messages {
		f.seen = append(f.seen, m.Body)
	}
	return flows.Reply{}, nil
}

func (f *countingFlow) MemberLimit() int { return f.limit }

// TestMemberLimiterLeavesTheGroupRunning checks that a thread whose flow
// limits each member is not held by the per-thread limit (one noisy member
// would hold the whole group), and that a flow without a member limit
// still is.
func TestMemberLimiterLeavesTheGroupRunning(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int
		want  int // messages the flow reads
	}{
		{"the flow limits members", 3, 6},
		{"the flow does not", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gym := &countingFlow{limit: tc.limit}
			e := newEnv(t, func(r *flows.Runner) {
				r.RateLimit = 3
				r.Gym, r.IsGym = gym, func(string) bool { return true }
			})
			for i := range 6 {
				e.receive(fmt.Sprint("legs ", 10+i, " min"))
			}
			e.now = e.now.Add(2 * time.Second)
			e.run()
			if len(gym.seen) != tc.want {
				t.Fatalf("the flow read %d messages (%s), want %d", len(gym.seen), strings.Join(gym.seen, "|"), tc.want)
			}
		})
	}
}
