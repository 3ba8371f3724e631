package gym

import (
	"slices"
	"strings"
)

// Races and programmes: a clock time next to a race's result words says
// the race is over and was the sender's ("parkrun saturday 24:12 PB"),
// however much the message reads like an event's date; a coach's WOD or
// timetable names sessions and times that nobody has done yet.

// resultWords mark a race's result: with a clock time, the race is over.
var resultWords = []string{"official", "oficial", "chip", "pb", "pr", "podium", "podio", "finisher", "finish", "medal", "medalla",
	"mejor marca", "marca personal", "personal best", "personal record", "new best", "nuevo record", "record personal", "age group"}

// lateLogs say a report comes late: what it reports was done.
var lateLogs = []string{"late log", "late post", "forgot to post", "forgot to log", "forgot to put", "se me olvido poner",
	"se me olvido subir", "olvide poner", "olvide subir", "se me paso poner"}

// raceResult reports a clock time with a word or medal marking a race
// result: "parkrun saturday 24:12 PB", "10k sunday: 47:55 official".
func (p *parser) raceResult() bool {
	if !slices.ContainsFunc(p.toks, func(t token) bool { return t.kind == tClock }) ||
		p.phrase("pb is", "pr is", "best is", "pb was", "pr was", "pb of", "pr of", "marca es", "marca era", "record is", "time is") {
		return false // "my marathon pb is 3:45": a standing record, not today's race
	}
	for _, t := range p.toks {
		if t.kind == tEmoji && strings.ContainsAny(t.text, "🏅🥇🥈🥉🏆") {
			return true
		}
	}
	return p.phrase(resultWords...)
}

// programming reports a coach's programme or timetable: a WOD, a
// timetable or a class schedule with its times or cap ("FRIDAY WOD: ...
// 25 min cap. Classes 6:30, 9:30", "horario nuevo: aquagym lunes 10h").
func (p *parser) programming() bool {
	if p.phrase("timetable", "schedule", "horario", "horarios", "class times", "clases a las", "classes at") {
		return true
	}
	return p.phrase("wod", "workout of the day", "entreno del dia") && p.phrase("cap", "time cap", "tope", "classes", "clases")
}
