package gym

import (
	"slices"
	"strings"
)

// Negations: "no fui", "didn't", "skipped legs" say nothing was done, but
// not in an idiom ("not bad, 10k in 50", "no me lo creo"), nor before a
// verb of posting ("didn't log it"), nor about how one feels ("can't feel
// my quads").

// logVerbs post or log a workout: negated, they say the workout was not
// posted, not that it was not done.
var logVerbs = []string{"log", "logged", "logging", "post", "posted", "posting", "share", "shared", "record", "recorded",
	"apunte", "apunto", "apuntado", "puse", "pongo", "puesto", "subi", "subido", "registre", "registrado", "anote", "anotado",
	"comparti", "compartido"}

// negIdioms open with a negation but negate nothing done: "not bad, 10k
// in 50", "nada mal", "no pain no gain".
var negIdioms = []string{"not bad", "not too bad", "not so bad", "not half bad", "not my best", "not the best", "not my fastest",
	"not pretty", "just missed", "narrowly missed", "missed it by", "missed out by", "sin parar", "sin descanso", "sin pausa", "sin detenerme", "without stopping", "non stop", "no stopping", "no fue mi mejor", "no es mi mejor", "never thought", "nunca pense", "nunca crei", "nada mal", "no esta mal", "no estuvo mal", "no pain",
	"no gain", "no excuses", "sin excusas", "no days off", "no joke", "no es broma", "no cap", "no lie", "not gonna lie", "no doubt",
	"sin duda", "ni tan mal", "pues nada", "bueno nada", "y nada", "nada que", "no se", "ni idea", "no idea", "no way", "no manches", "no mames", "da igual", "not even joking",
	"can't believe", "cant believe", "cannot believe", "couldn't believe", "no me lo creo", "no me lo puedo creer", "no lo puedo creer",
	"never again", "nunca mas", "never ever again", "nothing crazy", "nothing special", "nothing fancy", "nothing major", "nothing mad",
	"nothing wild", "nothing heroic", "nothing much", "not a soul", "not a cloud", "ni un alma", "didn't die", "didnt die", "did not die", "no mori", "no me mori", "nada del otro mundo", "nada especial", "nada loco", "nada raro",
	"didn't time", "didnt time", "did not time", "didn't track", "didnt track", "no lo cronometre", "no lo medi", "forgot my watch", "no watch", "sin reloj",
	"didn't check the time", "didnt check the time", "didn't check", "didnt check", "no mire la hora", "no mire el reloj", "sin mirar el reloj"}

// negAt reports a negation at token k that is not part of an idiom.
func (p *parser) negAt(k int) bool {
	w := p.word(k)
	if !slices.Contains(negWords, w) {
		return false
	}
	for j := k + 1; j <= k+3; j++ {
		if slices.Contains(logVerbs, p.word(j)) {
			return false // "didn't log it", "no lo apunté", "didn't get posted": the post, not the workout
		}
	}
	for _, id := range negIdioms {
		parts := strings.Split(id, " ")
		for off := range parts {
			ok := true
			for j, part := range parts {
				if p.word(k-off+j) != part {
					ok = false
					break
				}
			}
			if ok {
				return false
			}
		}
	}
	return true
}

// negatedClause reports a negation ("no", "didn't", "skipped", "nada de")
// before an activity or an amount in the same clause, unless the clause
// is about how one feels ("can't feel my quads").
func (p *parser) negatedClause() bool {
	for _, b := range p.clauseBounds() {
		neg, feel := false, false
		for k := b[0]; k < b[1]; k++ {
			w := p.word(k)
			if slices.Contains(feelWords, w) {
				feel = true
			}
			if p.negAt(k) || slices.Contains(skipWords, w) {
				neg = true
				continue
			}
			if w == "but" || w == "pero" || w == "aunque" || w == "though" || w == "sino" ||
				w == "so" && (slices.Contains(doingVerbs, p.word(k+1)) || p.word(k+1) == "i") {
				neg, feel = false, false // "didn't get to post but I went for a run", "didn't make the class so did 30 min at home"
				continue
			}
			if !neg || feel {
				continue
			}
			if _, _, ok := p.ix.match(p.toks, k); ok && p.toks[k].kind != tEmoji { // "I have no rhythm 💃" names no session
				return true
			}
			if m, _, ok := p.durationAt(k); ok && m > 0 {
				return true
			}
			if km, _, ok := p.distanceAt(k); ok && km > 0 {
				return true
			}
		}
	}
	return false
}
