package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/switchboardhq/switchboard/migrations"
)

// migrate applies the migrations and reports the schema version. Serve
// applies them at start-up too; this is for deploy pipelines.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	_, cfg, err := commandEnv(fs, args, getenv)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, newLogger(stderr, cfg.LogLevel, cfg.LogFormat))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := migrateQueue(ctx, db); err != nil {
		return err
	}
	rep, err := migrations.Status(ctx, db.sql, db.dialect)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s schema at version %d (%d migrations applied)\n", databaseKind(cfg), rep.Latest, len(rep.Applied))
	return nil
}
