// Package setup builds the assistant's calendar from its configuration:
// the local backend on the assistant's database, or Google Calendar, with
// the tools and feed of package calendar on top.
//
//	cfg := appConfig.Tools.Calendar // config.Load reads it
//	cal, err := setup.Open(ctx, cfg, db, logger)
//	all, err := tools.NewSet(append(cal.Tools(), searchTools...)...) // once, at start-up
//	agentCfg.Tools = func(thread string) agent.Toolbox {
//		if cal.Allowed(thread) {
//			return all
//		}
//		return searchOnly
//	}
//	srv.Handle("GET /calendar.ics", cal.FeedHandler())
package setup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/google"
	"github.com/switchboardhq/switchboard/tools/calendar/local"
)

// Open returns the calendar cfg configures. db is the assistant's database
// (SQLite or Postgres through database/sql, migrated); it is used by the
// local provider only and may be nil for google.
func Open(ctx context.Context, cfg calendar.Config, db *sql.DB, logger *slog.Logger) (*calendar.Calendar, error) {
	if logger == nil {
		logger = slog.Default()
	}
	var b calendar.Backend
	switch cfg.Provider {
	case calendar.ProviderGoogle:
		g, err := google.Open(ctx, cfg.Google, cfg.Location, logger, nil)
		if err != nil {
			return nil, err
		}
		b = g
	case calendar.ProviderLocal, "":
		if db == nil {
			return nil, errors.New("calendar: the local calendar needs the database")
		}
		b = local.New(db)
	default:
		return nil, fmt.Errorf("calendar: unknown provider %q", cfg.Provider)
	}
	opts := cfg.Options()
	opts.Logger = logger
	c, err := calendar.New(b, opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}
