package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/flows/agent"
)

const consoleUsage = `usage: assistant console user add|rm|list ...

` + console.UserUsage

// runConsole runs "assistant console user ...": the console's accounts,
// in the same database the server uses.
func runConsole(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "user" {
		return fmt.Errorf("console: expected \"user\"\n\n%s", consoleUsage)
	}
	get, err := envWithFile(".env", getenv)
	if err != nil {
		return err
	}
	cfg, err := config.Load(get)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, newLogger(stderr, "warn", cfg.LogFormat))
	if err != nil {
		return err
	}
	defer db.Close()
	return console.UserCommand(ctx, console.NewAccounts(db.sql, 0, nil), args[1:], stdin, stdout, stderr)
}

// newConsole builds the console on the app's database, checkpoints, gym
// store and agent, and the front desk when biz is not nil (console.FrontDesk
// over business/desk), or returns nil, saying so in the log, when password
// (CONSOLE_PASSWORD) is empty. Mount the result at console.Prefix+"/".
// The database's readiness is checked first among checks.
func newConsole(ctx context.Context, a *app, ag *agent.Agent, password string, biz console.Business, usage *console.Usage, checks ...console.Check) (*console.Console, error) {
	if password == "" {
		a.log.Info("console off: set CONSOLE_PASSWORD to sign in at " + console.Prefix + "/")
		return nil, nil
	}
	c, err := console.New(ctx, console.Config{
		DB:           a.db.sql,
		Password:     password,
		PublicURL:    a.cfg.PublicURL,
		Location:     a.cfg.Location,
		Saver:        a.db.saver,
		Lab:          console.AgentLab{Agent: ag},
		Graph:        ag.Graph().Mermaid(),
		Checks:       append([]console.Check{{Name: "Database", Check: a.db.ready}}, checks...),
		Leaderboards: console.GymStore{Store: a.workouts},
		Business:     biz,
		Usage:        usage,
		Logger:       a.log,
	})
	if err != nil {
		return nil, fmt.Errorf("console: %w", err)
	}
	a.log.Info("console on", "url", a.cfg.PublicURL+console.Prefix+"/", "account", console.OwnerAccount)
	return c, nil
}
