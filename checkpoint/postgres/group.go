package postgres

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// Group commit. A chain's fast path (PutBatch) is two statements in one
// round trip, but what a round trip costs beyond its statements — the
// implicit transaction's start and commit, the wake-ups of the server's
// backend and of this process, a connection taken from the pool and given
// back — was, on two cores, as much as everything else in an agent's turn:
// a turn that stores twice ran at half the rate of one that stores once.
// So when maxBatches chains are already on their way, the next ones queue,
// and the first of them, once a batch finishes, takes the whole queue (up
// to maxBatch chains, of any threads) to the server in one pipeline: one
// statement taking every thread's lock, then each chain's insert, run by
// PostgreSQL as one implicit transaction. A lone chain still goes at once,
// as before; chains queue only while others are being written, so waiting
// costs a busy server nothing it was not already paying.
//
// A batch is all or nothing: if any statement in it fails (a conflict, an
// invalid chain, the connection), none of it was written, and every chain
// of it goes again on its own, with its own caller's context, from which
// its error, if any, is its own.
const (
	maxBatches = 2
	maxBatch   = 32
)

// lockSharedMany takes the shared lock of every thread in $2 (see
// lockShared). Shared locks never wait for each other, only for a
// DeleteThread or a compaction, which hold one thread's exclusively and
// wait for nothing else: no order is needed to stay clear of deadlocks.
const lockSharedMany = "SELECT pg_advisory_xact_lock_shared($1::int4, hashtext(t)) FROM unnest($2::text[]) AS t"

// chainWrite is one chain's fast-path insert on its way to the server.
type chainWrite struct {
	thread string
	insert string
	args   []any

	// Set by whoever ran the batch, before wake is closed.
	inserted int64
	err      error
	alone    bool // the batch failed: write the chain on its own

	// wake is closed when the write is done, or when this chain's caller
	// is to run batch; nil for a chain that went at once.
	wake  chan struct{}
	batch []*chainWrite
}

// committer queues chains while maxBatches batches are in flight.
type committer struct {
	mu     sync.Mutex
	limit  int // batches in flight at most; 0 means maxBatches
	active int
	queue  []*chainWrite

	batches, batched atomic.Int64 // batches of several chains, and their chains
}

// write stores w's chain, alone or in a batch with others, and reports how
// many checkpoints its insert stored.
func (s *Saver) write(ctx context.Context, w *chainWrite) (int64, error) {
	w.alone, w.batch = false, nil
	c := &s.group
	c.mu.Lock()
	limit := c.limit
	if limit == 0 {
		limit = maxBatches
	}
	if c.active < limit {
		c.active++
		c.mu.Unlock()
		s.runBatches(ctx, []*chainWrite{w})
	} else {
		w.wake = make(chan struct{})
		c.queue = append(c.queue, w)
		c.mu.Unlock()
		// Not abandoned when ctx ends: the batch may already be on the
		// server, and it is quick; its outcome is this chain's.
		<-w.wake
		if w.batch != nil {
			s.runBatches(ctx, w.batch)
		}
	}
	if w.alone {
		// The batch failed: write the chain on its own, with its caller's
		// context, for an outcome of its own.
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		return s.writeOne(ctx, w)
	}
	return w.inserted, w.err
}

// runBatches runs batch, whose first chain is the caller's, then hands the
// queue, if any, to the first chain in it, so that no caller waits for
// more than its own batch and the one before it.
func (s *Saver) runBatches(ctx context.Context, batch []*chainWrite) {
	if len(batch) == 1 {
		_, batch[0].err = s.writeOne(ctx, batch[0])
	} else {
		s.writeBatch(ctx, batch)
	}
	for _, w := range batch[1:] {
		close(w.wake)
	}
	c := &s.group
	c.mu.Lock()
	if len(c.queue) == 0 {
		c.active--
		c.mu.Unlock()
		return
	}
	n := min(len(c.queue), maxBatch)
	next := make([]*chainWrite, n)
	copy(next, c.queue)
	c.queue = append(c.queue[:0], c.queue[n:]...)
	c.mu.Unlock()
	next[0].batch = next
	close(next[0].wake)
}

// writeOne sends one chain's lock and insert in one round trip; its
// error is the chain's own.
func (s *Saver) writeOne(ctx context.Context, w *chainWrite) (int64, error) {
	err := s.send(ctx, lockShared, w.thread, []*chainWrite{w})
	return w.inserted, err
}

// writeBatch sends the chains of batch in one pipeline, one implicit
// transaction; if it fails, each chain is marked to go alone.
func (s *Saver) writeBatch(ctx context.Context, batch []*chainWrite) {
	threads := make([]string, len(batch))
	for i, w := range batch {
		threads[i] = w.thread
	}
	s.group.batches.Add(1)
	s.group.batched.Add(int64(len(batch)))
	if err := s.send(ctx, lockSharedMany, threads, batch); err != nil {
		for _, w := range batch {
			w.inserted, w.alone = 0, true
		}
	}
}

// send runs lock (with threads, one thread's id or a list of them), then
// each chain's insert, in one pipeline that PostgreSQL runs as one
// implicit transaction, and records what each insert stored.
func (s *Saver) send(ctx context.Context, lock string, threads any, batch []*chainWrite) error {
	b := &pgx.Batch{}
	b.Queue(lock, LockClass, threads)
	for _, w := range batch {
		b.Queue(w.insert, w.args...)
	}
	br := s.pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return err
	}
	for _, w := range batch {
		if err := br.QueryRow().Scan(&w.inserted); err != nil {
			br.Close()
			return err
		}
	}
	return br.Close()
}
