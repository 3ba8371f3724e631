// Package storetest is the conformance suite every store.Store backend
// passes. A backend's test calls Run with a function that returns a store
// on a fresh, migrated database, plus hooks that let the suite look behind
// the interface: the River jobs the store inserted, and counts of rows by
// plain SQL (the suite's queries use $1 parameters and SQL that Postgres and
// SQLite both accept). RunWorkers goes on to start the store's River client
// with stub workers and checks how the jobs the store inserted are worked.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// Backend is a store under test and the hooks the suite needs.
type Backend struct {
	// Store is the store, on a database of its own: Backlog counts every
	// thread.
	Store store.Store
	// Jobs returns the River jobs of kind, every state, in insertion order.
	Jobs func(ctx context.Context, kind string) ([]*rivertype.JobRow, error)
	// Count runs a SELECT count(*) ... query on the store's database.
	Count func(ctx context.Context, query string, args ...any) (int, error)
}

// Run runs the suite. newBackend is called once per subtest.
func Run(t *testing.T, newBackend func(t *testing.T) Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b Backend)
	}{
		{"AcceptCreatesOnce", testAcceptCreatesOnce},
		{"AcceptConcurrentDuplicates", testAcceptConcurrentDuplicates},
		{"AcceptInvalid", testAcceptInvalid},
		{"AcceptIDsVisibleInOrder", testAcceptIDsVisibleInOrder},
		{"AcceptManyThreadsAtOnce", testAcceptManyThreadsAtOnce},
		{"PendingOrderAndIsolation", testPendingOrderAndIsolation},
		{"Complete", testComplete},
		{"CompleteIdempotent", testCompleteIdempotent},
		{"CompleteInvalid", testCompleteInvalid},
		{"CompleteHeld", testCompleteHeld},
		{"SweepHeldPages", testSweepHeldPages},
		{"OutboundNotFound", testOutboundNotFound},
		{"RecordPart", testRecordPart},
		{"FailOutbound", testFailOutbound},
		{"SetVoice", testSetVoice},
		{"OldestPending", testOldestPending},
		{"RecordStatus", testRecordStatus},
		{"RecordStatusMultipart", testRecordStatusMultipart},
		{"Lease", testLease},
		{"LeaseRace", testLeaseRace},
		{"CountReceived", testCountReceived},
		{"Backlog", testBacklog},
		{"DeleteThread", testDeleteThread},
		{"Answer", testAnswer},
		{"LastInbound", testLastInbound},
		{"TemplateReply", testTemplateReply},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newBackend(t))
		})
	}
}

// t0 is the suite's reference time: whole microseconds, as both backends
// keep them.
func t0() time.Time { return time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC) }

func msg(thread, providerID, body string) store.Inbound {
	return store.Inbound{
		Channel: "twilio", ProviderID: providerID, Thread: thread,
		From: thread, To: "whatsapp:+15550000000", Body: body, ReceivedAt: t0(),
	}
}

func accept(t *testing.T, s store.Store, m store.Inbound, runAt time.Time) {
	t.Helper()
	created, err := s.Accept(context.Background(), m, runAt)
	if err != nil {
		t.Fatalf("Accept(%s): %v", m.ProviderID, err)
	}
	if !created {
		t.Fatalf("Accept(%s) = not created, want created", m.ProviderID)
	}
}

func pending(t *testing.T, s store.Store, thread string) []store.Inbound {
	t.Helper()
	p, err := s.Pending(context.Background(), thread)
	if err != nil {
		t.Fatalf("Pending(%s): %v", thread, err)
	}
	return p
}

func pendingIDs(t *testing.T, s store.Store, thread string) []int64 {
	t.Helper()
	var ids []int64
	for _, m := range pending(t, s, thread) {
		ids = append(ids, m.ID)
	}
	return ids
}

func count(t *testing.T, b Backend, query string, args ...any) int {
	t.Helper()
	n, err := b.Count(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}

// runJobs returns the run_thread jobs of thread.
func runJobs(t *testing.T, b Backend, thread string) []*rivertype.JobRow {
	t.Helper()
	return jobsOf(t, b, func(a queue.RunThread) bool { return a.Thread == thread })
}

// jobsOf returns the jobs of A's kind whose arguments keep accepts, in
// insertion order.
func jobsOf[A interface{ Kind() string }](t *testing.T, b Backend, keep func(A) bool) []*rivertype.JobRow {
	t.Helper()
	var zero A
	jobs, err := b.Jobs(context.Background(), zero.Kind())
	if err != nil {
		t.Fatal(err)
	}
	var out []*rivertype.JobRow
	for _, j := range jobs {
		var args A
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatalf("%s job %d args %s: %v", zero.Kind(), j.ID, j.EncodedArgs, err)
		}
		if keep(args) {
			out = append(out, j)
		}
	}
	return out
}

