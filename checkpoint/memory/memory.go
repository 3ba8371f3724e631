// Package memory provides an in-memory checkpoint.Saver, for tests, the
// terminal simulator and programs that need no durability.
package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
)

// Saver keeps checkpoints in memory. The zero value is not usable; call New.
type Saver struct {
	mu      sync.Mutex
	threads map[string]*thread
	now     func() time.Time
}

type stored struct {
	cp  checkpoint.Checkpoint
	seq int64
}

type childKey struct{ branch, parent string }

type thread struct {
	seq      int64
	cps      map[string]*stored
	children map[childKey]string
	logs     map[string]map[string][][]byte // branch → channel → entries
	writes   map[string][]checkpoint.Write
	updated  time.Time
	// last is the most recently stored checkpoint. Prune never removes it
	// (it is its branch's newest), so it stays valid until the next Put.
	last *stored
}

var _ checkpoint.Saver = (*Saver)(nil)

// New returns an empty Saver.
func New() *Saver {
	return &Saver{threads: make(map[string]*thread), now: time.Now}
}

func (s *Saver) thread(id string, create bool) *thread {
	t := s.threads[id]
	if t == nil && create {
		t = &thread{
			cps:      make(map[string]*stored),
			children: make(map[childKey]string),
			logs:     make(map[string]map[string][][]byte),
			writes:   make(map[string][]checkpoint.Write),
		}
		s.threads[id] = t
	}
	return t
}

// Put implements checkpoint.Saver.
func (s *Saver) Put(ctx context.Context, cp checkpoint.Checkpoint, appends map[string][][]byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if cp.ThreadID == "" || cp.ID == "" {
		return fmt.Errorf("%w: thread and checkpoint id are required", checkpoint.ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(cp.ThreadID, true)
	if _, dup := t.cps[cp.ID]; dup {
		return fmt.Errorf("%w: checkpoint %s already exists", checkpoint.ErrConflict, cp.ID)
	}
	if _, taken := t.children[childKey{cp.Branch, cp.ParentID}]; taken {
		return fmt.Errorf("%w: thread %s already advanced from %q", checkpoint.ErrConflict, cp.ThreadID, cp.ParentID)
	}
	var parentLens map[string]int
	if cp.ParentID != "" {
		p, ok := t.cps[cp.ParentID]
		if !ok {
			return fmt.Errorf("%w: parent %s not found", checkpoint.ErrInvalid, cp.ParentID)
		}
		if p.cp.Branch != cp.Branch {
			return fmt.Errorf("%w: branch %q differs from parent's %q", checkpoint.ErrInvalid, cp.Branch, p.cp.Branch)
		}
		parentLens = p.cp.LogLens
	} else if cp.Branch != "" {
		return fmt.Errorf("%w: a branch must have a parent", checkpoint.ErrInvalid)
	}
	if err := checkpoint.CheckAppends(parentLens, cp.LogLens, appends); err != nil {
		return err
	}
	logs := t.logs[cp.Branch]
	if logs == nil {
		logs = make(map[string][][]byte)
		t.logs[cp.Branch] = logs
	}
	for ch, entries := range appends {
		for _, e := range entries {
			logs[ch] = append(logs[ch], slices.Clone(e))
		}
	}
	c := cp.Clone()
	c.CreatedAt = s.now()
	t.seq++
	t.last = &stored{cp: c, seq: t.seq}
	t.cps[c.ID] = t.last
	t.children[childKey{c.Branch, c.ParentID}] = c.ID
	t.updated = c.CreatedAt
	return nil
}

func (s *Saver) tuple(t *thread, st *stored) checkpoint.Tuple {
	return s.tupleFrom(t, st, nil)
}

func (s *Saver) tupleFrom(t *thread, st *stored, from map[string]int) checkpoint.Tuple {
	cp := st.cp.Clone()
	out := checkpoint.Tuple{Checkpoint: cp, Logs: make(map[string][][]byte, len(cp.LogLens)), LogsFrom: from}
	for ch, n := range cp.LogLens {
		entries := t.logs[cp.Branch][ch][from[ch]:n]
		cloned := make([][]byte, len(entries))
		for i, e := range entries {
			cloned[i] = slices.Clone(e)
		}
		out.Logs[ch] = cloned
	}
	for _, w := range t.writes[cp.ID] {
		w.Value = slices.Clone(w.Value)
		out.Writes = append(out.Writes, w)
	}
	return out
}

func (t *thread) latest() *stored { return t.last }

// Latest implements checkpoint.Saver.
func (s *Saver) Latest(ctx context.Context, threadID string) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil || len(t.cps) == 0 {
		return checkpoint.Tuple{}, fmt.Errorf("thread %s: %w", threadID, checkpoint.ErrNotFound)
	}
	return s.tuple(t, t.latest()), nil
}

// LatestSince implements checkpoint.IncrementalLoader.
func (s *Saver) LatestSince(ctx context.Context, threadID string, have checkpoint.Cursor) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil || len(t.cps) == 0 {
		return checkpoint.Tuple{}, fmt.Errorf("thread %s: %w", threadID, checkpoint.ErrNotFound)
	}
	st := t.latest()
	return s.tupleFrom(t, st, checkpoint.TailFrom(st.cp, have)), nil
}

