package postgres_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/checkpointtest"
	"github.com/switchboardhq/switchboard/checkpoint/postgres"
	"github.com/switchboardhq/switchboard/internal/pgtest"
)

func TestMain(m *testing.M) {
	checkpointtest.CrashChild(openSaver)
	os.Exit(m.Run())
}

func openSaver(ctx context.Context, url string) (checkpoint.Saver, func(), error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, nil, err
	}
	return postgres.New(pool), pool.Close, nil
}

func TestCrashAtEveryBoundary(t *testing.T) {
	checkpointtest.Crash(t, pgtest.URL(t), openSaver)
}
