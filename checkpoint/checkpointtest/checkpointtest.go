// Package checkpointtest is the conformance suite for checkpoint.Saver.
// Every backend runs it, so they all mean the same thing by Put, Fork, Prune
// and the rest:
//
//	func TestConformance(t *testing.T) {
//		checkpointtest.Run(t, func(t *testing.T) checkpoint.Saver { return memory.New() })
//	}
package checkpointtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Run runs the suite. newSaver is called once per subtest; savers may share
// a database, because every subtest uses thread ids of its own.
func Run(t *testing.T, newSaver func(t *testing.T) checkpoint.Saver) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s checkpoint.Saver)
	}{
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"LogsAreAppendOnly", testLogs},
		{"InvalidPut", testInvalidPut},
		{"ConflictFromSameParent", testConflict},
		{"ConflictOnFirstCheckpoint", testConflictFirst},
		{"List", testList},
		{"PendingWrites", testWrites},
		{"Fork", testFork},
		{"PruneKeepLast", testPruneKeepLast},
		{"PruneOlderThan", testPruneOlderThan},
		{"PruneKeepsBranchHeads", testPruneBranchHeads},
		{"PruneRecentTurns", testPruneRecentTurns},
		{"PruneRecentTurnsPerBranch", testPruneRecentTurnsPerBranch},
		{"PruneKeepsLongLogs", testPruneKeepsLongLogs},
		{"DeleteThread", testDeleteThread},
		{"Threads", testThreads},
		{"LongLog", testLongLog},
		{"CanceledContext", testCanceled},
		{"LatestSince", testLatestSince},
		{"LatestIsLastStored", testLatestIsLastStored},
		{"ArbitraryBytes", testArbitraryBytes},
		{"InvalidBranchAndDuplicateID", testInvalidBranch},
		{"PutAll", testPutAll},
		{"PutAllConflict", testPutAllConflict},
		{"PutAllInvalid", testPutAllInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newSaver(t))
		})
	}
}

// thread returns a thread id unique to the test, so savers that share a
// database do not see each other's rows.
func thread(t *testing.T, suffix string) string {
	return fmt.Sprintf("test:%s:%s:%x", t.Name(), suffix, rand.Uint64())
}

// chain builds checkpoints on the main branch, each appending perStep
// entries to log "messages" and setting value "count".
type chain struct {
	t      *testing.T
	s      checkpoint.Saver
	thread string
	head   checkpoint.Checkpoint
	all    []checkpoint.Checkpoint
}

func newChain(t *testing.T, s checkpoint.Saver, suffix string) *chain {
	return &chain{t: t, s: s, thread: thread(t, suffix)}
}

func entry(step, i int) []byte {
	return []byte(fmt.Sprintf(`{"step":%d,"i":%d}`, step, i))
}

// next builds, without storing, the child of the head with n appended entries.
func (c *chain) next(n int) (checkpoint.Checkpoint, map[string][][]byte) {
	step := len(c.all)
	cp := checkpoint.Checkpoint{
		ThreadID: c.thread,
		ID:       checkpoint.NewID(),
		ParentID: c.head.ID,
		Branch:   c.head.Branch,
		Step:     step,
		Version:  1,
		Values:   map[string][]byte{"count": []byte(fmt.Sprint(step))},
		LogLens:  map[string]int{"messages": c.head.LogLens["messages"] + n},
		Next:     []string{"chat"},
		Source:   "loop",
		Metadata: map[string]string{"run": "r1"},
	}
	app := map[string][][]byte{}
	for i := 0; i < n; i++ {
		app["messages"] = append(app["messages"], entry(step, i))
	}
	return cp, app
}

func (c *chain) add(n int) checkpoint.Checkpoint {
	c.t.Helper()
	cp, app := c.next(n)
	if err := c.s.Put(context.Background(), cp, app); err != nil {
		c.t.Fatalf("Put step %d: %v", cp.Step, err)
	}
	c.head = cp
	c.all = append(c.all, cp)
	return cp
}

