package cli

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/checkpoint"
	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	csqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/config"
	"github.com/switchboardhq/switchboard/console"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	spostgres "github.com/switchboardhq/switchboard/store/postgres"
	ssqlite "github.com/switchboardhq/switchboard/store/sqlite"
)

// database is the assistant's database: Postgres when DATABASE_URL is set,
// otherwise the embedded SQLite file.
type database struct {
	dialect migrations.Dialect
	pool    *pgxpool.Pool // Postgres only
	sql     *sql.DB       // SQLite, or Postgres through pgx's adapter
	saver   checkpoint.Saver
}

// openDatabase connects and applies the migrations. An unreachable database
// is an error that says where it tried.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*database, error) {
	d := &database{}
	if cfg.UsesPostgres() {
		pcfg, err := cpostgres.PoolConfig(cfg.DatabaseURL, cfg.PgBouncer)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		sizePool(pcfg, cfg.DatabaseURL, cfg.Workers)
		pool, err := cpostgres.Connect(ctx, pcfg)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		d.dialect, d.pool, d.sql = migrations.Postgres, pool, migrations.OpenPostgres(pool)
		d.saver = cpostgres.New(pool)
	} else {
		if err := writableDir(cfg.DataDir); err != nil {
			return nil, err
		}
		db, err := csqlite.Open(ctx, filepath.Join(cfg.DataDir, csqlite.DefaultFile))
		if err != nil {
			return nil, fmt.Errorf("open the embedded database in ASSISTANT_DATA_DIR=%s: %w", cfg.DataDir, err)
		}
		// River's SQLite driver needs every statement on one connection.
		db.SetMaxOpenConns(1)
		d.dialect, d.sql = migrations.SQLite, db
		d.saver = csqlite.New(db)
	}
	if err := migrations.Up(ctx, d.sql, d.dialect, migrations.WithLogger(log)); err != nil {
		d.Close()
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	return d, nil
}

// poolSpare counts the connections the pool needs besides one per worker:
// River's notifier (a LISTEN that holds its connection), its producer and
// leader election, webhook acknowledgements and the console.
const poolSpare = 4

// sizePool makes room in the pool for every worker (WORKERS) and the
// spares, unless the URL sets pool_max_conns itself. pgx's default (the
// larger of 4 and the CPU count) left a turn waiting for a connection
// whenever more than a couple of threads ran at once.
func sizePool(cfg *pgxpool.Config, url string, workers int) {
	if strings.Contains(url, "pool_max_conns") {
		return
	}
	if n := int32(workers + poolSpare); n > cfg.MaxConns {
		cfg.MaxConns = n
	}
}

// writableDir makes sure the data directory exists and this process can
// write in it (SQLite needs to create its journal files next to the
// database), so that the error names the directory and the user rather
// than SQLite's "unable to open database file".
func writableDir(dir string) error {
	hint := fmt.Sprintf("the embedded database lives there: make it writable by this user (uid %d) or set ASSISTANT_DATA_DIR to another directory (or DATABASE_URL to use Postgres)", os.Geteuid())
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("ASSISTANT_DATA_DIR=%s cannot be created (%w); %s", dir, err, hint)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("ASSISTANT_DATA_DIR=%s cannot be written (%w); %s", dir, err, hint)
	}
	f.Close()
	return os.Remove(f.Name())
}

// noDatabaseError is a read-only command's answer when the embedded
// database does not exist yet: it names the file it looked for.
type noDatabaseError struct{ path, dir string }

func (e *noDatabaseError) Error() string {
	return fmt.Sprintf("no database at %s yet (ASSISTANT_DATA_DIR=%s; DATABASE_URL is unset): nothing is stored until \"assistant serve\" or \"assistant chat\" has run there", e.path, e.dir)
}

// openExistingDatabase opens the database for a command that only reads
// (or erases): unlike openDatabase it never creates the embedded
// database or its directory; a missing one is a *noDatabaseError.
func openExistingDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*database, error) {
	if !cfg.UsesPostgres() {
		path := filepath.Join(cfg.DataDir, csqlite.DefaultFile)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, &noDatabaseError{path: path, dir: cfg.DataDir}
		}
	}
	return openDatabase(ctx, cfg, log)
}

// threadSources are the database's conversations for the threads
// subcommands.
func (d *database) threadSources() threadSources {
	bs, bizErr := bizstore.New(d.sql, d.dialect)
	src := threadSources{
		saver: d.saver,
		wire:  console.NewSQLConversations(d.sql),
		profileName: func(ctx context.Context, thread string) (string, error) {
			var name string
			err := d.sql.QueryRowContext(ctx, `SELECT profile_name FROM inbound_messages
				WHERE thread_id = $1 AND profile_name <> '' ORDER BY id DESC LIMIT 1`, thread).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				return "", nil
			}
			return name, err
		},
	}
	if bizErr == nil {
		src.optedOut = bs.OptedOut
	}
	return src
}

// ready reports whether the database answers and its schema is current.
func (d *database) ready(ctx context.Context) error {
	if err := d.sql.PingContext(ctx); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	return migrations.Check(ctx, d.sql, d.dialect)
}

func (d *database) Close() {
	if d.sql != nil {
		d.sql.Close()
	}
	if d.pool != nil {
		d.pool.Close()
	}
}

// migrateQueue applies River's own migrations.
func migrateQueue(ctx context.Context, db *database) error {
	if db.dialect == migrations.Postgres {
		return spostgres.MigrateRiver(ctx, db.pool)
	}
	return ssqlite.MigrateRiver(ctx, db.sql)
}

// openStore returns the store on db. It inserts its jobs with an
// insert-only River client; the jobs are worked by newWorkers' client.
func openStore(db *database, log *slog.Logger) (store.Store, error) {
	if db.dialect == migrations.Postgres {
		client, err := queue.NewPostgresInserter(db.pool, log)
		if err != nil {
			return nil, err
		}
		return spostgres.New(db.pool, client)
	}
	client, err := queue.NewSQLiteInserter(db.sql, log)
	if err != nil {
		return nil, err
	}
	return ssqlite.New(db.sql, client)
}

// workers runs the queue's jobs between Start and Stop.
type workers interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// newWorkers returns the River client that works the jobs on db.
func newWorkers(db *database, runner queue.ThreadRunner, sender queue.ReplySender, s queue.Settings) (workers, error) {
	if db.dialect == migrations.Postgres {
		return queue.NewPostgresWorkers(db.pool, runner, sender, s)
	}
	return queue.NewSQLiteWorkers(db.sql, runner, sender, s)
}
