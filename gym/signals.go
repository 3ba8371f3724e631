package gym

import (
	"slices"
	"strings"
)

// signals is what the rules know about who, whether and when.
type signals struct {
	firstPerson  bool // the sender is in it ("I", "hice", "we")
	done         bool // an explicit "done", "hecho", ✅
	thirdParty   bool // someone else did it
	reaction     bool // a reaction to someone else's workout
	watching     bool // sport watched
	intent       bool // wanted, planned, tried: not done
	meet         bool // a time of day to meet
	link         bool
	fact         bool // a fact about a thing ("the pool is 25m long")
	otherTime    bool // a duration of something else ("running late, 10 min")
	negated      bool
	future       bool // "in june": a month ahead
	cancelled    bool // "got cancelled", "suspendida"
	kidding      bool // "jk", "es broma": not meant
	wish         bool // "hope everyone had a good workout"
	hypothetical bool // "I could do 5k if I had to"
	history      bool // a past year: "en 2019 corrí una maratón"
	tally        bool // a period's tally: "3 runs this week, 25 km total"
	vocative     bool // opens by calling someone: "tía", "bro", "wey"
	signup       bool // signed up for an event: "me he apuntado a una carrera de 10 km"
	score        bool // a number of goals, points, degrees, kilos: "metí 2 goles", "a 90 grados"
	money        bool // a price: "45 euros", "15€", "$20"
	perfect      bool // a perfect tense: "he corrido", "me he marcado"
	command      bool // addressed to the bot: "@bot log 30 min swim"
	laugh        bool // "lol", "jaja", 😂: maybe a joke
	addressed    bool // speaks to a member by name ("Sara you're a machine")
	companion    bool // someone else came along ("with my mum")
}

