package gym

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Unit words, folded.
var (
	minUnits   = []string{"min", "mins", "minute", "minutes", "minuto", "minutos", "mn", "minutitos", "minutito", "minutillos", "minutillo"}
	hourUnits  = []string{"h", "hr", "hrs", "hora", "horas", "hour", "hours", "hs", "horita", "horitas", "ora", "oras"}
	kmUnits    = []string{"k", "km", "kms", "kilometro", "kilometros", "kilometer", "kilometers", "kilometre", "kilometres"}
	mileUnits  = []string{"mi", "mile", "miles", "milla", "millas"}
	meterUnits = []string{"mts", "mt", "metros", "metro", "meters", "meter", "metres", "metre"}
	calUnits   = []string{"kcal", "kcals", "cal", "cals", "calorias", "caloria", "calories", "calorie"}
	setUnits   = []string{"sets", "set", "series", "serie", "rounds", "round", "rondas", "ronda", "vueltas"}
	repUnits   = []string{"reps", "rep", "repeticiones", "repeticion", "repes", "repetitions", "repetition"}
	stepWords  = []string{"steps", "pasos"}
	splitWords = []string{"then", "luego", "despues", "afterwards", "later"}
)

const kmPerMile = 1.609344

// quantity is a number found at token position pos.
type quantity struct {
	val float64
	pos int
}

// setsHit is a set/rep scheme ("4x12"); 0 means not said.
type setsHit struct {
	sets, reps, pos int
}

// dateHit is a date mentioned at pos; err is set when it could not be read.
type dateHit struct {
	date Date
	err  error
	pos  int
}

// actHit is an activity named at pos, up to end (exclusive); emoji is true
// when an emoji named it.
type actHit struct {
	name  string
	pos   int
	end   int
	emoji bool
}

// clause holds what the rules found in one clause or segment.
type clause struct {
	acts  []actHit
	durs  []quantity
	dists []quantity
	cals  []quantity
	sets  []setsHit
	dates []dateHit
	bare  []quantity // integers with no unit ("biceps 45")
	// words counts the words that are not activities, dates, units or
	// connectors: a clause of them is a comment ("can't feel my arms").
	words int
	// neg is true when the clause has a negation ("ayer no").
	neg bool
	// list is true when a colon introduces activities: "upper body 1h:
	// chest, shoulders, tris".
	list bool
}

func (c *clause) hasAmount() bool { return len(c.durs)+len(c.dists) > 0 }

func (c *clause) empty() bool {
	return len(c.acts)+len(c.durs)+len(c.dists)+len(c.cals)+len(c.sets)+len(c.dates)+len(c.bare) == 0
}

func (c *clause) merge(o clause) {
	c.acts = append(c.acts, o.acts...)
	c.durs = append(c.durs, o.durs...)
	c.dists = append(c.dists, o.dists...)
	c.cals = append(c.cals, o.cals...)
	c.sets = append(c.sets, o.sets...)
	c.dates = append(c.dates, o.dates...)
	c.bare = append(c.bare, o.bare...)
	c.words += o.words
	c.list = c.list || o.list
}

// fillers are words that do not make a clause a comment: pronouns,
// articles, prepositions and the verbs of a log ("did", "hice").
var fillers = []string{
	"a", "an", "of", "for", "the", "my", "i", "i've", "ive", "we", "me", "some", "about", "around", "like", "just",
	"did", "do", "went", "go", "had", "got", "then", "also", "too", "more", "quick", "easy", "min", "mins",
	"un", "una", "unos", "unas", "mi", "mis", "yo", "en", "al", "a", "por", "para", "como", "hice", "hecho", "he",
	"fui", "ido", "hoy", "ayer", "tambien", "otro", "otra", "otros", "rato", "poco", "un",
}

// numberFillers may sit between a number and its activity ("30 on the
// treadmill", "45 for spin").
var numberFillers = []string{"de", "of", "del", "on", "the", "en", "la", "el", "in", "a", "at", "for", "por", "during", "durante"}

