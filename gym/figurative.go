package gym

import (
	"slices"
	"strings"
)

// Figurative speech names an activity and an amount without a workout in
// it: a metaphor ("that meeting was a marathon, 3 hours"), an idiom whose
// verb is a sport's ("swimming in paperwork for 4 hours", "running on 4
// hours sleep"), an amount spent on something that is not a sport ("did 3
// hours of tax returns, my brain needs a stretch"), a chore called a
// workout ("mowed the lawn for an hour, basically leg day"), a device
// that is not believed ("my watch thinks I cycled 20 km"). Words are
// folded.

// figWord is a word of the message with what the rules know of it.
type figWord struct {
	w   string
	act bool // part of an activity's name
}

// figWords lists the message's words, marking those that name an
// activity.
func (p *parser) figWords() []figWord {
	var out []figWord
	for k := 0; k < len(p.toks); k++ {
		if p.toks[k].kind != tWord {
			continue
		}
		if _, next, ok := p.ix.match(p.toks, k); ok {
			for j := k; j < next; j++ {
				if p.toks[j].kind == tWord {
					out = append(out, figWord{w: p.toks[j].text, act: true})
				}
			}
			k = next - 1
			continue
		}
		out = append(out, figWord{w: p.toks[k].text})
	}
	return out
}

// figurative reports a message whose activity words are a figure of
// speech, not a workout (see the kinds above).
func (p *parser) figurative() bool {
	ws := p.figWords()
	acts, covered := 0, 0
	for i, x := range ws {
		if !x.act || i > 0 && ws[i-1].act {
			continue // one activity, however many words name it
		}
		acts++
		if p.likenedAt(ws, i) || p.idiomAt(ws, i) {
			covered++
		}
	}
	return acts > 0 && covered == acts || p.idiomPhrase() || p.retracted() || p.amountOfOther() || p.choreAsWorkout(ws) || p.disbelief(ws) || p.thingTrains(ws) ||
		p.generalFact(ws) || p.sportDefined(ws)
}

// thingDoers are things that train only in a figure: "my brain did a full
// HIIT session in that exam", "my wallet ran a marathon this weekend".
var thingDoers = []string{"dog", "dogs", "puppy", "pup", "cat", "perro", "perra", "gato", "brain", "head", "mind", "wallet", "bank", "account", "liver", "patience", "phone", "car", "laptop", "code",
	"thumbs", "jaw", "face", "eyes", "nerves", "sanity", "inbox", "cerebro", "cabeza", "mente", "cartera", "paciencia", "movil", "coche",
	"higado", "nervios", "pulgares", "portatil", "cuenta", "bolsillo"}

// thingTrains reports one of thingDoers, after "my"/"mi", as the doer of
// the message's verb: the sender did not train.
func (p *parser) thingTrains(ws []figWord) bool {
	for i := 0; i+2 < len(ws); i++ {
		if (ws[i].w == "my" || ws[i].w == "mi" || ws[i].w == "el" || ws[i].w == "la" || ws[i].w == "the") && slices.Contains(thingDoers, ws[i+1].w) && !ws[i+2].act &&
			(slices.Contains(pastWords, ws[i+2].w) || slices.Contains(doingVerbs, ws[i+2].w) || slices.Contains([]string{"has", "ha", "is", "esta", "se"}, ws[i+2].w)) {
			return true
		}
	}
	return false
}

// sportDefined reports a sport described in the present as a whole: "yoga
// is basically 60 min of stretching and crying", "spin is 45 min of pain".
func (p *parser) sportDefined(ws []figWord) bool {
	i := 0
	if len(ws) > 0 && (ws[0].w == "the" || ws[0].w == "el" || ws[0].w == "la") {
		i++
	}
	for i < len(ws) && ws[i].act {
		i++
	}
	if i == 0 || i >= len(ws)-1 || !ws[i-1].act {
		return false
	}
	return (ws[i].w == "is" || ws[i].w == "es") && slices.Contains([]string{"basically", "just", "literally", "like", "basicamente", "literalmente", "solo", "only"}, ws[i+1].w)
}