// sendJobs returns the outbox ids of the send_reply jobs, in insertion
// order.
func sendJobs(t *testing.T, b Backend) []int64 {
	t.Helper()
	jobs, err := b.Jobs(context.Background(), queue.SendReply{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, j := range jobs {
		var args queue.SendReply
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			t.Fatalf("send job %d args %s: %v", j.ID, j.EncodedArgs, err)
		}
		out = append(out, args.OutboxID)
	}
	return out
}

func testAcceptCreatesOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230001"
	in := msg(thread, "SM1", "hello")
	in.ID = 999 // ignored
	in.Sender, in.ProfileName = "whatsapp:+15551230009", "Ana"
	in.Media = []store.Media{{URL: "https://media.example/1", ContentType: "image/jpeg"}}
	runAt := time.Now().Add(3 * time.Second).Truncate(time.Microsecond)
	accept(t, s, in, runAt)

	dup := in
	dup.Body = "changed"
	created, err := s.Accept(ctx, dup, runAt.Add(time.Minute))
	if err != nil || created {
		t.Fatalf("Accept of a stored provider id = %v, %v; want false, nil", created, err)
	}
	got := pending(t, s, thread)
	if len(got) != 1 {
		t.Fatalf("Pending = %d messages, want 1", len(got))
	}
	want := in
	want.ID = got[0].ID
	if want.ID <= 0 || want.ID == 999 {
		t.Fatalf("ID = %d, want one the store assigned", got[0].ID)
	}
	if !got[0].ReceivedAt.Equal(want.ReceivedAt) {
		t.Fatalf("ReceivedAt = %v, want %v", got[0].ReceivedAt, want.ReceivedAt)
	}
	got[0].ReceivedAt = want.ReceivedAt
	if fmt.Sprintf("%+v", got[0]) != fmt.Sprintf("%+v", want) {
		t.Fatalf("Pending[0] = %+v\nwant        %+v", got[0], want)
	}

	jobs := runJobs(t, b, thread)
	if len(jobs) != 1 {
		t.Fatalf("%d run_thread jobs, want 1", len(jobs))
	}
	if d := jobs[0].ScheduledAt.Sub(runAt); d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("job scheduled at %v, want %v", jobs[0].ScheduledAt, runAt)
	}
	if jobs[0].Queue != queue.QueueRuns {
		t.Fatalf("job queue = %q, want %q", jobs[0].Queue, queue.QueueRuns)
	}

	// The same provider id on another channel is another message.
	other := in
	other.Channel = "evolution"
	accept(t, s, other, time.Time{})
	if n := len(pending(t, s, thread)); n != 2 {
		t.Fatalf("Pending = %d messages after a second channel's message, want 2", n)
	}
	if n := len(runJobs(t, b, thread)); n != 2 {
		t.Fatalf("%d run_thread jobs, want 2", n)
	}
}

func testAcceptConcurrentDuplicates(t *testing.T, b Backend) {
	ctx := context.Background()
	const thread, n = "whatsapp:+15551230002", 16
	var wg sync.WaitGroup
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			created[i], errs[i] = b.Store.Accept(ctx, msg(thread, "SMdup", "hi"), time.Time{})
		})
	}
	wg.Wait()
	wins := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Accept #%d: %v", i, errs[i])
		}
		if created[i] {
			wins++
		}
	}
	if wins != 1 {
		t.Fatalf("%d of %d concurrent deliveries created the message, want 1", wins, n)
	}
	if got := len(runJobs(t, b, thread)); got != 1 {
		t.Fatalf("%d run_thread jobs, want 1", got)
	}
	if got := count(t, b, "SELECT count(*) FROM inbound_messages WHERE thread_id = $1", thread); got != 1 {
		t.Fatalf("%d inbound rows, want 1", got)
	}
}

func testAcceptInvalid(t *testing.T, b Backend) {
	tests := []struct {
		name string
		edit func(m *store.Inbound)
	}{
		{"no channel", func(m *store.Inbound) { m.Channel = "" }},
		{"no provider id", func(m *store.Inbound) { m.ProviderID = "" }},
		{"no thread", func(m *store.Inbound) { m.Thread = "" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := msg("whatsapp:+15551230003", "SMbad", "x")
			tc.edit(&m)
			if created, err := b.Store.Accept(context.Background(), m, time.Time{}); err == nil || created {
				t.Fatalf("Accept = %v, %v; want an error", created, err)
			}
		})
	}
	if n, err := b.Store.Backlog(context.Background()); err != nil || n != 0 {
		t.Fatalf("Backlog = %d, %v after invalid messages; want 0", n, err)
	}
}

