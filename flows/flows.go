// Package flows runs conversations: it takes a thread's pending inbound
// messages from the store, turns them into one turn (merging a burst,
// transcribing voice notes, reading images), runs the thread's graph — the
// agent, or the gym pipeline for group chats — and records the replies in
// the outbox, from where they are sent once.
//
// Nothing is lost and nothing is doubled:
//   - one process at a time runs a thread: the runner holds the thread's
//     lease in the store, and a job that finds it held snoozes;
//   - the graph's checkpoint records which messages it received (the
//     agent's watermark), so a job retried after a crash never runs a turn
//     twice, and an answer checkpointed but not yet in the outbox is
//     recovered (Reply.Recovered);
//   - replies are keyed in the outbox ("turn:<last message id>"), so
//     recording one twice stores it once, and every sender records each
//     part the channel accepted before sending the next;
//   - the run sends the replies it recorded itself, at once and with no
//     job behind them (store.Store.CompleteHeld); what it does not send
//     goes to send jobs: at once when it gives up, after the hold
//     (SweepHeld) when it dies.
package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
	"github.com/switchboardhq/switchboard/thread"
)

// Sender delivers text on a channel and returns the channel's message id.
type Sender interface {
	Send(ctx context.Context, to, body string) (string, error)
}

// MediaFetcher downloads an attachment.
type MediaFetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, string, error)
}

// Channel is how the runner reaches one messaging channel.
type Channel struct {
	// Sender sends replies; nil sends them to the log (the dev outbox).
	Sender Sender
	// MaxLength is the longest message the channel takes; longer replies
	// are split.
	MaxLength int
	// Media fetches attachments; nil means attachments are not supported.
	Media MediaFetcher
	// Permanent reports whether a send error must not be retried.
	Permanent func(error) bool
	// Window is how long after a user's last message the channel accepts
	// free text from the business (WhatsApp's 24 hours on the Business
	// APIs); 0 means no window (WhatsApp Web through Evolution).
	Window time.Duration
	// Templates sends approved templates, the only messages a windowed
	// channel accepts once the window closed; nil means the channel has
	// none.
	Templates TemplateSender
	// OutsideWindow reports whether a send error is the channel refusing
	// free text outside the window (Twilio's 63016).
	OutsideWindow func(error) bool
}

// TemplateSender sends an approved WhatsApp template: its id (a Twilio
// Content SID) and its variables as a JSON object of strings.
type TemplateSender interface {
	SendTemplate(ctx context.Context, to, contentSID, variables string) (string, error)
}

// DefaultFallback is the reply when the model fails after its retries.
const DefaultFallback = "Sorry, I couldn't process that right now — please try again in a minute."

// DefaultRateLimitNotice is the one notice a sender gets per minute over
// the rate limit.
const DefaultRateLimitNotice = "You're sending messages faster than I can answer. I'll reply to these in a minute."

