package backend

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// Store is the store.Store of every SQL database, over a Driver. It is safe
// for concurrent use.
type Store[TTx any] struct {
	d       Driver[TTx]
	client  *river.Client[TTx]
	now     func() time.Time
	accepts *Group[AcceptReq, bool]
}

// New returns a Store on d that inserts its jobs with client, which needs
// no workers (an insert-only client: the queue package's working client
// runs them).
func New[TTx any](d Driver[TTx], client *river.Client[TTx]) (*Store[TTx], error) {
	if client == nil {
		return nil, fmt.Errorf("%s: nil River client", d.Name())
	}
	s := &Store[TTx]{d: d, client: client, now: time.Now}
	s.accepts = &Group[AcceptReq, bool]{Run: s.acceptBatch}
	return s, nil
}

// Client returns the River client the store inserts jobs with (for job
// queries in tests and tools).
func (s *Store[TTx]) Client() *river.Client[TTx] { return s.client }

func (s *Store[TTx]) errorf(format string, args ...any) error {
	return fmt.Errorf(s.d.Name()+": "+format, args...)
}

// Accept implements store.Store. Accepts that arrive while another batch
// commits share the next transaction (see Group): one commit, and on
// PostgreSQL one lock round and one insert, per batch instead of per
// message; SQLite has one writer, so a commit per message would queue them
// all behind each other.
func (s *Store[TTx]) Accept(ctx context.Context, msg store.Inbound, runAt time.Time) (bool, error) {
	req, err := PrepareAccept(msg, runAt, s.now())
	if err != nil {
		return false, s.errorf("accept: %w", err)
	}
	created, err := s.accepts.Do(ctx, req)
	if err != nil {
		return false, s.errorf("accept %s/%s: %w", msg.Channel, msg.ProviderID, err)
	}
	return created, nil
}

