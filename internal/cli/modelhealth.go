package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/thread"
)

// modelHealth keeps the outcome of the chat model's latest calls, for the
// console's overview: the model is ready when its latest call answered.
// It watches real calls instead of probing the provider, which would cost
// tokens on every refresh of the overview. The zero value is ready to use;
// a nil *modelHealth records nothing.
type modelHealth struct {
	mu      sync.Mutex
	now     func() time.Time
	lastOK  time.Time
	lastErr time.Time
	errText string
}

func (h *modelHealth) clock() time.Time {
	if h.now != nil {
		return h.now()
	}
	return time.Now()
}

// record notes a call's outcome; a call cancelled by its caller says
// nothing about the model.
func (h *modelHealth) record(ctx context.Context, err error) {
	h.recordFor(ctx, graph.ThreadFromContext(ctx), err)
}

// recordFor is record for a call made for thread th.
func (h *modelHealth) recordFor(ctx context.Context, th string, err error) {
	if h == nil || (err != nil && ctx.Err() != nil) {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if err == nil {
		h.lastOK = h.clock()
		return
	}
	h.lastErr = h.clock()
	// The number of the thread the call was for is masked; the text is
	// kept short for the page.
	h.errText = thread.MaskError(th, err).Error()
	if r := []rune(h.errText); len(r) > 160 {
		h.errText = string(r[:160]) + "…"
	}
}

// errModelFailing is the overview's error when the latest call failed.
var errModelFailing = errors.New("the latest call failed")

// status is the check: an error when the latest call failed.
func (h *modelHealth) status(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.lastErr.IsZero() && h.lastErr.After(h.lastOK) {
		return fmt.Errorf("%w %s ago (%s)%s", errModelFailing, span(h.clock().Sub(h.lastErr)), h.errText, h.lastOKText())
	}
	return nil
}

func (h *modelHealth) lastOKText() string {
	if h.lastOK.IsZero() {
		return "; it has not answered since the start"
	}
	return "; last answered " + span(h.clock().Sub(h.lastOK)) + " ago"
}

// note is the passing check's text.
func (h *modelHealth) note() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lastOK.IsZero() {
		return "no calls since the start"
	}
	s := "last answered " + span(h.clock().Sub(h.lastOK)) + " ago"
	if !h.lastErr.IsZero() {
		s += "; last failure " + span(h.clock().Sub(h.lastErr)) + " ago"
	}
	return s
}

// check is the overview's "Model" readiness.
func (h *modelHealth) check() console.Check {
	return console.Check{Name: "Model", Check: h.status, Note: h.note}
}

// span writes a duration the way a person says it ("3 hours").
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < 2*time.Minute:
		return "1 minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d < 2*time.Hour:
		return "1 hour"
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}
