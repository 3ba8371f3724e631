package backend

import (
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// TestRunJobsOnePerThread: a batch enqueues one job per thread with a
// created message, at the latest of their run times, in the order of
// each thread's first message.
func TestRunJobsOnePerThread(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	req := func(th string, runAt time.Time) AcceptReq {
		return AcceptReq{Msg: store.Inbound{Thread: th}, RunAt: runAt}
	}
	reqs := []AcceptReq{
		req("a", t0), req("b", time.Time{}), req("a", t0.Add(2*time.Second)), req("a", t0.Add(time.Second)),
		req("c", t0), req("b", time.Time{}), req("c", t0.Add(time.Hour)),
	}
	created := []bool{true, true, true, true, true, true, false}
	jobs := RunJobs(reqs, created)
	type job struct {
		thread string
		at     time.Time
	}
	var got []job
	for _, p := range jobs {
		got = append(got, job{p.Args.(queue.RunThread).Thread, scheduled(p)})
	}
	want := []job{{"a", t0.Add(2 * time.Second)}, {"b", time.Time{}}, {"c", t0}}
	if len(got) != len(want) {
		t.Fatalf("jobs = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("jobs = %v, want %v", got, want)
		}
	}
	if len(RunJobs(reqs, make([]bool, len(reqs)))) != 0 {
		t.Fatal("jobs for a batch that created nothing")
	}
}
