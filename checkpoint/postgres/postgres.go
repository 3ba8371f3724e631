// Package postgres is a checkpoint.Saver on PostgreSQL, through pgx/v5's
// connection pool.
//
// The tables come from the migrations package (0001_checkpoints.sql,
// 0007_checkpoint_storage.sql):
//
//   - checkpoints: one row per checkpoint, keyed (thread_id, seq); seq, an
//     identity column, orders them, so a thread's latest is its most
//     recently stored row; a unique index on (thread_id, branch, parent_id)
//     lets exactly one writer advance a thread from a given parent, and the
//     loser's unique violation becomes checkpoint.ErrConflict;
//   - checkpoint_logs: one row per log entry, keyed (thread_id, branch,
//     channel, seq). Put inserts only the entries appended by the turn (one
//     INSERT ... unnest pipelined with the checkpoint row; COPY for bulk
//     appends), so a turn at message 1,000 writes what a turn at message 10
//     writes;
//   - checkpoint_log_chunks: the older entries of each log, moved there by
//     Prune in groups of up to 64, compressed when large (chunks.go);
//   - checkpoint_writes: pending writes, deleted with their checkpoint.
//
// Every statement names the thread and is answered from one index, so a
// turn's queries keep their plan on tables that were never analyzed.
//
// Every Put is one transaction. There is no saver-wide lock: writers of one
// thread meet only on that thread's rows (and on a shared, per-thread,
// transaction-scoped advisory lock that DeleteThread takes exclusively so a
// deletion never races a Put into leaving rows behind). Loading a thread is
// two round trips: the checkpoint row, then its log entries and pending
// writes in one pipelined batch.
//
// # PgBouncer
//
// By default pgx prepares and caches statements on each server connection,
// which PgBouncer in transaction mode cannot follow (before PgBouncer 1.21,
// or with max_prepared_statements = 0). Build the pool with
// PoolConfig(url, true), or put default_query_exec_mode=exec (or
// simple_protocol) in the URL: queries then run without server-side
// prepared statements, one round trip each, and every statement the saver
// issues works in that mode. Run migrations against Postgres directly, not
// through a transaction-mode pooler: they hold a session-level lock.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

// LockClass is the first key of the two-key advisory locks the saver takes
// per thread (the second is hashtext(thread_id)). Two-key advisory locks
// never conflict with one-key (bigint) ones, so a caller's own per-thread
// bigint lock cannot deadlock with the saver.
const LockClass int32 = 0x63687074 // "chpt"

// Saver is a checkpoint.Saver on a pgxpool.Pool. It is safe for concurrent
// use by any number of goroutines and processes.
type Saver struct {
	pool    *pgxpool.Pool
	parents parentCache
	pruned  atomic.Int64 // checkpoints Prune removed since the last Compact
	group   committer
}

var _ checkpoint.Saver = (*Saver)(nil)

// Option configures a Saver.
type Option func(*Saver)

// New returns a Saver on pool. The schema must be migrated (see the
// migrations package). The pool stays the caller's to close.
func New(pool *pgxpool.Pool, opts ...Option) *Saver {
	s := &Saver{pool: pool}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// HealthCheckPeriod is how often PoolConfig's pools check idle connections,
// so a connection cut by a restart or a pooler is replaced before a turn
// needs it.
const HealthCheckPeriod = 15 * time.Second

// PoolConfig parses a postgres:// URL (or key=value DSN) into a pool
// configuration with health checks every HealthCheckPeriod. With pgbouncer
// set, statements run without server-side prepared statements
// (pgx.QueryExecModeExec), as PgBouncer's transaction mode needs, unless the
// URL already chooses a default_query_exec_mode.
func PoolConfig(url string, pgbouncer bool) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("checkpoint/postgres: parse database URL: %w", err)
	}
	cfg.HealthCheckPeriod = HealthCheckPeriod
	if pgbouncer {
		if _, set := cfg.ConnConfig.RuntimeParams["default_query_exec_mode"]; !set {
			cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
		}
		cfg.ConnConfig.StatementCacheCapacity = 0
		cfg.ConnConfig.DescriptionCacheCapacity = 0
	}
	return cfg, nil
}

