package gym

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func extractOne(t *testing.T, x Extractor, text string) Workout {
	t.Helper()
	ws, err := x.Extract(Message{ID: "m", Member: "ana", Text: text}, testNow, testLoc)
	if err != nil {
		t.Fatalf("Extract(%q): %v", text, err)
	}
	if len(ws) != 1 {
		t.Fatalf("Extract(%q) = %d workouts: %+v", text, len(ws), ws)
	}
	return ws[0]
}

func TestDurations(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"yoga 45 min", 45}, {"yoga 45min", 45}, {"yoga 45'", 45}, {"yoga 45’", 45}, {"yoga 45 mins", 45},
		{"yoga 45m", 45}, {"yoga 1h", 60}, {"yoga 1 h", 60}, {"yoga 1h 15", 75}, {"yoga 1h15m", 75},
		{"yoga 1h15", 75}, {"yoga 1.5h", 90}, {"yoga 1,5 h", 90}, {"yoga hora y media", 90},
		{"yoga una hora", 60}, {"yoga media hora", 30}, {"yoga 90 minutos", 90}, {"yoga 1:15", 75},
		{"yoga an hour", 60}, {"yoga half hour", 30}, {"yoga 1 hour 15 minutes", 75},
		{"yoga 1 hora y 15", 75}, {"yoga 1 h y 20 min", 80}, {"yoga una hora menos cuarto", 45},
		{"yoga un cuarto de hora", 15}, {"yoga a couple of hours", 120}, {"yoga 2 hrs", 120},
		{"yoga forty-five minutes", 45}, {"yoga veinticinco minutos", 25}, {"yoga 1 and a half hours", 90},
		{"yoga an hour and a quarter", 75}, {"yoga una horita", 60}, {"yoga 2h30", 150},
		{"yoga 0:45:00", 45}, {"yoga at 7:30, 1h", 60}, {"yoga a las 19:30 1h", 60},
	}
	for _, tc := range tests {
		if got := extractOne(t, Extractor{}, tc.text); got.Minutes != tc.want {
			t.Errorf("%q: minutes = %d, want %d", tc.text, got.Minutes, tc.want)
		}
	}
}

func TestAmounts(t *testing.T) {
	tests := []struct {
		text string
		want Workout // only the optional fields are compared
	}{
		{"run 30 min 5k", Workout{DistanceKm: 5}},
		{"run 30 min 5 km", Workout{DistanceKm: 5}},
		{"run 30 min 10km", Workout{DistanceKm: 10}},
		{"run 30 min 3 miles", Workout{DistanceKm: 4.83}},
		{"swim 30 min 800 metros", Workout{DistanceKm: 0.8}},
		{"swim 30 min 1.500 m", Workout{DistanceKm: 1.5}},
		{"walk 30 min 10k steps", Workout{}},
		{"biceps 30 min 4x12", Workout{Sets: 4, Reps: 12}},
		{"biceps 30 min 4 × 12", Workout{Sets: 4, Reps: 12}},
		{"biceps 30 min 4 sets of 12 reps", Workout{Sets: 4, Reps: 12}},
		{"biceps 30 min 4 series de 12", Workout{Sets: 4, Reps: 12}},
		{"biceps 30 min 3 sets", Workout{Sets: 3}},
		{"biceps 30 min 12 reps", Workout{Reps: 12}},
		{"biceps 30 min 4x12 y 3x12", Workout{Sets: 7, Reps: 12}},
		{"biceps 30 min 4x12, 3x10", Workout{Sets: 7}},
		{"run 30 min 350 kcal", Workout{Calories: 350}},
		{"run 30 min 350 cal", Workout{Calories: 350}},
		{"run 30 min 350cal", Workout{Calories: 350}},
		{"run 30 min 350 calorías", Workout{Calories: 350}},
	}
	for _, tc := range tests {
		got := extractOne(t, Extractor{}, tc.text)
		got.Member, got.Date, got.Activity, got.Minutes, got.SourceMessageID = "", Date{}, "", 0, ""
		if got != tc.want {
			t.Errorf("%q = %+v, want %+v", tc.text, got, tc.want)
		}
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		x    Extractor
		text string
		want Date
	}{
		{Extractor{}, "yoga 1h", today},
		{Extractor{}, "yoga 1h today", today},
		{Extractor{}, "yoga 1h hoy", today},
		{Extractor{}, "yoga 1h yesterday", day(-1)},
		{Extractor{}, "yoga 1h anoche", day(-1)},
		{Extractor{}, "yoga 1h antier", day(-2)},
		{Extractor{}, "yoga 1h anteayer", day(-2)},
		{Extractor{}, "yoga 1h antes de ayer", day(-2)},
		{Extractor{}, "yoga 1h the day before yesterday", day(-2)},
		{Extractor{}, "yoga 1h on monday", day(-2)},
		{Extractor{}, "yoga 1h el lunes", day(-2)},
		{Extractor{}, "yoga 1h el miércoles", today},
		{Extractor{}, "yoga 1h el miércoles pasado", day(-7)},
		{Extractor{}, "yoga 1h last wednesday", day(-7)},
		{Extractor{}, "yoga 1h el jueves", day(-6)},
		{Extractor{}, "yoga 1h 12/03", Date{2026, 3, 12}},
		{Extractor{MonthFirst: true}, "yoga 1h 03/12", Date{2026, 3, 12}},
		{Extractor{}, "yoga 1h 12/3/26", Date{2026, 3, 12}},
		{Extractor{}, "yoga 1h 12/03/2026", Date{2026, 3, 12}},
		{Extractor{}, "yoga 1h 2026-03-12", Date{2026, 3, 12}},
		{Extractor{}, "yoga 1h 20/12", Date{2025, 12, 20}}, // no year: the most recent
		{Extractor{}, "yoga 1h 18/03", today},
		{Extractor{}, "yoga 1h tomorrow", day(1)}, // Validate rejects it
		{Extractor{}, "yoga 1h esta mañana", today},
		{Extractor{}, "yoga 1h mañana", day(1)},
	}
	for _, tc := range tests {
		if got := extractOne(t, tc.x, tc.text); got.Date != tc.want {
			t.Errorf("%q (month first %v): date = %s, want %s", tc.text, tc.x.MonthFirst, got.Date, tc.want)
		}
	}
}

