package gym

import (
	"math"
	"slices"
	"strings"
)

// Unit words, folded.
var (
	minUnits   = []string{"min", "mins", "minute", "minutes", "minuto", "minutos", "mn", "minutitos", "minutito", "minutillos", "minutillo"}
	hourUnits  = []string{"h", "hr", "hrs", "hora", "horas", "hour", "hours", "hs", "horita", "horitas", "ora", "oras"}
	kmUnits    = []string{"k", "km", "kms", "kilometro", "kilometros", "kilometer", "kilometers", "kilometre", "kilometres"}
	mileUnits  = []string{"mi", "mile", "miles", "milla", "millas"}
	meterUnits = []string{"mts", "mt", "metros", "metro", "meters", "meter", "metres", "metre"}
	yardUnits  = []string{"yd", "yds", "yard", "yards", "yarda", "yardas"}
	calUnits   = []string{"kcal", "kcals", "cal", "cals", "calorias", "caloria", "calories", "calorie"}
	setUnits   = []string{"sets", "set", "series", "serie", "rounds", "round", "rondas", "ronda", "vueltas"}
	repUnits   = []string{"reps", "rep", "repeticiones", "repeticion", "repes", "repetitions", "repetition"}
	stepWords  = []string{"steps", "pasos"}
	splitWords = []string{"then", "luego", "despues", "afterwards", "later"}
)

const (
	kmPerMile = 1.609344
	kmPerYard = 0.0009144
)

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
	// then is true when the clause follows a sequencing word ("then",
	// "luego"): what it names came after the clause before.
	then bool
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

// restWords name a day off in a list of days: "tuesday: spin 40.
// wednesday: rest. today: legs 45".
var restWords = []string{"rest", "resting", "descanso", "descansar", "descanse", "off"}

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
			(t.kind == tPunct && (t.text == "/" || t.text == "+") && p.dayWordAt(i+1)) || // "mon: legs 1h / tue: rest", "+ today's gym 45"
			(t.kind == tPunct && t.text == "+" && (p.isNum(i+1) || p.actAt(i+1)) && p.sessionIn(start, i)) || // "30 min on the elliptical + 20 min abs", "legs (1h) + abs (15)"
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
	w := strings.TrimSuffix(p.word(i), "'s") // "today's gym 45"
	if w == "el" || w == "on" || w == "this" || w == "esta" {
		w = strings.TrimSuffix(p.word(i+1), "'s")
	}
	if _, ok := weekdays[w]; !ok && p.punct(i+1, ":") && (w == "mar" || w == "dom" || w == "sun") {
		return true // "mar: remo 40", "dom: ruta 3h"
	}
	return isWeekday(w) || slices.Contains([]string{"hoy", "ayer", "today", "yesterday", "anoche", "anteayer", "tonight"}, w)
}

// clauses analyses every clause.
func (p *parser) clauses() []clause {
	var out []clause
	for _, b := range p.clauseBounds() {
		c := p.scan(b[0], b[1])
		c.then = b[0] > 0 && p.isWord(b[0]-1, splitWords)
		out = append(out, c)
	}
	return out
}

