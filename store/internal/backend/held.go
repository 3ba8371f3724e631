package backend

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/switchboardhq/switchboard/queue"
)

// Held replies (store.Store.CompleteHeld) are sent by the run that recorded
// them, with no job behind them: a job per reply cost its insert, its
// fetch and its completion, about a seventh of the database's time per
// message (BENCHMARKS.md). A held reply gets its send job when the run
// gives up on it (HandOver) or when SweepHeld finds it left unsent.

// unhold clears held on those of ids still held and pending and returns
// them: each is given one send job, whoever asks first.
var unhold = Stmt{
	Postgres: `UPDATE outbox SET held = false WHERE id = ANY($1) AND held AND status = 'pending' RETURNING id`,
	SQLite:   `UPDATE outbox SET held = false WHERE id IN (SELECT value FROM json_each($1)) AND held AND status = 'pending' RETURNING id`,
}

// selectHeld lists held replies left pending since before $1, oldest first.
const selectHeld = `SELECT id FROM outbox WHERE held AND status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`

// sweepPage bounds one transaction of SweepHeld.
const sweepPage = 500

// HandOver implements store.Store.
func (s *Store[TTx]) HandOver(ctx context.Context, ids ...int64) error {
	if _, err := s.handOver(ctx, ids); err != nil {
		return s.errorf("hand over replies %v: %w", ids, err)
	}
	return nil
}

// SweepHeld implements store.Store.
func (s *Store[TTx]) SweepHeld(ctx context.Context, cutoff time.Time) (int, error) {
	total := 0
	for {
		rows, err := s.d.DB().Query(ctx, selectHeld, cutoff, sweepPage)
		ids, err := collect(rows, err, scanID)
		if err != nil {
			return total, s.errorf("sweep held replies: %w", err)
		}
		n, err := s.handOver(ctx, ids)
		total += n
		if err != nil {
			return total, s.errorf("sweep held replies: %w", err)
		}
		if len(ids) < sweepPage {
			return total, nil
		}
	}
}

// handOver gives each of ids still held its send job, in one transaction,
// and returns how many it gave one.
func (s *Store[TTx]) handOver(ctx context.Context, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	n := 0
	err := s.d.InTx(ctx, func(tx TTx, q Querier) error {
		rows, err := q.Query(ctx, unhold.For(s.d.Dialect()), ids)
		got, err := collect(rows, err, scanID)
		if err != nil || len(got) == 0 {
			return err
		}
		jobs := make([]river.InsertManyParams, len(got))
		for i, id := range got {
			jobs[i] = river.InsertManyParams{Args: queue.SendReply{OutboxID: id}}
		}
		if _, err := s.client.InsertManyTx(ctx, tx, jobs); err != nil {
			return fmt.Errorf("enqueue sends: %w", err)
		}
		n = len(got)
		return nil
	})
	return n, err
}

// scanID scans a row of one id.
func scanID(r Rows) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}