// wantLog is the content of log "messages" after the first steps of a chain
// that appended perStep entries each.
func wantLog(steps, perStep int) [][]byte {
	var out [][]byte
	for s := 0; s < steps; s++ {
		for i := 0; i < perStep; i++ {
			out = append(out, entry(s, i))
		}
	}
	return out
}

func equalLog(t *testing.T, what string, got, want [][]byte) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: log has %d entries, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("%s: entry %d = %s, want %s", what, i, got[i], want[i])
		}
	}
}

func sameCheckpoint(t *testing.T, got, want checkpoint.Checkpoint) {
	t.Helper()
	if got.ThreadID != want.ThreadID || got.ID != want.ID || got.ParentID != want.ParentID ||
		got.Branch != want.Branch || got.Step != want.Step || got.Version != want.Version || got.Source != want.Source {
		t.Fatalf("checkpoint header = %+v, want %+v", got, want)
	}
	if len(got.Values) != len(want.Values) {
		t.Fatalf("Values = %q, want %q", got.Values, want.Values)
	}
	for k, v := range want.Values {
		if !bytes.Equal(got.Values[k], v) {
			t.Fatalf("Values[%q] = %q, want %q", k, got.Values[k], v)
		}
	}
	if fmt.Sprint(got.LogLens) != fmt.Sprint(want.LogLens) {
		t.Fatalf("LogLens = %v, want %v", got.LogLens, want.LogLens)
	}
	if fmt.Sprint(got.Next) != fmt.Sprint(want.Next) {
		t.Fatalf("Next = %v, want %v", got.Next, want.Next)
	}
	if fmt.Sprint(got.Metadata) != fmt.Sprint(want.Metadata) {
		t.Fatalf("Metadata = %v, want %v", got.Metadata, want.Metadata)
	}
	if got.CreatedAt.IsZero() {
		t.Fatalf("CreatedAt not set")
	}
}

func testRoundTrip(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "rt")
	first := c.add(2)
	second := c.add(3)
	latest, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	sameCheckpoint(t, latest.Checkpoint, second)
	equalLog(t, "latest", latest.Logs["messages"], [][]byte{entry(0, 0), entry(0, 1), entry(1, 0), entry(1, 1), entry(1, 2)})
	if len(latest.Writes) != 0 {
		t.Fatalf("Writes = %v, want none", latest.Writes)
	}
	got, err := s.Get(ctx, c.thread, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameCheckpoint(t, got.Checkpoint, first)
	equalLog(t, "first", got.Logs["messages"], [][]byte{entry(0, 0), entry(0, 1)})

	// A checkpoint with no log channels and no values round-trips too.
	bare := checkpoint.Checkpoint{ThreadID: thread(t, "bare"), ID: checkpoint.NewID(), Step: 0}
	if err := s.Put(ctx, bare, nil); err != nil {
		t.Fatal(err)
	}
	b, err := s.Latest(ctx, bare.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Checkpoint.ID != bare.ID || len(b.Checkpoint.Values) != 0 || len(b.Checkpoint.Next) != 0 || len(b.Logs) != 0 {
		t.Fatalf("bare checkpoint = %+v", b)
	}
}

func testNotFound(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "nf")
	if _, err := s.Latest(ctx, c.thread); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Latest on empty thread: %v, want ErrNotFound", err)
	}
	c.add(1)
	if _, err := s.Get(ctx, c.thread, checkpoint.NewID()); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Get unknown id: %v, want ErrNotFound", err)
	}
	if _, err := s.Get(ctx, thread(t, "other"), c.head.ID); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Get from another thread: %v, want ErrNotFound", err)
	}
	if err := s.PutWrites(ctx, c.thread, checkpoint.NewID(), []checkpoint.Write{{Node: "a", Kind: checkpoint.WriteUpdate}}); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("PutWrites unknown id: %v, want ErrNotFound", err)
	}
	if _, err := s.Fork(ctx, c.thread, checkpoint.NewID()); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Fork unknown id: %v, want ErrNotFound", err)
	}
	if list, err := s.List(ctx, thread(t, "none"), checkpoint.ListOptions{}); err != nil || len(list) != 0 {
		t.Fatalf("List of unknown thread = %v, %v; want empty", list, err)
	}
}

