package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

// Handoff is one time a customer thread was handed to a person: while it
// is open (Ended zero) the assistant stays silent on the thread. The table
// is created by migration 0011_handoff.sql.
type Handoff struct {
	ID     int64
	Thread string
	// Reason is the customer's or the owner's, as given ("" when none).
	Reason string
	// By is who asked for a person: the customer (the request_human
	// tool), an owner, the CLI or a console user.
	By business.Actor
	// PausedAt is when it began; LastReplyAt is PausedAt or the time of
	// the latest reply a person wrote since, which HANDOFF_TIMEOUT counts
	// from.
	PausedAt    time.Time
	LastReplyAt time.Time
	// Ended is when the assistant got the thread back, and EndedBy what
	// gave it back ("owner", "cli", "console", "timeout").
	Ended   time.Time
	EndedBy string
}

// Until is when an open hand-off ends by itself after timeout without a
// reply from a person; the zero time when timeout is not positive (it
// never does).
func (h Handoff) Until(timeout time.Duration) time.Time {
	if timeout <= 0 {
		return time.Time{}
	}
	return h.LastReplyAt.Add(timeout)
}

// HumanReply is a message a person at the business wrote to a customer.
type HumanReply struct {
	ID     int64
	Thread string
	Body   string
	Author string
	At     time.Time
}

// The end of a hand-off by its timeout.
const EndedByTimeout = "timeout"

const handoffColumns = `id, thread_id, reason, actor_kind, actor_id, paused_at, last_reply_at, ended_at, ended_by`

func scanHandoff(row interface{ Scan(...any) error }) (Handoff, error) {
	var h Handoff
	var kind string
	var paused, last timeCol
	var ended sql.Null[timeCol]
	if err := row.Scan(&h.ID, &h.Thread, &h.Reason, &kind, &h.By.ID, &paused, &last, &ended, &h.EndedBy); err != nil {
		return Handoff{}, err
	}
	h.By.Kind = business.ActorKind(kind)
	h.PausedAt, h.LastReplyAt = paused.t, last.t
	if ended.Valid {
		h.Ended = ended.V.t
	}
	return h, nil
}

// MaxHandoffReason bounds the reason kept with a hand-off.
const MaxHandoffReason = 300

