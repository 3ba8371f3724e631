package gym

import (
	"slices"
	"strings"
	"time"
)

// Phrases, folded (lowercase, no accents), words separated by one space.
var (
	// pastWords say something was done.
	pastWords = []string{
		"did", "trained", "went", "crushed", "smashed", "killed",
		"logged", "just", "got", "had",
		"hice", "hize", "hicimos", "hecho", "hecha", "hechos", "hechas", "termine", "terminado", "terminada", "acabe",
		"fui", "fuimos", "meti", "toco", "listo", "lista", "entrene", "corri", "nade", "camine", "corrimos", "nadamos",
		"estuve", "estuvimos", "sali", "vengo", "volvi", "regrese", "crushed", "smashed", "acabo", "subi", "subimos",
		"played", "jugue",
	}
	logEmojis = []string{"💪", "✅", "✔", "🔥", "🏆", "🥵", "💦"}
	// connectors may sit between activity names ("pecho y triceps").
	connectors = []string{"y", "and", "e", "con", "with", "day", "dia", "de", "del", "la", "el", "plus", "mas", "class", "clase", "session", "sesion", "on", "this", "morning", "manana", "esta", "tarde", "afternoon", "evening", "noche", "today", "hoy", "then", "luego", "despues"}
	// feelWords make a negation about how one feels ("can't feel my
	// quads"), not about the workout.
	feelWords = []string{"feel", "feeling", "siento", "sentir", "duele", "duelen", "move", "mover", "moverme", "levantarme", "sit", "sentarme", "stairs", "escaleras", "walk", "andar", "puedo", "mas"}
	// pastNegations cancel the past word they precede: "no fui", "never went".
	pastNegations = []string{"no", "not", "never", "nunca", "ni", "tampoco", "didn't", "didnt"}
	skipWords     = []string{"salte", "saltado", "saltar", "skipped", "skip", "missed", "cancelled", "canceled"}
)

// contractions are spelt out before phrases are searched.
var contractions = map[string]string{"how're": "how are", "howre": "how are", "how'm": "how am", "where're": "where are", "where'm": "where am",
	"table tennis": "tabletennis"} // not "the table" of standings

// features is what Classify looks at.
type features struct {
	words        string // " word word ... ", for phrase search
	acts         int
	amounts      int
	durs         int // the durations among amounts
	sets         int
	question     bool
	past         bool
	emoji        bool
	future       bool // a date after the day of the message
	onlyActs     bool // every word is an activity, a date or a connector
	inAmount     bool // "in 20 min" without a distance: a time from now
	bareByAct    bool // a number without a unit by an activity ("spin 45")
	weekday      bool // a weekday named ("el sábado")
	explicitDate bool // a date written as "12/06" or "2026-06-12"
	howMuch      bool // opens with "how many", "how much", "cuántos"
	pace         bool // a distance and a time at a running pace
	chart        bool // a chart emoji: 📊, 📈
	secondPerson bool // addresses someone ("you", "corréis")
	negClause    bool // a negation before an activity or amount in its clause
	asksMember   bool // a question naming a member ("how did Ana do?")
	nWords       int  // how many words
	looseNum     bool // a number other than a rank ("top 3"): a heart rate, a weight
	month        bool // a month named as a period ("in april", "mayo")
	bot          bool // the bot addressed by name
	whoOpens     bool // opens with who/quién (after "and"/"y")
	selfPast     bool // a question about the sender's own past training
	vocativeEnd  bool // ends by naming whom it speaks to: "how did the half go Ana?"
	didNameLog   bool // asks whether a member logged: "did Ana log anything this week"
}

func (f features) has(phrase string) bool { return strings.Contains(f.words, " "+phrase+" ") }

// analyse reads the features of text written on the day today: a date is
// "future" when it falls after today.
func analyse(text string, today Date) features {
	return newParser(text, today, false).analyse(text)
}

