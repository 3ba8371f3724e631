package bizstore

import (
	"context"
	"errors"
	"fmt"
)

// SetOptOut records that thread opted out of proactive messages (out) or
// back in (!out). It is idempotent.
func (s *Store) SetOptOut(ctx context.Context, thread string, out bool) error {
	if thread == "" {
		return errors.New("bizstore: opt-out needs a thread")
	}
	var err error
	if out {
		_, err = s.db.ExecContext(ctx, `INSERT INTO business_optouts (thread_id, opted_out_at) VALUES ($1, $2) ON CONFLICT (thread_id) DO NOTHING`, thread, s.ts(s.now()))
	} else {
		_, err = s.db.ExecContext(ctx, `DELETE FROM business_optouts WHERE thread_id = $1`, thread)
	}
	if err != nil {
		return fmt.Errorf("bizstore: opt-out: %w", err)
	}
	return nil
}

// OptedOut reports whether thread opted out of proactive messages.
func (s *Store) OptedOut(ctx context.Context, thread string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM business_optouts WHERE thread_id = $1`, thread).Scan(&n); err != nil {
		return false, fmt.Errorf("bizstore: opt-out: %w", err)
	}
	return n > 0, nil
}
