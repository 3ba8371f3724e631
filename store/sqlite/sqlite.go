// Package sqlite is the store.Store on the embedded SQLite database
// (modernc.org/sqlite) through database/sql, with River's SQLite driver
// (riversqlite) for the jobs: the default when no DATABASE_URL is set.
//
// The tables come from the migrations package (0002_messages.sql):
// inbound_messages, outbox, outbox_parts and thread_leases; River's own
// tables come from MigrateRiver. Open the database with
// checkpoint/sqlite.Open (or its DSN): WAL, a busy timeout, foreign keys,
// and BEGIN IMMEDIATE for read-write transactions.
//
// # One connection
//
// River's SQLite driver needs the pool limited to one connection, so New
// sets db.SetMaxOpenConns(1) and the River configuration's PollOnly (SQLite
// has no LISTEN/NOTIFY). Everything the store does inside a transaction
// goes through that transaction — its own statements and River's InsertTx,
// JobListTx and JobDeleteManyTx — never through the *sql.DB, which would
// wait forever for the connection the transaction holds. Statements of all
// callers (the store, River, the checkpoint saver) take turns on the one
// connection, so one process is the only writer, and a transaction sees no
// concurrent change.
//
// # What is atomic with what
//
//   - Accept: the inbound row and its queue.RunThread job commit together
//     or not at all; a second delivery of a (channel, provider id) inserts
//     nothing and enqueues nothing. Accepts arriving together share one
//     transaction (group commit); a refused batch is retried one message
//     at a time.
//   - Complete: the processed marks, the reply rows, and one
//     queue.SendReply job per reply row it inserted commit together; a
//     reply whose (thread, key) exists is not inserted again and gets no
//     second job.
//   - RecordPart and RecordStatus: a part's row and its reply's parts_sent
//     and status change together.
//   - AcquireLease is one INSERT ... ON CONFLICT DO UPDATE ... WHERE.
//   - DeleteThread removes the thread's outbox parts, replies, inbound
//     messages, lease, and its run_thread jobs that are not running, in one
//     transaction.
//
// Times are stored as UTC text in a fixed-width layout, so text order is
// time order and comparisons happen in SQL.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/store/internal/backend"
)

// Store is a store.Store on a SQLite database. It is safe for concurrent
// use within one process; only one process may use the database file.
type Store struct {
	db      *sql.DB
	client  *river.Client[*sql.Tx]
	now     func() time.Time
	accepts *backend.Group[backend.AcceptReq, bool]
}

var _ store.Store = (*Store)(nil)

// New returns a Store on db whose River client is built from cfg (see
// queue.Config). It limits db to one open connection and sets cfg.PollOnly
// (with a 100ms poll when cfg sets none), as River's SQLite driver needs.
// The schema (migrations package) and River's tables (MigrateRiver) must be
// in place. db stays the caller's to close; the River client's workers run
// only between Start and Stop.
func New(db *sql.DB, cfg *river.Config) (*Store, error) {
	if db == nil {
		return nil, errors.New("store/sqlite: nil database")
	}
	if cfg == nil {
		return nil, errors.New("store/sqlite: nil River config")
	}
	db.SetMaxOpenConns(1)
	cfg.PollOnly = true
	if cfg.FetchPollInterval <= 0 {
		cfg.FetchPollInterval = 100 * time.Millisecond
		if cfg.FetchCooldown <= 0 || cfg.FetchCooldown > cfg.FetchPollInterval {
			cfg.FetchCooldown = 50 * time.Millisecond
		}
	}
	client, err := river.NewClient(riversqlite.New(db), cfg)
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: river client: %w", err)
	}
	s := &Store{db: db, client: client, now: time.Now}
	s.accepts = &backend.Group[backend.AcceptReq, bool]{Run: s.acceptBatch}
	return s, nil
}

// Client returns the River client, for wiring (subscriptions, job queries).
func (s *Store) Client() *river.Client[*sql.Tx] { return s.client }

