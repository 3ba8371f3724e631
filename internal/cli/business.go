package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/business"
	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/business/desk"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
	"github.com/switchboardhq/switchboard/webhooks/evolution"
	"github.com/switchboardhq/switchboard/webhooks/twilio"
)

// frontDesk is a business deployment's part of the app: present when a
// business profile exists at start-up (imported from BUSINESS_FILE now or
// earlier). Then every thread that is not an owner's is a customer's.
type frontDesk struct {
	store    *bizstore.Store
	desk     *desk.Desk
	announce *desk.Announcer
	bookings *booking.Tools
	// customer holds the customer tools unbound: each call acts for the
	// thread of the agent's run (booking's threadOf).
	customer *tools.Set
	// owner holds an owner's own tools and the owner tools (reading
	// bookings and leads; deciding stays with the owner's commands).
	owner  *tools.Set
	owners []string
	// handoff hands customer threads to a person (handoff.go).
	handoff *desk.Handoff
}

// notifier forwards to the runner once serve has built it; the tools and
// the desk are built before the runner.
type notifier struct{ to desk.TemplateNotifier }

func (n *notifier) Notify(ctx context.Context, th, key, text string) error {
	return n.NotifyTemplate(ctx, th, key, text, "", "")
}

// NotifyTemplate implements desk.TemplateNotifier.
func (n *notifier) NotifyTemplate(ctx context.Context, th, key, text, contentSID, variables string) error {
	if n.to == nil {
		return errors.New("no channel to send the notice through")
	}
	return n.to.NotifyTemplate(ctx, th, key, text, contentSID, variables)
}

// openFrontDesk imports BUSINESS_FILE when its content changed and returns
// the front desk, or nil when there is no business profile.
func (a *app) openFrontDesk(ctx context.Context) error {
	s, err := bizstore.New(a.db.sql, a.db.dialect)
	if err != nil {
		return err
	}
	if f := a.cfg.Business.File; f != "" {
		changed, p, err := s.ImportFile(ctx, f)
		if err != nil {
			return fmt.Errorf("BUSINESS_FILE: %w", err)
		}
		if changed {
			a.log.Info("business profile imported", "business", p.Name, "file", f)
		}
	}
	v, err := s.Version(ctx)
	if err != nil {
		return fmt.Errorf("business profile: %w", err)
	}
	a.bizStore = s
	if v == 0 {
		return nil
	}
	fd := &frontDesk{store: s, owners: a.owners}
	n := &notifier{}
	a.notices = n
	fd.announce = &desk.Announcer{Notifier: n, Owners: a.owners, Logger: a.log}
	fd.handoff = &desk.Handoff{Store: s, Announcer: fd.announce, Timeout: a.cfg.Business.HandoffTimeout}
	biz := a.cfg.Business
	fd.desk = &desk.Desk{Store: s, Notifier: n, Threads: fd.handoff, Reminder: biz.Reminder, Templates: desk.Templates{
		BookingUpdate: biz.ContentSIDBookingUpdate, BookingReminder: biz.ContentSIDBookingReminder,
	}}
	fd.bookings, err = booking.New(booking.Config{
		Store: s, OnBooking: fd.announce.Booking, OnLead: fd.announce.Lead, OnCancel: fd.announce.Cancelled,
		RequestHuman: fd.requestHuman, Metrics: a.metrics,
	})
	if err != nil {
		return err
	}
	if fd.customer, err = tools.NewSet(fd.bookings.Tools()...); err != nil {
		return err
	}
	fd.customer = fd.customer.WithLogger(a.log)
	if fd.owner, err = tools.NewSet(append(a.withCalendar.Tools(), fd.bookings.OwnerTools()...)...); err != nil {
		return err
	}
	fd.owner = fd.owner.WithLogger(a.log)
	a.front = fd
	a.log.Info("business front desk on", "owners", len(a.owners))
	return nil
}

// customerThread reports whether th is a customer's thread of the front
// desk.
func (a *app) customerThread(th string) bool { return a.front != nil && !a.isOwner(th) }

// customerToolbox returns the customer tools for a customer thread.
func (a *app) customerToolbox() agent.Toolbox { return a.front.customer }

