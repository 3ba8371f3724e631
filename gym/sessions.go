package gym

import (
	"math"
	"slices"
)

// dropEmojis drops the activities named by emojis when a word names one:
// "padel 1h 🎾" is padel, not tennis and padel.
func dropEmojis(acts []actHit) []actHit {
	if !slices.ContainsFunc(acts, func(a actHit) bool { return !a.emoji }) {
		return acts
	}
	return slices.DeleteFunc(slices.Clone(acts), func(a actHit) bool { return a.emoji })
}

// indoor reports whether the activities are a stationary form of a
// distance sport ("spin 45", "bici estática 40"), where a lone number is
// minutes.
func (p *parser) indoor(acts []actHit) bool {
	for _, a := range acts {
		for k := a.pos; k < a.end+1; k++ {
			switch p.word(k) {
			case "spin", "spinning", "rodillo", "estatica", "stationary", "treadmill", "cinta", "class", "clase", "rower", "erg":
				return true
			}
		}
	}
	return false
}

// runningPace reports whether km in minutes is a running pace (3.5 to 8
// minutes per km): a distance and a time with no activity named is then a
// run.
func runningPace(km float64, minutes int) bool {
	if km <= 0 || minutes <= 0 || km > 50 {
		return false
	}
	pace := float64(minutes) / km
	return pace >= 3.5 && pace <= 8
}

// cyclingPace reports whether km in minutes is a riding speed (18 to 40
// km/h over at least 15 km): "did 45km to office and back, 1h50 total"
// with no sport named was a ride.
func cyclingPace(km float64, minutes int) bool {
	if km < 15 || minutes <= 0 || km > MaxDistanceKm {
		return false
	}
	kmh := km * 60 / float64(minutes)
	return kmh >= 18 && kmh <= 40
}

// raceDistance reports whether the distance at pos names a race ("a 10k",
// "un 5k"), which is a run.
func (p *parser) raceDistance(pos int) bool {
	switch w := p.word(pos - 1); {
	case w == "a" || w == "un" || w == "my" || w == "mi" || w == "the" || w == "el":
		return p.word(pos+1) == "k" || p.word(pos+1) == "km"
	case slices.Contains(runManners, w):
		return p.isWord(pos+1, kmUnits) || p.isWord(pos+1, mileUnits) // "easy 6k before work", "long 18 miles"
	}
	return false
}

// runManners qualify a bare distance as a run: "easy 6k", "long 18k",
// "tempo 8k", "recovery 5k".
var runManners = []string{"easy", "long", "tempo", "recovery", "steady", "progression", "hilly", "gentle", "slow", "quick",
	"brisk", "fartlek", "threshold", "suave", "larga", "tirada", "rodaje"}

// mannerDistance reports a distance qualified as a run (see runManners).
func (p *parser) mannerDistance() bool {
	for k := range p.toks {
		if km, _, ok := p.distanceAt(k); ok && km > 0 && slices.Contains(runManners, p.word(k-1)) && p.raceDistance(k) {
			return true
		}
	}
	return false
}

// timesOfDay may open a report before its sport: "evening swim", "lunchtime
// walk", "after work spin".
var timesOfDay = []string{"morning", "evening", "lunchtime", "lunch", "sunrise", "sunset", "dawn", "arvo", "afternoon", "night",
	"midnight", "early", "late", "weekend", "post-work", "pre-work", "mañanera", "mananero", "mananera", "nocturno", "nocturna"}

// opensWithSport reports a message that opens like a diary entry: a time of
// day, then the sport ("evening swim, water was lovely", "after work spin,
// legs toast").
func (p *parser) opensWithSport() bool {
	k := 0
	for k < len(p.toks) && p.toks[k].kind != tWord {
		k++
	}
	switch {
	case slices.Contains(timesOfDay, p.word(k)):
		k++
	case (p.word(k) == "after" || p.word(k) == "before" || p.word(k) == "post" || p.word(k) == "pre") && p.punct(k+1, "-") && p.word(k+2) == "work":
		k += 3
	case (p.word(k) == "after" || p.word(k) == "post" || p.word(k) == "pre") && (p.word(k+1) == "work" || p.word(k+1) == "school"):
		k += 2
	default:
		return false
	}
	name, _, ok := p.ix.match(p.toks, k)
	return ok && !isGeneric(name) && p.toks[k].kind == tWord
}