func testLogs(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "logs")
	for i := 0; i < 6; i++ {
		c.add(2)
	}
	for i, cp := range c.all {
		got, err := s.Get(ctx, c.thread, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		equalLog(t, fmt.Sprintf("checkpoint %d", i), got.Logs["messages"], wantLog(i+1, 2))
	}
	// A step that appends nothing keeps the log as it was.
	c.add(0)
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "after empty step", got.Logs["messages"], wantLog(6, 2))
}

func testInvalidPut(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "inv")
	c.add(2)

	cp, app := c.next(2)
	cp.LogLens["messages"] = 3 // claims 2 appended entries reach 3, but the parent holds 2
	if err := s.Put(ctx, cp, app); !errors.Is(err, checkpoint.ErrInvalid) {
		t.Fatalf("Put with a gap in the log: %v, want ErrInvalid", err)
	}
	cp, app = c.next(1)
	cp.ParentID = checkpoint.NewID()
	if err := s.Put(ctx, cp, app); !errors.Is(err, checkpoint.ErrInvalid) {
		t.Fatalf("Put with unknown parent: %v, want ErrInvalid", err)
	}
	// Nothing of the rejected puts is visible.
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	if got.Checkpoint.ID != c.head.ID {
		t.Fatalf("latest = %s, want %s", got.Checkpoint.ID, c.head.ID)
	}
	equalLog(t, "after rejected puts", got.Logs["messages"], wantLog(1, 2))
	c.add(1) // the thread still advances normally
}

func testConflict(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "conflict")
	c.add(1)
	const writers = 24
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners []checkpoint.Checkpoint
		others  []error
	)
	start := make(chan struct{})
	for w := 0; w < writers; w++ {
		cp, app := c.next(2)
		app["messages"][0] = []byte(fmt.Sprintf(`{"writer":%d}`, w))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := s.Put(ctx, cp, app)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				winners = append(winners, cp)
			} else {
				others = append(others, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("%d writers committed from the same parent, want exactly 1", len(winners))
	}
	for _, err := range others {
		if !errors.Is(err, checkpoint.ErrConflict) {
			t.Fatalf("losing writer got %v, want ErrConflict", err)
		}
	}
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	if got.Checkpoint.ID != winners[0].ID {
		t.Fatalf("latest = %s, want the winner %s", got.Checkpoint.ID, winners[0].ID)
	}
	if n := len(got.Logs["messages"]); n != 3 {
		t.Fatalf("log has %d entries, want 3: losers must write nothing", n)
	}
}

func testConflictFirst(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	id := thread(t, "first")
	const writers = 16
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cp := checkpoint.Checkpoint{ThreadID: id, ID: checkpoint.NewID(), LogLens: map[string]int{"messages": 1}}
			errs[w] = s.Put(ctx, cp, map[string][][]byte{"messages": {[]byte(`"hi"`)}})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, checkpoint.ErrConflict):
			t.Fatalf("losing first writer got %v, want ErrConflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d first checkpoints committed, want 1", ok)
	}
}