func TestExtractUsesSentAt(t *testing.T) {
	// Sent at 23:50 on the 17th, processed at 00:10 on the 18th.
	now := time.Date(2026, 3, 18, 0, 10, 0, 0, testLoc)
	msg := Message{ID: "m", Member: "ana", Text: "ayer pierna 1h", SentAt: now.Add(-20 * time.Minute)}
	ws, err := Extract(msg, now, testLoc)
	if err != nil || ws[0].Date != day(-2) {
		t.Fatalf("got %+v, %v; want %s", ws, err, day(-2))
	}
	msg.SentAt = now.Add(time.Hour) // a clock ahead of ours: use now
	if ws, _ := Extract(msg, now, testLoc); ws[0].Date != day(-1) {
		t.Fatalf("future SentAt: got %s", ws[0].Date)
	}
}

func TestExtractSourceIDs(t *testing.T) {
	ws, err := Extract(Message{ID: "wamid.1", Member: "ana", Text: "legs 1h\nabs 15 min\nran 5k 30 min"}, testNow, testLoc)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"wamid.1", "wamid.1#2", "wamid.1#3"}
	for i, w := range ws {
		if w.SourceMessageID != want[i] || w.Member != "ana" {
			t.Errorf("workout %d = %+v, want source %s", i, w, want[i])
		}
	}
}

func TestExtractPartial(t *testing.T) {
	_, err := Extract(Message{ID: "m", Member: "ana", Text: "legs 1h, also some abs"}, testNow, testLoc)
	var xe *ExtractError
	if !errors.As(err, &xe) || !errors.Is(err, ErrNoDuration) {
		t.Fatalf("got %v", err)
	}
	if len(xe.Partial) != 2 || xe.Partial[0].Minutes != 60 || xe.Partial[1].Activity != "abs" || xe.Partial[1].Minutes != 0 {
		t.Errorf("partial = %+v", xe.Partial)
	}
	if got := err.Error(); got != "gym: cannot extract workout: no duration found" {
		t.Errorf("message = %q", got)
	}
}

func TestExtractNilLocation(t *testing.T) {
	ws, err := Extract(Message{Text: "yoga 1h"}, time.Date(2026, 3, 18, 23, 30, 0, 0, time.UTC), nil)
	if err != nil || ws[0].Date != today {
		t.Fatalf("got %+v, %v", ws, err)
	}
}

// TestRepCountsAreNotMinutes reads a number before an exercise counted in
// repetitions as how many, so the session's duration is the one with a
// unit, or is asked for.
func TestRepCountsAreNotMinutes(t *testing.T) {
	tests := []struct {
		text    string
		minutes int // 0: the duration is asked for
	}{
		{"100 burpees, 14 minutes", 14},
		{"did 100 burpees lol took me 14 minutes", 14},
		{"100 push-ups 10 min", 10},
		{"hice 100 sentadillas en 12 min", 12},
		{"did 100 burpees", 0},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if tc.minutes == 0 {
			if !errors.Is(err, ErrNoDuration) {
				t.Errorf("Extract(%q) = %v, %v; want ErrNoDuration", tc.text, ws, err)
			}
			continue
		}
		if err != nil || len(ws) != 1 || ws[0].Minutes != tc.minutes {
			t.Errorf("Extract(%q) = %v, %v; want one session of %d min", tc.text, ws, err, tc.minutes)
		}
	}
}

