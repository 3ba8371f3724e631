package gym

import (
	"testing"
	"time"
)

func TestClassifyAbsoluteDates(t *testing.T) {
	today := NewDate(2026, time.November, 21)
	tests := []struct {
		text string
		want Kind
	}{
		{"legs 45 min 2026-03-10", KindWorkoutLog},
		{"legs 45 min 2026-11-21", KindWorkoutLog},
		{"legs 45 min 2026-12-01", KindOther}, // a plan
		{"pierna 1h 19/11", KindWorkoutLog},
		{"biceps 45 min tomorrow", KindOther},
	}
	for _, tc := range tests {
		if got := ClassifyAt(tc.text, today); got != tc.want {
			t.Errorf("ClassifyAt(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestRaceResultsAndRequestsToTheBot reads a race's result as the
// sender's log and a request to the bot to show or recall as a summary
// request, each against a near miss (messages sent on Thursday 14 May
// 2026).
func TestRaceResultsAndRequestsToTheBot(t *testing.T) {
	today := Date{2026, 5, 14}
	tests := []struct {
		text string
		want Kind
	}{
		{"parkrun saturday 24:12 🙌 PB by 9 seconds!!", KindWorkoutLog},
		{"carrera de 10k del domingo: 44:51 oficial, negativo en la segunda mitad 💪", KindWorkoutLog},
		{"media maratón del domingo, 21,1 km en 1:48:33 🎉 mi mejor marca por 3 minutos!!", KindWorkoutLog},
		{"the 10k is on sunday, 8:30 start", KindOther},
		{"my marathon pb is 3:45", KindOther},
		{"just registered for Valencia marathon 🙈 December 6th. what have I done", KindOther},
		{"can you show my runs from the last 7 days", KindSummaryRequest},
		{"bot remind me what my long run was on sunday", KindSummaryRequest},
		{"show me how to do a deadlift", KindOther},
	}
	for _, tc := range tests {
		if got, _ := judgeRules(tc.text, today); got != tc.want {
			t.Errorf("judgeRules(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestGymGroupChat holds the kinds of what a gym's group chat holds
// besides plain logs: the coach's programme, questions about the bot's
// memory, a lone "tabla", food talk, a log with company (messages sent on
// Thursday 14 May 2026).
func TestGymGroupChat(t *testing.T) {
	today := Date{2026, 5, 14}
	tests := []struct {
		text string
		want Kind
	}{
		{"📣 FRIDAY WOD: 5 rounds – 400m run, 15 KB swings (24/16kg), 10 burpees. 25 min cap. Classes 6:30, 9:30 and 18:00", KindOther},
		{"horario nuevo: aquagym lunes y miercoles 10h, zumba martes 19h, spinning sabado 9h", KindOther},
		{"did today's WOD, 25 min cap, finished in 22 🔥", KindWorkoutLog},
		{"did the bot get my two from Saturday", KindSummaryRequest},
		{"¿se me contó el spinning del martes?", KindSummaryRequest},
		{"is my hotel gym session from Monday in there?", KindSummaryRequest},
		{"tabla!! 👀", KindSummaryRequest},
		{"what's everyone eating post-workout? I've been doing 40g protein shakes", KindOther},
		{"me n my daughter did the 5k parkrun on saturday, 31:20, she beat me by a mile", KindWorkoutLog},
		{"my daughter did the 5k parkrun on saturday, 31:20", KindOther},
		{"didn't make the 6am class so did 30 min on the bag at home at lunch instead", KindWorkoutLog},
		{"didn't run today, so no 5k for me", KindOther},
	}
	for _, tc := range tests {
		if got := ClassifyAt(tc.text, today); got != tc.want {
			t.Errorf("ClassifyAt(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestChatSpellings reads "q", "xq", "nono" as the words they stand for.
func TestChatSpellings(t *testing.T) {
	today := Date{2026, 5, 14}
	if got := ClassifyAt("q registré ayer? no me acuerdo", today); got != KindSummaryRequest {
		t.Errorf("ClassifyAt(q registré ayer?) = %s, want %s", got, KindSummaryRequest)
	}
	if c, ok := ParseCorrection("nono era natación no running, cambialo", today); !ok || c.Activity != "swimming" || c.WasActivity != "running" {
		t.Errorf("ParseCorrection(nono era natación no running) = %+v, %v", c, ok)
	}
}

// TestRequestsAndNearMisses holds what asks the bot and what only sounds
// like it: standings with typos and abbreviations, a member asked about,
// other apps' boards, a match, a question put to a member, a question
// about the bot (messages sent on Thursday 14 May 2026).
func TestRequestsAndNearMisses(t *testing.T) {
	today := Date{2026, 5, 14}
	tests := []struct {
		text string
		want Kind
	}{
		{"whats the leaderbord", KindSummaryRequest},
		{"lb pls", KindSummaryRequest},
		{"positions please 🙂", KindSummaryRequest},
		{"did Ana log anything this week or is she still in Lanzarote", KindSummaryRequest},
		{"me dices lo que hice ayer bot", KindSummaryRequest},
		{"lista de lo que he apuntado esta semana", KindSummaryRequest},
		{"¿registraste lo mío de ayer?", KindSummaryRequest},
		{"Hey bot, could you give us the weekly totals when you get a sec? Thanks!", KindSummaryRequest},
		{"how close am I to Ana", KindSummaryRequest},
		{"top 3 pizzas in town, go", KindOther},
		{"Strava leaderboard says I'm 3rd on the Oak Hill segment lol", KindOther},
		{"does the bot count walks?", KindOther},
		{"who's winning the match?", KindOther},
		{"quién va ganando el partido?", KindOther},
		{"congrats Marta on top spot 👑", KindOther},
		{"Pablo cuántos minutos hiciste hoy?", KindOther},
		{"delete that photo Sam 😂😂", KindOther},
		{"hahaha undo your whole personality Kev", KindOther},
		{"delete pls, double posted 🤦‍♂️", KindCorrection},
		{"take that one off, i didn't actually finish it", KindCorrection},
		{"not 5k, it was 8k", KindCorrection},
		{"45* not 4", KindCorrection},
		{"uy no, fue el martes", KindCorrection},
		{"how did the half marathon go Ana?", KindOther},
		{"ok bot who's in last place, asking for a friend 👀", KindSummaryRequest},
		{"pulled my hamstring in the 5 min warmup, unreal", KindOther},
		{"ran 5k then pulled my calf, 28 min", KindWorkoutLog},
	}
	for _, tc := range tests {
		if got := ClassifyAt(tc.text, today); got != tc.want {
			t.Errorf("ClassifyAt(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}
