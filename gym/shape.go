package gym

import (
	"regexp"
	"slices"
	"strings"
)

// A summary request is recognised by its shape as well as by its phrases:
// a question, with no amount, about a tally of one's own ("my minutes?"),
// a period's results ("resultados de la semana?"), a period alone
// ("weekly?"), who has the most or the least ("who's got the fewest
// minutes", "quién ha sido el más constante") or the sender's own past
// ("did I train on monday?", "¿entrené el lunes?"). Words are folded.
var (
	// ownerWords make a tally someone's: "my minutes", "nuestros números".
	ownerWords = []string{"my", "mi", "mis", "our", "nuestro", "nuestra", "nuestros", "nuestras", "everyone's", "everyones"}
	// tallyWords are what the standings are made of.
	tallyWords = []string{"minutes", "mins", "minutos", "hours", "hrs", "horas", "km", "kms", "kilometros", "miles",
		"sessions", "sesiones", "workouts", "entrenos", "entrenamientos", "numbers", "numeros", "stats", "total",
		"totals", "totales", "points", "puntos", "score", "scores", "results", "resultados", "tally", "streak", "racha"}
	// reportWords ask for a period's results: "results for the week?".
	reportWords = []string{"results", "resultados", "update", "updates", "numbers", "numeros", "figures", "cifras",
		"balance", "report", "informe", "stats", "count", "tally", "wrap", "review"}
	// superlatives ask who has the most or the least.
	superlatives = []string{"most", "more", "less", "fewest", "least", "best", "worst", "laziest", "lazyest", "mvp", "mas", "menos",
		"mejor", "peor", "top", "bottom", "ultimo", "ultima", "primero", "primera"}
	// rankTraits are what a who-question ranks members by: "who's been the
	// most consistent", "quién es el más vago".
	rankTraits = []string{"consistent", "constante", "constantes", "active", "activo", "activa", "lazy", "vago", "vaga",
		"trained", "entrenado", "logged", "apuntado", "registrado", "been", "sido", "done", "hecho", "did", "hizo",
		"entreno", "sumado", "lleva", "llevado", "has", "tiene", "got", "dedicated", "disciplined", "disciplinado"}
	// trainVerbs in the first person past: asked about, they ask what the
	// sender logged ("did I train on monday?").
	trainVerbs = []string{"train", "trained", "workout", "work out", "worked out", "go to the gym", "gym", "exercise",
		"entrene", "entrenado", "fui al gym", "ido al gym", "fui al gimnasio", "ido al gimnasio", "hice deporte", "hecho deporte"}
	// selfPastOpeners open a question about the sender's own past.
	selfPastOpeners = []string{"did i", "have i", "when did i", "how often did i", "what days did i", "which days did i",
		"how many days did i", "how many times did i", "que dias", "cuantos dias", "cuantas veces", "cuando", "he"}
	// showVerbs open a request to be shown something.
	showVerbs = []string{"show me", "give me", "gimme", "send me", "tell me", "ensename", "muestrame", "pasame",
		"dame", "dime", "mandame", "ponme", "bot show", "bot give", "mostrame", "me dices", "me puedes decir", "me pasas"}
	// monthRE names a month as a period: "in april", "de mayo", "marzo"
	// ("may" only after a preposition: it is also a verb).
	monthRE = regexp.MustCompile(`(?i)\b((in|for|of|during|de|en|del|this|este)\s+may|january|february|march|april|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)\b`)
)

// summaryShape reports a summary request by its shape (see above). It is
// called on messages without amounts.
func (f features) summaryShape() bool {
	if f.looseNum || f.secondPerson {
		return false
	}
	if f.month && f.question && slices.ContainsFunc(howOpeners, func(o string) bool { return strings.HasPrefix(f.words, o) }) {
		return true // "how did the group do in april" ("in" is not an invitation here)
	}
	period := f.period() || f.month
	if period && f.question && (f.has("vamos bien") || f.has("vamos mal") || f.has("on track") || f.has("en camino")) {
		return true // "¿vamos bien este mes?", "are we on track this month?"
	}
	if f.joining() {
		return false
	}
	tally := slices.ContainsFunc(tallyWords, f.has)
	switch {
	case slices.ContainsFunc(showVerbs, func(v string) bool { return strings.HasPrefix(f.words, " "+v+" ") }) &&
		(period || tally || slices.ContainsFunc(reportWords, f.has) || slices.ContainsFunc(summaryAsked, f.has)):
		return true // "show me my week", "enséñame mi semana", "give me the leaderboard"
	case period && f.question && (f.has("we") || f.has("us") || f.has("our") || f.has("estamos") || f.has("llevamos")):
		return true // "how did we do in may?", "did we do well this month?"
	case slices.ContainsFunc(ownerWords, f.has) && tally && (f.question || period || f.nWords <= 4):
		return true // "my minutes?", "mis números de la semana"
	case period && slices.ContainsFunc(reportWords, f.has) && (f.question || f.nWords <= 6):
		return true // "results for the week?", "resultados del mes"
	case period && f.question && f.nWords <= 3 && f.acts == 0:
		return true // "weekly?", "¿la semana?", "month so far?"
	case f.bot && (tally || slices.ContainsFunc(summaryAsked, f.has) || slices.ContainsFunc(reportWords, f.has)):
		return true // "bot, the board"
	case f.whoOpens && slices.ContainsFunc(superlatives, f.has) && (tally || period || slices.ContainsFunc(rankTraits, f.has)):
		return true // "who's got the fewest minutes", "quién ha sido el más constante"
	case f.question && f.selfPast:
		return true // "did I train on monday?", "¿entrené el lunes?"
	}
	return false
}

// period reports a week or a month named.
func (f features) period() bool { return slices.ContainsFunc(periodWords, f.has) }

// selfPastQuestion reports a question by the sender about their own past
// training: "did I train on monday?", "qué días he entrenado esta
// semana", "¿entrené el lunes?" (a first-person past with a day).
func (p *parser) selfPastQuestion(f features) bool {
	if !f.question || f.acts > 1 {
		return false
	}
	words := " " + strings.Join(p.words(), " ") + " "
	opener := slices.ContainsFunc(selfPastOpeners, func(o string) bool { return strings.HasPrefix(strings.TrimPrefix(words, " y "), " "+o+" ") })
	verb := slices.ContainsFunc(trainVerbs, f.has)
	dated := f.period() || f.weekday || slices.ContainsFunc([]string{"yesterday", "ayer", "today", "hoy", "anoche", "last night", "anteayer"}, f.has)
	switch {
	case opener && verb:
		return true // "did I train on monday?", "qué días he entrenado"
	case verb && dated && (f.has("entrene") || f.has("he entrenado") || f.has("fui al gym") || f.has("fui al gimnasio")):
		return true // "¿entrené el lunes?"
	}
	return false
}
