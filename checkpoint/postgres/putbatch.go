package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

var _ checkpoint.BatchPutter = (*Saver)(nil)

// chainRows selects a chain of checkpoints from parallel arrays, in order
// (seq follows the chain); insertChain and insertRootChain say when.
const chainRows = `INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata)
	SELECT $1::text, u.id, u.parent_id, $3::text, u.step, u.version, u.vals, u.log_lens, u.next, u.source, u.metadata
	FROM unnest($4::text[], $5::text[], $6::int8[], $7::int4[], $8::bytea[], $9::jsonb[], $10::jsonb[], $11::text[], $12::jsonb[])
		WITH ORDINALITY AS u(id, parent_id, step, version, vals, log_lens, next, source, metadata, ord)`

// insertChain inserts a chain only if the first one's parent ($2) exists
// on its branch: the fast path's stand-in for reading the parent first.
//
// The parent is looked up by (thread_id, id) alone and its branch compared
// outside the lookup. With branch inside it, a planner without statistics
// (a table never analyzed: a new or restored database) picks the
// (thread_id, branch, parent_id) index, which matches two of the three
// columns, and filters every checkpoint of the thread: 0.3 ms at 1,200
// checkpoints against 0.02 ms, growing with the thread. This shape leaves
// it one index that matches: the unique one on (thread_id, id).
const insertChain = chainRows + `
	WHERE (SELECT branch FROM checkpoints WHERE thread_id = $1 AND id = $2) = $3
	ORDER BY u.ord`

// insertRootChain is insertChain for a chain that starts a thread: the
// unique index on (thread_id, branch, parent_id) lets one first checkpoint
// in, and PostgreSQL reports the second as a conflict.
const insertRootChain = chainRows + `
	WHERE $2::text = ''
	ORDER BY u.ord`

// withLogs makes a chain insert (insertChain, insertRootChain) also insert
// the chain's log entries ($13–$15, as insertLogs takes them), in the same
// statement and only if the checkpoints went in, and return how many did.
const withLogs = `), logs AS (
	INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
	SELECT $1, $3, l.channel, l.seq, l.entry FROM unnest($13::text[], $14::int4[], $15::bytea[]) AS l(channel, seq, entry)
	WHERE EXISTS (SELECT 1 FROM cps))
	SELECT count(*) FROM cps`

const (
	insertChainWithLogs     = "WITH cps AS (" + insertChain + " RETURNING 1" + withLogs
	insertRootChainWithLogs = "WITH cps AS (" + insertRootChain + " RETURNING 1" + withLogs
)

// PutBatch implements checkpoint.BatchPutter, and Put is a chain of one.
// When this Saver wrote the first checkpoint's parent, the whole chain
// goes in one round trip — the lock and one statement inserting the
// checkpoints and their log entries, run by PostgreSQL as one implicit
// transaction — whatever its length, instead of BEGIN, a read of the
// parent, the inserts and COMMIT: an agent's turn stores four checkpoints
// at its tool call for the price of one; so does a chain that starts a
// thread. Otherwise (a parent this Saver did not write, one that is gone,
// a bulk append) it runs the slow path: the chain in one transaction, each
// checkpoint checked against its parent as read.
func (s *Saver) PutBatch(ctx context.Context, puts []checkpoint.Put) error {
	if len(puts) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkpoint.CheckChain(puts); err != nil {
		return err
	}
	encs := make([]rows.Encoded, len(puts))
	for i, p := range puts {
		enc, err := prepare(p.Checkpoint, p.Appends)
		if err != nil {
			return err
		}
		encs[i] = enc
	}
	first := puts[0].Checkpoint
	insert := insertRootChainWithLogs
	if first.ParentID != "" {
		insert = insertChainWithLogs
		parent, ok := s.parents.get(first.ThreadID, first.ParentID)
		if !ok || parent.branch != first.Branch {
			return s.putSlowChain(ctx, puts, encs)
		}
		if err := checkpoint.CheckAppends(parent.lens, first.LogLens, puts[0].Appends); err != nil {
			return err
		}
	}
	n := len(puts)
	var (
		ids, parents       = make([]string, n), make([]string, n)
		steps              = make([]int64, n)
		versions           = make([]int32, n)
		vals               = make([][]byte, n)
		lens, nexts, metas = make([]string, n), make([]string, n), make([]string, n)
		sources            = make([]string, n)
		channels           []string
		seqs               []int32
		entries            [][]byte
	)
	for i, p := range puts {
		cp, enc := p.Checkpoint, encs[i]
		ids[i], parents[i], steps[i], versions[i] = cp.ID, cp.ParentID, int64(cp.Step), int32(cp.Version)
		vals[i], lens[i], nexts[i], metas[i], sources[i] = []byte(enc.Vals), enc.Lens, enc.Next, enc.Meta, cp.Source
		ch, sq, es := flatten(cp.LogLens, p.Appends)
		channels, seqs, entries = append(channels, ch...), append(seqs, sq...), append(entries, es...)
	}
	if len(entries) >= copyThreshold {
		return s.putSlowChain(ctx, puts, encs)
	}
	last := puts[n-1].Checkpoint
	b := &pgx.Batch{}
	b.Queue(lockShared, LockClass, first.ThreadID)
	b.Queue(insert, first.ThreadID, first.ParentID, first.Branch, ids, parents, steps, versions, vals, lens, nexts, sources, metas,
		channels, seqs, entries)
	br := s.pool.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return s.putError(first, err)
	}
	var inserted int64
	if err := br.QueryRow().Scan(&inserted); err != nil {
		br.Close()
		return s.putError(first, err)
	}
	if err := br.Close(); err != nil {
		return s.putError(first, err)
	}
	if inserted == 0 {
		// The parent is gone: nothing was written; the slow path says why.
		return s.putSlowChain(ctx, puts, encs)
	}
	s.parents.add(last)
	return nil
}

// putSlowChain stores the chain (encs: its rows, encoded) one checkpoint
// at a time, each checked against its parent as read, in one transaction,
// so that it stays all or nothing.
func (s *Saver) putSlowChain(ctx context.Context, puts []checkpoint.Put, encs []rows.Encoded) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for i, p := range puts {
			if err := s.putTx(ctx, tx, p.Checkpoint, encs[i], p.Appends); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.putError(puts[0].Checkpoint, err)
	}
	s.parents.add(puts[len(puts)-1].Checkpoint)
	return nil
}
