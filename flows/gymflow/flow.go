// Package gymflow is the gym pipeline: the flow that runs a WhatsApp group
// where friends log their workouts. It is a graph on package graph whose
// edges are fixed in code; no model decides what happens next.
//
//	START → receive → vision → classify → extract → validate → dedupe → insert → correct → summary → reply → END
//
// (receive ends the run when every message was handled before, and goes
// straight to reply when every new one was over a member's rate limit;
// classify goes straight to correct, summary or reply when nothing is a
// workout log.)
//
//   - receive takes the turn's new messages (the runner already merged the
//     burst and transcribed voice notes), drops a member's messages past
//     Config.MemberRateLimit in a minute (one notice per minute; see Rate),
//     and groups the rest by member;
//   - vision reads photos (a watch or app summary) with the vision model,
//     which answers a typed summary (JSON schema), never free text;
//   - classify says, per message, whether it logs a workout, asks for a
//     summary or for what someone logged, undoes or corrects the sender's
//     last log, or is something else (Flow.Read: the rules decide what
//     they are sure of, gym.Judge; the classify model reads the rest as
//     typed output, and Go refuses a log someone else did, that was not
//     done, or that is in the future);
//   - extract turns a log into typed workouts with the rules (gym.Extract);
//     when they cannot decide, the extract model answers JSON that Go
//     normalizes and validates, retried once when invalid; after that the
//     member is asked to rephrase;
//   - validate applies gym.Validate: ranges, no future dates, nothing older
//     than gym.MaxAgeDays, a known member (see Enrolment);
//   - dedupe refuses a workout that repeats one already stored (same
//     member, day and activity, minutes within ±10%, or the same source
//     message: gym.IsDuplicate), or one logged earlier in the same turn;
//   - insert stores the new workouts with parameterized SQL
//     (gym/sqlstore), unique on their source message id;
//   - correct applies "undo", "borra el último", "that was 40 not 45",
//     "era pádel, no tenis" to the sender's last log within
//     CorrectionWindow (remembered in the checkpoint), and only theirs;
//   - summary computes the week's or month's leaderboard in SQL, or reads
//     a member's stored workouts for "how did Ana do this month?" and
//     "what did I log yesterday?";
//   - reply writes the answer: the persona (prompts' gym_reply.tmpl,
//     sarcastic unless configured) through the reply model, checked to
//     carry the numbers it must confirm, or a plain text when the model is
//     unavailable. Banter gets no reply: the bot speaks when it logged,
//     refused, needs a rephrase, or was asked for a summary.
//
// The flow works with no model at all: the rules handle the common forms,
// photos are answered with a request to type the workout, and replies are
// the plain texts.
//
// A retried turn is harmless. The thread's checkpoint keeps a watermark
// (the highest inbox id answered) and the last reply: messages at or below
// the watermark are skipped, and an answer given but perhaps never
// delivered is returned again (flows.Reply.Recovered, or Text when the
// whole turn was answered before). A run that died after inserting but
// before its checkpoint is run again from the start: its workouts meet
// their own source message ids in the store and are reported as logged,
// with the stored values, not as duplicates and not inserted twice.
package gymflow

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/thread"
)

// Tones the plain replies know; the reply template may know more.
const (
	ToneSarcastic = "sarcastic"
	ToneFriendly  = "friendly"
)

// Enrolment says who is a known member of a gym chat, whose workouts the
// flow records.
type Enrolment string

const (
	// EnrolOpen (the default): whoever logs a workout or asks for a
	// summary in the chat becomes a member the first time they do, and
	// their display name follows their latest push name. In a WhatsApp
	// group only participants can post, so everyone who posts is known.
	EnrolOpen Enrolment = "open"
	// EnrolListed: only members already in the chat's member list
	// (gym_members, managed with sqlstore.Store.AddMember) are known; a
	// log from anyone else is refused with a reply saying so. Their names
	// still follow their push names.
	EnrolListed Enrolment = "listed"
)

// Models are the models the flow may consult. Each may be nil, or fail
// with *llm.NotConfiguredError: the flow then uses only its rules and
// plain replies.
type Models struct {
	// Classify classifies messages the rules call "other" although they
	// carry numbers (a JSON-schema answer).
	Classify llm.Model
	// Extract reads workouts the rules cannot (a JSON-schema answer); nil
	// means Classify.
	Extract llm.Model
	// Vision reads photos (a JSON-schema answer about the image).
	Vision llm.Model
	// Reply writes the persona's replies to logs.
	Reply llm.Model
}

