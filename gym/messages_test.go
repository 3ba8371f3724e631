package gym

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// The reference instant of the message tests: Wednesday 18 March 2026,
// 20:00 in a UTC+1 zone.
var (
	testLoc = time.FixedZone("CET", 3600)
	testNow = time.Date(2026, 3, 18, 20, 0, 0, 0, testLoc)
	today   = Date{2026, time.March, 18}
)

func day(offset int) Date { return today.AddDays(offset) }

// wk is a workout of the test member on today+offset.
func wk(activity string, minutes, offset int) Workout {
	return Workout{Member: "ana", Date: day(offset), Activity: activity, Minutes: minutes}
}

func (w Workout) km(v float64) Workout      { w.DistanceKm = v; return w }
func (w Workout) kcal(v int) Workout        { w.Calories = v; return w }
func (w Workout) sr(sets, reps int) Workout { w.Sets, w.Reps = sets, reps; return w }

type msgCase struct {
	text string
	kind Kind
	want []Workout // when the rules decide
	errs []error   // when they cannot: each must match with errors.Is
}

var messageCases = []msgCase{
	// English, typed
	{"biceps 45 min", KindWorkoutLog, []Workout{wk("biceps", 45, 0)}, nil},
	{"Biceps 45min 💪", KindWorkoutLog, []Workout{wk("biceps", 45, 0)}, nil},
	{"legs 1h", KindWorkoutLog, []Workout{wk("legs", 60, 0)}, nil},
	{"Leg day 1 h", KindWorkoutLog, []Workout{wk("legs", 60, 0)}, nil},
	{"chest & tris 1h15m", KindWorkoutLog, []Workout{wk("chest+triceps", 75, 0)}, nil},
	{"tris and chest, 1h 15", KindWorkoutLog, []Workout{wk("chest+triceps", 75, 0)}, nil},
	{"ran 5k in 28 min", KindWorkoutLog, []Workout{wk("running", 28, 0).km(5)}, nil},
	{"Ran 10km this morning, 55'", KindWorkoutLog, []Workout{wk("running", 55, 0).km(10)}, nil},
	{"swim 1.5h", KindWorkoutLog, []Workout{wk("swimming", 90, 0)}, nil},
	{"yoga 60 minutes yesterday", KindWorkoutLog, []Workout{wk("yoga", 60, -1)}, nil},
	{"did back and biceps on monday for 1:15", KindWorkoutLog, []Workout{wk("back+biceps", 75, -2)}, nil},
	{"shoulders 4x12, 50 min", KindWorkoutLog, []Workout{wk("shoulders", 50, 0).sr(4, 12)}, nil},
	{"arms: 4 sets of 12, 40 min, 350 kcal", KindWorkoutLog, []Workout{wk("arms", 40, 0).sr(4, 12).kcal(350)}, nil},
	{"🏃 5 km 30 min", KindWorkoutLog, []Workout{wk("running", 30, 0).km(5)}, nil},
	{"🚴‍♂️ 1h 20 min", KindWorkoutLog, []Workout{wk("cycling", 80, 0)}, nil},
	{"🏋️‍♀️ 45'", KindWorkoutLog, []Workout{wk("strength", 45, 0)}, nil},
	{"crosfit 1h", KindWorkoutLog, []Workout{wk("crossfit", 60, 0)}, nil},
	{"bicpes 30 min", KindWorkoutLog, []Workout{wk("biceps", 30, 0)}, nil},
	{"hiit half an hour", KindWorkoutLog, []Workout{wk("hiit", 30, 0)}, nil},
	{"an hour and a half of padel yesterday", KindWorkoutLog, []Workout{wk("padel", 90, -1)}, nil},
	{"45 min chest and 20 min abs", KindWorkoutLog, []Workout{wk("chest", 45, 0), wk("abs", 20, 0)}, nil},
	{"legs 1h\nthen ran 3 miles in 25 min", KindWorkoutLog, []Workout{wk("legs", 60, 0), wk("running", 25, 0).km(4.83)}, nil},
	{"walked 40 min on sunday", KindWorkoutLog, []Workout{wk("walking", 40, -3)}, nil},
	{"rowing 20 min 5000m", KindWorkoutLog, []Workout{wk("rowing", 20, 0).km(5)}, nil},
	{"climbing 2 hours 12/03", KindWorkoutLog, []Workout{wk("climbing", 120, -6)}, nil},
	{"tennis 90 min last wednesday", KindWorkoutLog, []Workout{wk("tennis", 90, -7)}, nil},
	{"stretching 15 min", KindWorkoutLog, []Workout{wk("stretching", 15, 0)}, nil},
	{"Pilates reformer 50 min", KindWorkoutLog, []Workout{wk("pilates", 50, 0)}, nil},
	// English voice notes and photo descriptions
	{"eh so today I did uh legs for like an hour", KindWorkoutLog, []Workout{wk("legs", 60, 0)}, nil},
	{"so um yesterday I went swimming for about forty five minutes", KindWorkoutLog, []Workout{wk("swimming", 45, -1)}, nil},
	{"okay so I did chest today it was like fifty minutes", KindWorkoutLog, []Workout{wk("chest", 50, 0)}, nil},
	{"Apple Watch summary: Traditional Strength Training, time 0:52:10, active 310 kcal", KindWorkoutLog, []Workout{wk("strength", 52, 0).kcal(310)}, nil},
	{"Outdoor Run 5.02 km 28:14 350 kcal", KindWorkoutLog, []Workout{wk("running", 28, 0).km(5.02).kcal(350)}, nil},
	// Spanish, typed
	{"pecho y tríceps 1h", KindWorkoutLog, []Workout{wk("chest+triceps", 60, 0)}, nil},
	{"tricpes y bíceps 40min", KindWorkoutLog, []Workout{wk("biceps+triceps", 40, 0)}, nil},
	{"Hoy pierna 1 hora y media", KindWorkoutLog, []Workout{wk("legs", 90, 0)}, nil},
	{"ayer corrí 5 km en 28 minutos", KindWorkoutLog, []Workout{wk("running", 28, -1).km(5)}, nil},
	{"antier natación 45 min", KindWorkoutLog, []Workout{wk("swimming", 45, -2)}, nil},
	{"el lunes hice espalda, 50 min", KindWorkoutLog, []Workout{wk("back", 50, -2)}, nil},
	{"bici 1,5 h", KindWorkoutLog, []Workout{wk("cycling", 90, 0)}, nil},
	{"media hora de abdominales", KindWorkoutLog, []Workout{wk("abs", 30, 0)}, nil},
	{"hombros 4 series de 12, 45 minutos", KindWorkoutLog, []Workout{wk("shoulders", 45, 0).sr(4, 12)}, nil},
	{"spinning 45' 🔥", KindWorkoutLog, []Workout{wk("cycling", 45, 0)}, nil},
	{"anteayer boxeo una hora", KindWorkoutLog, []Workout{wk("boxing", 60, -2)}, nil},
	{"pesas 1h, pierna y glúteos", KindWorkoutLog, []Workout{wk("legs+glutes", 60, 0)}, nil},
	{"Entrené 90 minutos", KindWorkoutLog, []Workout{wk("workout", 90, 0)}, nil},
	{"caminar 1h el sábado", KindWorkoutLog, []Workout{wk("walking", 60, -4)}, nil},
	{"fútbol 2 horas", KindWorkoutLog, []Workout{wk("football", 120, 0)}, nil},
	{"pádel hora y media", KindWorkoutLog, []Workout{wk("padel", 90, 0)}, nil},
	{"tres cuartos de hora de yoga", KindWorkoutLog, []Workout{wk("yoga", 45, 0)}, nil},
	{"ayer espalda 45 min\nhoy pierna 1h", KindWorkoutLog, []Workout{wk("back", 45, -1), wk("legs", 60, 0)}, nil},
	{"Salí a correr 30 min 🏃‍♀️", KindWorkoutLog, []Workout{wk("running", 30, 0)}, nil},
	{"corrí 10k en 52:20", KindWorkoutLog, []Workout{wk("running", 52, 0).km(10)}, nil},
	{"1h de spinning el 12/03", KindWorkoutLog, []Workout{wk("cycling", 60, -6)}, nil},
	{"escalada 2h ayer 😅", KindWorkoutLog, []Workout{wk("climbing", 120, -1)}, nil},
	{"remo 2000 metros 8 min", KindWorkoutLog, []Workout{wk("rowing", 8, 0).km(2)}, nil},
	{"natacion 1500m 40 min", KindWorkoutLog, []Workout{wk("swimming", 40, 0).km(1.5)}, nil},
	{"Pecho 1h + 20 min de cardio", KindWorkoutLog, []Workout{wk("chest", 60, 0), wk("cardio", 20, 0)}, nil},
	// Spanish voice notes
	{"hoy hice pierna como una hora y cuarto", KindWorkoutLog, []Workout{wk("legs", 75, 0)}, nil},
	{"bueno pues ayer fui a nadar cuarenta y cinco minutos", KindWorkoutLog, []Workout{wk("swimming", 45, -1)}, nil},
	{"vale pues hoy he hecho espalda y bíceps durante una hora más o menos", KindWorkoutLog, []Workout{wk("back+biceps", 60, 0)}, nil},
	{"eh hoy una horita de bici estática", KindWorkoutLog, []Workout{wk("cycling", 60, 0)}, nil},
	{"biceps 45", KindWorkoutLog, []Workout{wk("biceps", 45, 0)}, nil},
	{"pierna 60 💪", KindWorkoutLog, []Workout{wk("legs", 60, 0)}, nil},
	{"gym 7:00-8:15", KindWorkoutLog, []Workout{wk("strength", 75, 0)}, nil},
	{"press banca 80kg 5x5 40 min", KindWorkoutLog, []Workout{wk("chest", 40, 0).sr(5, 5)}, nil},
	{"Yesterday: chest 1h. Today: back 50 min", KindWorkoutLog, []Workout{wk("chest", 60, -1), wk("back", 50, 0)}, nil},
	{"bici estática 30 minutos y luego abdominales 15 minutos", KindWorkoutLog, []Workout{wk("cycling", 30, 0), wk("abs", 15, 0)}, nil},
	{"he estado en el gimnasio una hora y media", KindWorkoutLog, []Workout{wk("strength", 90, 0)}, nil},
	{"hoy me di una paliza: pierna y glúteo 1h20", KindWorkoutLog, []Workout{wk("legs+glutes", 80, 0)}, nil},
	{"Just finished a 10k run, 58 min!", KindWorkoutLog, []Workout{wk("running", 58, 0).km(10)}, nil},
	{"walked the dog 20 min", KindWorkoutLog, []Workout{wk("walking", 20, 0)}, nil},
	// the rules cannot decide
	{"legs yesterday", KindWorkoutLog, nil, []error{ErrNoDuration}},
	{"ran 5", KindWorkoutLog, nil, []error{ErrNoDuration}},
	{"ran 5k", KindWorkoutLog, nil, []error{ErrNoDuration}},
	{"yoga", KindWorkoutLog, nil, []error{ErrNoDuration}},
	{"did 45 min today 💪", KindWorkoutLog, nil, []error{ErrNoActivity}},
	{"legs 1h and 2h", KindWorkoutLog, nil, []error{ErrAmbiguous}},
	{"pecho 31/02 1h", KindWorkoutLog, nil, []error{ErrBadDate}},
	{"pierna 1h; ayer espalda 45 min", KindWorkoutLog, nil, []error{ErrAmbiguous}},
	// summary requests
	{"how are we doing this week?", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"leaderboard", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"stats pls", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"who's winning this month?", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"resumen de la semana", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"¿cómo vamos este mes?", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"quién va ganando?", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	{"progress this week?", KindSummaryRequest, nil, []error{ErrNotWorkout}},
	// other
	{"How many workouts this week?", KindSummaryRequest, nil, nil},
	{"ayer no pude ir al gym", KindOther, nil, nil},
	{"this week I did 3 sessions", KindOther, nil, []error{ErrNotWorkout}},
	{"hoy toca pierna 💀", KindOther, nil, nil},
	{"my legs are dead after yesterday", KindOther, nil, nil},
	{"I'll be back in 10 min", KindOther, nil, []error{ErrNoActivity}},
	{"hey guys good morning!", KindOther, nil, []error{ErrNotWorkout}},
	{"Buenos días equipo!", KindOther, nil, []error{ErrNotWorkout}},
	{"jajaja qué crack", KindOther, nil, []error{ErrNotWorkout}},
	{"I'm back home, see you in 20 min", KindOther, nil, []error{ErrNoActivity}},
	{"back at it tomorrow 💪", KindOther, nil, []error{ErrNotWorkout}},
	{"anyone up for a run tomorrow?", KindOther, nil, []error{ErrNoDuration}},
	{"gonna hit legs later", KindOther, nil, []error{ErrNoDuration}},
	{"should I do chest or back today?", KindOther, nil, []error{ErrNoDuration}},
	{"mañana voy a hacer pierna", KindOther, nil, []error{ErrNoDuration}},
	{"¿alguien va al gym hoy?", KindOther, nil, []error{ErrNoDuration}},
	{"I'm going to the gym", KindOther, nil, []error{ErrNoDuration}},
	{"Heading to the gym in 20 min", KindOther, nil, nil},
	{"cómo vamos a hacer lo del sábado?", KindOther, nil, []error{ErrNotWorkout}},
}

func TestMessages(t *testing.T) {
	if len(messageCases) < 50 {
		t.Fatalf("only %d message cases", len(messageCases))
	}
	for _, tc := range messageCases {
		t.Run(tc.text, func(t *testing.T) {
			if got := Classify(tc.text); got != tc.kind {
				t.Errorf("Classify = %s, want %s", got, tc.kind)
			}
			msg := Message{ID: "m1", Member: "ana", Text: tc.text}
			got, err := Extract(msg, testNow, testLoc)
			if tc.want != nil {
				if err != nil {
					t.Fatalf("Extract error: %v", err)
				}
				want := make([]Workout, len(tc.want))
				for i, w := range tc.want {
					w.SourceMessageID = SourceID("m1", i)
					want[i] = w
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Extract =\n %+v\nwant\n %+v", got, want)
				}
				return
			}
			if tc.errs == nil {
				return // the rules may read a plan; Classify is what matters
			}
			var xe *ExtractError
			if !errors.As(err, &xe) {
				t.Fatalf("Extract = %+v, %v; want an *ExtractError", got, err)
			}
			for _, want := range tc.errs {
				if !errors.Is(err, want) {
					t.Errorf("Extract error %v does not match %v", err, want)
				}
			}
		})
	}
}
