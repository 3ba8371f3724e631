// Package postgres is the store.Store on PostgreSQL, through pgx/v5's pool,
// with River's Postgres driver (riverpgxv5) for the jobs.
//
// The tables come from the migrations package (0002_messages.sql):
// inbound_messages, outbox, outbox_parts and thread_leases; River's own
// tables come from MigrateRiver. Both live in the same database, so a River
// job is inserted in the same pgx transaction as the rows that call for it.
//
// # What is atomic with what
//
//   - Accept: the inbound row and its queue.RunThread job commit together
//     or not at all. A second delivery of a (channel, provider id) meets the
//     unique constraint, inserts nothing, and enqueues nothing; two
//     concurrent deliveries of one id serialize on that constraint, so
//     exactly one of them is created. Accepts of one thread also take a
//     transaction-scoped advisory lock (AcceptLockClass, hashtext(thread))
//     before they draw an id, so a thread's ids commit in id order: once a
//     message is visible, every earlier message of its thread is too, and a
//     reader never sees id 11 pending before id 10. Accepts that arrive
//     while a batch commits share the next transaction (group commit: one
//     lock statement, one insert and one COPY of River jobs per batch);
//     each message is still created or not on its own, and a batch the
//     database refuses is retried one message at a time.
//   - Complete: the processed marks of the inbound rows, the reply rows, and
//     one queue.SendReply job per reply row it inserted commit together. A
//     reply whose (thread, key) exists is not inserted again and gets no
//     second job, so a turn retried after a crash replies once.
//   - RecordPart and RecordStatus: a part's row and its reply's parts_sent
//     and status change together; both lock the reply's row first, so
//     concurrent callbacks for the parts of one reply see each other's
//     updates when they compute the reply's status.
//   - AcquireLease is one INSERT ... ON CONFLICT DO UPDATE ... WHERE: taking
//     a free or expired lease, or extending one's own, is a single atomic
//     statement, so of many processes racing for a thread exactly one wins.
//   - DeleteThread removes the thread's outbox parts, replies, inbound
//     messages, lease, and its run_thread jobs that are not running, in one
//     transaction.
//
// Everything else is a single statement. Times are stored as timestamptz
// (microsecond precision).
//
// # PgBouncer
//
// Every statement the store issues works without server-side prepared
// statements (a pool from checkpoint/postgres.PoolConfig(url, true)). River's
// LISTEN/NOTIFY needs a session, so behind a transaction-mode pooler set
// queue.Settings.PollOnly; run MigrateRiver, which holds a session-level
// lock, against Postgres directly.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/store/internal/backend"
)

// MigrateLockKey is the session-level advisory lock MigrateRiver holds while
// it migrates River's tables, so processes starting together migrate one at
// a time.
const MigrateLockKey int64 = 0x72697665725f6d67 // "river_mg"

// AcceptLockClass is the first key of the two-key advisory lock Accept
// takes per thread (the second is hashtext(thread_id)). Two-key locks never
// conflict with one-key ones, and other packages use other classes.
const AcceptLockClass int32 = 0x696e6278 // "inbx"

// Store is a store.Store on a pgxpool.Pool. It is safe for concurrent use
// by any number of goroutines and processes.
type Store struct {
	pool    *pgxpool.Pool
	client  *river.Client[pgx.Tx]
	now     func() time.Time
	accepts *backend.Group[backend.AcceptReq, bool]
}

var _ store.Store = (*Store)(nil)

// New returns a Store on pool whose River client is built from cfg (see
// queue.Config). The schema (migrations package) and River's tables
// (MigrateRiver) must be in place. The pool stays the caller's to close; the
// River client's workers run only between Start and Stop.
func New(pool *pgxpool.Pool, cfg *river.Config) (*Store, error) {
	if pool == nil {
		return nil, errors.New("store/postgres: nil pool")
	}
	if cfg == nil {
		return nil, errors.New("store/postgres: nil River config")
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("store/postgres: river client: %w", err)
	}
	s := &Store{pool: pool, client: client, now: time.Now}
	s.accepts = &backend.Group[backend.AcceptReq, bool]{Run: s.acceptBatch}
	return s, nil
}