// Config configures a Flow.
type Config struct {
	// DB holds the workouts (migrated; SQLite or Postgres); required.
	DB *sql.DB
	// Saver checkpoints the threads; nil keeps them in memory.
	Saver checkpoint.Saver
	// Models are the optional models.
	Models Models
	// Prompts renders the reply instructions (gym_reply.tmpl); nil means
	// plain replies only.
	Prompts *prompts.Set
	// Tone is the persona: "sarcastic" (the default) or "friendly"; the
	// reply template may know more tones, the plain replies treat unknown
	// ones as friendly.
	Tone string
	// Enrolment says who is a known member (default EnrolOpen).
	Enrolment Enrolment
	// MonthFirst reads "03/12" as March 12.
	MonthFirst bool
	// Location is the group's time zone for dates; nil means the Prompts'
	// location, or UTC.
	Location *time.Location
	// Clock is the time (default time.Now).
	Clock func() time.Time
	// Metrics, when set, gets the flow's counters (see NewFlow). Register
	// one Flow per registry.
	Metrics *metrics.Registry
	// Logger receives operational logs (default slog.Default()); message
	// text is never logged.
	Logger *slog.Logger
	// MemberRateLimit caps the messages read from each member of a chat
	// per minute (see Rate); the excess is dropped with one notice per
	// minute. 0 reads everything. A runner that limits per thread should
	// leave a chat with this limit to the flow (flows.MemberLimiter), or
	// one noisy member holds the whole group.
	MemberRateLimit int
	// Durability says when a turn is checkpointed (graph.DurabilityStep by
	// default). The flow is correct with either.
	Durability graph.Durability
}

// Flow is the gym pipeline. It implements flows.Flow. It is safe for
// concurrent use on different threads; callers run one turn per thread at
// a time.
type Flow struct {
	cfg     Config
	store   *sqlstore.Store
	metrics *flowMetrics
	graph   *graph.Compiled[State]
}

// Answer is a reply the flow gave, recorded in the checkpoint.
type Answer struct {
	// Seq is the highest inbox id the reply answered.
	Seq int64
	// Text is the reply.
	Text string
}

// State is the gym flow's state. Only Watermark, LastReply, Recent and
// Rates are checkpointed: the rest lives for one run.
type State struct {
	// Watermark is the highest inbox id handled.
	Watermark int64
	// LastReply is the last non-empty reply given.
	LastReply Answer
	// Recent is each member's last log within CorrectionWindow, which an
	// "undo" or a correction changes.
	Recent map[string]Logged
	// Rates are each member's message counts in the current minute (see
	// Config.MemberRateLimit).
	Rates map[string]Rate

	// Inbox is the turn's messages, as the flow received them.
	Inbox []Message `graph:"-"`
	// Skipped lists the inbox ids handled by an earlier run.
	Skipped []int64 `graph:"-"`
	// Earlier is the reply an earlier run gave to the last skipped
	// message, when it gave one: the caller may never have delivered it.
	Earlier *Answer `graph:"-"`
	// Notices are the rate-limit notices of the turn (see Rate).
	Notices []string `graph:"-"`
	// Posts are the new messages grouped by member, enriched by each node.
	Posts []Post `graph:"-"`
	// Week and Month are the summaries computed for the reply.
	Week  *gym.Summary `graph:"-"`
	Month *gym.Summary `graph:"-"`
	// Names maps member ids to display names.
	Names map[string]string `graph:"-"`
	// Reply is this turn's reply ("" for none); Handled is the highest
	// inbox id of the turn.
	Reply   string `graph:"-"`
	Handled int64  `graph:"-"`
}

// Message is one inbound message of a turn.
type Message struct {
	// Seq is the inbox id.
	Seq int64
	// Source identifies the message for the workouts it yields
	// ("<channel>:<provider id>", or "inbox:<id>").
	Source string
	Member string
	Name   string
	Text   string
	// Images are data URLs (or https URLs) of attached photos.
	Images []string
	SentAt time.Time
}