func (p *parser) signals(text string) signals {
	var s signals
	ws := p.words()
	has := func(set []string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(set, w) })
	}
	ledMe := p.phrase("made me", "had me", "me hizo", "nos tuvo", "me tuvo", "me lio", "me convencio", "me arrastro",
		"me llevo", "convinced me", "dragged me", "talked me into", "got me to") // someone got the sender to do it
	s.firstPerson = has(firstPersonWords) || ledMe || p.phrase("me and", "and me", "me y", "y yo", "me n", "me & ")
	if len(ws) > 0 && slices.Contains(doingVerbs, ws[0]) && !strings.Contains(text, "?") {
		s.firstPerson = true // "RAN 10K. 49:58. Y'ALL WITNESSED IT.": a diary's dropped "I"
	}
	if p.phrase(fitIns...) || p.phrase("anyone else do", "anyone else did", "anyone else doing", "anybody else do", "alguien mas ha", "alguien mas hizo") {
		s.firstPerson = true // "snuck in a 45 min peloton ride": a diary's dropped "I"
	}
	s.done = strings.ContainsAny(text, "✅✔☑")
	for i, w := range ws {
		if (w == "with" || w == "con" || w == "w") && (i+2 < len(ws) && slices.Contains([]string{"my", "mi", "mis", "la", "el", "the", "our", "nuestra", "nuestro"}, ws[i+1]) && slices.Contains(kinWords, ws[i+2]) ||
			i+1 < len(ws) && slices.Contains(kinWords, ws[i+1])) {
			s.companion = true // "35 min de zumba con mi madre", "pilates w/ mum", "con la entrenadora"
		}
		if slices.Contains(doneWords, w) && i > 1 && (ws[i-1] == "is" || ws[i-1] == "are") && p.isActivityWord(ws[i-2]) &&
			(i < 3 || ws[i-3] != "my" && ws[i-3] != "mi") {
			s.done = true // "ok legs are done for the week": the session, not "my hamstring is done"
		}
		if slices.Contains(doneWords, w) && !(i > 0 && slices.Contains([]string{"is", "are", "am", "i'm", "im", "was", "it's", "esta", "estoy", "well", "bien", "nicely"}, ws[i-1])) &&
			!(w == "done" && i > 1 && ws[i-1] == "i" && ws[i-2] == "have") { // "what have I done": dismay, nothing finished
			s.done = true // not "my hamstring is done", nor praise: "well done", "bien hecho"
		}
		if (w == "he" || w == "hemos" || w == "has") && i+1 < len(ws) && (strings.HasSuffix(ws[i+1], "ado") || strings.HasSuffix(ws[i+1], "ido") || ws[i+1] == "hecho") {
			s.perfect = true // "me he marcado 10 km"
		}
		if w == "if" || w == "unless" || w == "si" && i+1 < len(ws) && p.toks[p.indexAfterWord(i)].kind == tWord {
			s.intent = true // "chest 1h if I survive work", "si me da tiempo"
		}
	}
	race := p.raceResult()
	if race || p.phrase(lateLogs...) {
		s.done = true // "parkrun saturday 24:12 PB", "carrera de 10k: 44:51 oficial", "late log from tuesday"
	}
	if len(ws) > 1 && (ws[0] == "bot" || strings.HasPrefix(text, "@")) && slices.Contains(commandVerbs, ws[1]) || len(ws) > 0 && slices.Contains(commandVerbs, ws[0]) && len(ws) > 2 {
		s.command = true // "@bot log 30 min swim"
	}
	hw := p.headWords() // "boxing 1h, my coach is a sadist": a remark after the report names no doer
	for i, w := range hw {
		if (w == "my" || w == "mi" || w == "mis" || w == "our" || w == "nuestro" || w == "nuestra") && i+1 < len(hw) && isKin(hw, i+1) && !withMe(hw, i) {
			s.thirdParty = true
		}
		if slices.Contains(kinWords, w) && i+1 < len(hw) && slices.Contains([]string{"did", "ran", "swam", "went", "cycled", "rode", "does",
			"hiked", "lifted", "hizo", "corrio", "nado"}, hw[i+1]) && !slices.Contains(hw[:i], "i") && !slices.Contains(hw[:i], "me") && !slices.Contains(hw[:i], "and") {
			s.thirdParty = true // "gym crush did 2 hours on the stairmaster"
		}
		if (w == "my" || w == "our") && i+2 < len(hw) && strings.HasSuffix(hw[i+1], "'s") && slices.Contains(kinWords, strings.TrimSuffix(hw[i+1], "'s")) &&
			p.isActivityWord(hw[i+2]) {
			s.thirdParty = true // "my daughter's dance recital was 2 hours": hers
		}
	}
	for i, w := range ws {
		if (w == "el" || w == "la" || w == "the" || w == "los" || w == "las") && i+2 < len(ws) && (slices.Contains(kinWords, ws[i+1]) ||
			i+3 < len(ws) && slices.Contains(kinWords, ws[i+2]) || i+4 < len(ws) && slices.Contains(kinWords, ws[i+3])) &&
			(i == 0 || slices.Contains([]string{"and", "y", "but", "pero", "so", "pues", "que"}, ws[i-1])) {
			s.thirdParty = true // "el entrenador nos puso..."
		}
	}
	if m := nameRE.FindStringSubmatch(text); m != nil && !p.known(fold(m[1])) || p.lowerNameDid(s) {
		s.thirdParty = true
	}
	// "nado" is "I swim" unless written "nadó"
	third := func(w string) bool {
		return slices.Contains(thirdPersonWords, w) && (w != "nado" || strings.Contains(strings.ToLower(text), "nadó")) &&
			!(w == "hace" && p.phrase("hace media", "hace un", "hace una", "hace poco", "hace nada", "hace rato") || w == "hace" && p.agoNumber())
	}
	if slices.ContainsFunc(p.headWords(), third) && !s.firstPerson || !s.firstPerson && p.phrase("ha hecho", "ha corrido", "ha nadado",
		"ha entrenado", "ha ido", "ha salido", "ha sumado", "han hecho", "han corrido", "han nadado", "han puesto", "ha puesto") || p.phrase("he ran", "he did", "he swam", "he went", "he was", "he has",
		"he had", "he is", "he said", "he says", "he cycled", "he walked", "he lifted", "he played") {
		s.thirdParty = true
	}
	// someone else is the subject of the clause that holds the amount, and
	// the sender is not in it: "my partner did a 10k trail run today, I
	// stayed in bed"
	for _, c := range p.clauseBounds() {
		cw := p.wordsIn(c[0], c[1])
		amount := false
		for k := c[0]; k < c[1]; k++ {
			if m, _, ok := p.durationAt(k); ok && m > 0 {
				amount = true
			}
			if km, _, ok := p.distanceAt(k); ok && km > 0 {
				amount = true
			}
		}
		for i, w := range cw {
			if slices.Contains([]string{"before", "after", "while", "when", "until", "mientras", "cuando", "antes", "hasta"}, w) && i > 0 {
				cw = cw[:i] // "my neighbour ran 10k before I even woke up": the subordinate clause is not the subject's
				break
			}
		}
		kin := false
		for i, w := range cw {
			if (w == "my" || w == "mi" || w == "mis") && i+1 < len(cw) && isKin(cw, i+1) && !withMe(cw, i) ||
				slices.Contains(kinWords, w) && i+1 < len(cw) && slices.Contains([]string{"did", "ran", "swam", "cycled", "rode", "hiked", "hizo", "corrio"}, cw[i+1]) &&
					!slices.Contains(cw[:i], "me") && !slices.Contains(cw[:i], "and") && !slices.Contains(cw[:i], "y") { // not "me and the lads did"
				kin = true // "my partner did...", "gym crush did 2 hours on the stairmaster, I'm in love"
			}
		}
		if amount && kin && !ledMe && !slices.ContainsFunc(cw, func(w string) bool { return slices.Contains(firstPersonWords, w) }) {
			s.thirdParty, s.firstPerson = true, false
		}
		if amount && !ledMe && !slices.ContainsFunc(cw, func(w string) bool { return slices.Contains(firstPersonWords, w) || w == "me" }) {
			for _, m := range nameVerbRE.FindAllStringSubmatch(text, -1) {
				if n := fold(m[1]); slices.Contains(cw, n) && slices.Contains(cw, fold(m[2])) && !p.known(n) && !slices.Contains([]string{"i", "yo", "we"}, n) {
					s.thirdParty, s.firstPerson = true, false // "Pete and Sam went climbing for 3 hours, I stayed home"
				}
			}
		}
	}
	if p.phrase("said he", "says he", "said she", "says she", "said they", "says they", "told me he", "told me she",
		"dice que", "dijo que", "me dijo que", "me ha dicho que", "cuenta que", "claims he", "claims she", "apparently he", "apparently she") {
		s.thirdParty, s.firstPerson = true, false // hearsay: "Tom said he did legs for 2 hours, I don't believe him"
	}
	if p.phrase("yo me muero", "yo me moriria", "me moriria", "me mataria", "i'd die", "i would die", "i'd be dead", "i'd pass out", "yo ni de broma", "i could never") {
		s.intent = true // a hypothetical about someone else's workout: "1h de hiit, yo me muero"
	}
	if m := companionRE.FindStringSubmatch(text); m != nil && (!p.known(fold(m[1])) || slices.Contains(crewWords, fold(m[1]))) {
		s.companion = true // "spin with Tony 6am 45min", "tennis with the club ladies", "spinning 45 con Toni"
	}
	if s.companion && !slices.ContainsFunc(p.headWords(), third) && nameRE.FindStringSubmatch(text) == nil {
		s.thirdParty = false // "with my mum": the sender trained, with company
	}
	for i, w := range ws {
		_, plural := weekdays[strings.TrimSuffix(w, "s")]
		if len(w) >= 7 && strings.HasSuffix(w, "s") && plural && w != "lunes" && w != "martes" && w != "miercoles" && w != "jueves" && w != "viernes" ||
			(w == "los" || w == "every" || w == "cada" || w == "todos") && i+1 < len(ws) && isWeekday(ws[i+1]) {
			s.fact = s.fact || !s.firstPerson // "tuesdays", "los martes", "every monday": a schedule
		}
	}
	second := addresses(ws)
	praise := has(praiseWords)
	// "que" is an interjection only before the praise ("qué bestia"), not
	// in "es que no me da la vida"
	quePraise := slices.ContainsFunc(praiseWords, func(w string) bool { return p.phrase("que " + w) })
	s.reaction = second || praise && (has(interjections[:len(interjections)-1]) || quePraise || len(ws) > 0 && slices.Contains(interjections, ws[0]))
	s.addressed = second && memberName(text) != "" // "ok Sara 10k PB in 48 min, we see you"
	s.vocative = len(ws) > 0 && slices.Contains(vocatives, ws[0])
	if m := leadNameRE.FindStringSubmatch(text); m != nil && !p.known(fold(m[1])) && !s.firstPerson && (praise || s.laugh) {
		s.reaction = true // "Luis 3h on the bike, absolute unit", "Marta 1h de spinning hoy, qué máquina"
	}
	if s.vocative && !s.firstPerson && !has(pastWords) && !strings.ContainsAny(text, "💪✅✔🔥🥵💦") && (s.laugh || praise || has(interjections[:len(interjections)-1])) {
		s.reaction = true
	}
	if !s.firstPerson && (p.phrase("proud of", "orgullo", "orgullosa", "orgulloso", "so happy for", "que alegria") && !p.phrase("proud of myself", "proud of me", "de mi", "de mi misma", "de mi mismo", "orgullosa de mi", "orgulloso de mi") ||
		memberName(text) != "" && (len(ws) > 0 && slices.Contains(interjections, ws[0]) || s.laugh && !has(pastWords))) {
		s.reaction = true // "so proud of Lucy, first 5k today", "haha Tom 2h of padel"
	}
	s.watching = has(watchWords) && !has(screenShows) && !p.lookedAtTime() && !p.trainedWatching() || p.watchedAmount() || p.phrase("i watch", "we watch", "to watch", "gonna watch", "watch the", "watch a",
		"at the pub", "en el bar", "the derby", "el derbi", "on telly", "en la tele")
	s.intent = s.intent || p.intentWord() || p.phrase("going to", "a ver si", "si me da", "si puedo", "que viene", "mas tarde", "later today", "in a bit", "on my way", "de camino", "en camino", "voy llegando", "me voy", "heading to", "heading out", "in the afternoon")
	s.meet = meetRE.MatchString(text)
	s.money = moneyRE.MatchString(text)
	if has(scheduleVerbs) && !s.firstPerson && !p.opensWithSport() { // not "sunrise run along the beach"
		s.fact = true // "the spin class is 45 min, starts 6:30"
	}
	if s.meet && has([]string{"is", "are", "it's", "its", "es", "son"}) && !s.firstPerson && !has(pastWords) &&
		!has([]string{"was", "were", "fue", "estuvo"}) { // "spin at 6 was brutal, 45 min, the instructor is evil" happened
		s.fact = true // "el spinning de mañana es a las 7, 45 min"
	}
	if p.phrase("tried to", "try to", "trying to", "intente", "intentamos") &&
		p.phrase("but", "pero", "gave up", "fell asleep", "failed", "couldn't", "couldnt", "no pude", "me aburri", "me dormi", "instead") {
		s.intent = true // "tried to do a 20 min yoga video, fell asleep": not done ("tried to beat my pb, 10k in 49" was)
	}
	if p.phrase("was meant to", "was supposed to", "were meant to", "were supposed to", "tenia que", "teniamos que", "se suponia que", "iba a", "ibamos a") {
		s.intent = true // "was meant to run 10k today but my knee said no": not done
	}
	if p.phrase("need to", "needs to", "have to", "has to", "gotta", "got to do", "must do", "tengo que", "tenemos que", "hay que",
		"necesito", "necesitamos", "debo", "debemos", "me falta", "me faltan", "imagine", "imagina", "imaginate", "imaginaos",
		"imagin", "picture", "what if", "y si") {
		s.intent = true // an obligation or a hypothetical, not a report: "need to do 2h of cardio", "imagínate correr 50 km"
	}
	if p.phrase("wish me luck", "fingers crossed", "deseadme suerte", "deseame suerte", "dedos cruzados", "wish me", "a por ello") {
		s.intent = true
	}
	s.laugh = strings.ContainsAny(text, "😂🤣😆😜") || slices.ContainsFunc(ws, func(w string) bool {
		return slices.Contains([]string{"lol", "lmao", "haha", "hahaha", "jaja", "jajaja", "jajajaja", "jeje", "xd", "rofl"}, w)
	})
	if p.phrase("every morning", "every day", "every night", "every evening", "every week", "every weekend", "everyday", "daily",
		"each morning", "cada manana", "cada dia", "todos los dias", "todas las mananas", "a diario") && !s.done && !p.phrase("today", "hoy", "this morning", "esta manana") &&
		!slices.ContainsFunc(ws, isWeekday) { // "lunes y martes 1h de pilates cada día" were two sessions
		s.fact = true // "aunty walks 10 km every morning": a habit, not a session
	}
	s.future = futureMonthRE.MatchString(text)
	if p.phrase("this year", "este ano", "ytd", "year to date", "so far this year", "all year", "en lo que va de ano", "lifetime", "all time", "all-time") &&
		!p.phrase("today", "hoy", "yesterday", "ayer", "this morning", "esta manana", "tonight", "anoche", "first", "primera", "primer") {
		s.tally = true // "strava says I've ridden 3,214 km this year": a year's tally
	}
	for i, w := range ws {
		if (w == "this" || w == "esta" || w == "este" || w == "so" || w == "en") && i+1 < len(ws) && slices.Contains(periodWords, ws[i+1]) &&
			(has([]string{"total", "totales", "overall", "en total", "in total"}) || p.sessionCount()) && !has([]string{"today", "hoy", "yesterday", "ayer"}) {
			s.tally = true // "3 runs this week, 25 km total": a tally, not one workout
		}
	}
	s.hypothetical = (has([]string{"if", "si"}) && has([]string{"could", "would", "might", "i'd", "podria", "haria", "hariamos", "podriamos", "tuviera", "pudiera", "fuera"})) ||
		p.phrase("if i had to", "si tuviera que", "si pudiera")
	if p.phrase("pb is", "pr is", "record is", "best is", "best time is", "pb was", "pr was", "mi marca", "mi record", "mi mejor marca", "mejor tiempo", "personal best", "my best") &&
		!p.phrase("not my best", "no fue mi mejor", "no es mi mejor", "not the best") &&
		!p.phrase("today", "hoy", "just", "acabo", "new pb", "new pr", "nuevo record", "nueva marca") {
		s.fact = true // "my marathon pb is 3:45": a record, not today's workout
	}
	s.wish = p.phrase("hope everyone", "hope everybody", "hope you", "hope u", "hope y'all", "hope all", "espero que", "ojala que", "que tengais", "que tengas")
	s.kidding = p.phrase("oh i definitely", "oh i totally", "oh yeah i definitely", "oh yeah i totally", "oh sure i", "yeah i totally",
		"absolutely totally", "sure i did", "claro que si que", "jk", "jking", "just kidding", "kidding", "es broma", "era broma", "de broma", "no es verdad", "es coña", "de cona", "es cona")
	for k := range p.toks {
		if _, ok := p.num(k); ok && (slices.Contains(scoreNouns, p.word(k+1)) || k+1 < len(p.toks) && slices.Contains(scoreNouns, p.toks[k+1].text)) {
			s.score = true
		}
	}
	s.signup = p.phrase("signed up", "signing up", "sign up", "signup", "registered for", "entered", "me he apuntado a", "me apunte a",
		"me he inscrito", "me inscribi", "inscrita", "inscrito", "apuntada a", "apuntado a", "me apunto a")
	if p.phrase("remember when", "remember that", "remember the", "os acordais", "te acuerdas", "te acordas", "se acuerdan", "recordais", "recuerdas cuando", "os acordais de") {
		s.otherTime = true // "remember when we did that 3h hike", "¿se acuerdan de cuando...?": a memory
	}
	if p.phrase("would kill me", "would destroy me", "would be the death", "idea of hell", "my personal hell", "is my hell", "is my nightmare",
		"my worst nightmare", "is hell on earth", "is torture", "is my kryptonite", "mi infierno", "mi pesadilla", "es una tortura", "idea del infierno", "me matarian",
		"me mataria", "me moriria", "me morirıa", "acabaria conmigo") {
		s.hypothetical = true // "20 min of burpees is my idea of hell", "20 minutos de plancha me matarían"
	}
	if p.phrase("been a year since", "been years since", "been ages since", "been a month since", "been a while since", "hace un ano que",
		"hace anos que", "first time i", "the first time", "primera vez que", "last year", "el ano pasado", "years ago", "hace anos", "when i was",
		"cuando era", "back in the day", "de joven", "de pequeno", "de pequena", "used to", "solia") && !p.phrase("today", "hoy", "just", "acabo") &&
		!p.phrase("for the first time", "por primera vez") { // "ran 5k without stopping for the first time, 34 min" is today's
		s.otherTime = true // a memory, not today's workout: "first time I ran 5k I nearly died"
	}
	for k := range p.toks {
		if y, ok := p.intNum(k); ok && y >= 1970 && y < p.ref.Year && !p.unitAfterNumber(k+1) && !p.sinceYear(k) {
			s.history = true // "en 2019 corrí una maratón en 3h30"
		}
	}
	if p.phrase("weather permitting", "if the weather", "si el tiempo", "si no llueve", "if it doesn't rain", "if it stops raining") {
		s.intent = true
	}
	ws2 := p.words()
	for i, w := range ws2 {
		if (w == "duro" || w == "lasted" || w == "took") && i+1 < len(ws2) && p.phrase(w+" "+ws2[i+1]) {
			// "duró 1h40", "lasted 2h" about a thing (not "took me")
			if k := p.indexOfWord(w); k >= 0 {
				if m, _, ok := p.durationAt(k + 1); ok && m > 0 {
					s.fact = s.fact || !s.firstPerson
				}
			}
		}
	}
	for _, c := range p.clauseBounds() {
		cw := p.wordsIn(c[0], c[1])
		if slices.ContainsFunc(cw, func(w string) bool { return slices.Contains(cancelWords, w) }) {
			s.cancelled = true // "my 5k got cancelled"
		}
	}
	s.link = linkRE.MatchString(text)
	for k := range p.toks {
		s.negated = s.negated || p.negAt(k)
	}
	for _, c := range p.clauseBounds() {
		cw := p.wordsIn(c[0], c[1])
		amount := false
		for k := c[0]; k < c[1]; k++ {
			if m, _, ok := p.durationAt(k); ok && m > 0 {
				amount = true
			}
			if km, _, ok := p.distanceAt(k); ok && km > 0 {
				amount = true
			}
		}
		if !amount {
			continue
		}
		inClause := func(set []string) bool {
			return slices.ContainsFunc(cw, func(w string) bool { return slices.Contains(set, w) })
		}
		actInClause := false
		for k := c[0]; k < c[1]; k++ {
			if _, _, ok := p.ix.match(p.toks, k); ok {
				actInClause = true
			}
		}
		// the sender may be elsewhere in the message when the clause with
		// the amount is about a thing and names no sport: "that film was
		// 3 hours, I need a stretch"
		aboutThing := !actInClause && !inClause(firstPersonWords) && !inClause(sessionTerms) && !inClause([]string{"me", "my", "mi", "it", "it's", "its"})
		if inClause(copulaWords) && (!s.firstPerson || aboutThing) && !s.done && !(actInClause && inClause([]string{"hoy", "ayer", "today", "yesterday", "my", "mi", "tonight", "anoche"})) &&
			inClause([]string{"the", "el", "la", "los", "las", "this", "that", "este", "esta", "ese", "esa", "class", "classes", "clase", "clases", "sessions", "sesiones"}) {
			s.fact = true // "the park loop is 3.2 km" (but not "la pierna de hoy fue 1h")
		}
		if inClause(factVerbs) && !s.firstPerson {
			s.fact = true // "dura 45 min"
		}
		if w := p.word(c[1] - 1); (w == "long" || w == "largo" || w == "larga") && !s.firstPerson {
			s.fact = true // "45 min long"
		}
		for k := c[0]; k < c[1]; k++ {
			w := p.word(k)
			if _, next, ok := p.ix.match(p.toks, k); ok && next > k+1 {
				k = next - 1
				continue // "tren superior 1h10" is a workout, not a train
			}
			before := false // "before the meeting", "antes de la reunión": when, not what
			for j := k - 3; j < k; j++ {
				before = before || slices.Contains([]string{"before", "after", "antes", "despues", "tras", "while", "mientras", "during", "durante", "between", "entre"}, p.word(j))
			}
			_, num := p.num(k + 1)
			_, _, actBefore := p.ix.match(p.toks, max(0, k-1))
			actBefore = actBefore && k > 0 && (w == "commute" || w == "commuting") // "bike commute 40 min": the ride is the commute
			switch {
			case w == "left" && !p.amountJustBefore(k):
				// "two left feet": a time left sits right after its amount ("10 min left")
			case slices.Contains(otherDurations, w) && !before && !actBefore && !slices.Contains([]string{"cada", "each", "per", "por"}, p.word(k-1)) && !(w == "late" && slices.Contains([]string{"post", "log", "entry", "update", "upload"}, p.word(k+1))),
				sleeping(w) && !before,
				w == "hace" && num,
				w == "tarde" && slices.Contains([]string{"llego", "voy", "vamos", "llegamos", "llegare", "llegue", "llegaremos"}, p.word(k-1)),
				w == "tarde" && slices.Contains(minUnits, p.word(k-1)) && slices.Contains([]string{"llego", "voy", "vamos", "llegamos", "llegare", "llegue", "llegaremos", "llegaste", "llega"}, p.word(k-3)),
				w == "ago" && k > c[0] && p.amountCount() < 2, // but "back from the pool an hour ago, did 1k in 30 minutes"
				w == "down" && p.word(k+1) == "for" && !slices.Contains([]string{"cool", "warm", "wind", "calm", "lie", "lay"}, p.word(k-1)): // "strava's down for 2 hours"
				s.otherTime = true // "running late, 10 min", "waited 15 min"
			}
		}
	}
	if len(ws) > 0 && (ws[0] == "later" || ws[0] == "luego" || ws[0] == "despues") {
		s.intent = true // "luego hago 30 min de cardio"
	}
	p.context(text, &s)
	if (p.stepCount(text) || p.rateOnly()) && !s.done {
		s.fact = true // "14,200 steps today just walking the dog", "working 12 hours a day"
	}
	if p.phrase(calledWorkout...) || p.ranForTransport() {
		s.kidding = true // "central line delayed 25 min, this is my cardio now", "ran for the bus, 200m"
	}
	if p.programming() && !s.done {
		s.fact = true // "📣 FRIDAY WOD: 5 rounds... 25 min cap. Classes 6:30, 9:30": the coach's programme
	}
	if race && !s.thirdParty && !s.watching {
		s.fact = false // "media maratón del domingo, 1:48:33, mi mejor marca": the race's result, not its date
	}
	return s
}

