package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/flows/agent"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/llm/provider"
	"github.com/switchboardhq/switchboard/prompts"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/search"
)

// app is what serve and chat share: configuration, database, models and
// the agent built on them.
type app struct {
	cfg    config.Config
	getenv func(string) string
	log    *slog.Logger
	db     *database
	models provider.Models
	// modelHint is set when no model is configured: what to set.
	modelHint string
	prompts   *prompts.Set
	tools     *tools.Set
	owners    []string
	agent     *agent.Agent
}

// newApp loads everything from the environment. Bad configuration and an
// unreachable database are errors; a missing model is not: the assistant
// starts and says what to set.
func newApp(ctx context.Context, getenv func(string) string, log *slog.Logger) (*app, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, getenv: getenv, log: log}
	a.models, err = provider.Load(ctx, getenv, nil)
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
	a.owners = ownerList(getenv)
	a.tools, err = a.buildTools()
	if err != nil {
		return nil, err
	}
	a.db, err = openDatabase(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	a.agent, err = agent.New(agent.Config{
		Model:           a.models.Chat,
		Tools:           a.toolbox,
		System:          a.system,
		Saver:           a.db.saver,
		MaxIterations:   cfg.MaxIterations,
		HistoryMessages: cfg.HistoryMessages,
		Logger:          log,
	})
	if err != nil {
		a.db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) Close() {
	if a.db != nil {
		a.db.Close()
	}
}

// ownerList reads the owners' threads: ASSISTANT_OWNERS, and the calendar's
// owners, who are owners too.
func ownerList(getenv func(string) string) []string {
	var out []string
	for _, name := range []string{"ASSISTANT_OWNERS", "CALENDAR_OWNERS"} {
		for _, v := range strings.Split(getenv(name), ",") {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func (a *app) isOwner(thread string) bool { return slices.Contains(a.owners, thread) }

// buildTools assembles the tools this deployment offers. A tool whose
// backend is not configured is not offered at all.
func (a *app) buildTools() (*tools.Set, error) {
	scfg, err := search.ConfigFromEnv(a.getenv)
	if err != nil {
		return nil, err
	}
	all, err := search.Tools(scfg, nil)
	if err != nil {
		return nil, err
	}
	return tools.NewSet(all...).WithLogger(a.log), nil
}

// toolbox returns the tools offered on a thread: private tools only to
// the owners.
func (a *app) toolbox(thread string) agent.Toolbox {
	return a.tools
}

func (a *app) system(ctx context.Context, in agent.SystemInput) (string, error) {
	return a.prompts.System(prompts.SystemData{
		Now:           in.Now,
		AssistantName: a.getenv("ASSISTANT_NAME"),
		Business:      a.getenv("BUSINESS_NAME"),
		Owner:         a.isOwner(in.Thread),
		ProfileName:   in.ProfileName,
		Tools:         in.Tools,
	})
}
