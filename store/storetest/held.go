package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// sendJobsOf returns the send_reply jobs of reply id.
func sendJobsOf(t *testing.T, b Backend, id int64) []*rivertype.JobRow {
	t.Helper()
	return jobsOf(t, b, func(a queue.SendReply) bool { return a.OutboxID == id })
}

// testCompleteHeld: replies their caller sends itself get no send job
// until it hands them over, or SweepHeld finds them left unsent; each gets
// one job at most. The caller's lease goes with the replies' insert.
func testCompleteHeld(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230077"
	accept(t, s, msg(thread, "SMheld1", "hi"), time.Time{})
	reply := func(key string) store.Outbound {
		return store.Outbound{Channel: "twilio", To: thread, Key: key, Body: "reply " + key}
	}
	now := time.Now()
	if ok, err := s.AcquireLease(ctx, thread, "run-1", now, time.Minute); err != nil || !ok {
		t.Fatalf("AcquireLease = %v, %v", ok, err)
	}
	ids, err := s.CompleteHeld(ctx, thread, pendingIDs(t, s, thread), []store.Outbound{reply("a"), reply("b"), reply("c")}, "run-1")
	if err != nil {
		t.Fatalf("CompleteHeld: %v", err)
	}
	if len(pending(t, s, thread)) != 0 {
		t.Fatal("CompleteHeld left the message pending")
	}
	if n := len(sendJobs(t, b)); n != 0 {
		t.Fatalf("CompleteHeld enqueued %d send jobs, want none", n)
	}
	if ok, err := s.AcquireLease(ctx, thread, "run-2", now, time.Minute); err != nil || !ok {
		t.Fatalf("after CompleteHeld released run-1's lease, AcquireLease by run-2 = %v, %v", ok, err)
	}
	// A retried run: nothing new, and only its own lease is released.
	again, err := s.CompleteHeld(ctx, thread, nil, []store.Outbound{reply("a"), reply("b"), reply("c")}, "run-1")
	if err != nil || len(again) != 3 || again[0] != ids[0] || again[2] != ids[2] {
		t.Fatalf("CompleteHeld again = %v, %v; want %v", again, err, ids)
	}
	if ok, err := s.AcquireLease(ctx, thread, "run-3", now, time.Minute); err != nil || ok {
		t.Fatalf("CompleteHeld released another owner's lease: AcquireLease by run-3 = %v, %v", ok, err)
	}

	// a is sent by its caller; b is handed over, twice; c is left.
	if err := s.RecordPart(ctx, ids[0], 0, "SMheld-a0", true); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.HandOver(ctx, ids[1]); err != nil {
			t.Fatalf("HandOver: %v", err)
		}
	}
	if err := s.HandOver(ctx); err != nil {
		t.Fatalf("HandOver of no reply: %v", err)
	}
	if jobs := sendJobsOf(t, b, ids[1]); len(jobs) != 1 || jobs[0].State != rivertype.JobStateAvailable {
		t.Fatalf("handed-over reply has jobs %+v, want one, available", jobs)
	}
	// Several at once, in one transaction: the sent one, b again and an
	// unknown one are all left alone.
	if err := s.HandOver(ctx, ids[0], ids[1], 424242); err != nil {
		t.Fatalf("HandOver(%d, %d, 424242): %v", ids[0], ids[1], err)
	}
	if jobs := sendJobsOf(t, b, ids[1]); len(jobs) != 1 {
		t.Fatalf("b handed over again has %d jobs, want 1", len(jobs))
	}
	if jobs := sendJobsOf(t, b, ids[0]); len(jobs) != 0 {
		t.Fatalf("a sent reply was handed over: %+v", jobs)
	}

	// The sweep takes only what was recorded before its cutoff.
	if n, err := s.SweepHeld(ctx, now.Add(-time.Hour)); err != nil || n != 0 {
		t.Fatalf("SweepHeld before the replies = %d, %v; want 0", n, err)
	}
	if n, err := s.SweepHeld(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("SweepHeld = %d, %v; want 1 (c)", n, err)
	}
	if jobs := sendJobsOf(t, b, ids[2]); len(jobs) != 1 {
		t.Fatalf("swept reply has %d jobs, want 1", len(jobs))
	}
	if n, err := s.SweepHeld(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("SweepHeld again = %d, %v; want 0", n, err)
	}
	if n := len(sendJobs(t, b)); n != 2 {
		t.Fatalf("%d send jobs in all, want 2 (b and c)", n)
	}

	// Complete's replies are not held: they have their job already.
	plain, err := s.Complete(ctx, thread, nil, []store.Outbound{reply("plain")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HandOver(ctx, plain[0]); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SweepHeld(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Fatalf("SweepHeld took a reply that was not held: %d, %v", n, err)
	}
	if jobs := sendJobsOf(t, b, plain[0]); len(jobs) != 1 {
		t.Fatalf("a reply of Complete has %d jobs, want 1", len(jobs))
	}
}

// testSweepHeldPages: a sweep hands over every held reply, however many.
func testSweepHeldPages(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230078"
	const n = 1100 // more than one page
	replies := make([]store.Outbound, n)
	for i := range replies {
		replies[i] = store.Outbound{Channel: "twilio", To: thread, Key: fmt.Sprint("k", i), Body: "x"}
	}
	if _, err := s.CompleteHeld(ctx, thread, nil, replies, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SweepHeld(ctx, time.Now().Add(time.Hour)); err != nil || got != n {
		t.Fatalf("SweepHeld = %d, %v; want %d", got, err, n)
	}
	if got := len(sendJobs(t, b)); got != n {
		t.Fatalf("%d send jobs, want %d", got, n)
	}
}