// intentWord reports a word of intent, but not "igual" in "da igual"
// (it does not matter) or "igual que" (the same as).
func (p *parser) intentWord() bool {
	ws := p.words()
	for i, w := range ws {
		if !slices.Contains(intentWords, w) {
			continue
		}
		if (w == "goal" || w == "goals") && (i > 0 && slices.Contains([]string{"own", "a", "an", "scored", "winning", "first", "great", "2", "two", "3", "three"}, ws[i-1]) ||
			p.phrase("scored", "scoring", "score")) {
			continue // "scored an own goal": a goal in a game, not a target
		}
		if slices.Contains(trailingModals, w) && p.trailingRemark(w) {
			continue // "pilates 50 min, who knew breathing could hurt": a remark after the report
		}
		if w == "igual" && (i > 0 && ws[i-1] == "da" || i+1 < len(ws) && (ws[i+1] == "que" || ws[i+1] == "de")) ||
			w == "gonna" && i+1 < len(ws) && ws[i+1] == "lie" ||
			w == "salgo" && i+1 < len(ws) && slices.Contains(afterWords, ws[i+1]) || // "salgo muerta": how the sender came out

			w == "i'd" && i+1 < len(ws) && slices.Contains([]string{"say", "said", "never", "have"}, ws[i+1]) {
			continue // "me da igual", "not gonna lie"
		}
		return true
	}
	return false
}

