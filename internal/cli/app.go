package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/provider"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/setup"
	"github.com/switchboardhq/switchboard/tools/search"
	"github.com/switchboardhq/switchboard/tools/workout"
)

// app is what serve and chat share: configuration, database, models and
// tools; each command builds its agent on them (buildAgent).
type app struct {
	cfg    config.Config
	getenv func(string) string
	// custom returns the program's own tools (Options.Tools); nil for none.
	custom toolsFunc
	log    *slog.Logger
	db     *database
	models provider.Models
	// modelHint is set when no model is configured: what to set.
	modelHint string
	prompts   *prompts.Set
	// tools are offered on every thread; withCalendar adds the calendar's
	// tools to them, for the threads the calendar allows. Both sets are
	// built once, at start-up.
	tools        *tools.Set
	withCalendar *tools.Set
	calendar     *calendar.Calendar
	owners       []string
	// workouts holds the gym groups' and the personal log_workout tool's
	// workouts.
	workouts *sqlstore.Store
	metrics  *metrics.Registry
	// bizStore is the business's data; front is the front desk, nil
	// without a business profile (business.go); notices carries the
	// desk's proactive messages to the runner once serve built it.
	bizStore *bizstore.Store
	front    *frontDesk
	notices  *notifier
}

// newApp builds everything else from cfg and the environment it was read
// from (only the custom tools read variables of their own). An
// unreachable database is an error; a missing model is not: the assistant
// starts and says what to set.
func newApp(ctx context.Context, cfg config.Config, getenv func(string) string, log *slog.Logger, custom toolsFunc) (*app, error) {
	a := &app{cfg: cfg, getenv: getenv, log: log, metrics: metrics.New(), custom: custom}
	var err error
	a.models, err = provider.New(ctx, cfg.Models, nil)
	var nc *llm.NotConfiguredError
	switch {
	case errors.As(err, &nc):
		a.modelHint = nc.Hint
		log.Warn("no language model configured: the assistant will answer with setup instructions", "hint", nc.Hint)
	case err != nil:
		return nil, err
	default:
		log.Info("language models", "models", a.models.String())
	}
	if a.models.Transcriber == nil && a.models.TranscriberHint != "" && a.modelHint == "" {
		log.Warn("voice notes are off", "hint", a.models.TranscriberHint)
	}
	a.prompts, err = prompts.Load(cfg.PromptsDir, prompts.WithLocation(cfg.Location))
	if err != nil {
		return nil, fmt.Errorf("PROMPTS_DIR: %w", err)
	}
	a.owners = ownerList(cfg)
	a.db, err = openDatabase(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	if err := a.buildTools(ctx); err != nil {
		a.db.Close()
		return nil, err
	}
	if err := a.openFrontDesk(ctx); err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

// buildAgent builds the agent on the given chat model (serve wraps the
// model to time its calls).
func (a *app) buildAgent(model llm.Model) (*agent.Agent, error) {
	return agent.New(agent.Config{
		Model:           model,
		Tools:           a.toolbox,
		System:          a.system,
		Saver:           a.db.saver,
		MaxIterations:   a.cfg.MaxIterations,
		HistoryMessages: a.cfg.HistoryMessages,
		Durability:      durability(a.cfg.Durability),
		Logger:          a.log,
	})
}

func (a *app) Close() {
	if a.db != nil {
		a.db.Close()
	}
}

// ownerList returns the owners' threads: ASSISTANT_OWNERS, and the
// calendar's owners, who are owners too.
func ownerList(cfg config.Config) []string {
	var out []string
	for _, v := range slices.Concat(cfg.Assistant.Owners, cfg.Tools.Calendar.Owners) {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func (a *app) isOwner(thread string) bool { return slices.Contains(a.owners, thread) }

// buildTools assembles the tools this deployment offers. A tool whose
// backend is not configured is not offered at all.
func (a *app) buildTools(ctx context.Context) error {
	shared, err := search.Tools(a.cfg.Tools.Search, nil)
	if err != nil {
		return err
	}
	a.calendar, err = setup.Open(ctx, a.cfg.Tools.Calendar, a.db.sql, a.log)
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	a.workouts = sqlstore.New(a.db.sql)
	wt, err := workout.New(workout.Config{Store: a.workouts, Location: a.cfg.Location, Metrics: a.metrics, Logger: a.log})
	if err != nil {
		return err
	}
	shared = append(shared, wt.Tools()...)
	if a.custom != nil {
		shared = append(shared, a.custom(a.getenv)...)
	}
	if a.tools, err = tools.NewSet(shared...); err != nil {
		return err
	}
	// The calendar's tools unbound: each call acts for the thread of the
	// agent's run, and the calendar checks again that it may.
	if a.withCalendar, err = tools.NewSet(append(a.calendar.Tools(), shared...)...); err != nil {
		return err
	}
	a.tools, a.withCalendar = a.tools.WithLogger(a.log), a.withCalendar.WithLogger(a.log)
	return nil
}

// gymFlow builds the gym groups' pipeline on the same database and models.
func (a *app) gymFlow() (*gymflow.Flow, error) {
	return gymflow.NewFlow(gymflow.Config{
		DB:    a.db.sql,
		Saver: a.db.saver,
		Models: gymflow.Models{
			Classify: a.models.Classify,
			Vision:   a.models.Vision,
			Reply:    a.models.Chat,
		},
		Prompts:   a.prompts,
		Tone:      a.cfg.Gym.Tone,
		Enrolment: gymflow.Enrolment(a.cfg.Gym.Enrolment),
		// RATE_LIMIT_PER_MINUTE counts per member in a gym group: the
		// flow drops one member's excess, not the group's.
		MemberRateLimit: a.cfg.RateLimitPerMinute,
		Location:        a.cfg.Location,
		Metrics:         a.metrics,
		Logger:          a.log,
		Durability:      durability(a.cfg.Durability),
	})
}

// toolbox returns the tools offered on a thread. Whose data a tool touches
// decides who sees it: the local calendar is each sender's own, a Google
// calendar is the owners' only (calendar.Allowed applies that rule).
func (a *app) toolbox(thread string) agent.Toolbox {
	if a.customerThread(thread) {
		return a.customerToolbox()
	}
	if a.front != nil && a.isOwner(thread) {
		return a.front.owner
	}
	if a.calendar.Allowed(thread) {
		return a.withCalendar
	}
	return a.tools
}

func (a *app) system(ctx context.Context, in agent.SystemInput) (string, error) {
	if a.customerThread(in.Thread) {
		return a.customerSystem(ctx, in)
	}
	return a.prompts.System(prompts.SystemData{
		Now:           in.Now,
		AssistantName: a.cfg.Assistant.Name,
		Business:      a.cfg.Assistant.Business,
		Owner:         a.isOwner(in.Thread),
		ProfileName:   in.ProfileName,
		Tools:         in.Tools,
	})
}

func durability(name string) graph.Durability {
	if name == "exit" {
		return graph.DurabilityExit
	}
	return graph.DurabilityStep
}