// generalFact reports a claim about anyone's body ("apparently laughing
// for 10 min burns 40 calories"): a present-tense "burns", "quema".
func (p *parser) generalFact(ws []figWord) bool {
	return slices.ContainsFunc(ws, func(x figWord) bool {
		return slices.Contains([]string{"burns", "quema", "queman", "burn"}, x.w)
	}) && !p.phrase("i burn", "we burn", "burn i", "quemo", "quemé", "queme") && !slices.ContainsFunc(ws, func(x figWord) bool {
		return slices.Contains([]string{"burned", "burnt", "quemadas", "quemado", "quemamos"}, x.w)
	}) && p.phrase("apparently", "they say", "supposedly", "dicen que", "al parecer", "por lo visto", "burns more", "burns like", "quema mas")
}

// Words around a metaphor's activity, folded.
var (
	// metaphorCopulas link a thing to the sport it is likened to.
	metaphorCopulas = []string{"was", "is", "were", "are", "been", "felt", "feels", "feel", "became", "turned",
		"fue", "es", "era", "son", "fueron", "ha", "parecia", "parecio", "parece", "sido"}
	// metaphorFill may sit between the copula and the sport: articles,
	// intensifiers, "like".
	metaphorFill = []string{"a", "an", "the", "proper", "real", "total", "absolute", "full", "full-on", "right", "complete",
		"whole", "like", "such", "on", "out", "blown", "fully", "literally", "basically", "mini", "bit", "of", "un", "una", "el", "la", "autentico", "autentica",
		"verdadero", "verdadera", "puro", "pura", "todo", "toda", "como", "literalmente", "mismisimo", "sido", "become", "into"}
	// metaphorSubjects are never the thing likened: the sender's own
	// session or day ("it was a proper hike, 4 hours", "today was a 10k").
	metaphorSubjects = []string{"it", "that", "this", "i", "we", "today", "tonight", "morning", "session", "sesion", "workout",
		"training", "entreno", "entrenamiento", "class", "clase", "wod", "race", "carrera", "route", "ruta", "loop", "hoy",
		"eso", "esto", "course", "circuit", "circuito", "event", "prueba", "it's", "its", "that's", "thats", "mine"}
)

// likenedAt reports the activity at ws[i] as the sport a thing is likened
// to: a noun that names no activity, a copula, and the sport ("that
// meeting was a marathon", "the commute was a proper hike", "esa reunión
// fue un maratón", "moving house felt like a crossfit session").
func (p *parser) likenedAt(ws []figWord, i int) bool {
	j := i - 1
	for j >= 0 && !ws[j].act && slices.Contains(metaphorFill, ws[j].w) {
		j--
	}
	if j < 1 || ws[j].act || !slices.Contains(metaphorCopulas, ws[j].w) {
		return false
	}
	subj := ws[j-1]
	for s := j - 1; s >= 2 && slices.Contains([]string{"hoy", "ayer", "today", "yesterday", "morning", "manana", "tarde", "noche"}, ws[s].w) &&
		slices.Contains([]string{"de", "of", "del", "this", "esta"}, ws[s-1].w); s -= 2 {
		subj = ws[s-2] // "la reunión de hoy ha sido un maratón": the meeting is likened, not today
	}
	return (!subj.act || p.idiomAt(ws, j-1)) && !slices.Contains(metaphorSubjects, subj.w) && !slices.Contains(firstPersonWords, subj.w) &&
		!slices.Contains(metaphorCopulas, subj.w) && !strings.HasSuffix(subj.w, "'s")
}