// NewPool opens a pool with PoolConfig and checks that the server answers,
// so a wrong URL or a server that is down is reported at start-up.
func NewPool(ctx context.Context, url string, pgbouncer bool) (*pgxpool.Pool, error) {
	cfg, err := PoolConfig(url, pgbouncer)
	if err != nil {
		return nil, err
	}
	return Connect(ctx, cfg)
}

// Connect opens a pool with cfg (from PoolConfig, perhaps adjusted) and
// checks that the server answers.
func Connect(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("checkpoint/postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("checkpoint/postgres: database unreachable at %s:%d: %w",
			cfg.ConnConfig.Host, cfg.ConnConfig.Port, err)
	}
	return pool, nil
}

// pgCode returns the SQLSTATE of err, or "".
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

func wrap(op, threadID string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("checkpoint/postgres: %s thread %s: %w", op, threadID, err)
}

// parentQuery reads what Put checks a child against.
const parentQuery = "SELECT branch, log_lens FROM checkpoints WHERE thread_id = $1 AND id = $2"

const lockShared = "SELECT pg_advisory_xact_lock_shared($1::int4, hashtext($2::text))"

// Put implements checkpoint.Saver: a chain of one (see PutBatch).
func (s *Saver) Put(ctx context.Context, cp checkpoint.Checkpoint, appends map[string][][]byte) error {
	return s.PutBatch(ctx, []checkpoint.Put{{Checkpoint: cp, Appends: appends}})
}

// prepare checks what Put can check without the database and encodes cp
// for its row.
func prepare(cp checkpoint.Checkpoint, appends map[string][][]byte) (rows.Encoded, error) {
	if err := checkpoint.CheckHeader(cp); err != nil {
		return rows.Encoded{}, err
	}
	if cp.ParentID == "" {
		// No parent to read: the appends must start every log at 0.
		if err := checkpoint.CheckAppends(nil, cp.LogLens, appends); err != nil {
			return rows.Encoded{}, err
		}
	}
	return encode(cp)
}

// putTx is the slow path of one checkpoint, in tx: the thread's lock, a read of the
// parent to check cp against, and the inserts.
func (s *Saver) putTx(ctx context.Context, tx pgx.Tx, cp checkpoint.Checkpoint, enc rows.Encoded, appends map[string][][]byte) error {
	b := &pgx.Batch{}
	b.Queue(lockShared, LockClass, cp.ThreadID)
	if cp.ParentID != "" {
		b.Queue(parentQuery, cp.ThreadID, cp.ParentID)
	}
	br := tx.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return err
	}
	if cp.ParentID != "" {
		var branch string
		var lensJSON []byte
		err := br.QueryRow().Scan(&branch, &lensJSON)
		if errors.Is(err, pgx.ErrNoRows) {
			br.Close()
			return fmt.Errorf("%w: parent %s not found", checkpoint.ErrInvalid, cp.ParentID)
		}
		if err != nil {
			br.Close()
			return err
		}
		if branch != cp.Branch {
			br.Close()
			return fmt.Errorf("%w: branch %q differs from parent's %q", checkpoint.ErrInvalid, cp.Branch, branch)
		}
		var parentLens map[string]int
		if err := rows.UnmarshalMap(lensJSON, &parentLens); err != nil {
			br.Close()
			return &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ParentID, Err: fmt.Errorf("log lengths: %w", err)}
		}
		if err := checkpoint.CheckAppends(parentLens, cp.LogLens, appends); err != nil {
			br.Close()
			return err
		}
	}
	if err := br.Close(); err != nil {
		return err
	}

	b = &pgx.Batch{}
	b.Queue(`INSERT INTO checkpoints (thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata)
		VALUES ($1, $2, $3, $4, $5, $6, $7::bytea, $8::jsonb, $9::jsonb, $10, $11::jsonb)`,
		cp.ThreadID, cp.ID, cp.ParentID, cp.Branch, int64(cp.Step), int32(cp.Version),
		[]byte(enc.Vals), enc.Lens, enc.Next, cp.Source, enc.Meta)
	channels, seqs, entries := flatten(cp.LogLens, appends)
	if len(entries) > 0 && len(entries) < copyThreshold {
		b.Queue(insertLogs, cp.ThreadID, cp.Branch, channels, seqs, entries)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	if len(entries) >= copyThreshold {
		rows := make([][]any, len(entries))
		for i := range entries {
			rows[i] = []any{cp.ThreadID, cp.Branch, channels[i], seqs[i], entries[i]}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"checkpoint_logs"},
			[]string{"thread_id", "branch", "channel", "seq", "entry"}, pgx.CopyFromRows(rows))
		return err
	}
	return nil
}

