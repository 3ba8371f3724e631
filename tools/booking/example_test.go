package booking_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/business/bizstore"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/booking"
)

// A customer asks for a fitness assessment; the model calls
// request_booking. The booking is stored pending; a second request for the
// same hour is refused with the nearest free times.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "booking-example")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "assistant.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	store, _ := bizstore.New(db, migrations.SQLite)
	file, _ := os.ReadFile("../../examples/business/gym.yaml")
	if _, _, err := store.Import(ctx, "gym.yaml", file); err != nil {
		panic(err)
	}
	now := func() time.Time { return time.Date(2026, time.December, 6, 15, 0, 0, 0, time.UTC) } // Sunday 16:00 in Madrid
	bt, _ := booking.New(booking.Config{Store: store, Now: now})

	ana := tools.Must(tools.NewSet(bt.ToolsFor("whatsapp:+34600111222")...))
	res := ana.RunOne(booking.WithSource(ctx, "twilio:SM1"), llm.ToolCall{ID: "1", Name: booking.ToolRequest,
		Arguments: `{"name":"Ana","service":"Fitness assessment","requested_time":"next Tuesday at 10","start":"2026-12-08T10:00"}`})
	fmt.Println(res.Content)

	luis := tools.Must(tools.NewSet(bt.ToolsFor("whatsapp:+34600333444")...))
	res = luis.RunOne(booking.WithSource(ctx, "twilio:SM2"), llm.ToolCall{ID: "2", Name: booking.ToolRequest,
		Arguments: `{"name":"Luis","service":"Fitness assessment","requested_time":"Tuesday 10:00","start":"2026-12-08T10:00"}`})
	fmt.Println(res.IsError, res.Content)
	// Output:
	// {"booking":{"ref":"B1","status":"pending","service":"Fitness assessment","start":"2026-12-08T10:00:00+01:00","local_time":"Tuesday 8 December 2026, 10:00","requested_time":"next Tuesday at 10"},"note":"Request B1 sent to the team. It is NOT confirmed yet: tell the customer the team will confirm, and give the reference."}
	// true Error: not booked: Fitness assessment is fully booked on Tuesday 8 December 2026 at 10:00. Nearest free times: Tue 8 Dec 2026 08:30 (2026-12-08T08:30:00+01:00), Tue 8 Dec 2026 09:00 (2026-12-08T09:00:00+01:00), Tue 8 Dec 2026 11:00 (2026-12-08T11:00:00+01:00). Explain this to the customer and offer the suggested times if any
}
