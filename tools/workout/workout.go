// Package workout gives the personal assistant two tools over the gym
// store: log_workout records a workout for the user the conversation is
// with, and workout_summary reports their week or month.
//
// The tools apply the rules of the gym group pipeline: the model's
// arguments are normalized (gym.NormalizeActivity) and validated
// (gym.Validate: ranges, no future dates, nothing older than
// gym.MaxAgeDays), and a workout that duplicates one already logged (same
// day, same activity, minutes within ±10%: gym.IsDuplicate) is not stored
// again. The model never writes SQL: it fills typed arguments, Go decides.
//
// Data is per conversation: the workouts of thread T are stored with T as
// both their chat and their member, so a user sees and changes only their
// own log, and the personal log is separate from any gym group's.
package workout

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/tools"
)

// The names of the tools, as the model sees them.
const (
	ToolLog     = "log_workout"
	ToolSummary = "workout_summary"
)

// Results counted by the switchboard_workout_tool_calls_total metric.
const (
	ResultLogged    = "logged"
	ResultDuplicate = "duplicate"
	ResultInvalid   = "invalid"
	ResultOK        = "ok"
	ResultError     = "error"
)

// Config configures the tools.
type Config struct {
	// Store keeps the workouts; required.
	Store *sqlstore.Store
	// Location is the zone dates are read in (ASSISTANT_TIMEZONE); nil
	// means UTC.
	Location *time.Location
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Metrics, when set, gets the counter
	// switchboard_workout_tool_calls_total{tool, result}. Register one
	// Tools per registry.
	Metrics *metrics.Registry
	// Logger receives operational logs (default slog.Default()).
	Logger *slog.Logger
}

// Tools holds the two tools. It is safe for concurrent use.
type Tools struct {
	cfg   Config
	calls *metrics.Counter
	tools []tools.Tool
}

// New returns the tools over cfg.Store.
func New(cfg Config) (*Tools, error) {
	if cfg.Store == nil {
		return nil, errors.New("workout: a store is required")
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	t := &Tools{cfg: cfg}
	if cfg.Metrics != nil {
		t.calls = cfg.Metrics.Counter("workout_tool_calls_total", "Calls of the workout tools by result.", "tool", "result")
	}
	logTool, err := tools.New(ToolLog,
		"Record a workout the user did (one session: activity and duration; optionally the day, distance, sets, reps, calories). "+
			"A workout already logged (same day and activity, similar duration) is not recorded twice; the result says so.",
		t.logWorkout)
	if err != nil {
		return nil, fmt.Errorf("workout: %w", err)
	}
	summaryTool, err := tools.New(ToolSummary,
		"Report the user's logged workouts for this week (Monday to Sunday) or this month: sessions, minutes, active days, current streak and the workouts.",
		t.summary, tools.ReadOnly())
	if err != nil {
		return nil, fmt.Errorf("workout: %w", err)
	}
	t.tools = []tools.Tool{logTool, summaryTool}
	return t, nil
}

// Tools returns the two tools, unbound: each call acts for the thread of
// the graph run it is made in (graph.ThreadFromContext) and fails outside
// one.
func (t *Tools) Tools() []tools.Tool { return append([]tools.Tool(nil), t.tools...) }

// ToolsFor returns the two tools bound to thread: they act on thread's log
// whatever the context says, and refuse a call made in a run of another
// thread.
func (t *Tools) ToolsFor(thread string) []tools.Tool { return tools.Bind(thread, t.tools...) }

// ErrNoThread is returned by a call made outside a run with a thread and
// not bound to one.
var ErrNoThread = tools.ErrNoThread

func (t *Tools) count(tool, result string) {
	if t.calls != nil {
		t.calls.Inc(tool, result)
	}
}

// LogArgs are log_workout's arguments.
type LogArgs struct {
	Activity   string  `json:"activity" jsonschema:"what was trained, in the user's words or as a name: running, cycling, swimming, legs, chest and triceps, yoga..."`
	Minutes    int     `json:"minutes" jsonschema:"duration in whole minutes"`
	Date       string  `json:"date,omitempty" jsonschema:"day of the session as YYYY-MM-DD, or today or yesterday; omit for today"`
	DistanceKm float64 `json:"distance_km,omitempty" jsonschema:"distance in kilometres, when said"`
	Sets       int     `json:"sets,omitempty" jsonschema:"number of sets, when said"`
	Reps       int     `json:"reps,omitempty" jsonschema:"repetitions per set, when said"`
	Calories   int     `json:"calories,omitempty" jsonschema:"energy in kcal, when said"`
}

// WorkoutView is a workout as the model sees it.
type WorkoutView struct {
	Date       string  `json:"date"`
	Activity   string  `json:"activity"`
	Minutes    int     `json:"minutes"`
	DistanceKm float64 `json:"distance_km,omitempty"`
	Sets       int     `json:"sets,omitempty"`
	Reps       int     `json:"reps,omitempty"`
	Calories   int     `json:"calories,omitempty"`
}

func view(w gym.Workout) WorkoutView {
	return WorkoutView{Date: w.Date.String(), Activity: w.Activity, Minutes: w.Minutes,
		DistanceKm: w.DistanceKm, Sets: w.Sets, Reps: w.Reps, Calories: w.Calories}
}

// Totals are a period's totals.
type Totals struct {
	Sessions int `json:"sessions"`
	Minutes  int `json:"minutes"`
}

// LogResult is what log_workout returns.
type LogResult struct {
	// Status is "logged" or "duplicate".
	Status  string      `json:"status"`
	Workout WorkoutView `json:"workout"`
	// AlreadyLogged is the stored workout a duplicate matches.
	AlreadyLogged *WorkoutView `json:"already_logged,omitempty"`
	// Week is the user's week so far, this workout included once.
	Week Totals `json:"week"`
	// Note tells the model what to say.
	Note string `json:"note"`
}

// parseDate parses a date argument: "YYYY-MM-DD", "today", "yesterday", or
// empty (today), in loc at now.
func parseDate(s string, now time.Time, loc *time.Location) (gym.Date, error) {
	today := gym.DateOf(now, loc)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "today", "hoy":
		return today, nil
	case "yesterday", "ayer":
		return today.AddDays(-1), nil
	}
	d, err := gym.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return gym.Date{}, tools.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

func (t *Tools) logWorkout(ctx context.Context, a LogArgs) (LogResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolLog, ResultError)
		return LogResult{}, err
	}
	now := t.cfg.Now()
	activity, ok := gym.NormalizeActivity(a.Activity)
	if !ok {
		t.count(ToolLog, ResultInvalid)
		return LogResult{}, tools.Errorf("unknown activity %q: name the activity with one of %s", a.Activity, strings.Join(gym.Activities(), ", "))
	}
	date, err := parseDate(a.Date, now, t.cfg.Location)
	if err != nil {
		t.count(ToolLog, ResultInvalid)
		return LogResult{}, err
	}
	w := gym.Workout{
		Member: thread, Date: date, Activity: activity, Minutes: a.Minutes,
		DistanceKm: math.Round(a.DistanceKm*100) / 100, Sets: a.Sets, Reps: a.Reps, Calories: a.Calories,
	}
	if err := gym.Validate(w, now, t.cfg.Location, []string{thread}); err != nil {
		t.count(ToolLog, ResultInvalid)
		return LogResult{}, tools.Errorf("not logged: %w", err)
	}
	o, err := t.cfg.Store.Record(ctx, thread, "", w)
	if err != nil {
		t.count(ToolLog, ResultError)
		return LogResult{}, fmt.Errorf("workout: record: %w", err)
	}
	res := LogResult{Status: ResultLogged, Workout: view(w), Note: "Logged. Confirm it to the user with these numbers."}
	if o.Duplicate {
		of := view(o.Of)
		res.Status, res.AlreadyLogged = ResultDuplicate, &of
		res.Note = "Not logged: this workout was already logged (same day and activity, similar duration), so it was not counted again. Tell the user."
	}
	sum, err := t.cfg.Store.Summary(ctx, thread, gym.PeriodWeek, gym.DateOf(now, t.cfg.Location), []string{thread})
	if err != nil {
		t.count(ToolLog, ResultError)
		return LogResult{}, fmt.Errorf("workout: week totals: %w", err)
	}
	if len(sum.Members) > 0 {
		res.Week = Totals{Sessions: sum.Members[0].Sessions, Minutes: sum.Members[0].Minutes}
	}
	t.count(ToolLog, res.Status)
	return res, nil
}