// acceptBatch stores a batch of inbound messages and enqueues a RunThread
// job for each new one, in one transaction. The jobs go in through River's
// bulk insert (COPY on PostgreSQL, which costs it less per row than INSERT:
// BENCHMARKS.md); we need no result back from it.
func (s *Store[TTx]) acceptBatch(ctx context.Context, reqs []AcceptReq) ([]bool, error) {
	var created []bool
	err := s.d.InTx(ctx, func(tx TTx, q Querier) error {
		inserted, err := s.d.InsertInbound(ctx, tx, q, reqs)
		if err != nil {
			return err
		}
		created = MarkCreated(reqs, inserted)
		if jobs := RunJobs(reqs, created); len(jobs) > 0 {
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
func (s *Store[TTx]) Pending(ctx context.Context, thread string) ([]store.Inbound, error) {
	rows, err := s.d.DB().Query(ctx, selectPending, thread)
	out, err := collect(rows, err, func(r Rows) (store.Inbound, error) {
		var m store.Inbound
		var media []byte
		if err := r.Scan(&m.ID, &m.Channel, &m.ProviderID, &m.Thread, &m.From, &m.To, &m.Sender,
			&m.ProfileName, &m.Body, &media, &m.ReceivedAt); err != nil {
			return m, err
		}
		var err error
		if m.Media, err = DecodeMedia(media); err != nil {
			return m, fmt.Errorf("message %d: %w", m.ID, err)
		}
		m.ReceivedAt = m.ReceivedAt.UTC()
		return m, nil
	})
	if err != nil {
		return nil, s.errorf("pending %s: %w", thread, err)
	}
	return out, nil
}

var markProcessed = Stmt{
	Postgres: `UPDATE inbound_messages SET processed_at = $3
		WHERE thread_id = $1 AND id = ANY($2) AND processed_at IS NULL`,
	SQLite: `UPDATE inbound_messages SET processed_at = $3
		WHERE thread_id = $1 AND id IN (SELECT value FROM json_each($2)) AND processed_at IS NULL`,
}

const (
	insertReply = `INSERT INTO outbox (thread_id, channel, to_addr, key, body, status, voice, created_at, updated_at, content_sid, content_variables, held)
		VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7, $9, $10, $11)
		ON CONFLICT (thread_id, key) DO NOTHING
		RETURNING id`
	selectReplyID = `SELECT id FROM outbox WHERE thread_id = $1 AND key = $2`
)

// Complete implements store.Store.
func (s *Store[TTx]) Complete(ctx context.Context, thread string, processed []int64, replies []store.Outbound) ([]int64, error) {
	return s.complete(ctx, thread, processed, replies, false, "")
}

// CompleteHeld implements store.Store.
func (s *Store[TTx]) CompleteHeld(ctx context.Context, thread string, processed []int64, replies []store.Outbound, lease string) ([]int64, error) {
	return s.complete(ctx, thread, processed, replies, true, lease)
}

const releaseLease = `DELETE FROM thread_leases WHERE thread_id = $1 AND owner = $2`

// complete is Complete, and with held set CompleteHeld: the new replies
// are then marked held and get no send job, and the lease of owner lease,
// if any, is released.
func (s *Store[TTx]) complete(ctx context.Context, thread string, processed []int64, replies []store.Outbound, held bool, lease string) ([]int64, error) {
	for _, r := range replies {
		if r.Key == "" || r.Channel == "" || r.To == "" {
			return nil, s.errorf("complete %s: a reply needs a key, a channel and an address", thread)
		}
		if r.Voice != "" && r.Voice != store.VoiceOnly && r.Voice != store.VoiceAndText {
			return nil, s.errorf("complete %s: reply %q: unknown voice %q", thread, r.Key, r.Voice)
		}
		if r.Thread != "" && r.Thread != thread {
			return nil, s.errorf("complete %s: reply %q belongs to thread %s", thread, r.Key, r.Thread)
		}
	}
	ids := make([]int64, len(replies))
	err := s.d.InTx(ctx, func(tx TTx, q Querier) error {
		now := s.now()
		if len(processed) > 0 {
			if _, err := q.Exec(ctx, markProcessed.For(s.d.Dialect()), thread, processed, now); err != nil {
				return fmt.Errorf("mark processed: %w", err)
			}
		}
		for i, r := range replies {
			err := q.QueryRow(ctx, insertReply, thread, r.Channel, r.To, r.Key, r.Body, store.StatusPending, now, r.Voice,
				r.ContentSID, r.ContentVariables, held).Scan(&ids[i])
			if errors.Is(err, ErrNoRows) {
				if err := q.QueryRow(ctx, selectReplyID, thread, r.Key).Scan(&ids[i]); err != nil {
					return fmt.Errorf("reply %q: %w", r.Key, err)
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("reply %q: %w", r.Key, err)
			}
			if held {
				continue
			}
			if _, err := s.client.InsertTx(ctx, tx, queue.SendReply{OutboxID: ids[i]}, nil); err != nil {
				return fmt.Errorf("enqueue send of reply %q: %w", r.Key, err)
			}
		}
		if lease != "" {
			if _, err := q.Exec(ctx, releaseLease, thread, lease); err != nil {
				return fmt.Errorf("release the lease: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, s.errorf("complete %s: %w", thread, err)
	}
	return ids, nil
}

const selectOutbound = `SELECT id, thread_id, channel, to_addr, key, body, voice, audio, parts_sent, status, error_code, error,
	created_at, updated_at, content_sid, content_variables FROM outbox WHERE id = $1`

// Outbound implements store.Store.
func (s *Store[TTx]) Outbound(ctx context.Context, id int64) (store.Outbound, error) {
	var o store.Outbound
	err := s.d.DB().QueryRow(ctx, selectOutbound, id).Scan(&o.ID, &o.Thread, &o.Channel, &o.To, &o.Key, &o.Body,
		&o.Voice, &o.Audio, &o.PartsSent, &o.Status, &o.ErrorCode, &o.Error, &o.CreatedAt, &o.UpdatedAt, &o.ContentSID, &o.ContentVariables)
	if errors.Is(err, ErrNoRows) {
		return store.Outbound{}, s.errorf("outbound %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Outbound{}, s.errorf("outbound %d: %w", id, err)
	}
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, nil
}

const selectLastInbound = `SELECT id, channel, provider_id, thread_id, from_addr, to_addr, sender, profile_name, body, media, received_at
	FROM inbound_messages WHERE thread_id = $1 ORDER BY id DESC LIMIT 1`

// LastInbound implements store.Store.
func (s *Store[TTx]) LastInbound(ctx context.Context, thread string) (store.Inbound, error) {
	var m store.Inbound
	var media []byte
	err := s.d.DB().QueryRow(ctx, selectLastInbound, thread).Scan(&m.ID, &m.Channel, &m.ProviderID, &m.Thread, &m.From, &m.To,
		&m.Sender, &m.ProfileName, &m.Body, &media, &m.ReceivedAt)
	if errors.Is(err, ErrNoRows) {
		return store.Inbound{}, s.errorf("last inbound of %s: %w", thread, store.ErrNotFound)
	}
	if err != nil {
		return store.Inbound{}, s.errorf("last inbound of %s: %w", thread, err)
	}
	if m.Media, err = DecodeMedia(media); err != nil {
		return store.Inbound{}, s.errorf("last inbound of %s: %w", thread, err)
	}
	m.ReceivedAt = m.ReceivedAt.UTC()
	return m, nil
}

// OldestPending implements store.Store.
func (s *Store[TTx]) OldestPending(ctx context.Context, thread string) (int64, error) {
	var id int64
	err := s.d.DB().QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM outbox WHERE thread_id = $1 AND status = $2`,
		thread, store.StatusPending).Scan(&id)
	if err != nil {
		return 0, s.errorf("oldest pending reply: %w", err)
	}
	return id, nil
}

const acquireLease = `INSERT INTO thread_leases (thread_id, owner, expires_at) VALUES ($1, $2, $3)
	ON CONFLICT (thread_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
	WHERE thread_leases.owner = excluded.owner OR thread_leases.expires_at <= $4
	RETURNING owner`

// AcquireLease implements store.Store. It is one INSERT ... ON CONFLICT DO
// UPDATE ... WHERE: taking a free or expired lease, or extending one's own,
// is a single atomic statement, so of many processes racing for a thread
// exactly one wins.
func (s *Store[TTx]) AcquireLease(ctx context.Context, thread, owner string, now time.Time, ttl time.Duration) (bool, error) {
	if owner == "" || ttl <= 0 {
		return false, s.errorf("acquire lease of %s: an owner and a positive ttl are required", thread)
	}
	var got string
	err := s.d.DB().QueryRow(ctx, acquireLease, thread, owner, now.Add(ttl), now).Scan(&got)
	if errors.Is(err, ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.errorf("acquire lease of %s: %w", thread, err)
	}
	return true, nil
}

// ReleaseLease implements store.Store.
func (s *Store[TTx]) ReleaseLease(ctx context.Context, thread, owner string) error {
	if _, err := s.d.DB().Exec(ctx, releaseLease, thread, owner); err != nil {
		return s.errorf("release lease of %s: %w", thread, err)
	}
	return nil
}

// CountReceived implements store.Store.
func (s *Store[TTx]) CountReceived(ctx context.Context, thread string, since time.Time) (int, error) {
	var n int
	err := s.d.DB().QueryRow(ctx, `SELECT count(*) FROM inbound_messages WHERE thread_id = $1 AND received_at >= $2`,
		thread, since).Scan(&n)
	if err != nil {
		return 0, s.errorf("count received of %s: %w", thread, err)
	}
	return n, nil
}

// Backlog implements store.Store.
func (s *Store[TTx]) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := s.d.DB().QueryRow(ctx, `SELECT count(*) FROM inbound_messages WHERE processed_at IS NULL`).Scan(&n); err != nil {
		return 0, s.errorf("backlog: %w", err)
	}
	return n, nil
}

// DeleteThread implements store.Store. It also deletes the thread's
// run_thread jobs that are not running (their arguments name the thread);
// send_reply jobs carry only an outbox id and find nothing to send.
func (s *Store[TTx]) DeleteThread(ctx context.Context, thread string) error {
	// Children first, so the erasure does not depend on foreign keys being
	// enforced on the connection.
	deletes := []string{
		`DELETE FROM outbox_parts WHERE outbox_id IN (SELECT id FROM outbox WHERE thread_id = $1)`,
		`DELETE FROM outbox WHERE thread_id = $1`,
		`DELETE FROM inbound_messages WHERE thread_id = $1`,
		`DELETE FROM thread_leases WHERE thread_id = $1`,
	}
	err := s.d.InTx(ctx, func(tx TTx, q Querier) error {
		for _, stmt := range deletes {
			if _, err := q.Exec(ctx, stmt, thread); err != nil {
				return err
			}
		}
		return DeleteRunJobs(ctx, s.client, tx, thread)
	})
	if err != nil {
		return s.errorf("delete thread %s: %w", thread, err)
	}
	return nil
}
