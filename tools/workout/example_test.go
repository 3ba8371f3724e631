package workout_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/workout"
)

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "workout")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "assistant.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	w, err := workout.New(workout.Config{
		Store: sqlstore.New(db),
		Now:   func() time.Time { return time.Date(2026, time.March, 12, 20, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	// The agent offers the tools bound to the user's thread.
	set := tools.Must(tools.NewSet(w.ToolsFor("whatsapp:+15551234567")...))
	for _, args := range []string{
		`{"activity":"run","minutes":30,"distance_km":5}`,
		`{"activity":"running","minutes":32}`, // the same run again
		`{"activity":"legs","minutes":45,"date":"2026-03-20"}`,
	} {
		msg := set.RunOne(ctx, llm.ToolCall{ID: "c", Name: workout.ToolLog, Arguments: args})
		fmt.Println(msg.Content)
	}
	msg := set.RunOne(ctx, llm.ToolCall{ID: "c", Name: workout.ToolSummary, Arguments: `{"period":"week"}`})
	fmt.Println(msg.Content)
	// Output:
	// {"status":"logged","workout":{"date":"2026-03-12","activity":"running","minutes":30,"distance_km":5},"week":{"sessions":1,"minutes":30},"note":"Logged. Confirm it to the user with these numbers."}
	// {"status":"duplicate","workout":{"date":"2026-03-12","activity":"running","minutes":32},"already_logged":{"date":"2026-03-12","activity":"running","minutes":30,"distance_km":5},"week":{"sessions":1,"minutes":30},"note":"Not logged: this workout was already logged (same day and activity, similar duration), so it was not counted again. Tell the user."}
	// Error: not logged: gym: invalid workout: date: in the future: 2026-03-20 is after today 2026-03-12
	// {"period":"week","from":"2026-03-09","to":"2026-03-15","sessions":1,"minutes":30,"distance_km":5,"active_days":1,"streak_days":1,"workouts":[{"date":"2026-03-12","activity":"running","minutes":30,"distance_km":5}]}
}
