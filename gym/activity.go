package gym

import (
	"slices"
	"strings"
	"sync"
)

// The generic activities, dropped when a specific one is named.
const (
	ActivityStrength = "strength"
	ActivityWorkout  = "workout"
)

// activityDef is one canonical activity and the folded words and phrases
// (lowercase, no accents, words separated by one space) that name it.
type activityDef struct {
	name     string
	synonyms []string
}

// catalog is the known activity list, in the fixed order used for composite
// activities. It is never modified.
var catalog = []activityDef{
	{"chest", []string{"chest", "chest day", "chestday", "pecho", "pec", "pecs", "pectoral", "pectorales", "pectorals", "bench press", "bench", "press de banca", "press banca", "banca"}},
	{"back", []string{"jalon al pecho", "jalones al pecho", "jalon", "jalones", "lat pulldown", "lat pulldowns", "pulldown", "pulldowns", "back", "espalda", "dorsal", "dorsales", "lats", "back day", "backday", "dia de espalda", "dominadas", "bent over rows", "bent over row", "rows", "pull ups", "pullups", "pull up", "remo con barra", "remo con mancuerna", "remo con mancuernas", "remo en polea", "barbell row", "barbell rows", "dumbbell row", "dumbbell rows", "deadlift", "deadlifts", "peso muerto"}},
	{"shoulders", []string{"shoulders", "shoulder", "hombros", "hombro", "delts", "deltoides", "shoulder day", "ohp", "overhead press", "military press", "press militar"}},
	{"biceps", []string{"biceps", "bicep", "bis", "bi's", "bicepses", "curls", "curl", "curl de biceps", "bicep curls"}},
	{"triceps", []string{"triceps", "tricep", "tris", "tri's", "tri"}},
	{"arms", []string{"arms", "arm", "brazos", "brazo", "arm day", "armday", "dia de brazo", "dia de brazos"}},
	{"legs", []string{"legs", "leg", "leg day", "legday", "diadepierna", "legs day", "lunges", "zancadas", "pierna", "piernas", "dia de pierna", "quads", "cuadriceps", "femoral", "femorales", "hamstrings", "lower body", "tren inferior", "squats", "sentadillas"}},
	{"glutes", []string{"glutes", "glute", "gluteos", "gluteo", "booty"}},
	{"abs", []string{"abs", "ab", "core", "abdominales", "abdominal", "abdomen", "abdos", "plank", "plancha"}},
	{"running", []string{"running", "run", "ran", "runs", "intervals", "intervalos", "fartlek", "parkrun", "rodaje", "tirada", "tempo run", "long run", "marathon", "maraton", "half marathon", "media maraton", "corrido", "jog", "jogging", "jogged", "correr", "corri", "corrimos", "corrida", "carrera", "trote", "trotar", "trotando", "corriendo", "treadmill", "dreadmill", "cinta", "shakeout", "hill repeats", "hill sprints", "repeats", "track session", "track workout", "series en pista", "on the track", "at the track", "en la pista de atletismo", "sprints", "couch to 5k", "c25k", "🏃"}},
	{"cycling", []string{"cycling", "cycle", "cycled", "zwift", "turbo", "turbo trainer", "spun", "ruta en bici", "ruta en bicicleta", "ruta de bici", "ruta ciclista", "bike ride", "bike", "biked", "biking", "ride", "rode", "pedalee", "bici", "bicicleta", "spinning", "spin", "ciclismo", "rodillo", "peloton", "bici de montana", "mountain bike", "mountain biking", "mtb", "assault bike", "air bike", "airbike", "🚴", "🚵", "🚲"}},
	{"swimming", []string{"open water", "aguas abiertas", "swimming", "swim", "swam", "nado", "swum", "nadado", "natacion", "nadar", "nade", "nadando", "nadamos", "piscina", "pool", "pileta", "alberca", "🏊"}},
	{"yoga", []string{"yoga", "vinyasa", "hatha", "ashtanga", "bikram", "kundalini", "hot yoga", "yin", "yin yoga", "mysore", "surya namaskar", "sun salutations", "saludos al sol", "🧘"}},
	{"pilates", []string{"pilates", "reformer", "barre"}},
	{"crossfit", []string{"hyrox", "hyrox sim", "crossfit", "crosfit", "wod", "cross fit", "amrap", "emom", "metcon", "functional fitness"}},
	{"boxing", []string{"on the bag", "heavy bag", "punching bag", "saco de boxeo", "boxfit", "box fit", "boxfit class", "boxing", "boxeo", "kickboxing", "muay thai", "clase de box", "boxercise", "body combat", "bodycombat", "heavy bag", "punching bag", "saco de boxeo", "bag work", "🥊"}},
	{"hiit", []string{"hiit", "tabata", "circuito", "circuit", "burpees", "funcional", "functional training", "entrenamiento funcional", "bootcamp",
		"barry's", "barrys", "f45", "orangetheory", "otf"}},
	{"walking", []string{"walking", "walk", "walked", "stroll", "strolled", "caminado", "andando", "andar", "anduve", "a pie", "paseando", "pasear", "caminar", "camine", "caminata", "caminando", "caminamos", "paseo", "saque al perro", "sacar al perro", "saque a la perra", "pasee al perro", "paseo al perro", "🚶"}},
	{"rowing", []string{"rowing", "remo", "remar", "reme", "rower", "rowed", "erg", "row", "🚣"}},
	{"stretching", []string{"stretching", "stretch", "stretches", "stretched", "estirando", "estire", "estiramientos", "estiramiento", "estirar", "movilidad", "mobility", "foam roller", "foam roll", "foam rolling", "foam rolled", "rodillo de espuma", "foam"}},
	{"climbing", []string{"climbing", "climb", "escalada", "escalar", "escale", "bouldering", "boulder", "rocodromo", "🧗"}},
	{"hiking", []string{"subida a", "subida al", "hiking", "hike", "hiked", "hikes", "ruta", "ruta de montana", "excursion", "monte", "subi al monte", "cerro", "el cerro", "senderismo", "trekking", "caminata de montana", "🥾"}},
	{"football", []string{"walking football", "football", "soccer", "footy", "footie", "futbol", "fut", "futbito", "futsal", "⚽"}},
	{"tennis", []string{"tennis", "tenis", "🎾"}},
	{"padel", []string{"padel", "paddle"}},
	{"basketball", []string{"basketball", "basket", "baloncesto", "basquet", "hoops", "shooting hoops", "🏀"}},
	{"dance", []string{"dance", "dancing", "baile", "bailar", "zumba", "salsa", "bachata", "ballet", "kizomba", "💃"}},
	{"cardio", []string{"aerobic workout", "aerobics", "aerobic", "aerobic exercise", "aqua aerobics", "aquaerobics", "aqua aerobic", "aquagym", "aqua gym", "aquafit", "aqua fit", "aqua zumba", "aqua", "aquaerobic", "cardio", "elliptical", "eliptica", "stairmaster", "escaladora", "step class", "clase de step", "comba", "jump rope", "skipping rope", "saltar a la comba", "skipping", "cross trainer", "crosstrainer", "stepper", "step machine", "stair stepper", "elliptical trainer", "arc trainer", "ski erg", "skierg",
		"stair climber", "stairclimber", "stair climbing", "stadium stairs", "stadium steps", "stair sprints", "stairs workout", "escaleras del estadio", "gradas del estadio"}},
	{ActivityStrength, []string{"on the machines", "weight machines", "maquinas", "las maquinas", "strength", "fierros", "hierros", "push day", "push", "pull day", "pull", "torso", "dia de torso", "dia de tiron", "dia de empuje", "upper body", "full body", "tren superior", "cuerpo completo", "body pump", "bodypump", "pump", "trx", "kettlebell", "kettlebells", "calistenia", "calisthenics", "powerlifting", "halterofilia", "gym", "gimnasio", "gim", "weights", "weight training", "pesas", "lifting", "lifted", "weightlifting", "my lift", "lift session", "lifting session", "fuerza", "musculacion", "🏋"}},
	{ActivityWorkout, []string{"bodyweight", "body weight", "bodyweight workout", "peso corporal", "workout", "training", "trained", "entreno", "entrene", "entrenamiento", "entrenar", "entrenando", "ejercicio", "exercise"}},
}

