package gym

import (
	"slices"
	"strings"
	"time"
)

// The stance of a message is whether it reports the sender's own workout
// or comments on one: "nice 40 mins 💪" and "10k in 48 is rapid" name an
// activity and an amount, but they judge a workout someone else posted;
// "sunday = long ride, 80 km" names one that has not happened yet. Words
// are folded (lowercase, no accents).
var (
	// praiseOpeners open a comment on someone else's workout.
	praiseOpeners = []string{
		"nice", "nicee", "niceee", "great", "well done", "good job", "great job", "great work", "good work", "congrats",
		"congratulations", "bravo", "amazing", "awesome", "kudos", "respect", "props", "love it", "love that", "get in",
		"bien hecho", "enhorabuena", "felicidades", "felicitaciones", "toma ya", "ole", "buenisimo", "buenisima",
		"genial", "que bien", "muy bien", "grande", "vamos", "bravisimo", "chapo", "olee",
	}
	// judgeWords judge an amount after a verb of being or seeming: "is
	// rapid", "looked brutal", "es una pasada", "no es broma".
	judgeWords = []string{
		"quick", "rapid", "fast", "speedy", "wild", "great", "brutal", "amazing", "impressive", "solid", "mad", "nuts",
		"sick", "unreal", "insane", "crazy", "huge", "epic", "joke", "legit", "savage", "mental", "bonkers", "strong",
		"pasada", "broma", "increible", "bestial", "rapido", "rapida", "rapidisimo", "flipante", "locura", "tremendo",
		"tremenda", "impresionante", "durisimo", "durisima", "salvaje", "burrada", "barbaridad", "brutalidad", "bien",
		"heroic", "heroico", "heroica", "heroe", "legendary", "elite", "inhuman", "superhuman", "absurd", "ridiculous",
	}
	// beingVerbs link a workout to a judgement of it.
	beingVerbs = []string{"is", "was", "looks", "looked", "sounds", "sounded", "seems", "es", "era", "fue", "parece", "tenia", "pinta", "suena"}
	// doingVerbs are past forms of an activity: someone did it, so the
	// message reports rather than only judges.
	doingVerbs = []string{
		"ran", "swam", "swum", "rode", "biked", "cycled", "spun", "hiked", "walked", "jogged", "rowed", "climbed",
		"stretched", "lifted", "trained", "played", "corri", "nade", "pedalee", "escale", "camine", "reme", "jugue",
		"entrene", "hice", "fui", "did", "went", "smashed", "crushed", "finished", "completed",
	}
	// pointers point at a workout someone else posted.
	pointers = []string{"that", "those", "esa", "ese", "esos", "esas", "aquella", "aquel"}
	// tagWords make a question of a report without asking anything:
	// "walked the dog for an hour, counts right?".
	tagWords = []string{"right", "counts", "count", "verdad", "no", "eh", "cuenta", "vale", "ok", "yeah", "innit", "surely", "si", "yes", "que no"}
	// asking opens a yes/no question.
	asking = []string{"is", "are", "does", "do", "did", "should", "can", "could", "would", "will", "es", "hay", "puedo", "deberia", "sirve", "vale"}
	// closingPraise closes a comment on someone's workout when it is a
	// clause of its own: "40 min en la piscina, bien".
	closingPraise = []string{"nice", "great", "bien", "genial", "bravo", "wow", "respect", "impressive", "crack", "maquina", "idolo", "legend"}
	// weekendWords name the coming or the last weekend.
	weekendWords = []string{"weekend", "finde", "findes"}
)

// comments reports a message that judges a workout rather than reports
// the sender's own: it opens with praise ("nice 40 mins 💪", "bien hecho,
// 45 min de hiit no es broma") or judges an amount ("55 min 10k is
// quick!", "3h climbing is wild"), and nothing in it says the sender (or
// anyone) did something.
func (p *parser) comments(s signals) bool {
	ws := p.words()
	if len(ws) == 0 || s.firstPerson || s.done || s.perfect || s.command {
		return false
	}
	for i, w := range ws {
		praise := i > 0 && (ws[i-1] == "well" || ws[i-1] == "bien") // "well done", "bien hecho"
		if !praise && (slices.Contains(doingVerbs, w) || slices.Contains(pastWords, w)) {
			return false
		}
	}
	opening := ws[:min(3, len(ws))]
	for _, ph := range praiseOpeners {
		if p.opensWith(opening, ph) {
			return true
		}
	}
	if b := p.clauseBounds(); len(b) > 1 {
		_, _, opensAct := p.ix.match(p.toks, 0)
		opensAct = opensAct && p.toks[0].kind == tWord // "yoga en el parque, 1 hora, genial" reports, then says how it went
		if last := p.wordsIn(b[len(b)-1][0], b[len(b)-1][1]); len(last) == 1 && slices.Contains(closingPraise, last[0]) && !opensAct {
			return true // "🔥🔥 40 mins in the pool, nice"
		}
	}
	// someone else's amount pointed at: "beast mode 🔥 that 10k time",
	// "olé esa media hora de plancha"
	for k := range p.toks {
		if !slices.Contains(pointers, p.word(k)) || p.phrase("took me", "took", "me llevo", "tarde", "tardamos", "me costo") {
			// "that 10k took me 58 min": the sender's own, timed
			continue
		}
		if m, _, ok := p.durationAt(k + 1); ok && m > 0 {
			return true
		}
		if km, _, ok := p.distanceAt(k + 1); ok && km > 0 {
			return true
		}
	}
	// a judgement of the amount, in the clause that holds it: "10k in 48
	// is rapid", but not "crossfit today 1h, wod was brutal"
	for _, c := range p.clauseBounds() {
		if !p.amountIn(c[0], c[1]) {
			continue
		}
		cw := p.wordsIn(c[0], c[1])
		for i, w := range cw {
			if !slices.Contains(judgeWords, w) {
				continue
			}
			for j := max(0, i-3); j < i; j++ {
				if slices.Contains(beingVerbs, cw[j]) || cw[j] == "esta" && j+1 < len(cw) && (cw[j+1] == "muy" || cw[j+1] == w) {
					return true // "is rapid", "looked brutal", "es una pasada"
				}
			}
		}
	}
	return false
}

