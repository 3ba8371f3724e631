// Package postgres is the store.Store on PostgreSQL, through pgx/v5's pool,
// with River's Postgres driver (riverpgxv5) for the jobs. The inbox and
// outbox logic is store/internal/backend's, shared with SQLite; this package
// is its driver (statements through pgx, and Accept's batch insert behind
// an advisory lock) and constructor.
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
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

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

// Store is a store.Store on a pgxpool.Pool: the shared implementation
// (store/internal/backend) over this package's driver. It is safe for
// concurrent use by any number of goroutines and processes.
type Store struct {
	*backend.Store[pgx.Tx]
}

var _ store.Store = (*Store)(nil)

// New returns a Store on pool that inserts its jobs with client, an
// insert-only River client on pool (queue.NewPostgresInserter); the jobs
// are worked by the queue package's client. The schema (migrations package)
// and River's tables (MigrateRiver) must be in place. The pool stays the
// caller's to close.
func New(pool *pgxpool.Pool, client *river.Client[pgx.Tx]) (*Store, error) {
	if pool == nil {
		return nil, errors.New("store/postgres: nil pool")
	}
	s, err := backend.New[pgx.Tx](driver{pool: pool}, client)
	if err != nil {
		return nil, err
	}
	return &Store{s}, nil
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

// InsertInbound implements backend.Driver: the advisory lock of the
// batch's threads and one unnest INSERT, pipelined in one round trip,
// whatever the batch size.
func (driver) InsertInbound(ctx context.Context, tx pgx.Tx, _ backend.Querier, reqs []backend.AcceptReq) (map[[2]string]bool, error) {
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
	b := &pgx.Batch{}
	b.Queue(lockThreads, AcceptLockClass, threads)
	b.Queue(insertInbound, channels, providers, threads, froms, tos, senders, profiles, bodies, media, received)
	return insertedKeys(tx.SendBatch(ctx, b), n)
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

// driver is the backend.Driver on a pgxpool.Pool.
type driver struct {
	pool *pgxpool.Pool
}

func (driver) Name() string             { return "store/postgres" }
func (driver) Dialect() backend.Dialect { return backend.Postgres }
func (d driver) DB() backend.Querier    { return querier{d.pool} }
func (d driver) InTx(ctx context.Context, fn func(tx pgx.Tx, q backend.Querier) error) error {
	return pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error { return fn(tx, querier{tx}) })
}

// pgxQuerier is what a pool and a transaction share.
type pgxQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// querier is a backend.Querier on pgx: its arguments and scan targets
// (time.Time, []int64 arrays) are pgx's own.
type querier struct{ q pgxQuerier }

func (q querier) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := q.q.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (q querier) Query(ctx context.Context, sql string, args ...any) (backend.Rows, error) {
	return q.q.Query(ctx, sql, args...)
}

func (q querier) QueryRow(ctx context.Context, sql string, args ...any) backend.Row {
	return row{q.q.QueryRow(ctx, sql, args...)}
}

// row turns pgx's "no rows" into backend.ErrNoRows.
type row struct{ r pgx.Row }

func (r row) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return backend.ErrNoRows
	}
	return err
}