// Idioms whose verb is a sport's, as the sport's word and what follows it.
var (
	// idiomAfter: the sport word, then a word that makes it an idiom
	// ("running late", "climbing the walls", "rowed about the dishes").
	idiomAfter = map[string][]string{
		"running":  {"late", "behind", "low", "out", "on", "around", "round", "errands", "the", "a", "my", "things", "it"},
		"run":      {"late", "behind", "low", "out", "errands", "the", "a", "it", "by", "into"},
		"ran":      {"late", "behind", "low", "out", "errands", "the", "a", "it", "by", "into"},
		"runs":     {"late", "behind", "low", "out", "in", "the", "a", "on", "fine", "faster", "slower"},
		"climbing": {"the", "up"},
		"climb":    {"the"},
		"boxing":   {"up", "day"},
		"boxed":    {"up"},
		"cycling":  {"through"},
		"cycled":   {"through"},
		"walked":   {"into", "out", "all", "through"},
		"walk":     {"through", "me"},
		"jumped":   {"at", "ship", "the"},
		"spin":     {"on", "the"},
		"stretch":  {"of", "goal"},
	}
	// abstractObjects are what one swims or drowns in without water:
	// "swimming in paperwork", "nadando en papeles".
	abstractObjects = []string{"paperwork", "emails", "email", "work", "debt", "admin", "laundry", "washing", "bills", "homework",
		"marking", "tasks", "papers", "invoices", "deadlines", "meetings", "spreadsheets", "messages", "notifications", "tax", "forms",
		"papeles", "papeleo", "trabajo", "deudas", "correos", "mails", "facturas", "deberes", "ropa", "tareas", "reuniones", "examenes", "mensajes"}
	// runningObjects follow "running on": fuel or sleep, not a surface
	// ("running on 4 hours sleep", "running on fumes").
	runningObjects = []string{"fumes", "empty", "coffee", "caffeine", "sleep", "adrenaline", "hope", "vibes", "spite", "toast", "kip",
		"nothing", "sugar", "redbull", "energy", "biscuits", "nerves", "zero"}
	// swimWords are the verbs one swims or drowns in.
	swimWords = []string{"swimming", "swim", "swam", "drowning", "drowned", "nadando", "ahogado", "ahogada", "ahogandome", "nadar"}
	// binges take "marathon" for a long sitting: "netflix marathon".
	binges = []string{"netflix", "movie", "film", "films", "movies", "tv", "series", "gaming", "baking", "cleaning", "study",
		"revision", "meeting", "meetings", "coding", "harry", "potter", "lotr", "rings", "peliculas", "pelis", "series", "netflix"}
)