// testAcceptManyThreadsAtOnce accepts from many goroutines at once, as a
// webhook under load does (the stores commit such accepts in batches):
// every message of every thread is created once, each redelivery is
// refused, each thread's messages keep their order, and each thread has a
// job (one per batch it had messages in: at least one, at most one per
// message).
func testAcceptManyThreadsAtOnce(t *testing.T, b Backend) {
	ctx := context.Background()
	const threads, each = 24, 8
	var wg sync.WaitGroup
	var created, dups atomic.Int64
	errs := make(chan error, 2*threads)
	for th := range threads {
		thread := fmt.Sprintf("whatsapp:+1555124%04d", th)
		// The thread's messages in order, and a provider redelivering each
		// of them, racing the originals.
		for range 2 {
			wg.Go(func() {
				for i := range each {
					ok, err := b.Store.Accept(ctx, msg(thread, fmt.Sprintf("many-%d-%d", th, i), fmt.Sprint(i)), time.Time{})
					switch {
					case err != nil:
						errs <- err
						return
					case ok:
						created.Add(1)
					default:
						dups.Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if created.Load() != threads*each || dups.Load() != threads*each {
		t.Fatalf("%d created and %d refused as duplicates, want %d each", created.Load(), dups.Load(), threads*each)
	}
	for th := range threads {
		thread := fmt.Sprintf("whatsapp:+1555124%04d", th)
		p := pending(t, b.Store, thread)
		if len(p) != each {
			t.Fatalf("thread %d: %d pending, want %d", th, len(p), each)
		}
		for i, m := range p {
			if m.Body != fmt.Sprint(i) {
				t.Fatalf("thread %d: pending[%d] is message %q, want them in order", th, i, m.Body)
			}
		}
		if n := len(runJobs(t, b, thread)); n < 1 || n > each {
			t.Fatalf("thread %d: %d run_thread jobs, want 1 to %d", th, n, each)
		}
	}
}

// testAcceptIDsVisibleInOrder accepts messages of one thread concurrently
// while a reader polls Pending: a message must never become visible after
// one with a higher id was seen, or a run could process them out of order.
func testAcceptIDsVisibleInOrder(t *testing.T, b Backend) {
	ctx := context.Background()
	const thread, writers, each = "whatsapp:+15551230030", 8, 6
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if _, err := b.Store.Accept(ctx, msg(thread, fmt.Sprintf("ord-%d-%d", w, i), "x"), time.Time{}); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var maxSeen int64
	seen := map[int64]bool{}
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		p, err := b.Store.Pending(ctx, thread)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p {
			if !seen[m.ID] && m.ID < maxSeen {
				t.Fatalf("message %d became visible after message %d", m.ID, maxSeen)
			}
			seen[m.ID] = true
		}
		if len(p) > 0 {
			maxSeen = max(maxSeen, p[len(p)-1].ID)
		}
	}
	for w, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", w, err)
		}
	}
	if n := len(pending(t, b.Store, thread)); n != writers*each {
		t.Fatalf("%d pending, want %d", n, writers*each)
	}
}

func testPendingOrderAndIsolation(t *testing.T, b Backend) {
	s := b.Store
	const ta, tb = "whatsapp:+15551230004", "whatsapp:+15551230005"
	order := []struct{ thread, id string }{{ta, "a1"}, {tb, "b1"}, {ta, "a2"}, {ta, "a3"}, {tb, "b2"}}
	for _, o := range order {
		m := msg(o.thread, o.id, "body "+o.id)
		accept(t, s, m, time.Time{})
	}
	tests := []struct {
		thread string
		want   []string
	}{
		{ta, []string{"a1", "a2", "a3"}},
		{tb, []string{"b1", "b2"}},
		{"whatsapp:+15559999999", nil},
	}
	for _, tc := range tests {
		got := pending(t, s, tc.thread)
		var ids []string
		for i, m := range got {
			ids = append(ids, m.ProviderID)
			if m.Thread != tc.thread {
				t.Fatalf("Pending(%s) returned a message of %s", tc.thread, m.Thread)
			}
			if i > 0 && m.ID <= got[i-1].ID {
				t.Fatalf("Pending(%s) ids not increasing: %d after %d", tc.thread, m.ID, got[i-1].ID)
			}
		}
		if !slices.Equal(ids, tc.want) {
			t.Fatalf("Pending(%s) = %v, want %v", tc.thread, ids, tc.want)
		}
	}
}

func reply(thread, key, body string) store.Outbound {
	return store.Outbound{Thread: thread, Channel: "twilio", To: thread, Key: key, Body: body}
}

func complete(t *testing.T, s store.Store, thread string, processed []int64, replies ...store.Outbound) []int64 {
	t.Helper()
	ids, err := s.Complete(context.Background(), thread, processed, replies)
	if err != nil {
		t.Fatalf("Complete(%s): %v", thread, err)
	}
	if len(ids) != len(replies) {
		t.Fatalf("Complete returned %d ids for %d replies", len(ids), len(replies))
	}
	return ids
}

func outbound(t *testing.T, s store.Store, id int64) store.Outbound {
	t.Helper()
	o, err := s.Outbound(context.Background(), id)
	if err != nil {
		t.Fatalf("Outbound(%d): %v", id, err)
	}
	return o
}

func testComplete(t *testing.T, b Backend) {
	s := b.Store
	const thread, other = "whatsapp:+15551230006", "whatsapp:+15551230007"
	for _, id := range []string{"c1", "c2", "c3"} {
		accept(t, s, msg(thread, id, id), time.Time{})
	}
	accept(t, s, msg(other, "o1", "o1"), time.Time{})
	ids := pendingIDs(t, s, thread)
	otherIDs := pendingIDs(t, s, other)

	before := time.Now().Add(-time.Second)
	// Another thread's id in processed is not touched.
	rids := complete(t, s, thread, []int64{ids[0], ids[1], otherIDs[0]}, reply(thread, "turn:2", "hi there"))
	if got := pendingIDs(t, s, thread); !slices.Equal(got, ids[2:]) {
		t.Fatalf("Pending after Complete = %v, want %v", got, ids[2:])
	}
	if got := pendingIDs(t, s, other); !slices.Equal(got, otherIDs) {
		t.Fatalf("Pending(other) after Complete = %v, want %v", got, otherIDs)
	}
	o := outbound(t, s, rids[0])
	if o.ID != rids[0] || o.Thread != thread || o.Channel != "twilio" || o.To != thread || o.Key != "turn:2" ||
		o.Body != "hi there" || o.PartsSent != 0 || o.Status != store.StatusPending || o.ErrorCode != 0 || o.Error != "" {
		t.Fatalf("Outbound = %+v", o)
	}
	if o.CreatedAt.Before(before) || o.UpdatedAt.Before(o.CreatedAt) {
		t.Fatalf("Outbound times = %v, %v", o.CreatedAt, o.UpdatedAt)
	}
	if got := sendJobs(t, b); !slices.Equal(got, rids) {
		t.Fatalf("send_reply jobs for %v, want %v", got, rids)
	}
	// Nothing processed, no reply: a no-op.
	if got := complete(t, s, thread, nil); len(got) != 0 {
		t.Fatalf("empty Complete = %v", got)
	}
	// A reply with no Thread takes the thread's.
	r := reply(thread, "turn:3", "second")
	r.Thread = ""
	rids2 := complete(t, s, thread, ids[2:], r)
	if o := outbound(t, s, rids2[0]); o.Thread != thread {
		t.Fatalf("reply thread = %q, want %q", o.Thread, thread)
	}
	if n, _ := b.Store.Backlog(context.Background()); n != 1 {
		t.Fatalf("Backlog = %d, want 1 (the other thread's)", n)
	}
}

func testCompleteIdempotent(t *testing.T, b Backend) {
	s := b.Store
	const thread = "whatsapp:+15551230008"
	accept(t, s, msg(thread, "i1", "one"), time.Time{})
	ids := pendingIDs(t, s, thread)

	first := complete(t, s, thread, ids, reply(thread, "turn:1", "answer"))
	// A retry of the same turn: same processed ids, same key (another body).
	again := complete(t, s, thread, ids, reply(thread, "turn:1", "another answer"))
	if !slices.Equal(first, again) {
		t.Fatalf("retried Complete ids = %v, want %v", again, first)
	}
	if o := outbound(t, s, first[0]); o.Body != "answer" {
		t.Fatalf("retry changed the body to %q", o.Body)
	}
	// One new key among known ones; the same key twice in one call.
	mixed := complete(t, s, thread, nil,
		reply(thread, "turn:1", "answer"), reply(thread, "fallback:1", "sorry"), reply(thread, "fallback:1", "sorry"))
	if mixed[0] != first[0] || mixed[1] == first[0] || mixed[2] != mixed[1] {
		t.Fatalf("mixed Complete ids = %v (first %v)", mixed, first)
	}
	if n := count(t, b, "SELECT count(*) FROM outbox WHERE thread_id = $1", thread); n != 2 {
		t.Fatalf("%d outbox rows, want 2", n)
	}
	if got, want := sendJobs(t, b), []int64{first[0], mixed[1]}; !slices.Equal(got, want) {
		t.Fatalf("send_reply jobs for %v, want %v", got, want)
	}
	// The same key in another thread is another reply.
	const other = "whatsapp:+15551230009"
	o := complete(t, s, other, nil, reply(other, "turn:1", "answer"))
	if o[0] == first[0] {
		t.Fatal("another thread's reply with the same key got the same id")
	}
	if len(pending(t, s, thread)) != 0 {
		t.Fatal("processed messages still pending")
	}
}

func testCompleteInvalid(t *testing.T, b Backend) {
	s := b.Store
	const thread = "whatsapp:+15551230010"
	accept(t, s, msg(thread, "v1", "one"), time.Time{})
	ids := pendingIDs(t, s, thread)
	tests := []struct {
		name string
		r    store.Outbound
	}{
		{"no key", reply(thread, "", "x")},
		{"no channel", store.Outbound{Thread: thread, To: thread, Key: "k", Body: "x"}},
		{"no address", store.Outbound{Thread: thread, Channel: "twilio", Key: "k", Body: "x"}},
		{"other thread", reply("whatsapp:+15550000001", "k", "x")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Complete(context.Background(), thread, ids, []store.Outbound{reply(thread, "ok", "fine"), tc.r})
			if err == nil {
				t.Fatal("Complete succeeded")
			}
			// Nothing of the failed call remains.
			if got := pendingIDs(t, s, thread); !slices.Equal(got, ids) {
				t.Fatalf("Pending = %v, want %v", got, ids)
			}
			if n := count(t, b, "SELECT count(*) FROM outbox WHERE thread_id = $1", thread); n != 0 {
				t.Fatalf("%d outbox rows after a failed Complete", n)
			}
		})
	}
	if got := sendJobs(t, b); len(got) != 0 {
		t.Fatalf("send_reply jobs %v after failed Completes", got)
	}
}

func testOutboundNotFound(t *testing.T, b Backend) {
	if _, err := b.Store.Outbound(context.Background(), 424242); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Outbound of an unknown id: %v, want ErrNotFound", err)
	}
}

func testRecordPart(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230011"
	ids := complete(t, s, thread, nil, reply(thread, "k1", "long"), reply(thread, "k2", "short"))
	long, short := ids[0], ids[1]

	type step struct {
		id         int64
		part       int
		providerID string
		last       bool
		wantParts  int
		wantStatus string
	}
	steps := []step{
		{long, 0, "SMp0", false, 1, store.StatusPending},
		{long, 0, "SMp0", false, 1, store.StatusPending}, // recorded before
		{long, 1, "SMp1", true, 2, store.StatusSent},
		{long, 1, "SMp1", true, 2, store.StatusSent},
		{long, 0, "SMp0", false, 2, store.StatusSent}, // an old retry changes nothing
		{short, 0, "SMs0", true, 1, store.StatusSent},
	}
	for i, st := range steps {
		if err := s.RecordPart(ctx, st.id, st.part, st.providerID, st.last); err != nil {
			t.Fatalf("step %d: RecordPart: %v", i, err)
		}
		o := outbound(t, s, st.id)
		if o.PartsSent != st.wantParts || o.Status != st.wantStatus {
			t.Fatalf("step %d: parts %d status %q, want %d %q", i, o.PartsSent, o.Status, st.wantParts, st.wantStatus)
		}
	}
	if n := count(t, b, "SELECT count(*) FROM outbox_parts WHERE outbox_id = $1", long); n != 2 {
		t.Fatalf("%d part rows, want 2", n)
	}
	if err := s.RecordPart(ctx, 424242, 0, "SMx", true); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("RecordPart of an unknown reply: %v, want ErrNotFound", err)
	}
	if err := s.RecordPart(ctx, short, 1, "", true); err == nil {
		t.Fatal("RecordPart without a provider id succeeded")
	}
}

