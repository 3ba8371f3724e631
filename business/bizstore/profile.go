package bizstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/business"
)

// FAQ is a stored FAQ with its id (for `assistant faq rm ID`).
type FAQ struct {
	ID int64
	business.FAQ
}

// Import stores the business file content data (its name is for errors)
// as the profile, replacing the profile and all FAQs, unless the same
// content was the last imported: then nothing changes, so edits made since
// (console, `assistant faq add`) stand. It reports whether it imported.
// A bad file changes nothing and is a *business.FileError.
func (s *Store) Import(ctx context.Context, name string, data []byte) (bool, *business.Profile, error) {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	var last string
	err := s.db.QueryRowContext(ctx, `SELECT source_sha256 FROM business_profile WHERE id = 1`).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, nil, fmt.Errorf("bizstore: import: %w", err)
	}
	if err == nil && last == hash {
		p, err := s.Profile(ctx)
		return false, p, err
	}
	p, err := business.Parse(name, data)
	if err != nil {
		return false, nil, err
	}
	if err := s.SaveProfile(ctx, p, hash); err != nil {
		return false, nil, err
	}
	return true, p, nil
}

// ImportFile is Import of the file at path (BUSINESS_FILE, `assistant
// business import FILE`), read up to business.MaxFileSize.
func (s *Store) ImportFile(ctx context.Context, path string) (bool, *business.Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, nil, fmt.Errorf("bizstore: import: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, business.MaxFileSize+1))
	if err != nil {
		return false, nil, fmt.Errorf("bizstore: import %s: %w", path, err)
	}
	if len(data) > business.MaxFileSize {
		return false, nil, &business.FileError{File: filepath.Base(path), Err: fmt.Errorf("the file is larger than %d bytes", business.MaxFileSize)}
	}
	return s.Import(ctx, filepath.Base(path), data)
}

// SaveProfile stores p as the profile and its FAQs as the FAQs, replacing
// both; sourceHash identifies the file it came from ("" for none).
func (s *Store) SaveProfile(ctx context.Context, p *business.Profile, sourceHash string) error {
	doc := *p
	doc.FAQs = nil
	text, err := doc.YAML()
	if err != nil {
		return err
	}
	now := s.ts(s.now())
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO business_profile (id, document, source_sha256, version, updated_at)
			VALUES (1, $1, $2, 1, $3)
			ON CONFLICT (id) DO UPDATE SET document = excluded.document, source_sha256 = excluded.source_sha256,
				version = business_profile.version + 1, updated_at = excluded.updated_at`, string(text), sourceHash, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM business_faqs`); err != nil {
			return err
		}
		for i, f := range p.FAQs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO business_faqs (position, question, answer, created_at) VALUES ($1, $2, $3, $4)`,
				i+1, f.Q, f.A, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bizstore: save profile: %w", err)
	}
	return nil
}

// Profile returns the stored profile with the stored FAQs, or
// ErrNoProfile.
func (s *Store) Profile(ctx context.Context) (*business.Profile, error) {
	var doc string
	err := s.db.QueryRowContext(ctx, `SELECT document FROM business_profile WHERE id = 1`).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoProfile
	}
	if err != nil {
		return nil, fmt.Errorf("bizstore: profile: %w", err)
	}
	p, err := business.Parse("stored profile", []byte(doc))
	if err != nil {
		return nil, fmt.Errorf("bizstore: the stored profile no longer parses: %w", err)
	}
	faqs, err := s.FAQs(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range faqs {
		p.FAQs = append(p.FAQs, f.FAQ)
	}
	return p, nil
}

// Version returns a number that changes whenever the profile or the FAQs
// change (0 with no profile), so a caller can cache the parsed profile.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, `SELECT version FROM business_profile WHERE id = 1`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("bizstore: version: %w", err)
	}
	return v, nil
}

// FAQs returns the approved FAQs in order.
func (s *Store) FAQs(ctx context.Context) ([]FAQ, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, question, answer FROM business_faqs ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("bizstore: faqs: %w", err)
	}
	defer rows.Close()
	var out []FAQ
	for rows.Next() {
		var f FAQ
		if err := rows.Scan(&f.ID, &f.Q, &f.A); err != nil {
			return nil, fmt.Errorf("bizstore: faqs: %w", err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bizstore: faqs: %w", err)
	}
	return out, nil
}

// Bounds of an FAQ added one at a time, as a business file bounds them.
const (
	maxQuestion = 200
	maxAnswer   = 2000
)

// AddFAQ appends an approved FAQ and returns it. A profile must exist.
func (s *Store) AddFAQ(ctx context.Context, q, a string) (FAQ, error) {
	q, a = strings.TrimSpace(q), strings.TrimSpace(a)
	if q == "" || a == "" || utf8.RuneCountInString(q) > maxQuestion || utf8.RuneCountInString(a) > maxAnswer {
		return FAQ{}, fmt.Errorf("bizstore: an FAQ needs a question (at most %d characters) and an answer (at most %d)", maxQuestion, maxAnswer)
	}
	var f FAQ
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.bump(ctx, tx); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO business_faqs (position, question, answer, created_at)
			VALUES ((SELECT COALESCE(MAX(position), 0) + 1 FROM business_faqs), $1, $2, $3) RETURNING id, question, answer`,
			q, a, s.ts(s.now())).Scan(&f.ID, &f.Q, &f.A)
	})
	if err != nil {
		return FAQ{}, fmt.Errorf("bizstore: add faq: %w", err)
	}
	return f, nil
}

// RemoveFAQ deletes an FAQ by id, or reports ErrNotFound.
func (s *Store) RemoveFAQ(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM business_faqs WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.bump(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("bizstore: remove faq %d: %w", id, err)
	}
	return nil
}

// bump increases the profile's version; without a profile it is
// ErrNoProfile.
func (s *Store) bump(ctx context.Context, tx *sql.Tx) error {
	res, err := tx.ExecContext(ctx, `UPDATE business_profile SET version = version + 1, updated_at = $1 WHERE id = 1`, s.ts(s.now()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoProfile
	}
	return nil
}