// Start starts the River client's workers; they run until Stop or until ctx
// is cancelled.
func (s *Store) Start(ctx context.Context) error {
	if err := s.client.Start(ctx); err != nil {
		return fmt.Errorf("store/sqlite: start workers: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to be done.
func (s *Store) Stop(ctx context.Context) error {
	if err := s.client.Stop(ctx); err != nil {
		return fmt.Errorf("store/sqlite: stop workers: %w", err)
	}
	return nil
}

// MigrateRiver applies River's pending migrations to db. It is a no-op on
// a current schema and is safe to call at every start-up.
func MigrateRiver(ctx context.Context, db *sql.DB) error {
	m, err := rivermigrate.New(riversqlite.New(db), nil)
	if err != nil {
		return fmt.Errorf("store/sqlite: migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store/sqlite: migrate river: %w", err)
	}
	return nil
}

// timeLayout is how times are stored: UTC, fixed width, so text order is
// time order (the layout checkpoint/sqlite uses).
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

// inTx runs fn in a read-write (immediate) transaction.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

const insertInbound = `INSERT INTO inbound_messages
	(channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
	ON CONFLICT (channel, provider_id) DO NOTHING
	RETURNING id`

// Accept implements store.Store. Accepts that arrive while another batch
// commits share the next transaction (see backend.Group): SQLite has one
// writer, so a commit per message would queue them all behind each other.
func (s *Store) Accept(ctx context.Context, msg store.Inbound, runAt time.Time) (bool, error) {
	req, err := backend.PrepareAccept(msg, runAt, s.now())
	if err != nil {
		return false, fmt.Errorf("store/sqlite: accept: %w", err)
	}
	created, err := s.accepts.Do(ctx, req)
	if err != nil {
		return false, fmt.Errorf("store/sqlite: accept %s/%s: %w", msg.Channel, msg.ProviderID, err)
	}
	return created, nil
}

// acceptBatch stores a batch of inbound messages, in order, and enqueues a
// RunThread job for each new one, in one transaction.
func (s *Store) acceptBatch(ctx context.Context, reqs []backend.AcceptReq) ([]bool, error) {
	var created []bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertInbound)
		if err != nil {
			return err
		}
		defer stmt.Close()
		inserted := make(map[[2]string]bool, len(reqs))
		for _, r := range reqs {
			m := r.Msg
			var id int64
			err := stmt.QueryRowContext(ctx, m.Channel, m.ProviderID, m.Thread, m.From, m.To,
				m.Sender, m.ProfileName, m.Body, r.Media, formatTime(m.ReceivedAt)).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // a provider retry
			}
			if err != nil {
				return err
			}
			inserted[[2]string{m.Channel, m.ProviderID}] = true
		}
		created = backend.MarkCreated(reqs, inserted)
		if jobs := backend.RunJobs(reqs, created); len(jobs) > 0 {
			if _, err := s.client.InsertManyFastTx(ctx, tx, jobs); err != nil {
				return fmt.Errorf("enqueue runs: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

const selectPending = `SELECT id, channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at
	FROM inbound_messages WHERE thread_id = $1 AND processed_at IS NULL ORDER BY id`

// Pending implements store.Store.
func (s *Store) Pending(ctx context.Context, thread string) ([]store.Inbound, error) {
	rows, err := s.db.QueryContext(ctx, selectPending, thread)
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: pending %s: %w", thread, err)
	}
	defer rows.Close()
	var out []store.Inbound
	for rows.Next() {
		var m store.Inbound
		var media, received string
		if err := rows.Scan(&m.ID, &m.Channel, &m.ProviderID, &m.Thread, &m.From, &m.To, &m.Sender,
			&m.ProfileName, &m.Body, &media, &received); err != nil {
			return nil, fmt.Errorf("store/sqlite: pending %s: %w", thread, err)
		}
		if m.Media, err = backend.DecodeMedia([]byte(media)); err != nil {
			return nil, fmt.Errorf("store/sqlite: pending %s: message %d: %w", thread, m.ID, err)
		}
		if m.ReceivedAt, err = parseTime(received); err != nil {
			return nil, fmt.Errorf("store/sqlite: pending %s: message %d: %w", thread, m.ID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store/sqlite: pending %s: %w", thread, err)
	}
	return out, nil
}

const (
	markProcessed = `UPDATE inbound_messages SET processed_at = $3
		WHERE thread_id = $1 AND id IN (SELECT value FROM json_each($2)) AND processed_at IS NULL`
	insertReply = `INSERT INTO outbox (thread_id, channel, to_addr, key, body, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (thread_id, key) DO NOTHING
		RETURNING id`
	selectReplyID = `SELECT id FROM outbox WHERE thread_id = $1 AND key = $2`
)

// Complete implements store.Store.
func (s *Store) Complete(ctx context.Context, thread string, processed []int64, replies []store.Outbound) ([]int64, error) {
	for _, r := range replies {
		if r.Key == "" || r.Channel == "" || r.To == "" {
			return nil, fmt.Errorf("store/sqlite: complete %s: a reply needs a key, a channel and an address", thread)
		}
		if r.Thread != "" && r.Thread != thread {
			return nil, fmt.Errorf("store/sqlite: complete %s: reply %q belongs to thread %s", thread, r.Key, r.Thread)
		}
	}
	idList, err := json.Marshal(processed)
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: complete %s: %w", thread, err)
	}
	ids := make([]int64, len(replies))
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := formatTime(s.now())
		if len(processed) > 0 {
			if _, err := tx.ExecContext(ctx, markProcessed, thread, string(idList), now); err != nil {
				return fmt.Errorf("mark processed: %w", err)
			}
		}
		for i, r := range replies {
			err := tx.QueryRowContext(ctx, insertReply, thread, r.Channel, r.To, r.Key, r.Body, store.StatusPending, now).Scan(&ids[i])
			if errors.Is(err, sql.ErrNoRows) {
				if err := tx.QueryRowContext(ctx, selectReplyID, thread, r.Key).Scan(&ids[i]); err != nil {
					return fmt.Errorf("reply %q: %w", r.Key, err)
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("reply %q: %w", r.Key, err)
			}
			if _, err := s.client.InsertTx(ctx, tx, queue.SendReply{OutboxID: ids[i]}, nil); err != nil {
				return fmt.Errorf("enqueue send of reply %q: %w", r.Key, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store/sqlite: complete %s: %w", thread, err)
	}
	return ids, nil
}

const selectOutbound = `SELECT id, thread_id, channel, to_addr, key, body, parts_sent, status, error_code, error, created_at, updated_at
	FROM outbox WHERE id = $1`

// Outbound implements store.Store.
func (s *Store) Outbound(ctx context.Context, id int64) (store.Outbound, error) {
	var o store.Outbound
	var created, updated string
	err := s.db.QueryRowContext(ctx, selectOutbound, id).Scan(&o.ID, &o.Thread, &o.Channel, &o.To, &o.Key, &o.Body,
		&o.PartsSent, &o.Status, &o.ErrorCode, &o.Error, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Outbound{}, fmt.Errorf("store/sqlite: outbound %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Outbound{}, fmt.Errorf("store/sqlite: outbound %d: %w", id, err)
	}
	if o.CreatedAt, err = parseTime(created); err != nil {
		return store.Outbound{}, fmt.Errorf("store/sqlite: outbound %d: %w", id, err)
	}
	if o.UpdatedAt, err = parseTime(updated); err != nil {
		return store.Outbound{}, fmt.Errorf("store/sqlite: outbound %d: %w", id, err)
	}
	return o, nil
}

const (
	selectReply = `SELECT channel, status FROM outbox WHERE id = $1`
	insertPart  = `INSERT INTO outbox_parts (outbox_id, part, channel, provider_id, status, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (outbox_id, part) DO NOTHING
		RETURNING part`
	selectPartStatuses = `SELECT status FROM outbox_parts WHERE outbox_id = $1 ORDER BY part`
	updateReplySent    = `UPDATE outbox SET parts_sent = max(parts_sent, $2), status = $3, updated_at = $4 WHERE id = $1`
)

// RecordPart implements store.Store.
func (s *Store) RecordPart(ctx context.Context, id int64, part int, providerID string, last bool) error {
	if part < 0 || providerID == "" {
		return fmt.Errorf("store/sqlite: record part %d of reply %d: a part number >= 0 and a provider id are required", part, id)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var channel, status string
		err := tx.QueryRowContext(ctx, selectReply, id).Scan(&channel, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		now := formatTime(s.now())
		var got int
		err = tx.QueryRowContext(ctx, insertPart, id, part, channel, providerID, store.StatusSent, now).Scan(&got)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // recorded before
		}
		if err != nil {
			return err
		}
		if last && !store.IsFinalFailure(status) {
			parts, err := partStatuses(ctx, tx, id)
			if err != nil {
				return err
			}
			status = store.ReplyStatus(parts)
		}
		_, err = tx.ExecContext(ctx, updateReplySent, id, part+1, status, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store/sqlite: record part %d of reply %d: %w", part, id, err)
	}
	return nil
}

func partStatuses(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, selectPartStatuses, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var st string
		if err := rows.Scan(&st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

const failReply = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`

// FailOutbound implements store.Store.
func (s *Store) FailOutbound(ctx context.Context, id int64, code int, reason string) error {
	res, err := s.db.ExecContext(ctx, failReply, id, store.StatusFailed, code, reason, formatTime(s.now()))
	if err != nil {
		return fmt.Errorf("store/sqlite: fail reply %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store/sqlite: fail reply %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("store/sqlite: fail reply %d: %w", id, store.ErrNotFound)
	}
	return nil
}

const (
	selectReplyOfPart = `SELECT o.id, o.status, p.part, p.status FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id
		WHERE p.channel = $1 AND p.provider_id = $2`
	updatePart     = `UPDATE outbox_parts SET status = $3, error_code = $4, updated_at = $5 WHERE outbox_id = $1 AND part = $2`
	updateReplyRaw = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`
	updateReplyAgg = `UPDATE outbox SET status = $2, updated_at = $3 WHERE id = $1`
)

// RecordStatus implements store.Store. The part's status only moves
// forward (store.AdvanceStatus); a failed part fails its reply, with code;
// a reply all of whose parts were handed over takes the least advanced of
// their statuses (store.ReplyStatus).
func (s *Store) RecordStatus(ctx context.Context, channel, providerID, status string, code int) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var (
			id                      int64
			part                    int
			replyStatus, partStatus string
		)
		err := tx.QueryRowContext(ctx, selectReplyOfPart, channel, providerID).Scan(&id, &replyStatus, &part, &partStatus)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // an erased thread, or another deployment's message
		}
		if err != nil {
			return err
		}
		next := store.AdvanceStatus(partStatus, status)
		if next == partStatus {
			return nil
		}
		now := formatTime(s.now())
		partCode := 0
		if store.IsFinalFailure(next) {
			partCode = code
		}
		if _, err := tx.ExecContext(ctx, updatePart, id, part, next, partCode, now); err != nil {
			return err
		}
		switch {
		case store.IsFinalFailure(replyStatus):
			return nil
		case store.IsFinalFailure(next):
			_, err = tx.ExecContext(ctx, updateReplyRaw, id, next, code, fmt.Sprintf("part %d %s", part, next), now)
			return err
		case replyStatus == store.StatusPending:
			return nil // parts still to send; RecordPart sets the status
		}
		parts, err := partStatuses(ctx, tx, id)
		if err != nil {
			return err
		}
		if agg := store.ReplyStatus(parts); agg != replyStatus {
			_, err = tx.ExecContext(ctx, updateReplyAgg, id, agg, now)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store/sqlite: record status %s of %s/%s: %w", status, channel, providerID, err)
	}
	return nil
}

const acquireLease = `INSERT INTO thread_leases (thread_id, owner, expires_at) VALUES ($1, $2, $3)
	ON CONFLICT (thread_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
	WHERE thread_leases.owner = excluded.owner OR thread_leases.expires_at <= $4
	RETURNING owner`

// AcquireLease implements store.Store.
func (s *Store) AcquireLease(ctx context.Context, thread, owner string, now time.Time, ttl time.Duration) (bool, error) {
	if owner == "" || ttl <= 0 {
		return false, fmt.Errorf("store/sqlite: acquire lease of %s: an owner and a positive ttl are required", thread)
	}
	var got string
	err := s.db.QueryRowContext(ctx, acquireLease, thread, owner, formatTime(now.Add(ttl)), formatTime(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store/sqlite: acquire lease of %s: %w", thread, err)
	}
	return true, nil
}

// ReleaseLease implements store.Store.
func (s *Store) ReleaseLease(ctx context.Context, thread, owner string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM thread_leases WHERE thread_id = $1 AND owner = $2`, thread, owner); err != nil {
		return fmt.Errorf("store/sqlite: release lease of %s: %w", thread, err)
	}
	return nil
}

// CountReceived implements store.Store.
func (s *Store) CountReceived(ctx context.Context, thread string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM inbound_messages WHERE thread_id = $1 AND received_at >= $2`,
		thread, formatTime(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store/sqlite: count received of %s: %w", thread, err)
	}
	return n, nil
}

// Backlog implements store.Store.
func (s *Store) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store/sqlite: backlog: %w", err)
	}
	return n, nil
}

// DeleteThread implements store.Store. It also deletes the thread's
// run_thread jobs that are not running (their arguments name the thread);
// send_reply jobs carry only an outbox id and find nothing to send.
func (s *Store) DeleteThread(ctx context.Context, thread string) error {
	// Children first, so the erasure does not depend on foreign keys being
	// enforced on the connection.
	deletes := []string{
		`DELETE FROM outbox_parts WHERE outbox_id IN (SELECT id FROM outbox WHERE thread_id = $1)`,
		`DELETE FROM outbox WHERE thread_id = $1`,
		`DELETE FROM inbound_messages WHERE thread_id = $1`,
		`DELETE FROM thread_leases WHERE thread_id = $1`,
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range deletes {
			if _, err := tx.ExecContext(ctx, q, thread); err != nil {
				return err
			}
		}
		return backend.DeleteRunJobs(ctx, s.client, tx, thread)
	})
	if err != nil {
		return fmt.Errorf("store/sqlite: delete thread %s: %w", thread, err)
	}
	return nil
}

// OldestPending implements store.Store.
func (s *Store) OldestPending(ctx context.Context, thread string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM outbox WHERE thread_id = $1 AND status = $2`,
		thread, store.StatusPending).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store/sqlite: oldest pending reply: %w", err)
	}
	return id, nil
}