// parser reads the tokens of one message.
type parser struct {
	ix         *activityIndex
	toks       []token
	ref        Date // the day the message was sent
	monthFirst bool
}

func newParser(text string, ref Date, monthFirst bool) *parser {
	return &parser{ix: newActivityIndex(), toks: tokenize(text), ref: ref, monthFirst: monthFirst}
}

// hasDistance reports whether the message states a distance anywhere, or
// names a race, which has one ("parkrun this morning, 26:10").
func (p *parser) hasDistance() bool {
	if p.phrase("parkrun", "marathon", "maraton") {
		return true
	}
	for k := range p.toks {
		if n, ok := p.num(k); ok && (p.isWord(k+1, kmUnits) || p.isWord(k+1, mileUnits) || p.isWord(k+1, meterUnits) || p.word(k+1) == "m" && n >= 100) {
			return true
		}
	}
	return false
}

func (p *parser) word(i int) string { return word(p.toks, i) }

func (p *parser) isWord(i int, set []string) bool {
	w := p.word(i)
	return w != "" && slices.Contains(set, w)
}

func (p *parser) punct(i int, s string) bool {
	return i >= 0 && i < len(p.toks) && p.toks[i].kind == tPunct && p.toks[i].text == s
}

func (p *parser) num(i int) (float64, bool) {
	if i < 0 || i >= len(p.toks) || p.toks[i].kind != tNum {
		return 0, false
	}
	return p.toks[i].num, true
}

func (p *parser) isNum(i int) bool {
	_, ok := p.num(i)
	return ok
}

func (p *parser) intNum(i int) (int, bool) {
	v, ok := p.num(i)
	if !ok || v != math.Trunc(v) {
		return 0, false
	}
	return int(v), true
}