// activityIndex is built once per call site from catalog; it is cheap.
type activityIndex struct {
	*indexTables
}

// maxMemo bounds the typo memo: past it, the memo starts again empty.
const maxMemo = 4096

// indexTables are the lookup tables built from catalog. They are built
// once and only read afterwards, so every parser shares them.
type indexTables struct {
	phrases map[string]string // folded phrase -> canonical name
	rank    map[string]int    // canonical name -> position in catalog
	maxLen  int               // most words in a phrase
	single  []string          // one-word synonyms of 4+ letters, for typos
	folded  []string          // collapse(single[i])

	mu   sync.Mutex
	memo map[string]string // typo lookups: word -> canonical or ""; at most maxMemo
}

// tables returns the shared lookup tables.
var tables = sync.OnceValue(func() *indexTables {
	t := &indexTables{phrases: map[string]string{}, rank: map[string]int{}, memo: map[string]string{}}
	for i, def := range catalog {
		t.rank[def.name] = i
		t.phrases[def.name] = def.name
		for _, s := range def.synonyms {
			t.phrases[s] = def.name
			n := len(strings.Fields(s))
			t.maxLen = max(t.maxLen, n)
			if n == 1 && len(s) >= 4 && s[0] < 0x80 {
				t.single = append(t.single, s)
			}
		}
	}
	for _, s := range t.single {
		t.folded = append(t.folded, collapse(s))
	}
	return t
})

