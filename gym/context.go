package gym

import (
	"regexp"
	"slices"
	"strings"
)

// The context around an amount says whose it is and whether it was done,
// beyond the words of the clause that holds it: someone's words quoted
// back at them ("'just an easy 5k' he said"), a workout still under way
// ("halfway through a 90 min ride"), how far a place is ("6 km from my
// place to the office"), an earlier time of one's life ("in my 20s"),
// being on the way somewhere ("5 min, just parking"). Words are folded.
var (
	// quoteRE is a quoted span: opened after a space or the start, closed
	// before a space, punctuation or the end, so "can't" opens nothing.
	quoteRE = regexp.MustCompile(`(?:^|\s)['‘"“«]([^'’"”»]{3,}?)['’"”»](?:\s|[.,!?…:;]|$)`)
	// sayVerbs report what someone said or posted.
	sayVerbs = []string{"said", "says", "say", "claims", "claimed", "reckons", "posts", "posted", "dice", "dijo", "decia",
		"dices", "dijiste", "publica", "publico", "sube", "subio"}
	// progressPhrases say a workout is under way, not done.
	progressPhrases = []string{"halfway through", "half way through", "halfway into", "halfway there", "mid run", "mid ride",
		"mid swim", "mid session", "mid workout", "a mitad de", "a mitad del", "a medio camino", "por la mitad de"}
	// thoughtPhrases say a workout was only thought of.
	thoughtPhrases = []string{"thought about", "thought of", "considered", "was considering", "pense en", "estuve pensando en",
		"pensaba en", "i wish", "wish i", "ojala tuviera", "ojala pudiera", "ojala tuviese"}
	// abilityPhrases say what one can do, not what one did.
	abilityPhrases = []string{"i can barely", "i can only", "i can't even", "i cant even", "i could barely", "i can hardly", "can barely do",
		"can only do", "can't even do", "apenas puedo", "solo puedo", "ni siquiera puedo", "yo apenas", "yo solo aguanto", "solo aguanto", "apenas aguanto"}
	// agePhrases place a workout in an earlier time of one's life.
	ageRE = regexp.MustCompile(`(?i)\b(in my (teens|twenties|thirties|forties|fifties|\d0s|\d0's)|back at uni|at uni\b|in college|in high school|at school|when i was (young|younger|a kid|at uni)|con \d{2} a[ñn]os|en mis (veinte|treinta|cuarenta)|de chaval|de chavala|de cr[ií]o|de cr[ií]a|cuando ten[ií]a \d{2})`)
	// arrivingPhrases time the way somewhere: "5 min, just parking".
	arrivingPhrases = []string{"parking", "parking up", "aparcando", "aparcar", "nearly there", "almost there", "casi llego",
		"ya casi", "llegando", "just outside", "round the corner", "a la vuelta de la esquina", "on the way", "omw", "en camino"}
	// strangers are someone seen, not a member: "saw a guy do 50
	// pullups", "this woman at spin did 45 min".
	strangers = []string{"a guy", "some guy", "this guy", "a bloke", "some bloke", "this bloke", "a woman", "some woman", "this woman",
		"a lady", "some lady", "this lady", "an old man", "an old guy", "a girl", "some girl", "this girl", "saw someone",
		"un tio", "un tipo", "un senor", "una senora", "una chica", "un chaval", "una chavala", "un chico", "un viejo", "una mujer", "vi a un", "vi a una"}
	// countsAs joke that a chore is a workout.
	countsAs = []string{"counts as", "count as", "that counts", "cuenta como", "eso cuenta", "es ejercicio", "is exercise", "is a workout",
		"does that count", "does it count", "does this count", "that count", "it count", "cuenta no", "eso cuenta no", "cuenta verdad"}
	// deviceSays report a device's count of the day.
	deviceSays = []string{"my phone says", "phone says", "my watch says", "watch says", "my app says", "app says", "my fitbit says",
		"fitbit says", "el reloj dice", "mi reloj dice", "la app dice", "mi app dice", "el movil dice", "mi movil dice", "el telefono dice"}
	// placeFrom follows a distance between two places: "6 km from my
	// place", "3 km de casa al gimnasio".
	placeFrom = []string{"from", "desde", "del", "away"}
	// bookingWords book a court or a class: a plan.
	bookingWords = []string{"booked", "reserved", "book", "reserve", "reservada", "reservado", "reservamos", "reservar", "reserva"}
	// homeWords follow "de" after a distance between places: "3 km de
	// casa", "2 km de mi oficina".
	homeWords = []string{"casa", "mi", "tu", "su", "home", "la", "el", "aqui", "alli"}
)

