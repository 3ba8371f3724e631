// Package backend holds what the SQL store backends (store/postgres and
// store/sqlite) share beyond their SQL: River job clean-up, written once
// over River's transaction type, and the media column's encoding.
package backend

import (
	"context"
	"encoding/json"
	"fmt"

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