// sessionTerms name a session without naming its sport: a clause about
// one is about the sender's workout ("the session was 50 min").
var sessionTerms = []string{"session", "sesion", "workout", "training", "entreno", "entrenamiento", "class", "clase", "wod", "race",
	"carrera", "route", "ruta", "loop", "circuit", "circuito", "set", "round", "warmup", "warm-up", "cooldown", "intervals", "time",
	"split", "splits", "pace", "ritmo", "tiempo", "lap", "laps", "lengths", "rep", "reps", "total", "it"}

// sessionWords count sessions: "3 runs", "4 entrenos".
var sessionWords = []string{"runs", "rides", "swims", "sessions", "workouts", "classes", "walks", "hikes", "days", "times",
	"sesiones", "entrenos", "entrenamientos", "carreras", "salidas", "clases", "dias", "veces", "rodajes"}

// sessionCount reports a number of sessions: "3 runs", "cuatro entrenos".
func (p *parser) sessionCount() bool {
	for k := range p.toks {
		if v, ok := p.num(k); ok && v >= 2 && slices.Contains(sessionWords, p.word(k+1)) {
			return true
		}
	}
	return false
}

// vocatives call someone at the start of a message: with a laugh or a
// second-person verb and no first person, the message reacts to them
// ("tía 1h15 de pierna, mañana no bajas las escaleras 😂").
var vocatives = []string{"tia", "tio", "bro", "bruh", "dude", "mate", "girl", "chica", "chico", "wey", "guey", "guey", "hermano",
	"hermana", "amigo", "amiga", "colega", "macho", "man", "sis", "tronco", "maje", "parce", "pana", "boludo", "boluda"}

