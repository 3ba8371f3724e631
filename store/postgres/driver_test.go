package postgres

import (
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/store/internal/backend"
	"github.com/switchboardhq/switchboard/store/internal/backend/drivertest"
)

func TestDriver(t *testing.T) {
	drivertest.Run(t, func(t *testing.T) backend.Driver[pgx.Tx] {
		return driver{pool: pgtest.New(t)}
	})
}
