package flows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/store"
)

// memStore is a store.Store for the runner's unit tests; the real backends
// are exercised end to end in internal/cli's tests.
type memStore struct {
	mu        sync.Mutex
	inbound   []store.Inbound
	processed map[int64]bool
	outbox    []store.Outbound
	parts     map[string]string // provider id → status
	ids       []string          // provider ids in the order recorded
	leases    map[string]lease
	sendJobs  []int64
	// held counts CompleteHeld calls; handedOver lists the replies given
	// to their send jobs (HandOver).
	held       int
	handedOver []int64
	// releasedWithReplies counts leases CompleteHeld released.
	releasedWithReplies int
	// sweptBefore is the cutoff of the last SweepHeld.
	sweptBefore time.Time
	failNext    error
	// releaseFails is how many ReleaseLease calls fail from now on, as
	// when the database is down.
	releaseFails int
	// recordFails is how many RecordPart calls fail from now on.
	recordFails int
	// pendingReads counts Pending calls.
	pendingReads int
}

type lease struct {
	owner string
	until time.Time
}

func newMemStore() *memStore {
	return &memStore{processed: map[int64]bool{}, parts: map[string]string{}, leases: map[string]lease{}}
}

func (m *memStore) add(msg store.Inbound) store.Inbound {
	m.mu.Lock()
	defer m.mu.Unlock()
	msg.ID = int64(len(m.inbound) + 1)
	m.inbound = append(m.inbound, msg)
	return msg
}

func (m *memStore) Accept(ctx context.Context, msg store.Inbound, runAt time.Time) (bool, error) {
	m.add(msg)
	return true, nil
}

func (m *memStore) Pending(ctx context.Context, thread string) ([]store.Inbound, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pendingReads++
	var out []store.Inbound
	for _, x := range m.inbound {
		if x.Thread == thread && !m.processed[x.ID] {
			out = append(out, x)
		}
	}
	return out, nil
}

func (m *memStore) CompleteHeld(ctx context.Context, thread string, processed []int64, replies []store.Outbound, lease string) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids, err := m.complete(thread, processed, replies, true)
	if err != nil {
		return nil, err
	}
	m.held++
	if lease != "" && m.leases[thread].owner == lease {
		delete(m.leases, thread)
		m.releasedWithReplies++
	}
	return ids, nil
}

func (m *memStore) HandOver(ctx context.Context, ids ...int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handOver(ids)
	return nil
}

func (m *memStore) handOver(ids []int64) {
	for _, id := range ids {
		if !slices.Contains(m.handedOver, id) {
			m.handedOver = append(m.handedOver, id)
			m.sendJobs = append(m.sendJobs, id)
		}
	}
}

// SweepHeld hands over every held reply still pending, and records the
// cutoff it was given.
func (m *memStore) SweepHeld(ctx context.Context, cutoff time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sweptBefore = cutoff
	var ids []int64
	for _, o := range m.outbox {
		if o.Status == store.StatusPending && !slices.Contains(m.sendJobs, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	m.handOver(ids)
	return len(ids), nil
}

func (m *memStore) Complete(ctx context.Context, thread string, processed []int64, replies []store.Outbound) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.complete(thread, processed, replies, false)
}

// complete is Complete, with held CompleteHeld: a new held reply has no
// send job. m.mu is held.
func (m *memStore) complete(thread string, processed []int64, replies []store.Outbound, held bool) ([]int64, error) {
	if m.failNext != nil {
		err := m.failNext
		m.failNext = nil
		return nil, err
	}
	for _, id := range processed {
		m.processed[id] = true
	}
	var ids []int64
	for _, r := range replies {
		found := int64(0)
		for _, o := range m.outbox {
			if o.Thread == thread && o.Key == r.Key {
				found = o.ID
			}
		}
		if found == 0 {
			r.ID = int64(len(m.outbox) + 1)
			r.Status = store.StatusPending
			m.outbox = append(m.outbox, r)
			if !held {
				m.sendJobs = append(m.sendJobs, r.ID)
			}
			found = r.ID
		}
		ids = append(ids, found)
	}
	return ids, nil
}

func (m *memStore) LastInbound(ctx context.Context, thread string) (store.Inbound, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.inbound) - 1; i >= 0; i-- {
		if m.inbound[i].Thread == thread {
			return m.inbound[i], nil
		}
	}
	return store.Inbound{}, fmt.Errorf("last inbound of %s: %w", thread, store.ErrNotFound)
}

func (m *memStore) Outbound(ctx context.Context, id int64) (store.Outbound, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if id < 1 || int(id) > len(m.outbox) {
		return store.Outbound{}, fmt.Errorf("outbox %d: %w", id, store.ErrNotFound)
	}
	return m.outbox[id-1], nil
}

func (m *memStore) OldestPending(ctx context.Context, thread string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.outbox {
		if o.Thread == thread && o.Status == store.StatusPending {
			return o.ID, nil
		}
	}
	return 0, nil
}

func (m *memStore) RecordPart(ctx context.Context, id int64, part int, providerID string, last bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.recordFails > 0 {
		m.recordFails--
		return errors.New("conn closed")
	}
	o := &m.outbox[id-1]
	if part >= o.PartsSent {
		o.PartsSent = part + 1
		m.parts[providerID] = store.StatusQueued
		m.ids = append(m.ids, providerID)
	}
	if last {
		o.Status = store.StatusSent
	}
	return nil
}

func (m *memStore) FailOutbound(ctx context.Context, id int64, code int, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.outbox[id-1].Status, m.outbox[id-1].ErrorCode, m.outbox[id-1].Error = store.StatusFailed, code, reason
	return nil
}

func (m *memStore) RecordStatus(ctx context.Context, channel, providerID, status string, code int) error {
	return nil
}

func (m *memStore) AcquireLease(ctx context.Context, thread, owner string, now time.Time, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.leases[thread]
	if ok && l.owner != owner && now.Before(l.until) {
		return false, nil
	}
	m.leases[thread] = lease{owner, now.Add(ttl)}
	return true, nil
}

func (m *memStore) ReleaseLease(ctx context.Context, thread, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.releaseFails > 0 {
		m.releaseFails--
		return errors.New("connection refused")
	}
	if m.leases[thread].owner == owner {
		delete(m.leases, thread)
	}
	return nil
}

func (m *memStore) CountReceived(ctx context.Context, thread string, since time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, x := range m.inbound {
		if x.Thread == thread && !x.ReceivedAt.Before(since) {
			n++
		}
	}
	return n, nil
}

func (m *memStore) Backlog(ctx context.Context) (int, error) { return 0, nil }

func (m *memStore) DeleteThread(ctx context.Context, thread string) error { return nil }

func (m *memStore) Answer(ctx context.Context, channel, providerID string) (store.Answer, error) {
	return store.Answer{}, nil
}

func (m *memStore) replies() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, o := range m.outbox {
		out = append(out, o.Key+"="+o.Body)
	}
	return slices.Clip(out)
}

// providerIDs lists the provider ids recorded, in order, repeats included.
func (m *memStore) providerIDs() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.ids)
}

func (m *memStore) SetVoice(ctx context.Context, id int64, voice, audio string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o := &m.outbox[id-1]
	if o.Status != store.StatusPending || o.PartsSent > 0 {
		return false, nil
	}
	o.Voice, o.Audio = voice, audio
	return true, nil
}