// putError maps a Put's database error to the checkpoint package's.
func (s *Saver) putError(cp checkpoint.Checkpoint, err error) error {
	if err == nil {
		return nil
	}
	if pgCode(err) == uniqueViolation {
		return fmt.Errorf("%w: thread %s already advanced from %q (or checkpoint %s exists)",
			checkpoint.ErrConflict, cp.ThreadID, cp.ParentID, cp.ID)
	}
	if errors.Is(err, checkpoint.ErrInvalid) {
		return err
	}
	var corrupt *checkpoint.CorruptError
	if errors.As(err, &corrupt) {
		return err
	}
	return wrap("put", cp.ThreadID, err)
}

// copyThreshold is the number of appended entries from which Put uses COPY
// instead of a pipelined INSERT ... unnest: measured here, unnest is faster
// for a turn's few entries (125 µs against 154 µs for 2, transaction
// included) and COPY for bulk appends (1.2 ms against 1.8 ms for 100).
const copyThreshold = 32

const insertLogs = `INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
	SELECT $1, $2, u.channel, u.seq, u.entry
	FROM unnest($3::text[], $4::int4[], $5::bytea[]) AS u(channel, seq, entry)`

// flatten lays appends out as the parallel arrays insertLogs takes, each
// entry at its position in its log.
func flatten(lens map[string]int, appends map[string][][]byte) (channels []string, seqs []int32, entries [][]byte) {
	for ch, es := range appends {
		start := lens[ch] - len(es)
		for i, e := range es {
			if e == nil {
				e = []byte{}
			}
			channels = append(channels, ch)
			seqs = append(seqs, int32(start+i))
			entries = append(entries, e)
		}
	}
	return channels, seqs, entries
}

// heldRows are a log's rows, read before the chunks they follow.
type heldRows struct {
	first   int // the position of entries[0]
	entries [][]byte
}

// logRange reads the rows of entries [$4, $5) of one log.
const logRange = `SELECT seq, entry FROM checkpoint_logs
	WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq >= $4 AND seq < $5 ORDER BY seq`

// writesQuery reads a checkpoint's pending writes.
const writesQuery = "SELECT node, kind, value FROM checkpoint_writes WHERE thread_id = $1 AND checkpoint_id = $2 ORDER BY seq"

// getQuery reads one checkpoint.
const getQuery = "SELECT " + cpCols + " FROM checkpoints WHERE thread_id = $1 AND id = $2"

const latestQuery = "SELECT " + cpCols + " FROM checkpoints WHERE thread_id = $1 ORDER BY seq DESC LIMIT 1"

// Latest implements checkpoint.Saver.
func (s *Saver) Latest(ctx context.Context, threadID string) (checkpoint.Tuple, error) {
	return s.load(ctx, threadID, "", nil, latestQuery, threadID)
}

// LatestSince implements checkpoint.IncrementalLoader.
func (s *Saver) LatestSince(ctx context.Context, threadID string, have checkpoint.Cursor) (checkpoint.Tuple, error) {
	return s.load(ctx, threadID, "", &have, latestQuery, threadID)
}

// Get implements checkpoint.Saver.
func (s *Saver) Get(ctx context.Context, threadID, id string) (checkpoint.Tuple, error) {
	return s.load(ctx, threadID, id, nil, getQuery, threadID, id)
}

func notFound(threadID, id string) error {
	if id == "" {
		return fmt.Errorf("thread %s: %w", threadID, checkpoint.ErrNotFound)
	}
	return fmt.Errorf("thread %s checkpoint %s: %w", threadID, id, checkpoint.ErrNotFound)
}

