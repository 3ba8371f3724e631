package agent_test

import (
	"context"
	"database/sql"

	"github.com/switchboardhq/switchboard/migrations"
)

func migrateSQLite(db *sql.DB) error {
	return migrations.Up(context.Background(), db, migrations.SQLite)
}
