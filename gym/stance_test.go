package gym

import (
	"testing"
	"time"
)

// TestStance checks who did it, whether, and when: comments on someone
// else's workout, the coming weekday, jokes, rest read as durations, and
// summary questions about a period, against the logs they must not
// swallow. The day is Thursday 14 May 2026.
func TestStance(t *testing.T) {
	thursday := NewDate(2026, time.May, 14)
	tests := []struct {
		text string
		want Kind
	}{
		// a comment judges a workout; a report says it was done
		{"nice 40 mins 💪", KindOther},
		{"55 min 10k is quick!", KindOther},
		{"esa ruta de 2h tenía una pinta brutal", KindOther},
		{"bien hecho, 45 min de hiit no es broma", KindOther},
		{"🔥🔥 40 mins in the pool, nice", KindOther},
		{"crossfit today 1h, wod was brutal", KindWorkoutLog},
		{"ran 10k in 48, was brutal", KindWorkoutLog},
		{"legs 1h, well done me 💪", KindWorkoutLog},
		// a weekday on its own is the nearer one: ahead is a plan
		{"sunday = long ride, 80 km", KindOther},
		{"este finde: tirada larga de 15 km", KindOther},
		{"friday = leg day", KindOther},
		{"Monday: 50 min spin", KindWorkoutLog},
		{"long run sunday 18k 1:42", KindWorkoutLog},
		{"el sábado pasado 20 km en bici", KindWorkoutLog},
		// a laugh over a few minutes is a joke
		{"ran to the fridge, 2 min 😂", KindOther},
		{"ran 5k, 25 min 😂 dying", KindWorkoutLog},
		// rest is not a workout
		{"he dormido 4 horas", KindOther},
		{"napped for an hour", KindOther},
		{"estiramientos 10 min antes de dormir", KindWorkoutLog},
		// a schedule with a copula is information; "de mañana" is tomorrow's
		{"el spinning de mañana es a las 7, 45 min", KindOther},
		{"6am swim, 45 mins, the pool was empty", KindWorkoutLog},
		// summaries: a period asked about "how", tallies, places
		{"how did the month go?", KindSummaryRequest},
		{"¿qué tal la semana, equipo?", KindSummaryRequest},
		{"how many mins has everyone done", KindSummaryRequest},
		{"¿minutos hasta ahora?", KindSummaryRequest},
		{"how close am I to Ana", KindSummaryRequest},
		{"pásame los totales", KindSummaryRequest},
		{"how was your week?", KindOther},
		{"how many km is the canal loop, 8?", KindOther},
		{"¿cuánto has entrenado esta semana?", KindOther},
		// a tag closing a report does not make it a question
		{"swam 30 min, counts right?", KindWorkoutLog},
		{"is 30 min of cardio enough, right?", KindOther},
		// pointing at someone's amount, hearsay, a hypothetical
		{"those 3 hours on the bike tho 😮", KindOther},
		{"mi compi dice que corrió 10 km, yo no me lo creo", KindOther},
		{"2h de spinning? yo me moriría", KindOther},
		{"abdominales 20 min, me muero", KindWorkoutLog},
		// durations of something else
		{"the call ran 30 min over", KindOther},
		{"left my gym bag at home, 20 min drive back", KindOther},
		{"spent 20 min searching for a parking spot", KindOther},
		{"quick 25 min treadmill run before the meeting", KindWorkoutLog},
		{"45 min elliptical watching a show", KindWorkoutLog},
		{"watched 90 mins of football", KindOther},
		// memory questions and day corrections
		{"did I log my run?", KindSummaryRequest},
		{"sorry, it was on monday not tuesday", KindCorrection},
		{"fue ayer, no hoy", KindCorrection},
		{"fue ayer", KindOther},
		{"corrijo: 1h15", KindCorrection},
		// summaries: tallies over a period, the group asked how it goes
		{"hours this month?", KindSummaryRequest},
		{"¿sesiones de este mes?", KindSummaryRequest},
		{"how's everyone getting on this week", KindSummaryRequest},
		{"how many km do you run per week?", KindOther},
		// a judgement with "está"; "tren superior" is no train
		{"45 min de pádel está muy bien", KindOther},
		{"esta mañana 45 min de pádel", KindWorkoutLog},
		{"tren inferior 50 min", KindWorkoutLog},
		{"1h de tren a Madrid", KindOther},
		// undo with the verb's object attached
		{"cancela eso", KindCorrection},
		{"cancélalo", KindCorrection},
	}
	for _, tc := range tests {
		if got := ClassifyAt(tc.text, thursday); got != tc.want {
			t.Errorf("ClassifyAt(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestStanceExtract checks the amounts and activities of round trips and
// of settings next to a sport.
func TestStanceExtract(t *testing.T) {
	now := time.Date(2026, time.May, 14, 19, 0, 0, 0, time.UTC)
	tests := []struct {
		text     string
		activity string
		minutes  int
	}{
		{"bike commute both ways, 25 min each", "cycling", 50},
		{"fui y volví en bici al curro, 25 min cada trayecto", "cycling", 50},
		{"walked 20 min each way to the gym", "walking", 40},
		{"ruta de 20 km andando, 4h", "walking", 240},
		{"ruta de montaña, 5 horas", "hiking", 300},
		{"3 x 10 min rowing intervals", "rowing", 30},
		{"treadmill intervals 30 min", "running", 30},
		{"walking on the treadmill 40 min", "walking", 40},
		// a body part as the seat of a sensation is not trained
		{"spin class 45 min, legs are jelly", "cycling", 45},
		{"swam an hour and I can't raise my arms", "swimming", 60},
		{"nadé 1h, no puedo ni mover los brazos", "swimming", 60},
		{"legs 45 min", "legs", 45},
		{"15 min foam rolling", "stretching", 15},
		{"thurs: 30 min run", "running", 30},
	}
	for _, tc := range tests {
		ws, err := Extractor{}.Extract(Message{Text: tc.text, SentAt: now}, now, time.UTC)
		if err != nil || len(ws) != 1 || ws[0].Activity != tc.activity || ws[0].Minutes != tc.minutes {
			t.Errorf("Extract(%q) = %v, %v; want one %s of %d min", tc.text, ws, err, tc.activity, tc.minutes)
		}
	}
}
