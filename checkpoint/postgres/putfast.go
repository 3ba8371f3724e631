package postgres

import (
	"context"
	"maps"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

// parentCache remembers the branch and log lengths of checkpoints this
// Saver wrote, so the next Put on the thread need not read its parent
// back. A checkpoint row never changes once written, so an entry is right
// for as long as the row exists, and Put's fast path checks that it does.
type parentCache struct {
	mu sync.Mutex
	m  map[string]parentInfo
}

type parentInfo struct {
	branch string
	lens   map[string]int
}

// parentCacheMax bounds the cache: a thread's next Put needs only its
// latest checkpoint, so a few thousand entries cover as many threads
// active at once; past it the cache starts over.
const parentCacheMax = 4096

func parentKey(thread, id string) string { return thread + "\x00" + id }

func (c *parentCache) add(cp checkpoint.Checkpoint) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= parentCacheMax {
		c.m = make(map[string]parentInfo)
	}
	if cp.ParentID != "" {
		delete(c.m, parentKey(cp.ThreadID, cp.ParentID)) // superseded: the thread moved on
	}
	// A copy: the caller owns cp's map and may reuse it.
	c.m[parentKey(cp.ThreadID, cp.ID)] = parentInfo{branch: cp.Branch, lens: maps.Clone(cp.LogLens)}
}

func (c *parentCache) get(thread, id string) (parentInfo, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[parentKey(thread, id)]
	return p, ok
}

// insertChild inserts a checkpoint only if its parent exists on its
// branch: the fast path's stand-in for reading the parent first.
//
// The parent is looked up by (thread_id, id) alone and its branch compared
// outside the lookup. With branch inside it, a planner without statistics
// (a table never analyzed: a new or restored database) picks the
// (thread_id, branch, parent_id) index, which matches two of the three
// columns, and filters every checkpoint of the thread: 0.3 ms at 1,200
// checkpoints against 0.02 ms, growing with the thread. This shape leaves
// it one index that matches: the unique one on (thread_id, id).
const insertChild = `INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata)
	SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::int4, $7::bytea, $8::jsonb, $9::jsonb, $10::text, $11::jsonb
	WHERE (SELECT branch FROM checkpoints WHERE thread_id = $1 AND id = $3) = $4`

// insertChildLogs appends log entries only if their checkpoint was just
// inserted (the same implicit transaction sees it).
const insertChildLogs = `INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
	SELECT $1, $2, u.channel, u.seq, u.entry
	FROM unnest($3::text[], $4::int4[], $5::bytea[]) AS u(channel, seq, entry)
	WHERE EXISTS (SELECT 1 FROM checkpoints WHERE thread_id = $1 AND id = $6)`

// putFast stores cp in one round trip when this Saver wrote its parent:
// the lock and both inserts go as one pipeline, which PostgreSQL runs as
// one implicit transaction, instead of BEGIN, a read of the parent, the
// inserts and COMMIT (four round trips; an agent turn puts three
// checkpoints under the default durability). It reports done=false, having
// written nothing, when the slow path must decide: no cached parent, a
// parent that is gone, or a bulk append (COPY).
func (s *Saver) putFast(ctx context.Context, cp checkpoint.Checkpoint, enc rows.Encoded, appends map[string][][]byte) (done bool, err error) {
	if cp.ParentID == "" {
		return false, nil
	}
	parent, ok := s.parents.get(cp.ThreadID, cp.ParentID)
	if !ok || parent.branch != cp.Branch {
		return false, nil
	}
	if err := checkpoint.CheckAppends(parent.lens, cp.LogLens, appends); err != nil {
		return true, err
	}
	channels, seqs, entries := flatten(cp.LogLens, appends)
	if len(entries) >= copyThreshold {
		return false, nil
	}
	b := &pgx.Batch{}
	b.Queue(lockShared, LockClass, cp.ThreadID)
	b.Queue(insertChild, cp.ThreadID, cp.ID, cp.ParentID, cp.Branch, int64(cp.Step), int32(cp.Version),
		[]byte(enc.Vals), enc.Lens, enc.Next, cp.Source, enc.Meta)
	if len(entries) > 0 {
		b.Queue(insertChildLogs, cp.ThreadID, cp.Branch, channels, seqs, entries, cp.ID)
	}
	br := s.pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return true, err
	}
	tag, err := br.Exec()
	if err != nil {
		br.Close()
		return true, err
	}
	if err := br.Close(); err != nil {
		return true, err
	}
	if tag.RowsAffected() == 0 {
		// The parent is gone (the thread was erased or pruned): nothing
		// was written, and the slow path says why.
		return false, nil
	}
	s.parents.add(cp)
	return true, nil
}
