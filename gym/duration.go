package gym

import (
	"fmt"
	"math"
	"slices"
)

// durationAt reads a duration at i. It returns
// minutes < 0 with ok for a clock time that is not a duration ("at 7:30"),
// so the caller skips it.
func (p *parser) durationAt(i int) (float64, int, bool) {
	m, next, ok := p.durationOnly(i)
	if ok && m > 0 && p.eachWay(next) {
		return 2 * m, next, true // "25 min each way": there and back
	}
	return m, next, ok
}

// eachWay reports words at i saying a duration counts once each way of a
// round trip: "each way", "cada trayecto", or "each" in a message that
// says the trip went both ways ("bike commute both ways, 25 min each").
func (p *parser) eachWay(i int) bool {
	w, next := p.word(i), p.word(i+1)
	switch {
	case (w == "each" || w == "per") && (next == "way" || next == "direction"),
		(w == "cada" || w == "por") && (next == "trayecto" || next == "sentido" || next == "tramo" || next == "camino"):
		return true
	case w == "each" || w == "cada" && next == "uno":
		return p.phrase("both ways", "there and back", "to and from", "ida y vuelta", "y volvi", "y vuelta")
	}
	return false
}

// durationOnly is durationAt without the round trip.
func (p *parser) durationOnly(i int) (float64, int, bool) {
	if i < 0 || i >= len(p.toks) {
		return 0, 0, false // "rAn7!1X": a number then "x" at the end
	}
	t := p.toks[i]
	if t.kind == tClock {
		return p.clockAt(i)
	}
	if n, ok := p.num(i); ok && n > 0 {
		j := i + 1
		if m, ok := p.num(j + 1); ok && m > n && m <= 2*n && (p.punct(j, "-") || p.word(j) == "to") && p.isWord(j+2, minUnits) {
			return math.Round((n + m) / 2), j + 3, true // "40-50 min": about 45
		}
		if p.punct(j, "/") && p.isNum(j+1) && (p.word(j+2) == "de" && p.isWord(j+3, hourUnits) || p.word(j+2) == "of" && p.word(j+3) == "an" && p.isWord(j+4, hourUnits)) {
			if d, _ := p.num(j + 1); d > 0 && n < d {
				next := j + 4
				if p.word(j+2) == "of" {
					next++
				}
				return math.Round(60 * n / d), next, true // "3/4 de hora", "3/4 of an hour"
			}
		}
		if p.punct(j, "-") && (p.isWord(j+1, minUnits) || p.isWord(j+1, hourUnits) && len(p.word(j+1)) > 1) {
			j++ // "20-min HIIT", "a 45-minute spin class", "2-hour hike"
		}
		if p.word(j) == "x" && n == math.Trunc(n) && n <= 10 {
			if m, next, ok := p.durationAt(j + 1); ok && m > 0 {
				return n * m, next, true // "2 x 20 min"
			}
		}
		switch {
		case p.isWord(j, hourUnits):
			m, next := p.hourTail(j + 1)
			if m > 0 && p.tailOwnActivity(i, next) {
				return n * 60, j + 1, true // "pesas 1 hora y 20 min de cinta": two sessions
			}
			return n*60 + m, next, true
		case p.punct(j, "'") && (p.punct(j+2, "/") || p.punct(j+3, "/") || slices.Contains([]string{"pace", "ritmo", "avg", "media", "medio"}, p.word(i-1))):
			return 0, 0, false // "avg pace 5'13\"/km": a pace, not a duration
		case p.word(j) == "m" && (p.word(j+1) == "pool" || p.word(j+1) == "piscina" || p.word(i-1) == "de" && p.word(i-2) == "piscina"):
			return 0, 0, false // "the 25m pool", "piscina de 50m": the pool's length
		case p.isWord(j, minUnits) || p.punct(j, "'") || (p.word(j) == "m" && n < 100):
			return n, j + 1, true
		case (p.word(j) == "y" || p.word(j) == "and") && (p.word(j+1) == "media" || p.word(j+1) == "half") && p.isWord(j+2, hourUnits):
			return n*60 + 30, j + 3, true
		case p.word(j) == "and" && p.word(j+1) == "a" && p.word(j+2) == "half" && p.isWord(j+3, hourUnits):
			return n*60 + 30, j + 4, true
		case (p.word(j) == "cuartos" || p.word(j) == "quarters") && (p.word(j+1) == "de" || p.word(j+1) == "of"):
			k := j + 2
			if p.word(k) == "an" || p.word(k) == "a" {
				k++
			}
			if p.isWord(k, hourUnits) {
				return n * 15, k + 1, true
			}
		}
		return 0, 0, false
	}
	w := p.word(i)
	switch {
	case (w == "a" || w == "an" || w == "un" || w == "una" || w == "one" || w == "uno") && p.isWord(i+1, hourUnits):
		m, next := p.hourTail(i + 2)
		return 60 + m, next, true
	case w == "a" && p.word(i+1) == "half" && p.isWord(i+2, hourUnits):
		return 30, i + 3, true
	case (w == "half" || w == "media") && (p.word(i+1) == "an" || p.word(i+1) == "a") && p.isWord(i+2, hourUnits):
		return 30, i + 3, true
	case (w == "half" || w == "media") && p.isWord(i+1, hourUnits):
		return 30, i + 2, true
	case (w == "un" || w == "a") && (p.word(i+1) == "cuarto" || p.word(i+1) == "quarter") && (p.word(i+2) == "de" || p.word(i+2) == "of"):
		k := i + 3
		if p.word(k) == "an" || p.word(k) == "a" {
			k++
		}
		if p.isWord(k, hourUnits) {
			return 15, k + 1, true
		}
	case w == "couple" || (w == "par" && p.word(i-1) == "un"):
		k := i + 1
		if p.word(k) == "of" || p.word(k) == "de" {
			k++
		}
		if p.isWord(k, hourUnits) {
			return 120, k + 1, true
		}
	case (w == "hour" || w == "hora") && (p.word(i+1) == "long" || p.word(i+1) == "entera" || p.punct(i+1, "-") && p.word(i+2) == "long"):
		// "hour long spin class", "hour-long run"
		if p.punct(i+1, "-") {
			return 60, i + 3, true
		}
		return 60, i + 2, true
	case w == "hour" && (i == 0 || p.toks[i-1].kind == tPunct || p.toks[i-1].kind == tBreak) && !p.punct(i+1, "?"):
		// "hour walk", "pickup basketball, hour": an hour, the article
		// dropped; "hour and a half of padel" keeps its fraction
		if m, next := p.hourTail(i + 1); m == 30 || m == 15 {
			return 60 + m, next, true
		}
		return 60, i + 1, true
	case p.isWord(i, hourUnits) && len(w) > 1:
		// "hora y media", "hour and a half": an implied one hour, only
		// with a fraction after it.
		if m, next := p.hourTail(i + 1); m == 30 || m == 15 {
			return 60 + m, next, true
		}
	}
	return 0, 0, false
}

