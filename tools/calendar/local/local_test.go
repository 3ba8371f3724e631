package local_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/switchboardhq/switchboard/internal/pgtest"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools/calendar"
	"github.com/switchboardhq/switchboard/tools/calendar/calendartest"
	"github.com/switchboardhq/switchboard/tools/calendar/local"
)

// openSQLite returns a migrated SQLite database in a temporary directory.
func openSQLite(t testing.TB) *sql.DB {
	t.Helper()
	dsn := "file:" + filepath.Join(t.TempDir(), "assistant.db") +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_time_format=sqlite&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := migrations.Up(context.Background(), db, migrations.SQLite); err != nil {
		t.Fatal(err)
	}
	return db
}

// openPostgres returns a fresh, migrated Postgres database through pgx's
// database/sql driver.
func openPostgres(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformanceSQLite(t *testing.T) {
	calendartest.Run(t, calendartest.Harness{
		New:       func(t *testing.T) calendar.Backend { return local.New(openSQLite(t)) },
		PerThread: true,
	})
}

func TestConformancePostgres(t *testing.T) {
	pgtest.ServerURL(t) // skip (or fail on CI) before any subtest when there is no server
	calendartest.Run(t, calendartest.Harness{
		New:       func(t *testing.T) calendar.Backend { return local.New(openPostgres(t)) },
		PerThread: true,
	})
}

func TestDeleteThread(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(testing.TB) *sql.DB
	}{
		{"sqlite", openSQLite},
		{"postgres", openPostgres},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			b := local.New(tc.open(t))
			start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			for _, th := range []string{"whatsapp:+1", "whatsapp:+1", "whatsapp:+2"} {
				if _, err := b.Create(ctx, th, calendar.Event{Summary: "x", Start: start, End: start.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			n, err := b.DeleteThread(ctx, "whatsapp:+1")
			if err != nil || n != 2 {
				t.Fatalf("DeleteThread = %d, %v; want 2", n, err)
			}
			left, err := b.List(ctx, "whatsapp:+2", start, start.Add(time.Hour))
			if err != nil || len(left) != 1 {
				t.Fatalf("the other thread's events = %v, %v", left, err)
			}
		})
	}
}

func TestRejectsInvalidEvents(t *testing.T) {
	ctx := context.Background()
	b := local.New(openSQLite(t))
	start := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		e    calendar.Event
	}{
		{"end before start", calendar.Event{Summary: "x", Start: start, End: start.Add(-time.Hour)}},
		{"no title", calendar.Event{Start: start, End: start.Add(time.Hour)}},
		{"bad attendee", calendar.Event{Summary: "x", Start: start, End: start.Add(time.Hour), Attendees: []string{"not an address"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Create(ctx, "whatsapp:+1", tc.e)
			var ve *calendar.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Create = %v, want a ValidationError", err)
			}
		})
	}
}

func Example() {
	db, err := sql.Open("sqlite", "file:example?mode=memory&cache=shared")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ctx := context.Background()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	b := local.New(db)
	start := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	e, err := b.Create(ctx, "whatsapp:+15551234567", calendar.Event{Summary: "Meeting with Sarah", Start: start, End: start.Add(time.Hour)})
	if err != nil {
		panic(err)
	}
	mine, _ := b.List(ctx, "whatsapp:+15551234567", start, start.Add(time.Hour))
	theirs, _ := b.List(ctx, "whatsapp:+15550000000", start, start.Add(time.Hour))
	fmt.Println(len(mine), mine[0].Summary == e.Summary, len(theirs))
	// Output: 1 true 0
}
