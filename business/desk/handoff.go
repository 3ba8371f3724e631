package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

// Handoff hands customer threads to a person and back. While a thread is
// handed over the assistant stays silent on it (the runner asks Held);
// the customer's messages are still stored, and people answer with
// `reply`, `assistant threads send` or the console. The thread goes back
// to the assistant with `resume`, `assistant threads resume`, the console,
// or Timeout after the last reply a person wrote.
//
// Every owner is told of each hand-off once, with the customer's last few
// messages: the notice is keyed by the hand-off, so a retried turn or a
// second `pause` tells nobody twice. It implements Threads.
type Handoff struct {
	Store *bizstore.Store
	// Announcer tells the owners; nil tells nobody.
	Announcer *Announcer
	// Timeout is HANDOFF_TIMEOUT; 0 or less keeps a thread handed over
	// until someone resumes it.
	Timeout time.Duration
}

// recentInNotice is how many of the customer's messages an owner's
// hand-off notice quotes.
const recentInNotice = 3

// Pause implements Threads: an owner's `pause +number`.
func (h *Handoff) Pause(ctx context.Context, thread string) error {
	_, _, err := h.PauseBy(ctx, thread, business.Actor{Kind: business.ActorOwner}, "")
	return err
}

// Resume implements Threads: an owner's `resume +number`.
func (h *Handoff) Resume(ctx context.Context, thread string) error {
	_, err := h.Store.Resume(ctx, thread, string(business.ActorOwner))
	return err
}

// PauseBy hands thread to a person on behalf of by and tells the owners
// (once per hand-off). created is false when it was already handed over.
func (h *Handoff) PauseBy(ctx context.Context, thread string, by business.Actor, reason string) (bizstore.Handoff, bool, error) {
	// An expired hand-off is ended first, so asking again after the
	// timeout opens (and announces) a new one.
	if _, _, err := h.Store.OpenHandoff(ctx, thread, h.Timeout); err != nil {
		return bizstore.Handoff{}, false, err
	}
	ho, created, err := h.Store.Pause(ctx, thread, by, reason)
	if err != nil {
		return ho, false, err
	}
	if h.Announcer != nil {
		// Announced on every call, not only when created: a run that
		// stopped between the pause and the notice tells the owners on its
		// retry; the key makes the second notice a no-op.
		recent, err := h.Store.RecentMessages(ctx, thread, recentInNotice)
		if err != nil {
			return ho, created, err
		}
		h.Announcer.send(ctx, fmt.Sprintf("handoff:%d", ho.ID), HandoffNotice(ho, phoneOf(thread), recent))
	}
	return ho, created, nil
}

// Held reports whether the assistant must stay silent on thread: it is
// handed over and its time is not up.
func (h *Handoff) Held(ctx context.Context, thread string) (bool, error) {
	_, ok, err := h.Store.OpenHandoff(ctx, thread, h.Timeout)
	return ok, err
}

// HandoffNotice is the owners' notice of a hand-off: who, why, what they
// said last (each message on one line, so none can pass for a notice),
// and the commands that answer and give the thread back.
func HandoffNotice(ho bizstore.Handoff, phone string, recent []string) string {
	var b strings.Builder
	if ho.By.Kind == business.ActorCustomer {
		fmt.Fprintf(&b, "%s asked to talk to a person", phone)
	} else {
		fmt.Fprintf(&b, "%s is now handled by a person", phone)
	}
	if ho.Reason != "" {
		fmt.Fprintf(&b, ": %s", oneLine(ho.Reason, 200))
	}
	b.WriteString(". The assistant will not answer them until you resume it.")
	if len(recent) > 0 {
		b.WriteString("\nTheir last messages:")
		for _, m := range recent {
			b.WriteString("\n> " + oneLine(m, 200))
		}
	}
	fmt.Fprintf(&b, "\nReply \"reply %s your message\" to answer; \"resume %s\" gives them back to the assistant.", phone, phone)
	return b.String()
}

// SendAsBusiness sends text to a customer thread as written by a person at
// the business (author: an owner's thread, "cli", a console account), once
// per key, and records it so the assistant's next turn on that thread
// sees it. It counts as a reply for the hand-off's timeout.
func (d *Desk) SendAsBusiness(ctx context.Context, thread, key, text, author string) error {
	if err := d.Notifier.Notify(ctx, thread, key, text); err != nil {
		return err
	}
	return d.Store.AddHumanReply(ctx, thread, key, text, author)
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
