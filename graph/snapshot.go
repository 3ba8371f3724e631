package graph

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Snapshot is a thread's state as of one checkpoint.
type Snapshot[S any] struct {
	State        S
	CheckpointID string
	// Next lists the nodes that would run if the thread were resumed.
	Next []string
	// Interrupt is set when the thread is paused.
	Interrupt *PendingInterrupt
	CreatedAt time.Time
}

// State returns the thread's latest snapshot. It returns an error matching
// checkpoint.ErrNotFound for a thread with no checkpoint.
func (c *Compiled[S]) State(ctx context.Context, thread string) (Snapshot[S], error) {
	if c.cfg.saver == nil {
		return Snapshot[S]{}, ErrNoSaver
	}
	t, err := c.cfg.saver.Latest(ctx, thread)
	if err != nil {
		return Snapshot[S]{}, fmt.Errorf("graph: state of thread %s: %w", thread, err)
	}
	return c.snapshot(t)
}

// StateAt returns the thread's snapshot at checkpoint id, for time travel:
// inspect any past checkpoint, then Fork from it.
func (c *Compiled[S]) StateAt(ctx context.Context, thread, id string) (Snapshot[S], error) {
	if c.cfg.saver == nil {
		return Snapshot[S]{}, ErrNoSaver
	}
	t, err := c.cfg.saver.Get(ctx, thread, id)
	if err != nil {
		return Snapshot[S]{}, fmt.Errorf("graph: state of thread %s at %s: %w", thread, id, err)
	}
	return c.snapshot(t)
}

// Fork makes checkpoint id the thread's latest again, on a branch of its
// own, and returns it: the next Invoke or Resume of the thread continues
// from there, while the history it forked from stays intact.
func (c *Compiled[S]) Fork(ctx context.Context, thread, id string) (Snapshot[S], error) {
	if c.cfg.saver == nil {
		return Snapshot[S]{}, ErrNoSaver
	}
	t, err := c.cfg.saver.Fork(ctx, thread, id)
	if err != nil {
		return Snapshot[S]{}, fmt.Errorf("graph: fork thread %s at %s: %w", thread, id, err)
	}
	return c.snapshot(t)
}

func (c *Compiled[S]) snapshot(t checkpoint.Tuple) (Snapshot[S], error) {
	r := &runner[S]{c: c}
	r.sv = reflectValue(&r.state)
	if err := r.restore(t); err != nil {
		return Snapshot[S]{}, err
	}
	snap := Snapshot[S]{
		State:        r.state,
		CheckpointID: t.Checkpoint.ID,
		Next:         t.Checkpoint.Next,
		CreatedAt:    t.Checkpoint.CreatedAt,
	}
	for _, w := range t.Writes {
		if w.Kind == checkpoint.WriteInterrupt || w.Kind == checkpoint.WriteInterruptBefore {
			snap.Interrupt = &PendingInterrupt{Node: w.Node, Before: w.Kind == checkpoint.WriteInterruptBefore, Payload: w.Value}
			break
		}
	}
	return snap, nil
}

func reflectValue[S any](p *S) reflect.Value { return reflect.ValueOf(p).Elem() }
