package gym

import (
	"math"
	"slices"
)

// Amounts as written in a message besides durations (duration.go): lone
// numbers, distances and set schemes.

// bareOK reports whether the integer at i stands alone: nothing but an
// activity, a date word, a connector, punctuation or an emoji after it, and
// no preposition of time ("at 7", "a las 7") or operator before it.
func (p *parser) bareOK(i int) bool {
	if slices.Contains([]string{"x", "at", "las", "la", "from", "de", "to", "a", "hasta", "around", "con", "with", "in", "en", "within"}, p.word(i-1)) ||
		p.punct(i-1, "-") || p.punct(i-1, "/") || p.punct(i-1, "@") { // "squats 5x5 @ 100": the load
		return false
	}
	j := i + 1
	if j >= len(p.toks) {
		return true
	}
	if slices.Contains(repNouns, p.word(j)) {
		return false // "100 burpees", "50 squats": a count of reps, not minutes
	}
	switch t := p.toks[j]; t.kind {
	case tBreak, tEmoji:
		return true
	case tPunct:
		if t.text == "+" {
			return p.word(j+1) != "" || p.isNum(j+1) // "yoga 30 + stretch 10", "hiit 20 + 10 min cooldown walk"
		}
		if t.text == "/" && p.dayWordAt(j+1) {
			return true // "tue: row 40 / thu: legs 1h"
		}
		return !slices.Contains([]string{"/", "-", ":", "%", "*", "x", "°"}, t.text)
	case tWord:
		if _, _, ok := p.ix.match(p.toks, j); ok {
			return true
		}
		if (t.text == "at" || t.text == "a") && p.isNum(j+1) && (p.word(j+2) == "am" || p.word(j+2) == "pm" || p.word(j+2) == "las") {
			return true // "spin 45 at 6am": the minutes, then when
		}
		if _, _, ok := p.dateAt(j); ok {
			return true
		}
		if slices.Contains(numberFillers, t.text) {
			for k := j + 1; k < len(p.toks) && k <= j+2; k++ {
				if _, _, ok := p.ix.match(p.toks, k); ok {
					return true // "twenty of abs", "30 on the treadmill"
				}
				if !slices.Contains(numberFillers, p.word(k)) {
					break
				}
			}
			return slices.Contains(connectors, t.text)
		}
		return slices.Contains(connectors, t.text) || slices.Contains(mannerWords, t.text) && j+1 == len(p.toks)
	}
	return false
}

// repNouns are exercises counted in repetitions, and lengths of a pool: a
// number before one is how many, not for how long.
var repNouns = []string{"burpees", "burpee", "pushups", "pushup", "push", "press", "situps", "situp", "sit", "squats", "squat",
	"lunges", "pullups", "pullup", "pull", "chinups", "chin", "dips", "crunches", "reps", "rep", "swings", "thrusters", "jacks",
	"flexiones", "sentadillas", "abdominales", "dominadas", "zancadas", "repeticiones", "fondos", "planchas",
	"lengths", "laps", "largos", "piscinas", "exercises", "ejercicios", "movements", "moves"} // and lengths of a pool: "50 lengths", "40 largos"

// mannerWords say how a session went; ending a message after a bare
// number they leave it minutes: "run 25 easy", "rodaje 40 suave".
var mannerWords = []string{"easy", "steady", "chill", "chilled", "hard", "slow", "fast", "tempo", "recovery", "light",
	"gentle", "relaxed", "suave", "tranqui", "tranquilo", "tranquila", "fuerte", "facil", "ligero", "ligerito", "lento", "rapido"}

// calQualifiers sit between a number and its calorie unit in app exports.
var calQualifiers = []string{"active", "total", "activas", "totales", "activa", "move"}

// climbWords name the height climbed, before its number.
var climbWords = []string{"gain", "ascent", "elevation", "elev", "desnivel", "positivo", "acumulado", "vert", "vertical", "climb", "climbing", "ascenso"}

// distanceAt reads "5k", "5 km", "3 miles", "1500 m", "800 metros"; a
// margin ("beat me by a mile") is no distance covered.
func (p *parser) distanceAt(i int) (float64, int, bool) {
	km, next, ok := p.distanceOnly(i)
	if ok && km > 0 && p.margin(i) {
		return -1, next, true
	}
	return km, next, ok
}

