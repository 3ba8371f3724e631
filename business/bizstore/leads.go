package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/business"
)

// CaptureLead stores a lead (Thread and Requirement required; ID and
// CreatedAt are set). created is false when l.SourceMessageID already made
// a lead: that lead is returned.
func (s *Store) CaptureLead(ctx context.Context, l business.Lead) (business.Lead, bool, error) {
	l.Name = strings.Join(strings.Fields(l.Name), " ")
	l.Requirement = strings.TrimSpace(l.Requirement)
	switch {
	case l.Thread == "":
		return business.Lead{}, false, errors.New("bizstore: a lead needs the customer's thread")
	case l.Requirement == "":
		return business.Lead{}, false, &InvalidError{"say what the customer needs (requirement)"}
	case utf8.RuneCountInString(l.Name) > business.MaxNameLength:
		return business.Lead{}, false, &InvalidError{fmt.Sprintf("the name is too long (at most %d characters)", business.MaxNameLength)}
	case utf8.RuneCountInString(l.Requirement) > business.MaxRequirementLength:
		return business.Lead{}, false, &InvalidError{fmt.Sprintf("the requirement is too long (at most %d characters): summarize it", business.MaxRequirementLength)}
	}
	var created bool
	var out business.Lead
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var ct timeCol
		err := tx.QueryRowContext(ctx, `INSERT INTO leads (thread_id, name, requirement, source_message_id, created_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source_message_id) DO NOTHING
			RETURNING id, thread_id, name, requirement, COALESCE(source_message_id, ''), created_at`,
			l.Thread, l.Name, l.Requirement, nullable(l.SourceMessageID), s.ts(s.now())).
			Scan(&out.ID, &out.Thread, &out.Name, &out.Requirement, &out.SourceMessageID, &ct)
		if err == nil {
			created, out.CreatedAt = true, ct.t
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		out, err = scanLead(tx.QueryRowContext(ctx, `SELECT `+leadColumns+` FROM leads WHERE source_message_id = $1`, l.SourceMessageID))
		return err
	})
	if err != nil {
		return business.Lead{}, false, fmt.Errorf("bizstore: capture lead: %w", err)
	}
	if out.Thread != l.Thread {
		return business.Lead{}, false, fmt.Errorf("bizstore: source message %q belongs to another thread", l.SourceMessageID)
	}
	return out, created, nil
}

const leadColumns = `id, thread_id, name, requirement, COALESCE(source_message_id, ''), created_at`

func scanLead(row interface{ Scan(...any) error }) (business.Lead, error) {
	var l business.Lead
	var ct timeCol
	err := row.Scan(&l.ID, &l.Thread, &l.Name, &l.Requirement, &l.SourceMessageID, &ct)
	l.CreatedAt = ct.t
	return l, err
}

// Leads returns the newest leads first, at most limit (default and
// maximum 500).
func (s *Store) Leads(ctx context.Context, limit int) ([]business.Lead, error) {
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+leadColumns+` FROM leads ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("bizstore: leads: %w", err)
	}
	defer rows.Close()
	var out []business.Lead
	for rows.Next() {
		l, err := scanLead(rows)
		if err != nil {
			return nil, fmt.Errorf("bizstore: leads: %w", err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bizstore: leads: %w", err)
	}
	return out, nil
}

// EraseThread deletes a customer's bookings (with their history), leads,
// hand-offs, the replies people wrote them and the opt-out, for `threads erase`. It returns how many bookings and leads
// it deleted.
func (s *Store) EraseThread(ctx context.Context, thread string) (bookings, leads int64, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// SQLite enforces the cascade only with foreign_keys on; delete the
		// history explicitly so erasure never depends on a pragma.
		for _, child := range []string{"booking_events", "booking_reminders"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+child+` WHERE booking_id IN (SELECT id FROM bookings WHERE thread_id = $1)`, thread); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM bookings WHERE thread_id = $1`, thread)
		if err != nil {
			return err
		}
		bookings, _ = res.RowsAffected()
		res, err = tx.ExecContext(ctx, `DELETE FROM leads WHERE thread_id = $1`, thread)
		if err != nil {
			return err
		}
		leads, _ = res.RowsAffected()
		// The hand-offs and the replies people wrote (migration 0011).
		for _, q := range []string{`DELETE FROM handoffs WHERE thread_id = $1`, `DELETE FROM human_replies WHERE thread_id = $1`} {
			if _, err := tx.ExecContext(ctx, q, thread); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM business_optouts WHERE thread_id = $1`, thread)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("bizstore: erase thread: %w", err)
	}
	return bookings, leads, nil
}