// idiomAt reports the activity word at ws[i] in an idiom: "I'm running 15
// min late", "running on 4 hours sleep", "swimming in paperwork for 4
// hours", "climbing the walls", "rowed for 2 hours about the dishes"
// (argued), "boxing up the flat", "a netflix marathon", "the kids ran me
// ragged", "the school run".
func (p *parser) idiomAt(ws []figWord, i int) bool {
	x := ws[i]
	next := ""
	if i+1 < len(ws) {
		next = ws[i+1].w
	}
	if slices.Contains(swimWords, x.w) {
		for j := i + 1; j < min(len(ws), i+5); j++ {
			if ws[j].w != "in" && ws[j].w != "en" && ws[j].w != "under" {
				continue
			}
			k := j + 1
			for k < len(ws) && slices.Contains([]string{"the", "my", "all", "this", "so", "much", "la", "el", "los", "las", "mis", "tanto", "tantos", "tantas"}, ws[k].w) {
				k++
			}
			if k < len(ws) && slices.Contains(abstractObjects, ws[k].w) {
				return true // "swimming in paperwork", "nadando en papeles" (not "a swim in before work")
			}
		}
	}
	if (x.w == "running" || x.w == "run" || x.w == "ran") && next == "on" {
		for k := i + 2; k < min(len(ws), i+6); k++ {
			if slices.Contains(runningObjects, ws[k].w) {
				return true // "running on 4 hours sleep"
			}
		}
	}
	if (x.w == "ran" || x.w == "run" || x.w == "running") && next == "me" && i+2 < len(ws) &&
		slices.Contains([]string{"ragged", "around", "round", "into", "off"}, ws[i+2].w) {
		return true // "the kids ran me ragged"
	}
	if x.w == "marathon" && i > 0 && slices.Contains(binges, ws[i-1].w) || (x.w == "maraton") && i+2 < len(ws) && ws[i+1].w == "de" && slices.Contains(binges, ws[i+2].w) {
		return true // "a netflix marathon", "maratón de pelis"
	}
	if slices.Contains([]string{"corriendo", "corro", "corri", "corre"}, x.w) && i+2 < len(ws) &&
		(next == "de" && slices.Contains([]string{"un", "aqui", "aca", "arriba"}, ws[i+2].w) || next == "detras" || next == "como" && ws[i+2].w == "pollo") {
		return true // "corriendo de un lado a otro", "corriendo detrás del bus", "como pollo sin cabeza"
	}
	if (x.w == "run" || x.w == "runs") && i > 0 && slices.Contains(errandRuns, ws[i-1].w) {
		return true // "the school run", "a coffee run": an errand
	}
	if slices.Contains([]string{"rowed", "rowing", "row"}, x.w) {
		for k := i + 1; k < min(len(ws), i+6); k++ {
			if (ws[k].w == "about" || ws[k].w == "over") && k+1 < len(ws) && !p.isNumWord(ws[k+1].w) {
				return true // "we rowed for 2 hours about the dishes": argued ("rowed about 5k" is a distance)
			}
		}
	}
	after, ok := idiomAfter[x.w]
	if !ok || !slices.Contains(after, next) {
		return false
	}
	switch x.w {
	case "running", "run", "ran", "runs":
		if p.runningIdiom(ws, i) {
			return true
		}
	case "climbing", "climb":
		if i+2 < len(ws) && slices.Contains([]string{"walls", "wall", "ladder", "curtains"}, ws[i+2].w) && next == "the" &&
			!p.phrase("at the wall", "climbing wall", "bouldering wall") {
			return true // "climbing the walls waiting for the plumber"
		}
	case "spin":
		if next == "on" || i+2 < len(ws) && slices.Contains([]string{"wheel", "bottle"}, ws[i+2].w) {
			return true // "put a spin on it", "spin the wheel"
		}
	case "stretch":
		if next == "of" && i > 0 && slices.Contains([]string{"a", "bit", "long", "that", "this"}, ws[i-1].w) && i+2 < len(ws) &&
			slices.Contains([]string{"the", "road", "imagination", "motorway", "river", "time"}, ws[i+2].w) || next == "goal" {
			return true // "a long stretch of the motorway", "stretch goal"
		}
	case "walked", "walk":
		if next == "me" && i+2 < len(ws) && ws[i+2].w == "through" || next == "into" && i+2 < len(ws) &&
			slices.Contains([]string{"a", "the", "my"}, ws[i+2].w) && !p.phrase("walked into town", "walked into the city", "walked into work") ||
			next == "all" || next == "out" && i+2 < len(ws) && slices.Contains([]string{"of", "on"}, ws[i+2].w) && !p.phrase("out of the house", "out of town") {
			return true // "walked into a door", "walked out of the meeting"
		}
	case "jumped":
		if next == "at" || next == "ship" || p.phrase("jumped the queue", "jumped the gun") {
			return true
		}
	default:
		return true // "rowed about the dishes", "boxing up the flat", "cycling through playlists"
	}
	return false
}

// idiomPhrase reports an idiom that stands for the whole message: "a walk
// in the park", "hit the ground running", "chasing the bus".
func (p *parser) idiomPhrase() bool {
	return p.chasing() || p.phrase("walk in the park", "paseo por el parque comparado", "marathon not a sprint", "maraton no un sprint",
		"maraton y no un sprint", "hit the ground running", "run the numbers", "ran the numbers", "running the numbers",
		"run of the mill", "in the long run", "a largo plazo", "de carrerilla", "a la carrera")
}

// errandRuns make "run" an errand or a trial: "the school run", "a
// coffee run", "a dry run".
var errandRuns = []string{"school", "coffee", "beer", "supply", "tip", "dry", "trial", "milk", "shop", "shopping", "chicken",
	"home", "test", "print", "production", "bombing", "booze", "food", "pizza", "airport", "nursery", "taxi", "dump", "grocery"}

