package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Fork, Prune, DeleteThread and Threads: what time travel and maintenance
// do to a thread, as opposed to a turn's reads and writes (postgres.go).

// Fork implements checkpoint.Saver.
func (s *Saver) Fork(ctx context.Context, threadID, id string) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	var fork checkpoint.Checkpoint
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockShared, LockClass, threadID); err != nil {
			return err
		}
		var r row
		err := tx.QueryRow(ctx, "SELECT "+cpCols+" FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, id).Scan(r.dest()...)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(threadID, id)
		}
		if err != nil {
			return err
		}
		src, err := r.decode(threadID)
		if err != nil {
			return err
		}
		fork = checkpoint.ForkOf(src)
		enc, err := encode(fork)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata)
			VALUES ($1, $2, $3, $4, $5, $6, $7::bytea, $8::jsonb, $9::jsonb, $10, $11::jsonb)`,
			threadID, fork.ID, fork.ParentID, fork.Branch, int64(fork.Step), int32(fork.Version),
			[]byte(enc.Vals), enc.Lens, enc.Next, fork.Source, enc.Meta)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for ch, n := range src.LogLens {
			if n == 0 {
				continue
			}
			chunked, err := forkChunks(ctx, tx, threadID, src.Branch, fork.Branch, ch, n)
			if err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
				SELECT thread_id, $2, channel, seq, entry FROM checkpoint_logs
				WHERE thread_id = $1 AND branch = $3 AND channel = $4 AND seq < $5`,
				threadID, fork.Branch, src.Branch, ch, int32(n))
			if err != nil {
				return err
			}
			if got := chunked + int(tag.RowsAffected()); got != n {
				return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: id,
					Err: fmt.Errorf("log %q holds %d entries, the checkpoint records %d", ch, got, n)}
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, checkpoint.ErrNotFound) {
			return checkpoint.Tuple{}, err
		}
		var corrupt *checkpoint.CorruptError
		if errors.As(err, &corrupt) {
			return checkpoint.Tuple{}, err
		}
		return checkpoint.Tuple{}, wrap("fork", threadID, err)
	}
	return s.Get(ctx, threadID, fork.ID)
}

// Prune implements checkpoint.Saver. Log entries are never removed: kept
// checkpoints may need them, and a branch's log is as long as its head's.
// Prune also compacts the thread's logs (chunks.go): all but the newest
// entries of each log are moved into compressed chunks of 64.
func (s *Saver) Prune(ctx context.Context, threadID string, opts checkpoint.PruneOptions) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if opts == (checkpoint.PruneOptions{}) {
		return 0, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, parent_id, branch, source, next NOT IN ('[]', 'null'), created_at
		FROM checkpoints WHERE thread_id = $1 ORDER BY seq DESC`, threadID)
	if err != nil {
		return 0, wrap("prune", threadID, err)
	}
	var (
		infos []checkpoint.PruneInfo
		info  checkpoint.PruneInfo
	)
	_, err = pgx.ForEachRow(rows, []any{&info.ID, &info.ParentID, &info.Branch, &info.Source, &info.HasNext, &info.Created}, func() error {
		infos = append(infos, info)
		return nil
	})
	if err != nil {
		return 0, wrap("prune", threadID, err)
	}
	var doomed []string
	for i, rm := range checkpoint.PrunePlan(opts, infos) {
		if rm {
			doomed = append(doomed, infos[i].ID)
		}
	}
	removed := 0
	if len(doomed) > 0 {
		tag, err := s.pool.Exec(ctx, "DELETE FROM checkpoints WHERE thread_id = $1 AND id = ANY($2::text[])", threadID, doomed)
		if err != nil {
			return 0, wrap("prune", threadID, err)
		}
		removed = int(tag.RowsAffected())
		s.pruned.Add(int64(removed))
	}
	if _, err := s.compactLogs(ctx, threadID); err != nil {
		var corrupt *checkpoint.CorruptError
		if errors.As(err, &corrupt) {
			return removed, err
		}
		return removed, wrap("compact logs of", threadID, err)
	}
	return removed, nil
}

// DeleteThread implements checkpoint.Saver. It waits for the thread's
// in-flight Puts and Forks, then removes every row of the thread from every
// table in one transaction.
func (s *Saver) DeleteThread(ctx context.Context, threadID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue("SELECT pg_advisory_xact_lock($1::int4, hashtext($2::text))", LockClass, threadID)
		b.Queue("DELETE FROM checkpoint_writes WHERE thread_id = $1", threadID)
		b.Queue("DELETE FROM checkpoint_logs WHERE thread_id = $1", threadID)
		b.Queue("DELETE FROM checkpoint_log_chunks WHERE thread_id = $1", threadID)
		b.Queue("DELETE FROM checkpoints WHERE thread_id = $1", threadID)
		return tx.SendBatch(ctx, b).Close()
	})
	return wrap("delete", threadID, err)
}

// Threads implements checkpoint.Saver. It aggregates the checkpoints table,
// so its cost grows with the number of stored checkpoints: it is for
// operators, not for the hot path.
func (s *Saver) Threads(ctx context.Context, limit int) ([]checkpoint.ThreadInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	query := `SELECT c.thread_id, t.n, c.id, c.step, c.created_at
		FROM (SELECT thread_id, count(*) AS n, max(seq) AS last FROM checkpoints GROUP BY thread_id) AS t
		JOIN checkpoints AS c ON c.thread_id = t.thread_id AND c.seq = t.last
		ORDER BY c.seq DESC`
	if limit > 0 {
		query += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.pool.Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("checkpoint/postgres: threads: %w", err)
	}
	var (
		out  []checkpoint.ThreadInfo
		info checkpoint.ThreadInfo
		n    int64
		step int64
	)
	_, err = pgx.ForEachRow(rows, []any{&info.ThreadID, &n, &info.LatestID, &step, &info.UpdatedAt}, func() error {
		info.Checkpoints, info.LatestStep = int(n), int(step)
		out = append(out, info)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checkpoint/postgres: threads: %w", err)
	}
	return out, nil
}