// SummaryArgs are workout_summary's arguments.
type SummaryArgs struct {
	Period string `json:"period,omitempty" jsonschema:"week (Monday to Sunday, the default) or month" enum:"week,month"`
}

// SummaryResult is what workout_summary returns.
type SummaryResult struct {
	Period     string        `json:"period"`
	From       string        `json:"from"`
	To         string        `json:"to"`
	Sessions   int           `json:"sessions"`
	Minutes    int           `json:"minutes"`
	DistanceKm float64       `json:"distance_km,omitempty"`
	Calories   int           `json:"calories,omitempty"`
	ActiveDays int           `json:"active_days"`
	Streak     int           `json:"streak_days"`
	Workouts   []WorkoutView `json:"workouts"`
}

func (t *Tools) summary(ctx context.Context, a SummaryArgs) (SummaryResult, error) {
	thread, err := tools.ThreadOf(ctx)
	if err != nil {
		t.count(ToolSummary, ResultError)
		return SummaryResult{}, err
	}
	p := gym.PeriodWeek
	if a.Period == string(gym.PeriodMonth) {
		p = gym.PeriodMonth
	}
	today := gym.DateOf(t.cfg.Now(), t.cfg.Location)
	sum, err := t.cfg.Store.Summary(ctx, thread, p, today, []string{thread})
	if err != nil {
		t.count(ToolSummary, ResultError)
		return SummaryResult{}, fmt.Errorf("workout: summary: %w", err)
	}
	res := SummaryResult{Period: string(p), From: sum.From.String(), To: sum.To.String(), Workouts: []WorkoutView{}}
	if len(sum.Members) > 0 {
		m := sum.Members[0]
		res.Sessions, res.Minutes, res.DistanceKm, res.Calories = m.Sessions, m.Minutes, m.DistanceKm, m.Calories
		res.ActiveDays, res.Streak = m.ActiveDays, m.Streak
	}
	es, err := t.cfg.Store.Workouts(ctx, thread, thread, sum.From, today)
	if err != nil {
		t.count(ToolSummary, ResultError)
		return SummaryResult{}, fmt.Errorf("workout: summary: %w", err)
	}
	for _, e := range es {
		res.Workouts = append(res.Workouts, view(e.Workout))
	}
	t.count(ToolSummary, ResultOK)
	return res, nil
}
