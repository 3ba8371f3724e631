package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/checkpoint"
	"github.com/switchboardhq/switchboard/checkpoint/checkpointtest"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/migrations"
)

// newDB opens a migrated database file of the test's own.
func newDB(t testing.TB) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "data", sqlite.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	db := newDB(t)
	checkpointtest.Run(t, func(t *testing.T) checkpoint.Saver { return sqlite.New(db) })
}

// TestConformanceOneConnection runs the suite on a database limited to one
// open connection, as River's SQLite driver needs.
func TestConformanceOneConnection(t *testing.T) {
	db := newDB(t)
	db.SetMaxOpenConns(1)
	checkpointtest.Run(t, func(t *testing.T) checkpoint.Saver { return sqlite.New(db) })
}

func put(t testing.TB, s checkpoint.Saver, thread, parent string, step, lens int, app ...string) checkpoint.Checkpoint {
	t.Helper()
	cp := checkpoint.Checkpoint{
		ThreadID: thread, ID: checkpoint.NewID(), ParentID: parent, Step: step, Version: 1,
		Values:  map[string][]byte{"count": []byte(fmt.Sprint(step))},
		LogLens: map[string]int{"messages": lens},
	}
	var entries [][]byte
	for _, a := range app {
		entries = append(entries, []byte(a))
	}
	if err := s.Put(context.Background(), cp, map[string][][]byte{"messages": entries}); err != nil {
		t.Fatalf("Put step %d: %v", step, err)
	}
	return cp
}

func TestConflictManyWriters(t *testing.T) {
	ctx := context.Background()
	s := sqlite.New(newDB(t))
	const writers, rounds = 32, 3
	thread := "whatsapp:+15550000001"
	head := put(t, s, thread, "", 0, 1, `"hello"`)
	for round := 1; round <= rounds; round++ {
		var (
			wg   sync.WaitGroup
			errs = make([]error, writers)
			cps  = make([]checkpoint.Checkpoint, writers)
		)
		start := make(chan struct{})
		for w := range writers {
			cps[w] = checkpoint.Checkpoint{ThreadID: thread, ID: checkpoint.NewID(), ParentID: head.ID, Step: round,
				LogLens: map[string]int{"messages": head.LogLens["messages"] + 1}}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[w] = s.Put(ctx, cps[w], map[string][][]byte{"messages": {[]byte(fmt.Sprintf(`{"w":%d}`, w))}})
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		for w, err := range errs {
			switch {
			case err == nil:
				winners++
				head = cps[w]
			case !errors.Is(err, checkpoint.ErrConflict):
				t.Fatalf("round %d: loser got %v, want ErrConflict", round, err)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d winners", round, winners)
		}
	}
}

func TestDeleteThreadLeavesNoRows(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	s := sqlite.New(db)
	const thread, other = "whatsapp:+15550000002", "whatsapp:+15550000003"
	a := put(t, s, thread, "", 0, 2, `"a"`, `"b"`)
	b := put(t, s, thread, a.ID, 1, 3, `"c"`)
	if _, err := s.Fork(ctx, thread, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.PutWrites(ctx, thread, b.ID, []checkpoint.Write{{Node: "n", Kind: checkpoint.WriteUpdate}}); err != nil {
		t.Fatal(err)
	}
	put(t, s, other, "", 0, 1, `"keep"`)

	rows, err := db.QueryContext(ctx, `SELECT m.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
		WHERE m.type = 'table' AND c.name = 'thread_id' AND m.name LIKE 'checkpoint%' ORDER BY m.name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	if want := "[checkpoint_logs checkpoint_writes checkpoints]"; fmt.Sprint(tables) != want {
		t.Fatalf("tables with thread_id = %v, want %v", tables, want)
	}
	count := func(table, id string) int {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+table+" WHERE thread_id = $1", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, table := range tables {
		if count(table, thread) == 0 {
			t.Fatalf("test setup: no rows of the thread in %s", table)
		}
	}
	if err := s.DeleteThread(ctx, thread); err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		if n := count(table, thread); n != 0 {
			t.Errorf("%s still holds %d rows of the deleted thread", table, n)
		}
	}
	if count("checkpoints", other) != 1 {
		t.Fatal("DeleteThread touched another thread")
	}
}

func TestCorruptRows(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	s := sqlite.New(db)
	tests := []struct {
		name   string
		damage string // $1 = thread, $2 = checkpoint id
		want   string
	}{
		{"values not JSON", `UPDATE checkpoints SET vals = x'00ff' WHERE thread_id = $1 AND id = $2`, "values"},
		{"log lengths not an object", `UPDATE checkpoints SET log_lens = '"x"' WHERE thread_id = $1 AND id = $2`, "log lengths"},
		{"metadata null", `UPDATE checkpoints SET metadata = 'null' WHERE thread_id = $1 AND id = $2`, "metadata"},
		{"next not a list", `UPDATE checkpoints SET next = '{' WHERE thread_id = $1 AND id = $2`, "next"},
		{"created_at not a time", `UPDATE checkpoints SET created_at = 'yesterday' WHERE thread_id = $1 AND id = $2`, "created_at"},
		{"log entry missing", `DELETE FROM checkpoint_logs WHERE thread_id = $1 AND seq = 0 AND $2 <> ''`, "log"},
		{"log longer than stored", `UPDATE checkpoints SET log_lens = '{"messages": 5}' WHERE thread_id = $1 AND id = $2`, "log"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			thread := fmt.Sprintf("whatsapp:+1555200%04d", i)
			cp := put(t, s, thread, "", 0, 2, `"a"`, `"b"`)
			if _, err := db.ExecContext(ctx, tc.damage, thread, cp.ID); err != nil {
				t.Fatal(err)
			}
			for op, fn := range map[string]func() error{
				"Latest": func() error { _, err := s.Latest(ctx, thread); return err },
				"Get":    func() error { _, err := s.Get(ctx, thread, cp.ID); return err },
			} {
				var ce *checkpoint.CorruptError
				err := fn()
				if !errors.As(err, &ce) || ce.ThreadID != thread || ce.CheckpointID != cp.ID || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("%s: %v, want a CorruptError naming %s, %s and %q", op, err, thread, cp.ID, tc.want)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	// A directory cannot be created under a regular file.
	file := filepath.Join(t.TempDir(), "file")
	db, err := sqlite.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := sqlite.Open(ctx, filepath.Join(file, "sub", "x.db")); err == nil || !strings.Contains(err.Error(), "checkpoint/sqlite") {
		t.Fatalf("Open under a file: %v, want a clear error", err)
	}
	// A closed database: the saver reports an error, it does not panic.
	s := sqlite.New(db)
	if _, err := s.Latest(ctx, "whatsapp:+1"); err == nil {
		t.Fatal("Latest on a closed database succeeded")
	}
}

// Open creates the data directory and sets the pragmas the savers rely on.
func TestOpenCreatesDirectory(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "nested", sqlite.DefaultFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
}