// amountIn reports a duration or a distance among the tokens a to b.
func (p *parser) amountIn(a, b int) bool {
	for k := a; k < b; k++ {
		if m, _, ok := p.durationAt(k); ok && m > 0 {
			return true
		}
		if km, _, ok := p.distanceAt(k); ok && km > 0 {
			return true
		}
	}
	return false
}

// opensWith reports whether the first words (after an interjection) are
// the phrase.
func (p *parser) opensWith(opening []string, phrase string) bool {
	words := opening
	if len(words) > 0 && slices.Contains(interjections, words[0]) && words[0] != "que" {
		words = words[1:]
	}
	joined := ""
	for i, w := range words {
		if i > 0 {
			joined += " "
		}
		joined += w
		if joined == phrase {
			return true
		}
	}
	return false
}

// upcomingDay reports a weekday or a weekend named on its own ("sunday =
// long ride", "este finde: tirada larga de 15 km") whose nearer
// occurrence is ahead of the day the message was sent: on a Thursday,
// "friday" and "the weekend" are far more often the coming ones than last
// week's. "last sunday", "el sábado pasado" and plural weekdays (a
// schedule) are not.
func (p *parser) upcomingDay() bool {
	for k, t := range p.toks {
		if t.kind != tWord {
			continue
		}
		w := t.text
		prev, next := p.word(k-1), p.word(k+1)
		if prev == "last" || prev == "past" || next == "pasado" || next == "pasada" || prev == "pasado" || prev == "every" || prev == "cada" || prev == "los" ||
			prev == "from" || prev == "since" || p.phrase(latePosts...) { // "late post from friday: spin 45"
			continue
		}
		var wd time.Weekday
		switch {
		case isWeekday(w):
			wd = weekdays[w]
		case slices.Contains(weekendWords, w) || w == "fin" && next == "de" && p.word(k+2) == "semana":
			wd = time.Saturday
		default:
			continue
		}
		back := (int(p.ref.Weekday()) - int(wd) + 7) % 7
		if back != 0 && 7-back < back {
			return true
		}
	}
	return false
}

// tagQuestion reports a message whose only question mark closes a short
// tag after a report: "..., counts right?", "..., ¿verdad?".
func (p *parser) tagQuestion() bool {
	marks := 0
	for _, t := range p.toks {
		if t.kind == tPunct && t.text == "?" {
			marks++
		}
	}
	b := p.clauseBounds()
	if ws := p.words(); marks != 1 || len(b) < 2 || len(ws) == 0 ||
		slices.Contains(questionOpeners, ws[0]) || slices.Contains(asking, ws[0]) {
		return false // "is 30 min enough, right?" asks
	}
	last := b[len(b)-1]
	ws := p.wordsIn(last[0], last[1])
	if len(ws) == 0 || p.amountIn(last[0], last[1]) {
		return false
	}
	if j := strings.Join(ws, " "); slices.Contains([]string{"does that count", "does it count", "does this count", "that count", "eso cuenta", "cuenta eso", "esto cuenta"}, j) {
		return true // "walked the dog for an hour, does that count?"
	}
	if len(ws) <= 5 && slices.Contains([]string{"counts", "count", "cuenta", "cuentan", "vale"}, ws[0]) && slices.Contains(tagWords, ws[len(ws)-1]) {
		return true // "..., counts as cardio right?", "..., cuenta como cardio ¿no?"
	}
	if len(ws) > 3 {
		return false
	}
	for _, w := range ws {
		if !slices.Contains(tagWords, w) {
			return false
		}
	}
	return true
}

// joke reports a laugh over a "workout" of a few minutes: "ran to the
// fridge, 2 min 😂". Every duration in it is under jokeMinutes.
func (p *parser) joke(s signals) bool {
	if !s.laugh {
		return false
	}
	found := false
	for k := range p.toks {
		m, _, ok := p.durationAt(k)
		if !ok || m <= 0 {
			continue
		}
		if m >= jokeMinutes {
			return false
		}
		found = true
	}
	return found
}

// jokeMinutes is the shortest duration taken seriously next to a laugh.
const jokeMinutes = 5

// latePosts say the workout is posted after the day it was done.
var latePosts = []string{"late post", "late log", "late entry", "posting late", "logging late", "forgot to post", "forgot to log",
	"catching up", "catch up", "backlog", "belated", "post atrasado", "se me olvido apuntar", "olvide apuntar", "apunto tarde"}

// thisWeekendAhead reports "this weekend", "este finde" said from Monday
// to Friday: the coming weekend, a plan.
func (p *parser) thisWeekendAhead() bool {
	if wd := p.ref.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return p.phrase("this weekend", "this wknd", "this sat", "this saturday", "this sunday", "this sun", "este finde",
		"este fin de semana", "este sabado", "este domingo", "the weekend", "el finde", "el fin de semana")
}

// amountCount counts the durations and distances of the message.
func (p *parser) amountCount() int {
	n := 0
	for k := 0; k < len(p.toks); k++ {
		if m, next, ok := p.durationAt(k); ok && m > 0 {
			n++
			k = next - 1
		} else if km, next, ok := p.distanceAt(k); ok && km > 0 {
			n++
			k = next - 1
		}
	}
	return n
}