// context adds to s what the words around the amounts say (see above).
func (p *parser) context(text string, s *signals) {
	ws := p.words()
	// someone's words quoted back: "lol 'only a short 30 min spin' she
	// says, then posts 2 hours"
	if loc := quoteRE.FindStringIndex(text); loc != nil {
		rest := newParser(text[:loc[0]]+" "+text[loc[1]:], p.ref, p.monthFirst)
		rw := rest.words()
		if slices.ContainsFunc(rw, func(w string) bool { return slices.Contains(sayVerbs, w) }) &&
			(!slices.ContainsFunc(rw, func(w string) bool { return slices.Contains(firstPersonWords, w) }) ||
				rest.phrase("she said", "he said", "they said", "she says", "he says", "dijo ella", "dijo el")) { // "'just a quick 5k' she said. it was 12k. I hate her"
			s.thirdParty, s.firstPerson = true, false
		}
	}
	if p.amountsOwnedBy(yourWords) && !s.done && !p.iDid() {
		s.thirdParty, s.firstPerson, s.reaction = true, false, true // "jealous of your 2h hike, I was stuck at my desk"
	}
	if phraseIn(p.headWords(), strangers...) && !p.iDid() && !p.phrase(withStrangers()...) { // not "35 min, and some guy in a van shouted"
		s.thirdParty, s.firstPerson = true, false // "saw a guy do 50 pullups", "vi a un señor de 80 años correr 10 km"
	}
	if s.laugh && (p.phrase(countsAs...) || p.phrase("that's", "thats", "eso es") && s.done) {
		s.kidding = true // "carried the shopping up 4 flights, that's leg day done lol"
	}
	if p.pointsAtLift() {
		s.reaction = true // "bro that 405 deadlift tho 😤"
	}
	if ws := p.words(); len(ws) > 1 && (slices.Contains(kinWords, ws[0]) || (ws[0] == "the" || ws[0] == "los" || ws[0] == "las") && slices.Contains(kinWords, ws[1])) &&
		!slices.ContainsFunc(p.headWords(), func(w string) bool { return slices.Contains(firstPersonWords, w) }) &&
		!p.phrase("and i", "y yo", "and me", "conmigo", "with me", "y a mi") &&
		!slices.Contains([]string{"session", "sesion", "class", "clase", "with", "con"}, ws[1]) && // "PT session 1hr" is the sender's
		!(slices.Contains(vocatives, ws[0]) && slices.Contains(ownOpeners, ws[1])) && // "tía he nadado 2 km": "tía" calls the group
		!p.phrase(fitIns...) && // "kids in bed by 8:30 so snuck in a 45 min ride"
		!p.phrase("made me", "had me", "got me", "put me through", "made us", "had us", "me hizo", "me tuvo", "me puso", "me metio", "nos tuvo", "nos hizo", "me mando") { // "coach had me doing 45 min of intervals"
		s.thirdParty, s.firstPerson = true, false // "kids have swimming lessons 30 mins, I sit and watch"
	}
	if p.phrase(closedWords...) && !p.amountIn(0, len(p.toks)) {
		s.cancelled = true // "went to the gym but it was closed 🙃"
	}
	if p.choreAmount() || p.metaphor() && !s.done && !p.iDid() { // but "that's 45 min spin done ✅"
		s.kidding = true // "did 3 hours of gardening", "3 horas de limpieza general, eso es crossfit"
	}
	if p.figurative() && (!s.done || p.amountOfOther()) { // "2 hours of meal prep done"
		s.kidding = true // "that meeting was a marathon, 3 hours", "swimming in paperwork for 4 hours"
	}
	if p.momentInto() {
		s.otherTime = true // "pulled a hamstring 5 min into football": a moment, not a duration
	}
	if p.phrase(deviceSays...) && !slices.ContainsFunc(p.clauses(), func(c clause) bool {
		return slices.ContainsFunc(c.acts, func(a actHit) bool { return a.name != "walking" })
	}) {
		s.fact = true // "my phone says I've walked 2 km today": a day's count, not a session
	}
	if p.phrase(progressPhrases...) || p.unitThenToGo() {
		s.intent = true // "halfway through a 90 min ride", "30 min to go"
	}
	if p.phrase(abilityPhrases...) && !p.iDid() && !s.done {
		s.hypothetical = true // "I can barely do an hour", "apenas puedo hacer 20 min de plancha": what one can do
	}
	if p.phrase(thoughtPhrases...) {
		s.hypothetical = true // "thought about going for a 30 min run", "wish I had time for 2 hr rides"
	}
	if ageRE.MatchString(text) {
		s.otherTime = true // "ran 60 km a week in my 30s"
	}
	if p.phrase(arrivingPhrases...) && !s.done && !p.afterTheFact() {
		s.otherTime = true // "5 min, just parking up"
	}
	if slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(bookingWords, w) }) && !s.done && !p.afterTheFactBut(bookingWords) {
		s.fact = true // "booked padel for saturday 10:00, 90 min": a booking, in whichever clause the amount is
	}
	past := slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(pastWords, w) || slices.Contains(doingVerbs, w) })
	for k := range p.toks {
		km, next, ok := p.distanceAt(k)
		if m, dnext, dok := p.durationAt(k); dok && m > 0 && !ok {
			km, next, ok = m, dnext, true // "the pool is 15 min from my place", "el gym está a 10 min de mi casa"
		}
		if !ok || km <= 0 || past || s.done {
			continue
		}
		if w := p.word(next); slices.Contains(placeFrom, w) || w == "de" && slices.Contains(homeWords, p.word(next+1)) {
			s.fact = true // "6 km from my place to the office", "3 km de casa al gimnasio"
		}
	}
}