// nextToActivity reports whether the number at pos sits by an activity:
// right before it ("30 de gimnasio", "20 abs") or right after it ("pesas
// 30").
func (p *parser) nextToActivity(acts []actHit, pos int) bool {
	for _, a := range acts {
		k := pos + 1
		for k <= pos+3 && slices.Contains(numberFillers, p.word(k)) {
			k++
		}
		b := pos
		for b >= pos-2 && slices.Contains(numberFillers, p.word(b-1)) {
			b--
		}
		if a.pos == k || a.end == pos || a.end == b {
			return true
		}
	}
	return false
}

// assign splits a session with several durations into one workout per
// duration: a duration followed by "de"/"of" and an activity ("45 min de
// pádel") takes the activities after it, one written after activities
// ("pecho 1h") takes those since the previous duration; activities with
// no duration of their own join the nearest workout. Generic activities
// ("gym") count only when they alone have a duration ("30 de gimnasio").
// ok is false when some duration has no activity.
// phaseWords name a phase of a session before its activity: "10 min
// cooldown walk", "15 min warm-up jog".
var phaseWords = []string{"cooldown", "cool", "down", "warmup", "warm", "up", "recovery", "easy", "light", "vuelta", "calma", "calentamiento"}

// ownDurations drops the durations of something else: "20 min sauna after
// 40 min of weights", a duration followed by a word that is no activity,
// when another duration remains.
func (p *parser) ownDurations(s clause) []quantity {
	own := slices.DeleteFunc(slices.Clone(s.durs), func(d quantity) bool {
		k := p.afterAmount(d.pos)
		for slices.Contains(numberFillers, p.word(k)) || slices.Contains(phaseWords, p.word(k)) || p.punct(k, "-") {
			k++ // "10 min cooldown walk", "15 min warm-up jog"
		}
		w := p.word(k)
		if w == "" || slices.Contains(connectors, w) || slices.Contains(fillers, w) || slices.Contains(splitWords, w) {
			return false
		}
		_, _, isAct := p.ix.match(p.toks, k)
		return !isAct && !slices.ContainsFunc(s.acts, func(a actHit) bool { return a.end == d.pos })
	})
	if len(own) == 0 {
		return s.durs
	}
	return own
}

func (p *parser) assign(s clause, date Date) ([]Workout, bool) {
	type part struct {
		acts []actHit
		dur  quantity
	}
	parts := make([]part, len(s.durs))
	claimed := make([]bool, len(s.acts))
	for i, d := range s.durs {
		parts[i].dur = d
		k := p.afterAmount(d.pos)
		for p.word(k) == "de" || p.word(k) == "of" || p.word(k) == "del" {
			k++
		}
		forward := false
		for j, a := range s.acts {
			if a.pos == k && !claimed[j] {
				forward = true
				// take this activity and those joined to it by "y"/"and"
				parts[i].acts = append(parts[i].acts, a)
				claimed[j] = true
				for j2 := j + 1; j2 < len(s.acts) && (i+1 >= len(s.durs) || s.acts[j2].pos < s.durs[i+1].pos) && p.joined(s.acts[j2-1], s.acts[j2]); j2++ {
					parts[i].acts = append(parts[i].acts, s.acts[j2])
					claimed[j2] = true
				}
			}
		}
		if forward {
			continue
		}
		prev := -1
		if i > 0 {
			prev = s.durs[i-1].pos
		}
		for j, a := range s.acts {
			if !claimed[j] && a.pos > prev && a.pos < d.pos {
				parts[i].acts = append(parts[i].acts, a)
				claimed[j] = true
			}
		}
	}
	for j, a := range s.acts {
		if claimed[j] || isGeneric(a.name) {
			continue
		}
		best := 0
		for i := range parts {
			if abs(parts[i].dur.pos-a.pos) < abs(parts[best].dur.pos-a.pos) {
				best = i
			}
		}
		parts[best].acts = append(parts[best].acts, a)
	}
	ws := make([]Workout, len(parts))
	for i, pt := range parts {
		ws[i] = Workout{Date: date, Activity: p.ix.composite(p.sessionNames(pt.acts)), Minutes: int(math.Round(pt.dur.val))}
		if ws[i].Activity == "" {
			return nil, false
		}
	}
	nearest := func(pos int) int {
		best := 0
		for i := range parts {
			if abs(parts[i].dur.pos-pos) < abs(parts[best].dur.pos-pos) {
				best = i
			}
		}
		return best
	}
	// a distance goes with the time given for it ("5k run in 27"), else
	// with the nearest duration
	timedBy := func(pos int) int {
		for i, pt := range parts {
			if pt.dur.pos > pos && pt.dur.pos-pos <= 5 && (p.word(pt.dur.pos-1) == "in" || p.word(pt.dur.pos-1) == "en") {
				return i
			}
		}
		return nearest(pos)
	}
	for i := range ws {
		var dists, cals []quantity
		var sets []setsHit
		for _, q := range s.dists {
			if timedBy(q.pos) == i {
				dists = append(dists, q)
			}
		}
		for _, q := range s.cals {
			if nearest(q.pos) == i {
				cals = append(cals, q)
			}
		}
		for _, q := range s.sets {
			if nearest(q.pos) == i {
				sets = append(sets, q)
			}
		}
		fill(&ws[i], dists, cals, sets)
	}
	return ws, true
}