// TestEnduranceSessions reads what runners and swimmers write: yards,
// open water, a pool's length, lengths counted, track repeats with no
// sport named, a point on the way, the height climbed.
func TestEnduranceSessions(t *testing.T) {
	tests := []struct {
		text     string
		activity string
		minutes  int
		km       float64
	}{
		{"Swam 2000 yds at lunch, 42 min", "swimming", 42, 1.83},
		{"open water at the beach this morning, 1650 yds, 33 minutes", "swimming", 33, 1.51},
		{"ow. 3.8k open water, 1h21", "swimming", 81, 3.8},
		{"swam 50 lengths of the 25m pool this morning (1250m), ~35 min", "swimming", 35, 1.25},
		{"nade 1500 en aguas abiertas, 34 min", "swimming", 34, 1.5},
		{"swim 45. sighting drills + 8x50 hard", "swimming", 45, 0},
		{"did 8x800 at 3:40 off 2 min this morning, total 1h05 with wu/cd", "running", 65, 0},
		{"6x400 off 90s this morning on the track, whole session 50 min", "running", 50, 0},
		{"late log from tuesday — 10x1min hill repeats, 45 mins all in", "running", 45, 0},
		{"long run done. 18k, 1:43:20, the hill at 14k had other ideas", "running", 103, 18},
		{"hike on sunday 3h, 12 km, 600m up", "hiking", 180, 12},
		{"easy 7k shakeout this morning 38 min", "running", 38, 7},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if err != nil || len(ws) != 1 {
			t.Errorf("Extract(%q) = %v, %v; want one session", tc.text, ws, err)
			continue
		}
		w := ws[0]
		if w.Activity != tc.activity || w.Minutes != tc.minutes || w.DistanceKm != tc.km || w.Sets != 0 || w.Reps != 0 {
			t.Errorf("Extract(%q) = %s %d min %.2f km %dx%d; want %s %d min %.2f km", tc.text, w.Activity, w.Minutes, w.DistanceKm, w.Sets, w.Reps,
				tc.activity, tc.minutes, tc.km)
		}
	}
}

// TestAnotherEventsDayAndAPurpose dates a session by its own day, not by
// the day of the event it followed, and does not make a session of what
// it was for.
func TestAnotherEventsDayAndAPurpose(t *testing.T) {
	tests := []struct {
		text, activity, day string
	}{
		{"stretching/mobility 20 min after yesterday's long run", "stretching", "2026-03-18"},
		{"yoga 30 min para estirar despues del entreno de ayer", "yoga", "2026-03-18"},
		{"foam rolling 15 min, legs wrecked from saturday's hike", "stretching", "2026-03-18"},
		{"easy spin 30 min to flush the legs after yesterday", "cycling", "2026-03-18"},
		{"ran 5k after work yesterday, 28 min", "running", "2026-03-17"},
		{"late post from monday: spin 45", "cycling", "2026-03-16"},
		{"forgot to post tuesday — boxing 1hr", "boxing", "2026-03-17"},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if err != nil || len(ws) != 1 || ws[0].Activity != tc.activity || ws[0].Date.String() != tc.day {
			t.Errorf("Extract(%q) = %v, %v; want %s on %s", tc.text, ws, err, tc.activity, tc.day)
		}
	}
}

// TestGymSpeak reads what lifters write around a session: a load after
// "@" or before "x reps", a count of exercises, a rating out of ten, a
// "pull" that is a swim set's.
func TestGymSpeak(t *testing.T) {
	tests := []struct {
		text     string
		activity string
		minutes  int // 0: the duration is asked for
		sets     int
		day      string
	}{
		{"leg day done 🫡 squats 5x5 @ 100", "legs", 0, 5, "2026-03-18"},
		{"PB on deadlift 160 x 3 🤯 pull day 1h05", "strength", 65, 0, "2026-03-18"},
		{"Hevy: Push A · 1h 8min · 12,430 kg volume · 6 exercises 🏋️", "strength", 68, 0, "2026-03-18"},
		{"boxing class 1h, got hit in the face once, 10/10 would go again", "boxing", 60, 0, "2026-03-18"},
		{"done ✅ pull 50 min", "strength", 50, 0, "2026-03-18"},
		{"pool: 60 min, 3200m. main set 4x400 pull @ 7:00", "swimming", 60, 0, "2026-03-18"},
		{"legs 45 on 10/03", "legs", 45, 0, "2026-03-10"},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if tc.minutes == 0 {
			if !errors.Is(err, ErrNoDuration) {
				t.Errorf("Extract(%q) = %v, %v; want ErrNoDuration", tc.text, ws, err)
			}
			continue
		}
		if err != nil || len(ws) != 1 || ws[0].Activity != tc.activity || ws[0].Minutes != tc.minutes || ws[0].Sets != tc.sets || ws[0].Date.String() != tc.day {
			t.Errorf("Extract(%q) = %v, %v; want %s %d min, %d sets on %s", tc.text, ws, err, tc.activity, tc.minutes, tc.sets, tc.day)
		}
	}
}

