package retry_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/retry"
)

func TestDo(t *testing.T) {
	transient, fatal := errors.New("transient"), errors.New("fatal")
	noSleep := func(context.Context, time.Duration) error { return nil }
	tests := []struct {
		name      string
		policy    retry.Policy
		errs      []error // per attempt; past the end: success
		wantCalls int
		wantErr   error
	}{
		{"zero policy tries once", retry.Policy{}, []error{transient}, 1, transient},
		{"recovers", retry.Policy{MaxAttempts: 3, Sleep: noSleep}, []error{transient, transient}, 3, nil},
		{"gives up", retry.Policy{MaxAttempts: 3, Sleep: noSleep}, []error{transient, transient, transient, transient}, 3, transient},
		{"RetryIf refuses", retry.Policy{MaxAttempts: 3, Sleep: noSleep, RetryIf: func(err error) bool { return err != fatal }}, []error{fatal}, 1, fatal},
		{"RetryAfter too long", retry.Policy{MaxAttempts: 3, Sleep: noSleep, MaxDelay: time.Second, RetryAfter: func(error) time.Duration { return time.Hour }}, []error{transient}, 1, transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			err := tt.policy.Do(context.Background(), func(context.Context) error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			if calls != tt.wantCalls || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Do = %v after %d calls; want %v after %d", err, calls, tt.wantErr, tt.wantCalls)
			}
		})
	}
}

func TestAttemptTimeoutIsTheCause(t *testing.T) {
	p := retry.Policy{MaxAttempts: 2, AttemptTimeout: 10 * time.Millisecond, Sleep: func(context.Context, time.Duration) error { return nil }}
	var causes []error
	err := p.Do(context.Background(), func(ctx context.Context) error {
		<-ctx.Done()
		causes = append(causes, context.Cause(ctx))
		return ctx.Err()
	})
	if !errors.Is(err, context.DeadlineExceeded) || len(causes) != 2 || !errors.Is(causes[1], retry.ErrAttemptTimeout) {
		t.Fatalf("Do = %v, causes %v", err, causes)
	}
}

func TestSleepStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := retry.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep = %v", err)
	}
}

func TestDelayIsEqualJitterBackoff(t *testing.T) {
	p := retry.Policy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, Jitter: func() float64 { return 0 }}
	for retryN, want := range map[int]time.Duration{1: 50 * time.Millisecond, 2: 100 * time.Millisecond, 3: 200 * time.Millisecond, 10: 500 * time.Millisecond} {
		if got, ok := p.Delay(retryN, nil); got != want || !ok {
			t.Errorf("Delay(%d) = %v, %v; want %v", retryN, got, ok, want)
		}
	}
}