// unitThenToGo reports a time or distance still to go: "30 min to go",
// "5k left to go".
func (p *parser) unitThenToGo() bool {
	for k := range p.toks {
		if p.word(k) != "to" || p.word(k+1) != "go" {
			continue
		}
		for j := k - 1; j >= max(0, k-3); j-- {
			if _, _, ok := p.durationAt(j); ok {
				return true
			}
			if _, _, ok := p.distanceAt(j); ok {
				return true
			}
		}
	}
	return false
}

// lookedAtTime reports looking at the time or a watch ("no miré el
// reloj", "didn't check the time"), which is no sport watched.
func (p *parser) lookedAtTime() bool {
	return p.phrase("el reloj", "el tiempo", "la hora", "el crono", "the time", "the clock", "my watch", "el garmin", "mi reloj") ||
		p.phrase("a ver") && !p.phrase("ver el", "ver la", "ver un", "ver una") // "a ver, hoy al final fui a pilates"
}

// watchedAmount reports a watching verb whose object is the amount:
// "watched 90 min of boxing on netflix", "me vi 2 horas de ciclismo",
// "spent 2 hours watching highlights" (while "rodillo 1h viendo una serie" and "45 min elliptical, watched
// netflix" trained).
func (p *parser) watchedAmount() bool {
	watch := []string{"watched", "watching", "watch", "vi", "vimos", "viendo", "mire", "mirando", "streamed"}
	for k := range p.toks {
		if _, next, ok := p.durationAt(k); ok {
			if slices.Contains(watch, p.word(k-1)) || p.word(k-1) == "the" && slices.Contains(watch, p.word(k-2)) ||
				(p.word(next) == "watching" || p.word(next) == "viendo") && slices.Contains([]string{"spent", "pase", "wasted", "perdi"}, p.word(k-1)) {
				return true
			}
		}
	}
	return false
}