// chasing reports someone chasing a bus, a child or a deadline: "my legs
// got a workout chasing the bus".
func (p *parser) chasing() bool {
	ws := p.words()
	for i, w := range ws {
		if (w == "chasing" || w == "chased" || w == "chase") && i+1 < len(ws) {
			rest := ws[i+1 : min(len(ws), i+4)]
			if rest[0] == "after" || slices.ContainsFunc(rest, func(x string) bool {
				return slices.Contains([]string{"bus", "train", "tram", "kids", "toddler", "toddlers", "kid", "twins", "dog", "cat",
					"deadlines", "deadline", "ball", "baby", "chickens", "flight", "ferry"}, x)
			}) && slices.Contains([]string{"the", "a", "my", "after", "our", "his", "her", "deadlines"}, rest[0]) {
				return true
			}
		}
	}
	return false
}

// runningIdiom reports "run" in an idiom at ws[i]: late or behind ("I'm
// running 15 min late"), out or low ("ran out of milk"), errands, a thing
// run ("my code runs in 30 min", "running the meeting").
func (p *parser) runningIdiom(ws []figWord, i int) bool {
	next := ws[i+1].w
	rest := make([]string, 0, 6)
	for k := i + 1; k < min(len(ws), i+7); k++ {
		rest = append(rest, ws[k].w)
	}
	switch next {
	case "late", "behind", "low", "errands":
		return true
	case "out":
		return len(rest) > 1 && rest[1] == "of" // "ran out of milk" (not "ran out the door for 5k")
	case "around", "round":
		return slices.ContainsFunc(rest, func(w string) bool {
			return slices.Contains([]string{"after", "kids", "house", "town", "errands", "shops", "like", "headless", "office", "airport", "site"}, w)
		})
	case "by", "into":
		return next == "by" || !slices.ContainsFunc(rest, func(w string) bool { return slices.Contains([]string{"town", "work", "the", "park"}, w) }) &&
			slices.ContainsFunc(rest, func(w string) bool {
				return slices.Contains([]string{"problem", "problems", "issue", "issues", "trouble", "someone", "friend"}, w)
			})
	case "the", "a", "my", "things", "it":
		// a thing run: "running the meeting", "run a bath", "run it by"
		return len(rest) > 1 && slices.Contains([]string{"meeting", "bath", "show", "numbers", "business", "shop", "company", "team",
			"risk", "errand", "errands", "tap", "dishwasher", "washing", "machine", "report", "script", "tests", "test", "code", "payroll",
			"by", "past", "over"}, rest[1])
	}
	// "runs": a thing that runs ("my code runs in 30 min", "the bus runs late")
	return ws[i].w == "runs" && i > 0 && !slices.Contains([]string{"he", "she", "who", "ana", "everyone", "nobody"}, ws[i-1].w) &&
		slices.Contains([]string{"code", "script", "bus", "train", "tests", "test", "build", "job", "pipeline", "dishwasher", "machine", "wash",
			"service", "tram", "ferry", "app", "program", "programme", "query", "battery", "movie", "film", "show", "play", "meeting"}, ws[i-1].w)
}

