package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/migrations"
)

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "sqlstore")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "assistant.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	s := sqlstore.New(db)
	const group = "120363000000000001@g.us"
	today := gym.NewDate(2026, time.March, 12)
	for _, w := range []gym.Workout{
		{Member: "ana", Date: today, Activity: "legs", Minutes: 60, SourceMessageID: "m1"},
		{Member: "ana", Date: today, Activity: "legs", Minutes: 62, SourceMessageID: "m2"}, // within 10%
		{Member: "luis", Date: today.AddDays(-1), Activity: "running", Minutes: 30, SourceMessageID: "m3"},
	} {
		o, err := s.Record(ctx, group, "", w)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s %s %d min: inserted=%v duplicate=%v\n", w.Member, w.Activity, w.Minutes, o.Inserted, o.Duplicate)
	}
	sum, err := s.Summary(ctx, group, gym.PeriodWeek, today, nil)
	if err != nil {
		panic(err)
	}
	for _, m := range sum.Members {
		fmt.Printf("%d. %s: %d sessions, %d min, streak %d\n", m.Rank, m.Member, m.Sessions, m.Minutes, m.Streak)
	}
	// Output:
	// ana legs 60 min: inserted=true duplicate=false
	// ana legs 62 min: inserted=false duplicate=true
	// luis running 30 min: inserted=true duplicate=false
	// 1. ana: 1 sessions, 60 min, streak 1
	// 2. luis: 1 sessions, 30 min, streak 1
}