// afterTheFactBut is afterTheFact ignoring the words in skip ("booked"
// ends in -ed but says nothing was done yet).
func (p *parser) afterTheFactBut(skip []string) bool {
	for _, w := range p.words() {
		if slices.Contains(skip, w) {
			continue
		}
		if slices.Contains(doingVerbs, w) || slices.Contains(afterWords, w) ||
			len(w) > 4 && strings.HasSuffix(w, "ed") && !slices.Contains([]string{"speed", "need", "bleed", "breed", "tired"}, w) {
			return true
		}
	}
	return false
}

// trainedWatching reports a session done while watching sport: "hour on
// the turbo watching the giro", "rodillo 50 min viendo el tour". The
// activity and the amount come first, then the gerund; "watching the
// giro, 3 hours of climbing" watches.
func (p *parser) trainedWatching() bool {
	act, amount := false, false
	for k := range p.toks {
		if _, _, ok := p.ix.match(p.toks, k); ok && p.toks[k].kind == tWord {
			act = true
		}
		if m, _, ok := p.durationAt(k); ok && m > 0 {
			amount = true
		}
		if km, _, ok := p.distanceAt(k); ok && km > 0 {
			amount = true // "swam 1k with the kids watching"
		}
		if w := p.word(k); slices.Contains(watchWords, w) {
			return act && amount && (w == "watching" || w == "viendo" || w == "mirando")
		}
	}
	return false
}

// yourWords make the amount after them someone else's: "your 2h hike", "tu
// ruta de 3 horas".
var yourWords = []string{"your", "ur", "yer", "yours", "tu", "tus", "vuestra", "vuestro", "vuestras", "vuestros"}

// amountsOwnedBy reports whether every duration and distance in the
// message follows one of owners or a name's possessive, within four words
// ("your 2h hike", "tu ruta de 3 horas", "Tom's 3 hour ride"), and there
// is at least one.
func (p *parser) amountsOwnedBy(owners []string) bool {
	found := false
	for k := range p.toks {
		m, _, isDur := p.durationAt(k)
		km, _, isDist := p.distanceAt(k)
		if !(isDur && m > 0 || isDist && km > 0) {
			continue
		}
		owned := false
		for j := k - 1; j >= max(0, k-4); j-- {
			if slices.Contains(owners, p.word(j)) {
				owned = true
			}
			if name, ok := strings.CutSuffix(p.word(j), "'s"); ok && k-j <= 2 && len(name) > 1 && !p.known(name) && !p.known(p.word(j)) && !slices.Contains([]string{"it", "that", "what", "who", "there", "here", "he", "she", "today", "tonight"}, name) {
				owned = true // "Tom's 3 hour ride", "Mia's 2h swim"
			}
			if p.toks[j].kind == tPunct || p.toks[j].kind == tBreak {
				break
			}
		}
		if !owned {
			return false
		}
		found = true
	}
	return found
}

// iDid reports the sender as the subject of a past form of an activity:
// "I ran 10k in 55 today", "we finally swam", "I just rode".
func (p *parser) iDid() bool {
	ws := p.words()
	for i, w := range ws {
		if w != "i" && w != "we" {
			continue
		}
		for j := i + 1; j <= i+2 && j < len(ws); j++ {
			if slices.Contains(doingVerbs, ws[j]) {
				return true
			}
		}
	}
	return false
}

// amountJustBefore reports a duration or distance that ends right before
// token k: "10 min left", "5k left".
func (p *parser) amountJustBefore(k int) bool {
	for j := max(0, k-3); j < k; j++ {
		if m, next, ok := p.durationAt(j); ok && m > 0 && next == k {
			return true
		}
		if km, next, ok := p.distanceAt(j); ok && km > 0 && next == k {
			return true
		}
	}
	return false
}

