// Package backend holds what the SQL store backends (store/postgres and
// store/sqlite) share beyond their SQL: River job clean-up, written once
// over River's transaction type, the media column's encoding, and the group
// commit of accepted messages (Group, AcceptReq).
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

// RunJobs returns one RunThread job per created message, in batch order.
func RunJobs(reqs []AcceptReq, created []bool) []river.InsertManyParams {
	var jobs []river.InsertManyParams
	for i, r := range reqs {
		if !created[i] {
			continue
		}
		p := river.InsertManyParams{Args: queue.RunThread{Thread: r.Msg.Thread}}
		if !r.RunAt.IsZero() {
			p.InsertOpts = &river.InsertOpts{ScheduledAt: r.RunAt}
		}
		jobs = append(jobs, p)
	}
	return jobs
}
