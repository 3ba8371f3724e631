// Package sqlite is a checkpoint.Saver on an embedded SQLite database
// (modernc.org/sqlite, pure Go) through database/sql: the default when no
// DATABASE_URL is configured.
//
// It uses the same tables and the same rules as checkpoint/postgres (see the
// migrations package, sqlite/0001_checkpoints.sql): one row per checkpoint,
// one row per log entry inserted only when appended, a unique index that lets
// one writer advance a thread from a given parent. SQLite has one writer at
// a time; open the database with DSN (WAL, busy timeout, foreign keys,
// immediate transactions) so writers queue instead of failing, and readers
// never wait for them. Loads run in a read-only transaction, so a checkpoint
// and its logs always come from one snapshot.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

// DSNParams are the connection parameters every connection to the embedded
// database uses: WAL journal, a 5 s busy timeout, foreign keys on, SQLite's
// own time format, and BEGIN IMMEDIATE for read-write transactions.
const DSNParams = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_time_format=sqlite&_txlock=immediate"

// DefaultFile is the name of the embedded database in the data directory.
const DefaultFile = "assistant.db"

// DSN returns the data source name of the database file at path.
func DSN(path string) string {
	return "file:" + path + "?" + DSNParams
}

// Open opens (creating it and its directory if needed) the database file at
// path with DSN, and checks that it can be read.
func Open(ctx context.Context, path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("checkpoint/sqlite: create data directory: %w", err)
		}
	}
	db, err := sql.Open("sqlite", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("checkpoint/sqlite: open %s: %w", path, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("checkpoint/sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// Saver is a checkpoint.Saver on a SQLite database. It is safe for
// concurrent use.
type Saver struct {
	db  *sql.DB
	now func() time.Time
}

var _ checkpoint.Saver = (*Saver)(nil)

// Option configures a Saver.
type Option func(*Saver)

// WithClock makes the saver stamp checkpoints with now instead of
// time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Saver) { s.now = now }
}

// New returns a Saver on db, which must be migrated (see the migrations
// package) and opened with DSN (Open does both of the latter). The saver
// never holds more than one connection at a time, so it also works on a
// database limited to one open connection.
func New(db *sql.DB, opts ...Option) *Saver {
	s := &Saver{db: db, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func wrap(op, threadID string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("checkpoint/sqlite: %s thread %s: %w", op, threadID, err)
}

// passThrough reports whether err is already one of the checkpoint package's
// errors, to be returned as is.
func passThrough(err error) bool {
	var corrupt *checkpoint.CorruptError
	return errors.Is(err, checkpoint.ErrInvalid) || errors.Is(err, checkpoint.ErrNotFound) ||
		errors.Is(err, checkpoint.ErrConflict) || errors.As(err, &corrupt)
}

// inTx runs fn in a read-write (immediate) transaction, or a read-only one.
func (s *Saver) inTx(ctx context.Context, readOnly bool, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly})
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

const insertCheckpoint = `INSERT INTO checkpoints
	(thread_id, id, parent_id, branch, step, version, vals, log_lens, next, source, metadata, created_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// logRowsPerInsert bounds a multi-row insert's parameters (5 per row) well
// under SQLite's limit.
const logRowsPerInsert = 500

// Put implements checkpoint.Saver: a chain of one (see PutBatch).
func (s *Saver) Put(ctx context.Context, cp checkpoint.Checkpoint, appends map[string][][]byte) error {
	return s.PutBatch(ctx, []checkpoint.Put{{Checkpoint: cp, Appends: appends}})
}

// putTx stores one checkpoint in tx: a read of the parent to check cp against, and the
// inserts.
func (s *Saver) putTx(ctx context.Context, tx *sql.Tx, cp checkpoint.Checkpoint, enc rows.Encoded, appends map[string][][]byte) error {
	var parentLens map[string]int
	if cp.ParentID != "" {
		var branch string
		var lensJSON []byte
		err := tx.QueryRowContext(ctx, "SELECT branch, log_lens FROM checkpoints WHERE thread_id = $1 AND id = $2",
			cp.ThreadID, cp.ParentID).Scan(&branch, &lensJSON)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: parent %s not found", checkpoint.ErrInvalid, cp.ParentID)
		}
		if err != nil {
			return err
		}
		if branch != cp.Branch {
			return fmt.Errorf("%w: branch %q differs from parent's %q", checkpoint.ErrInvalid, cp.Branch, branch)
		}
		if err := rows.UnmarshalMap(lensJSON, &parentLens); err != nil {
			return &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ParentID, Err: fmt.Errorf("log lengths: %w", err)}
		}
	}
	if err := checkpoint.CheckAppends(parentLens, cp.LogLens, appends); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, insertCheckpoint, cp.ThreadID, cp.ID, cp.ParentID, cp.Branch, int64(cp.Step),
		int64(cp.Version), []byte(enc.Vals), enc.Lens, enc.Next, cp.Source, enc.Meta, formatTime(s.now())); err != nil {
		return err
	}
	return insertLogs(ctx, tx, cp, appends)
}

// putError maps a Put's database error to the checkpoint package's.
func (s *Saver) putError(cp checkpoint.Checkpoint, err error) error {
	if err == nil {
		return nil
	}
	if isUnique(err) {
		return fmt.Errorf("%w: thread %s already advanced from %q (or checkpoint %s exists)",
			checkpoint.ErrConflict, cp.ThreadID, cp.ParentID, cp.ID)
	}
	if passThrough(err) {
		return err
	}
	return wrap("put", cp.ThreadID, err)
}

var _ checkpoint.BatchPutter = (*Saver)(nil)

// PutBatch implements checkpoint.BatchPutter: the chain in one
// transaction, so one commit (a WAL sync) instead of one per checkpoint.
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
		cp := p.Checkpoint
		if err := checkpoint.CheckHeader(cp); err != nil {
			return err
		}
		enc, err := encode(cp)
		if err != nil {
			return err
		}
		encs[i] = enc
	}
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		for i, p := range puts {
			if err := s.putTx(ctx, tx, p.Checkpoint, encs[i], p.Appends); err != nil {
				return err
			}
		}
		return nil
	})
	return s.putError(puts[0].Checkpoint, err)
}

// insertLogs inserts the appended entries at their positions, many rows per
// statement.
func insertLogs(ctx context.Context, tx *sql.Tx, cp checkpoint.Checkpoint, appends map[string][][]byte) error {
	var (
		sb   strings.Builder
		args []any
		rows int
	)
	flush := func() error {
		if rows == 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, sb.String(), args...)
		sb.Reset()
		args, rows = args[:0], 0
		return err
	}
	for ch, es := range appends {
		start := cp.LogLens[ch] - len(es)
		for i, e := range es {
			if e == nil {
				e = []byte{}
			}
			if rows == 0 {
				sb.WriteString("INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry) VALUES ")
			} else {
				sb.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, cp.ThreadID, cp.Branch, ch, int64(start+i), e)
			rows++
			if rows == logRowsPerInsert {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

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
	return s.load(ctx, threadID, id, nil, "SELECT "+cpCols+" FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, id)
}

func notFound(threadID, id string) error {
	if id == "" {
		return fmt.Errorf("thread %s: %w", threadID, checkpoint.ErrNotFound)
	}
	return fmt.Errorf("thread %s checkpoint %s: %w", threadID, id, checkpoint.ErrNotFound)
}

// load reads one checkpoint with query, its logs and its pending writes, in
// one read-only transaction.
func (s *Saver) load(ctx context.Context, threadID, id string, have *checkpoint.Cursor, query string, args ...any) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	var out checkpoint.Tuple
	err := s.inTx(ctx, true, func(tx *sql.Tx) error {
		var r row
		if err := tx.QueryRowContext(ctx, query, args...).Scan(r.dest()...); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound(threadID, id)
			}
			return err
		}
		cp, err := r.decode(threadID)
		if err != nil {
			return err
		}
		out = checkpoint.Tuple{Checkpoint: cp}
		if have != nil {
			out.LogsFrom = checkpoint.TailFrom(cp, *have)
		}
		if out.Logs, err = readLogs(ctx, tx, cp, out.LogsFrom); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx,
			"SELECT node, kind, value FROM checkpoint_writes WHERE thread_id = $1 AND checkpoint_id = $2 ORDER BY seq", threadID, cp.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w checkpoint.Write
			var kind int64
			if err := rows.Scan(&w.Node, &kind, &w.Value); err != nil {
				return err
			}
			w.Kind = checkpoint.WriteKind(kind)
			out.Writes = append(out.Writes, w)
		}
		return rows.Err()
	})
	if err != nil {
		if passThrough(err) {
			return checkpoint.Tuple{}, err
		}
		return checkpoint.Tuple{}, wrap("load", threadID, err)
	}
	return out, nil
}

// readLogs returns cp's logs from the positions in from (nil: whole), up
// to exactly LogLens entries of each channel.
//
// One range query per channel: with the channel fixed, the seq bounds
// bound the primary key's scan, so reading a turn's tail costs the same at
// entry 10 and at entry 10,000. (With the channel left free, SQLite, which
// has no statistics unless ANALYZE ran, checks seq against every entry of
// the thread.)
func readLogs(ctx context.Context, tx *sql.Tx, cp checkpoint.Checkpoint, from map[string]int) (map[string][][]byte, error) {
	logs := make(map[string][][]byte, len(cp.LogLens))
	for ch, n := range cp.LogLens {
		log := make([][]byte, 0, max(n-from[ch], 0))
		if n > from[ch] {
			var err error
			if log, err = readLog(ctx, tx, cp, ch, from[ch], log); err != nil {
				return nil, err
			}
		}
		logs[ch] = log
	}
	for ch, n := range cp.LogLens {
		if len(logs[ch]) != n-from[ch] {
			return nil, &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ID,
				Err: fmt.Errorf("log %q holds %d entries, the checkpoint records %d", ch, from[ch]+len(logs[ch]), n)}
		}
	}
	return logs, nil
}

// logRange reads entries [$4, $5) of one log.
const logRange = `SELECT seq, entry FROM checkpoint_logs
	WHERE thread_id = $1 AND branch = $2 AND channel = $3 AND seq >= $4 AND seq < $5 ORDER BY seq`

// readLog appends entries [lo, LogLens[ch]) of log ch to log.
func readLog(ctx context.Context, tx *sql.Tx, cp checkpoint.Checkpoint, ch string, lo int, log [][]byte) ([][]byte, error) {
	rows, err := tx.QueryContext(ctx, logRange, cp.ThreadID, cp.Branch, ch, lo, cp.LogLens[ch])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			seq   int64
			entry []byte
		)
		if err := rows.Scan(&seq, &entry); err != nil {
			return nil, err
		}
		if int(seq) != lo+len(log) {
			return nil, &checkpoint.CorruptError{ThreadID: cp.ThreadID, CheckpointID: cp.ID,
				Err: fmt.Errorf("log %q: entry %d missing", ch, lo+len(log))}
		}
		if entry == nil {
			entry = []byte{}
		}
		log = append(log, entry)
	}
	return log, rows.Err()
}

// List implements checkpoint.Saver.
func (s *Saver) List(ctx context.Context, threadID string, opts checkpoint.ListOptions) ([]checkpoint.Checkpoint, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []checkpoint.Checkpoint
	err := s.inTx(ctx, true, func(tx *sql.Tx) error {
		query := "SELECT " + cpCols + " FROM checkpoints WHERE thread_id = $1"
		args := []any{threadID}
		if opts.Before != "" {
			var before int64
			err := tx.QueryRowContext(ctx, "SELECT seq FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, opts.Before).Scan(&before)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound(threadID, opts.Before)
			}
			if err != nil {
				return err
			}
			query += " AND seq < $2"
			args = append(args, before)
		}
		query += " ORDER BY seq DESC"
		if opts.Limit > 0 {
			query += " LIMIT " + strconv.Itoa(opts.Limit)
		}
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r row
			if err := rows.Scan(r.dest()...); err != nil {
				return err
			}
			cp, err := r.decode(threadID)
			if err != nil {
				return err
			}
			out = append(out, cp)
		}
		return rows.Err()
	})
	if err != nil {
		if passThrough(err) {
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
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM checkpoints WHERE thread_id = $1 AND id = $2)",
			threadID, checkpointID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return notFound(threadID, checkpointID)
		}
		for _, w := range writes {
			if _, err := tx.ExecContext(ctx, "INSERT INTO checkpoint_writes (thread_id, checkpoint_id, node, kind, value) VALUES ($1, $2, $3, $4, $5)",
				threadID, checkpointID, w.Node, int64(w.Kind), w.Value); err != nil {
				return err
			}
		}
		return nil
	})
	if passThrough(err) {
		return err
	}
	return wrap("put writes of", threadID, err)
}

// Fork implements checkpoint.Saver.
func (s *Saver) Fork(ctx context.Context, threadID, id string) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	var fork checkpoint.Checkpoint
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		var r row
		err := tx.QueryRowContext(ctx, "SELECT "+cpCols+" FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, id).Scan(r.dest()...)
		if errors.Is(err, sql.ErrNoRows) {
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
		if _, err := tx.ExecContext(ctx, insertCheckpoint, threadID, fork.ID, fork.ParentID, fork.Branch, int64(fork.Step),
			int64(fork.Version), []byte(enc.Vals), enc.Lens, enc.Next, fork.Source, enc.Meta, formatTime(s.now())); err != nil {
			return err
		}
		for ch, n := range src.LogLens {
			if n == 0 {
				continue
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO checkpoint_logs (thread_id, branch, channel, seq, entry)
				SELECT thread_id, $2, channel, seq, entry FROM checkpoint_logs
				WHERE thread_id = $1 AND branch = $3 AND channel = $4 AND seq < $5`,
				threadID, fork.Branch, src.Branch, ch, int64(n))
			if err != nil {
				return err
			}
			if got, err := res.RowsAffected(); err != nil || int(got) != n {
				return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: id,
					Err: fmt.Errorf("log %q holds %d entries, the checkpoint records %d (%v)", ch, got, n, err)}
			}
		}
		return nil
	})
	if err != nil {
		if passThrough(err) {
			return checkpoint.Tuple{}, err
		}
		return checkpoint.Tuple{}, wrap("fork", threadID, err)
	}
	return s.Get(ctx, threadID, fork.ID)
}

