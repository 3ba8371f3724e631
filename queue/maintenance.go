package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// QueueMaintenance is the queue of the periodic maintenance jobs: one at a
// time, so a long sweep never competes with itself.
const QueueMaintenance = "maintenance"

// Task is periodic maintenance (the retention sweep, checkpoint pruning):
// the elected leader among the processes on a database inserts a Maintain
// job for it every Every, and once at start-up; any process works it.
type Task struct {
	// Name identifies the task in its jobs ("retention", "prune").
	Name string
	// Every is how often it runs; at least a second.
	Every time.Duration
	// Timeout bounds one run (default 10 minutes); work left over is done
	// by the next.
	Timeout time.Duration
	// Run does the work.
	Run func(ctx context.Context) error
}

// Maintain is the job of one run of a Task.
type Maintain struct {
	Task string `json:"task"`
}

// Kind implements river.JobArgs.
func (Maintain) Kind() string { return "maintain" }

type maintainWorker struct {
	river.WorkerDefaults[Maintain]
	tasks map[string]Task
}

func (w *maintainWorker) Timeout(job *river.Job[Maintain]) time.Duration {
	if t, ok := w.tasks[job.Args.Task]; ok && t.Timeout > 0 {
		return t.Timeout
	}
	return 10 * time.Minute
}

func (w *maintainWorker) Work(ctx context.Context, job *river.Job[Maintain]) error {
	t, ok := w.tasks[job.Args.Task]
	if !ok {
		// A task another version of the program had: nothing to do here.
		return river.JobCancel(fmt.Errorf("queue: unknown maintenance task %q", job.Args.Task))
	}
	return t.Run(ctx)
}

// addTasks registers the worker and the periodic jobs of tasks in cfg.
func addTasks(cfg *river.Config, tasks []Task) error {
	if len(tasks) == 0 {
		return nil
	}
	byName := make(map[string]Task, len(tasks))
	for _, t := range tasks {
		switch {
		case t.Name == "" || t.Run == nil:
			return errors.New("queue: a maintenance task needs a name and a function")
		case t.Every < time.Second:
			return fmt.Errorf("queue: maintenance task %q runs every %s, want at least a second", t.Name, t.Every)
		}
		if _, dup := byName[t.Name]; dup {
			return fmt.Errorf("queue: maintenance task %q given twice", t.Name)
		}
		byName[t.Name] = t
		opts := &river.InsertOpts{
			Queue:       QueueMaintenance,
			MaxAttempts: 3,
			// One run per period, whichever process's scheduler inserts it.
			UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: t.Every},
		}
		args := Maintain{Task: t.Name}
		cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(t.Every),
			func() (river.JobArgs, *river.InsertOpts) { return args, opts },
			&river.PeriodicJobOpts{ID: "maintain_" + t.Name, RunOnStart: true}))
	}
	if err := river.AddWorkerSafely(cfg.Workers, &maintainWorker{tasks: byName}); err != nil {
		return err
	}
	cfg.Queues[QueueMaintenance] = river.QueueConfig{MaxWorkers: 1}
	return nil
}