func (p *parser) analyse(text string) features {
	var f features
	var b strings.Builder
	b.WriteString(" ")
	content := 0
	prev := ""
	for _, t := range p.toks {
		switch t.kind {
		case tWord, tNum:
			b.WriteString(t.text + " ")
		case tPunct:
			if t.text == "?" {
				f.question = true
			}
		case tEmoji:
			if slices.Contains(logEmojis, t.text) {
				f.emoji = true
			}
			if t.text == "📊" || t.text == "📈" {
				f.chart = true
			}
		}
		if t.kind == tWord {
			// a negated past ("no salí de la cama") says nothing was done
			f.past = f.past || slices.Contains(pastWords, t.text) && !slices.Contains(pastNegations, prev) &&
				!(t.text == "just" && slices.Contains([]string{"i'll", "ill", "will", "gonna", "to", "could", "would", "should", "might", "can", "i'd", "we'll", "you'll", "must"}, prev)) && // "sure, I'll just swim 5k": not done
				!(t.text == "got" && slices.Contains([]string{"i've", "ive", "we've", "weve", "you've", "i", "we", "who's", "whos", "who", "what's", "whats", "they've"}, prev)) // "I've got a thing at 1": having
			_, wd := weekdays[t.text]
			f.weekday = f.weekday || wd
			prev = t.text
		}
	}
	f.words = b.String()
	for short, long := range contractions {
		f.words = strings.ReplaceAll(f.words, " "+short+" ", " "+long+" ") // "how're we doing", "how'm I looking"
	}
	for k, t := range p.toks {
		if t.kind == tNum && p.word(k-1) != "top" {
			f.looseNum = true
		}
	}
	f.month = monthRE.MatchString(text)
	ws := p.words()
	for len(ws) > 2 && (ws[0] == "bot" || (ws[0] == "ok" || ws[0] == "hey" || ws[0] == "oye") && ws[1] == "bot") {
		ws = ws[1:] // "ok bot who's in last place": the question after the bot's name
	}
	if len(ws) > 0 && (slices.Contains(questionOpeners, ws[0]) ||
		len(ws) > 1 && (slices.Contains(interjections, ws[0]) || slices.Contains([]string{"lol", "lmao", "haha", "jaja", "jajaja", "pero", "but", "so", "y", "and"}, ws[0])) &&
			ws[0] != "que" && slices.Contains(questionOpeners, ws[1]) && ws[1] != "que" && ws[1] != "como") {
		f.question = true // "lol who runs 20k on a tuesday"
	}
	if p.phrase("explain why", "explain how", "me explica", "me explicas", "why does", "why do", "why is") {
		f.question = true // "someone explain why a 30 min run feels like 3 hours"
	}
	if f.question && p.tagQuestion() {
		f.question = false // "walked the dog for an hour, counts right?"
	}
	f.asksMember = asksAboutMember(text)
	if m := vocativeEndRE.FindStringSubmatch(text); m != nil && !p.known(fold(m[1])) && !isWeekday(fold(m[1])) && !monthRE.MatchString(m[1]) &&
		!slices.Contains([]string{"thanks", "thank", "gracias", "cheers", "please", "pls", "ta", "lol", "haha", "jaja", "bot", "guys", "all", "team", "everyone", "todos", "chicos", "chicas"}, fold(m[1])) {
		f.vocativeEnd = true
	}
	f.didNameLog = didNameLogRE.MatchString(text)
	if ws := p.words(); len(ws) > 0 {
		f.nWords = len(ws)
		f.bot = slices.Contains(ws, "bot")
		first := ws[0]
		if (first == "and" || first == "y") && len(ws) > 1 {
			first = ws[1]
		}
		f.whoOpens = slices.Contains([]string{"who", "who's", "whos", "whose", "quien", "quienes"}, first)
		f.howMuch = ws[0] == "cuanto" || ws[0] == "cuantos" || ws[0] == "cuantas" || ws[0] == "cuanta" ||
			len(ws) > 1 && ws[0] == "how" && (ws[1] == "many" || ws[1] == "much")
		f.secondPerson = addresses(ws)
		for _, w := range ws {
			if len(w) > 5 && (strings.HasSuffix(w, "ais") || strings.HasSuffix(w, "eis")) {
				f.secondPerson = true
			}
		}
	}
	actWord := map[int]bool{}
	var dist float64
	var dur int
	for _, c := range p.clauses() {
		f.acts += len(c.acts)
		f.amounts += len(c.durs) + len(c.dists)
		f.durs += len(c.durs)
		f.sets += len(c.sets)
		for _, d := range c.dates {
			if d.err == nil && d.date.After(p.ref) {
				f.future = true
			}
			if _, ok := p.num(d.pos); ok {
				f.explicitDate = true
			}
		}
		for _, a := range c.acts {
			actWord[a.pos] = true
			if _, next, ok := p.ix.match(p.toks, a.pos); ok {
				for k := a.pos; k < next; k++ {
					actWord[k] = true
				}
			}
		}
		for _, d := range c.durs {
			if w := p.word(d.pos - 1); (w == "in" || w == "en" || w == "within") && len(c.dists) == 0 &&
				!(p.toks[d.pos].kind == tClock && p.hasDistance()) && // "media maratón en 1:58:40" is a finish time
				!slices.Contains(fitInVerbs, p.word(d.pos-2)) { // "squeezed in 25 mins on the turbo"
				f.inAmount = true
			}
		}
		for _, q := range c.bare {
			if q.val >= 10 && q.val <= MaxMinutes && (p.nextToActivity(c.acts, q.pos) ||
				len(c.acts) == 1 && len(c.bare) == 1 && len(c.durs)+len(c.dists)+len(c.sets) == 0) {
				f.bareByAct = true // "spin 45", "spinning por la mañana 45"
			}
		}
		if len(c.dists) > 0 {
			dist = c.dists[0].val
		}
		if len(c.durs) > 0 {
			dur = int(c.durs[0].val)
		}
	}
	f.negClause = p.negatedClause()
	f.pace = runningPace(dist, dur) || cyclingPace(dist, dur)
	for k, t := range p.toks {
		if _, next, ok := p.dateAt(k); ok && t.kind == tWord {
			for d := k; d < next; d++ {
				actWord[d] = true // "legs yesterday" is still only activities
			}
		}
		if t.kind == tWord && !actWord[k] && !slices.Contains(connectors, t.text) {
			content++
		}
	}
	f.onlyActs = f.acts > 0 && content == 0
	f.selfPast = p.selfPastQuestion(f)
	return f
}

