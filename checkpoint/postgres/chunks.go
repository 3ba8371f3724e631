package postgres

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Log compaction. Put stores one row per log entry, which keeps a turn's
// write small and its tail cheap to read; but each row repeats the
// thread, branch and channel and carries its own tuple header and index
// entry, and an entry of a few hundred bytes is too small for PostgreSQL
// to compress. Worse, at scale: a thread's rows are written turn by turn
// among every other thread's, so each lies on a page of its own, and
// loading a thread nobody has touched for a while reads one page per entry
// from disk (BenchmarkTurnAtScale: 40 pages for a 10-turn thread among a
// million). Prune therefore moves a log's entries, in groups of at most
// chunkEntries, into single rows of checkpoint_log_chunks, which
// PostgreSQL compresses (TOAST) when they are large: chat messages share
// most of their keys and much of their wording. Every full group of
// chunkEntries moves, and a last, smaller group when it holds at least
// minChunk entries; fewer stay as rows until more arrive, so a thread
// pruned often does not end up with a chunk per turn. Since Prune runs
// after a thread's turns, not during them, what a turn writes is
// untouched, and what a later turn reads is a few chunks and the rows
// written since.
//
// A log's chunks always hold a prefix of it and its rows the rest.
// Compaction takes the thread's lock exclusively, so no Put or Fork of the
// thread runs meanwhile; loads take no lock, and read the rows before the
// chunks, so a compaction between the two shows some entries twice (the
// duplicates are dropped), never none.
const (
	chunkEntries = 64 // chunkRange's "seq > $4 - 64" relies on it
	minChunk     = 16
)

// compactTo returns where the entries of [lo, hi) that Prune moves to
// chunks end: after every full chunk, and after a last, partial one of at
// least minChunk entries.
func compactTo(lo, hi int32) int32 {
	n := hi - lo
	to := lo + n/chunkEntries*chunkEntries
	if n%chunkEntries >= minChunk {
		to = hi
	}
	return to
}

// chunkRange reads the chunks holding entries of [$4, $5) of one log; a
// chunk holds at most chunkEntries entries, so one that holds $4 starts
// after $4 - chunkEntries.
const chunkRange = `SELECT seq, n, entries FROM checkpoint_log_chunks
	WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq > $4 - 64 AND seq < $5 ORDER BY seq`

// decodeChunk splits a chunk's entries: each is a 4-byte big-endian
// length, then the entry.
func decodeChunk(b []byte, n int) ([][]byte, error) {
	out := make([][]byte, 0, n)
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("chunk: %d stray bytes", len(b))
		}
		size := binary.BigEndian.Uint32(b)
		b = b[4:]
		if uint64(size) > uint64(len(b)) {
			return nil, fmt.Errorf("chunk: entry of %d bytes, %d left", size, len(b))
		}
		out = append(out, b[:size:size])
		b = b[size:]
	}
	if len(out) != n {
		return nil, fmt.Errorf("chunk holds %d entries, its row says %d", len(out), n)
	}
	return out, nil
}

// logPart gathers one log's entries of [lo, hi) from rows and chunks, in
// order; entries may arrive twice (see above), a gap is an error.
type logPart struct {
	lo, hi  int
	entries [][]byte
}

// add appends entry seq if it is the next one; an entry already held or
// out of range is ignored.
func (p *logPart) add(seq int, entry []byte) error {
	next := p.lo + len(p.entries)
	switch {
	case seq < next || seq >= p.hi:
		return nil
	case seq > next:
		return fmt.Errorf("entry %d missing", next)
	}
	p.entries = append(p.entries, entry)
	return nil
}

