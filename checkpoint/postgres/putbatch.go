package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

var _ checkpoint.BatchPutter = (*Saver)(nil)

// chainInsert inserts a chain of checkpoints, u, in order (seq follows
// the chain); chainRows and the VALUES forms (valuesInserts) say where u
// comes from, insertChain and insertRootChain when it goes in.
const chainInsert = `INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata)
	SELECT $1::text, u.id, u.parent_id, $3::text, u.step, u.version, u.vals, u.log_lens, u.next, u.source, u.metadata`

// chainRows is chainInsert from parallel arrays.
const chainRows = chainInsert + `
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
const insertChain = chainRows + afterParent

// afterParent and atStart end a chain's SELECT (from unnest or VALUES, as
// u): insertChain and insertRootChain say why.
const (
	afterParent = `
	WHERE (SELECT branch FROM checkpoints WHERE thread_id = $1 AND id = $2) = $3
	ORDER BY u.ord`
	atStart = `
	WHERE $2::text = ''
	ORDER BY u.ord`
)

// insertRootChain is insertChain for a chain that starts a thread: the
// unique index on (thread_id, branch, parent_id) lets one first checkpoint
// in, and PostgreSQL reports the second as a conflict.
const insertRootChain = chainRows + atStart

// withLogs ends a chain insert (insertChain, insertRootChain, the VALUES
// forms) begun as "WITH cps AS (": it also inserts the chain's log
// entries (parameters $l–$l+2, as insertLogs takes them), in the same
// statement and only if the checkpoints went in, and returns how many did.
func withLogs(l int) string {
	return fmt.Sprintf(` RETURNING 1), logs AS (
	INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
	SELECT $1, $3, l.channel, l.seq, l.entry FROM unnest($%d::text[], $%d::int4[], $%d::bytea[]) AS l(channel, seq, entry)
	WHERE EXISTS (SELECT 1 FROM cps))
	SELECT count(*) FROM cps`, l, l+1, l+2)
}

var (
	insertChainWithLogs     = "WITH cps AS (" + insertChain + withLogs(13)
	insertRootChainWithLogs = "WITH cps AS (" + insertRootChain + withLogs(13)
)

// maxValuesChain is the longest chain inserted from a VALUES list of
// scalar parameters rather than from unnest over arrays: PostgreSQL 15
// spends 0.14 ms unnesting nine arrays into a single row, more than the
// insert itself with its four index entries (0.07 ms), and a turn's chains
// are short (the agent stores three checkpoints after its tool, one at the
// end).
const maxValuesChain = 8

// valuesInserts holds, for k = 1 … maxValuesChain, the statements that
// insert a chain of k from VALUES: [0] after a parent, [1] at a thread's
// start. The parameters are those of insertChainWithLogs with the nine
// arrays ($4–$12) spread into nine scalars per checkpoint, in order, and
// the three log arrays after them.
var valuesInserts = buildValuesInserts()

func buildValuesInserts() (out [2][maxValuesChain + 1]string) {
	for k := 1; k <= maxValuesChain; k++ {
		var rowsList strings.Builder
		for i := range k {
			p := 4 + 9*i
			if i > 0 {
				rowsList.WriteString(", ")
			}
			fmt.Fprintf(&rowsList, "($%d::text, $%d::text, $%d::int8, $%d::int4, $%d::bytea, $%d::jsonb, $%d::jsonb, $%d::text, $%d::jsonb, %d)",
				p, p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, i)
		}
		rows := chainInsert + `
	FROM (VALUES ` + rowsList.String() + `) AS u(id, parent_id, step, version, vals, log_lens, next, source, metadata, ord)`
		logs := withLogs(4 + 9*k)
		out[0][k] = "WITH cps AS (" + rows + afterParent + logs
		out[1][k] = "WITH cps AS (" + rows + atStart + logs
	}
	return out
}

// PutBatch implements checkpoint.BatchPutter, and Put is a chain of one.
// When this Saver wrote the first checkpoint's parent, the whole chain
// goes in one round trip (shared with other threads' chains when several
// are written at once: group.go) — the lock and one statement inserting the
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
	if first.ParentID != "" {
		parent, ok := s.parents.get(first.ThreadID, first.ParentID)
		if !ok || parent.branch != first.Branch {
			return s.putSlowChain(ctx, puts, encs)
		}
		if err := checkpoint.CheckAppends(parent.lens, first.LogLens, puts[0].Appends); err != nil {
			return err
		}
	}
	w, ok := chainOf(puts, encs)
	if !ok {
		return s.putSlowChain(ctx, puts, encs)
	}
	inserted, err := s.write(ctx, w)
	if err != nil {
		return s.putError(first, err)
	}
	if inserted == 0 {
		// The parent is gone: nothing was written; the slow path says why.
		return s.putSlowChain(ctx, puts, encs)
	}
	s.parents.add(puts[len(puts)-1].Checkpoint)
	return nil
}

// chainOf builds the fast path's insert of a chain (encs: its rows,
// encoded): from VALUES when it is short, from arrays otherwise. ok is
// false when its log entries are too many for one statement (the slow
// path copies them).
func chainOf(puts []checkpoint.Put, encs []rows.Encoded) (w *chainWrite, ok bool) {
	var (
		channels []string
		seqs     []int32
		entries  [][]byte
	)
	for _, p := range puts {
		ch, sq, es := flatten(p.Checkpoint.LogLens, p.Appends)
		channels, seqs, entries = append(channels, ch...), append(seqs, sq...), append(entries, es...)
	}
	if len(entries) >= copyThreshold {
		return nil, false
	}
	first, n := puts[0].Checkpoint, len(puts)
	root := 0
	if first.ParentID == "" {
		root = 1
	}
	w = &chainWrite{thread: first.ThreadID}
	if n <= maxValuesChain {
		w.insert = valuesInserts[root][n]
		w.args = make([]any, 0, 6+9*n)
		w.args = append(w.args, first.ThreadID, first.ParentID, first.Branch)
		for i, p := range puts {
			cp, enc := p.Checkpoint, encs[i]
			w.args = append(w.args, cp.ID, cp.ParentID, int64(cp.Step), int32(cp.Version), []byte(enc.Vals), enc.Lens, enc.Next, cp.Source, enc.Meta)
		}
		w.args = append(w.args, channels, seqs, entries)
		return w, true
	}
	var (
		ids, parents       = make([]string, n), make([]string, n)
		steps              = make([]int64, n)
		versions           = make([]int32, n)
		vals               = make([][]byte, n)
		lens, nexts, metas = make([]string, n), make([]string, n), make([]string, n)
		sources            = make([]string, n)
	)
	for i, p := range puts {
		cp, enc := p.Checkpoint, encs[i]
		ids[i], parents[i], steps[i], versions[i] = cp.ID, cp.ParentID, int64(cp.Step), int32(cp.Version)
		vals[i], lens[i], nexts[i], metas[i], sources[i] = []byte(enc.Vals), enc.Lens, enc.Next, enc.Meta, cp.Source
	}
	w.insert = [2]string{insertChainWithLogs, insertRootChainWithLogs}[root]
	w.args = []any{first.ThreadID, first.ParentID, first.Branch, ids, parents, steps, versions, vals, lens, nexts, sources, metas,
		channels, seqs, entries}
	return w, true
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