// hourTail reads what may follow "1 hora": "y media", "and a half", "y
// cuarto", "menos cuarto", "15", "y 15 min". It returns extra minutes.
func (p *parser) hourTail(j int) (float64, int) {
	if p.word(j) == "menos" && p.word(j+1) == "cuarto" {
		return -15, j + 2
	}
	k := j
	if p.word(k) == "y" || p.word(k) == "and" || p.punct(k, "&") {
		k++
	}
	switch {
	case p.word(k) == "media" || p.word(k) == "medio" || p.word(k) == "half":
		return 30, k + 1
	case p.word(k) == "a" && p.word(k+1) == "half":
		return 30, k + 2
	case p.word(k) == "cuarto" || p.word(k) == "quarter":
		return 15, k + 1
	case p.word(k) == "a" && p.word(k+1) == "quarter":
		return 15, k + 2
	}
	if m, ok := p.intNum(k); ok && m > 0 && m < 60 && k > j && (p.word(k+1) == "de" || p.word(k+1) == "of") {
		return 0, j // "1h y 20 de cardio": another session's minutes
	}
	if m, ok := p.intNum(k); ok && m > 0 && m < 60 {
		switch {
		case p.isWord(k+1, minUnits) || p.word(k+1) == "m" || p.punct(k+1, "'"):
			return float64(m), k + 2
		case !p.unitAfterNumber(k+1) || p.word(k+1) == "round" && slices.Contains(notRounds, p.word(k+2)): // "5h30 round trip"
			return float64(m), k + 1
		}
	}
	return 0, j
}

// unitAfterNumber reports whether toks[i] makes the number before it
// something other than minutes.
func (p *parser) unitAfterNumber(i int) bool {
	if i >= len(p.toks) {
		return false
	}
	if p.punct(i, "/") || p.punct(i, ":") || p.toks[i].kind == tNum || p.toks[i].kind == tClock {
		return true
	}
	for _, set := range [][]string{hourUnits, kmUnits, mileUnits, meterUnits, yardUnits, calUnits, setUnits, repUnits, {"x", "m", "s", "sec", "seg", "segundos", "seconds"}} {
		if p.isWord(i, set) {
			return true
		}
	}
	return false
}

