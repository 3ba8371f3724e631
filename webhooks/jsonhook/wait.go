package jsonhook

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/thread"
)

// waiter is a request waiting for the reply to message id. A reply the
// Poster hands it (Collect) is answered even if the wait ran out that
// instant: closed and reply are decided under Handler.mu, so a reply is
// either collected by the request or posted, never neither.
type waiter struct {
	id     string
	wake   chan struct{}
	closed bool
	reply  *string
}

type recentReply struct {
	text string
	at   time.Time
}

// collectedTTL is how long a collected reply's later parts are recognized.
const collectedTTL = 2 * time.Minute

// await answers with the reply when it is ready within wait, else 202.
func (h *Handler) await(w http.ResponseWriter, r *http.Request, id, th string, wait time.Duration, wt *waiter, timeoutResult string) {
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	answer := func(text string) {
		h.result("replied")
		writeJSON(w, http.StatusOK, map[string]string{"reply": text})
	}
	pause := 50 * time.Millisecond
	for {
		if text, ok := h.collected(wt, false); ok {
			answer(text)
			return
		}
		rep, err := h.replies.Answer(ctx, Channel, id)
		if err == nil && rep.Done {
			answer(rep.Text)
			return
		}
		if err != nil && ctx.Err() == nil {
			h.log.Warn("look up reply", "thread", thread.ID(th), "err", err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			if text, ok := h.collected(wt, true); ok {
				answer(text)
				return
			}
			h.result(timeoutResult)
			writeJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
			return
		case <-wt.wake:
		case <-t.C:
		}
		t.Stop()
		pause = min(pause*2, h.poll)
	}
}

// collected returns the reply the Poster handed wt, if any; with close set
// it also stops wt from taking one later.
func (h *Handler) collected(wt *waiter, close bool) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if wt.reply != nil {
		return *wt.reply, true
	}
	if close {
		wt.closed = true
	}
	return "", false
}

// register adds a waiter for th; past MaxWaiting it returns nil and the
// request does not wait.
func (h *Handler) register(th, id string) *waiter {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.nwait >= h.maxWaiting {
		return nil
	}
	wt := &waiter{id: id, wake: make(chan struct{}, 1)}
	if h.waiting[th] == nil {
		h.waiting[th] = map[*waiter]struct{}{}
	}
	h.waiting[th][wt] = struct{}{}
	h.nwait++
	return wt
}

func (h *Handler) unregister(th string, wt *waiter) {
	if wt == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.waiting[th], wt)
	if len(h.waiting[th]) == 0 {
		delete(h.waiting, th)
	}
	h.nwait--
}

// Collect hands part of a reply to the requests of this process waiting
// on thread th whose message it answers, and reports whether one took it:
// that request returns the reply, so it need not be posted to
// JSON_REPLY_URL (the Poster asks). The reply is in the store by then (the
// outbox records it before sending), so each waiter's own lookup tells
// whether this is its reply.
func (h *Handler) Collect(ctx context.Context, th, part string) bool {
	part = strings.TrimSpace(part)
	now := h.now()
	h.mu.Lock()
	h.pruneRecent(now)
	for _, r := range h.recent[th] {
		if strings.Contains(r.text, part) {
			h.mu.Unlock()
			return true
		}
	}
	var candidates []*waiter
	for wt := range h.waiting[th] {
		if !wt.closed && wt.reply == nil {
			candidates = append(candidates, wt)
		}
	}
	h.mu.Unlock()
	if h.replies == nil {
		return false
	}
	took := false
	for _, wt := range candidates {
		rep, err := h.replies.Answer(ctx, Channel, wt.id)
		if err != nil || !rep.Done || !strings.Contains(rep.Text, part) {
			continue
		}
		h.mu.Lock()
		if !wt.closed && wt.reply == nil {
			text := rep.Text
			wt.reply = &text
			took = true
			h.recent[th] = append(h.recent[th], recentReply{text: text, at: now})
			select {
			case wt.wake <- struct{}{}:
			default:
			}
		}
		h.mu.Unlock()
	}
	return took
}

// pruneRecent forgets collected replies older than collectedTTL; h.mu is
// held.
func (h *Handler) pruneRecent(now time.Time) {
	for th, rs := range h.recent {
		keep := rs[:0]
		for _, r := range rs {
			if now.Sub(r.at) < collectedTTL {
				keep = append(keep, r)
			}
		}
		if len(keep) == 0 {
			delete(h.recent, th)
		} else {
			h.recent[th] = keep
		}
	}
}
