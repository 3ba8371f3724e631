package gym

import (
	"slices"
	"strings"
)

// A report often ends with what the sender will do next: "legs 1h, gonna
// eat everything in the fridge now", "30 min corriendo, me voy a
// trabajar", "gym una hora, mañana cardio". The plan is in a clause of its
// own, after the workout, and has no amount; it must not make the workout
// a plan. Conditionals ("if", "si") and hedges ("maybe", "igual") keep
// such a clause from being read apart: "chest 1h, if I survive work" is
// still a plan.

// laterIntent are the words that make a clause a plan for later.
var laterIntent = []string{
	"gonna", "going", "will", "i'll", "ill", "heading", "headed", "off", "tomorrow", "tmrw", "later", "tonight", "next",
	"voy", "vamos", "manana", "luego", "despues", "toca", "hare", "haremos", "noche", "salgo",
}

// hedgeWords keep a trailing clause from being read as a separate plan.
var hedgeWords = []string{"if", "unless", "si", "maybe", "igual", "quizas", "quiza", "hopefully", "ojala", "probably",
	"probablemente", "supposed", "should", "deberia", "instead", "en vez", "rather"}

// cutLater returns text without a trailing plan or question: the clauses
// before the first one that speaks of later or asks something, when those
// clauses hold an activity with an amount and none of them is a plan or a
// question, and the trailing ones hold no amount and no hedge. Before a
// trailing question ("did 45 min of yoga, anyone know a good mat?") the
// report must also say the sender did it. Otherwise it returns text.
func cutLater(text string, today Date) string {
	p := newParser(text, today, false)
	b := p.clauseBounds()
	if len(b) < 2 {
		return text
	}
	cut, asks := -1, false
	for j := 1; j < len(b); j++ {
		ws := p.wordsIn(b[j][0], b[j][1])
		if len(ws) >= 2 && slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(laterIntent, w) }) {
			cut = j
			break
		}
		if len(ws) >= 2 && b[j][1] < len(p.toks) && p.punct(b[j][1], "?") {
			cut, asks = j, true // "did 45 min of yoga, anyone know a good mat?"
			break
		}
	}
	if cut < 0 {
		return text
	}
	head, tail := p.wordsIn(0, b[cut][0]), p.wordsIn(b[cut][0], len(p.toks))
	self := strings.ContainsAny(text, "✅✔☑")
	for i, w := range head {
		self = self || slices.Contains(pastWords, w) || slices.Contains(firstPersonWords, w) || slices.Contains(doneWords, w) ||
			w == "he" && i+1 < len(head) && (strings.HasSuffix(head[i+1], "ado") || strings.HasSuffix(head[i+1], "ido")) // "he ido"
	}
	laugh := strings.ContainsAny(text, "😂🤣😆😜") || slices.ContainsFunc(p.words(), func(w string) bool {
		return slices.Contains([]string{"lol", "lmao", "haha", "jaja", "jajaja", "jajajaja", "xd"}, w)
	})
	if !self && (asks || laugh || addresses(tail) || len(head) > 0 && slices.Contains(vocatives, head[0])) {
		return text // "2 hours of padel, who has that much time?", "tía 1h15 de pierna, mañana no bajas 😂": maybe someone else's
	}
	// the report may spread over its clauses: "I went to boxfit. 45 mins.
	// I hated every second. going again tuesday"
	anyActs, anyAmount := false, false
	for j := 0; j < cut; j++ {
		ws := p.wordsIn(b[j][0], b[j][1])
		acts := false
		for k := b[j][0]; k < b[j][1]; k++ {
			if _, _, ok := p.ix.match(p.toks, k); ok {
				acts = true
			}
			if d, _, ok := p.dateAt(k); ok && d.err == nil && d.date.After(today) {
				return text // "tomorrow, legs 1h, then..."
			}
		}
		amount := p.amountIn(b[j][0], b[j][1])
		plan := false
		for i, w := range ws {
			morning := w == "manana" && i > 0 && slices.Contains(morningOf, ws[i-1]) // "esta mañana": this morning
			plan = plan || !morning && (slices.Contains(intentWords, w) || slices.Contains(laterIntent, w) || slices.Contains(hedgeWords, w))
		}
		if (acts || amount) && plan {
			return text // the workout itself is a plan (a preamble such as "voy conduciendo" is not)
		}
		anyActs, anyAmount = anyActs || acts, anyAmount || amount
	}
	if !anyActs || !anyAmount {
		return text
	}
	for j := cut; j < len(b); j++ {
		ws := p.wordsIn(b[j][0], b[j][1])
		own := false // the clause names its own activity or day: "y mañana si puedo vuelvo a la piscina"
		for k := b[j][0]; k < b[j][1]; k++ {
			_, _, act := p.ix.match(p.toks, k)
			_, _, day := p.dateAt(k)
			own = own || act || day
		}
		if p.amountIn(b[j][0], b[j][1]) || !own && slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(hedgeWords, w) }) {
			return text // "chest 1h, if I survive work" is still a plan
		}
	}
	for k := range p.toks {
		if p.punct(k, "?") && (!asks || k < b[cut][0]) {
			return text // "jajaja 2h de pierna? mañana no andas" asks
		}
	}
	if addresses(head) {
		return text // speaks to someone: a reaction, not a report
	}
	// the cut falls on the separator before clause cut: find it in text by
	// counting separators, as clauseBounds does
	if b[cut][0] == 0 || !isSeparator(p.toks[b[cut][0]-1]) {
		return text // cut at "then" or "y hoy": no punctuation to cut the text at
	}
	seps := 0
	for k := 0; k < b[cut][0]; k++ {
		if isSeparator(p.toks[k]) {
			seps++
		}
	}
	rs := []rune(text)
	for i, r := range rs {
		if !strings.ContainsRune(".,;!?\n✅✔☑", r) {
			continue
		}
		if (r == '.' || r == ',' || r == ':') && i > 0 && i+1 < len(rs) && isDigit(rs[i-1]) && isDigit(rs[i+1]) {
			continue // "1,5", "2.5": inside a number
		}
		seps--
		if seps == 0 {
			return string(rs[:i])
		}
	}
	return text
}

// isSeparator reports a token that ends a clause (see clauseBounds),
// other than a sequencing word.
func isSeparator(t token) bool {
	return t.kind == tBreak || t.kind == tPunct && strings.Contains(".,;!?", t.text) || t.kind == tEmoji && strings.Contains("✅✔☑", t.text)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
