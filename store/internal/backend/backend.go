// Package backend is the one implementation of store.Store for every SQL
// database, written once over a small per-database Driver (River's driver
// idea: the logic lives here, a driver only runs statements). store/postgres
// and store/sqlite are drivers plus their constructors; they hold no rule of
// the inbox or the outbox.
//
// A Driver supplies a Querier (Exec, Query, QueryRow with $1-style
// parameters, both in and out of a transaction, sql.ErrNoRows for "no row"
// on both), its Dialect, InTx, and the one fast path that differs by
// database: InsertInbound, the insert of a batch of accepted messages
// (PostgreSQL: one unnest INSERT behind a per-thread advisory lock, in one
// pipelined round; SQLite: a prepared INSERT per message on its single
// connection). Accept's group commit (Group) and the River job inserts,
// through an insert-only River client of the database's transaction type,
// are shared.
//
// # Adding a query
//
// A new table and its queries (bookings, leads, a thread list) go here, as
// methods of Store or of a type holding a Driver, written once:
//
//   - Write the statement once, with $1-style parameters. Most SQL is the
//     same on both databases: INSERT ... ON CONFLICT ... DO NOTHING /
//     DO UPDATE ... WHERE, RETURNING, COALESCE, count, JSON ->>.
//   - Where the dialects differ, declare a Stmt{Postgres: ..., SQLite: ...}
//     and run stmt.For(d.Dialect()): row locks (FOR UPDATE, which SQLite
//     does without: its one writer's BEGIN IMMEDIATE is the lock), arrays
//     (= ANY($1) against json_each($1); pass a []int64 either way), GREATEST
//     against max (or write a CASE).
//   - Pass time.Time arguments and scan into *time.Time: the SQLite driver
//     stores them as fixed-width UTC text (text order is time order, so
//     comparisons work in SQL) and parses them back; PostgreSQL uses
//     timestamptz. Call UTC() on times read back.
//   - Run several statements that must commit together in d.InTx, and put
//     every statement, and River's *Tx calls, through its tx and q: on
//     SQLite a statement through DB() inside a transaction waits forever
//     for the one connection.
//   - Prove it in store/storetest, which runs against both databases.
//
// Only a measured hot path earns a Driver method of its own, as
// InsertInbound did (BENCHMARKS.md).
package backend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
)

// DeleteRunJobs deletes the thread's run_thread jobs that are not running,
// in tx.
func DeleteRunJobs[TTx any](ctx context.Context, client *river.Client[TTx], tx TTx, thread string) error {
	const page = 1000
	// Every state but running: River never deletes a running job.
	notRunning := []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted,
		rivertype.JobStateDiscarded, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateScheduled,
	}
	for {
		list, err := client.JobListTx(ctx, tx, river.NewJobListParams().
			Kinds(queue.RunThread{}.Kind()).States(notRunning...).First(page).
			Where("args ->> 'thread' = @thread", river.NamedArgs{"thread": thread}))
		if err != nil {
			return fmt.Errorf("list run jobs: %w", err)
		}
		if len(list.Jobs) == 0 {
			return nil
		}
		ids := make([]int64, len(list.Jobs))
		for i, j := range list.Jobs {
			ids[i] = j.ID
		}
		if _, err := client.JobDeleteManyTx(ctx, tx, river.NewJobDeleteManyParams().IDs(ids...).First(page)); err != nil {
			return fmt.Errorf("delete run jobs: %w", err)
		}
		if len(list.Jobs) < page {
			return nil
		}
	}
}

// EncodeMedia returns the media column's JSON as a string: a []byte would
// be sent as bytea when statements are not prepared (PgBouncer mode).
func EncodeMedia(m []store.Media) (string, error) {
	if len(m) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode media: %w", err)
	}
	return string(b), nil
}

// DecodeMedia decodes the media column; an empty list is nil.
func DecodeMedia(b []byte) ([]store.Media, error) {
	var m []store.Media
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode media: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	return m, nil
}

// AcceptReq is one inbound message on its way into an accept batch:
// checked, its media encoded and its receive time set.
type AcceptReq struct {
	Msg   store.Inbound
	Media string    // the media column, from EncodeMedia
	RunAt time.Time // when its RunThread job runs; zero means at once
}

// PrepareAccept checks msg and returns it ready for a batch; now stands in
// for a zero ReceivedAt.
func PrepareAccept(msg store.Inbound, runAt, now time.Time) (AcceptReq, error) {
	if msg.Channel == "" || msg.ProviderID == "" || msg.Thread == "" {
		return AcceptReq{}, errors.New("channel, provider id and thread are required")
	}
	media, err := EncodeMedia(msg.Media)
	if err != nil {
		return AcceptReq{}, err
	}
	if msg.ReceivedAt.IsZero() {
		msg.ReceivedAt = now
	}
	return AcceptReq{Msg: msg, Media: media, RunAt: runAt}, nil
}

// MarkCreated sets created[i] for the first request of the batch whose
// (channel, provider id) is in inserted: a batch may carry one message
// twice (a provider retry racing the original), and only one of the two
// was inserted. It consumes inserted.
func MarkCreated(reqs []AcceptReq, inserted map[[2]string]bool) []bool {
	created := make([]bool, len(reqs))
	for i, r := range reqs {
		k := [2]string{r.Msg.Channel, r.Msg.ProviderID}
		if inserted[k] {
			created[i] = true
			delete(inserted, k)
		}
	}
	return created
}

// RunJobs returns the RunThread jobs of a batch: one per thread with a
// created message, in the order of each thread's first, scheduled at the
// latest of its messages' run times. One job runs every pending message
// of its thread (a turn each, or merged in a burst), and these messages
// commit with it: a job per message would only add jobs that find nothing
// left to do. It matters under a flood: one sender's messages fill whole
// batches, and 10,000 jobs queued ahead of everyone else's kept the other
// senders waiting seconds (RELIABILITY.md, the flood).
func RunJobs(reqs []AcceptReq, created []bool) []river.InsertManyParams {
	var jobs []river.InsertManyParams
	at := map[string]int{} // thread → its job's index
	for i, r := range reqs {
		if !created[i] {
			continue
		}
		if j, ok := at[r.Msg.Thread]; ok {
			if p := &jobs[j]; r.RunAt.After(scheduled(*p)) {
				p.InsertOpts = &river.InsertOpts{ScheduledAt: r.RunAt}
			}
			continue
		}
		p := river.InsertManyParams{Args: queue.RunThread{Thread: r.Msg.Thread}}
		if !r.RunAt.IsZero() {
			p.InsertOpts = &river.InsertOpts{ScheduledAt: r.RunAt}
		}
		at[r.Msg.Thread] = len(jobs)
		jobs = append(jobs, p)
	}
	return jobs
}

// scheduled is when p runs: zero for at once.
func scheduled(p river.InsertManyParams) time.Time {
	if p.InsertOpts == nil {
		return time.Time{}
	}
	return p.InsertOpts.ScheduledAt
}
