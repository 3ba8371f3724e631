package gym

import (
	"slices"
	"strings"
	"time"
)

// Phrases, folded (lowercase, no accents), words separated by one space.
var (
	// summaryStrong ask for a summary on their own.
	summaryStrong = []string{
		"how are we doing", "how we doing", "how r we doing", "how am i doing", "how is everyone doing",
		"how's everyone doing", "how is the group doing", "how's the group doing",
		"leaderboard", "leader board", "ranking", "rankings", "stats", "statistics", "scoreboard",
		"standings", "summary", "recap", "who's winning", "whos winning", "who is winning",
		"who's ahead", "who is ahead", "who's leading", "who is leading", "how many workouts",
		"how many sessions", "how many minutes",
		"resumen", "como vamos", "como voy", "como va el grupo", "como va la cosa", "estadisticas",
		"clasificacion", "marcador", "quien va ganando", "quien gana", "quien va primero",
		"quien lleva mas", "cuantos entrenos", "cuantos entrenamientos", "cuantas sesiones",
		"cuantos minutos", "cuantas veces",
	}
	// summaryWeak ask for a summary only with a period word.
	summaryWeak = []string{
		"how are we", "how's it going", "como estamos", "como van", "como va", "progress", "progreso",
		"tabla", "totals", "total", "totales", "report", "reporte", "informe", "balance", "numbers", "numeros",
	}
	periodWords = []string{"week", "weekly", "semana", "semanal", "month", "monthly", "mes", "mensual"}
	monthWords  = []string{"month", "monthly", "mes", "mensual"}
	// pastWords say something was done.
	pastWords = []string{
		"did", "done", "finished", "completed", "trained", "went", "crushed", "smashed", "killed",
		"logged", "log", "just", "got", "had",
		"hice", "hize", "hicimos", "hecho", "hecha", "termine", "terminado", "terminada", "acabe",
		"fui", "fuimos", "meti", "toco", "listo", "lista", "entrene", "corri", "nade", "camine", "ya",
	}
	// planWords say something will be done, or ask someone else.
	planWords = []string{
		"gonna", "will", "i'll", "planning", "plan", "later", "voy", "vamos", "toca", "quiero", "want",
		"wanna", "should", "deberia", "next", "proxima", "proximo", "heading", "anyone", "alguien",
		"vas", "vienes", "quien", "who", "you", "tu", "ustedes", "vosotros", "hare", "haremos",
	}
	// negWords say something was not done.
	negWords  = []string{"no", "not", "didn't", "didnt", "couldn't", "couldnt", "can't", "cant", "skipped", "skip", "missed", "nunca", "tampoco", "never", "won't", "wont"}
	logEmojis = []string{"💪", "✅", "✔", "🔥", "🏆", "🥵"}
	// connectors may sit between activity names ("pecho y triceps").
	connectors = []string{"y", "and", "e", "con", "with", "day", "dia", "de", "del", "la", "el", "plus", "mas", "class", "clase", "session", "sesion", "on", "this", "morning", "manana", "esta", "tarde", "afternoon", "evening", "noche", "today", "hoy"}
)

// features is what Classify looks at.
type features struct {
	words      string // " word word ... ", for phrase search
	acts       int
	amounts    int
	sets       int
	question   bool
	past, plan bool
	negated    bool
	emoji      bool
	future     bool // a date after the day of the message
	onlyActs   bool // every word is an activity, a date or a connector
	inAmount   bool // "in 20 min" without a distance: a time from now
}

func (f features) has(phrase string) bool { return strings.Contains(f.words, " "+phrase+" ") }

// analyse reads the features of text written on the day today: a date is
// "future" when it falls after today.
func analyse(text string, today Date) features {
	p := newParser(text, today, false)
	var f features
	var b strings.Builder
	b.WriteString(" ")
	content := 0
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
		}
		if t.kind == tWord {
			f.past = f.past || slices.Contains(pastWords, t.text)
			f.plan = f.plan || slices.Contains(planWords, t.text)
			f.negated = f.negated || slices.Contains(negWords, t.text)
		}
	}
	f.words = b.String()
	for _, phrase := range []string{"going to", "on my way", "mas tarde", "later today"} {
		f.plan = f.plan || f.has(phrase)
	}
	actWord := map[int]bool{}
	for _, c := range p.clauses() {
		f.acts += len(c.acts)
		f.amounts += len(c.durs) + len(c.dists)
		f.sets += len(c.sets)
		for _, d := range c.dates {
			if d.err == nil && d.date.After(p.ref) {
				f.future = true
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
			if w := p.word(d.pos - 1); (w == "in" || w == "en" || w == "within") && len(c.dists) == 0 {
				f.inAmount = true
			}
		}
	}
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
	return f
}

// isSummary reports a summary request phrase.
func (f features) isSummary() bool {
	for _, s := range summaryStrong {
		if f.has(s) && !(s == "como vamos" && f.has("como vamos a")) {
			return true
		}
	}
	period := false
	for _, w := range periodWords {
		period = period || f.has(w)
	}
	if !period {
		return false
	}
	for _, s := range summaryWeak {
		if f.has(s) {
			return true
		}
	}
	return false
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
	f := analyse(text, today)
	switch {
	case f.isSummary() && f.amounts == 0:
		return KindSummaryRequest
	case f.acts == 0 && f.amounts == 0:
		return KindOther
	case (f.future || f.plan || f.inAmount) && !f.past:
		return KindOther
	case f.negated && f.amounts == 0:
		return KindOther
	case f.question && (f.amounts == 0 || f.plan):
		return KindOther
	case f.acts > 0 && (f.amounts > 0 || f.sets > 0 || f.past || f.emoji || f.onlyActs):
		return KindWorkoutLog
	case f.acts == 0 && f.amounts > 0 && (f.past || f.emoji):
		return KindWorkoutLog
	}
	return KindOther
}

// RequestedPeriod says which period a summary request asks about: a month
// when it says "month"/"mes"/"mensual", a week otherwise.
func RequestedPeriod(text string) Period {
	f := analyse(text, DateOf(time.Now(), time.UTC))
	for _, w := range monthWords {
		if f.has(w) {
			return PeriodMonth
		}
	}
	return PeriodWeek
}