// choreWords are house and garden work: the hours someone spends on them
// are no session, whatever they joke.
var choreWords = []string{"gardening", "hoovering", "hoover", "vacuuming", "mopping", "cleaning", "ironing", "cooking",
	"assembling", "ikea", "decorating", "painting", "diy", "shopping", "chores", "housework", "limpieza", "limpiando", "limpiar",
	"jardineria", "planchar", "planchando", "cocinando", "mudanza", "pintando", "fregando", "barriendo", "tareas"}

// choreAmount reports a duration in a clause about a chore with no sport
// named in it ("did 3 hours of gardening", "2 horas limpiando el jardín").
func (p *parser) choreAmount() bool {
	for _, b := range p.clauseBounds() {
		if !p.amountIn(b[0], b[1]) {
			continue
		}
		chore, sport := false, false
		for k := b[0]; k < b[1]; k++ {
			chore = chore || slices.Contains(choreWords, p.word(k))
			if name, _, ok := p.ix.match(p.toks, k); ok && !isGeneric(name) && !slices.Contains(bodyParts, name) {
				sport = true
			}
		}
		if chore && !sport {
			return true
		}
	}
	return false
}

// metaphorWords call something a workout: "that's cardio right there",
// "eso es crossfit" (not "basically": "basically just 45 min spin today"
// reports).
var metaphorWords = []string{"that's", "thats", "that is", "eso es", "esto es", "it's basically", "its basically", "eso ya es"}

// metaphor reports a message whose every activity is named only after a
// word that calls something a workout ("lifted my kid 400 times today,
// that's 2 hours of weights surely"), so no sport was trained.
func (p *parser) metaphor() bool {
	found := false
	for _, b := range p.clauseBounds() {
		for k := b[0]; k < b[1]; k++ {
			if _, _, ok := p.ix.match(p.toks, k); !ok || p.toks[k].kind != tWord {
				continue
			}
			before := " " + strings.Join(p.wordsIn(b[0], k), " ") + " "
			if !slices.ContainsFunc(metaphorWords, func(m string) bool { return strings.Contains(before, " "+m+" ") }) {
				return false
			}
			found = true
		}
	}
	return found
}

// momentInto reports a duration followed by "into" ("5 min into
// football", "30 min into the run") or "a los N minutos de": a moment in
// a session, not its length.
func (p *parser) momentInto() bool {
	for k := range p.toks {
		if m, next, ok := p.durationAt(k); ok && m > 0 && (p.word(next) == "into" || p.word(k-1) == "los" && p.word(k-2) == "a") {
			return true
		}
	}
	return false
}

// closedWords say the place was shut: with no amount anywhere, nothing
// was trained ("gym was closed so I ran 5k instead, 28 min" was).
var closedWords = []string{"was closed", "is closed", "were closed", "it was shut", "was shut", "estaba cerrada", "estaba cerrado",
	"esta cerrada", "esta cerrado", "cerrado por", "cerrada por"}

// pointsAtLift reports a pointer at a lift with its weight and a closing
// "tho"/"though" ("bro that 405 deadlift tho", "that 100kg squat though
// Jess"): someone else's lift admired.
func (p *parser) pointsAtLift() bool {
	if !p.phrase("tho", "though", "eh", "eh?") {
		return false
	}
	for k := range p.toks {
		if !slices.Contains(pointers, p.word(k)) {
			continue
		}
		j := k + 1
		if p.isNum(j) {
			j++
			if p.word(j) == "kg" || p.word(j) == "kgs" || p.word(j) == "lb" || p.word(j) == "lbs" || p.word(j) == "kilos" {
				j++
			}
		}
		if _, _, ok := p.ix.match(p.toks, j); ok && j > k+1 {
			return true
		}
	}
	return false
}

// withStrangers are the strangers after "with"/"con": company on the
// sender's session ("ran 5k with a guy from the club").
func withStrangers() []string {
	var out []string
	for _, s := range strangers {
		out = append(out, "with "+s, "w "+s, "con "+s)
	}
	return out
}