func testList(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "list")
	for i := 0; i < 5; i++ {
		c.add(1)
	}
	all, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 {
		t.Fatalf("List returned %d, want 5", len(all))
	}
	for i, cp := range all {
		if want := c.all[4-i].ID; cp.ID != want {
			t.Fatalf("List[%d] = %s, want %s (newest first)", i, cp.ID, want)
		}
	}
	page, err := s.List(ctx, c.thread, checkpoint.ListOptions{Limit: 2, Before: c.all[3].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != c.all[2].ID || page[1].ID != c.all[1].ID {
		t.Fatalf("List(Limit 2, Before #3) = %v", ids(page))
	}
}

func ids(cps []checkpoint.Checkpoint) []string {
	out := make([]string, len(cps))
	for i, cp := range cps {
		out[i] = cp.ID
	}
	return out
}

func testWrites(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "writes")
	first := c.add(1)
	c.add(1)
	w1 := []checkpoint.Write{{Node: "a", Kind: checkpoint.WriteUpdate, Value: []byte(`{"x":1}`)}}
	w2 := []checkpoint.Write{
		{Node: "b", Kind: checkpoint.WriteInterrupt, Value: []byte(`"approve?"`)},
		{Node: "c", Kind: checkpoint.WriteInterruptBefore},
	}
	if err := s.PutWrites(ctx, c.thread, c.head.ID, w1); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, c.thread, c.head.ID, w2); err != nil {
		t.Fatal(err)
	}
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]checkpoint.Write(nil), w1...), w2...)
	if len(got.Writes) != len(want) {
		t.Fatalf("Writes = %+v, want %+v", got.Writes, want)
	}
	for i := range want {
		g := got.Writes[i]
		if g.Node != want[i].Node || g.Kind != want[i].Kind || !bytes.Equal(g.Value, want[i].Value) {
			t.Fatalf("Writes[%d] = %+v, want %+v", i, g, want[i])
		}
	}
	old, err := s.Get(ctx, c.thread, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(old.Writes) != 0 {
		t.Fatalf("writes leaked to another checkpoint: %+v", old.Writes)
	}
}

func testFork(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "fork")
	for i := 0; i < 4; i++ {
		c.add(2)
	}
	src := c.all[1]
	fork, err := s.Fork(ctx, c.thread, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	fc := fork.Checkpoint
	if fc.ParentID != src.ID || fc.Branch == "" || fc.ID == src.ID || fc.Source != "fork" {
		t.Fatalf("fork checkpoint = %+v", fc)
	}
	equalLog(t, "fork", fork.Logs["messages"], wantLog(2, 2))
	latest, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Checkpoint.ID != fc.ID {
		t.Fatalf("latest after fork = %s, want the fork %s", latest.Checkpoint.ID, fc.ID)
	}

	// The branch advances on its own log.
	child := checkpoint.Checkpoint{
		ThreadID: c.thread, ID: checkpoint.NewID(), ParentID: fc.ID, Branch: fc.Branch, Step: fc.Step + 1,
		LogLens: map[string]int{"messages": 5},
	}
	if err := s.Put(ctx, child, map[string][][]byte{"messages": {[]byte(`"branch"`)}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, c.thread, child.ID)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "branch child", got.Logs["messages"], append(wantLog(2, 2), []byte(`"branch"`)))

	// The main line is untouched and can still advance.
	main, err := s.Get(ctx, c.thread, c.head.ID)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "main head", main.Logs["messages"], wantLog(4, 2))
	c.add(1)
}

func testPruneKeepLast(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "prune")
	for i := 0; i < 10; i++ {
		c.add(3)
	}
	if err := s.PutWrites(ctx, c.thread, c.all[2].ID, []checkpoint.Write{{Node: "x", Kind: checkpoint.WriteUpdate}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{KeepLast: 3})
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("Prune removed %d, want 7", n)
	}
	list, err := s.List(ctx, c.thread, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].ID != c.all[9].ID || list[2].ID != c.all[7].ID {
		t.Fatalf("after prune: %v", ids(list))
	}
	for i := 0; i < 7; i++ {
		if _, err := s.Get(ctx, c.thread, c.all[i].ID); !errors.Is(err, checkpoint.ErrNotFound) {
			t.Fatalf("pruned checkpoint %d: %v, want ErrNotFound", i, err)
		}
	}
	for i := 7; i < 10; i++ {
		got, err := s.Get(ctx, c.thread, c.all[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		equalLog(t, fmt.Sprintf("kept checkpoint %d", i), got.Logs["messages"], wantLog(i+1, 3))
	}
	c.add(1) // the head still advances
	if n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{}); err != nil || n != 0 {
		t.Fatalf("Prune with no options removed %d, %v; want 0", n, err)
	}
}