// Pause hands thread to a person on behalf of by. When the thread is
// already handed over, the open hand-off is returned with created false:
// asking twice (a retried turn, two owners) changes nothing, and the
// owners are told once per hand-off (its ID keys the notice).
func (s *Store) Pause(ctx context.Context, thread string, by business.Actor, reason string) (h Handoff, created bool, err error) {
	if thread == "" {
		return Handoff{}, false, errors.New("bizstore: a hand-off needs a thread")
	}
	reason = clipRunes(strings.Join(strings.Fields(reason), " "), MaxHandoffReason)
	now := s.ts(s.now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		h, err = scanHandoff(tx.QueryRowContext(ctx, `INSERT INTO handoffs (thread_id, reason, actor_kind, actor_id, paused_at, last_reply_at)
			VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (thread_id) WHERE ended_at IS NULL DO NOTHING
			RETURNING `+handoffColumns, thread, reason, string(by.Kind), by.ID, now))
		if err == nil {
			created = true
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		h, err = scanHandoff(tx.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoffs WHERE thread_id = $1 AND ended_at IS NULL`, thread))
		return err
	})
	if err != nil {
		return Handoff{}, false, fmt.Errorf("bizstore: pause: %w", err)
	}
	return h, created, nil
}

// Resume gives thread back to the assistant; endedBy says who did
// ("owner", "cli", "console"). ok is false when the thread was not handed
// over (nothing changes).
func (s *Store) Resume(ctx context.Context, thread, endedBy string) (ok bool, err error) {
	res, err := s.db.ExecContext(ctx, `UPDATE handoffs SET ended_at = $2, ended_by = $3 WHERE thread_id = $1 AND ended_at IS NULL`,
		thread, s.ts(s.now()), endedBy)
	if err != nil {
		return false, fmt.Errorf("bizstore: resume: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// OpenHandoff returns thread's open hand-off. ok is false when the
// assistant answers the thread: never handed over, given back, or handed
// over longer than timeout ago without a reply from a person (a positive
// timeout); such an expired hand-off is ended here, by "timeout", exactly
// once whoever asks first.
func (s *Store) OpenHandoff(ctx context.Context, thread string, timeout time.Duration) (h Handoff, ok bool, err error) {
	h, err = scanHandoff(s.db.QueryRowContext(ctx, `SELECT `+handoffColumns+` FROM handoffs WHERE thread_id = $1 AND ended_at IS NULL`, thread))
	if errors.Is(err, sql.ErrNoRows) {
		return Handoff{}, false, nil
	}
	if err != nil {
		return Handoff{}, false, fmt.Errorf("bizstore: hand-off: %w", err)
	}
	now := s.now()
	if until := h.Until(timeout); until.IsZero() || now.Before(until) {
		return h, true, nil
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE handoffs SET ended_at = $2, ended_by = $3 WHERE id = $1 AND ended_at IS NULL`,
		h.ID, s.ts(now), EndedByTimeout); err != nil {
		return Handoff{}, false, fmt.Errorf("bizstore: end hand-off by timeout: %w", err)
	}
	return Handoff{}, false, nil
}

// Handoffs returns the open hand-offs, the oldest first (expired ones are
// ended first, as OpenHandoff does), at most limit (0: all).
func (s *Store) Handoffs(ctx context.Context, timeout time.Duration, limit int) ([]Handoff, error) {
	if timeout > 0 {
		// The hand-offs whose time is up end now, in one statement, so a
		// list never shows a thread the assistant already answers.
		if _, err := s.db.ExecContext(ctx, `UPDATE handoffs SET ended_at = $1, ended_by = $2 WHERE ended_at IS NULL AND last_reply_at <= $3`,
			s.ts(s.now()), EndedByTimeout, s.ts(s.now().Add(-timeout))); err != nil {
			return nil, fmt.Errorf("bizstore: end hand-offs by timeout: %w", err)
		}
	}
	q := `SELECT ` + handoffColumns + ` FROM handoffs WHERE ended_at IS NULL ORDER BY paused_at, id`
	var args []any
	if limit > 0 {
		q += ` LIMIT $1`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("bizstore: hand-offs: %w", err)
	}
	defer rows.Close()
	var out []Handoff
	for rows.Next() {
		h, err := scanHandoff(rows)
		if err != nil {
			return nil, fmt.Errorf("bizstore: hand-offs: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// MaxHumanReply bounds a message a person writes to a customer.
const MaxHumanReply = 4096

// AddHumanReply records that a person (author) wrote body to thread, keyed
// like its outbox row: a second call with the same key records nothing.
// An open hand-off of the thread counts its timeout from now.
func (s *Store) AddHumanReply(ctx context.Context, thread, key, body, author string) error {
	switch {
	case thread == "" || key == "":
		return errors.New("bizstore: a reply needs a thread and a key")
	case len(body) > MaxHumanReply:
		return &InvalidError{fmt.Sprintf("the message is too long (at most %d bytes)", MaxHumanReply)}
	}
	now := s.ts(s.now())
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO human_replies (thread_id, key, body, author, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (thread_id, key) DO NOTHING`, thread, key, body, author, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE handoffs SET last_reply_at = $2 WHERE thread_id = $1 AND ended_at IS NULL`, thread, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("bizstore: record a reply: %w", err)
	}
	return nil
}

// maxUnrecorded bounds the replies handed to one turn.
const maxUnrecorded = 50

// UnrecordedReplies returns the replies people wrote to thread that the
// assistant's history does not hold yet, oldest first (at most 50).
func (s *Store) UnrecordedReplies(ctx context.Context, thread string) ([]HumanReply, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, thread_id, body, author, created_at FROM human_replies
		WHERE thread_id = $1 AND recorded_at IS NULL ORDER BY id LIMIT $2`, thread, maxUnrecorded)
	if err != nil {
		return nil, fmt.Errorf("bizstore: replies: %w", err)
	}
	defer rows.Close()
	var out []HumanReply
	for rows.Next() {
		var r HumanReply
		var at timeCol
		if err := rows.Scan(&r.ID, &r.Thread, &r.Body, &r.Author, &at); err != nil {
			return nil, fmt.Errorf("bizstore: replies: %w", err)
		}
		r.At = at.t
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkRepliesRecorded notes that the assistant's history of thread holds
// every reply up to id.
func (s *Store) MarkRepliesRecorded(ctx context.Context, thread string, through int64) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE human_replies SET recorded_at = $3 WHERE thread_id = $1 AND id <= $2 AND recorded_at IS NULL`,
		thread, through, s.ts(s.now())); err != nil {
		return fmt.Errorf("bizstore: mark replies recorded: %w", err)
	}
	return nil
}

// RecentMessages returns the last n texts the customer sent on thread,
// oldest first, for the owners' hand-off notice. It reads the inbox of
// package store (migration 0002), which shares the database.
func (s *Store) RecentMessages(ctx context.Context, thread string, n int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM inbound_messages WHERE thread_id = $1 AND body <> '' ORDER BY id DESC LIMIT $2`, thread, n)
	if err != nil {
		return nil, fmt.Errorf("bizstore: recent messages: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("bizstore: recent messages: %w", err)
		}
		out = append(out, b)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, rows.Err()
}

// MarkLeadContacted records that account contacted lead id (the console's
// "mark contacted"); marking it again keeps the first time. An unknown id
// wraps ErrNotFound.
func (s *Store) MarkLeadContacted(ctx context.Context, id int64, account string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE leads SET contacted_at = COALESCE(contacted_at, $2),
		contacted_by = CASE WHEN contacted_at IS NULL THEN $3 ELSE contacted_by END WHERE id = $1`, id, s.ts(s.now()), account)
	if err != nil {
		return fmt.Errorf("bizstore: mark lead contacted: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("bizstore: lead %d: %w", id, ErrNotFound)
	}
	return nil
}

// LeadsContacted returns when each contacted lead was contacted and by
// whom, by lead id.
func (s *Store) LeadsContacted(ctx context.Context) (map[int64]Contacted, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, contacted_at, contacted_by FROM leads WHERE contacted_at IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("bizstore: contacted leads: %w", err)
	}
	defer rows.Close()
	out := map[int64]Contacted{}
	for rows.Next() {
		var id int64
		var at timeCol
		var c Contacted
		if err := rows.Scan(&id, &at, &c.By); err != nil {
			return nil, fmt.Errorf("bizstore: contacted leads: %w", err)
		}
		c.At = at.t
		out[id] = c
	}
	return out, rows.Err()
}

// Contacted is when a lead was contacted and by which account.
type Contacted struct {
	At time.Time
	By string
}

func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
