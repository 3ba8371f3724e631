package booking_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
)

// benchProfile is open around the clock with room for many bookings of
// each slot, so every iteration books (none is refused as full).
const benchProfile = `name: Bench
timezone: Europe/Madrid
hours: {mon: ["00:00-24:00"], tue: ["00:00-24:00"], wed: ["00:00-24:00"], thu: ["00:00-24:00"], fri: ["00:00-24:00"], sat: ["00:00-24:00"], sun: ["00:00-24:00"]}
booking: {min_notice: 0m, horizon: 60d, duration: 30m, capacity: 1000}
services:
  - {name: Class, duration: 30m, capacity: 1000}
`

// BenchmarkRequestBooking measures one request_booking call as the model
// makes it: argument validation, the rules, the capacity check and the
// insert with its history row, in one transaction. It reports the median
// (p50) besides the mean.
func BenchmarkRequestBooking(b *testing.B) {
	run := func(b *testing.B, db *sql.DB, d migrations.Dialect) {
		ctx := context.Background()
		s, err := bizstore.New(db, d)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Import(ctx, "bench.yaml", []byte(benchProfile)); err != nil {
			b.Fatal(err)
		}
		now := time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC)
		bt, err := booking.New(booking.Config{Store: s, Now: func() time.Time { return now }})
		if err != nil {
			b.Fatal(err)
		}
		set := tools.Must(tools.NewSet(bt.ToolsFor("whatsapp:+34600111222")...))
		madrid, _ := time.LoadLocation("Europe/Madrid")
		first := time.Date(2026, time.December, 7, 0, 0, 0, 0, madrid)
		took := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := range b.N {
			start := first.Add(time.Duration(i%(48*50)) * 30 * time.Minute).Format("2006-01-02T15:04")
			call := llm.ToolCall{ID: "c", Name: booking.ToolRequest,
				Arguments: fmt.Sprintf(`{"name":"Ana","service":"Class","requested_time":"soon","start":%q}`, start)}
			t0 := time.Now()
			res := set.RunOne(booking.WithSource(ctx, fmt.Sprintf("bench:%d", i)), call)
			took = append(took, time.Since(t0))
			if res.IsError {
				b.Fatal(res.Content)
			}
		}
		b.StopTimer()
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	}
	b.Run("sqlite", func(b *testing.B) { run(b, sqlstoretest.OpenSQLite(b), migrations.SQLite) })
	b.Run("postgres", func(b *testing.B) { run(b, sqlstoretest.OpenPostgres(b), migrations.Postgres) })
}