// afterAmount returns the position after the amount starting at pos (a
// number and its unit).
func (p *parser) afterAmount(pos int) int {
	if _, next, ok := p.durationAt(pos); ok && next > pos {
		return next
	}
	return pos + 1
}

// joined reports whether two activities are written as one ("pecho y
// tríceps", "chest & tris").
func (p *parser) joined(a, b actHit) bool {
	if b.pos == a.end {
		return true
	}
	if b.pos == a.end+1 {
		w := p.word(a.end)
		return w == "y" || w == "and" || w == "e" || p.punct(a.end, "&") || p.punct(a.end, "+") || p.punct(a.end, "/")
	}
	return false
}

// total returns the duration said to be the total ("1h10 total", "1h en
// total", "in total", "50 min all in", "altogether"), when there is one.
func (p *parser) total(durs []quantity) (quantity, bool) {
	for _, d := range durs {
		k := p.afterAmount(d.pos)
		if p.word(k) == "total" || p.word(k) == "overall" || p.word(k) == "altogether" || p.word(k) == "all" && p.word(k+1) == "in" ||
			p.word(k) == "all" && p.word(k+1) == "told" || (p.word(k) == "en" || p.word(k) == "in") && p.word(k+1) == "total" ||
			p.word(d.pos-1) == "total" || p.punct(d.pos-1, ":") && p.word(d.pos-2) == "total" {
			return d, true
		}
	}
	return quantity{}, false
}

// anyDuration reports whether the message states a duration with a unit
// somewhere, or pairs two numbers with their activities: then a number by
// an activity elsewhere is minutes too ("lifted 45 mins, then 15 on the
// bike", "brick session: bike 60, run 15").
func (p *parser) anyDuration() bool {
	paired := 0 // "bike 60, run 15": numbers by their activities, all minutes
	for k := range p.toks {
		if m, _, ok := p.durationAt(k); ok && m > 0 {
			return true
		}
		if _, _, ok := p.ix.match(p.toks, k); ok {
			if v, ok := p.intNum(k + 1); ok && v >= 10 && v <= MaxMinutes && !p.unitAfterNumber(k+2) {
				paired++
			}
		}
	}
	return paired > 1
}

// couchTo5k reports the beginners' running plan: "couch to 5k", "c25k".
func (p *parser) couchTo5k() bool {
	for k := range p.toks {
		if p.word(k) == "couch" && p.word(k+1) == "to" || p.word(k) == "c" && p.isNum(k+1) && p.toks[k+1].num == 25 && p.word(k+2) == "k" {
			return true
		}
	}
	return false
}