// Get implements checkpoint.Saver.
func (s *Saver) Get(ctx context.Context, threadID, id string) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil || t.cps[id] == nil {
		return checkpoint.Tuple{}, fmt.Errorf("thread %s checkpoint %s: %w", threadID, id, checkpoint.ErrNotFound)
	}
	return s.tuple(t, t.cps[id]), nil
}

func (t *thread) newestFirst() []*stored {
	all := make([]*stored, 0, len(t.cps))
	for _, st := range t.cps {
		all = append(all, st)
	}
	slices.SortFunc(all, func(a, b *stored) int { return cmp.Compare(b.seq, a.seq) })
	return all
}

// List implements checkpoint.Saver.
func (s *Saver) List(ctx context.Context, threadID string, opts checkpoint.ListOptions) ([]checkpoint.Checkpoint, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil {
		return nil, nil
	}
	var before int64 = -1
	if opts.Before != "" {
		b, ok := t.cps[opts.Before]
		if !ok {
			return nil, fmt.Errorf("thread %s checkpoint %s: %w", threadID, opts.Before, checkpoint.ErrNotFound)
		}
		before = b.seq
	}
	var out []checkpoint.Checkpoint
	for _, st := range t.newestFirst() {
		if before >= 0 && st.seq >= before {
			continue
		}
		out = append(out, st.cp.Clone())
		if opts.Limit > 0 && len(out) == opts.Limit {
			break
		}
	}
	return out, nil
}

// PutWrites implements checkpoint.Saver.
func (s *Saver) PutWrites(ctx context.Context, threadID, checkpointID string, writes []checkpoint.Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil || t.cps[checkpointID] == nil {
		return fmt.Errorf("thread %s checkpoint %s: %w", threadID, checkpointID, checkpoint.ErrNotFound)
	}
	for _, w := range writes {
		w.Value = slices.Clone(w.Value)
		t.writes[checkpointID] = append(t.writes[checkpointID], w)
	}
	return nil
}

// Fork implements checkpoint.Saver.
func (s *Saver) Fork(ctx context.Context, threadID, id string) (checkpoint.Tuple, error) {
	if err := ctx.Err(); err != nil {
		return checkpoint.Tuple{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil || t.cps[id] == nil {
		return checkpoint.Tuple{}, fmt.Errorf("thread %s checkpoint %s: %w", threadID, id, checkpoint.ErrNotFound)
	}
	src := t.cps[id].cp
	fork := checkpoint.ForkOf(src)
	branch := make(map[string][][]byte, len(src.LogLens))
	for ch, n := range src.LogLens {
		branch[ch] = slices.Clone(t.logs[src.Branch][ch][:n])
	}
	t.logs[fork.Branch] = branch
	fork.CreatedAt = s.now()
	t.seq++
	st := &stored{cp: fork, seq: t.seq}
	t.cps[fork.ID] = st
	t.last = st
	t.children[childKey{fork.Branch, fork.ParentID}] = fork.ID
	t.updated = fork.CreatedAt
	return s.tuple(t, st), nil
}

// Prune implements checkpoint.Saver.
func (s *Saver) Prune(ctx context.Context, threadID string, opts checkpoint.PruneOptions) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.thread(threadID, false)
	if t == nil {
		return 0, nil
	}
	all := t.newestFirst()
	infos := make([]checkpoint.PruneInfo, len(all))
	for i, st := range all {
		infos[i] = checkpoint.PruneInfo{ID: st.cp.ID, ParentID: st.cp.ParentID, Branch: st.cp.Branch, Source: st.cp.Source, HasNext: len(st.cp.Next) > 0, Created: st.cp.CreatedAt}
	}
	removed := 0
	for i, doomed := range checkpoint.PrunePlan(opts, infos) {
		if !doomed {
			continue
		}
		st := all[i]
		delete(t.cps, st.cp.ID)
		delete(t.children, childKey{st.cp.Branch, st.cp.ParentID})
		delete(t.writes, st.cp.ID)
		removed++
	}
	return removed, nil
}

// DeleteThread implements checkpoint.Saver.
func (s *Saver) DeleteThread(ctx context.Context, threadID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.threads, threadID)
	return nil
}

// Threads implements checkpoint.Saver.
func (s *Saver) Threads(ctx context.Context, limit int) ([]checkpoint.ThreadInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []checkpoint.ThreadInfo
	for id, t := range s.threads {
		if len(t.cps) == 0 {
			continue
		}
		l := t.latest()
		out = append(out, checkpoint.ThreadInfo{
			ThreadID: id, Checkpoints: len(t.cps), LatestID: l.cp.ID, LatestStep: l.cp.Step, UpdatedAt: t.updated,
		})
	}
	slices.SortFunc(out, func(a, b checkpoint.ThreadInfo) int {
		if c := b.UpdatedAt.Compare(a.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ThreadID, b.ThreadID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

var _ checkpoint.IncrementalLoader = (*Saver)(nil)