// clauseBounds splits the tokens at line breaks, sentence punctuation and
// sequencing words ("then", "luego").
func (p *parser) clauseBounds() [][2]int {
	var out [][2]int
	start := 0
	for i, t := range p.toks {
		cut := t.kind == tBreak ||
			(t.kind == tPunct && (t.text == "." || t.text == "," || t.text == ";" || t.text == "!" || t.text == "?")) ||
			(t.kind == tWord && slices.Contains(splitWords, t.text)) ||
			(t.kind == tWord && (t.text == "y" || t.text == "and") && p.dayWordAt(i+1)) ||
			(t.kind == tEmoji && strings.Contains("✅✔☑", t.text) && i+1 < len(p.toks) && p.toks[i+1].kind == tWord) // "pierna lista ✅ mañana no me levanto"
		if cut {
			if i > start {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
		}
	}
	if start < len(p.toks) {
		out = append(out, [2]int{start, len(p.toks)})
	}
	return out
}

// dayWordAt reports a day named at i ("hoy", "yesterday", "el martes"):
// "ayer 10k en 52 min y hoy 30 de elíptica" is two sessions.
func (p *parser) dayWordAt(i int) bool {
	w := p.word(i)
	if w == "el" || w == "on" || w == "this" || w == "esta" {
		w = p.word(i + 1)
	}
	return isWeekday(w) || slices.Contains([]string{"hoy", "ayer", "today", "yesterday", "anoche", "anteayer", "tonight"}, w)
}

// clauses analyses every clause.
func (p *parser) clauses() []clause {
	var out []clause
	for _, b := range p.clauseBounds() {
		out = append(out, p.scan(b[0], b[1]))
	}
	return out
}

// scan reads the tokens in [a, b).
func (p *parser) scan(a, b int) clause {
	var c clause
	for i := a; i < b; {
		if d, next, ok := p.dateAt(i); ok {
			d.pos = i
			c.dates = append(c.dates, d)
			i = next
			continue
		}
		if m, next, ok := p.durationAt(i); ok {
			if m >= 0 {
				c.durs = append(c.durs, quantity{m, i})
			}
			i = next
			continue
		}
		if km, next, ok := p.distanceAt(i); ok {
			if km > 0 {
				c.dists = append(c.dists, quantity{km, i})
			}
			i = next
			// "10k in 50", "5 km hechos en 28": the time of the distance
			j := next
			if slices.Contains([]string{"done", "hecho", "hechos", "finished", "terminados"}, p.word(j)) {
				j++
			}
			if w := p.word(j); (w == "in" || w == "en") && j+1 < b {
				if v, ok := p.intNum(j + 1); ok && v >= 10 && v <= MaxMinutes && !p.unitAfterNumber(j+2) {
					c.durs = append(c.durs, quantity{float64(v), j + 1})
					i = j + 2
				}
			}
			continue
		}
		if v, ok := p.num(i); ok && p.isWord(i+1, calUnits) {
			c.cals = append(c.cals, quantity{v, i})
			i += 2
			continue
		}
		if v, ok := p.num(i); ok && slices.Contains(calQualifiers, p.word(i+1)) && p.isWord(i+2, calUnits) {
			c.cals = append(c.cals, quantity{v, i}) // "245 Active Cal"
			i += 3
			continue
		}
		if v, ok := p.num(i + 1); ok && p.isWord(i, calUnits) && !p.unitAfterNumber(i+2) && i+1 < b {
			c.cals = append(c.cals, quantity{v, i + 1}) // "Active Kcal 312", "kcal: 520"
			i += 2
			continue
		}
		if s, next, ok := p.setsAt(i); ok {
			s.pos = i
			c.sets = append(c.sets, s)
			i = next
			continue
		}
		if name, next, ok := p.ix.match(p.toks, i); ok {
			c.list = c.list || p.punct(i-1, ":") && (len(c.durs) > 0 || len(c.bare) > 0)
			c.acts = append(c.acts, actHit{name: name, pos: i, end: next, emoji: p.toks[i].kind == tEmoji})
			i = next
			continue
		}
		if v, ok := p.intNum(i); ok && p.bareOK(i) {
			c.bare = append(c.bare, quantity{val: float64(v), pos: i})
		}
		if w := p.word(i); w != "" && !slices.Contains(connectors, w) && !slices.Contains(fillers, w) {
			c.words++
			c.neg = c.neg || slices.Contains(negWords, w)
		}
		i++
	}
	return c
}

var (
	weekdays = map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
		"domingo": time.Sunday, "lunes": time.Monday, "martes": time.Tuesday, "miercoles": time.Wednesday,
		"jueves": time.Thursday, "viernes": time.Friday, "sabado": time.Saturday,
		// abbreviations that are no other word
		"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "weds": time.Wednesday,
		"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
		"lun": time.Monday, "mie": time.Wednesday, "jue": time.Thursday, "vie": time.Friday, "sab": time.Saturday,
	}
	morningOf = []string{"esta", "la", "por", "en", "this", "in", "cada"} // not "de": "el spinning de mañana" is tomorrow's
)

