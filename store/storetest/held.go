package storetest

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// sendJobOf returns the send_reply job of reply id, or nil.
func sendJobOf(t *testing.T, b Backend, id int64) *rivertype.JobRow {
	t.Helper()
	jobs, err := b.Jobs(context.Background(), queue.SendReply{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		var args queue.SendReply
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatalf("send job %d args %s: %v", j.ID, j.EncodedArgs, err)
		}
		if args.OutboxID == id {
			return j
		}
	}
	return nil
}

// testCompleteHeld: the send jobs of replies a caller sends itself wait
// out the hold; recording a reply's last part deletes its job, and
// HandOver makes a job run now.
func testCompleteHeld(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230077"
	accept(t, s, msg(thread, "SMheld1", "hi"), time.Time{})
	reply := func(key string) store.Outbound {
		return store.Outbound{Channel: "twilio", To: thread, Key: key, Body: "reply " + key}
	}
	if _, err := s.CompleteHeld(ctx, thread, nil, []store.Outbound{reply("zero")}, store.Held{}); err == nil {
		t.Fatal("CompleteHeld with no hold succeeded")
	}
	before := time.Now()
	if ok, err := s.AcquireLease(ctx, thread, "run-1", before, time.Minute); err != nil || !ok {
		t.Fatalf("AcquireLease = %v, %v", ok, err)
	}
	ids, err := s.CompleteHeld(ctx, thread, pendingIDs(t, s, thread), []store.Outbound{reply("a"), reply("b")}, store.Held{Hold: time.Hour, Lease: "run-1"})
	if err != nil {
		t.Fatalf("CompleteHeld: %v", err)
	}
	if len(pending(t, s, thread)) != 0 {
		t.Fatal("CompleteHeld left the message pending")
	}
	if ok, err := s.AcquireLease(ctx, thread, "run-2", before, time.Minute); err != nil || !ok {
		t.Fatalf("after CompleteHeld released run-1's lease, AcquireLease by run-2 = %v, %v", ok, err)
	}
	for _, id := range ids {
		j := sendJobOf(t, b, id)
		if j == nil {
			t.Fatalf("reply %d has no send job", id)
		}
		if j.State != rivertype.JobStateScheduled || j.ScheduledAt.Before(before.Add(59*time.Minute)) {
			t.Fatalf("reply %d's job is %s at %s, want scheduled an hour from now", id, j.State, j.ScheduledAt)
		}
	}
	// Completing again (a retried run) inserts nothing and holds nothing new.
	// It releases only its caller's lease: run-2 keeps the thread.
	again, err := s.CompleteHeld(ctx, thread, nil, []store.Outbound{reply("a"), reply("b")}, store.Held{Hold: time.Hour, Lease: "run-1"})
	if err != nil || len(again) != 2 || again[0] != ids[0] || again[1] != ids[1] {
		t.Fatalf("CompleteHeld again = %v, %v; want %v", again, err, ids)
	}
	if n := len(sendJobs(t, b)); n != 2 {
		t.Fatalf("%d send jobs after a retried CompleteHeld, want 2", n)
	}
	if ok, err := s.AcquireLease(ctx, thread, "run-3", before, time.Minute); err != nil || ok {
		t.Fatalf("CompleteHeld released another owner's lease: AcquireLease by run-3 = %v, %v", ok, err)
	}

	// A part that is not the last leaves the job; the last deletes it.
	if err := s.RecordPart(ctx, ids[0], 0, "SMheld-a0", false); err != nil {
		t.Fatal(err)
	}
	if sendJobOf(t, b, ids[0]) == nil {
		t.Fatal("recording a part that is not the last deleted the reply's job")
	}
	if err := s.RecordPart(ctx, ids[0], 1, "SMheld-a1", true); err != nil {
		t.Fatal(err)
	}
	if j := sendJobOf(t, b, ids[0]); j != nil {
		t.Fatalf("a sent reply's held job is still there (%s)", j.State)
	}
	if err := s.HandOver(ctx, ids[0]); err != nil {
		t.Fatalf("HandOver of a sent reply: %v", err)
	}

	// The caller gives up on b: its job runs now.
	if err := s.HandOver(ctx, ids[1]); err != nil {
		t.Fatalf("HandOver: %v", err)
	}
	if j := sendJobOf(t, b, ids[1]); j == nil || j.State != rivertype.JobStateAvailable || j.ScheduledAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("handed-over job = %+v, want available now", j)
	}
	if err := s.HandOver(ctx, 424242); err != nil {
		t.Fatalf("HandOver of an unknown reply: %v", err)
	}

	// A reply of Complete has no held job: HandOver leaves its job alone,
	// and sending it leaves the job to find that out.
	plain, err := s.Complete(ctx, thread, nil, []store.Outbound{reply("plain")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.HandOver(ctx, plain[0]); err != nil {
		t.Fatalf("HandOver of a reply that was not held: %v", err)
	}
	if err := s.RecordPart(ctx, plain[0], 0, "SMheld-p0", true); err != nil {
		t.Fatal(err)
	}
	if j := sendJobOf(t, b, plain[0]); j == nil || j.State != rivertype.JobStateAvailable {
		t.Fatalf("the job of a reply that was not held = %+v, want available", j)
	}
}