func newActivityIndex() *activityIndex {
	return &activityIndex{indexTables: tables()}
}

// Activities returns the canonical activity names in their fixed order.
func Activities() []string {
	out := make([]string, len(catalog))
	for i, def := range catalog {
		out[i] = def.name
	}
	return out
}

// isGeneric reports whether name is one of the generic activities.
func isGeneric(name string) bool { return name == ActivityStrength || name == ActivityWorkout }

// composite joins the activities found in one session into one name: the
// generic ones are dropped when a specific one is present ("strength" is
// kept over "workout"), the rest are deduplicated and sorted in catalog
// order and joined with "+". It returns "" for no activity.
func (ix *activityIndex) composite(names []string) string {
	var specific, generic []string
	for _, n := range names {
		if isGeneric(n) {
			generic = append(generic, n)
		} else {
			specific = append(specific, n)
		}
	}
	if len(specific) == 0 {
		if slices.Contains(generic, ActivityStrength) {
			return ActivityStrength
		}
		if len(generic) > 0 {
			return ActivityWorkout
		}
		return ""
	}
	if slices.ContainsFunc(specific, func(n string) bool { return slices.Contains(cardioSports, n) }) {
		// "cardio 30 min on the bike" is a ride: cardio says only what kind
		specific = slices.DeleteFunc(specific, func(n string) bool { return n == "cardio" })
	}
	if slices.Contains(specific, "hiking") {
		// "caminata de 2 horas por el monte": a walk in the hills is a hike
		specific = slices.DeleteFunc(specific, func(n string) bool { return n == "walking" })
	}
	if slices.Contains(specific, "hiit") {
		// "12 min hiit EMOM": the format (EMOM, AMRAP) is crossfit's word, the session hiit
		specific = slices.DeleteFunc(specific, func(n string) bool { return n == "crossfit" })
	}
	slices.SortFunc(specific, func(a, b string) int { return ix.rank[a] - ix.rank[b] })
	return strings.Join(slices.Compact(specific), "+")
}