// Classify says whether text logs a workout, asks for a summary, or is
// something else, with rules only:
//
//   - a summary phrase ("how are we doing", "leaderboard", "stats",
//     "resumen", "¿cómo vamos?", or "progress"/"total"/"cómo estamos" with
//     "week"/"semana"/"month"/"mes") without any duration or distance is a
//     summary request;
//   - plans, invitations and questions are other: a future date
//     ("tomorrow", "mañana"), "gonna", "voy a", "anyone?", "in 20 min",
//     or a question mark without an amount, unless a past-tense word says
//     something was done; a negation ("no pude ir", "skipped legs")
//     without an amount is other too;
//   - an activity with an amount (duration, distance, sets), a past-tense
//     word ("did", "hice", "fui") or a 💪/✅/🔥, or a message that is
//     only activity names and dates ("pecho y tríceps", "legs yesterday"),
//     is a log;
//   - an amount with a past-tense word or emoji but no known activity ("did
//     45 min today 💪") is a log too: Extract then reports ErrNoActivity,
//     which is where a model can help;
//   - everything else (greetings, banter) is other.
//
// Classify reads dates relative to today (UTC); ClassifyAt takes the day.
func Classify(text string) Kind {
	return ClassifyAt(text, DateOf(time.Now(), time.UTC))
}

