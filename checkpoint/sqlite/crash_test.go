package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/checkpointtest"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/migrations"
)

func TestMain(m *testing.M) {
	checkpointtest.CrashChild(openSaver)
	os.Exit(m.Run())
}

func openSaver(ctx context.Context, path string) (checkpoint.Saver, func(), error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	return sqlite.New(db), func() { db.Close() }, nil
}

func TestCrashAtEveryBoundary(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data", sqlite.DefaultFile)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	err = migrations.Up(ctx, db, migrations.SQLite)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	checkpointtest.Crash(t, path, openSaver)
}