// headWords lists the words of the clauses up to the first that holds an
// activity with an amount (all words when none does): who did the workout
// is said there, not in a closing remark ("ayer tenis 2 horas con Pedro,
// ganó él"). The activity and the amount may be in two clauses.
func (p *parser) headWords() []string {
	act, amount := false, false
	for _, b := range p.clauseBounds() {
		for k := b[0]; k < b[1]; k++ {
			if _, _, ok := p.ix.match(p.toks, k); ok {
				act = true
			}
		}
		amount = amount || p.amountIn(b[0], b[1])
		if act && amount {
			return p.wordsIn(0, b[1]) // "pilates w/ mum, 50 min, she was better than me"
		}
	}
	return p.words()
}

// isKin reports that ws[i] names someone close, also with "'s" for "is"
// or "has" ("my partner's been at the wall for 3 hours"), but not for a
// possessive ("my partner's birthday so only 30 min of yoga").
func isKin(ws []string, i int) bool {
	w := ws[i]
	if slices.Contains(kinWords, w) {
		return true
	}
	name, ok := strings.CutSuffix(w, "'s")
	return ok && slices.Contains(kinWords, name) && i+1 < len(ws) && slices.Contains(contractedAfter, ws[i+1])
}

// contractedAfter follow a contracted "'s" ("is", "has"), not a possessive.
var contractedAfter = []string{"been", "just", "done", "doing", "gone", "out", "at", "off", "in", "on", "running", "swimming",
	"training", "going", "got", "had", "after", "finished", "started", "now", "back", "still", "currently", "also", "already", "smashing", "killing", "crushing"}