// cardioSports are the sports that "cardio" only qualifies when named with
// them.
var cardioSports = []string{"running", "cycling", "swimming", "rowing", "walking", "hiking", "hiit", "dance", "boxing"}

// NormalizeActivity maps free text naming one session's activities
// ("Pecho y Tríceps", "chest & tris", "🏃", "bicpes", "chest+triceps") to
// its canonical, possibly composite, name. ok is false when no known
// activity is named.
func NormalizeActivity(s string) (name string, ok bool) {
	ix := newActivityIndex()
	toks := tokenize(s)
	var names []string
	for i := 0; i < len(toks); {
		if n, next, ok := ix.match(toks, i); ok {
			names = append(names, n)
			i = next
			continue
		}
		i++
	}
	name = ix.composite(names)
	return name, name != ""
}

// IsKnownActivity reports whether s is a canonical activity name or a
// canonical composite (known names, distinct, in catalog order, joined by
// "+"), which is what Validate accepts.
func IsKnownActivity(s string) bool {
	ix := newActivityIndex()
	parts := strings.Split(s, "+")
	prev := -1
	for _, p := range parts {
		r, ok := ix.rank[p]
		if !ok || r <= prev {
			return false
		}
		if len(parts) > 1 && isGeneric(p) {
			return false
		}
		prev = r
	}
	return true
}

// bodyParts are the activities that are also parts of the body; after a
// possessive and before a word of soreness they are the body part.
var (
	bodyParts   = []string{"chest", "back", "shoulders", "biceps", "triceps", "arms", "legs", "glutes", "abs"}
	possessives = []string{"my", "mi", "mis", "el", "la", "los", "las", "his", "her", "your", "tu", "tus"}
	soreWords   = []string{"is", "are", "es", "esta", "estan", "muerto", "muerta", "muertos", "muertas", "dead", "sore",
		"killing", "hurts", "hurt", "ache", "aches", "duele", "duelen", "destrozado", "destrozada", "destrozados",
		"destrozadas", "reventado", "reventada", "feel", "feels", "hate", "hates", "odia", "odian", "cramp", "cramping",
		"fatal", "cargada", "cargado", "cargadas", "cargados", "tocada", "tocado", "tight", "stiff", "heavy"}
)

// cannotWords before "walk" make it how one feels after a session: "can
// barely walk", "cannae walk", "no puedo ni andar".
var cannotWords = []string{"can't", "cant", "cannot", "cannae", "canny", "couldn't", "couldnt", "barely", "hardly", "ni", "puedo", "puede"}

// trainVerbsBody train the body part they are said of: "did my legs",
// "worked my arms for 30 mins" is a session, "my legs after that class"
// is the body.
var trainVerbsBody = []string{"did", "hit", "trained", "worked", "train", "work", "training", "working", "blasted", "smashed"}

// stateVerbs make a body part the subject of how it feels: "legs feel
// great", "brazos están muertos" (but not "legs are done").
var stateVerbs = []string{"feel", "feels", "hurt", "hurts", "ache", "aches", "are", "is", "estan", "esta", "duelen", "duele", "siguen", "sigue"}

// senseVerbs act on a body part rather than train it: "can't lift my
// arms"; damageWords say what a workout did to it: "shoulders are toast".
var (
	senseVerbs  = []string{"lift", "raise", "move", "feel", "bend", "straighten", "levantar", "mover", "sentir", "doblar", "estirar", "subir", "siento", "noto", "sentia", "notaba"}
	damageWords = []string{"tight", "stiff", "sore", "toast", "dead", "fried", "cooked", "smoked", "trashed", "blown", "spent", "jelly", "wobbly", "jelly", "destroyed", "wrecked", "gone", "shot", "burning", "shaking", "noodles",
		"muerto", "muerta", "muertos", "muertas", "destrozado", "destrozada", "destrozados", "destrozadas", "reventado",
		"reventada", "reventados", "reventadas", "ardiendo", "temblando", "molidos", "molidas", "hechos", "hechas", "fritos", "fritas",
		"flanes", "flan", "gelatina", "mantequilla", "spaghetti", "wet"}
)

