package queue

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

type nop struct{}

func (nop) RunThread(context.Context, string) (time.Duration, error) { return 0, nil }
func (nop) SendReply(context.Context, int64) (time.Duration, error)  { return 0, nil }

func openSQLite(t *testing.T, conns int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "queue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(conns)
	return db
}

// TestSQLiteWorkersPoll: SQLite has no LISTEN/NOTIFY, so the workers poll
// whatever the settings say.
func TestSQLiteWorkersPoll(t *testing.T) {
	w, err := NewSQLiteWorkers(openSQLite(t, 1), nop{}, nop{}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if !w.cfg.PollOnly {
		t.Fatal("NewSQLiteWorkers did not set PollOnly")
	}
	if w.cfg.Workers == nil || len(w.cfg.Queues) != 2 {
		t.Fatalf("workers %v, queues %v: want both job kinds' workers and queues", w.cfg.Workers, w.cfg.Queues)
	}
	if w.Client() == nil {
		t.Fatal("no client")
	}
}

// TestSQLiteOneConnection: River's SQLite driver deadlocks on a pool of
// several connections, so both constructors refuse one.
func TestSQLiteOneConnection(t *testing.T) {
	for _, db := range []*sql.DB{nil, openSQLite(t, 0), openSQLite(t, 2)} {
		if _, err := NewSQLiteWorkers(db, nop{}, nop{}, Settings{}); err == nil {
			t.Error("NewSQLiteWorkers accepted a database River cannot use")
		}
		if _, err := NewSQLiteInserter(db, nil); err == nil {
			t.Error("NewSQLiteInserter accepted a database River cannot use")
		}
	}
	if _, err := NewSQLiteInserter(openSQLite(t, 1), nil); err != nil {
		t.Fatal(err)
	}
}

// TestConfigRescueAfterJobTimeout: a job must not be rescued while it may
// still be running.
func TestConfigRescueAfterJobTimeout(t *testing.T) {
	if _, err := Config(nop{}, nop{}, Settings{JobTimeout: time.Minute, RescueAfter: time.Second}); err == nil {
		t.Fatal("Config accepted a rescue delay shorter than the job timeout")
	}
}

// TestSendBackoff: a reply's retries stay within a minute of each other.
func TestSendBackoff(t *testing.T) {
	want := []time.Duration{time.Second, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		32 * time.Second, time.Minute, time.Minute, time.Minute, time.Minute, time.Minute, time.Minute}
	for attempt, w := range want {
		if got := sendBackoff(attempt); got != w {
			t.Errorf("sendBackoff(%d) = %s, want %s", attempt, got, w)
		}
	}
}
