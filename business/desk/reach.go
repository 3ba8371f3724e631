package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
)

// What the front desk sends a customer after the conversation: the notice
// of an owner's decision and the reminder of an approved booking. Both
// are keyed in the outbox (sent once whatever retries and processes),
// skipped for a customer who opted out, and carry the approved template
// for when the 24-hour window is closed. Their outcome is kept on the
// booking, for `bookings list`.

// ReasonOptedOut is why nothing is sent to a customer who sent STOP.
const ReasonOptedOut = "the customer opted out of notifications (STOP)"

// notTold is a notice or reminder that was not sent, for a reason the
// booking records; other errors are failures of the store.
type notTold struct{ reason string }

func (e *notTold) Error() string { return e.reason }

// tell tells b's customer of change (b's times in the business zone) and
// records the outcome on the booking. A *notTold error says why the
// customer was not told.
func (d *Desk) tell(ctx context.Context, p *business.Profile, b business.Booking, change business.Change) error {
	key := fmt.Sprintf("booking:%s:%s", b.Ref, change.To)
	err := d.send(ctx, b.Thread, key, p.DecisionMessage(b, change), d.Templates.BookingUpdate, business.TemplateVariables(b, change.To))
	var nt *notTold
	switch {
	case errors.As(err, &nt):
		if serr := d.Store.SetNoticeOf(ctx, b.Ref, change.To, business.NoticeNotSent, nt.reason); serr != nil {
			return serr
		}
		return err
	case err != nil:
		return err
	}
	return d.Store.SetNoticeOf(ctx, b.Ref, change.To, business.NoticeSent, "")
}

// send sends a proactive message unless thread opted out, with the
// template when one is configured and the notifier can carry it.
func (d *Desk) send(ctx context.Context, thread, key, text, contentSID string, vars map[string]string) error {
	out, err := d.Store.OptedOut(ctx, thread)
	if err != nil {
		return err
	}
	if out {
		return &notTold{ReasonOptedOut}
	}
	tn, ok := d.Notifier.(TemplateNotifier)
	if contentSID != "" && ok {
		js, jerr := json.Marshal(vars)
		if jerr != nil {
			return jerr
		}
		err = tn.NotifyTemplate(ctx, thread, key, text, contentSID, string(js))
	} else {
		err = d.Notifier.Notify(ctx, thread, key, text)
	}
	if err != nil {
		// The notifier records what it could not send; its reason is what
		// the owner reads.
		return &notTold{err.Error()}
	}
	return nil
}

// noticeGrace is how long a decision's own call has to record its notice
// before Redeliver takes over.
const noticeGrace = time.Minute

// Redeliver tells customers of the decisions whose notice was never
// recorded (the process stopped between the decision and its notice): a
// decision is marked due in its own transaction, so none is lost. The
// notice's outbox key makes a second attempt send nothing twice.
func (d *Desk) Redeliver(ctx context.Context, now time.Time) (int, error) {
	bs, err := d.Store.DueNotices(ctx, now.Add(-noticeGrace), maxPerTick)
	if err != nil || len(bs) == 0 {
		return 0, err
	}
	p, err := d.Store.Profile(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, b := range bs {
		if len(b.History) == 0 {
			continue
		}
		err := d.tell(ctx, p, b.In(p.Location), b.History[len(b.History)-1])
		var nt *notTold
		if err != nil && !errors.As(err, &nt) {
			errs = append(errs, fmt.Errorf("%s: %w", b.Ref, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// maxPerTick bounds the bookings one tick handles; the next tick takes
// the rest.
const maxPerTick = 100

// claimStale is how long a reminder's claim holds without an outcome
// before another process takes it over (the claimer died while sending;
// the outbox key keeps the message from going twice).
const claimStale = 5 * time.Minute

// Remind sends the reminders due at now: for each approved booking whose
// reminder time (Reminder before its start, whole days counted on the
// business's calendar: business.RemindAt) has come and whose start is
// still ahead. Each reminder is claimed in the database first, so two
// processes, or a restart, send it once; a booking declined or cancelled
// meanwhile gets none, and one moved to another time gets one for its new
// time. A booking approved after its reminder time gets none: the
// confirmation just told the customer. It returns how many reminders it
// settled.
func (d *Desk) Remind(ctx context.Context, now time.Time) (int, error) {
	if d.Reminder <= 0 {
		return 0, nil
	}
	p, err := d.Store.Profile(ctx)
	if errors.Is(err, bizstore.ErrNoProfile) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	// Whole days of lead on the calendar differ from elapsed time by the
	// daylight-saving shift at most: look an extra few hours ahead, then
	// decide by the wall clock.
	stale := now.Add(-claimStale)
	bs, err := d.Store.RemindersDue(ctx, now, now.Add(d.Reminder+3*time.Hour), stale, maxPerTick)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, b := range bs {
		b = b.In(p.Location)
		at := business.RemindAt(b.Start, d.Reminder, p.Location)
		if at.After(now) {
			continue
		}
		ok, err := d.Store.ClaimReminder(ctx, b.Ref, b.Start, now, stale)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !ok {
			continue // another process has it, or the booking changed
		}
		status, reason := business.ReminderSent, ""
		if approved := approvedAt(b); approved.After(at) {
			status, reason = business.ReminderNotSent, "approved after the reminder time: the confirmation told the customer"
		} else {
			key := "reminder:" + b.Ref.String() + ":" + strconv.FormatInt(b.Start.Unix(), 10)
			err := d.send(ctx, b.Thread, key, p.ReminderMessage(b), d.Templates.BookingReminder, business.TemplateVariables(b, b.Status))
			var nt *notTold
			switch {
			case errors.As(err, &nt):
				status, reason = business.ReminderNotSent, nt.reason
			case err != nil:
				errs = append(errs, fmt.Errorf("%s: %w", b.Ref, err))
				continue // the claim goes stale and is taken over
			}
		}
		if err := d.Store.SettleReminder(ctx, b.Ref, b.Start, status, reason); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// approvedAt is when b was last approved.
func approvedAt(b business.Booking) time.Time {
	for i := len(b.History) - 1; i >= 0; i-- {
		if b.History[i].To == business.StatusApproved {
			return b.History[i].At
		}
	}
	return time.Time{}
}

// Tick is the front desk's periodic work: notices a crash left unsent,
// then the reminders due at now.
func (d *Desk) Tick(ctx context.Context, now time.Time) error {
	_, err1 := d.Redeliver(ctx, now)
	_, err2 := d.Remind(ctx, now)
	return errors.Join(err1, err2)
}

// Failed records on the booking that the proactive message with outbox
// key failed for good (the channel's report comes after the send was
// handed over): a decision's notice or a reminder becomes not sent, with
// reason. Keys of other messages are ignored.
func (d *Desk) Failed(ctx context.Context, key, reason string) error {
	parts := strings.Split(key, ":")
	if len(parts) != 3 {
		return nil
	}
	ref, err := business.ParseRef(parts[1])
	if err != nil {
		return nil
	}
	switch parts[0] {
	case "booking":
		to, err := business.ParseStatus(parts[2])
		if err != nil {
			return nil // an owner's announcement ("booking:B12:new")
		}
		return d.Store.SetNoticeOf(ctx, ref, to, business.NoticeNotSent, reason)
	case "reminder":
		unix, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return nil
		}
		err = d.Store.SettleReminder(ctx, ref, time.Unix(unix, 0), business.ReminderNotSent, reason)
		if errors.Is(err, bizstore.ErrNotFound) {
			return nil // erased meanwhile
		}
		return err
	}
	return nil
}