// trainingNouns are what a workout's amount may be "of" besides a sport:
// "30 mins of lengths", "20 min of intervals", "an hour of pure pain".
var trainingNouns = []string{"lengths", "laps", "intervals", "sprints", "drills", "hills", "repeats", "reps", "sets", "rounds",
	"circuits", "circuit", "stretches", "stretching", "warm", "warmup", "warm-up", "cooldown", "cool", "technique", "work", "pain", "suffering",
	"hell", "torture", "agony", "fun", "sweat", "sweating", "misery", "pure", "solid", "hard", "intense", "non-stop", "nonstop", "straight",
	"continuous", "easy", "steady", "zone", "tempo", "fartlek", "mobility", "core", "conditioning", "plyo", "plyos", "skipping", "skip",
	"jump", "jumping", "squats", "lunges", "burpees", "planks", "pushups", "push-ups", "pullups", "pull-ups", "deadlifts", "kettlebell",
	"kettlebells", "weights", "lifting", "cardio", "it", "that", "this", "them", "each", "which", "my", "the", "a", "an",
	"largos", "vueltas", "series", "cuestas", "calentamiento", "estiramientos", "tecnica", "abdominales", "sentadillas", "flexiones",
	"pesas", "sufrimiento", "infierno", "tortura", "puro", "pura", "trabajo", "eso", "esto", "ello", "mi", "la", "el", "los", "las", "un", "una",
	"movilidad", "fuerza", "rodaje", "ritmo", "intervalos", "sprint", "comba", "saltos", "dominadas", "zancadas", "lengths", "length",
	"swimming", "yoga", "pilates", "boxing", "uphill", "downhill", "trail", "treadmill", "rower", "erg", "bike", "spin", "elliptical",
	"bag", "pads", "sparring", "mat", "barre", "zumba", "spinning", "cinta", "eliptica", "bici", "remo", "saco", "climbing", "bouldering",
	"shame", "regret", "humiliation", "tears", "crying", "despair", "humillacion", "verguenza", "lagrimas", "dolor", "agonia"} // "lost 6-2 6-3, 1h30 of humiliation"

// amountOfOther reports that every duration in the message is spent "of"
// something that is not a sport nor a part of one ("did 3 hours of tax
// returns, my brain needs a stretch", "2 horas de reuniones y luego a
// estirar"): the sport named elsewhere has no amount.
func (p *parser) amountOfOther() bool {
	found, other := 0, 0
	for k := 0; k < len(p.toks); k++ {
		m, next, ok := p.durationAt(k)
		if !ok || m <= 0 {
			continue
		}
		found++
		if w := p.word(next); strings.HasSuffix(w, "ing") && len(w) > 5 && !p.isActivityWord(w) && !slices.Contains(trainingNouns, w) &&
			slices.Contains([]string{"spent", "spend", "spending", "wasted", "lost"}, p.word(k-1)) {
			other++ // "spent 2 hours building a workout playlist"
		} else if (w == "of" || w == "de") && next+1 < len(p.toks) && p.toks[next+1].kind == tWord {
			obj := next + 1
			w1 := p.word(obj)
			if _, _, act := p.ix.match(p.toks, obj); !act && !slices.Contains(trainingNouns, w1) && !p.isActivityWord(w1) {
				if _, _, act2 := p.ix.match(p.toks, obj+1); !act2 {
					other++
				}
			}
		}
		k = next - 1
	}
	return found > 0 && other == found && !p.numericDistance() &&
		!p.phrase("i mean", "or rather", "quiero decir", "digo", "bueno") // "hour of squash... I mean padel"
}

// numericDistance reports a distance written with a number ("5k", "3
// miles"), not a race's name: "my brain's done a marathon" covers none.
func (p *parser) numericDistance() bool {
	for k := range p.toks {
		if km, _, ok := p.distanceAt(k); ok && km > 0 {
			return true
		}
	}
	return false
}

// Chores, and the words that call them a workout.
var (
	houseWork = []string{"mowed", "mowing", "mow", "hoovering", "hoovered", "hoover", "vacuuming", "vacuumed", "cleaning", "cleaned",
		"gardening", "weeding", "ironing", "ironed", "shopping", "groceries", "moving", "carrying", "carried", "painting", "painted", "diy",
		"shovelling", "shoveling", "dusting", "mopping", "mopped", "scrubbing", "scrubbed", "laundry", "housework", "chores", "lawn",
		"dishes", "errands", "unpacking", "folding", "hanging", "packing", "tidying", "tidied", "decorating", "nappies", "pram", "stroller", "buggy",
		"fregar", "fregando", "fregue", "barrer", "barriendo", "barri", "limpiar", "limpiando", "limpie", "limpieza", "planchar", "planchando",
		"mudanza", "compra", "jardin", "cesped", "pintar", "pintando", "colada", "tareas", "recoger", "recogiendo", "cargando", "cargar"}
	// equivalences call a chore a workout: "basically leg day", "that's my
	// cardio", "eso cuenta como cardio".
	equivalences = []string{"basically", "technically", "practically", "counts as", "count as", "that's my", "thats my", "that's a",
		"thats a", "that's cardio", "so that's", "equivalent", "same as", "as good as", "cuenta como", "eso es", "es mi", "equivale",
		"practicamente", "basicamente", "tecnicamente", "vale como", "prácticamente", "lo mismo que", "that is my", "is my cardio", "is my workout",
		"my workout for", "my cardio for", "mi cardio", "mi entreno de", "my leg day", "my arm day", "my hiit", "my gym"}
)

