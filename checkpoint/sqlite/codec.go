package sqlite

import (
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

// cpCols are the columns of a checkpoint row other than thread_id.
const cpCols = rows.Columns

// row is a checkpoint row as scanned from SQLite, created_at as text.
type row struct{ rows.Row[string] }

func (r *row) dest() []any { return r.Dest() }

func (r *row) decode(threadID string) (checkpoint.Checkpoint, error) {
	return r.Decode(threadID, func(s string) (time.Time, error) { return time.Parse(timeLayout, s) })
}

// encode encodes cp for a row.
func encode(cp checkpoint.Checkpoint) (rows.Encoded, error) { return rows.Encode(cp) }

// timeLayout is how created_at is stored: UTC, fixed width, so text order is
// time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
