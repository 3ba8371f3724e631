package privacy_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint"
	cpostgres "github.com/switchboardhq/switchboard/checkpoint/postgres"
	csqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/queue"
	"github.com/switchboardhq/switchboard/store"
	spostgres "github.com/switchboardhq/switchboard/store/postgres"
	ssqlite "github.com/switchboardhq/switchboard/store/sqlite"
)

// env is one database with the stores a deployment opens on it.
type env struct {
	db      *sql.DB
	dialect migrations.Dialect
	saver   checkpoint.Saver
	st      store.Store
}

// eachDB runs fn on a fresh SQLite database and a fresh PostgreSQL one.
func eachDB(t *testing.T, fn func(t *testing.T, e env)) {
	t.Run("sqlite", func(t *testing.T) {
		ctx := context.Background()
		db, err := csqlite.Open(ctx, filepath.Join(t.TempDir(), "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.SetMaxOpenConns(1)
		if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
			t.Fatal(err)
		}
		if err := ssqlite.MigrateRiver(ctx, db); err != nil {
			t.Fatal(err)
		}
		client, err := queue.NewSQLiteInserter(db, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ssqlite.New(db, client)
		if err != nil {
			t.Fatal(err)
		}
		fn(t, env{db: db, dialect: migrations.SQLite, saver: csqlite.New(db), st: st})
	})
	t.Run("postgres", func(t *testing.T) {
		pool := pgtest.New(t)
		if err := spostgres.MigrateRiver(context.Background(), pool); err != nil {
			t.Fatal(err)
		}
		client, err := queue.NewPostgresInserter(pool, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := spostgres.New(pool, client)
		if err != nil {
			t.Fatal(err)
		}
		db := migrations.OpenPostgres(pool)
		t.Cleanup(func() { db.Close() })
		fn(t, env{db: db, dialect: migrations.Postgres, saver: cpostgres.New(pool), st: st})
	})
}

// ts is a time as the dialect stores it.
func (e env) ts(t time.Time) any {
	if e.dialect == migrations.SQLite {
		return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
	}
	return t
}

func (e env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (e env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// tables lists every table of the schema from the database's own catalog,
// so a table added by a later migration is searched too.
func (e env) tables(t *testing.T) []string {
	t.Helper()
	q := `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
	if e.dialect == migrations.SQLite {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1`
	}
	return e.strings(t, q)
}

func (e env) strings(t *testing.T, query string, args ...any) []string {
	t.Helper()
	rows, err := e.db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// mentioning returns the tables with a row whose text (any column) holds
// needle, with how many rows.
func (e env) mentioning(t *testing.T, needle string) map[string]int {
	t.Helper()
	out := map[string]int{}
	like := "%" + needle + "%"
	for _, table := range e.tables(t) {
		var q string
		if e.dialect == migrations.Postgres {
			q = fmt.Sprintf(`SELECT count(*) FROM %q AS r WHERE r::text LIKE $1`, table)
		} else {
			cols := e.strings(t, `SELECT name FROM pragma_table_info($1)`, table)
			conds := make([]string, len(cols))
			for i, c := range cols {
				conds[i] = fmt.Sprintf(`CAST(%q AS TEXT) LIKE $1`, c)
			}
			q = fmt.Sprintf(`SELECT count(*) FROM %q WHERE %s`, table, strings.Join(conds, " OR "))
		}
		if n := e.count(t, q, like); n > 0 {
			out[table] = n
		}
	}
	return out
}
