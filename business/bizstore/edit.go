package bizstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/switchboardhq/switchboard/business"
)

// ErrFAQsInProfile is returned by UpdateProfile for a document that
// carries FAQs: they are edited one by one (AddFAQ, RemoveFAQ, MoveFAQ),
// so that editing the profile never drops one.
var ErrFAQsInProfile = errors.New("bizstore: the profile document holds FAQs; edit them on their own")

// UpdateProfile replaces the profile (not the FAQs) with the document in
// data, validated exactly as a business file is (business.Parse; name
// labels its errors, which name the line). The recorded source of the
// last import is kept, so the edit stands until BUSINESS_FILE changes.
// The version moves, so the assistant uses the new profile on its next
// turn, without a restart.
func (s *Store) UpdateProfile(ctx context.Context, name string, data []byte) (*business.Profile, error) {
	if len(data) > business.MaxFileSize {
		return nil, &business.FileError{File: name, Err: fmt.Errorf("the profile is larger than %d bytes", business.MaxFileSize)}
	}
	p, err := business.Parse(name, data)
	if err != nil {
		return nil, err
	}
	if len(p.FAQs) > 0 {
		return nil, ErrFAQsInProfile
	}
	text, err := p.YAML()
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE business_profile SET document = $1, version = version + 1, updated_at = $2 WHERE id = 1`,
			string(text), s.ts(s.now()))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoProfile
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bizstore: update profile: %w", err)
	}
	return s.Profile(ctx)
}

// MoveFAQ moves FAQ id one place up (earlier) or down in the order the
// assistant reads them. Moving the first up or the last down changes
// nothing; an unknown id wraps ErrNotFound.
func (s *Store) MoveFAQ(ctx context.Context, id int64, up bool) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM business_faqs ORDER BY position, id`)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		at := -1
		for i, v := range ids {
			if v == id {
				at = i
			}
		}
		if at < 0 {
			return ErrNotFound
		}
		to := at + 1
		if up {
			to = at - 1
		}
		if to < 0 || to >= len(ids) {
			return nil
		}
		ids[at], ids[to] = ids[to], ids[at]
		// Positions are rewritten 1…n, which also mends duplicates.
		for i, v := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE business_faqs SET position = $1 WHERE id = $2`, i+1, v); err != nil {
				return err
			}
		}
		return s.bump(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("bizstore: move faq %d: %w", id, err)
	}
	return nil
}