// ClassifyAt is Classify for a message written on the day today, which
// decides whether a date it names ("2026-03-10", "mañana") is a plan.
func ClassifyAt(text string, today Date) Kind {
	k, _ := Judge(text, today)
	return k
}

// Judge is ClassifyAt, and says whether the rules are sure: they are when
// nothing in the message casts a doubt on the kind (a log with an
// activity and an amount and no hint of someone else, a plan, a question,
// a negation; a greeting with no activity and no number; a summary
// phrase). A model may be asked about the messages the rules are not sure
// of.
//
// Where the rules are not sure, a classifier trained on the labelled
// corpora (see kindmodel.go) may overrule their guess when it is
// confident; the answer stays unsure, so a caller with a model still asks
// it.
func Judge(text string, today Date) (Kind, bool) {
	k, sure := judgeRules(text, today)
	if sure {
		return k, true
	}
	return secondOpinion(text, today, k), false
}

// judgeRules is Judge with the rules alone.
func judgeRules(text string, today Date) (Kind, bool) {
	if _, ok := ParseCorrection(text, today); ok {
		return KindCorrection, true
	}
	// a link is read as a mark of its own: its "?" and its words are no
	// question and no workout ("youtube.com/watch?v=...")
	link := linkRE.MatchString(text)
	text = linkRE.ReplaceAllString(text, " ")
	head := cutLater(text, today) // "legs 1h, gonna eat everything now"
	cut := head != text
	text = head
	p := newParser(text, today, false)
	f := p.analyse(text)
	if f.amounts == 0 && f.sets == 0 && f.isSummary() && !(f.secondPerson && !f.question && f.asksMember) {
		// but "that's 3 weeks in a row you've beaten me on the board
		// Callum": said to a member, not asked of the bot
		return KindSummaryRequest, true
	}
	if f.question && f.towardsGoal() {
		return KindSummaryRequest, true // "how close am I to 1000 mins this month?"
	}
	if f.acts == 0 && f.amounts == 0 {
		// nothing to log, but a number may be a workout the rules
		// cannot read ("smashed it for 50 today")
		return KindOther, !slices.ContainsFunc(p.toks, func(t token) bool { return t.kind == tNum })
	}
	sig := p.signals(text)
	sig.link = sig.link || link
	if f.acts+f.amounts > 0 && f.amounts > 0 && (p.reportAfterQuestion() || p.phrase("anyone else do", "anyone else did", "anybody else do") &&
		p.phrase("this morning", "today", "yesterday", "last night", "tonight")) && !sig.thirdParty && !f.future {
		return KindWorkoutLog, false // "is 20 mins on the cross trainer any good? did it at the leisure centre"
	}
	if (sig.intent || sig.fact || sig.otherTime || sig.history) && headReport(text, today) {
		// "hiked 3h saturday in the catskills, saw a bear (maybe a dog)":
		// the remark after the report is about something else
		sig.intent, sig.fact, sig.otherTime, sig.history = false, false, false, false
	}
	past := f.past || sig.done || sig.perfect || sig.command || p.iDid()
	switch {
	case sig.link && !past,
		sig.watching,
		sig.reaction && !sig.firstPerson,
		sig.addressed && !f.past && !sig.perfect && !sig.done,
		sig.thirdParty && !sig.firstPerson,
		sig.fact,
		sig.otherTime,
		sig.intent && !past,
		(f.future || f.inAmount) && !past,
		sig.meet && (f.weekday || f.question || sig.intent || f.explicitDate) && !past,
		sig.future && !past,
		sig.cancelled,
		sig.kidding,
		sig.hypothetical && !sig.done,
		sig.history && !sig.done,
		p.phrase("tonight", "esta noche") && !past && !f.emoji && !sig.done && !p.afterTheFact(),
		sig.wish && !sig.firstPerson,
		sig.tally && !sig.done,
		sig.signup && !sig.done,
		sig.score && f.amounts == 0 && f.sets == 0,
		p.thisWeekendAhead() && !past,
		p.comments(sig),
		p.joke(sig),
		p.upcomingDay() && f.durs == 0 && !past,
		sig.money && f.amounts == 0,
		f.negClause && !sig.done,
		f.vocativeEnd && f.question, // "how did the half marathon go Ana?": asked of Ana
		p.injury() && !sig.done && !slices.ContainsFunc(p.words(), func(w string) bool { return slices.Contains(doingVerbs, w) }),
		f.question && !past,
		f.question && (f.has("anyone") || f.has("alguien") || f.has("somebody") || f.has("someone") || f.has("anybody")):
		return KindOther, false
	}
	amount := f.amounts > 0 || f.sets > 0
	doubt := cut || f.question || f.negClause || sig.negated || sig.reaction || sig.thirdParty || sig.intent || sig.meet ||
		sig.laugh || sig.money || f.weekday && !past
	switch {
	case f.acts > 0 && amount:
		return KindWorkoutLog, !doubt
	case f.acts > 0 && (f.bareByAct || past || f.emoji || f.onlyActs || p.opensWithSport()):
		return KindWorkoutLog, false
	case f.acts == 0 && f.amounts > 0 && (past && p.strongPast() || f.emoji || f.pace || p.mannerDistance() || p.couchTo5k()) && !sig.negated:
		return KindWorkoutLog, false
	}
	return KindOther, false
}