// customerSystem is the front-desk prompt for a customer thread.
func (a *app) customerSystem(ctx context.Context, in agent.SystemInput) (string, error) {
	p, err := a.front.store.Profile(ctx)
	if err != nil {
		return "", err
	}
	return a.prompts.FrontDesk(p.FrontDeskData(in.Now, in.ProfileName, in.Tools))
}

// Intercept implements flows.Desk: owner commands on owner threads, the
// opt-out words on customer threads, before any model.
func (fd *frontDesk) Intercept(ctx context.Context, m store.Inbound) (string, bool, error) {
	if m.Sender != "" && m.Sender != m.Thread {
		// A group: not a customer's or an owner's conversation, but a
		// participant's opt-out word is theirs (their own thread, where
		// notices and reminders go), confirmed in the group. A
		// participant known only by a linked id (no number) cannot be
		// matched to a thread: the word goes on to the group's flow.
		if business.ParseOpt(m.Body) == business.OptNone || !strings.HasPrefix(m.Sender, "whatsapp:+") {
			return "", false, nil
		}
		return fd.desk.Opt(ctx, m.Sender, m.Body)
	}
	if isIn(fd.owners, m.Thread) {
		reply, ok, err := fd.desk.Owner(ctx, m.Thread, m.Channel+":"+m.ProviderID, m.Body)
		if err != nil {
			return "", true, fmt.Errorf("owner command on %s: %w", thread.Mask(m.Thread), err)
		}
		return reply, ok, nil
	}
	return fd.desk.Opt(ctx, m.Thread, m.Body)
}

// ModelDown implements flows.Desk: a customer's message that closely
// matches an approved FAQ gets its answer.
func (fd *frontDesk) ModelDown(ctx context.Context, th, text string) (string, bool) {
	if isIn(fd.owners, th) {
		return "", false
	}
	answer, ok, err := fd.desk.FAQAnswer(ctx, text)
	if err != nil || !ok {
		return "", false
	}
	return answer, true
}

func isIn(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sourceFlow gives the booking tools the id of the customer message a turn
// answers, so a retried turn books nothing twice.
type sourceFlow struct{ flows.Flow }

func (f sourceFlow) Run(ctx context.Context, th string, turn flows.Turn) (flows.Reply, error) {
	if n := len(turn.Messages); n > 0 {
		last := turn.Messages[n-1]
		ctx = booking.WithSource(ctx, last.Channel+":"+last.ProviderID)
	}
	return f.Flow.Run(ctx, th, turn)
}

// deskOf returns the front desk as the runner's hook, or nil.
func (a *app) deskOf() flows.Desk {
	if a.front == nil {
		return nil
	}
	return a.front
}

// failed records on the booking that its notice or reminder failed for
// good (flows.Runner.OnFailed).
func (a *app) failed(ctx context.Context, out store.Outbound, reason string) {
	if a.front == nil {
		return
	}
	if err := a.front.desk.Failed(ctx, out.Key, reason); err != nil {
		a.log.Warn("could not record a failed notice on its booking", "thread", thread.ID(out.Thread), "key", out.Key, "err", thread.MaskError(out.Thread, err))
	}
}

// frontDeskTick is how often the front desk looks for reminders due and
// notices a crash left unsent.
const frontDeskTick = time.Minute

// periodic is the deployment's periodic work: the front desk's tick,
// every interval (default frontDeskTick; at least a second).
func (a *app) periodic(now func() time.Time, interval time.Duration) []queue.Task {
	if a.front == nil {
		return nil
	}
	if interval <= 0 {
		interval = frontDeskTick
	}
	return []queue.Task{{Name: "frontdesk", Every: interval, Run: func(ctx context.Context) error {
		return a.front.desk.Tick(ctx, now())
	}}}
}

// channelFor names the channel of proactive messages to a thread that
// never wrote in (the others take their last message's channel).
func channelFor(th string) string {
	if strings.HasPrefix(th, "whatsapp:") || strings.HasPrefix(th, "sms:") {
		return twilio.Channel
	}
	return evolution.Channel
}