// load reads one checkpoint with query, then its logs (from what have
// lacks, when have is set) and pending writes in one pipelined batch.
func (s *Saver) load(ctx context.Context, threadID, id string, have *checkpoint.Cursor, query string, args ...any) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	var r row
	if err := s.pool.QueryRow(ctx, query, args...).Scan(r.dest()...); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return checkpoint.Tuple{}, notFound(threadID, id)
		}
		return checkpoint.Tuple{}, wrap("load", threadID, err)
	}
	cp, err := r.decode(threadID)
	if err != nil {
		return checkpoint.Tuple{}, err
	}
	out := checkpoint.Tuple{Checkpoint: cp, Logs: make(map[string][][]byte, len(cp.LogLens))}
	var from map[string]int
	if have != nil {
		from = checkpoint.TailFrom(cp, *have)
		out.LogsFrom = from
	}
	// One range query per channel on the rows, then one on the chunks
	// (chunks.go), all in one pipelined batch: with the channel fixed, the
	// seq bounds are bounds of the primary key's scan whatever the planner
	// knows, so reading a turn's tail costs the same at entry 10 and at
	// entry 10,000. (With the channel left free, seq is only checked
	// against every entry of the thread.)
	var channels []string
	parts := make(map[string]*logPart, len(cp.LogLens))
	b := &pgx.Batch{}
	for ch, n := range cp.LogLens {
		if n > from[ch] {
			channels = append(channels, ch)
			parts[ch] = &logPart{lo: from[ch], hi: n, entries: make([][]byte, 0, n-from[ch])}
			b.Queue(logRange, threadID, cp.Branch, ch, int32(from[ch]), int32(n))
		}
	}
	for _, ch := range channels {
		b.Queue(chunkRange, threadID, cp.Branch, ch, int32(from[ch]), int32(cp.LogLens[ch]))
	}
	b.Queue(writesQuery, threadID, cp.ID)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	// Rows arrive first but follow the chunks in the log: hold them. They
	// are consecutive, so the first one's position places them all.
	held := make(map[string]*heldRows, len(channels))
	for _, ch := range channels {
		rows, err := br.Query()
		if err != nil {
			return checkpoint.Tuple{}, wrap("load logs of", threadID, err)
		}
		h := &heldRows{entries: make([][]byte, 0, parts[ch].hi-parts[ch].lo)}
		held[ch] = h
		var (
			seq   int32
			entry []byte
		)
		if _, err := pgx.ForEachRow(rows, []any{&seq, &entry}, func() error {
			if len(h.entries) == 0 {
				h.first = int(seq)
			} else if int(seq) != h.first+len(h.entries) {
				return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: cp.ID,
					Err: fmt.Errorf("log %q: entry %d missing", ch, h.first+len(h.entries))}
			}
			h.entries = append(h.entries, entry)
			entry = nil
			return nil
		}); err != nil {
			var c *checkpoint.CorruptError
			if errors.As(err, &c) {
				return checkpoint.Tuple{}, err
			}
			return checkpoint.Tuple{}, wrap("load logs of", threadID, err)
		}
	}
	for _, ch := range channels {
		rows, err := br.Query()
		if err != nil {
			return checkpoint.Tuple{}, wrap("load logs of", threadID, err)
		}
		var (
			seq, n int32
			raw    []byte
		)
		p := parts[ch]
		corrupt := func(err error) error {
			return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: cp.ID, Err: fmt.Errorf("log %q: %w", ch, err)}
		}
		_, err = pgx.ForEachRow(rows, []any{&seq, &n, &raw}, func() error {
			entries, err := decodeChunk(raw, int(n))
			if err != nil {
				return corrupt(err)
			}
			for i, e := range entries {
				if err := p.add(int(seq)+i, e); err != nil {
					return corrupt(err)
				}
			}
			raw = nil
			return nil
		})
		if err != nil {
			var c *checkpoint.CorruptError
			if errors.As(err, &c) {
				return checkpoint.Tuple{}, err
			}
			return checkpoint.Tuple{}, wrap("load logs of", threadID, err)
		}
		h := held[ch]
		if len(p.entries) == 0 && h.first == p.lo {
			p.entries = h.entries // no chunk: the rows are the log
			continue
		}
		for i, e := range h.entries {
			if err := p.add(h.first+i, e); err != nil {
				return checkpoint.Tuple{}, corrupt(err)
			}
		}
	}
	for ch, n := range cp.LogLens {
		if p, ok := parts[ch]; ok {
			out.Logs[ch] = p.entries
		} else {
			out.Logs[ch] = make([][]byte, 0, n-from[ch])
		}
	}
	rows, err := br.Query()
	if err != nil {
		return checkpoint.Tuple{}, wrap("load writes of", threadID, err)
	}
	var (
		w    checkpoint.Write
		kind int16
	)
	_, err = pgx.ForEachRow(rows, []any{&w.Node, &kind, &w.Value}, func() error {
		w.Kind = checkpoint.WriteKind(kind)
		out.Writes = append(out.Writes, w)
		w.Value = nil
		return nil
	})
	if err != nil {
		return checkpoint.Tuple{}, wrap("load writes of", threadID, err)
	}
	if err := br.Close(); err != nil {
		return checkpoint.Tuple{}, wrap("load", threadID, err)
	}
	for ch, n := range cp.LogLens {
		if len(out.Logs[ch]) != n-from[ch] {
			// A concurrent DeleteThread, or rows lost.
			var exists bool
			if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE thread_id = $1 AND id = $2)",
				threadID, cp.ID).Scan(&exists); err == nil && !exists {
				return checkpoint.Tuple{}, notFound(threadID, id)
			}
			return checkpoint.Tuple{}, &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: cp.ID,
				Err: fmt.Errorf("log %q holds %d entries, the checkpoint records %d", ch, from[ch]+len(out.Logs[ch]), n)}
		}
	}
	return out, nil
}

