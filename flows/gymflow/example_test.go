package gymflow_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/checkpoint/memory"
	"github.com/switchboardhq/switchboard/checkpoint/sqlite"
	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/migrations"
	"github.com/switchboardhq/switchboard/store"
)

// The pipeline with no model: rules read the logs, Go refuses the
// duplicate and computes the leaderboard.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "gymflow")
	defer os.RemoveAll(dir)
	db, err := sqlite.Open(ctx, filepath.Join(dir, "assistant.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if err := migrations.Up(ctx, db, migrations.SQLite); err != nil {
		panic(err)
	}
	flow, err := gymflow.NewFlow(gymflow.Config{
		DB:    db,
		Saver: memory.New(),
		Clock: func() time.Time { return time.Date(2026, time.March, 12, 19, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	const groupThread = "evolution:120363000000000001@g.us"
	var id int64
	say := func(sender, name, text string) {
		id++
		turn := flows.Turn{
			Input: flows.Input{Messages: []llm.Message{llm.UserText(text)}, Seqs: []int64{id}},
			Messages: []store.Inbound{{ID: id, Channel: "evolution", ProviderID: fmt.Sprint("WAMID", id),
				Thread: groupThread, Sender: sender, ProfileName: name, Body: text}},
		}
		r, err := flow.Run(ctx, groupThread, turn)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s\nbot: %s\n", name, text, r.Text)
	}
	say("34600000001@s.whatsapp.net", "Ana", "pecho y tríceps 1h")
	say("34600000002@s.whatsapp.net", "Luis", "ran 5k in 28 min yesterday")
	say("34600000001@s.whatsapp.net", "Ana", "chest & tris 62 min")
	say("34600000002@s.whatsapp.net", "Luis", "how are we doing this week?")
	// Output:
	// Ana: pecho y tríceps 1h
	// bot: Fine, Ana, it's on the board: chest+triceps 60 min (today). Your week: 1 session, 60 min.
	// Luis: ran 5k in 28 min yesterday
	// bot: Fine, Luis, it's on the board: running 28 min 5 km (yesterday). Your week: 1 session, 28 min.
	// Ana: chest & tris 62 min
	// bot: Nice try, Ana: you already logged that (chest+triceps 60 min (today)). Not counted twice. Your week: 1 session, 60 min.
	// Luis: how are we doing this week?
	// bot: This week (Mon 9 Mar to Sun 15 Mar):
	// 1. Ana: 1 session, 60 min
	// 2. Luis: 1 session, 28 min
	// Group: 2 sessions, 88 min. Not bad. Not great either.
}

// The graph, as Mermaid.
func ExampleFlow_Graph() {
	db, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	flow, err := gymflow.NewFlow(gymflow.Config{DB: db})
	if err != nil {
		panic(err)
	}
	fmt.Print(flow.Graph().Mermaid())
	// Output:
	// flowchart TD
	// 	__start__([__start__])
	// 	receive(receive)
	// 	vision(vision)
	// 	classify(classify)
	// 	extract(extract)
	// 	validate(validate)
	// 	dedupe(dedupe)
	// 	insert(insert)
	// 	correct(correct)
	// 	summary(summary)
	// 	reply(reply)
	// 	__end__([__end__])
	// 	__start__ --> receive
	// 	vision --> classify
	// 	extract --> validate
	// 	validate --> dedupe
	// 	dedupe --> insert
	// 	insert --> correct
	// 	correct --> summary
	// 	summary --> reply
	// 	reply --> __end__
	// 	receive -.-> vision
	// 	receive -.-> reply
	// 	receive -.-> __end__
	// 	classify -.-> extract
	// 	classify -.-> correct
	// 	classify -.-> summary
	// 	classify -.-> reply
}
