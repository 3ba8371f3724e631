package gym

import (
	"slices"
	"testing"
)

func TestNormalizeActivity(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Bíceps", "biceps"},
		{"TRICEPS", "triceps"},
		{"pecho", "chest"},
		{"espalda", "back"},
		{"leg day", "legs"},
		{"piernas", "legs"},
		{"hombros", "shoulders"},
		{"brazos", "arms"},
		{"core", "abs"},
		{"abdominales", "abs"},
		{"corrí", "running"},
		{"🏃‍♂️", "running"},
		{"🚴🏽", "cycling"},
		{"bici", "cycling"},
		{"natación", "swimming"},
		{"🏊‍♀️", "swimming"},
		{"boxeo", "boxing"},
		{"caminar", "walking"},
		{"remo", "rowing"},
		{"escalada", "climbing"},
		{"🏋️", "strength"},
		{"pesas", "strength"},
		{"gym", "strength"},
		{"fútbol", "football"},
		{"tenis", "tennis"},
		{"pádel", "padel"},
		{"entreno", "workout"},
		{"gym workout", "strength"},
		{"pecho y tríceps", "chest+triceps"},
		{"peloton yoga", "yoga"},
		{"peloton strength", "strength"},
		{"peloton", "cycling"},
		{"chest & tris", "chest+triceps"},
		{"triceps+chest", "chest+triceps"},
		{"chest+triceps", "chest+triceps"},
		{"legs, legs and more legs", "legs"},
		{"pesas: pierna", "legs"},
		{"hombors", "shoulders"},
		{"estiramientoss", "stretching"},
		{"knitting", ""},
		{"I'm back", ""},
		{"correo", ""},
	}
	for _, tc := range tests {
		got, ok := NormalizeActivity(tc.in)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("NormalizeActivity(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestActivitiesAreKnownAndNormalized(t *testing.T) {
	all := Activities()
	if len(all) < 25 || !slices.Contains(all, "padel") {
		t.Fatalf("Activities() = %v", all)
	}
	for _, a := range all {
		if !IsKnownActivity(a) {
			t.Errorf("%s not known", a)
		}
		if got, _ := NormalizeActivity(a); got != a {
			t.Errorf("NormalizeActivity(%q) = %q", a, got)
		}
	}
	all[0] = "mutated"
	if Activities()[0] != "chest" {
		t.Error("Activities returns the package's slice")
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"biceps", "biceps", 0},
		{"bicpes", "biceps", 1},
		{"runing", "running", 1},
		{"crosfit", "crossfit", 1},
		{"abc", "abcdef", 3},
	}
	for _, tc := range tests {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestTyposAreNotOtherWords holds the line between a misspelt activity
// and a real word a letter or two away from one: "talking" is not
// walking, "el lunes" is not lunges, "boring" is not boxing.
func TestTyposAreNotOtherWords(t *testing.T) {
	ix := newActivityIndex()
	ix.memo = map[string]string{}
	tests := []struct {
		word, want string
	}{
		{"cilmbing", "climbing"},
		{"swimmming", "swimming"},
		{"spinnig", "cycling"},
		{"tricpes", "triceps"},
		{"pilattes", "pilates"},
		{"wieghts", "strength"},
		{"dreadmill", "running"},
		{"talking", ""},
		{"growing", ""},
		{"raining", ""},
		{"draining", ""},
		{"sunning", ""},
		{"boring", ""},
		{"lunes", ""},
		{"fuera", ""},
		{"gluten", ""},
		{"plates", ""},
		{"slimming", ""},
		{"splints", ""},
		{"weight", ""},
		{"planchar", ""},
		{"turno", ""},
	}
	for _, tc := range tests {
		got, _, _ := ix.match([]token{{kind: tWord, text: tc.word}}, 0)
		if got != tc.want {
			t.Errorf("match(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}
