package backend

import (
	"context"
	"errors"
	"fmt"

	"github.com/switchboardhq/switchboard/store"
)

// The outbox's delivery state machine: RecordPart, FailOutbound and
// RecordStatus. A part's row and its reply's parts_sent and status change
// together; RecordPart and RecordStatus lock the reply's row first
// (PostgreSQL's FOR UPDATE; SQLite has one writer, whose BEGIN IMMEDIATE
// transaction is the lock), so concurrent callbacks for the parts of one
// reply see each other's updates when they compute the reply's status.

var lockReply = Stmt{
	Postgres: `SELECT channel, status FROM outbox WHERE id = $1 FOR UPDATE`,
	SQLite:   `SELECT channel, status FROM outbox WHERE id = $1`,
}

const (
	insertPart = `INSERT INTO outbox_parts (outbox_id, part, channel, provider_id, status, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (outbox_id, part) DO NOTHING
		RETURNING part`
	selectPartStatuses = `SELECT status FROM outbox_parts WHERE outbox_id = $1 ORDER BY part`
	// parts_sent only grows: CASE is the max of two values in both dialects
	// (GREATEST on PostgreSQL, max on SQLite).
	updateReplySent = `UPDATE outbox SET parts_sent = CASE WHEN parts_sent > $2 THEN parts_sent ELSE $2 END,
		status = $3, updated_at = $4 WHERE id = $1`
)

// RecordPart implements store.Store.
func (s *Store[TTx]) RecordPart(ctx context.Context, id int64, part int, providerID string, last bool) error {
	if part < 0 || providerID == "" {
		return s.errorf("record part %d of reply %d: a part number >= 0 and a provider id are required", part, id)
	}
	err := s.d.InTx(ctx, func(_ TTx, q Querier) error {
		var channel, status string
		err := q.QueryRow(ctx, lockReply.For(s.d.Dialect()), id).Scan(&channel, &status)
		if errors.Is(err, ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.now()
		var got int
		err = q.QueryRow(ctx, insertPart, id, part, channel, providerID, store.StatusSent, now).Scan(&got)
		if errors.Is(err, ErrNoRows) {
			return nil // recorded before
		}
		if err != nil {
			return err
		}
		if last && !store.IsFinalFailure(status) {
			parts, err := partStatuses(ctx, q, id)
			if err != nil {
				return err
			}
			status = store.ReplyStatus(parts)
		}
		_, err = q.Exec(ctx, updateReplySent, id, part+1, status, now)
		return err
	})
	if err != nil {
		return s.errorf("record part %d of reply %d: %w", part, id, err)
	}
	return nil
}

func partStatuses(ctx context.Context, q Querier, id int64) ([]string, error) {
	rows, err := q.Query(ctx, selectPartStatuses, id)
	return collect(rows, err, func(r Rows) (string, error) {
		var st string
		err := r.Scan(&st)
		return st, err
	})
}

const setVoice = `UPDATE outbox SET voice = $2, audio = $3, updated_at = $4
	WHERE id = $1 AND status = $5 AND parts_sent = 0`

// SetVoice implements store.Store.
func (s *Store[TTx]) SetVoice(ctx context.Context, id int64, voice, audio string) (bool, error) {
	if voice != "" && voice != store.VoiceOnly && voice != store.VoiceAndText {
		return false, s.errorf("set voice of reply %d: unknown voice %q", id, voice)
	}
	n, err := s.d.DB().Exec(ctx, setVoice, id, voice, audio, s.now(), store.StatusPending)
	if err != nil {
		return false, s.errorf("set voice of reply %d: %w", id, err)
	}
	return n > 0, nil
}

const failReply = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`

// FailOutbound implements store.Store.
func (s *Store[TTx]) FailOutbound(ctx context.Context, id int64, code int, reason string) error {
	n, err := s.d.DB().Exec(ctx, failReply, id, store.StatusFailed, code, reason, s.now())
	if err != nil {
		return s.errorf("fail reply %d: %w", id, err)
	}
	if n == 0 {
		return s.errorf("fail reply %d: %w", id, store.ErrNotFound)
	}
	return nil
}

var lockReplyOfPart = Stmt{
	Postgres: `SELECT o.id, o.status, p.part, p.status FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id
		WHERE p.channel = $1 AND p.provider_id = $2 FOR UPDATE OF o`,
	SQLite: `SELECT o.id, o.status, p.part, p.status FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id
		WHERE p.channel = $1 AND p.provider_id = $2`,
}

const (
	selectPartStatus = `SELECT status FROM outbox_parts WHERE outbox_id = $1 AND part = $2`
	updatePart       = `UPDATE outbox_parts SET status = $3, error_code = $4, updated_at = $5 WHERE outbox_id = $1 AND part = $2`
	updateReplyRaw   = `UPDATE outbox SET status = $2, error_code = $3, error = $4, updated_at = $5 WHERE id = $1`
	updateReplyAgg   = `UPDATE outbox SET status = $2, updated_at = $3 WHERE id = $1`
)

// RecordStatus implements store.Store. The part's status only moves
// forward (store.AdvanceStatus); a failed part fails its reply, with code;
// a reply all of whose parts were handed over takes the least advanced of
// their statuses (store.ReplyStatus).
func (s *Store[TTx]) RecordStatus(ctx context.Context, channel, providerID, status string, code int) error {
	err := s.d.InTx(ctx, func(_ TTx, q Querier) error {
		var (
			id                      int64
			part                    int
			replyStatus, partStatus string
		)
		err := q.QueryRow(ctx, lockReplyOfPart.For(s.d.Dialect()), channel, providerID).Scan(&id, &replyStatus, &part, &partStatus)
		if errors.Is(err, ErrNoRows) {
			return nil // an erased thread, or another deployment's message
		}
		if err != nil {
			return err
		}
		// Read the part again now that the reply is locked: a concurrent
		// callback may have moved it.
		if err := q.QueryRow(ctx, selectPartStatus, id, part).Scan(&partStatus); err != nil {
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
		if _, err := q.Exec(ctx, updatePart, id, part, next, partCode, now); err != nil {
			return err
		}
		switch {
		case store.IsFinalFailure(replyStatus):
			return nil
		case store.IsFinalFailure(next):
			_, err = q.Exec(ctx, updateReplyRaw, id, next, code, fmt.Sprintf("part %d %s", part, next), now)
			return err
		case replyStatus == store.StatusPending:
			return nil // parts still to send; RecordPart sets the status
		}
		parts, err := partStatuses(ctx, q, id)
		if err != nil {
			return err
		}
		if agg := store.ReplyStatus(parts); agg != replyStatus {
			_, err = q.Exec(ctx, updateReplyAgg, id, agg, now)
		}
		return err
	})
	if err != nil {
		return s.errorf("record status %s of %s/%s: %w", status, channel, providerID, err)
	}
	return nil
}