// afterTheFact reports a word that could only be written once the workout
// was over: a past form ("hit", "climbed", "scored") or how it went
// ("brutal", "muerta"). Without one, "esta noche 45 min de yoga", sent at
// seven in the evening, may well be a plan, and a plan read as a log
// writes a bogus row.
func (p *parser) afterTheFact() bool {
	for _, w := range p.words() {
		if slices.Contains(doingVerbs, w) || slices.Contains(afterWords, w) ||
			len(w) > 4 && strings.HasSuffix(w, "ed") && !slices.Contains([]string{"speed", "need", "bleed", "breed", "tired"}, w) {
			return true
		}
	}
	return false
}

// afterWords say how a workout went, or what happened in it.
var afterWords = []string{"hit", "scored", "won", "lost", "brutal", "killer", "tough", "dead", "wrecked", "destroyed", "ganamos",
	"savage", "was", "were", "fue", "estuvo", "ha sido",
	"perdimos", "gane", "perdi", "marque", "muerto", "muerta", "reventado", "reventada", "destrozado", "destrozada", "durisimo", "durisima", "molido", "molida", "fundido", "fundida"}

// weakPast are past words that say nothing of training on their own: with
// no activity named, "had 2 hours of meetings", "the kids had me running
// around for 3 hours" log nothing, while "did 45 min today" does.
var weakPast = []string{"had", "got", "just", "went", "logged", "toco", "vengo", "volvi", "regrese", "sali", "estuve", "estuvimos"}

// strongPast reports a past word other than the weak ones, or a perfect
// tense or a done marker.
func (p *parser) strongPast() bool {
	for _, w := range p.words() {
		if slices.Contains(pastWords, w) && !slices.Contains(weakPast, w) || slices.Contains(doneWords, w) {
			return true
		}
	}
	return p.phrase("he hecho", "he entrenado", "i've done", "ive done")
}

// fitInVerbs end in "in" before an amount done, not an amount from now:
// "squeezed in 25 mins", "got in 40 min of yoga".
var fitInVerbs = []string{"squeezed", "squeeze", "got", "get", "fit", "fitted", "snuck", "sneaked", "crammed", "managed", "put", "logged", "clocked"}

// injuryPhrases tell of an injury, which is no session: "pulled my
// hamstring in the 5 min warmup".
var injuryPhrases = []string{"pulled my", "tweaked my", "hurt my", "injured my", "strained my", "sprained my", "twisted my", "rolled my",
	"me lesione", "me torci", "me hice dano", "me jodi", "me rompi"}

// injury reports a message telling of an injury.
func (p *parser) injury() bool { return p.phrase(injuryPhrases...) }
