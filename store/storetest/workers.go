package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// Workers is a store whose River client runs real workers.
type Workers struct {
	Backend
	// Start and Stop start and stop the River client's workers.
	Start, Stop func(ctx context.Context) error
}

// NewWorkers builds a store whose workers call runner and sender. Build the
// River configuration with queue.Config and a short PollInterval (tens of
// milliseconds) so the suite runs fast. The workers are not started yet.
type NewWorkers func(t *testing.T, runner queue.ThreadRunner, sender queue.ReplySender) Workers

// call is one call of a stub.
type call struct {
	key string // thread, or reply key
	at  time.Time
}

// stubs are the ThreadRunner and ReplySender of RunWorkers. Their behaviour
// is chosen by thread (runs) and by reply key (sends).
type stubs struct {
	mu    sync.Mutex
	calls []call
	store store.Store // set before the workers start
}

func (s *stubs) record(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.key == key {
			n++
		}
	}
	s.calls = append(s.calls, call{key: key, at: time.Now()})
	return n // calls before this one
}

func (s *stubs) of(key string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	for _, c := range s.calls {
		if c.key == key {
			out = append(out, c.at)
		}
	}
	return out
}

// Threads and reply keys of RunWorkers that choose a stub's behaviour.
const (
	threadScheduled = "whatsapp:+15551239001"
	threadSnooze    = "whatsapp:+15551239002"
	threadSends     = "whatsapp:+15551239003"
	keyPermanent    = "permanent"
	keyTransient    = "transient"
	snoozeFor       = 300 * time.Millisecond
)

// RunThread implements queue.ThreadRunner: threadSnooze asks to run again
// once; every thread's pending messages are marked processed.
func (s *stubs) RunThread(ctx context.Context, thread string) (time.Duration, error) {
	if s.record(thread) == 0 && thread == threadSnooze {
		return snoozeFor, nil
	}
	p, err := s.store.Pending(ctx, thread)
	if err != nil {
		return 0, err
	}
	ids := make([]int64, len(p))
	for i, m := range p {
		ids[i] = m.ID
	}
	_, err = s.store.Complete(ctx, thread, ids, nil)
	return 0, err
}

// SendReply implements queue.ReplySender: keyPermanent fails for good,
// keyTransient fails once, anything else is sent.
func (s *stubs) SendReply(ctx context.Context, id int64) (time.Duration, error) {
	o, err := s.store.Outbound(ctx, id)
	if err != nil {
		return 0, err
	}
	before := s.record(o.Key)
	switch {
	case o.Key == keyPermanent:
		return 0, fmt.Errorf("send reply %d: outside the window: %w", id, queue.ErrPermanent)
	case o.Key == keyTransient && before == 0:
		return 0, fmt.Errorf("send reply %d: channel unavailable", id)
	}
	return 0, s.store.RecordPart(ctx, id, 0, fmt.Sprint("SMw", id), true)
}

