package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	cpsqlite "github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/store/internal/backend"
	"github.com/switchboardhq/switchboard/store/internal/backend/drivertest"
)

// OpenTestDB opens a migrated database file of the test's own (without
// River's tables), limited to one connection as in production: a statement
// through the *sql.DB inside a transaction would hang the test. It is
// exported for this package's external tests.
func OpenTestDB(t *testing.T) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := cpsqlite.Open(ctx, filepath.Join(t.TempDir(), cpsqlite.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestDriver(t *testing.T) {
	drivertest.Run(t, func(t *testing.T) backend.Driver[*sql.Tx] {
		return driver{db: OpenTestDB(t)}
	})
}
