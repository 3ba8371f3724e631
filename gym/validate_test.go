package gym

import (
	"errors"
	"math"
	"testing"
)

func TestValidate(t *testing.T) {
	members := []string{"ana", "Luis"}
	ok := wk("legs", 60, 0)
	tests := []struct {
		name   string
		mutate func(*Workout)
		field  string // "" means valid
		err    error
	}{
		{"valid", func(*Workout) {}, "", nil},
		{"valid composite", func(w *Workout) { w.Activity = "chest+triceps" }, "", nil},
		{"member case-insensitive", func(w *Workout) { w.Member = "luis" }, "", nil},
		{"oldest allowed day", func(w *Workout) { w.Date = day(-MaxAgeDays) }, "", nil},
		{"all optional fields at max", func(w *Workout) {
			w.Minutes, w.DistanceKm, w.Sets, w.Reps, w.Calories = MaxMinutes, MaxDistanceKm, MaxSets, MaxReps, MaxCalories
		}, "", nil},
		{"missing member", func(w *Workout) { w.Member = " " }, "member", ErrMissing},
		{"unknown member", func(w *Workout) { w.Member = "mallory" }, "member", ErrUnknownMember},
		{"missing date", func(w *Workout) { w.Date = Date{} }, "date", ErrMissing},
		{"tomorrow", func(w *Workout) { w.Date = day(1) }, "date", ErrFutureDate},
		{"15 days ago", func(w *Workout) { w.Date = day(-MaxAgeDays - 1) }, "date", ErrTooOld},
		{"missing activity", func(w *Workout) { w.Activity = "" }, "activity", ErrMissing},
		{"unknown activity", func(w *Workout) { w.Activity = "knitting" }, "activity", ErrUnknownActivity},
		{"not normalized", func(w *Workout) { w.Activity = "Legs" }, "activity", ErrUnknownActivity},
		{"composite out of order", func(w *Workout) { w.Activity = "triceps+chest" }, "activity", ErrUnknownActivity},
		{"composite with generic", func(w *Workout) { w.Activity = "legs+strength" }, "activity", ErrUnknownActivity},
		{"zero minutes", func(w *Workout) { w.Minutes = 0 }, "minutes", ErrOutOfRange},
		{"601 minutes", func(w *Workout) { w.Minutes = 601 }, "minutes", ErrOutOfRange},
		{"negative distance", func(w *Workout) { w.DistanceKm = -1 }, "distance_km", ErrOutOfRange},
		{"301 km", func(w *Workout) { w.DistanceKm = 301 }, "distance_km", ErrOutOfRange},
		{"NaN km", func(w *Workout) { w.DistanceKm = math.NaN() }, "distance_km", ErrOutOfRange},
		{"too many sets", func(w *Workout) { w.Sets = MaxSets + 1 }, "sets", ErrOutOfRange},
		{"negative reps", func(w *Workout) { w.Reps = -3 }, "reps", ErrOutOfRange},
		{"5001 kcal", func(w *Workout) { w.Calories = 5001 }, "calories", ErrOutOfRange},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := ok
			tc.mutate(&w)
			err := Validate(w, testNow, testLoc, members)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			fe := ve.Field(tc.field)
			if fe == nil || len(ve.Fields) != 1 {
				t.Fatalf("Validate = %v, want only field %s", err, tc.field)
			}
			if !errors.Is(err, tc.err) || !errors.Is(fe, tc.err) {
				t.Errorf("Validate = %v, want %v", err, tc.err)
			}
		})
	}
}

func TestValidateAllMembersWhenNoList(t *testing.T) {
	w := wk("legs", 60, 0)
	w.Member = "anyone"
	if err := Validate(w, testNow, testLoc, nil); err != nil {
		t.Fatal(err)
	}
}

func TestValidateListsEveryField(t *testing.T) {
	err := Validate(Workout{Minutes: 900}, testNow, testLoc, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	want := "gym: invalid workout: member: missing; date: missing; activity: missing; minutes: out of range: 900 not in 1..600"
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err, want)
	}
}
