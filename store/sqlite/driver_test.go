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

func TestDriver(t *testing.T) {
	drivertest.Run(t, func(t *testing.T) backend.Driver[*sql.Tx] {
		ctx := context.Background()
		db, err := cpsqlite.Open(ctx, filepath.Join(t.TempDir(), cpsqlite.DefaultFile))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		// One connection, as in production: a statement through the
		// *sql.DB inside a transaction would hang the suite.
		db.SetMaxOpenConns(1)
		if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
			t.Fatal(err)
		}
		return driver{db: db}
	})
}