// backGuards are words around "back" that make it an adverb ("I'm back",
// "back at it tomorrow"), not the muscle group.
var (
	backBefore = []string{"be", "i'm", "im", "am", "is", "are", "came", "come", "coming", "comes", "get", "got", "getting", "go", "going", "went", "i'll", "ill", "welcome", "call", "text", "write", "right", "way", "bring", "brought", "head", "headed", "heading", "drive", "drove", "walk", "walked", "looking", "look", "hold", "give", "gave", "pay", "sent", "send", "reply", "answer", "fall", "fell", "was", "were"}
	backAfter  = []string{"at", "to", "tomorrow", "manana", "home", "in", "on", "soon", "later", "now", "from", "with", "again", "up", "there", "here", "then"}
	// runSubjects run without running: "the meeting ran 2 hours over".
	runSubjects = []string{"meeting", "call", "class", "show", "film", "movie", "game", "match", "it", "that", "time", "clock", "event", "talk"}
	// moveVerbs go somewhere: "ran to the gym" is a run.
	moveVerbs = []string{"ran", "run", "jogged", "walked", "walk", "cycled", "biked", "rode", "corri", "fui corriendo", "corriendo",
		"andando", "camine", "caminando", "pedaleando", "bici", "bike"}
	// gymThings follow "gym" used as a modifier: "gym card", "gym bag".
	gymThings = []string{"card", "bag", "membership", "buddy", "buddies", "shoes", "clothes", "crush", "selfie", "playlist",
		"owner", "staff", "fees", "fee", "pass", "towel", "locker", "key", "app", "kit", "gear", "outfit"}
	runAfter = []string{"out", "late", "errands", "into", "over", "around", "away", "off", "behind", "low", "short", "errand"}
	// typoStop are real words one edit away from a synonym.
	typoStop = []string{"abrazo", "abrazos", "abrazote", "rodilla", "rodillas", "tenia", "tenias", "tenian", "logging", "logged", "blogging", // a knee, not a turbo trainer; "tenía", not tennis; logging, not jogging
		// people, not activities
		"corrijo", "corrige", "corregir", "corregido", // correcting, not running
		"trainer", "trainers", "entrenador", "entrenadora", "entrenadores", "hiker", "hikers", "rower", "rowers", "dancer",
		"dancers", "boxer", "boxers", "swimmer", "swimmers", "runners", "climber", "climbers", "biker", "bikers", "cyclist",
		"cyclists", "walkers", "ciclista", "ciclistas", "nadador", "nadadora", "corredor", "corredora", "corredores",
		"escalador", "escaladora", "bailarin", "bailarina", "senderista", "gimnasta", "deportista",
		// words one edit from a synonym
		"correo", "correos", "pierda", "pierdas", "hombre", "hombres", "viking", "walker", "runner", "piensa", "piense", "cheat", "bunch", "pesos", "techo", "pasas", "mesas", "swing", "swimsuit", "bikini", "runny", "sunny", "funny", "rowdy", "ridge", "backs", "bench", "camino", "caminos", "cinto", "pinta", "bicis",
		"ballot", "banda", "bandas", "barrel", "barren", "barritas", "boring", "corre", "fuera", "gluten", "hiding", "lunes", // "el lunes", not lunges
		"lungs", "montse", "palates", "pirates", "plates", "puddle", "pumped", "pushed", "pushing", "slimming", "splints", "weight",
		"shouldering", "camiones", "planchar", "lifters", "salsas", "turno", "turnos", "pulled", "pulling", "pulls"} // a shift, not a turbo trainer
)

func word(toks []token, i int) string {
	if i < 0 || i >= len(toks) || toks[i].kind != tWord {
		return ""
	}
	return toks[i].text
}

