package backend

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a Run that records its batches and can be held, so calls
// pile up behind a batch in progress.
type recorder struct {
	mu      sync.Mutex
	batches [][]int
	hold    chan struct{} // when set, the first batch waits for it to close
	started chan struct{} // closed when the first batch starts
	fail    func(reqs []int) error
}

func (r *recorder) run(ctx context.Context, reqs []int) ([]string, error) {
	r.mu.Lock()
	first := len(r.batches) == 0
	r.batches = append(r.batches, slices.Clone(reqs))
	r.mu.Unlock()
	if first && r.started != nil {
		close(r.started)
	}
	if first && r.hold != nil {
		<-r.hold
	}
	if r.fail != nil {
		if err := r.fail(reqs); err != nil {
			return nil, err
		}
	}
	out := make([]string, len(reqs))
	for i, q := range reqs {
		out[i] = fmt.Sprint("r", q)
	}
	return out, nil
}

func (r *recorder) sizes() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []int
	for _, b := range r.batches {
		s = append(s, len(b))
	}
	return s
}

// pileUp starts a held first call, then n more calls that queue behind it,
// releases the first batch, and returns every call's result.
func pileUp(t *testing.T, g *Group[int, string], r *recorder, n int) map[int]string {
	t.Helper()
	r.hold, r.started = make(chan struct{}), make(chan struct{})
	ctx := context.Background()
	var (
		mu  sync.Mutex
		got = map[int]string{}
		wg  sync.WaitGroup
	)
	call := func(q int) {
		defer wg.Done()
		res, err := g.Do(ctx, q)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			got[q] = "error: " + err.Error()
			return
		}
		got[q] = res
	}
	wg.Add(1)
	go call(0)
	<-r.started
	for q := 1; q <= n; q++ {
		wg.Add(1)
		go call(q)
	}
	// Every call must be queued before the first batch ends.
	deadline := time.Now().Add(5 * time.Second)
	for {
		g.mu.Lock()
		queued := len(g.waiting)
		g.mu.Unlock()
		if queued == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d calls queued", queued, n)
		}
		time.Sleep(time.Millisecond)
	}
	close(r.hold)
	wg.Wait()
	return got
}

func TestGroupBatchesCallsThatArriveDuringACommit(t *testing.T) {
	tests := []struct {
		name  string
		max   int
		calls int
		sizes []int
	}{
		{"one batch behind the first", 0, 50, []int{1, 50}},
		{"capped batches", 20, 50, []int{1, 20, 20, 10}},
		{"a batch of one", 0, 1, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{}
			g := &Group[int, string]{Run: r.run, Max: tc.max}
			got := pileUp(t, g, r, tc.calls)
			if s := r.sizes(); !slices.Equal(s, tc.sizes) {
				t.Fatalf("batch sizes %v, want %v", s, tc.sizes)
			}
			for q := 0; q <= tc.calls; q++ {
				if got[q] != fmt.Sprint("r", q) {
					t.Fatalf("call %d got %q", q, got[q])
				}
			}
		})
	}
}

func TestGroupKeepsArrivalOrder(t *testing.T) {
	r := &recorder{}
	g := &Group[int, string]{Run: r.run}
	ctx := context.Background()
	// Sequential calls: each is its own batch, in order.
	for q := range 5 {
		if res, err := g.Do(ctx, q); err != nil || res != fmt.Sprint("r", q) {
			t.Fatalf("Do(%d) = %q, %v", q, res, err)
		}
	}
	var all []int
	for _, b := range r.batches {
		all = append(all, b...)
	}
	if !slices.Equal(all, []int{0, 1, 2, 3, 4}) {
		t.Fatalf("committed %v", all)
	}
}

func TestGroupRetriesAFailedBatchOneByOne(t *testing.T) {
	poison := errors.New("refused")
	r := &recorder{fail: func(reqs []int) error {
		if slices.Contains(reqs, 7) {
			return poison
		}
		return nil
	}}
	g := &Group[int, string]{Run: r.run}
	got := pileUp(t, g, r, 10)
	for q := 0; q <= 10; q++ {
		want := fmt.Sprint("r", q)
		if q == 7 {
			want = "error: refused"
		}
		if got[q] != want {
			t.Errorf("call %d got %q, want %q", q, got[q], want)
		}
	}
	// The first call alone, the batch of ten that failed, then each of the ten alone.
	if s := r.sizes(); !slices.Equal(s, []int{1, 10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}) {
		t.Fatalf("batch sizes %v", s)
	}
}

func TestGroupAnswersEveryCallerWhenRunMisbehaves(t *testing.T) {
	tests := []struct {
		name string
		run  func(context.Context, []int) ([]string, error)
		want string
	}{
		{"panic", func(context.Context, []int) ([]string, error) { panic("boom") }, "panicked: boom"},
		{"short result", func(context.Context, []int) ([]string, error) { return nil, nil }, "returned 0 results"},
		{"timeout", func(ctx context.Context, _ []int) ([]string, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, "deadline exceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := &Group[int, string]{Run: tc.run, Timeout: 10 * time.Millisecond}
			_, err := g.Do(context.Background(), 1)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestGroupCallerCancelled(t *testing.T) {
	r := &recorder{hold: make(chan struct{}), started: make(chan struct{})}
	g := &Group[int, string]{Run: r.run}
	first := make(chan error, 1)
	go func() { _, err := g.Do(context.Background(), 0); first <- err }()
	<-r.started
	// A caller that gives up while queued gets its context's error at once,
	// and its request is left out of the next batch.
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { _, err := g.Do(ctx, 1); gone <- err }()
	for {
		g.mu.Lock()
		n := len(g.waiting)
		g.mu.Unlock()
		if n == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller got %v", err)
	}
	close(r.hold)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if res, err := g.Do(context.Background(), 2); err != nil || res != "r2" {
		t.Fatalf("after: %q, %v", res, err)
	}
	if s := r.sizes(); !slices.Equal(s, []int{1, 1}) {
		t.Fatalf("batch sizes %v, want the cancelled call skipped", s)
	}
}