// Post is what one member said in a turn (their messages, in order), and
// what the pipeline made of it.
type Post struct {
	Member   string
	Name     string
	Messages []Message
	// Kinds is each message's kind; Read what the rules (or the classify
	// model) made of it.
	Kinds []gym.Kind
	Read  []Reading
	// Requests are the questions about one member's workouts ("how did
	// Ana do this month?"); Answers are the replies to them.
	Requests []gym.Request
	Answers  []string
	// Corrections are the undos and corrections the member asked for;
	// Fixes say what became of them.
	Corrections []gym.Correction
	Fixes       []string
	// Photos are the vision model's readings of the images.
	Photos []Photo
	// PhotoUnread counts images no model could read.
	PhotoUnread int
	// Log is true when the post logs workouts; Summary names the period
	// asked about, if any.
	Log     bool
	Summary gym.Period
	// Items are the workouts found, with what became of each.
	Items []Item
	// Problem, when set, is why nothing could be read: the member is
	// asked to rephrase.
	Problem error
}

// Status says what became of a workout.
type Status string

// The statuses of an Item.
const (
	StatusPending   Status = ""          // extracted, not yet decided
	StatusInvalid   Status = "invalid"   // refused by validation
	StatusDuplicate Status = "duplicate" // already logged: not stored
	StatusRecorded  Status = "recorded"  // stored by an earlier run of this turn
	StatusInserted  Status = "inserted"  // stored now
	StatusDropped   Status = "dropped"   // a photo repeating the text: silent
)

// Item is one workout of a post.
type Item struct {
	Workout gym.Workout
	// FromPhoto is true for a workout read from a photo.
	FromPhoto bool
	Status    Status
	// Err is the validation error of an invalid workout.
	Err error
	// Of is the stored workout a duplicate (or a recorded one) matches.
	Of gym.Workout
}

// counted reports whether the item is (now) in the store as this post's.
func (it Item) counted() bool { return it.Status == StatusInserted || it.Status == StatusRecorded }

const (
	nodeReceive  = "receive"
	nodeVision   = "vision"
	nodeClassify = "classify"
	nodeExtract  = "extract"
	nodeValidate = "validate"
	nodeDedupe   = "dedupe"
	nodeInsert   = "insert"
	nodeCorrect  = "correct"
	nodeSummary  = "summary"
	nodeReply    = "reply"
)