// dateAt reads a date expression at i. See the package documentation for
// the rules.
func (p *parser) dateAt(i int) (dateHit, int, bool) {
	w := strings.TrimSuffix(p.word(i), "'s") // "yesterday's run"
	rel := func(days, next int) (dateHit, int, bool) {
		return dateHit{date: p.ref.AddDays(days)}, next, true
	}
	switch {
	case w == "today" || w == "hoy" || w == "tonight":
		return rel(0, i+1)
	case w == "antier" || w == "anteayer" || w == "antiayer":
		return rel(-2, i+1)
	case w == "antes" && p.word(i+1) == "de" && p.word(i+2) == "ayer":
		return rel(-2, i+3)
	case w == "day" && p.word(i+1) == "before" && p.word(i+2) == "yesterday":
		return rel(-2, i+3)
	case w == "yesterday" || w == "ayer" || w == "anoche" || w == "yday" || w == "yest":
		return rel(-1, i+1)
	case w == "last" && p.word(i+1) == "night":
		return rel(-1, i+2)
	case w == "tomorrow" || w == "tmrw":
		return rel(1, i+1)
	case w == "pasado" && p.word(i+1) == "manana":
		return rel(2, i+2)
	case w == "manana" && !slices.Contains(morningOf, p.word(i-1)) && !p.punct(i+1, ":"):
		return rel(1, i+1)
	}
	if w == "sat" && i > 0 && !slices.Contains([]string{"on", "last", "this", "next", "past"}, p.word(i-1)) && !p.punct(i+1, ":") {
		return dateHit{}, 0, false // "I sat in traffic": a verb
	}
	if wd, ok := weekdays[w]; ok { // "saturday's swim"
		back := (int(p.ref.Weekday()) - int(wd) + 7) % 7
		next := i + 1
		last := p.word(i-1) == "last" || p.word(i-1) == "past" || p.word(i-1) == "pasado"
		if p.word(i+1) == "pasado" {
			last, next = true, i+2
		}
		if back == 0 && last {
			back = 7
		}
		return rel(-back, next)
	}
	// ISO 2026-03-12
	if y, ok := p.intNum(i); ok && y >= 1000 && p.punct(i+1, "-") && p.punct(i+3, "-") {
		m, ok1 := p.intNum(i + 2)
		d, ok2 := p.intNum(i + 4)
		if ok1 && ok2 {
			return p.civil(y, m, d, i+5)
		}
	}
	// 12/03 or 12/03/2026
	if x, ok := p.intNum(i); ok && p.punct(i+1, "/") {
		y2, ok2 := p.intNum(i + 2)
		if !ok2 {
			return dateHit{}, 0, false
		}
		d, m := x, y2
		if p.monthFirst {
			d, m = y2, x
		}
		if p.punct(i+3, "/") {
			if y, ok := p.intNum(i + 4); ok {
				if y < 100 {
					y += 2000
				}
				return p.civil(y, m, d, i+5)
			}
		}
		h, next, ok := p.civil(p.ref.Year, m, d, i+3)
		if ok && h.err == nil && h.date.After(p.ref) {
			h, next, ok = p.civil(p.ref.Year-1, m, d, i+3)
		}
		return h, next, ok
	}
	// "7 de junio", "7 june", "june 7"
	if d, ok := p.intNum(i); ok && d >= 1 && d <= 31 {
		if m := monthOf(p.word(i + 1)); m > 0 {
			return p.yearless(m, d, i+2)
		}
		if m := monthOf(p.word(i + 2)); m > 0 && p.word(i+1) == "de" {
			return p.yearless(m, d, i+3)
		}
	}
	if m := monthOf(w); m > 0 {
		if d, ok := p.intNum(i + 1); ok && d >= 1 && d <= 31 && !p.unitAfterNumber(i+2) {
			return p.yearless(m, d, i+2)
		}
	}
	return dateHit{}, 0, false
}

// yearless resolves a day and a named month without a year: the most
// recent such date not after the day of the message, unless that is more than two
// months back and the next one is at most four months ahead ("la media
// maratón es el 7 de junio", said in May, is this June's).
func (p *parser) yearless(m, d, next int) (dateHit, int, bool) {
	h, next, ok := p.civil(p.ref.Year, m, d, next)
	if !ok || h.err != nil {
		return h, next, ok
	}
	past, fut := h.date, h.date
	if h.date.After(p.ref) {
		past = Date{p.ref.Year - 1, time.Month(m), d}
	} else {
		fut = Date{p.ref.Year + 1, time.Month(m), d}
	}
	if NewDate(past.Year, past.Month, past.Day) != past {
		return dateHit{date: fut}, next, true // 29 February
	}
	if p.ref.DaysSince(past) > 60 && fut.DaysSince(p.ref) <= 120 && NewDate(fut.Year, fut.Month, fut.Day) == fut {
		return dateHit{date: fut}, next, true
	}
	return dateHit{date: past}, next, true
}

// monthOf returns the month a word names, 0 for none; "may" only as a
// month next to a number.
func monthOf(w string) int {
	for i, names := range [][]string{
		{"january", "jan", "enero", "ene"}, {"february", "feb", "febrero"}, {"march", "mar", "marzo"}, {"april", "apr", "abril", "abr"},
		{"may", "mayo"}, {"june", "jun", "junio"}, {"july", "jul", "julio"}, {"august", "aug", "agosto", "ago"},
		{"september", "sep", "sept", "septiembre", "setiembre"}, {"october", "oct", "octubre"}, {"november", "nov", "noviembre"},
		{"december", "dec", "diciembre", "dic"},
	} {
		if slices.Contains(names, w) {
			return i + 1
		}
	}
	return 0
}