// Client returns the River client, for wiring (subscriptions, job queries).
func (s *Store) Client() *river.Client[pgx.Tx] { return s.client }

// Start starts the River client's workers; they run until Stop or until ctx
// is cancelled.
func (s *Store) Start(ctx context.Context) error {
	if err := s.client.Start(ctx); err != nil {
		return fmt.Errorf("store/postgres: start workers: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones to finish, or for ctx
// to be done.
func (s *Store) Stop(ctx context.Context) error {
	if err := s.client.Stop(ctx); err != nil {
		return fmt.Errorf("store/postgres: stop workers: %w", err)
	}
	return nil
}

// MigrateRiver applies River's pending migrations to pool's database. It
// is a no-op on a current schema and is safe to call at every start-up, from
// several processes at once: it migrates while holding the session-level
// advisory lock MigrateLockKey on a connection of its own, so the pool needs
// room for two connections and must not be a PgBouncer transaction-mode
// pool. Callers waiting for the lock poll for it without keeping a
// connection.
func MigrateRiver(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := lockMigrations(ctx, pool)
	if err != nil {
		return fmt.Errorf("store/postgres: migrate river: lock: %w", err)
	}
	defer func() {
		// If the unlock fails, close the session: the lock goes with it.
		if _, err := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", MigrateLockKey); err != nil {
			_ = conn.Conn().Close(context.WithoutCancel(ctx))
		}
		conn.Release()
	}()
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("store/postgres: migrate river: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("store/postgres: migrate river: %w", err)
	}
	return nil
}

// lockMigrations returns a connection holding MigrateLockKey, polling for
// it every 50ms until ctx is done.
func lockMigrations(ctx context.Context, pool *pgxpool.Pool) (*pgxpool.Conn, error) {
	for {
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", MigrateLockKey).Scan(&ok); err != nil {
			conn.Release()
			return nil, err
		}
		if ok {
			return conn, nil
		}
		conn.Release()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, fn)
}

// lockThreads takes Accept's advisory lock for each distinct thread of a
// batch, in hash order, so two batches sharing threads cannot deadlock.
const lockThreads = `SELECT count(pg_advisory_xact_lock($1::int4, s.h))
	FROM (SELECT DISTINCT hashtext(t) AS h FROM unnest($2::text[]) AS t ORDER BY 1) AS s`

// insertInbound inserts a batch in its order, so a thread's ids follow
// arrival order; RETURNING names the rows that were new.
const insertInbound = `INSERT INTO inbound_messages
	(channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at)
	SELECT u.channel, u.provider_id, u.thread_id, u.from_addr, u.to_addr, u.sender, u.profile_name, u.body,
		u.media::jsonb, u.received_at
	FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
		$9::text[], $10::timestamptz[]) WITH ORDINALITY
		AS u(channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at, ord)
	ORDER BY u.ord
	ON CONFLICT (channel, provider_id) DO NOTHING
	RETURNING channel, provider_id`

// Accept implements store.Store. Accepts that arrive while another batch
// commits share the next transaction (see backend.Group).
func (s *Store) Accept(ctx context.Context, msg store.Inbound, runAt time.Time) (bool, error) {
	req, err := backend.PrepareAccept(msg, runAt, s.now())
	if err != nil {
		return false, fmt.Errorf("store/postgres: accept: %w", err)
	}
	created, err := s.accepts.Do(ctx, req)
	if err != nil {
		return false, fmt.Errorf("store/postgres: accept %s/%s: %w", msg.Channel, msg.ProviderID, err)
	}
	return created, nil
}

// acceptBatch stores a batch of inbound messages and enqueues a RunThread
// job for each new one, in one transaction: the same few statements
// whatever the batch size. The jobs go in through River's COPY-based bulk
// insert, which costs PostgreSQL less per row than its INSERT (measured:
// BENCHMARKS.md); we need no result back from it.
func (s *Store) acceptBatch(ctx context.Context, reqs []backend.AcceptReq) ([]bool, error) {
	n := len(reqs)
	var (
		channels, providers, threads = make([]string, n), make([]string, n), make([]string, n)
		froms, tos, senders          = make([]string, n), make([]string, n), make([]string, n)
		profiles, bodies, media      = make([]string, n), make([]string, n), make([]string, n)
		received                     = make([]time.Time, n)
	)
	for i, r := range reqs {
		m := r.Msg
		channels[i], providers[i], threads[i] = m.Channel, m.ProviderID, m.Thread
		froms[i], tos[i], senders[i] = m.From, m.To, m.Sender
		profiles[i], bodies[i], media[i] = m.ProfileName, m.Body, r.Media
		received[i] = m.ReceivedAt
	}
	var created []bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(lockThreads, AcceptLockClass, threads)
		b.Queue(insertInbound, channels, providers, threads, froms, tos, senders, profiles, bodies, media, received)
		inserted, err := insertedKeys(tx.SendBatch(ctx, b), n)
		if err != nil {
			return err
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

// insertedKeys reads the results of acceptBatch's lock and insert: the
// (channel, provider id) of each row inserted. It closes res, freeing the
// connection for the jobs' insert.
func insertedKeys(res pgx.BatchResults, n int) (map[[2]string]bool, error) {
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return nil, fmt.Errorf("lock threads: %w", err)
	}
	rows, err := res.Query()
	if err != nil {
		return nil, err
	}
	inserted := make(map[[2]string]bool, n)
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			rows.Close()
			return nil, err
		}
		inserted[k] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return inserted, res.Close()
}

const selectPending = `SELECT id, channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at
	FROM inbound_messages WHERE thread_id = $1 AND processed_at IS NULL ORDER BY id`

// Pending implements store.Store.
func (s *Store) Pending(ctx context.Context, thread string) ([]store.Inbound, error) {
	rows, err := s.pool.Query(ctx, selectPending, thread)
	if err != nil {
		return nil, fmt.Errorf("store/postgres: pending %s: %w", thread, err)
	}
	defer rows.Close()
	var out []store.Inbound
	for rows.Next() {
		var m store.Inbound
		var media []byte
		if err := rows.Scan(&m.ID, &m.Channel, &m.ProviderID, &m.Thread, &m.From, &m.To, &m.Sender,
			&m.ProfileName, &m.Body, &media, &m.ReceivedAt); err != nil {
			return nil, fmt.Errorf("store/postgres: pending %s: %w", thread, err)
		}
		if m.Media, err = backend.DecodeMedia(media); err != nil {
			return nil, fmt.Errorf("store/postgres: pending %s: message %d: %w", thread, m.ID, err)
		}
		m.ReceivedAt = m.ReceivedAt.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store/postgres: pending %s: %w", thread, err)
	}
	return out, nil
}

const (
	markProcessed = `UPDATE inbound_messages SET processed_at = $3
		WHERE thread_id = $1 AND id = ANY($2) AND processed_at IS NULL`
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
			return nil, fmt.Errorf("store/postgres: complete %s: a reply needs a key, a channel and an address", thread)
		}
		if r.Thread != "" && r.Thread != thread {
			return nil, fmt.Errorf("store/postgres: complete %s: reply %q belongs to thread %s", thread, r.Key, r.Thread)
		}
	}
	ids := make([]int64, len(replies))
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		now := s.now()
		if len(processed) > 0 {
			if _, err := tx.Exec(ctx, markProcessed, thread, processed, now); err != nil {
				return fmt.Errorf("mark processed: %w", err)
			}
		}
		for i, r := range replies {
			err := tx.QueryRow(ctx, insertReply, thread, r.Channel, r.To, r.Key, r.Body, store.StatusPending, now).Scan(&ids[i])
			if errors.Is(err, pgx.ErrNoRows) {
				if err := tx.QueryRow(ctx, selectReplyID, thread, r.Key).Scan(&ids[i]); err != nil {
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
		return nil, fmt.Errorf("store/postgres: complete %s: %w", thread, err)
	}
	return ids, nil
}

const selectOutbound = `SELECT id, thread_id, channel, to_addr, key, body, parts_sent, status, error_code, error, created_at, updated_at
	FROM outbox WHERE id = $1`

// Outbound implements store.Store.
func (s *Store) Outbound(ctx context.Context, id int64) (store.Outbound, error) {
	var o store.Outbound
	err := s.pool.QueryRow(ctx, selectOutbound, id).Scan(&o.ID, &o.Thread, &o.Channel, &o.To, &o.Key, &o.Body,
		&o.PartsSent, &o.Status, &o.ErrorCode, &o.Error, &o.CreatedAt, &o.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Outbound{}, fmt.Errorf("store/postgres: outbound %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Outbound{}, fmt.Errorf("store/postgres: outbound %d: %w", id, err)
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, nil
}

const (
	lockReply  = `SELECT channel, status FROM outbox WHERE id = $1 FOR UPDATE`
	insertPart = `INSERT INTO outbox_parts (outbox_id, part, channel, provider_id, status, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (outbox_id, part) DO NOTHING
		RETURNING part`
	selectPartStatuses = `SELECT status FROM outbox_parts WHERE outbox_id = $1 ORDER BY part`
	updateReplySent    = `UPDATE outbox SET parts_sent = GREATEST(parts_sent, $2), status = $3, updated_at = $4 WHERE id = $1`
)

// RecordPart implements store.Store.
func (s *Store) RecordPart(ctx context.Context, id int64, part int, providerID string, last bool) error {
	if part < 0 || providerID == "" {
		return fmt.Errorf("store/postgres: record part %d of reply %d: a part number >= 0 and a provider id are required", part, id)
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var channel, status string
		err := tx.QueryRow(ctx, lockReply, id).Scan(&channel, &status)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.now()
		var got int
		err = tx.QueryRow(ctx, insertPart, id, part, channel, providerID, store.StatusSent, now).Scan(&got)
		if errors.Is(err, pgx.ErrNoRows) {
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
		_, err = tx.Exec(ctx, updateReplySent, id, part+1, status, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store/postgres: record part %d of reply %d: %w", part, id, err)
	}
	return nil
}

func partStatuses(ctx context.Context, tx pgx.Tx, id int64) ([]string, error) {
	rows, err := tx.Query(ctx, selectPartStatuses, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

const failReply = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`

// FailOutbound implements store.Store.
func (s *Store) FailOutbound(ctx context.Context, id int64, code int, reason string) error {
	tag, err := s.pool.Exec(ctx, failReply, id, store.StatusFailed, code, reason, s.now())
	if err != nil {
		return fmt.Errorf("store/postgres: fail reply %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store/postgres: fail reply %d: %w", id, store.ErrNotFound)
	}
	return nil
}

const (
	lockReplyOfPart = `SELECT o.id, o.status, p.part, p.status FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id
		WHERE p.channel = $1 AND p.provider_id = $2 FOR UPDATE OF o`
	updatePart     = `UPDATE outbox_parts SET status = $3, error_code = $4, updated_at = $5 WHERE outbox_id = $1 AND part = $2`
	updateReplyRaw = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`
	updateReplyAgg = `UPDATE outbox SET status = $2, updated_at = $3 WHERE id = $1`
)

// RecordStatus implements store.Store. The part's status only moves
// forward (store.AdvanceStatus); a failed part fails its reply, with code;
// a reply all of whose parts were handed over takes the least advanced of
// their statuses (store.ReplyStatus).
func (s *Store) RecordStatus(ctx context.Context, channel, providerID, status string, code int) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var (
			id                      int64
			part                    int
			replyStatus, partStatus string
		)
		err := tx.QueryRow(ctx, lockReplyOfPart, channel, providerID).Scan(&id, &replyStatus, &part, &partStatus)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // an erased thread, or another deployment's message
		}
		if err != nil {
			return err
		}
		// Read the part again now that the reply is locked: a concurrent
		// callback may have moved it.
		if err := tx.QueryRow(ctx, `SELECT status FROM outbox_parts WHERE outbox_id = $1 AND part = $2`, id, part).Scan(&partStatus); err != nil {
			return err
		}
		next := store.AdvanceStatus(partStatus, status)
		if next == partStatus {
			return nil
		}
		now := s.now()
		partCode := 0
		if store.IsFinalFailure(next) {
			partCode = code
		}
		if _, err := tx.Exec(ctx, updatePart, id, part, next, partCode, now); err != nil {
			return err
		}
		switch {
		case store.IsFinalFailure(replyStatus):
			return nil
		case store.IsFinalFailure(next):
			_, err = tx.Exec(ctx, updateReplyRaw, id, next, code, fmt.Sprintf("part %d %s", part, next), now)
			return err
		case replyStatus == store.StatusPending:
			return nil // parts still to send; RecordPart sets the status
		}
		parts, err := partStatuses(ctx, tx, id)
		if err != nil {
			return err
		}
		if agg := store.ReplyStatus(parts); agg != replyStatus {
			_, err = tx.Exec(ctx, updateReplyAgg, id, agg, now)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store/postgres: record status %s of %s/%s: %w", status, channel, providerID, err)
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
		return false, fmt.Errorf("store/postgres: acquire lease of %s: an owner and a positive ttl are required", thread)
	}
	var got string
	err := s.pool.QueryRow(ctx, acquireLease, thread, owner, now.Add(ttl), now).Scan(&got)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store/postgres: acquire lease of %s: %w", thread, err)
	}
	return true, nil
}

// ReleaseLease implements store.Store.
func (s *Store) ReleaseLease(ctx context.Context, thread, owner string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM thread_leases WHERE thread_id = $1 AND owner = $2`, thread, owner); err != nil {
		return fmt.Errorf("store/postgres: release lease of %s: %w", thread, err)
	}
	return nil
}

// CountReceived implements store.Store.
func (s *Store) CountReceived(ctx context.Context, thread string, since time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM inbound_messages WHERE thread_id = $1 AND received_at >= $2`,
		thread, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store/postgres: count received of %s: %w", thread, err)
	}
	return n, nil
}

// Backlog implements store.Store.
func (s *Store) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store/postgres: backlog: %w", err)
	}
	return n, nil
}

// DeleteThread implements store.Store. It also deletes the thread's
// run_thread jobs that are not running (their arguments name the thread);
// send_reply jobs carry only an outbox id and find nothing to send.
func (s *Store) DeleteThread(ctx context.Context, thread string) error {
	// Children first.
	deletes := []string{
		`DELETE FROM outbox_parts WHERE outbox_id IN (SELECT id FROM outbox WHERE thread_id = $1)`,
		`DELETE FROM outbox WHERE thread_id = $1`,
		`DELETE FROM inbound_messages WHERE thread_id = $1`,
		`DELETE FROM thread_leases WHERE thread_id = $1`,
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for _, q := range deletes {
			if _, err := tx.Exec(ctx, q, thread); err != nil {
				return err
			}
		}
		return backend.DeleteRunJobs(ctx, s.client, tx, thread)
	})
	if err != nil {
		return fmt.Errorf("store/postgres: delete thread %s: %w", thread, err)
	}
	return nil
}

// OldestPending implements store.Store.
func (s *Store) OldestPending(ctx context.Context, thread string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM outbox WHERE thread_id = $1 AND status = $2`,
		thread, store.StatusPending).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store/postgres: oldest pending reply: %w", err)
	}
	return id, nil
}
