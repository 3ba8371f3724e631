package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/privacy"
	"github.com/switchboardhq/switchboard/queue"
)

// maintenanceTasks are the periodic jobs of RETENTION and
// CHECKPOINT_RECENT_TURNS, each every MAINTENANCE_INTERVAL; none when both
// are off. The pruning job also rebuilds the checkpoint indexes on
// PostgreSQL once enough was pruned (checkpoint.Compacter).
func maintenanceTasks(db *database, cfg config.Config, log *slog.Logger) ([]queue.Task, error) {
	l := cfg.Lifecycle
	sw, err := privacy.NewSweeper(db.sql, db.dialect, db.saver, privacy.SweepConfig{
		Retention: l.Retention, RecentTurns: l.CheckpointRecentTurns, Location: cfg.Location,
	})
	if err != nil {
		return nil, err
	}
	var tasks []queue.Task
	if l.Retention > 0 {
		tasks = append(tasks, queue.Task{Name: "retention", Every: l.MaintenanceInterval, Run: func(ctx context.Context) error {
			start := time.Now()
			n, err := sw.Sweep(ctx, start)
			logTask(log, "retention sweep", err, "retention", l.Retention.String(), "messages", n.Messages, "replies", n.Replies,
				"checkpoints", n.Checkpoints, "idle_threads", n.Threads, "calendar_events", n.Calendar, "workouts", n.Workouts,
				"bookings", n.Bookings, "leads", n.Leads, "audit", n.Audit, "duration_ms", time.Since(start).Milliseconds())
			return err
		}})
	}
	if l.CheckpointRecentTurns > 0 {
		tasks = append(tasks, queue.Task{Name: "prune_checkpoints", Every: l.MaintenanceInterval, Run: func(ctx context.Context) error {
			start := time.Now()
			n, err := sw.Prune(ctx, start)
			logTask(log, "checkpoints pruned", err, "recent_turns", l.CheckpointRecentTurns, "removed", n,
				"duration_ms", time.Since(start).Milliseconds())
			if err != nil {
				return err
			}
			return compact(ctx, db.saver, log)
		}})
	}
	return tasks, nil
}

// compact gives back the room pruning left in the saver's storage, when it
// has any to give (checkpoint.Compacter).
func compact(ctx context.Context, saver checkpoint.Saver, log *slog.Logger) error {
	c, ok := saver.(checkpoint.Compacter)
	if !ok {
		return nil
	}
	start := time.Now()
	done, err := c.Compact(ctx)
	if err != nil {
		log.Warn("checkpoint indexes not rebuilt; the next run tries again", "err", err)
		return err
	}
	if done {
		log.Info("checkpoint indexes rebuilt", "duration_ms", time.Since(start).Milliseconds())
	}
	return nil
}

// logTask logs a maintenance run: at info when it succeeded, at warn with
// the error when it stopped part-way (the next run picks up the rest).
func logTask(log *slog.Logger, msg string, err error, attrs ...any) {
	if err != nil {
		log.Warn(msg+" stopped part-way; the next run goes on", append(attrs, "err", err)...)
		return
	}
	log.Info(msg, attrs...)
}

// heldSweepEvery is how often the held_replies task runs: a reply whose run
// died before sending it goes out at most this long after its hold (twice
// the lease's TTL, RESCUE_AFTER) has passed.
const heldSweepEvery = 10 * time.Second

// heldRepliesTask gives send jobs to the replies runs recorded and died
// before sending (flows.Runner.SweepHeld). It logs only when it found
// some: every ten seconds, an empty sweep is the normal case.
func heldRepliesTask(runner *flows.Runner, log *slog.Logger) queue.Task {
	return queue.Task{Name: "held_replies", Every: heldSweepEvery, Timeout: time.Minute, Run: func(ctx context.Context) error {
		n, err := runner.SweepHeld(ctx)
		if err != nil || n > 0 {
			logTask(log, "replies of runs that stopped before sending them handed to send jobs", err, "replies", n)
		}
		return err
	}}
}