// civil checks y-m-d is a real date.
func (p *parser) civil(y, m, d, next int) (dateHit, int, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || NewDate(y, time.Month(m), d) != (Date{y, time.Month(m), d}) {
		return dateHit{err: fmt.Errorf("%w: no day %d in month %d", ErrBadDate, d, m)}, next, true
	}
	return dateHit{date: Date{y, time.Month(m), d}}, next, true
}

// bareOK reports whether the integer at i stands alone: nothing but an
// activity, a date word, a connector, punctuation or an emoji after it, and
// no preposition of time ("at 7", "a las 7") or operator before it.
func (p *parser) bareOK(i int) bool {
	if slices.Contains([]string{"x", "at", "las", "la", "from", "de", "to", "a", "hasta", "around", "con", "with", "in", "en", "within"}, p.word(i-1)) ||
		p.punct(i-1, "-") || p.punct(i-1, "/") {
		return false
	}
	j := i + 1
	if j >= len(p.toks) {
		return true
	}
	switch t := p.toks[j]; t.kind {
	case tBreak, tEmoji:
		return true
	case tPunct:
		if t.text == "+" {
			return p.word(j+1) != "" // "yoga 30 + stretch 10"
		}
		return !slices.Contains([]string{"/", "-", ":", "%", "*", "x", "°"}, t.text)
	case tWord:
		if _, _, ok := p.ix.match(p.toks, j); ok {
			return true
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

// mannerWords say how a session went; ending a message after a bare
// number they leave it minutes: "run 25 easy", "rodaje 40 suave".
var mannerWords = []string{"easy", "steady", "chill", "chilled", "hard", "slow", "fast", "tempo", "recovery", "light",
	"gentle", "relaxed", "suave", "tranqui", "tranquilo", "tranquila", "fuerte", "facil", "ligero", "ligerito", "lento", "rapido"}

// calQualifiers sit between a number and its calorie unit in app exports.
var calQualifiers = []string{"active", "total", "activas", "totales", "activa", "move"}

// climbWords name the height climbed, before its number.
var climbWords = []string{"gain", "ascent", "elevation", "elev", "desnivel", "positivo", "acumulado", "vert", "vertical", "climb", "climbing", "ascenso"}

// distanceAt reads "5k", "5 km", "3 miles", "1500 m", "800 metros".
func (p *parser) distanceAt(i int) (float64, int, bool) {
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
	default:
		return 0, 0, false
	}
	if p.isWord(j+1, stepWords) {
		return 0, 0, false
	}
	if slices.Contains(climbWords, p.word(i-1)) || slices.Contains(climbWords, p.word(i-2)) && p.toks[i-1].kind == tWord {
		return -1, j + 1, true // "Elev Gain 512 m", "Desnivel positivo 650 m": height climbed, not distance covered
	}
	if w := p.word(j + 1); w == "elevation" || w == "desnivel" || w == "gain" || w == "ascent" || w == "vertical" ||
		w == "elev" || w == "plan" || w == "program" || w == "programme" || w == "de" && p.word(j+2) == "desnivel" ||
		p.word(i-1) == "to" && p.word(i-2) == "couch" || p.word(i-1) == "de" && p.word(i-2) == "plan" {
		return -1, j + 1, true // "900m elevation", "couch to 5k", "plan de 5k": not a distance covered
	}
	return math.Round(km*100) / 100, j + 1, true
}

// setsAt reads "4x12", "4 sets of 12", "4 series de 12 reps", "3 sets",
// "12 reps".
func (p *parser) setsAt(i int) (setsHit, int, bool) {
	n, ok := p.intNum(i)
	if !ok || n <= 0 {
		return setsHit{}, 0, false
	}
	if p.word(i+1) == "x" {
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