// scan reads the tokens in [a, b).
func (p *parser) scan(a, b int) clause {
	var c clause
	for i := a; i < b; {
		if d, next, ok := p.dateAt(i); ok {
			if !p.otherEventDate(i) {
				d.pos = i
				c.dates = append(c.dates, d)
			}
			i = next
			continue
		}
		if m, next, ok := p.durationAt(i); ok {
			if m >= 0 && !p.recoveryNear(i, next) && !p.notALength(i, next) {
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
			// "5k run in 27", "8 km de carrera en 44": the activity between
			// the distance and its time
			a := j
			if (p.word(a) == "de" || p.word(a) == "of") && a+1 < b {
				a++
			}
			if slices.Contains([]string{"route", "loop", "course", "circuit", "lap", "recorrido", "circuito"}, p.word(a)) &&
				(p.word(a+1) == "in" || p.word(a+1) == "en") {
				j = a + 1 // "ran the 10k route in 51"
			}
			var between *actHit
			if name, end, ok := p.ix.match(p.toks, a); ok && end < b && (p.word(end) == "in" || p.word(end) == "en") {
				between = &actHit{name: name, pos: a, end: end}
				j = end
			}
			if w := p.word(j); (w == "in" || w == "en") && j+1 < b {
				if v, ok := p.intNum(j + 1); ok && v >= 10 && v <= MaxMinutes && !p.unitAfterNumber(j+2) {
					c.durs = append(c.durs, quantity{float64(v), j + 1})
					if between != nil {
						c.acts = append(c.acts, *between)
					}
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
		if name, next, ok := p.ix.match(p.toks, i); ok && !(name == "running" && next == i+1 && slices.Contains(errandRuns, p.word(i-1))) && // "the school run"
			!(name == "walking" && p.isNum(next) && p.isWord(next+1, stepWords) && p.amountCount() > 0) { // "walked 8000 steps AND did 25 min yoga": a count, not a session
			c.list = c.list || p.punct(i-1, ":") && (len(c.durs) > 0 || len(c.bare) > 0)
			if len(c.acts) > 0 && p.purpose(i) {
				i = next // "yoga 30 min para estirar", "easy spin to flush the legs": why, not a second session
				continue
			}
			c.acts = append(c.acts, actHit{name: name, pos: i, end: next, emoji: p.toks[i].kind == tEmoji})
			i = next
			continue
		}
		if v, ok := p.intNum(i); ok && p.bareOK(i) && !p.recoveryNear(i, i+1) {
			c.bare = append(c.bare, quantity{val: float64(v), pos: i})
		}
		if w := p.word(i); w != "" && !slices.Contains(connectors, w) && !slices.Contains(fillers, w) {
			c.words++
			c.neg = c.neg || slices.Contains(negWords, w) || slices.Contains(restWords, w) // "wednesday: rest" dates no session
		}
		i++
	}
	return c
}

// afterWordsOf mark what came before a session: a date after one of them
// is the day of that other event. "from" only counts before an event
// named with its day ("from saturday's hike"): "late log from tuesday"
// dates the log.
var afterWordsOf = []string{"after", "from", "despues", "tras"}

// otherEventDate reports a date at i that dates another event the session
// followed: "20 min after yesterday's long run", "legs wrecked from
// saturday's hike", "después del entreno de ayer", "after yesterday". A
// date merely further on ("ran 5k after work yesterday") still dates the
// session.
func (p *parser) otherEventDate(i int) bool {
	possessive := strings.HasSuffix(p.toks[i].text, "'s")
	prev := p.word(i - 1)
	if prev == "after" || prev == "despues" || prev == "tras" {
		return true
	}
	if !possessive && prev != "de" && prev != "del" {
		return false
	}
	for k := i - 1; k >= 0 && k >= i-5; k-- {
		if p.toks[k].kind == tPunct || p.toks[k].kind == tBreak {
			return false
		}
		if slices.Contains(afterWordsOf, p.word(k)) {
			return true
		}
	}
	return false
}

// purpose reports an activity at i named as a session's purpose: within
// three words after "to" or "para" ("para estirar", "to flush the legs"),
// with no punctuation between.
func (p *parser) purpose(i int) bool {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		if p.toks[k].kind != tWord {
			return false
		}
		if w := p.word(k); w == "to" || w == "para" {
			return true
		}
	}
	return false
}

// sessionIn reports an activity and a duration between tokens a and b: a
// session of its own, before a "+" that starts another.
func (p *parser) sessionIn(a, b int) bool {
	act, dur := false, false
	for k := a; k < b; k++ {
		act = act || p.actAt(k)
		if m, _, ok := p.durationAt(k); ok && m > 0 {
			dur = true
		}
	}
	return act && dur
}

// actAt reports an activity named at i.
func (p *parser) actAt(i int) bool {
	_, _, ok := p.ix.match(p.toks, i)
	return ok
}
