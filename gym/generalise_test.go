package gym

import "testing"

// TestGeneralise holds the classes of phrasing the generalisation pass of
// issue 17 taught the rules, each with a message on either side of the
// line, so that a rule that reaches too far fails here: the kind of each
// message sent on Thursday 14 May 2026. It holds the rules alone
// (judgeRules): what the classifier behind them makes of such messages is
// measured with the corpora, in gymeval.
func TestGeneralise(t *testing.T) {
	thursday := Date{2026, 5, 14}
	tests := []struct {
		text string
		want Kind
	}{
		// a trailing plan or question after a report
		{"legs 1h, gonna eat everything in the fridge now", KindWorkoutLog},
		{"gym una hora, mañana cardio", KindWorkoutLog},
		{"did 45 min of yoga, anyone know a good mat?", KindWorkoutLog},
		{"chest 1h, if I survive work", KindOther},
		{"2 hours of padel, who has that much time?", KindOther},
		{"tía 1h15 de pierna, mañana no bajas las escaleras 😂", KindOther},
		{"bro legs 1h lol 💪", KindWorkoutLog},
		// negations, idioms, hypotheticals
		{"not bad, 10k in 50", KindWorkoutLog},
		{"nada mal, 10 km en 50", KindWorkoutLog},
		{"quería correr 10 km pero no salí de la cama", KindOther},
		{"I could do 5k if I had to", KindOther},
		{"need to do 2h of cardio this week to catch up", KindOther},
		{"lol imagine running 50k", KindOther},
		// what a number measures
		{"la sauna del gym está a 90 grados 🥵", KindOther},
		{"metí 2 goles en el fútbol sala 😎", KindOther},
		{"squats 5x5 at 100 kg", KindWorkoutLog},
		{"yoga 45 min w/ mum", KindWorkoutLog},
		{"my marathon pb is 3:45", KindOther},
		{"3 runs this week, 25 km total, feeling good", KindOther},
		// who did it
		{"Pete and Sam went climbing for 3 hours, I stayed home", KindOther},
		{"me and Ana ran 5k in 31 min", KindWorkoutLog},
		{"my neighbour ran 10k this morning before I even woke up", KindOther},
		{"pilates w/ mum, 50 min, she was better than me", KindWorkoutLog},
		{"glúteo 40 min con la entrenadora, me ha matado", KindWorkoutLog},
		{"told you I'd go: yoga 1h done", KindWorkoutLog},
		{"Luis 3h on the bike, absolute unit", KindOther},
		// when
		{"esta noche 45 min de yoga", KindOther},
		{"climbed for 2 hrs at the wall tonight", KindWorkoutLog},
		{"this weekend 3h hike, weather permitting", KindOther},
		{"el medio maratón es el 7 de junio, 21 km", KindOther},
		{"en 2019 corrí una maratón en 3h30", KindOther},
		// summary requests by shape
		{"my minutes?", KindSummaryRequest},
		{"weekly?", KindSummaryRequest},
		{"resultados de la semana?", KindSummaryRequest},
		{"who's got the fewest minutes lol", KindSummaryRequest},
		{"quién ha sido el más constante", KindSummaryRequest},
		{"did I train on monday?", KindSummaryRequest},
		{"¿entrené el lunes?", KindSummaryRequest},
		{"how did the group do in april", KindSummaryRequest},
		{"does lifting my fork count? 😂", KindOther},
		{"pulso medio 165 en esa carrera, ¿es malo?", KindOther},
		{"who's up for a 30 min jog after work?", KindOther},
		// corrections
		{"make it 50 min", KindCorrection},
		{"didn't make it to the gym today 😩", KindOther},
		{"was going to run 10k but it's pouring", KindOther},
	}
	for _, tc := range tests {
		if got, _ := judgeRules(tc.text, thursday); got != tc.want {
			t.Errorf("judgeRules(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestCutLater checks where a trailing plan is cut off.
func TestCutLater(t *testing.T) {
	thursday := Date{2026, 5, 14}
	tests := []struct{ text, want string }{
		{"legs 1h, gonna eat everything now", "legs 1h"},
		{"swim 30, legs 1h then gonna shower", "swim 30, legs 1h then gonna shower"},
		{"pierna 1h ✅ mañana descanso", "pierna 1h "},
		{"1,5 km swim, 40 min. heading to work", "1,5 km swim, 40 min"},
		{"legs 1h ✅, gonna shower", "legs 1h ✅"},
	}
	for _, tc := range tests {
		if got := cutLater(tc.text, thursday); got != tc.want {
			t.Errorf("cutLater(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
