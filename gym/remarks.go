package gym

import (
	"regexp"
	"slices"
	"strings"
)

// This file holds the kinds of message, found behind holdout9's misses,
// that name a sport and an amount and log nothing: a day's step count, a
// rate of hours a day, a thing called one's cardio, a run for a bus, and a
// member named in lower case ("dave cycled 100 miles"); and a past year
// that is only a reference point ("longest since 2023").

// stepsRE is a count of steps: "11,432 steps", "10k steps", "13.500 pasos".
var stepsRE = regexp.MustCompile(`(?i)\d[\d,.]*\s*k?\s*(?:steps|pasos)\b`)

// stepCount reports a day's step count with no other amount in the
// message: a device's tally, not a session ("14,200 steps today just
// walking the dog"); "walked 5km at lunch, 38 min, 7000 steps" is one.
func (p *parser) stepCount(text string) bool {
	if !stepsRE.MatchString(text) {
		return false
	}
	rest := newParser(stepsRE.ReplaceAllString(text, " "), p.ref, p.monthFirst)
	return !rest.amountIn(0, len(rest.toks))
}

// rateWords follow an amount given per day or week: a habit ("working 12
// hours a day"), not a session.
var rateWords = []string{"a day", "al dia", "per day", "por dia", "a week", "per week", "a la semana", "por semana", "a month", "al mes", "each day", "every day"}

// rateOnly reports that every duration in the message is a rate.
func (p *parser) rateOnly() bool {
	n := 0
	for k := 0; k < len(p.toks); k++ {
		m, next, ok := p.durationAt(k)
		if !ok || m <= 0 {
			continue
		}
		after := p.word(next) + " " + p.word(next+1)
		if p.word(next+2) != "" {
			after += " " + p.word(next+2)
		}
		if !slices.ContainsFunc(rateWords, func(r string) bool { return after == r || strings.HasPrefix(after, r+" ") }) {
			return false
		}
		n++
		k = next - 1
	}
	return n > 0
}

// calledWorkout names something that is not training as one's workout:
// "this is my cardio now", "ese es mi cardio de hoy".
var calledWorkout = []string{"is my cardio", "is my workout", "is my leg day", "is my exercise", "is my gym", "my cardio now",
	"es mi cardio", "es mi ejercicio", "es mi entreno", "es mi entrenamiento", "es mi gym", "es mi gimnasio"}

// transport is what people run after to catch.
var transport = []string{"bus", "train", "tube", "tram", "metro", "ferry", "flight", "plane", "autobus", "tren", "bondi", "colectivo", "avion"}

// ranForTransport reports a run to catch a bus or a train: "sprinted for
// the train", "corrí detrás del autobús".
func (p *parser) ranForTransport() bool {
	ws := p.words()
	for i, w := range ws {
		if !slices.Contains([]string{"ran", "run", "running", "sprinted", "sprint", "sprinting", "chased", "chasing", "corri", "corriendo", "corrimos"}, w) {
			continue
		}
		for j := i + 1; j < len(ws) && j <= i+4; j++ {
			if slices.Contains(transport, ws[j]) {
				return true
			}
		}
	}
	return false
}

// thirdPast are past verbs that, after a name, say what someone else did.
var thirdPast = []string{"ran", "swam", "cycled", "rode", "biked", "hiked", "walked", "rowed", "lifted", "did", "climbed", "played", "finished", "completed"}

// notNames open a sentence before a past verb without being a name.
var notNames = []string{"also", "then", "so", "and", "ok", "okay", "well", "lol", "today", "tonight", "yesterday", "already", "again",
	"first", "after", "before", "finally", "actually", "literally", "basically", "still", "just", "lowkey", "highkey", "proper", "def", "casually", "quickly",
	"really", "honestly", "barely", "nearly", "only", "early", "probably", "seriously", "apparently", "definitely", "totally",
	"absolutely", "officially", "easily", "slowly", "happily", "sadly", "luckily", "somehow", "accidentally", "we", "u", "you", "they", "she", "he", "who", "someone", "somebody", "everyone", "nobody"}

// lowerNameDid reports a member named in lower case at the start, doing
// the workout with no first person in the message: "dave cycled 100 miles
// on saturday", "emily swam the serpentine".
func (p *parser) lowerNameDid(s signals) bool {
	ws := p.words()
	if s.firstPerson || len(ws) < 3 || !slices.Contains(thirdPast, ws[1]) {
		return false
	}
	w := ws[0]
	return len(w) > 2 && !p.known(w) && !slices.Contains(notNames, w) &&
		!slices.Contains(vocatives, w) && !slices.Contains(interjections, w) && !slices.Contains(kinWords, w)
}

// sinceYear reports a year at k that a record is measured from: "longest
// since the marathon in 2023", "lo más largo desde 2022". Today's report
// stays today's; "ran 12k in 2021 and haven't been that fit since" names
// the year before "since".
func (p *parser) sinceYear(k int) bool {
	for j := k - 1; j >= 0 && j >= k-5; j-- {
		if w := p.word(j); w == "since" || w == "desde" {
			return true
		}
	}
	return false
}
