package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/thread"
)

// Sweeper deletes what is older than the retention period and prunes old
// checkpoints; the queue's periodic maintenance jobs call it. It is safe
// for concurrent use, though the queue runs one sweep at a time.
type Sweeper struct {
	db      *sql.DB
	dialect migrations.Dialect
	saver   checkpoint.Saver
	cfg     SweepConfig

	mu         sync.Mutex
	prunedFrom time.Time // threads unchanged since then need no pruning
}

// SweepConfig is what a Sweeper keeps.
type SweepConfig struct {
	// Retention is RETENTION; 0 keeps everything (Sweep does nothing).
	Retention time.Duration
	// RecentTurns is CHECKPOINT_RECENT_TURNS; 0 keeps every checkpoint
	// (Prune does nothing).
	RecentTurns int
	// Location is ASSISTANT_TIMEZONE, in which the gym's months start.
	Location *time.Location
}

// NewSweeper returns a Sweeper on db (migrated for dialect) whose
// checkpoints are in saver.
func NewSweeper(db *sql.DB, dialect migrations.Dialect, saver checkpoint.Saver, cfg SweepConfig) (*Sweeper, error) {
	if db == nil || saver == nil {
		return nil, errors.New("privacy: NewSweeper needs a database and a saver")
	}
	if dialect != migrations.Postgres && dialect != migrations.SQLite {
		return nil, fmt.Errorf("privacy: unknown dialect %q", dialect)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	return &Sweeper{db: db, dialect: dialect, saver: saver, cfg: cfg}, nil
}

// Swept counts what one Sweep deleted.
type Swept struct {
	Messages, Replies, Calendar, Workouts, Bookings, Leads, Audit, Leases int64
	// Checkpoints counts checkpoints pruned from active threads; Threads
	// counts idle threads whose whole checkpoint history was deleted.
	Checkpoints, Threads int64
}

// batch bounds one DELETE, so a first sweep of a large database never
// holds SQLite's single writer (and the webhooks behind it) for long.
const batch = 500

// Sweep deletes what is older than now minus the retention period, except
// what is still needed (see the package guarantees).
func (s *Sweeper) Sweep(ctx context.Context, now time.Time) (Swept, error) {
	var out Swept
	if s.cfg.Retention <= 0 {
		return out, nil
	}
	cutoff := now.Add(-s.cfg.Retention)
	ts := s.ts(cutoff)
	var err error
	// Children go first, in the same transaction as their parents, so
	// nothing depends on foreign keys being enforced (SQLite's pragma).
	if out.Replies, err = s.batched(ctx, "outbox", `status <> 'pending' AND updated_at < $1`, []any{ts},
		`DELETE FROM outbox_parts WHERE outbox_id IN (%s)`); err != nil {
		return out, err
	}
	if out.Messages, err = s.batched(ctx, "inbound_messages", `processed_at IS NOT NULL AND received_at < $1`, []any{ts}, ""); err != nil {
		return out, err
	}
	if out.Bookings, err = s.batched(ctx, "bookings", `status IN ('completed', 'declined', 'cancelled') AND end_at < $1`, []any{ts},
		`DELETE FROM booking_events WHERE booking_id IN (%s)`); err != nil {
		return out, err
	}
	if out.Leads, err = s.batched(ctx, "leads", `created_at < $1`, []any{ts}, ""); err != nil {
		return out, err
	}
	if out.Workouts, err = s.batched(ctx, "workouts", `local_date < $1`, []any{s.workoutCutoff(now, cutoff)}, ""); err != nil {
		return out, err
	}
	if out.Audit, err = s.batched(ctx, "console_audit", `at < $1`, []any{cutoff.UnixMilli()}, ""); err != nil {
		return out, err
	}
	stmts := []struct {
		n     *int64
		query string
		arg   any
	}{
		{&out.Calendar, `DELETE FROM calendar_events WHERE end_unix < $1`, cutoff.Unix()},
		{&out.Leases, `DELETE FROM thread_leases WHERE expires_at < $1`, ts},
		{new(int64), `DELETE FROM erasure_requests WHERE asked_at < $1`, s.ts(now.Add(-ConfirmWindow))},
	}
	for _, st := range stmts {
		res, err := s.db.ExecContext(ctx, st.query, st.arg)
		if err != nil {
			return out, fmt.Errorf("privacy: sweep: %w", err)
		}
		*st.n, _ = res.RowsAffected()
	}
	if err := s.sweepCheckpoints(ctx, cutoff, &out); err != nil {
		return out, err
	}
	return out, nil
}

// workoutCutoff is the day before which workouts go: the retention cutoff,
// but never into the previous month, whose totals the gym still shows.
func (s *Sweeper) workoutCutoff(now, cutoff time.Time) string {
	day := cutoff.In(s.cfg.Location)
	now = now.In(s.cfg.Location)
	prevMonth := time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, s.cfg.Location)
	if prevMonth.Before(day) {
		day = prevMonth
	}
	return day.Format(time.DateOnly)
}