func testFailOutbound(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230012"
	ids := complete(t, s, thread, nil, reply(thread, "k", "body"))
	if err := s.RecordPart(ctx, ids[0], 0, "SMf0", false); err != nil {
		t.Fatal(err)
	}
	if err := s.FailOutbound(ctx, ids[0], 63016, "outside the 24-hour window"); err != nil {
		t.Fatal(err)
	}
	o := outbound(t, s, ids[0])
	if o.Status != store.StatusFailed || o.ErrorCode != 63016 || o.Error != "outside the 24-hour window" {
		t.Fatalf("failed reply = %+v", o)
	}
	// Failed is for good: later parts and callbacks do not revive it.
	if err := s.RecordPart(ctx, ids[0], 1, "SMf1", true); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordStatus(ctx, "twilio", "SMf0", store.StatusDelivered, 0); err != nil {
		t.Fatal(err)
	}
	if o := outbound(t, s, ids[0]); o.Status != store.StatusFailed || o.ErrorCode != 63016 {
		t.Fatalf("reply after later reports = %+v, want still failed", o)
	}
	if err := s.FailOutbound(ctx, 424242, 1, "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FailOutbound of an unknown reply: %v, want ErrNotFound", err)
	}
}

type callback struct {
	status string
	code   int
}

func testRecordStatus(t *testing.T, b Backend) {
	tests := []struct {
		name      string
		callbacks []callback
		want      string
		wantCode  int
	}{
		{"delivered", []callback{{store.StatusDelivered, 0}}, store.StatusDelivered, 0},
		{"read", []callback{{store.StatusDelivered, 0}, {store.StatusRead, 0}}, store.StatusRead, 0},
		{"out of order", []callback{{store.StatusRead, 0}, {store.StatusDelivered, 0}, {store.StatusSent, 0}}, store.StatusRead, 0},
		{"undelivered", []callback{{store.StatusUndelivered, 63024}}, store.StatusUndelivered, 63024},
		{"failed after delivered", []callback{{store.StatusDelivered, 0}, {store.StatusFailed, 30008}, {store.StatusRead, 0}}, store.StatusFailed, 30008},
		{"unknown status", []callback{{"accepted", 0}}, store.StatusSent, 0},
	}
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230013"
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := complete(t, s, thread, nil, reply(thread, fmt.Sprint("k", i), "body"))
			sid := fmt.Sprint("SMstatus", i)
			if err := s.RecordPart(ctx, ids[0], 0, sid, true); err != nil {
				t.Fatal(err)
			}
			for _, c := range tc.callbacks {
				if err := s.RecordStatus(ctx, "twilio", sid, c.status, c.code); err != nil {
					t.Fatalf("RecordStatus(%s): %v", c.status, err)
				}
			}
			o := outbound(t, s, ids[0])
			if o.Status != tc.want || o.ErrorCode != tc.wantCode {
				t.Fatalf("reply status %q code %d, want %q %d", o.Status, o.ErrorCode, tc.want, tc.wantCode)
			}
		})
	}
	// Unknown ids (an erased thread) and another channel's ids are no error
	// and change nothing.
	if err := s.RecordStatus(ctx, "twilio", "SMnever", store.StatusDelivered, 0); err != nil {
		t.Fatalf("RecordStatus of an unknown id: %v", err)
	}
	if err := s.RecordStatus(ctx, "evolution", "SMstatus0", store.StatusFailed, 1); err != nil {
		t.Fatalf("RecordStatus of another channel's id: %v", err)
	}
	ids := complete(t, s, thread, nil, reply(thread, "k0", "body"))
	if o := outbound(t, s, ids[0]); o.Status != store.StatusDelivered {
		t.Fatalf("another channel's callback changed the reply: %+v", o)
	}
}