// distanceOnly is distanceAt without the margin.
func (p *parser) distanceOnly(i int) (float64, int, bool) {
	if slices.Contains([]string{"a", "an", "un", "one", "uno"}, p.word(i)) {
		switch u := p.word(i + 1); {
		case u == "kilometre" || u == "kilometer" || u == "kilometro" || u == "km":
			return 1, i + 2, true // "swam a kilometre", "nadé un kilómetro"
		case u == "mile" || u == "milla":
			return math.Round(kmPerMile*100) / 100, i + 2, true
		}
	}
	n, ok := p.num(i)
	if !ok || n <= 0 || p.punct(i-1, "/") {
		return 0, 0, false // "2:32/100m": a pace's unit, not a distance
	}
	if p.word(i-1) == "c" && n == 25 && p.word(i+1) == "k" {
		return -1, i + 2, true // "c25k": couch to 5k, a plan's name
	}
	j := i + 1
	if p.word(j) == "x" {
		// "6x400m", "4 x 1 km": repeats of a distance
		d, ok := p.num(j + 1)
		if !ok || d <= 0 {
			return 0, 0, false
		}
		switch {
		case p.isWord(j+2, meterUnits) || p.word(j+2) == "m" && d >= 50:
			return math.Round(n*d/10) / 100, j + 3, true
		case p.isWord(j+2, kmUnits):
			return math.Round(n*d*100) / 100, j + 3, true
		}
		return 0, 0, false
	}
	var km float64
	switch {
	case p.isWord(j, kmUnits):
		km = n
	case p.isWord(j, mileUnits):
		km = n * kmPerMile
	case p.isWord(j, meterUnits) || (p.word(j) == "m" && n >= 100):
		km = n / 1000
	case p.isWord(j, yardUnits) && n >= 25:
		km = n * kmPerYard // a pool's yards: "swam 2000 yds"
	default:
		return 0, 0, false
	}
	if p.isWord(j+1, stepWords) {
		return 0, 0, false
	}
	if p.punct(j+1, "/") && slices.Contains([]string{"h", "hr", "hour", "hora"}, p.word(j+2)) {
		return -1, j + 3, true // "at 9 km/h": a speed, not a distance covered
	}
	if (p.word(i-1) == "at" || p.word(i-1) == "los" && p.word(i-2) == "a") && km > 0 && p.anyDistanceBefore(i) {
		return -1, j + 1, true // "18k ... the hill at 14k": a point on the way, not another distance
	}
	if w := p.word(j + 1); (w == "up" || w == "climbing" || w == "of" && p.word(j+2) == "climbing") && p.isWord(j, meterUnits) || p.word(j) == "m" && w == "up" {
		return -1, j + 1, true // "600m up", "400m of climbing": height, not distance
	}
	if slices.Contains(climbWords, p.word(i-1)) || slices.Contains(climbWords, p.word(i-2)) && p.toks[i-1].kind == tWord {
		return -1, j + 1, true // "Elev Gain 512 m", "Desnivel positivo 650 m": height climbed, not distance covered
	}
	if w := p.word(j + 1); w == "elevation" || w == "desnivel" || w == "gain" || w == "ascent" || w == "vertical" ||
		w == "of" && (p.word(j+2) == "elevation" || p.word(j+2) == "climbing" || p.word(j+2) == "vert") ||
		w == "split" || w == "splits" || w == "parciales" || w == "repeats" ||
		w == "elev" || w == "plan" || w == "program" || w == "programme" || w == "de" && p.word(j+2) == "desnivel" ||
		p.word(i-1) == "to" && p.word(i-2) == "couch" || p.word(i-1) == "de" && p.word(i-2) == "plan" {
		return -1, j + 1, true // "900m elevation", "couch to 5k", "plan de 5k": not a distance covered
	}
	return math.Round(km*100) / 100, j + 1, true
}

// notRounds follow a number that counts no rounds: "5h30 round trip".
var notRounds = []string{"trip", "the"}

// setsAt reads "4x12", "4 sets of 12", "4 series de 12 reps", "3 sets",
// "12 reps".
func (p *parser) setsAt(i int) (setsHit, int, bool) {
	n, ok := p.intNum(i)
	if !ok || n <= 0 {
		return setsHit{}, 0, false
	}
	if p.word(i+1) == "x" && n <= 20 { // "160 x 3" is a load lifted three times, not 160 sets
		if r, ok := p.intNum(i + 2); ok {
			next := i + 3
			if p.isWord(next, repUnits) {
				next++
			}
			return setsHit{sets: n, reps: r}, next, true
		}
	}
	if p.isWord(i+1, setUnits) && (p.word(i+2) == "to" || p.word(i+2) == "a") && p.isNum(i+3) {
		return setsHit{}, 0, false // "lost 2 sets to 1", "perdí 2 sets a 1": a score
	}
	if p.isWord(i+1, setUnits) && slices.Contains(notRounds, p.word(i+2)) && p.word(i+1) == "round" {
		return setsHit{}, 0, false // "5h30 round trip"
	}
	if p.isWord(i+1, setUnits) {
		k := i + 2
		if w := p.word(k); w == "of" || w == "de" || w == "x" || w == "por" {
			k++
		}
		if r, ok := p.intNum(k); ok && !p.unitAfterNumberExceptReps(k+1) {
			next := k + 1
			if p.isWord(next, repUnits) {
				next++
			}
			return setsHit{sets: n, reps: r}, next, true
		}
		return setsHit{sets: n}, i + 2, true
	}
	if p.isWord(i+1, repUnits) {
		if slices.Contains([]string{"at", "to", "a", "hasta", "hit", "reached"}, p.word(i-1)) {
			return setsHit{}, i + 2, true // "pullups finally at 8 reps": a milestone, not the session's scheme
		}
		return setsHit{reps: n}, i + 2, true
	}
	return setsHit{}, 0, false
}