// TestSessionsApart splits what friends log in one breath: sessions joined
// by "+" or listed by day with "/", an ab circuit (abs, not HIIT), "chest
// tri" (two muscles).
func TestSessionsApart(t *testing.T) {
	tests := []struct {
		text string
		want string // see sessions
	}{
		{"Did 30 min on the elliptical + 20 min abs", "cardio 30 2026-03-18, abs 20 2026-03-18"},
		{"yesterday's padel 1h + today's gym 45", "padel 60 2026-03-17, strength 45 2026-03-18"},
		{"mon: legs 1h / tue: rest / wed: swim 30", "legs 60 2026-03-16, swimming 30 2026-03-18"},
		{"tue: row 40 / wed: legs 1h", "rowing 40 2026-03-17, legs 60 2026-03-18"},
		{"mar: remo 40 / mie: pierna 1h", "rowing 40 2026-03-17, legs 60 2026-03-18"},
		{"did a 20 min ab circuit at home while the pasta boiled", "abs 20 2026-03-18"},
		{"chest tri 4x12 everything, 1h05", "chest+triceps 65 2026-03-18 4x12"},
		{"crossfit + 10 min cooldown, 1h10 total", "crossfit 70 2026-03-18"},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if got := sessions(ws); err != nil || got != tc.want {
			t.Errorf("Extract(%q) = %s, %v; want %s", tc.text, got, err, tc.want)
		}
	}
}

// TestHowFieldsAreWritten reads the fields in the forms a log-heavy corpus
// showed (messages sent on Wednesday 18 March 2026): a range, a fraction
// of an hour, a day of the month, a match's sets, a round's length, the
// height climbed, splits, chat spellings.
func TestHowFieldsAreWritten(t *testing.T) {
	tests := []struct {
		text string
		want string // see sessions
	}{
		{"40-50 min of basketball at the park with the lads", "basketball 45 2026-03-18"},
		{"3/4 de hora de elíptica", "cardio 45 2026-03-18"},
		{"on the 10th did a 21k trail run, 2h15", "running 135 2026-03-10 21km"},
		{"legs 45 on the 20th", "legs 45 2026-02-20"},
		{"día 12 de 30: 20 min de abdominales", "abs 20 2026-03-18"},
		{"padel 2h sat morning, 3 sets, won 2", "padel 120 2026-03-14"},
		{"boxeo 1h, 8 asaltos de 3 min", "boxing 60 2026-03-18"},
		{"hyrox sim today 1h32, wall balls destroyed me", "crossfit 92 2026-03-18"},
		{"hiked 3 hrs on saturday, 900m of elevation", "hiking 180 2026-03-14"},
		{"rowing machine 20 min intervals, 500m splits around 1:58", "rowing 20 2026-03-18"},
		{"kickboxing class last nite 1hr", "boxing 60 2026-03-17"},
		{"legs (1h) + abs (15)", "legs 60 2026-03-18, abs 15 2026-03-18"},
		{"subida a la Bola del Mundo el domingo, 5 horas, 14 km", "hiking 300 2026-03-15 14km"},
	}
	for _, tc := range tests {
		ws, err := Extract(Message{Text: tc.text, SentAt: testNow}, testNow, testLoc)
		if got := sessions(ws); err != nil || got != tc.want {
			t.Errorf("Extract(%q) = %s, %v; want %s", tc.text, got, err, tc.want)
		}
	}
}

// sessions describes workouts for a table's want: "activity minutes date",
// then the distance and the sets when there are any, one per session.
func sessions(ws []Workout) string {
	var out []string
	for _, w := range ws {
		s := fmt.Sprintf("%s %d %s", w.Activity, w.Minutes, w.Date)
		if w.DistanceKm > 0 {
			s += fmt.Sprintf(" %gkm", w.DistanceKm)
		}
		if w.Sets > 0 {
			s += fmt.Sprintf(" %dx%d", w.Sets, w.Reps)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}
