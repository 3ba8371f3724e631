package sqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// This file mirrors checkpoint/postgres/codec.go: both savers store a
// checkpoint's maps the same way, so rows read the same in either database.

// The columns of a checkpoint row other than thread_id, in the order scanned
// by scanRow.
const cpCols = "id, parent_id, branch, step, version, vals, log_lens, next, source, metadata, created_at"

// encoded holds a checkpoint's map and slice fields as stored: vals is a JSON
// object of base64 strings (values are arbitrary bytes), the rest JSON text.
type encoded struct {
	vals, lens, next, meta string
}

func encode(cp checkpoint.Checkpoint) (encoded, error) {
	var e encoded
	parts := []struct {
		dst *string
		v   any
		nil bool
	}{
		{&e.vals, cp.Values, len(cp.Values) == 0},
		{&e.lens, cp.LogLens, len(cp.LogLens) == 0},
		{&e.meta, cp.Metadata, len(cp.Metadata) == 0},
	}
	for _, p := range parts {
		if p.nil {
			*p.dst = "{}"
			continue
		}
		b, err := json.Marshal(p.v)
		if err != nil {
			return encoded{}, fmt.Errorf("%w: encode checkpoint %s: %w", checkpoint.ErrInvalid, cp.ID, err)
		}
		*p.dst = string(b)
	}
	e.next = "[]"
	if len(cp.Next) > 0 {
		b, err := json.Marshal(cp.Next)
		if err != nil {
			return encoded{}, fmt.Errorf("%w: encode checkpoint %s: %w", checkpoint.ErrInvalid, cp.ID, err)
		}
		e.next = string(b)
	}
	for ch, n := range cp.LogLens {
		if n < 0 {
			return encoded{}, fmt.Errorf("%w: log %q has negative length %d", checkpoint.ErrInvalid, ch, n)
		}
	}
	return e, nil
}

// row is a checkpoint row as scanned, before decoding.
type row struct {
	id, parent, branch, source string
	step                       int64
	version                    int32
	vals, lens, next, meta     []byte
	created                    string
}

func (r *row) dest() []any {
	return []any{&r.id, &r.parent, &r.branch, &r.step, &r.version, &r.vals, &r.lens, &r.next, &r.source, &r.meta, &r.created}
}

// decode turns a scanned row into a Checkpoint, reporting unreadable data as
// a *checkpoint.CorruptError.
func (r *row) decode(threadID string) (checkpoint.Checkpoint, error) {
	cp := checkpoint.Checkpoint{
		ThreadID: threadID,
		ID:       r.id,
		ParentID: r.parent,
		Branch:   r.branch,
		Step:     int(r.step),
		Version:  int(r.version),
		Source:   r.source,
	}
	corrupt := func(what string, err error) error {
		return &checkpoint.CorruptError{ThreadID: threadID, CheckpointID: r.id, Err: fmt.Errorf("%s: %w", what, err)}
	}
	created, err := time.Parse(timeLayout, r.created)
	if err != nil {
		return checkpoint.Checkpoint{}, corrupt("created_at", err)
	}
	cp.CreatedAt = created
	if err := unmarshalMap(r.vals, &cp.Values); err != nil {
		return checkpoint.Checkpoint{}, corrupt("values", err)
	}
	if err := unmarshalMap(r.lens, &cp.LogLens); err != nil {
		return checkpoint.Checkpoint{}, corrupt("log lengths", err)
	}
	for ch, n := range cp.LogLens {
		if n < 0 {
			return checkpoint.Checkpoint{}, corrupt("log lengths", fmt.Errorf("log %q has negative length %d", ch, n))
		}
	}
	if err := unmarshalMap(r.meta, &cp.Metadata); err != nil {
		return checkpoint.Checkpoint{}, corrupt("metadata", err)
	}
	if err := json.Unmarshal(r.next, &cp.Next); err != nil {
		return checkpoint.Checkpoint{}, corrupt("next", err)
	}
	if len(cp.Next) == 0 {
		cp.Next = nil
	}
	return cp, nil
}

// timeLayout is how created_at is stored: UTC, fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// unmarshalMap decodes a JSON object into *m, leaving it nil when empty.
func unmarshalMap[M ~map[K]V, K comparable, V any](b []byte, m *M) error {
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