// RunWorkers shows the jobs the store inserts being worked by River: a
// RunThread job runs at its scheduled time, not before; a run that asks to
// run again is snoozed and runs again; a SendReply failing with
// queue.ErrPermanent is cancelled, not retried, while another failure is
// retried.
func RunWorkers(t *testing.T, newWorkers NewWorkers) {
	ctx := context.Background()
	st := &stubs{}
	w := newWorkers(t, st, st)
	st.store = w.Store

	// Inserted before the workers start, so the scheduler's first pass sees
	// it: River moves scheduled jobs to available in passes 5 s apart.
	runAt := time.Now().Add(500 * time.Millisecond)
	accept(t, w.Store, msg(threadScheduled, "SMsched", "later"), runAt)
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.Stop(ctx); err != nil {
			t.Errorf("stop workers: %v", err)
		}
	})
	accept(t, w.Store, msg(threadSnooze, "SMsnooze", "now"), time.Time{})
	ids := complete(t, w.Store, threadSends, nil,
		reply(threadSends, keyPermanent, "a"), reply(threadSends, keyTransient, "b"), reply(threadSends, "ok", "c"))
	permanent, transient, ok := ids[0], ids[1], ids[2]

	t.Run("ScheduledRun", func(t *testing.T) {
		job := waitJob(t, w, queue.RunThread{}.Kind(), func(j *rivertype.JobRow) bool {
			return j.State == rivertype.JobStateCompleted && argsThread(j) == threadScheduled
		})
		calls := st.of(threadScheduled)
		if len(calls) != 1 {
			t.Fatalf("%d runs, want 1", len(calls))
		}
		// The database's clock decides; allow for clock reads a little apart.
		if calls[0].Before(runAt.Add(-10 * time.Millisecond)) {
			t.Fatalf("ran at %v, before its scheduled time %v", calls[0], runAt)
		}
		if job.Attempt != 1 {
			t.Fatalf("attempt %d, want 1", job.Attempt)
		}
		if p := pending(t, w.Store, threadScheduled); len(p) != 0 {
			t.Fatalf("%d messages still pending after the run", len(p))
		}
	})

	t.Run("SnoozeRunsAgain", func(t *testing.T) {
		waitJob(t, w, queue.RunThread{}.Kind(), func(j *rivertype.JobRow) bool {
			return j.State == rivertype.JobStateCompleted && argsThread(j) == threadSnooze
		})
		calls := st.of(threadSnooze)
		if len(calls) != 2 {
			t.Fatalf("%d runs, want 2 (snoozed once)", len(calls))
		}
		if gap := calls[1].Sub(calls[0]); gap < snoozeFor-10*time.Millisecond {
			t.Fatalf("ran again %v after the snooze, want at least %v", gap, snoozeFor)
		}
	})

	t.Run("SendPermanentCancelled", func(t *testing.T) {
		job := waitJob(t, w, queue.SendReply{}.Kind(), func(j *rivertype.JobRow) bool {
			return argsOutbox(j) == permanent && j.FinalizedAt != nil
		})
		if job.State != rivertype.JobStateCancelled || job.Attempt != 1 {
			t.Fatalf("job state %s attempt %d, want cancelled after 1", job.State, job.Attempt)
		}
		if len(job.Errors) != 1 || !strings.Contains(job.Errors[0].Error, queue.ErrPermanent.Error()) {
			t.Fatalf("job errors %+v, want the permanent failure", job.Errors)
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(st.of(keyPermanent)); n != 1 {
			t.Fatalf("sender called %d times, want 1", n)
		}
	})

	t.Run("SendTransientRetried", func(t *testing.T) {
		job := waitJob(t, w, queue.SendReply{}.Kind(), func(j *rivertype.JobRow) bool {
			return argsOutbox(j) == transient && j.State == rivertype.JobStateCompleted
		})
		if job.Attempt != 2 || len(job.Errors) != 1 {
			t.Fatalf("attempt %d with %d errors, want 2 with 1", job.Attempt, len(job.Errors))
		}
		if o := outbound(t, w.Store, transient); o.Status != store.StatusSent {
			t.Fatalf("reply status %q, want sent", o.Status)
		}
		if o := outbound(t, w.Store, ok); o.Status != store.StatusSent {
			t.Fatalf("reply status %q, want sent", o.Status)
		}
	})
}

func argsThread(j *rivertype.JobRow) string {
	var a queue.RunThread
	if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
		return ""
	}
	return a.Thread
}

func argsOutbox(j *rivertype.JobRow) int64 {
	var a queue.SendReply
	if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
		return 0
	}
	return a.OutboxID
}

// waitJob polls the jobs of kind until one matches, for at most 20 s (the
// River scheduler moves jobs every 5 s).
func waitJob(t *testing.T, w Workers, kind string, match func(*rivertype.JobRow) bool) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last []*rivertype.JobRow
	for time.Now().Before(deadline) {
		jobs, err := w.Jobs(context.Background(), kind)
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
		for _, j := range jobs {
			if match(j) {
				return j
			}
		}
		last = jobs
		time.Sleep(20 * time.Millisecond)
	}
	for _, j := range last {
		t.Logf("job %d %s %s attempt %d args %s errors %+v", j.ID, j.Kind, j.State, j.Attempt, j.EncodedArgs, j.Errors)
	}
	t.Fatalf("no %s job reached the expected state", kind)
	return nil
}