// List implements checkpoint.Saver.
func (s *Saver) List(ctx context.Context, threadID string, opts checkpoint.ListOptions) ([]checkpoint.Checkpoint, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	query := "SELECT " + cpCols + " FROM checkpoints WHERE thread_id = $1"
	args := []any{threadID}
	if opts.Before != "" {
		var before int64
		err := s.pool.QueryRow(ctx, "SELECT seq FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, opts.Before).Scan(&before)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, notFound(threadID, opts.Before)
		}
		if err != nil {
			return nil, wrap("list", threadID, err)
		}
		query += " AND seq < $2"
		args = append(args, before)
	}
	query += " ORDER BY seq DESC"
	if opts.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(opts.Limit)
	}
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, wrap("list", threadID, err)
	}
	var (
		out []checkpoint.Checkpoint
		r   row
	)
	_, err = pgx.ForEachRow(rows, r.dest(), func() error {
		cp, err := r.decode(threadID)
		if err != nil {
			return err
		}
		out = append(out, cp)
		r = row{}
		return nil
	})
	if err != nil {
		var corrupt *checkpoint.CorruptError
		if errors.As(err, &corrupt) {
			return nil, err
		}
		return nil, wrap("list", threadID, err)
	}
	return out, nil
}

// PutWrites implements checkpoint.Saver.
func (s *Saver) PutWrites(ctx context.Context, threadID, checkpointID string, writes []checkpoint.Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(writes) == 0 {
		var exists bool
		err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE thread_id = $1 AND id = $2)",
			threadID, checkpointID).Scan(&exists)
		if err != nil {
			return wrap("put writes of", threadID, err)
		}
		if !exists {
			return notFound(threadID, checkpointID)
		}
		return nil
	}
	nodes := make([]string, len(writes))
	kinds := make([]int16, len(writes))
	values := make([][]byte, len(writes))
	ords := make([]int32, len(writes))
	for i, w := range writes {
		nodes[i], kinds[i], values[i], ords[i] = w.Node, int16(w.Kind), w.Value, int32(i)
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO checkpoint_writes (thread_id, checkpoint_id, node, kind, value)
		SELECT $1, $2, u.node, u.kind, u.value
		FROM unnest($3::text[], $4::int2[], $5::bytea[], $6::int4[]) AS u(node, kind, value, ord)
		ORDER BY u.ord`,
		threadID, checkpointID, nodes, kinds, values, ords)
	if pgCode(err) == foreignKeyViolation {
		return notFound(threadID, checkpointID)
	}
	return wrap("put writes of", threadID, err)
}

var _ checkpoint.IncrementalLoader = (*Saver)(nil)
