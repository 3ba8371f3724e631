package gym_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/gym"
)

func Example() {
	loc := time.FixedZone("CET", 3600)
	now := time.Date(2026, 3, 18, 20, 0, 0, 0, loc) // a Wednesday
	members := []string{"ana", "luis"}

	msgs := []gym.Message{
		{ID: "w1", Member: "ana", Text: "pecho y tríceps 1h 💪"},
		{ID: "w2", Member: "luis", Text: "ayer corrí 5k en 28 min"},
		{ID: "w3", Member: "ana", Text: "chest & tris, 1h 5"}, // the same session again
		{ID: "w4", Member: "luis", Text: "ran 5k"},
		{ID: "w5", Member: "ana", Text: "¿cómo vamos esta semana?"},
	}
	var stored []gym.Workout
	for _, m := range msgs {
		switch gym.Classify(m.Text) {
		case gym.KindSummaryRequest:
			s := gym.Summarize(stored, gym.RequestedPeriod(m.Text), gym.DateOf(now, loc), members)
			for _, st := range s.Members {
				fmt.Printf("#%d %s: %d sessions, %d min\n", st.Rank, st.Member, st.Sessions, st.Minutes)
			}
			continue
		case gym.KindOther:
			continue
		}
		ws, err := gym.Extract(m, now, loc)
		if errors.Is(err, gym.ErrNoDuration) {
			fmt.Println(m.ID, "ask: how long?")
			continue
		}
		for _, w := range ws {
			if err := gym.Validate(w, now, loc, members); err != nil {
				fmt.Println(m.ID, err)
				continue
			}
			if dup, prev := gym.IsDuplicate(w, stored); dup {
				fmt.Println(m.ID, "duplicate of", prev.SourceMessageID)
				continue
			}
			stored = append(stored, w)
			fmt.Println(m.ID, w.Member, w.Date, w.Activity, w.Minutes, w.DistanceKm)
		}
	}
	// Output:
	// w1 ana 2026-03-18 chest+triceps 60 0
	// w2 luis 2026-03-17 running 28 5
	// w3 duplicate of w1
	// w4 ask: how long?
	// #1 ana: 1 sessions, 60 min
	// #2 luis: 1 sessions, 28 min
}

func ExampleNormalizeActivity() {
	for _, s := range []string{"Tríceps y pecho", "leg day", "🏊‍♀️", "bicpes", "knitting"} {
		name, ok := gym.NormalizeActivity(s)
		fmt.Printf("%s -> %q %v\n", s, name, ok)
	}
	// Output:
	// Tríceps y pecho -> "chest+triceps" true
	// leg day -> "legs" true
	// 🏊‍♀️ -> "swimming" true
	// bicpes -> "biceps" true
	// knitting -> "" false
}

func ExampleStreak() {
	today := gym.Date{Year: 2026, Month: time.March, Day: 18}
	days := []gym.Date{today.AddDays(-1), today.AddDays(-2), today.AddDays(-3), today.AddDays(-5)}
	fmt.Println(gym.Streak(days, today))
	// Output: 3
}

func ExampleParseCorrection() {
	today := gym.Date{Year: 2026, Month: time.March, Day: 18}
	for _, s := range []string{"that was 40 not 45", "era pádel, no tenis", "wait no make that 10k not 8", "undo", "the loop is 8k"} {
		c, ok := gym.ParseCorrection(s, today)
		fmt.Printf("%s -> %s %v\n", s, c, ok)
	}
	// Output:
	// that was 40 not 45 -> correct minutes=40 true
	// era pádel, no tenis -> correct activity=padel true
	// wait no make that 10k not 8 -> correct km=10 true
	// undo -> undo true
	// the loop is 8k -> correct false
}