func testRecordStatusMultipart(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230014"
	id := complete(t, s, thread, nil, reply(thread, "k", "a long body"))[0]
	steps := []struct {
		do   func() error
		want string
	}{
		{func() error { return s.RecordPart(ctx, id, 0, "SMm0", false) }, store.StatusPending},
		// A callback for part 0 before part 1 is handed over.
		{func() error { return s.RecordStatus(ctx, "twilio", "SMm0", store.StatusDelivered, 0) }, store.StatusPending},
		{func() error { return s.RecordPart(ctx, id, 1, "SMm1", true) }, store.StatusSent},
		{func() error { return s.RecordStatus(ctx, "twilio", "SMm1", store.StatusRead, 0) }, store.StatusDelivered},
		{func() error { return s.RecordStatus(ctx, "twilio", "SMm0", store.StatusRead, 0) }, store.StatusRead},
	}
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if o := outbound(t, s, id); o.Status != st.want {
			t.Fatalf("step %d: status %q, want %q", i, o.Status, st.want)
		}
	}
	// Concurrent callbacks for the parts of one reply.
	id2 := complete(t, s, thread, nil, reply(thread, "k2", "three parts"))[0]
	const parts = 3
	for p := range parts {
		if err := s.RecordPart(ctx, id2, p, fmt.Sprint("SMc", p), p == parts-1); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, parts)
	for p := range parts {
		wg.Go(func() { errs[p] = s.RecordStatus(ctx, "twilio", fmt.Sprint("SMc", p), store.StatusDelivered, 0) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if o := outbound(t, s, id2); o.Status != store.StatusDelivered || o.PartsSent != parts {
		t.Fatalf("after concurrent callbacks: status %q parts %d, want delivered %d", o.Status, o.PartsSent, parts)
	}
}

func testLease(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230015"
	const ttl = 30 * time.Second
	type step struct {
		name    string
		acquire bool // false: release
		owner   string
		at      time.Duration // after t0
		want    bool
	}
	steps := []step{
		{"free", true, "p1", 0, true},
		{"held by another", true, "p2", 10 * time.Second, false},
		{"re-entrant extends", true, "p1", 20 * time.Second, true},
		{"still held after the first expiry", true, "p2", 40 * time.Second, false},
		{"expired", true, "p2", 50 * time.Second, true},
		{"old holder refused", true, "p1", 51 * time.Second, false},
		{"release by non-owner", false, "p1", 52 * time.Second, false},
		{"still held", true, "p3", 53 * time.Second, false},
		{"release by owner", false, "p2", 54 * time.Second, false},
		{"free again", true, "p3", 55 * time.Second, true},
		{"exactly at expiry", true, "p1", 85 * time.Second, true},
	}
	for _, st := range steps {
		if !st.acquire {
			if err := s.ReleaseLease(ctx, thread, st.owner); err != nil {
				t.Fatalf("%s: ReleaseLease: %v", st.name, err)
			}
			continue
		}
		got, err := s.AcquireLease(ctx, thread, st.owner, t0().Add(st.at), ttl)
		if err != nil {
			t.Fatalf("%s: AcquireLease: %v", st.name, err)
		}
		if got != st.want {
			t.Fatalf("%s: AcquireLease(%s) = %v, want %v", st.name, st.owner, got, st.want)
		}
	}
	// Leases are per thread.
	if ok, err := s.AcquireLease(ctx, "whatsapp:+15551230016", "p2", t0().Add(86*time.Second), ttl); err != nil || !ok {
		t.Fatalf("another thread's lease = %v, %v; want true", ok, err)
	}
	if err := s.ReleaseLease(ctx, "whatsapp:+15559999998", "nobody"); err != nil {
		t.Fatalf("ReleaseLease of a lease nobody holds: %v", err)
	}
}

func testLeaseRace(t *testing.T, b Backend) {
	ctx := context.Background()
	const thread, racers = "whatsapp:+15551230017", 32
	for round, now := range []time.Time{t0(), t0().Add(time.Hour)} { // free, then expired
		var wg sync.WaitGroup
		won := make([]bool, racers)
		errs := make([]error, racers)
		start := make(chan struct{})
		for i := range racers {
			wg.Go(func() {
				<-start
				won[i], errs[i] = b.Store.AcquireLease(ctx, thread, fmt.Sprintf("r%d-%d", round, i), now, time.Minute)
			})
		}
		close(start)
		wg.Wait()
		wins := 0
		for i := range racers {
			if errs[i] != nil {
				t.Fatalf("round %d racer %d: %v", round, i, errs[i])
			}
			if won[i] {
				wins++
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d of %d racers got the lease, want 1", round, wins, racers)
		}
	}
}

func testCountReceived(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread, other = "whatsapp:+15551230018", "whatsapp:+15551230019"
	for i, at := range []time.Duration{0, time.Minute, 2 * time.Minute} {
		m := msg(thread, fmt.Sprint("cr", i), "x")
		m.ReceivedAt = t0().Add(at)
		accept(t, s, m, time.Time{})
	}
	m := msg(other, "cr-other", "x")
	m.ReceivedAt = t0().Add(2 * time.Minute)
	accept(t, s, m, time.Time{})
	// Processed messages still count.
	ids := pendingIDs(t, s, thread)
	complete(t, s, thread, ids[:1])
	tests := []struct {
		since time.Time
		want  int
	}{
		{t0().Add(-time.Hour), 3},
		{t0(), 3},
		{t0().Add(time.Microsecond), 2},
		{t0().Add(time.Minute), 2},
		{t0().Add(2 * time.Minute), 1},
		{t0().Add(2*time.Minute + time.Microsecond), 0},
	}
	for _, tc := range tests {
		n, err := s.CountReceived(ctx, thread, tc.since)
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.want {
			t.Fatalf("CountReceived(since %v) = %d, want %d", tc.since, n, tc.want)
		}
	}
	// A since in another zone is the same instant.
	if n, _ := s.CountReceived(ctx, thread, t0().Add(time.Minute).In(time.FixedZone("X", -5*3600))); n != 2 {
		t.Fatalf("CountReceived with a zoned since = %d, want 2", n)
	}
}

func testBacklog(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	backlog := func(want int) {
		t.Helper()
		n, err := s.Backlog(ctx)
		if err != nil || n != want {
			t.Fatalf("Backlog = %d, %v; want %d", n, err, want)
		}
	}
	backlog(0)
	const ta, tb = "whatsapp:+15551230020", "whatsapp:+15551230021"
	for i := range 3 {
		accept(t, s, msg(ta, fmt.Sprint("ba", i), "x"), time.Time{})
	}
	for i := range 2 {
		accept(t, s, msg(tb, fmt.Sprint("bb", i), "x"), time.Time{})
	}
	backlog(5)
	complete(t, s, ta, pendingIDs(t, s, ta)[:2])
	backlog(3)
	complete(t, s, tb, pendingIDs(t, s, tb))
	backlog(1)
}

// populate gives thread rows in every table: inbound messages (one
// processed), replies with parts, a lease, jobs.
func populate(t *testing.T, s store.Store, thread, tag string) []int64 {
	t.Helper()
	ctx := context.Background()
	for i := range 3 {
		accept(t, s, msg(thread, fmt.Sprint(tag, "in", i), "x"), time.Time{})
	}
	ids := pendingIDs(t, s, thread)
	rids := complete(t, s, thread, ids[:1], reply(thread, "turn:1", "a"), reply(thread, "turn:2", "b"))
	for _, r := range rids {
		for p := range 2 {
			if err := s.RecordPart(ctx, r, p, fmt.Sprint(tag, "out", r, "-", p), p == 1); err != nil {
				t.Fatal(err)
			}
		}
	}
	if ok, err := s.AcquireLease(ctx, thread, "worker", time.Now(), time.Minute); err != nil || !ok {
		t.Fatalf("AcquireLease = %v, %v", ok, err)
	}
	return rids
}

func testDeleteThread(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread, other = "whatsapp:+15551230022", "whatsapp:+15551230023"
	rids := populate(t, s, thread, "d")
	otherRids := populate(t, s, other, "o")

	rows := func(thread string, rids []int64) map[string]int {
		t.Helper()
		got := map[string]int{
			"inbound_messages": count(t, b, "SELECT count(*) FROM inbound_messages WHERE thread_id = $1", thread),
			"outbox":           count(t, b, "SELECT count(*) FROM outbox WHERE thread_id = $1", thread),
			"thread_leases":    count(t, b, "SELECT count(*) FROM thread_leases WHERE thread_id = $1", thread),
			"run_thread jobs":  len(runJobs(t, b, thread)),
		}
		for _, r := range rids {
			got["outbox_parts"] += count(t, b, "SELECT count(*) FROM outbox_parts WHERE outbox_id = $1", r)
		}
		return got
	}
	full := map[string]int{"inbound_messages": 3, "outbox": 2, "outbox_parts": 4, "thread_leases": 1, "run_thread jobs": 3}
	for _, tc := range []struct {
		thread string
		rids   []int64
	}{{thread, rids}, {other, otherRids}} {
		if got := rows(tc.thread, tc.rids); fmt.Sprint(got) != fmt.Sprint(full) {
			t.Fatalf("rows of %s before DeleteThread = %v, want %v", tc.thread, got, full)
		}
	}

	if err := s.DeleteThread(ctx, thread); err != nil {
		t.Fatal(err)
	}
	for table, n := range rows(thread, rids) {
		if n != 0 {
			t.Errorf("%d rows of the erased thread left in %s", n, table)
		}
	}
	if got := rows(other, otherRids); fmt.Sprint(got) != fmt.Sprint(full) {
		t.Fatalf("rows of another thread after DeleteThread = %v, want %v", got, full)
	}
	if len(pending(t, s, thread)) != 0 {
		t.Fatal("erased thread still has pending messages")
	}
	if _, err := s.Outbound(ctx, rids[0]); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Outbound of an erased reply: %v, want ErrNotFound", err)
	}
	// Callbacks can outlive the thread.
	if err := s.RecordStatus(ctx, "twilio", fmt.Sprint("dout", rids[0], "-0"), store.StatusDelivered, 0); err != nil {
		t.Fatalf("RecordStatus after erasure: %v", err)
	}
	if n, _ := s.CountReceived(ctx, thread, time.Time{}); n != 0 {
		t.Fatalf("CountReceived after erasure = %d", n)
	}
	if n, _ := s.Backlog(ctx); n != 2 {
		t.Fatalf("Backlog after erasure = %d, want the other thread's 2", n)
	}
	// The lease is free, and erasing an unknown or erased thread is no error.
	if ok, err := s.AcquireLease(ctx, thread, "someone", time.Now(), time.Minute); err != nil || !ok {
		t.Fatalf("AcquireLease after erasure = %v, %v; want true", ok, err)
	}
	for _, th := range []string{thread, "whatsapp:+15559999997"} {
		if err := s.DeleteThread(ctx, th); err != nil {
			t.Fatalf("DeleteThread(%s): %v", th, err)
		}
	}
}

func testOldestPending(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Store
	const thread = "whatsapp:+15551230099"
	oldest := func() int64 {
		t.Helper()
		id, err := s.OldestPending(ctx, thread)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if id := oldest(); id != 0 {
		t.Fatalf("OldestPending of a thread with no replies = %d, want 0", id)
	}
	ids := complete(t, s, thread, nil, reply(thread, "a", "first"), reply(thread, "b", "second"), reply(thread, "c", "third"))
	complete(t, s, "whatsapp:+15551230098", nil, reply("whatsapp:+15551230098", "a", "other thread"))
	if id := oldest(); id != ids[0] {
		t.Fatalf("OldestPending = %d, want %d", id, ids[0])
	}
	if err := s.RecordPart(ctx, ids[0], 0, "SMo0", true); err != nil {
		t.Fatal(err)
	}
	if id := oldest(); id != ids[1] {
		t.Fatalf("after the first is sent: %d, want %d", id, ids[1])
	}
	if err := s.FailOutbound(ctx, ids[1], 63016, "outside the window"); err != nil {
		t.Fatal(err)
	}
	if id := oldest(); id != ids[2] {
		t.Fatalf("after the second failed: %d, want %d", id, ids[2])
	}
	if err := s.RecordPart(ctx, ids[2], 0, "SMo2", true); err != nil {
		t.Fatal(err)
	}
	if id := oldest(); id != 0 {
		t.Fatalf("all sent: %d, want 0", id)
	}
}