// clockAt reads "1:15" (hours:minutes when the hours are 0 to 4),
// "28:30" (minutes:seconds, only after "in"/"en"/"time"/"tiempo"/":" or
// with a distance in the message or a minute unit after it) and "1:05:30". Times of
// day ("at 7:30", "a las 19:30", "7:30 am") and paces ("5:10/km") are
// skipped.
func (p *parser) clockAt(i int) (float64, int, bool) {
	if slices.Contains([]string{"first", "last", "final", "opening", "primer", "ultimo", "primera", "ultima"}, p.word(i+1)) &&
		(p.isWord(i+2, kmUnits) || p.isWord(i+2, mileUnits) || slices.Contains([]string{"lap", "vuelta", "half", "mitad"}, p.word(i+2))) {
		return -1, i + 3, true // "(4:28 first km lol)": a split, not the session
	}
	var parts []int
	cur, digits := 0, 0
	for _, r := range p.toks[i].text {
		if r == ':' {
			parts = append(parts, cur)
			cur, digits = 0, 0
			continue
		}
		cur = cur*10 + int(r-'0')
		digits++
	}
	parts = append(parts, cur)
	skip := func() (float64, int, bool) { return -1, i + 1, true }
	if m, next, ok := p.clockRange(i); ok {
		return m, next, true
	}
	for _, x := range parts[1:] {
		if x >= 60 {
			return skip()
		}
	}
	prev := p.word(i - 1)
	if prev == "at" || prev == "las" || prev == "la" || prev == "around" || p.punct(i-1, "@") ||
		prev == "under" || prev == "sub" || prev == "below" || prev == "bajar" || prev == "bajo" || prev == "than" || // "finally under 2:10": a target

		prev == "pace" || prev == "ritmo" || p.punct(i+1, "/") || p.word(i+1) == "am" || p.word(i+1) == "pm" {
		return skip()
	}
	if len(parts) == 3 {
		if parts[0] > 10 {
			return skip()
		}
		return float64(parts[0]*60+parts[1]) + math.Round(float64(parts[2])/60), i + 1, true
	}
	h, m := parts[0], parts[1]
	next := i + 1
	unit := p.isWord(i+1, minUnits) || p.isWord(i+1, hourUnits)
	if unit {
		next++
	}
	if h <= 4 && !p.isWord(i+1, minUnits) {
		return float64(h*60 + m), next, true
	}
	if h >= 5 && h < 10 && p.hasDistance() && (prev == "in" || prev == "en") {
		// "erg 2k in 8:10": minutes and seconds
		return float64(h) + math.Round(float64(m)/60), next, true
	}
	if h >= 10 && h < 60 && (p.isWord(i+1, minUnits) || p.hasDistance() || p.punct(i-1, ":") ||
		slices.Contains([]string{"in", "en", "time", "tiempo", "duration", "duracion"}, prev)) {
		return float64(h) + math.Round(float64(m)/60), next, true
	}
	return skip()
}

// clockRange reads "7:00-8:15", "19:00 a 20:15", "7:00 to 8:15" as the
// minutes between the two times.
func (p *parser) clockRange(i int) (float64, int, bool) {
	j := i + 1
	if !(p.punct(j, "-") || p.word(j) == "a" || p.word(j) == "to" || p.word(j) == "till" || p.word(j) == "hasta") ||
		j+1 >= len(p.toks) || p.toks[j+1].kind != tClock {
		return 0, 0, false
	}
	start, ok1 := clockMinutes(p.toks[i].text)
	end, ok2 := clockMinutes(p.toks[j+1].text)
	if !ok1 || !ok2 || end <= start {
		return 0, 0, false
	}
	return float64(end - start), j + 2, true
}

// clockMinutes reads "H:MM" as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); n != 2 || err != nil || h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}

// tailOwnActivity reports minutes after an hour ("1 hora y 20 min") that
// belong to a session of their own: an activity comes right before the
// hour and another right after the minutes ("pesas 1 hora y 20 min de
// cinta", "weights 1 hour and 15 min on the bike"). "an hour and 20
// minutes of cardio" names no activity before, so it is 80 minutes.
func (p *parser) tailOwnActivity(i, next int) bool {
	before := false
	for k := max(0, i-3); k < i; k++ {
		if _, end, ok := p.ix.match(p.toks, k); ok && end == i {
			before = true
		}
	}
	if !before || !p.isWord(next-1, minUnits) {
		return false // "escalada 1h30 en el boulder": the minutes have no unit of their own
	}
	k := next
	for k < next+3 && slices.Contains(numberFillers, p.word(k)) {
		k++
	}
	if k == next {
		return false
	}
	_, _, ok := p.ix.match(p.toks, k)
	return ok
}