// batched deletes the rows of table matching where, batch by batch, each
// batch in a transaction that first runs child (a DELETE with %s for the
// batch's ids) when given. It returns how many rows of table it deleted.
func (s *Sweeper) batched(ctx context.Context, table, where string, args []any, child string) (int64, error) {
	ids := fmt.Sprintf(`SELECT id FROM %s WHERE %s ORDER BY id LIMIT %d`, table, where, batch)
	var total int64
	for {
		n, err := s.inTx(ctx, func(tx *sql.Tx) (int64, error) {
			if child != "" {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(child, ids), args...); err != nil {
					return 0, err
				}
			}
			res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE id IN (%s)`, table, ids), args...)
			if err != nil {
				return 0, err
			}
			return res.RowsAffected()
		})
		if err != nil {
			return total, fmt.Errorf("privacy: sweep %s: %w", table, err)
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}

func (s *Sweeper) inTx(ctx context.Context, fn func(*sql.Tx) (int64, error)) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := fn(tx)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// sweepCheckpoints deletes the checkpoints of threads idle since before
// cutoff, and prunes older checkpoints of the others (each branch's newest
// is kept, with the log entries it needs: an active conversation keeps the
// history its model sees).
func (s *Sweeper) sweepCheckpoints(ctx context.Context, cutoff time.Time, out *Swept) error {
	infos, err := s.saver.Threads(ctx, 0)
	if err != nil {
		return fmt.Errorf("privacy: sweep checkpoints: %w", err)
	}
	for _, info := range infos {
		if err := ctx.Err(); err != nil {
			return err
		}
		if info.UpdatedAt.Before(cutoff) {
			if err := s.saver.DeleteThread(ctx, info.ThreadID); err != nil {
				return fmt.Errorf("privacy: sweep the checkpoints of %s: %w", thread.Mask(info.ThreadID), thread.MaskError(info.ThreadID, err))
			}
			out.Threads++
			continue
		}
		n, err := s.saver.Prune(ctx, info.ThreadID, checkpoint.PruneOptions{OlderThan: cutoff})
		if err != nil {
			return fmt.Errorf("privacy: sweep the checkpoints of %s: %w", thread.Mask(info.ThreadID), thread.MaskError(info.ThreadID, err))
		}
		out.Checkpoints += int64(n)
	}
	return nil
}

// Prune keeps every checkpoint of each thread's last RecentTurns turns and
// one per turn before them (checkpoint.PruneOptions.RecentTurns). Threads
// unchanged since the previous Prune are skipped. It returns how many
// checkpoints it removed.
func (s *Sweeper) Prune(ctx context.Context, now time.Time) (int, error) {
	if s.cfg.RecentTurns <= 0 {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	infos, err := s.saver.Threads(ctx, 0)
	if err != nil {
		return 0, fmt.Errorf("privacy: prune checkpoints: %w", err)
	}
	removed := 0
	for _, info := range infos {
		if err := ctx.Err(); err != nil {
			return removed, err
		}
		// A minute of slack covers clocks of several processes and a
		// checkpoint written while the previous pass ran.
		if !s.prunedFrom.IsZero() && info.UpdatedAt.Before(s.prunedFrom.Add(-time.Minute)) {
			continue
		}
		n, err := s.saver.Prune(ctx, info.ThreadID, checkpoint.PruneOptions{RecentTurns: s.cfg.RecentTurns})
		if err != nil {
			return removed, fmt.Errorf("privacy: prune the checkpoints of %s: %w", thread.Mask(info.ThreadID), thread.MaskError(info.ThreadID, err))
		}
		removed += n
	}
	s.prunedFrom = now
	return removed, nil
}

func (s *Sweeper) ts(t time.Time) any {
	if s.dialect == migrations.SQLite {
		return t.UTC().Format(timeLayout)
	}
	return t
}