// agoNumber reports "hace" before a number: "hace 10 min" is ten minutes
// ago, not someone doing.
func (p *parser) agoNumber() bool {
	for k := range p.toks {
		if p.word(k) == "hace" && p.isNum(k+1) {
			return true
		}
	}
	return false
}

// fitIns say the sender found time for a session, with the "I" dropped:
// "snuck in a 45 min ride", "squeezed in 20 min of yoga".
var fitIns = []string{"snuck in", "sneaked in", "squeezed in", "fitted in", "crammed in", "managed to", "managed a"}

// reportAfterQuestion reports a question followed by the sender's own
// report of it: "is 20 mins on the cross trainer any good? did it at the
// leisure centre", "how do I put my walk on here? it was about an hour
// yesterday". The question asks about the sender's workout.
func (p *parser) reportAfterQuestion() bool {
	q := -1
	for k := range p.toks {
		if p.punct(k, "?") {
			q = k
			break
		}
	}
	if q < 0 || q+1 >= len(p.toks) {
		return false
	}
	for k := q + 1; k < len(p.toks); k++ {
		if p.punct(k, "?") {
			return false // another question
		}
	}
	rest := p.wordsIn(q+1, len(p.toks))
	if len(rest) == 0 {
		return false
	}
	joined := " " + strings.Join(rest, " ") + " "
	for _, s := range []string{" did it ", " did that ", " did this ", " it was about ", " it was ", " i did ", " i went ", " went for ",
		" lo hice ", " fue ", " hice "} {
		if strings.HasPrefix(joined, s) || s == " i did " && strings.Contains(joined, s) {
			return true
		}
	}
	return false
}

// ownOpeners begin the sender's own report right after a vocative: "tía
// he nadado 2 km", "tío acabo de hacer 1h", "bro i ran 10k".
var ownOpeners = []string{"he", "acabo", "hice", "me", "hoy", "ayer", "i", "just", "hemos", "fui", "corri", "nade"}

// withMe reports "me and" before position i: "me n my daughter did the
// parkrun" is the sender's run too.
func withMe(ws []string, i int) bool {
	return i >= 2 && slices.Contains([]string{"and", "n", "y", "&", "e"}, ws[i-1]) && (ws[i-2] == "me" || ws[i-2] == "yo" || ws[i-2] == "i")
}