// Prune implements checkpoint.Saver. Log entries are never removed.
func (s *Saver) Prune(ctx context.Context, threadID string, opts checkpoint.PruneOptions) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if opts == (checkpoint.PruneOptions{}) {
		return 0, nil
	}
	removed := 0
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, parent_id, branch, source, next NOT IN ('[]', 'null'), created_at
			FROM checkpoints WHERE thread_id = $1 ORDER BY seq DESC`, threadID)
		if err != nil {
			return err
		}
		var infos []checkpoint.PruneInfo
		for rows.Next() {
			var createdText string
			var info checkpoint.PruneInfo
			if err := rows.Scan(&info.ID, &info.ParentID, &info.Branch, &info.Source, &info.HasNext, &createdText); err != nil {
				rows.Close()
				return err
			}
			info.Created, err = time.Parse(timeLayout, createdText)
			if err != nil {
				rows.Close()
				return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: info.ID, Err: fmt.Errorf("created_at: %w", err)}
			}
			infos = append(infos, info)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var doomed []string
		for i, rm := range checkpoint.PrunePlan(opts, infos) {
			if rm {
				doomed = append(doomed, infos[i].ID)
			}
		}
		for _, id := range doomed {
			res, err := tx.ExecContext(ctx, "DELETE FROM checkpoints WHERE thread_id = $1 AND id = $2", threadID, id)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			removed += int(n)
		}
		return nil
	})
	if err != nil {
		if passThrough(err) {
			return 0, err
		}
		return 0, wrap("prune", threadID, err)
	}
	return removed, nil
}

// DeleteThread implements checkpoint.Saver: every row of the thread, in
// every table, in one transaction.
func (s *Saver) DeleteThread(ctx context.Context, threadID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.inTx(ctx, false, func(tx *sql.Tx) error {
		for _, table := range []string{"checkpoint_writes", "checkpoint_logs", "checkpoints"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE thread_id = $1", threadID); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("delete", threadID, err)
}

// Threads implements checkpoint.Saver. It aggregates the checkpoints table:
// for operators, not the hot path.
func (s *Saver) Threads(ctx context.Context, limit int) ([]checkpoint.ThreadInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	query := `SELECT c.thread_id, t.n, c.id, c.step, c.created_at
		FROM (SELECT thread_id, count(*) AS n, max(seq) AS last FROM checkpoints GROUP BY thread_id) AS t
		JOIN checkpoints AS c ON c.seq = t.last
		ORDER BY c.seq DESC`
	if limit > 0 {
		query += " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("checkpoint/sqlite: threads: %w", err)
	}
	defer rows.Close()
	var out []checkpoint.ThreadInfo
	for rows.Next() {
		var (
			info        checkpoint.ThreadInfo
			n, step     int64
			createdText string
		)
		if err := rows.Scan(&info.ThreadID, &n, &info.LatestID, &step, &createdText); err != nil {
			return nil, fmt.Errorf("checkpoint/sqlite: threads: %w", err)
		}
		created, err := time.Parse(timeLayout, createdText)
		if err != nil {
			return nil, &checkpoint.CorruptError{ThreadID: info.ThreadID, CheckpointID: info.LatestID, Err: fmt.Errorf("created_at: %w", err)}
		}
		info.Checkpoints, info.LatestStep, info.UpdatedAt = int(n), int(step), created
		out = append(out, info)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("checkpoint/sqlite: threads: %w", err)
	}
	return out, nil
}

var _ checkpoint.IncrementalLoader = (*Saver)(nil)