// compactLogs moves the older entries of every log of the thread into
// chunks. It reports how many entries it moved.
func (s *Saver) compactLogs(ctx context.Context, threadID string) (int, error) {
	moved := 0
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1::int4, hashtext($2::text))", LockClass, threadID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT branch, channel, min(seq), max(seq) + 1 FROM checkpoint_logs
			WHERE thread_id = $1 GROUP BY branch, channel`, threadID)
		if err != nil {
			return err
		}
		type span struct {
			branch, channel string
			lo, hi          int32
		}
		var spans []span
		var sp span
		if _, err := pgx.ForEachRow(rows, []any{&sp.branch, &sp.channel, &sp.lo, &sp.hi}, func() error {
			spans = append(spans, sp)
			return nil
		}); err != nil {
			return err
		}
		for _, sp := range spans {
			to := compactTo(sp.lo, sp.hi)
			if to <= sp.lo {
				continue
			}
			var chunks, inChunks int64
			err := tx.QueryRow(ctx, `WITH c AS (
				INSERT INTO checkpoint_log_chunks (thread_id, branch, channel, seq, n, entries)
				SELECT $1, $2, $3, $4 + (seq - $4) / 64 * 64, count(*), string_agg(int4send(length(entry)) || entry, ''::bytea ORDER BY seq)
				FROM checkpoint_logs
				WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq >= $4 AND seq < $5
				GROUP BY (seq - $4) / 64
				RETURNING n)
				SELECT count(*), coalesce(sum(n), 0) FROM c`, threadID, sp.branch, sp.channel, sp.lo, to).Scan(&chunks, &inChunks)
			if err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `DELETE FROM checkpoint_logs
				WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq >= $4 AND seq < $5`,
				threadID, sp.branch, sp.channel, sp.lo, to)
			if err != nil {
				return err
			}
			want := int64(to - sp.lo)
			if tag.RowsAffected() != want || inChunks != want || chunks != (want+chunkEntries-1)/chunkEntries {
				return &checkpoint.CorruptError{ThreadID: threadID,
					Err: fmt.Errorf("log %q of branch %q: entries %d to %d are not all there", sp.channel, sp.branch, sp.lo, to)}
			}
			moved += int(want)
		}
		return nil
	})
	return moved, err
}

// forkChunks copies to branch the chunks of log ch of branch src that hold
// entries below n: whole chunks as they are, and the entries below n of a
// chunk that straddles it as rows. It reports how many entries it copied.
func forkChunks(ctx context.Context, tx pgx.Tx, threadID, src, branch, ch string, n int) (int, error) {
	var whole int64
	err := tx.QueryRow(ctx, `WITH c AS (
			INSERT INTO checkpoint_log_chunks (thread_id, branch, channel, seq, n, entries)
			SELECT thread_id, $2, channel, seq, n, entries FROM checkpoint_log_chunks
			WHERE thread_id = $1 AND branch = $3 AND channel = $4 AND seq + n <= $5
			RETURNING n)
		SELECT coalesce(sum(n), 0) FROM c`, threadID, branch, src, ch, int32(n)).Scan(&whole)
	if err != nil {
		return 0, err
	}
	var (
		seq, count int32
		raw        []byte
	)
	err = tx.QueryRow(ctx, `SELECT seq, n, entries FROM checkpoint_log_chunks
		WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq < $4 AND seq + n > $4`,
		threadID, src, ch, int32(n)).Scan(&seq, &count, &raw)
	if err == pgx.ErrNoRows {
		return int(whole), nil
	}
	if err != nil {
		return 0, err
	}
	entries, err := decodeChunk(raw, int(count))
	if err != nil {
		return 0, &checkpoint.CorruptError{ThreadID: threadID, Err: fmt.Errorf("log %q: %w", ch, err)}
	}
	entries = entries[:n-int(seq)]
	seqs := make([]int32, len(entries))
	channels := make([]string, len(entries))
	for i := range entries {
		seqs[i], channels[i] = seq+int32(i), ch
	}
	if _, err := tx.Exec(ctx, insertLogs, threadID, branch, channels, seqs, entries); err != nil {
		return 0, err
	}
	return int(whole) + len(entries), nil
}
