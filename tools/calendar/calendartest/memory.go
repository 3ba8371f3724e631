// Package calendartest holds the conformance suite every calendar backend
// passes (Run) and an in-memory backend (Memory) for tests of code that
// uses a calendar.
package calendartest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/tools/calendar"
)

// Memory is an in-memory, per-thread calendar.Backend.
type Memory struct {
	mu     sync.Mutex
	events map[string]map[string]calendar.Event // thread → id → event
	now    func() time.Time
}

// NewMemory returns an empty Memory backend.
func NewMemory() *Memory {
	return &Memory{events: map[string]map[string]calendar.Event{}, now: time.Now}
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "ev" + hex.EncodeToString(b[:])
}

// Create implements calendar.Backend.
func (m *Memory) Create(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("memory calendar: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e = e.Clone()
	e.ID = newID()
	e.Updated = m.now().UTC().Truncate(time.Second)
	e.Sequence = 0
	if m.events[thread] == nil {
		m.events[thread] = map[string]calendar.Event{}
	}
	m.events[thread][e.ID] = e
	return e.Clone(), nil
}

// Get implements calendar.Backend.
func (m *Memory) Get(ctx context.Context, thread, id string) (calendar.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.events[thread][id]
	if !ok {
		return calendar.Event{}, fmt.Errorf("memory calendar: %q: %w", id, calendar.ErrNotFound)
	}
	return e.Clone(), nil
}

// List implements calendar.Backend.
func (m *Memory) List(ctx context.Context, thread string, from, to time.Time) ([]calendar.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []calendar.Event
	for _, e := range m.events[thread] {
		if e.Overlaps(from, to) {
			out = append(out, e.Clone())
		}
	}
	calendar.SortEvents(out)
	return out, nil
}

// Update implements calendar.Backend.
func (m *Memory) Update(ctx context.Context, thread string, e calendar.Event) (calendar.Event, error) {
	if err := e.Validate(); err != nil {
		return calendar.Event{}, fmt.Errorf("memory calendar: %w", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.events[thread][e.ID]
	if !ok {
		return calendar.Event{}, fmt.Errorf("memory calendar: %q: %w", e.ID, calendar.ErrNotFound)
	}
	e = e.Clone()
	e.Sequence = old.Sequence + 1
	e.Updated = m.now().UTC().Truncate(time.Second)
	m.events[thread][e.ID] = e
	return e.Clone(), nil
}

// Delete implements calendar.Backend.
func (m *Memory) Delete(ctx context.Context, thread, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.events[thread][id]; !ok {
		return fmt.Errorf("memory calendar: %q: %w", id, calendar.ErrNotFound)
	}
	delete(m.events[thread], id)
	return nil
}