// match finds an activity phrase starting at toks[i], longest first, then a
// typo of a one-word synonym (see typo).
func (ix *activityIndex) match(toks []token, i int) (name string, next int, ok bool) {
	if i < 0 || i >= len(toks) {
		return "", 0, false // callers look past the last token
	}
	if next, ok := aSide(toks, i); ok {
		return "football", next, true
	}
	if toks[i].kind != tWord && toks[i].kind != tEmoji {
		return "", 0, false
	}
	for n := min(ix.maxLen, len(toks)-i); n >= 1; n-- {
		parts := make([]string, 0, n)
		for k := i; k < i+n; k++ {
			if toks[k].kind != tWord && toks[k].kind != tEmoji {
				break
			}
			parts = append(parts, toks[k].text)
		}
		if len(parts) < n {
			continue
		}
		canon, found := ix.phrases[strings.Join(parts, " ")]
		if !found {
			continue
		}
		if n == 1 && !ix.guardOK(toks, i, toks[i].text) || comparedTo(toks, i) || whenRef(toks, i) {
			return "", 0, false
		}
		if n == 1 && parts[0] == "peloton" {
			if _, _, ok := ix.match(toks, i+1); ok {
				return "", 0, false // "peloton yoga": the app the class was on, not a ride
			}
		}
		return canon, i + n, true
	}
	w := toks[i].text
	if toks[i].kind != tWord || len(w) < 4 || slices.Contains(typoStop, w) || strings.HasSuffix(w, "'s") {
		// "hamstring's fine": a contraction of "is" on a body part
		return "", 0, false
	}
	ix.mu.Lock()
	best, seen := ix.memo[w]
	ix.mu.Unlock()
	if !seen {
		best = ix.inflected(w)
		if best == "" {
			best = ix.typo(w)
		}
		if best == "" && len(w) >= 6 && strings.HasSuffix(w, "s") {
			best = ix.typo(w[:len(w)-1]) // "espladas"
		}
		ix.mu.Lock()
		if len(ix.memo) >= maxMemo {
			clear(ix.memo)
		}
		ix.memo[w] = best
		ix.mu.Unlock()
	}
	if best == "" {
		return "", 0, false
	}
	return best, i + 1, true
}

// aSide reads "5-a-side", "five a side", "7 a side" at i: football
// played by small teams. It returns the position after it.
func aSide(toks []token, i int) (int, bool) {
	if w := word(toks, i); (w == "futbol" || w == "fut" || w == "futbito") && i+1 < len(toks) && toks[i+1].kind == tNum &&
		slices.Contains([]float64{5, 7, 8, 11}, toks[i+1].num) {
		return i + 2, true // "fútbol 5", "futbol 7": football by team size
	}
	if toks[i].kind != tNum || !slices.Contains([]float64{5, 6, 7, 8, 11}, toks[i].num) {
		return 0, false
	}
	j := i + 1
	for _, w := range []string{"a", "side"} {
		if j < len(toks) && toks[j].kind == tPunct && toks[j].text == "-" {
			j++
		}
		if word(toks, j) != w {
			return 0, false
		}
		j++
	}
	return j, true
}

// pastRef reports an activity after "after", "since" or "from" and a
// day's possessive, with at most an amount between: "after yesterday's
// 2h ride", "from sunday's 3 hour hike".
func pastRef(toks []token, i int) bool {
	for j := i - 1; j >= max(0, i-5); j-- {
		if toks[j].kind == tPunct || toks[j].kind == tBreak {
			return false
		}
		w := word(toks, j)
		if day, ok := strings.CutSuffix(w, "'s"); ok && j > 0 && slices.Contains([]string{"after", "since", "from"}, word(toks, j-1)) &&
			(isWeekday(day) || slices.Contains([]string{"yesterday", "today", "saturday", "sunday", "night", "morning", "weekend"}, day)) {
			return true
		}
	}
	return false
}