func (p *parser) unitAfterNumberExceptReps(i int) bool {
	return !p.isWord(i, repUnits) && p.unitAfterNumber(i)
}

// notALength reports a duration (tokens from to next) that is a rate or
// a moment, not how long something lasted: "stop every two minutes",
// "cada 5 minutos", "an hour ago", "hace una hora".
func (p *parser) notALength(from, next int) bool {
	prev := p.word(from - 1)
	if (prev == "like" || prev == "about" || prev == "around" || prev == "only" || prev == "just") && from > 1 {
		prev = p.word(from - 2) // "like an hour ago"
	}
	return slices.Contains([]string{"every", "cada"}, p.word(from-1)) || p.word(next) == "ago" || prev == "hace" && !p.isNum(from-1) ||
		p.margin(from) || p.perRound(from, next)
}

// roundWords count a session's rounds: a duration of one of them is no
// duration of the session.
var roundWords = []string{"rounds", "round", "rondas", "ronda", "asaltos", "asalto", "intervals", "intervalos", "sets", "series", "repeats"}

// perRound reports a duration (tokens from to next) that times one round:
// "8 asaltos de 3 min", "6 rounds on the bag, 3 min each".
func (p *parser) perRound(from, next int) bool {
	if (p.word(from-1) == "de" || p.word(from-1) == "of") && slices.Contains(roundWords, p.word(from-2)) {
		return true
	}
	return (p.word(next) == "each" || p.word(next) == "cada" && p.word(next+1) == "uno") && !p.eachWay(next) &&
		slices.ContainsFunc(p.words(), func(w string) bool { return slices.Contains(roundWords, w) })
}

// marginWords say an amount right after "by"/"por" is how much faster or
// later, not how long: "PB by 9 seconds", "mi mejor marca por 3 minutos",
// "beat him by 2 min".
var marginWords = []string{"pb", "pr", "best", "record", "marca", "beat", "beaten", "faster", "slower", "quicker", "late", "early",
	"won", "lost", "missed", "gane", "perdi", "mejor", "mejore", "bajé", "baje"}

// margin reports an amount at from that follows "by"/"por" after a word of
// comparison within the four words before.
func (p *parser) margin(from int) bool {
	if w := p.word(from - 1); w != "by" && w != "por" {
		return false
	}
	for k := from - 2; k >= 0 && k >= from-6; k-- {
		if slices.Contains(marginWords, p.word(k)) {
			return true
		}
	}
	return false
}

// recoveryWords name time spent recovering, which is no session: "swim 30
// then sauna 20", "yoga 45 + meditation 15", "20 min in the steam room".
var recoveryWords = []string{"sauna", "steam", "meditation", "meditating", "meditate", "jacuzzi", "hot tub", "ice bath", "ice",
	"plunge", "massage", "spa", "nap", "siesta", "meditacion", "masaje", "banera", "bano", "hammam", "cryo", "cryotherapy"}

// recoveryFill may sit between an amount and the recovery it times.
var recoveryFill = []string{"in", "the", "a", "of", "de", "en", "la", "el", "at", "min", "mins", "minutes", "minutos"}

// recoveryNear reports an amount (tokens from to next) that times a
// recovery: the recovery word right before it ("sauna 20") or right
// after it, past fillers ("20 min in the sauna").
func (p *parser) recoveryNear(from, next int) bool {
	if slices.Contains(recoveryWords, p.word(from-1)) || p.word(from-1) == "room" && p.word(from-2) == "steam" {
		return true
	}
	for k := next; k < len(p.toks) && k < next+4; k++ {
		w := p.word(k)
		if slices.Contains(recoveryWords, w) {
			return true
		}
		if !slices.Contains(recoveryFill, w) {
			return false
		}
	}
	return false
}

// anyDistanceBefore reports a distance covered before position i: then "at
// 14k" is a point on that distance.
func (p *parser) anyDistanceBefore(i int) bool {
	for k := 0; k < i-1; k++ {
		if km, _, ok := p.distanceAt(k); ok && km > 0 {
			return true
		}
	}
	return false
}