// NewFlow builds the gym flow. With cfg.Metrics it registers
// gym_runs_total{result} (ok, skipped, error), gym_workouts_total{result}
// (inserted, duplicate, invalid, recorded), gym_rephrase_total and
// gym_model_calls_total{step,result}.
func NewFlow(cfg Config) (*Flow, error) {
	if cfg.DB == nil {
		return nil, errors.New("gym flow: a database is required")
	}
	if cfg.Tone == "" {
		cfg.Tone = ToneSarcastic
	}
	switch cfg.Enrolment {
	case "":
		cfg.Enrolment = EnrolOpen
	case EnrolOpen, EnrolListed:
	default:
		return nil, fmt.Errorf("gym flow: unknown enrolment %q (want %q or %q)", cfg.Enrolment, EnrolOpen, EnrolListed)
	}
	if cfg.Location == nil {
		if cfg.Prompts != nil {
			cfg.Location = cfg.Prompts.Location()
		} else {
			cfg.Location = time.UTC
		}
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Models.Extract == nil {
		cfg.Models.Extract = cfg.Models.Classify
	}
	f := &Flow{cfg: cfg, store: sqlstore.New(cfg.DB), metrics: newFlowMetrics(cfg.Metrics)}
	opts := []graph.CompileOption{
		graph.WithStepLimit(12), graph.WithDurability(cfg.Durability),
		// Only insert and correct write outside the state (and insert is
		// idempotent by message id): the steps before them are stored
		// with theirs, in one write; a crash re-runs at most the reading
		// of the messages.
		graph.WithSyncAfter(nodeInsert, nodeCorrect),
	}
	if cfg.Saver != nil {
		opts = append(opts, graph.WithSaver(cfg.Saver))
	}
	g, err := graph.New[State]().
		AddNode(nodeReceive, f.receive).
		AddNode(nodeVision, f.vision).
		AddNode(nodeClassify, f.classify).
		AddNode(nodeExtract, f.extract).
		AddNode(nodeValidate, f.validate).
		AddNode(nodeDedupe, f.dedupe).
		AddNode(nodeInsert, f.insert).
		AddNode(nodeCorrect, f.correct).
		AddNode(nodeSummary, f.summary).
		AddNode(nodeReply, f.reply).
		AddEdge(graph.START, nodeReceive).
		AddConditionalEdges(nodeReceive, afterReceive, nodeVision, nodeReply, graph.END).
		AddEdge(nodeVision, nodeClassify).
		AddConditionalEdges(nodeClassify, afterClassify, nodeExtract, nodeCorrect, nodeSummary, nodeReply).
		AddEdge(nodeExtract, nodeValidate).
		AddEdge(nodeValidate, nodeDedupe).
		AddEdge(nodeDedupe, nodeInsert).
		AddEdge(nodeInsert, nodeCorrect).
		AddEdge(nodeCorrect, nodeSummary).
		AddEdge(nodeSummary, nodeReply).
		AddEdge(nodeReply, graph.END).
		Compile(opts...)
	if err != nil {
		return nil, fmt.Errorf("gym flow: %w", err)
	}
	f.graph = g
	return f, nil
}

// MemberLimit reports the per-member rate limit (flows.MemberLimiter): with
// one set, the runner leaves the gym chats' limits to the flow.
func (f *Flow) MemberLimit() int { return f.cfg.MemberRateLimit }

// Graph returns the compiled graph, for inspection (Mermaid, State).
func (f *Flow) Graph() *graph.Compiled[State] { return f.graph }

// Store returns the workout store the flow writes to.
func (f *Flow) Store() *sqlstore.Store { return f.store }

func afterReceive(ctx context.Context, s State) ([]string, error) {
	switch {
	case len(s.Posts) == 0 && s.Handled == 0:
		return []string{graph.END}, nil // every message was handled before
	case len(s.Posts) == 0:
		return []string{nodeReply}, nil // every new message was over a limit: move the watermark past them
	}
	return []string{nodeVision}, nil
}

func afterClassify(ctx context.Context, s State) ([]string, error) {
	logs, summaries, corrections := false, false, false
	for _, p := range s.Posts {
		logs = logs || p.Log
		summaries = summaries || p.Summary != "" || len(p.Requests) > 0
		corrections = corrections || len(p.Corrections) > 0
	}
	switch {
	case logs:
		return []string{nodeExtract}, nil
	case corrections:
		return []string{nodeCorrect}, nil
	case summaries:
		return []string{nodeSummary}, nil
	}
	return []string{nodeReply}, nil
}

// usageKey carries a run's usage meter in its context.
type usageKey struct{}

// Run answers a turn of the gym chat thread (flows.Flow). The reply is in
// Text ("" when the turn needs none). Errors are storage or context
// failures, worth retrying; model failures never fail a turn.
func (f *Flow) Run(ctx context.Context, th string, turn flows.Turn) (flows.Reply, error) {
	in, err := messages(th, turn)
	if err != nil {
		return flows.Reply{}, err
	}
	if len(in) == 0 {
		return flows.Reply{}, nil
	}
	meter := &llm.UsageMeter{}
	ctx = context.WithValue(ctx, usageKey{}, meter)
	res, err := f.graph.Invoke(ctx, State{Inbox: in}, graph.Thread(th))
	if err != nil {
		f.metrics.run("error")
		return flows.Reply{}, fmt.Errorf("gym flow: thread %s: %w", thread.Mask(th), thread.MaskError(th, err))
	}
	s := res.State
	r := flows.Reply{CheckpointID: res.CheckpointID, Text: s.Reply}
	r.Usage, _ = meter.Total()
	if len(s.Skipped) == 0 {
		f.metrics.run("ok")
		return r, nil
	}
	// Some or all of the messages were handled by an earlier run, whose
	// reply may never have been delivered.
	f.metrics.run("skipped")
	switch {
	case s.Earlier == nil:
	case len(s.Skipped) == len(in):
		r.Text = s.Earlier.Text // the same turn again: the same reply, keyed the same
	default:
		r.Recovered = &flows.Recovered{Seq: s.Earlier.Seq, Text: s.Earlier.Text}
	}
	return r, nil
}