// whenRef reports an activity named to say when: "15 min mobility after
// the run", "pizza after the gym", "antes del pádel".
func whenRef(toks []token, i int) bool {
	prev, prev2 := word(toks, i-1), word(toks, i-2)

	switch {
	case pastRef(toks, i):
		return true // "sore after yesterday's 2h ride": a session already past, pointed at
	case (prev == "the" || prev == "my") && (prev2 == "after" || prev2 == "before" || prev2 == "since"),
		(prev == "la" || prev == "el" || prev == "mi") && prev2 == "desde":
		return true // "sore since the 10k", "me duele desde la carrera de 21 km"
	case prev == "del" && (prev2 == "despues" || prev2 == "antes"), prev2 == "tras" && (prev == "el" || prev == "la"):
		return true
	case (prev == "la" || prev == "el" || prev == "mi") && word(toks, i-3) != "" && (word(toks, i-3) == "despues" || word(toks, i-3) == "antes") && prev2 == "de":
		return true
	}
	return false
}

// comparedTo reports an activity named as the term of a comparison:
// "more tiring than legs day", "más cansado que el día de pierna".
func comparedTo(toks []token, i int) bool {
	for j := i - 1; j >= max(0, i-4); j-- {
		if pw := word(toks, j); pw == "than" || pw == "que" && slices.ContainsFunc([]string{word(toks, j-1), word(toks, j-2), word(toks, j-3)}, func(x string) bool {
			return slices.Contains([]string{"mas", "menos", "peor", "mejor", "tan"}, x)
		}) {
			return true
		}
		if toks[j].kind == tPunct || toks[j].kind == tBreak {
			return false
		}
	}
	return false
}