// Runner processes threads and sends replies; it implements
// queue.ThreadRunner and queue.ReplySender.
type Runner struct {
	// Store is the inbox and outbox; required.
	Store store.Store
	// Agent answers threads not listed in Gym; required.
	Agent Flow
	// Gym, when set, answers the threads for which IsGym reports true.
	Gym   Flow
	IsGym func(thread string) bool
	// Channels by name ("twilio", "evolution"); a message from a channel
	// missing here can still be answered, through the log.
	Channels map[string]Channel
	// Transcriber turns voice notes into text; nil declines them politely.
	Transcriber llm.Transcriber
	// BurstWindow merges messages arriving within it into one turn;
	// BurstMaxWait caps how long a turn waits for a user who keeps typing.
	// GymBurstWindow, when set, is the window of gym threads.
	BurstWindow    time.Duration
	BurstMaxWait   time.Duration
	GymBurstWindow time.Duration
	// RateLimit caps messages per sender per minute; 0 disables it.
	RateLimit int
	// Fallback and RateLimitNotice override the default texts.
	Fallback        string
	RateLimitNotice string
	// Owner names this process in thread leases (default host:pid).
	Owner string
	// LeaseTTL bounds how long a crashed process keeps a thread or a reply
	// (default 30s). Set it to the queue's rescue delay and keep the job
	// timeout shorter: a live run then always ends before its lease lapses,
	// and a dead one's lease has lapsed when its job is rescued.
	LeaseTTL time.Duration
	// LogContent allows message bodies in logs (LOG_MESSAGE_CONTENT), the
	// dev outbox's replies included.
	LogContent bool
	Logger     *slog.Logger
	Metrics    *Metrics
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Voice, when set, speaks replies (flows/voice.go).
	Voice *Voice
	// Desk, when set, makes this a business front desk (flows/frontdesk.go).
	Desk Desk
	// Eraser, when set, answers "delete my data" (flows/erase.go).
	Eraser Eraser
	// Handoff, when set, keeps the assistant silent on threads handed to
	// a person and gives the flow what people wrote (flows/handoff.go).
	Handoff Handoff
	// ChannelFor names the channel proactive messages (Notify) go through
	// to a thread that never wrote in (otherwise they take the channel of
	// its last inbound message).
	ChannelFor func(thread string) string
	// OnFailed, when set, is told of every outbox row that failed for good
	// (a permanent channel error, a closed window without a template), with
	// the reason, so what the row stood for (a booking's notice, a
	// reminder) can record it.
	OnFailed func(ctx context.Context, out store.Outbound, reason string)

	ownerOnce sync.Once
	holders   atomic.Int64
	held      sync.Map // thread → struct{}: holds this process has logged
	holdUntil sync.Map // thread → time.Time: the hold lease this process took, until when
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func (r *Runner) leaseTTL() time.Duration {
	if r.LeaseTTL > 0 {
		return r.LeaseTTL
	}
	return 30 * time.Second
}

// holder names one acquisition of a lease: this process and a counter.
// Leases are re-entrant for their holder, so two jobs of one process must
// not share a name, or both would hold the thread.
func (r *Runner) holder() string {
	return r.owner() + "#" + strconv.FormatInt(r.holders.Add(1), 10)
}

func (r *Runner) owner() string {
	r.ownerOnce.Do(func() {
		if r.Owner == "" {
			host, _ := os.Hostname()
			r.Owner = fmt.Sprintf("%s:%d", host, os.Getpid())
		}
	})
	return r.Owner
}

// retryBusy is how soon a job retries when another process holds the
// thread.
const retryBusy = 250 * time.Millisecond

// RunThread processes the thread's pending messages as one turn.
func (r *Runner) RunThread(ctx context.Context, th string) (time.Duration, error) {
	log := r.log().With("thread", thread.ID(th))
	now := r.now()
	if r.heldHere(th, now) {
		// Another job of this process keeps the sender's hold and will
		// answer every pending message when it ends: end now, before
		// reading them (a flood's jobs would each read the whole flood).
		return 0, nil
	}
	holder := r.holder()
	ok, err := r.Store.AcquireLease(ctx, th, holder, now, r.leaseTTL())
	if err != nil {
		return 0, fmt.Errorf("flows: lease thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	if !ok {
		return retryBusy, nil
	}
	// The turn's replies are recorded with the lease's release (one
	// commit fewer); every other way out of the job releases it here.
	released := false
	defer func() {
		if released {
			return
		}
		if err := r.releaseLease(ctx, th, holder); err != nil {
			log.Warn("release thread lease", "err", thread.MaskError(th, err))
		}
	}()
	pending, err := r.Store.Pending(ctx, th)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	if wait := r.burstWait(th, pending, now); wait > 0 {
		return wait, nil
	}
	more := time.Duration(0)
	if r.window(th) <= 0 && len(pending) > 1 && len(pending) <= MaxTurnMessages {
		// No burst merging: every message is its own turn, in order; this
		// job comes straight back for the next one. A backlog larger than
		// a turn (a flood, a hold that ended) is bounded by boundTurn
		// instead.
		pending, more = pending[:1], time.Millisecond
	}
	pending, skipped, more := r.boundTurn(th, pending, more)
	if wait, held, err := r.rateLimited(ctx, th, pending, now, log); err != nil || held {
		return wait, err
	}
	r.markRead(ctx, pending[len(pending)-1], r.typing(ctx, th), log)
	start := time.Now()
	ids := make([]int64, 0, len(skipped)+len(pending))
	for _, m := range append(skipped, pending...) {
		ids = append(ids, m.ID)
	}
	var skipNote string
	if len(skipped) > 0 {
		skipNote = fmt.Sprintf(noteSkipped, len(skipped)+len(pending), len(pending))
		log.Info("turn bounded; older messages acknowledged without a model call", "skipped", len(skipped), "answered", len(pending))
	}
	last := pending[len(pending)-1]
	// A request to be erased comes before anything else reads the turn.
	pending, replies, erased, err := r.erasure(ctx, th, pending, log)
	if err != nil || erased {
		if err != nil {
			err = fmt.Errorf("flows: thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
		}
		return 0, err
	}
	// The front desk answers owner commands and opt-out words before any
	// model; the rest of the turn goes on to the flow.
	pending, deskReplies, err := r.intercept(ctx, pending)
	if err != nil {
		return 0, fmt.Errorf("flows: thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	replies = append(replies, deskReplies...)
	if len(pending) == 0 {
		pending = nil
	} else {
		last = pending[len(pending)-1]
	}
	in, notes := r.turn(ctx, pending, log)
	if in.Human, err = r.human(ctx, th); err != nil {
		return 0, err
	}
	// A thread handed to a person: its messages are stored, the
	// assistant stays silent (flows/handoff.go).
	if held, outIDs, err := r.handedOver(ctx, th, in, pending, ids, replies, holder, log); err != nil || held {
		released = err == nil
		r.sendAll(ctx, th, outIDs, log)
		return more, err
	}
	if skipNote != "" {
		notes = append(notes, skipNote)
	}
	if len(notes) > 0 {
		replies = append(replies, r.reply(last, "notes:"+strconv.FormatInt(last.ID, 10), strings.Join(notes, "\n")))
	}
	if len(in.Messages) > 0 {
		flow, name := r.flowFor(th)
		res, err := flow.Run(ctx, th, Turn{Input: in, Messages: pending})
		switch {
		case err == nil:
			r.recorded(ctx, th, in.Human, log)
			if res.Recovered != nil {
				replies = append(replies, r.spoken(r.reply(last, turnKey(res.Recovered.Seq), res.Recovered.Text), pending))
			}
			if res.Text != "" {
				replies = append(replies, r.spoken(r.reply(last, turnKey(last.ID), res.Text), pending))
			}
			r.Metrics.run(name, "ok", start, res)
			log.Info("turn answered", "flow", name, "messages", len(pending), "tool_calls", res.ToolCalls,
				"input_tokens", res.Usage.InputTokens, "output_tokens", res.Usage.OutputTokens,
				"capped", res.Capped, "duration_ms", time.Since(start).Milliseconds())
		case ctx.Err() != nil || !answerable(err):
			// Shutdown, a job timeout or storage trouble: retry the job; the
			// checkpoint keeps whatever progress was made.
			r.Metrics.run(name, "retry", start, Reply{})
			return 0, fmt.Errorf("flows: thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
		default:
			r.Metrics.run(name, "fallback", start, Reply{})
			log.Error("model failed; sending the fallback reply", "flow", name, "err", thread.MaskError(th, err))
			text := r.modelDown(ctx, th, pending, err)
			r.record(ctx, flow, th, text, log)
			replies = append(replies, r.spoken(r.reply(last, "fallback:"+strconv.FormatInt(last.ID, 10), text), pending))
		}
	}
	outIDs, err := r.Store.CompleteHeld(ctx, th, ids, replies, holder)
	if err != nil {
		return 0, fmt.Errorf("flows: complete thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	released = true
	r.sendAll(ctx, th, outIDs, log)
	return more, nil
}

// sendHold is how long a reply the run recorded stays its run's to send
// (store.Store.CompleteHeld) before SweepHeld gives it to a send job:
// longer than the run can still be sending it (its job's timeout is
// shorter than the lease's TTL, and recording a part is retried for half
// of it).
func (r *Runner) sendHold() time.Duration { return 2 * r.leaseTTL() }

// SweepHeld gives a send job to every reply a run recorded more than the
// hold ago and never sent: its process died in between. Run it every few
// seconds (the "held_replies" maintenance task); it returns how many it
// found.
func (r *Runner) SweepHeld(ctx context.Context) (int, error) {
	return r.Store.SweepHeld(ctx, r.now().Add(-r.sendHold()))
}

// sendAll sends the replies ids the run just recorded with CompleteHeld,
// now and in order. They have no send job and nothing else sends them, so
// no lease is needed: two commits fewer per reply, and no job to insert,
// fetch and complete. A reply that does not go now (a failure, an older
// reply of the thread still pending) and the ones after it are handed to
// send jobs, which retry them with backoff, in order; a crash leaves them
// to SweepHeld once the hold has passed.
func (r *Runner) sendAll(ctx context.Context, th string, ids []int64, log *slog.Logger) {
	for i, id := range ids {
		again, err := r.sendReply(ctx, id)
		if err == nil && again == 0 {
			continue
		}
		if err != nil {
			log.Warn("reply not sent yet; its job will retry", "outbox_id", id, "err", thread.MaskError(th, err))
		}
		rest := ids[i:]
		if err := persist(ctx, r.leaseTTL()/2, func(ctx context.Context) error {
			return r.Store.HandOver(ctx, rest...)
		}); err != nil {
			log.Warn("replies left to the sweep of held replies", "outbox_ids", rest, "hold", r.sendHold(), "err", thread.MaskError(th, err))
		}
		return
	}
}

// answerable reports whether err is the model failing (after its own
// retries), which the user hears about as the fallback reply, rather than
// trouble a retry of the whole job can fix.
func answerable(err error) bool {
	var nc *llm.NotConfiguredError
	return errors.Is(err, ErrModel) || errors.Is(err, graph.ErrStepLimit) || errors.As(err, &nc)
}

func turnKey(seq int64) string { return "turn:" + strconv.FormatInt(seq, 10) }

func (r *Runner) flowFor(th string) (Flow, string) {
	if r.Gym != nil && r.IsGym != nil && r.IsGym(th) {
		return r.Gym, "gym"
	}
	return r.Agent, "agent"
}

func (r *Runner) reply(to store.Inbound, key, body string) store.Outbound {
	return store.Outbound{Thread: to.Thread, Channel: to.Channel, To: to.From, Key: key, Body: body, Status: store.StatusPending}
}

// NotConfiguredReply is the reply when no model is configured at all. It
// tells the user nothing of the setup: what the owner must set is in the
// log line of the turn.
const NotConfiguredReply = "Sorry, I can't answer messages yet. Please try again later."

// fallbackFor is the reply when the model failed: the configured text, or
// NotConfiguredReply when no model is configured at all.
func (r *Runner) fallbackFor(err error) string {
	var nc *llm.NotConfiguredError
	if errors.As(err, &nc) {
		return NotConfiguredReply
	}
	if r.Fallback != "" {
		return r.Fallback
	}
	return DefaultFallback
}

// record adds a reply the flow did not give (the fallback) to the flow's
// history, so the model sees next what the user saw. It is best effort: the
// user gets the reply either way, and a failure is logged.
func (r *Runner) record(ctx context.Context, flow Flow, th, text string, log *slog.Logger) {
	rec, ok := flow.(Recorder)
	if !ok {
		return
	}
	if err := rec.Record(ctx, th, text); err != nil {
		log.Warn("fallback reply not added to the history", "err", thread.MaskError(th, err))
	}
}

// burstWait returns how long to wait for more messages: until the burst
// window after the newest message closes, but never past BurstMaxWait after
// the oldest.
// window is the thread's burst window.
func (r *Runner) window(th string) time.Duration {
	if _, name := r.flowFor(th); name == "gym" && r.GymBurstWindow > 0 {
		return r.GymBurstWindow
	}
	return r.BurstWindow
}

func (r *Runner) burstWait(th string, pending []store.Inbound, now time.Time) time.Duration {
	window := r.window(th)
	if window <= 0 {
		return 0
	}
	due := pending[len(pending)-1].ReceivedAt.Add(window)
	if r.BurstMaxWait > 0 {
		if capAt := pending[0].ReceivedAt.Add(r.BurstMaxWait); capAt.Before(due) {
			due = capAt
		}
	}
	if wait := due.Sub(now); wait > 0 {
		return max(wait, 10*time.Millisecond)
	}
	return 0
}

// rateLimited holds the thread's pending messages while its sender is over
// the limit, with one notice per minute. One job keeps the hold (see
// holdThread); the jobs of further held messages end at once, so a flood
// costs one recheck per holdRecheck, not one per message.
// It reports held when the job must end here, to run again after wait
// when that is positive.
func (r *Runner) rateLimited(ctx context.Context, th string, pending []store.Inbound, now time.Time, log *slog.Logger) (wait time.Duration, held bool, err error) {
	if r.RateLimit <= 0 {
		return 0, false, nil
	}
	if flow, _ := r.flowFor(th); flow != nil {
		if ml, ok := flow.(MemberLimiter); ok && ml.MemberLimit() > 0 {
			return 0, false, nil // counted per member by the flow
		}
	}
	n, err := r.Store.CountReceived(ctx, th, now.Add(-time.Minute))
	if err != nil || n <= r.RateLimit {
		if err == nil {
			r.held.Delete(th)
		}
		return 0, false, err
	}
	wait, err = r.holdThread(ctx, th, pending, now, n, log)
	return wait, true, err
}
