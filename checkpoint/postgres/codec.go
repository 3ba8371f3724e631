package postgres

import (
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/internal/rows"
)

// cpCols are the columns of a checkpoint row other than thread_id.
const cpCols = rows.Columns

// row is a checkpoint row as pgx scans it.
type row struct{ rows.Row[time.Time] }

func (r *row) dest() []any { return r.Dest() }

func (r *row) decode(threadID string) (checkpoint.Checkpoint, error) {
	return r.Decode(threadID, func(t time.Time) (time.Time, error) { return t, nil })
}

// encode encodes cp for a row.
func encode(cp checkpoint.Checkpoint) (rows.Encoded, error) { return rows.Encode(cp) }