func testPruneOlderThan(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "age")
	for i := 0; i < 3; i++ {
		c.add(1)
	}
	time.Sleep(20 * time.Millisecond)
	cut := time.Now()
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < 2; i++ {
		c.add(1)
	}
	n, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{OlderThan: cut})
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("Prune(OlderThan) removed %d, want 3", n)
	}
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "latest after age prune", got.Logs["messages"], wantLog(5, 1))
	// Everything old, but the head of the thread survives.
	if _, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{OlderThan: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Latest(ctx, c.thread); err != nil || got.Checkpoint.ID != c.head.ID {
		t.Fatalf("head after pruning everything old: %v, %v", got.Checkpoint.ID, err)
	}
}

func testPruneBranchHeads(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "heads")
	for i := 0; i < 4; i++ {
		c.add(1)
	}
	fork, err := s.Fork(ctx, c.thread, c.all[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	c.add(1) // main advances after the fork: main head is newest, fork head second
	if _, err := s.Prune(ctx, c.thread, checkpoint.PruneOptions{KeepLast: 1}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{c.head.ID, fork.Checkpoint.ID} {
		if _, err := s.Get(ctx, c.thread, id); err != nil {
			t.Fatalf("branch head %s pruned: %v", id, err)
		}
	}
	got, err := s.Get(ctx, c.thread, fork.Checkpoint.ID)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "fork head", got.Logs["messages"], wantLog(1, 1))
}

func testDeleteThread(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "del")
	keep := newChain(t, s, "keep")
	for i := 0; i < 3; i++ {
		c.add(2)
		keep.add(1)
	}
	if _, err := s.Fork(ctx, c.thread, c.all[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, c.thread, c.head.ID, []checkpoint.Write{{Node: "a", Kind: checkpoint.WriteUpdate}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteThread(ctx, c.thread); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Latest(ctx, c.thread); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("Latest after delete: %v, want ErrNotFound", err)
	}
	if list, err := s.List(ctx, c.thread, checkpoint.ListOptions{}); err != nil || len(list) != 0 {
		t.Fatalf("List after delete = %v, %v", list, err)
	}
	threads, err := s.Threads(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range threads {
		if th.ThreadID == c.thread {
			t.Fatalf("deleted thread still listed")
		}
	}
	got, err := s.Latest(ctx, keep.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "other thread", got.Logs["messages"], wantLog(3, 1))
	// A deleted thread can start over from nothing.
	fresh := &chain{t: t, s: s, thread: c.thread}
	fresh.add(1)
	got, err = s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "restarted thread", got.Logs["messages"], wantLog(1, 1))
}

func testThreads(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	a := newChain(t, s, "a")
	b := newChain(t, s, "b")
	a.add(1)
	a.add(1)
	time.Sleep(5 * time.Millisecond)
	b.add(1)
	threads, err := s.Threads(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, th := range threads {
		pos[th.ThreadID] = i
		switch th.ThreadID {
		case a.thread:
			if th.Checkpoints != 2 || th.LatestID != a.head.ID || th.LatestStep != 1 || th.UpdatedAt.IsZero() {
				t.Fatalf("thread a = %+v", th)
			}
		case b.thread:
			if th.Checkpoints != 1 || th.LatestID != b.head.ID {
				t.Fatalf("thread b = %+v", th)
			}
		}
	}
	pa, okA := pos[a.thread]
	pb, okB := pos[b.thread]
	if !okA || !okB || pb > pa {
		t.Fatalf("Threads order: a at %d (%v), b at %d (%v); want b (updated last) first", pa, okA, pb, okB)
	}
	if one, err := s.Threads(ctx, 1); err != nil || len(one) != 1 {
		t.Fatalf("Threads(1) = %d threads, %v", len(one), err)
	}
}

func testLongLog(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "long")
	for i := 0; i < 10; i++ {
		c.add(100)
	}
	got, err := s.Latest(ctx, c.thread)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "1000 entries", got.Logs["messages"], wantLog(10, 100))
}

func testCanceled(t *testing.T, s checkpoint.Saver) {
	c := newChain(t, s, "cancel")
	c.add(1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cp, app := c.next(1)
	if err := s.Put(ctx, cp, app); err == nil {
		t.Fatal("Put with a canceled context succeeded")
	}
	if _, err := s.Latest(ctx, c.thread); err == nil {
		t.Fatal("Latest with a canceled context succeeded")
	}
}

// testLatestIsLastStored checks that "latest" and List's order follow the
// order checkpoints were stored in, not the order of their IDs: callers may
// bring IDs of their own.
func testLatestIsLastStored(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	id := thread(t, "order")
	order := []string{checkpoint.NewID(), checkpoint.NewID(), checkpoint.NewID()}
	parent := ""
	for i := range order {
		cp := checkpoint.Checkpoint{ThreadID: id, ID: order[len(order)-1-i], ParentID: parent, Step: i} // decreasing IDs
		if err := s.Put(ctx, cp, nil); err != nil {
			t.Fatal(err)
		}
		parent = cp.ID
	}
	got, err := s.Latest(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Checkpoint.ID != order[0] || got.Checkpoint.Step != 2 {
		t.Fatalf("Latest = %s (step %d), want the last stored %s (step 2)", got.Checkpoint.ID, got.Checkpoint.Step, order[0])
	}
	list, err := s.List(ctx, id, checkpoint.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].ID != order[0] || list[2].ID != order[2] {
		t.Fatalf("List = %v, want newest stored first: %v", ids(list), order)
	}
	if _, err := s.List(ctx, id, checkpoint.ListOptions{Before: checkpoint.NewID()}); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("List(Before unknown id): %v, want ErrNotFound", err)
	}
}

// testArbitraryBytes checks that values, log entries and write values are
// opaque bytes (not necessarily JSON or UTF-8, possibly empty), and that
// several log channels advance independently.
func testArbitraryBytes(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	id := thread(t, "bytes")
	binary := []byte{0x00, 0xff, 0xfe, '"', '\\', 0x01}
	first := checkpoint.Checkpoint{
		ThreadID: id, ID: checkpoint.NewID(), Version: 3,
		Values:   map[string][]byte{"bin": binary, "empty": {}, "text": []byte("not json")},
		LogLens:  map[string]int{"messages": 2, "events": 1, "unused": 0},
		Next:     []string{"a", "b"},
		Metadata: map[string]string{"note": "ünïcødé \"quoted\""},
	}
	if err := s.Put(ctx, first, map[string][][]byte{"messages": {binary, {}}, "events": {[]byte("e0")}}); err != nil {
		t.Fatal(err)
	}
	second := checkpoint.Checkpoint{ThreadID: id, ID: checkpoint.NewID(), ParentID: first.ID, Step: 1, Version: 3,
		LogLens: map[string]int{"messages": 2, "events": 3, "unused": 0}}
	if err := s.Put(ctx, second, map[string][][]byte{"events": {[]byte("e1"), []byte("e2")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, id, second.ID, []checkpoint.Write{{Node: "n", Kind: checkpoint.WriteUpdate, Value: binary}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, id, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	sameCheckpoint(t, got.Checkpoint, first)
	equalLog(t, "messages", got.Logs["messages"], [][]byte{binary, {}})
	equalLog(t, "events at first", got.Logs["events"], [][]byte{[]byte("e0")})
	if len(got.Logs["unused"]) != 0 {
		t.Fatalf("empty log = %q", got.Logs["unused"])
	}
	latest, err := s.Latest(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	equalLog(t, "events at second", latest.Logs["events"], [][]byte{[]byte("e0"), []byte("e1"), []byte("e2")})
	equalLog(t, "messages at second", latest.Logs["messages"], [][]byte{binary, {}})
	if len(latest.Writes) != 1 || !bytes.Equal(latest.Writes[0].Value, binary) {
		t.Fatalf("Writes = %+v, want the binary value back", latest.Writes)
	}
}

// testInvalidBranch checks the branch rules and duplicate IDs.
func testInvalidBranch(t *testing.T, s checkpoint.Saver) {
	ctx := context.Background()
	c := newChain(t, s, "branch")
	c.add(1)
	fork, err := s.Fork(ctx, c.thread, c.head.ID)
	if err != nil {
		t.Fatal(err)
	}
	orphan := checkpoint.Checkpoint{ThreadID: c.thread, ID: checkpoint.NewID(), Branch: "b"}
	if err := s.Put(ctx, orphan, nil); !errors.Is(err, checkpoint.ErrInvalid) {
		t.Fatalf("Put on a branch without parent: %v, want ErrInvalid", err)
	}
	cross := checkpoint.Checkpoint{ThreadID: c.thread, ID: checkpoint.NewID(), ParentID: fork.Checkpoint.ID,
		LogLens: map[string]int{"messages": 1}} // main-line child of the fork
	if err := s.Put(ctx, cross, nil); !errors.Is(err, checkpoint.ErrInvalid) {
		t.Fatalf("Put crossing branches: %v, want ErrInvalid", err)
	}
	cp, app := c.next(1)
	cp.ID = c.head.ID
	if err := s.Put(ctx, cp, app); !errors.Is(err, checkpoint.ErrConflict) {
		t.Fatalf("Put reusing a stored ID: %v, want ErrConflict", err)
	}
	// The fork of a fork has its own branch and logs.
	ff, err := s.Fork(ctx, c.thread, fork.Checkpoint.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ff.Checkpoint.Branch == fork.Checkpoint.Branch || ff.Checkpoint.ParentID != fork.Checkpoint.ID {
		t.Fatalf("fork of a fork = %+v", ff.Checkpoint)
	}
	equalLog(t, "fork of a fork", ff.Logs["messages"], wantLog(1, 1))
	c.add(1) // the main line still advances
}

func testLatestSince(t *testing.T, s checkpoint.Saver) {
	inc, ok := s.(checkpoint.IncrementalLoader)
	if !ok {
		t.Skip("saver does not implement checkpoint.IncrementalLoader")
	}
	ctx := context.Background()
	c := newChain(t, s, "since")
	for i := 0; i < 3; i++ {
		c.add(2)
	}
	all := wantLog(3, 2)
	tests := []struct {
		name     string
		have     checkpoint.Cursor
		wantFrom int // -1: whole logs, LogsFrom nil
	}{
		{"holds a prefix", checkpoint.Cursor{Lens: map[string]int{"messages": 4}}, 4},
		{"holds everything", checkpoint.Cursor{Lens: map[string]int{"messages": 6}}, 6},
		{"holds nothing", checkpoint.Cursor{}, -1},
		{"holds more than there is", checkpoint.Cursor{Lens: map[string]int{"messages": 9}}, -1},
		{"holds another branch", checkpoint.Cursor{Branch: "elsewhere", Lens: map[string]int{"messages": 2}}, -1},
	}
	for _, tc := range tests {
		got, err := inc.LatestSince(ctx, c.thread, tc.have)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.Checkpoint.ID != c.head.ID {
			t.Fatalf("%s: latest = %s, want %s", tc.name, got.Checkpoint.ID, c.head.ID)
		}
		if tc.wantFrom < 0 {
			if got.LogsFrom != nil {
				t.Fatalf("%s: LogsFrom = %v, want whole logs", tc.name, got.LogsFrom)
			}
			equalLog(t, tc.name, got.Logs["messages"], all)
			continue
		}
		if got.LogsFrom["messages"] != tc.wantFrom {
			t.Fatalf("%s: LogsFrom = %v, want %d", tc.name, got.LogsFrom, tc.wantFrom)
		}
		equalLog(t, tc.name, got.Logs["messages"], all[tc.wantFrom:])
	}
	// After a fork, a caller holding the main line gets the branch whole.
	fork, err := s.Fork(ctx, c.thread, c.all[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := inc.LatestSince(ctx, c.thread, checkpoint.Cursor{Lens: map[string]int{"messages": 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Checkpoint.ID != fork.Checkpoint.ID || got.LogsFrom != nil {
		t.Fatalf("after fork: %s, LogsFrom %v", got.Checkpoint.ID, got.LogsFrom)
	}
	equalLog(t, "fork", got.Logs["messages"], wantLog(1, 2))
	if _, err := inc.LatestSince(ctx, thread(t, "none"), checkpoint.Cursor{}); !errors.Is(err, checkpoint.ErrNotFound) {
		t.Fatalf("unknown thread: %v", err)
	}
}
