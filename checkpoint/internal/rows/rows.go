// Package rows is how the SQL savers (checkpoint/postgres and
// checkpoint/sqlite) store a checkpoint's header row: the same columns and
// the same encodings, so one codec serves both and rows read the same in
// either database.
package rows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Columns are the columns of a checkpoint row other than thread_id, in the
// order Row.Dest scans them.
const Columns = "id, parent_id, branch, step, version, vals, log_lens, next, source, metadata, created_at"

// Encoded holds a checkpoint's map and slice fields as stored: Vals is a
// JSON object of base64 strings (values are arbitrary bytes), the others
// JSON.
type Encoded struct {
	Vals, Lens, Next, Meta string
}

// Encode encodes cp's fields for a row.
func Encode(cp checkpoint.Checkpoint) (Encoded, error) {
	var e Encoded
	parts := []struct {
		dst *string
		v   any
		nil bool
	}{
		{&e.Vals, cp.Values, len(cp.Values) == 0},
		{&e.Lens, cp.LogLens, len(cp.LogLens) == 0},
		{&e.Meta, cp.Metadata, len(cp.Metadata) == 0},
	}
	for _, p := range parts {
		if p.nil {
			*p.dst = "{}"
			continue
		}
		b, err := json.Marshal(p.v)
		if err != nil {
			return Encoded{}, fmt.Errorf("%w: encode checkpoint %s: %w", checkpoint.ErrInvalid, cp.ID, err)
		}
		*p.dst = string(b)
	}
	e.Next = "[]"
	if len(cp.Next) > 0 {
		b, err := json.Marshal(cp.Next)
		if err != nil {
			return Encoded{}, fmt.Errorf("%w: encode checkpoint %s: %w", checkpoint.ErrInvalid, cp.ID, err)
		}
		e.Next = string(b)
	}
	for ch, n := range cp.LogLens {
		if n < 0 {
			return Encoded{}, fmt.Errorf("%w: log %q has negative length %d", checkpoint.ErrInvalid, ch, n)
		}
	}
	return e, nil
}

// Row is a checkpoint row as scanned, before decoding. T is how the
// database driver scans created_at (a time.Time, or SQLite's text).
type Row[T any] struct {
	ID, Parent, Branch, Source string
	Step                       int64
	Version                    int32
	Vals, Lens, Next, Meta     []byte
	Created                    T
}

// Dest returns the scan destinations, in the order of Columns.
func (r *Row[T]) Dest() []any {
	return []any{&r.ID, &r.Parent, &r.Branch, &r.Step, &r.Version, &r.Vals, &r.Lens, &r.Next, &r.Source, &r.Meta, &r.Created}
}

// Decode turns the row into a Checkpoint, reading created_at with created
// and reporting unreadable data as a *checkpoint.CorruptError.
func (r *Row[T]) Decode(threadID string, created func(T) (time.Time, error)) (checkpoint.Checkpoint, error) {
	cp := checkpoint.Checkpoint{
		ThreadID: threadID,
		ID:       r.ID,
		ParentID: r.Parent,
		Branch:   r.Branch,
		Step:     int(r.Step),
		Version:  int(r.Version),
		Source:   r.Source,
	}
	corrupt := func(what string, err error) error {
		return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: r.ID, Err: fmt.Errorf("%s: %w", what, err)}
	}
	at, err := created(r.Created)
	if err != nil {
		return checkpoint.Checkpoint{}, corrupt("created_at", err)
	}
	cp.CreatedAt = at
	if err := UnmarshalMap(r.Vals, &cp.Values); err != nil {
		return checkpoint.Checkpoint{}, corrupt("values", err)
	}
	if err := UnmarshalMap(r.Lens, &cp.LogLens); err != nil {
		return checkpoint.Checkpoint{}, corrupt("log lengths", err)
	}
	for ch, n := range cp.LogLens {
		if n < 0 {
			return checkpoint.Checkpoint{}, corrupt("log lengths", fmt.Errorf("log %q has negative length %d", ch, n))
		}
	}
	if err := UnmarshalMap(r.Meta, &cp.Metadata); err != nil {
		return checkpoint.Checkpoint{}, corrupt("metadata", err)
	}
	if err := json.Unmarshal(r.Next, &cp.Next); err != nil {
		return checkpoint.Checkpoint{}, corrupt("next", err)
	}
	if len(cp.Next) == 0 {
		cp.Next = nil
	}
	return cp, nil
}

// UnmarshalMap decodes a JSON object into *m, leaving it nil when empty;
// JSON null is an error (a row never stores it).
func UnmarshalMap[M ~map[K]V, K comparable, V any](b []byte, m *M) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return errors.New("null instead of a JSON object")
	}
	var out M
	if err := json.Unmarshal(b, &out); err != nil {
		return err
	}
	if len(out) == 0 {
		out = nil
	}
	*m = out
	return nil
}