func (ix *activityIndex) guardOK(toks []token, i int, w string) bool {
	if c := ix.phrases[w]; slices.Contains(bodyParts, c) {
		own := slices.Contains(possessives, word(toks, i-1))
		if slices.Contains([]string{"my", "mis", "your", "tus", "his", "her"}, word(toks, i-1)) && word(toks, i+1) != "day" && word(toks, i+1) != "session" && word(toks, i+1) != "workout" &&
			!(word(toks, i-1) == "my" && slices.Contains(trainVerbsBody, word(toks, i-2))) { // "did my legs", "hit my shoulders 45 min"
			return false // "my legs after 10 min of that class 💀": the body, not a session
		}
		if own && slices.Contains(soreWords, word(toks, i+1)) {
			return false // "my arm is dead", "tengo el brazo muerto": a body part, not a workout
		}
		if own && (slices.Contains(senseVerbs, word(toks, i-2)) || slices.Contains(senseVerbs, word(toks, i-3))) {
			return false // "can't lift my arms", "no puedo ni levantar los brazos"
		}
		next := word(toks, i+1)
		if slices.Contains([]string{"still", "so", "really", "pretty", "super", "proper", "bit", "a", "siguen", "sigue", "todavia", "aun", "muy"}, next) &&
			(slices.Contains(soreWords, word(toks, i+2)) || slices.Contains(damageWords, word(toks, i+2)) || word(toks, i+2) == "bit" || word(toks, i+2) == "still") {
			return false // "legs still sore from sunday's hike", "piernas todavía destrozadas"
		}
		if slices.Contains(stateVerbs, next) && !slices.Contains(doneWords, word(toks, i+2)) && word(toks, i+2) != "" {
			return false // "legs feel great", "arms are killing me", "me duelen las piernas"
		}
		if (next == "in" || next == "en") && slices.Contains([]string{"bits", "pieces", "tatters", "pedazos", "ruinas"}, word(toks, i+2)) {
			return false // "legs in bits today"
		}
		if slices.Contains(damageWords, next) || slices.Contains([]string{"are", "is", "estan", "esta", "feel", "feels", "was", "were", "felt", "estaba", "estaban", "quedo", "quedaron", "got", "like", "como"}, next) && slices.Contains(damageWords, word(toks, i+2)) {
			return false // "shoulders are toast", "piernas destrozadas", "triceps were fried after"
		}
	}
	switch w {
	case "marathon", "maraton":
		for j := max(0, i-5); j <= i+5 && j < len(toks); j++ {
			if slices.Contains(screenShows, word(toks, j)) || slices.Contains([]string{"binge", "tv", "tele", "capitulos", "sofa", "couch"}, word(toks, j)) {
				return false // "a Netflix marathon", "maratón de series": watching
			}
		}
	case "skipping":
		// jump rope, not missing something: "20 mins of skipping", "skipping 15 min"
		n := word(toks, i-1)
		return n == "of" || n == "some" || n == "de" || slices.Contains(minUnits, n) || slices.Contains(hourUnits, n) || i+1 < len(toks) && toks[i+1].kind == tNum || word(toks, i+1) == "rope"
	case "walk", "andar", "caminar", "walking":
		return !slices.Contains(cannotWords, word(toks, i-1)) && !slices.Contains(cannotWords, word(toks, i-2)) // "can barely walk", "no puedo ni andar"
	case "row":
		// "5k row", "2000m row" (a barbell row is back)
		return slices.Contains(kmUnits, word(toks, i-1)) || slices.Contains(meterUnits, word(toks, i-1)) || word(toks, i-1) == "m" ||
			i+1 < len(toks) && toks[i+1].kind == tNum // "row 5000m 21 min", "row 20, bike 20"
	case "back":
		if word(toks, i-1) == "and" && (word(toks, i-2) == "there" || slices.ContainsFunc([]string{word(toks, i-3), word(toks, i-4), word(toks, i-5)}, func(w string) bool {
			return w == "to" || w == "into" || w == "from"
		})) {
			return false // "walked to work and back", "cycled into work and back"
		}
		return !slices.Contains(backBefore, word(toks, i-1)) && !slices.Contains(backAfter, word(toks, i+1))
	case "run", "ran", "running", "runs":
		return !slices.Contains(runAfter, word(toks, i+1)) && !slices.Contains(runSubjects, word(toks, i-1))
	case "tri":
		// "chest tri 4x12", "chest & tri": the triceps only next to another
		// muscle; alone, "tri" is a triathlon
		prev := word(toks, i-1)
		if prev == "and" || prev == "y" || prev == "&" || i > 0 && toks[i-1].kind == tPunct && toks[i-1].text == "&" {
			prev = word(toks, i-2)
		}
		return slices.Contains([]string{"chest", "pecho", "back", "espalda", "shoulders", "hombro", "hombros", "bi", "bis", "biceps"}, prev)
	case "circuit", "circuito":
		// "a 20 min ab circuit": the form of a body part's session, not HIIT
		prev := word(toks, i-1)
		return !(i > 0 && slices.Contains([]string{"ab", "abs", "core", "leg", "legs", "arm", "arms", "glute", "glutes", "abdominales", "abdomen", "piernas", "brazos", "gluteos"}, prev))
	case "pull":
		// "pull 50 min", "tue: pull 1h", but a swim set's "4x400 pull @ 7:00"
		// (with a buoy), "pull a muscle"
		return (i == 0 || toks[i-1].kind != tNum) && !slices.Contains([]string{"buoy", "a", "up", "ups", "my", "out", "off"}, word(toks, i+1)) &&
			!(i+1 < len(toks) && toks[i+1].kind == tPunct && toks[i+1].text == "@")
	case "gym", "gimnasio", "gim":
		if dest := word(toks, i-1); dest == "the" && word(toks, i-2) == "to" || dest == "al" || dest == "el" && word(toks, i-2) == "hasta" {
			for j := i - 3; j >= max(0, i-6); j-- {
				if slices.Contains(moveVerbs, word(toks, j)) {
					return false // "ran 25 to the gym", "corrí 25 hasta el gym": where to, not what
				}
			}
		}
		return !slices.Contains(gymThings, word(toks, i+1)) // "my gym card", "gym bag"
	}
	return true
}