// choreAsWorkout reports a chore called a workout: "mowed the lawn for an
// hour, basically leg day", "fregar la casa 1 hora, eso es cardio".
func (p *parser) choreAsWorkout(ws []figWord) bool {
	chore := slices.ContainsFunc(ws, func(x figWord) bool {
		return !x.act && (slices.Contains(houseWork, x.w) || slices.Contains(choreWords, x.w))
	})
	from := false
	for i := 0; i+1 < len(ws); i++ {
		from = from || (ws[i].w == "from" || ws[i].w == "de" && i > 0 && ws[i-1].w == "solo") &&
			(slices.Contains(houseWork, ws[i+1].w) || slices.Contains(choreWords, ws[i+1].w) || i+2 < len(ws) && slices.Contains(houseWork, ws[i+2].w))
	}
	return chore && (p.phrase(equivalences...) || from) // "a 20 min workout from folding laundry"
}

// disbelief reports an amount someone or something else claims the
// sender did: "my watch thinks I cycled 20 km", "strava reckons I ran
// 12k, I was in a car", "el reloj cree que he corrido 10 km".
func (p *parser) disbelief(ws []figWord) bool {
	return p.phrase("gave me credit", "gives me credit", "credited me", "counted it as", "counts it as", "logged it as", "registered it as",
		"decided it was", "me lo conto como", "lo cuenta como") ||
		p.phrase("thinks i", "think i", "reckons i", "claims i", "thought i", "decided i", "insists i", "cree que", "creia que",
			"se piensa que", "piensa que he", "piensa que corri", "thinks we", "reckons we")
}

// trailingModals are modal verbs that, in a remark after a report, say
// nothing of whether the report happened: "pilates 50 min, who knew
// breathing could hurt", "spin 45, should've stretched". Not after "I":
// "wow 90 min of yoga, I'd fall asleep", "I could never" weigh someone
// else's amount.
var trailingModals = []string{"could", "should", "might", "should've", "shouldve", "would"}

// feelings follow "I could" in a remark on how a workout felt: "I could
// cry", "I could sleep for a week".
var feelings = []string{"cry", "die", "scream", "sleep", "eat", "vomit", "puke", "collapse", "faint", "nap", "weep", "pass", "throw",
	"hurl", "melt", "kiss", "fly", "literally"}

// trailingRemark reports that the modal w sits only in clauses after the
// first one that holds an activity with an amount, and that those clauses
// hold neither: the plan or wish it would make is not about the workout.
func (p *parser) trailingRemark(w string) bool {
	reported := false
	seen := false
	for _, b := range p.clauseBounds() {
		act := false
		for k := b[0]; k < b[1]; k++ {
			if _, _, ok := p.ix.match(p.toks, k); ok {
				act = true
			}
		}
		amount := p.amountIn(b[0], b[1])
		cw := p.wordsIn(b[0], b[1])
		i := slices.Index(cw, w)
		has := i >= 0
		if i > 0 && slices.Contains([]string{"i", "we", "you", "u"}, cw[i-1]) && !(i+1 < len(cw) && slices.Contains(feelings, cw[i+1])) {
			return false // but "legs 1h, I could cry"
		}
		if has && (!reported || act || amount) {
			return false
		}
		seen = seen || has
		if act && amount {
			reported = true
		}
	}
	return seen
}

// isNumWord reports a word that is a number written out ("five"); numbers
// in digits are not words.
func (p *parser) isNumWord(w string) bool {
	t := wordsToNumbers(tokenize(w))
	return len(t) == 1 && t[0].kind == tNum
}
