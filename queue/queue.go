// Package queue defines Switchboard's durable jobs on River and owns the
// client that works them: Workers (NewPostgresWorkers, NewSQLiteWorkers)
// runs RunThread and SendReply jobs between Start and Stop. The stores insert
// jobs, in the transactions of the rows that call for them, with an
// insert-only client (NewPostgresInserter, NewSQLiteInserter), so a store
// needs no worker and the workers' runner can hold the store.
//
// Besides them, periodic Maintain jobs run the maintenance Tasks (the
// retention sweep, checkpoint pruning) on the elected leader's schedule.
//
// Two kinds of job carry the traffic. RunThread processes a thread's pending inbound
// messages; one is inserted with the inbound messages of a thread that are
// stored together (a message, or a thread's share of an accept batch), in
// the same transaction, scheduled at the end of the burst window. Jobs of one thread
// never run the thread twice at once: the runner takes the thread's lease
// and snoozes when another process holds it, and a job that finds nothing
// pending does nothing. SendReply sends one outbox row; a retry that finds
// it sent does nothing. The replies of a run are sent by the run itself,
// with no job behind them (store.Store.CompleteHeld): a SendReply job is
// inserted only for a reply the run could not send, or whose run died
// (found by the held_replies maintenance task).
package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Queue names.
const (
	QueueRuns  = "runs"
	QueueSends = "sends"
)

// RunThread is the job that processes a thread's pending messages.
type RunThread struct {
	Thread string `json:"thread"`
}

// Kind implements river.JobArgs.
func (RunThread) Kind() string { return "run_thread" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (RunThread) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueRuns, MaxAttempts: 10}
}

// SendReply is the job that sends one outbox row.
type SendReply struct {
	OutboxID int64 `json:"outbox_id"`
}

// Kind implements river.JobArgs.
func (SendReply) Kind() string { return "send_reply" }

// InsertOpts implements river.JobArgsWithInsertOpts.
func (SendReply) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSends, MaxAttempts: 12}
}

// ThreadRunner processes a thread's pending messages. A positive again asks
// for the job to run again after that long (the burst window is still open,
// another process holds the thread, or the sender is over its rate limit).
type ThreadRunner interface {
	RunThread(ctx context.Context, thread string) (again time.Duration, err error)
}

// ReplySender sends an outbox row. A positive again asks for the job to
// run again after that long (an earlier reply of the thread is still being
// sent). An error wrapping ErrPermanent is not retried.
type ReplySender interface {
	SendReply(ctx context.Context, outboxID int64) (again time.Duration, err error)
}

// ErrPermanent marks a failure that retrying cannot fix (a number outside
// WhatsApp's 24-hour window, say).
var ErrPermanent = errors.New("permanent failure")

type runWorker struct {
	river.WorkerDefaults[RunThread]
	runner ThreadRunner
}

func (w *runWorker) Work(ctx context.Context, job *river.Job[RunThread]) error {
	again, err := w.runner.RunThread(ctx, job.Args.Thread)
	if err != nil {
		return err
	}
	if again > 0 {
		return river.JobSnooze(again)
	}
	return nil
}

type sendWorker struct {
	river.WorkerDefaults[SendReply]
	sender ReplySender
}

// NextRetry spaces a failed send's retries 1s, 2s, 4s … up to a minute
// apart. River's default (attempt⁴ seconds: 16s, 81s, 256s, 10 min, …)
// would leave a reply, and every later reply of its thread, hours behind
// after a few transient failures of the channel's API.
func (w *sendWorker) NextRetry(job *river.Job[SendReply]) time.Time {
	return time.Now().Add(sendBackoff(job.Attempt))
}

// sendBackoff is the wait after a send's attempt (1-based) failed.
func sendBackoff(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 7 {
		return time.Minute
	}
	return min(time.Second<<(attempt-1), time.Minute)
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[SendReply]) error {
	again, err := w.sender.SendReply(ctx, job.Args.OutboxID)
	if errors.Is(err, ErrPermanent) {
		return river.JobCancel(err)
	}
	if err == nil && again > 0 {
		return river.JobSnooze(again)
	}
	return err
}

// fetchCooldown is the clients' FetchCooldown (River's default is 100ms).
const fetchCooldown = 2 * time.Millisecond

// Settings tune the River client.
type Settings struct {
	// Workers is how many threads run in parallel (WORKERS, default 8).
	Workers int
	// JobTimeout bounds one job (default 25s). A crashed process's jobs are
	// rescued once RescueAfter (default 30s) has passed since they started,
	// at River's next rescue pass (every 30s): in-flight work resumes about
	// a minute after a crash. A run that needs longer than JobTimeout is not
	// lost: the next attempt continues from its last checkpoint.
	JobTimeout  time.Duration
	RescueAfter time.Duration
	// PollOnly is required on SQLite, which has no LISTEN/NOTIFY.
	PollOnly bool
	// PollInterval is how often workers look for new jobs when polling
	// (default 100ms on SQLite, River's default on Postgres).
	PollInterval time.Duration
	Logger       *slog.Logger
	// Tasks are the periodic maintenance jobs (see Task).
	Tasks []Task
}

// Config returns the River configuration shared by both drivers.
func Config(runner ThreadRunner, sender ReplySender, s Settings) (*river.Config, error) {
	if s.Workers <= 0 {
		s.Workers = 8
	}
	if s.JobTimeout <= 0 {
		s.JobTimeout = 25 * time.Second
	}
	if s.RescueAfter <= 0 {
		s.RescueAfter = 30 * time.Second
	}
	if s.RescueAfter < s.JobTimeout {
		return nil, fmt.Errorf("queue: rescue delay %s is shorter than the job timeout %s", s.RescueAfter, s.JobTimeout)
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &runWorker{runner: runner}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &sendWorker{sender: sender}); err != nil {
		return nil, err
	}
	cfg := &river.Config{
		Queues: map[string]river.QueueConfig{
			QueueRuns:  {MaxWorkers: s.Workers},
			QueueSends: {MaxWorkers: max(2, s.Workers/2)},
		},
		Workers:              workers,
		JobTimeout:           s.JobTimeout,
		RescueStuckJobsAfter: s.RescueAfter,
		PollOnly:             s.PollOnly,
		Logger:               s.Logger,
		MaxAttempts:          10,
		// A finished run_thread job names its thread in its arguments; an
		// erased thread's last one (the job that erased it) goes within
		// the hour, not River's default day.
		CompletedJobRetentionPeriod: time.Hour,
	}
	if err := addTasks(cfg, s.Tasks); err != nil {
		return nil, err
	}
	// River waits FetchCooldown between fetches (100ms by default) and
	// coalesces insert notifications over it: a new message would wait for
	// it on every hop. Fetch again almost at once; on Postgres, notifications
	// wake the workers and polling is only the fallback.
	cfg.FetchCooldown = fetchCooldown
	switch {
	case s.PollInterval > 0:
		cfg.FetchPollInterval = s.PollInterval
	case s.PollOnly:
		cfg.FetchPollInterval = 25 * time.Millisecond
	default:
		cfg.FetchPollInterval = 250 * time.Millisecond
	}
	return cfg, nil
}
