package gym

import (
	"slices"
	"strings"
)

// The word helpers the signals are read with: a message's folded words,
// phrase search, and whether a capitalised word is vocabulary or a name.

// indexOfWord returns the position of the first token that is w, or -1.
func (p *parser) indexOfWord(w string) int {
	for k := range p.toks {
		if p.word(k) == w {
			return k
		}
	}
	return -1
}

// words lists the message's words, folded.
func (p *parser) words() []string { return p.wordsIn(0, len(p.toks)) }

func (p *parser) wordsIn(a, b int) []string {
	var out []string
	for k := a; k < b; k++ {
		if p.toks[k].kind == tWord {
			out = append(out, p.toks[k].text)
		}
	}
	return out
}

// phrase reports whether the message contains one of the phrases.
func (p *parser) phrase(phrases ...string) bool {
	joined := " " + strings.Join(p.words(), " ") + " "
	for _, ph := range phrases {
		if strings.Contains(joined, " "+ph+" ") {
			return true
		}
	}
	return false
}

// phraseIn reports whether the words ws contain one of the phrases.
func phraseIn(ws []string, phrases ...string) bool {
	joined := " " + strings.Join(ws, " ") + " "
	for _, ph := range phrases {
		if strings.Contains(joined, " "+ph+" ") {
			return true
		}
	}
	return false
}

// known reports whether a word is vocabulary the rules know (an activity,
// a date word, a pronoun), so not a name.
func (p *parser) known(w string) bool {
	toks := tokenize(w)
	if len(toks) != 1 {
		return true
	}
	if _, _, ok := p.ix.match(toks, 0); ok {
		return true
	}
	sub := &parser{ix: p.ix, toks: toks, ref: p.ref}
	if _, _, ok := sub.dateAt(0); ok {
		return true
	}
	return slices.Contains(firstPersonWords, w) || slices.Contains([]string{"just", "today", "hoy", "ayer", "yesterday", "morning", "this", "that", "it", "gym", "everyone", "nobody", "someone", "who", "what", "where", "how", "quien", "que", "como", "donde", "session", "sesion", "class", "clase", "total"}, w)
}

// fold lowercases a word and removes its accents.
func fold(s string) string {
	toks := tokenize(s)
	if len(toks) == 0 {
		return ""
	}
	return toks[0].text
}

// indexAfterWord returns the token position just after the n-th word.
func (p *parser) indexAfterWord(n int) int {
	seen := -1
	for k, t := range p.toks {
		if t.kind == tWord {
			seen++
			if seen == n {
				if k+1 < len(p.toks) {
					return k + 1
				}
				return k
			}
		}
	}
	return len(p.toks) - 1
}

func isWeekday(w string) bool {
	_, ok := weekdays[w]
	return ok
}

// sleeping reports a form of sleeping or napping ("he dormido 4 horas",
// "napped 2 hours"): a duration of rest, not of a workout.
func sleeping(w string) bool {
	if w == "sueno" {
		return true // "3 horas de sueño"
	}
	for _, stem := range []string{"dorm", "durm", "sleep", "slept", "nap", "siesta"} {
		if strings.HasPrefix(w, stem) && !strings.HasPrefix(w, "dormitor") {
			return true
		}
	}
	return false
}

// groupAsides speak to the group around a report without reacting to
// anyone's workout: "told you I'd go: yoga 1h done", "os cuento: pádel 1h".
var groupAsides = []string{"told you", "told you all", "told y'all", "you were right", "you're right", "you guys were right",
	"for you all", "for you guys", "update for you", "thank you", "thanks to you", "as you said", "like you said", "as you know",
	"see you all", "see you tomorrow", "see you later", "see you guys", "you know", "you guys won't believe", "you won't believe", "believe it or not",
	"os cuento", "os dije", "os lo dije", "ya os dije", "teniais razon", "tenias razon", "para que veais", "os mando", "os aviso",
	"no os lo vais a creer", "no te lo vas a creer", "nos vemos", "hasta manana", "gracias a vosotros"}

// addresses reports words speaking to someone: "you", "tú", "corriste", or
// the Spanish "has" before a participle ("¿cuánto has hecho?"), which in
// English is the third person ("Priya has logged").
func addresses(ws []string) bool {
	joined := " " + strings.Join(ws, " ") + " "
	for _, ph := range groupAsides {
		joined = strings.ReplaceAll(joined, " "+ph+" ", " ")
	}
	ws = strings.Fields(joined)
	for i, w := range ws {
		if slices.Contains(secondPersonWords, w) {
			return true
		}
		if pastToYou(w) {
			return true // "¿cuánto tardaste?", "Pablo cuántos minutos hiciste hoy?"
		}
		if w == "has" && i+1 < len(ws) && (strings.HasSuffix(ws[i+1], "ado") || strings.HasSuffix(ws[i+1], "ido") ||
			slices.Contains([]string{"hecho", "visto", "puesto", "dicho"}, ws[i+1])) {
			return true
		}
	}
	return false
}

// isActivityWord reports a word that alone names an activity ("legs",
// "spin").
func (p *parser) isActivityWord(w string) bool {
	toks := tokenize(w)
	if len(toks) != 1 {
		return false
	}
	_, _, ok := p.ix.match(toks, 0)
	return ok
}
