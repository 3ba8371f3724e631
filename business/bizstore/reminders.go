package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/business"
)

// DueNotices returns the bookings whose latest decision is still to be
// told to the customer (business.NoticeDue) and was made before before:
// the decision committed, and the process that made it stopped before
// recording the notice. Each comes with its history (the decision is its
// last change), oldest first, at most limit.
func (s *Store) DueNotices(ctx context.Context, before time.Time, limit int) ([]business.Booking, error) {
	refs, err := s.refs(ctx, `SELECT id FROM bookings WHERE notice_status = $1 AND updated_at < $2 ORDER BY updated_at, id LIMIT $3`,
		business.NoticeDue, s.ts(before), limit)
	if err != nil {
		return nil, fmt.Errorf("bizstore: due notices: %w", err)
	}
	return s.bookingsOf(ctx, refs)
}

// RemindersDue returns the approved bookings that start after now and no
// later than until, and whose reminder for their current start was not
// sent or settled: none claimed yet, or a claim taken before stale (its
// process died). The caller decides which are due (the reminder time is a
// wall-clock matter in the business's zone), then claims each with
// ClaimReminder.
func (s *Store) RemindersDue(ctx context.Context, now, until, stale time.Time, limit int) ([]business.Booking, error) {
	refs, err := s.refs(ctx, `SELECT b.id FROM bookings b
		LEFT JOIN booking_reminders r ON r.booking_id = b.id AND r.start_at = b.start_at
		WHERE b.status = 'approved' AND b.start_at > $1 AND b.start_at <= $2
		  AND (r.booking_id IS NULL OR (r.status = 'claimed' AND r.claimed_at < $3))
		ORDER BY b.start_at, b.id LIMIT $4`, s.ts(now), s.ts(until), s.ts(stale), limit)
	if err != nil {
		return nil, fmt.Errorf("bizstore: reminders due: %w", err)
	}
	return s.bookingsOf(ctx, refs)
}

// ClaimReminder claims, at now, the reminder of booking ref for its start: it is
// true for exactly one caller, across processes and restarts, while the
// booking is still approved and still starts at start, unless the claim
// was taken before stale and never settled (then the claim passes on).
// The claim is the row's primary key (booking, start): a booking moved to
// another time has a new reminder to claim.
func (s *Store) ClaimReminder(ctx context.Context, ref business.Ref, start, now, stale time.Time) (bool, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO booking_reminders (booking_id, start_at, status, reason, claimed_at, updated_at)
		SELECT id, start_at, 'claimed', '', $3, $3 FROM bookings WHERE id = $1 AND start_at = $2 AND status = 'approved'
		ON CONFLICT (booking_id, start_at) DO UPDATE SET claimed_at = excluded.claimed_at, updated_at = excluded.updated_at
		WHERE booking_reminders.status = 'claimed' AND booking_reminders.claimed_at < $4
		RETURNING booking_id`, int64(ref), s.ts(start), s.ts(now), s.ts(stale)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("bizstore: claim reminder of %s: %w", ref, err)
	}
	return true, nil
}

// SettleReminder records what became of the reminder of ref for start:
// business.ReminderSent, or business.ReminderNotSent with the reason.
func (s *Store) SettleReminder(ctx context.Context, ref business.Ref, start time.Time, status, reason string) error {
	if status != business.ReminderSent && status != business.ReminderNotSent {
		return fmt.Errorf("bizstore: unknown reminder status %q", status)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE booking_reminders SET status = $3, reason = $4, updated_at = $5 WHERE booking_id = $1 AND start_at = $2`,
		int64(ref), s.ts(start), status, reason, s.ts(s.now()))
	if err != nil {
		return fmt.Errorf("bizstore: settle reminder of %s: %w", ref, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("bizstore: settle reminder of %s: %w", ref, ErrNotFound)
	}
	return nil
}

func (s *Store) refs(ctx context.Context, query string, args ...any) ([]business.Ref, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []business.Ref
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, business.Ref(id))
	}
	return out, rows.Err()
}

// bookingsOf reads each booking with its history; one erased meanwhile is
// left out.
func (s *Store) bookingsOf(ctx context.Context, refs []business.Ref) ([]business.Booking, error) {
	out := make([]business.Booking, 0, len(refs))
	for _, ref := range refs {
		b, err := s.Booking(ctx, ref)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
