package gym

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Phrases of summary requests, folded, words separated by one space.
var (
	// summaryAlone ask for the standings on their own.
	summaryAlone = []string{
		"how are we doing", "how we doing", "how r we doing", "how am i doing", "how is everyone doing",
		"how's everyone doing", "hows everyone doing", "how is the group doing", "how's the group doing",
		"how did we do", "how'd we do", "how are we looking", "how we looking", "how did everyone do",
		"leaderboard", "leader board", "ranking", "rankings", "stats", "statistics", "scoreboard", "scores",
		"standings", "summary", "recap", "who's winning", "whos winning", "who is winning", "who won",
		"who's ahead", "who is ahead", "who's leading", "who is leading", "in the lead", "how many workouts",
		"how many sessions", "how many minutes", "how many hours", "where am i", "where do i rank", "what's the score",
		"whats the score", "the score", "on the board", "the table", "on top", "top 3", "top three", "top 5", "top five",
		"trained most", "trained the most", "most minutes", "most sessions", "most workouts", "most hours",
		"who's first", "whos first", "who is first", "who's top", "whos top", "who is top", "slacking", "totals",
		"resumen", "como vamos", "como voy", "como va el grupo", "como va la cosa", "estadisticas",
		"clasificacion", "marcador", "quien va ganando", "quien gana", "quien va primero", "quien va en cabeza",
		"en cabeza", "quien lleva mas", "cuantos entrenos", "cuantos entrenamientos", "cuantas sesiones",
		"cuantos minutos", "cuantas veces", "cuantas horas", "en que puesto", "que puesto", "en que posicion",
		"que posicion", "puntuaciones", "puntuacion", "que tal vamos", "que tal voy", "como va la tabla", "la tabla",
		"la competi", "la competicion", "el ranking", "quien manda", "mas vago", "mas vaga", "ha entrenado mas",
		"ha sumado mas", "han entrenado mas", "voy ganando", "am i winning", "top 3 del", "como estamos",
		"where's everyone", "wheres everyone", "where is everyone", "where are we", "where we at", "how's everyone",
		"hows everyone", "como vamos todos", "como van todos", "weekly numbers", "numeros de la semana", "numeros del mes",
		"rundown", "que tal va todo el mundo", "como va todo el mundo", "que tal van todos", "how we are doing", "how are we going", "how we're doing", "how were doing", "lidera", "liderando", "leads the", "leading the", "weekly update", "monthly update", "top dog", "ranking time", "hora del ranking",
		"tally", "rank us", "rank me", "in first", "in 1st", "en primer", "primer lugar", "esos numeros", "los numeros", "the numbers",
		"totales", "roundup", "round up", "wrap up", "wrapup", "everyone at", "everybody at", "how close", "how far behind",
		"how far ahead", "anyone beating", "who's beating", "whos beating", "who is beating", "am i beating", "beating me", "le gana", "les gana", "me gana", "supera a", "superando", "me or", "or me", "yo o", "o yo", "donde estoy", "donde voy", "donde ando", "donde quedo", "beaten me", "beat me", "overtaken", "overtook", "passed me",
		"what's the count", "whats the count", "the count at", "where's the count", "wheres the count",
		"closest to me", "who's closest", "whos closest", "who is closest", "right behind me", "just behind me", "mas cerca de mi",
		"me ha superado", "me han superado", "me ha adelantado", "me han adelantado", "me ha pasado", "me supera", "hall of shame", "muro de la verguenza", "a cuanto estoy", "a cuanto voy", "cuanto me saca", "cuanto me lleva", "cuanto le saco",
	}
	// summaryAsked ask for the standings in a question, or with a period.
	summaryAsked = []string{
		"how are we", "how's it going", "progress", "progreso", "tabla", "table", "total", "totales", "report",
		"reporte", "informe", "balance", "numbers", "numeros", "score", "rank", "ranked", "position", "posicion",
		"puesto", "primero", "primera", "first", "top", "winning", "ganando", "lead", "como van", "como va", "last place", "first place",
		"ultimo lugar", "primer lugar", "ultimo puesto", "primer puesto",
		"llevo", "llevamos", "board", "leading", "leader", "lider", "lideres", "what place", "which place", "first place", "last place", "1st place", "lugar", "podium", "podio",
		"last", "ultimo", "ultima", "most", "least", "menos", "stand", "standing", "points", "puntos", "race", "carrera",
		"beat", "beaten", "beating", "ganado a", "ganar a", "so far", "hasta ahora", "de momento", "update", "updates", "clasi", "mvp", "arriba", "abajo", "bottom", "delante", "ahead", "behind", "detras",
	}
	// howOpeners open a question about how something went: with a period
	// ("how did the month go?", "¿qué tal la semana?") it asks for the
	// standings.
	howOpeners = []string{" how'd ", " howd ", " how ", " how's ", " hows ", " como ", " que tal ", " what's ", " whats "}
	// tallyNouns are what the standings count.
	tallyNouns = []string{"minutes", "mins", "min", "minutos", "hours", "hrs", "horas", "sessions", "sesiones", "workouts",
		"entrenos", "entrenamientos", "km", "kms", "kilometros", "points", "puntos"}
	// groupWords name the group; goingWords ask how it goes.
	groupWords = []string{"everyone", "everybody", "everyone's", "everybody's", "everyones", "todo el mundo", "todos", "todas", "the group", "el grupo", "we", "us", "the team", "el equipo"}
	goingWords = []string{"va", "van", "vamos", "going", "doing", "getting on", "get on", "getting along", "llevamos", "lleva", "llevan"}
	// thingCopulas ask about a thing's size or schedule, not a tally:
	// "how many km is the canal loop?", "¿cuántos km tiene la vuelta?".
	thingCopulas = []string{"is the", "are the", "is it", "is a", "is an", "es una", "es un", "tiene la", "tiene el", "tienen los", "tienen las", "es la",
		"es el", "son los", "son las", "is that", "es eso", "hay en"}
	// memoryVerbs ask what a member did or logged.
	memoryVerbs = []string{"did", "do", "doing", "done", "log", "logged", "trained", "train", "fue", "va", "lleva",
		"apuntado", "registrado", "entrenado", "hecho", "sumado", "apunto", "registro", "hizo", "entreno"}
	// memoryAsked ask what someone logged: "what did I log yesterday?",
	// "how did Ana do this month?".
	memoryAsked = []string{
		"what did i log", "what did i do", "what have i logged", "what have i done", "what did i train",
		"everything i logged", "everything i've logged", "everything ive logged", "lo que apunte", "lo que registre",
		"what i logged", "did my", "did you log", "did you get", "have i logged", "get logged", "got logged",
		"que registre", "que he registrado", "que apunte", "que he apuntado", "que hice", "que he hecho",
		"me apuntaste", "lo apuntaste", "has apuntado", "me has apuntado", "que tengo apuntado", "que llevo",
		"conto mi", "cuenta mi", "se conto", "se apunto", "se registro", "did it count", "does it count", "count?",
		"did i log", "did i record", "did i post", "did it log", "did that log", "apunte lo", "registre lo", "he apuntado lo",
		"quedo apuntado", "quedo registrado", "he apuntado algo", "he registrado algo", "logged anything", "logged something", "what did i put", "did i put", "what have i put", "que puse", "que he puesto",
		"my log", "my logs", "mi registro", "mis registros", "mi historial", "my history",
		"anyone log", "anybody log", "anyone logged", "anybody logged", "alguien apunto", "alguien ha apuntado", "alguien registro", "alguien ha registrado",
		"remind me what", "remind me how", "remind me when", "recuerdame que", "recuerdame lo que", "recuerdame cuanto", "recuerdame cuando",
		"se guardo", "se ha guardado", "esta guardado", "did it save", "did that save", "is it saved", "got saved", "was it saved", "what have i got", "what do i have", "what've i got", "cuanto tengo", "que tengo", "esta apuntado", "esta registrado", "is it logged", "is that logged",
	}
	periodWords = []string{"week", "weekly", "semana", "semanal", "month", "monthly", "mes", "mensual"}
	monthWords  = []string{"month", "monthly", "mes", "mensual"}
	// questionOpeners start a question written without "?".
	questionOpeners = []string{"anyone", "anybody", "alguien", "is", "are", "does", "do", "should", "can", "would", "whose", "how'd", "howd", "how", "how's", "hows", "what", "what's", "whats", "who", "who's", "whos", "where", "which",
		"cuanto", "cuantos", "cuantas", "como", "que", "quien", "quienes", "donde"}
	// memberRE finds a name asked about: "how did Ana do", "cómo le fue a
	// Ana", "cuánto ha entrenado Luis", "what did Mike do".
	memberRE = regexp.MustCompile(`(?i:how\s+did|how\s+is|how's|hows|what\s+did|what\s+has|how\s+much\s+did|how\s+many\s+\w+\s+did|le\s+fue\s+a|le\s+va\s+a|ha\s+entrenado|ha\s+hecho|ha\s+sumado|lleva|va)\s+@?([A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)`)
)

// standingsNouns name the standings; checkWords, in a short message,
// ask to see them now.
var (
	standingsNouns = []string{"table", "board", "leaderboard", "standings", "scores", "numbers", "ranking", "rankings", "tabla",
		"lb", "positions", "posiciones", "leaderbord", "leadrboard", "leaderboad", "ladder",
		"clasificacion", "marcador", "numeros", "league", "liga", "podium", "podio"}
	checkWords = []string{"check", "update", "time", "refresh", "pls", "plz", "please", "porfa", "now", "ya", "again", "status", "check-in", "checkin"}
)

// Request is what a summary request asks about.
type Request struct {
	// Period is the week or the month asked about.
	Period Period
	// Member is the name of the member asked about ("how did Ana do?"),
	// "" for the whole group; Self is true when the sender asks about
	// themselves ("what did I log yesterday?").
	Member string
	Self   bool
	// Day, when set, is the one day asked about ("yesterday").
	Day Date
	// Memory is true when the request asks what was logged (the workouts
	// themselves) rather than the standings.
	Memory bool
}

// isSummary reports whether the message asks for the standings or for what
// someone logged. It is called on messages without amounts.
func (f features) isSummary() bool {
	if f.chart || f.asksBotToShow() || f.didNameLog {
		return true // "📊?", "can you show my runs from the last 7 days", "did Ana log anything this week"
	}
	if f.vocativeEnd && f.question || slices.ContainsFunc(strings.Fields(f.words), pastToYou) {
		return false // "how did the half marathon go Ana?": asked of Ana, not the bot
	}
	if f.has("stats say") || f.has("stats show") || f.has("statistics say") || f.has("las estadisticas dicen") {
		return false // "stats say 1 in 3 people don't exercise"
	}
	if f.nWords <= 3 && (slices.ContainsFunc(reportWords, f.has) || slices.ContainsFunc(tallyWords, f.has)) && slices.ContainsFunc(pleaseWords, f.has) {
		return true // "numbers please", "totals pls", "números porfa"
	}
	if f.nWords <= 4 && slices.ContainsFunc(standingsNouns, f.has) && slices.ContainsFunc(checkWords, f.has) ||
		f.nWords == 1 && slices.ContainsFunc(standingsNouns, f.has) {
		return true // "table check 👀", "board update?", "tabla ya", "tabla!! 👀"
	}
	if f.question && (f.period() || f.month) && slices.ContainsFunc(ownerWords[:3], f.has) && slices.ContainsFunc(recordWords, f.has) {
		return true // "what was my longest run this month?"
	}
	if slices.ContainsFunc(adviceWords, f.has) || slices.ContainsFunc(foodWords, f.has) || f.elsewhere() {
		return false // "how many minutes of cardio do you recommend?", "what's everyone eating post-workout?"
	}
	for _, s := range summaryAlone {
		if f.has(s) && !(s == "como vamos" && f.has("como vamos a")) && !(s == "como voy" && f.has("como voy a")) {
			return true
		}
	}
	if f.isMemory() || f.summaryShape() {
		return true
	}
	period := false
	for _, w := range periodWords {
		period = period || f.has(w)
	}
	if !f.question && !period {
		return false
	}
	if f.question && period && !f.secondPerson && !f.joining() && slices.ContainsFunc(howOpeners, func(o string) bool { return strings.HasPrefix(f.words, o) }) {
		return true // "how did the month go?", "¿cómo ha ido la semana?", "how's my week looking"
	}
	if f.question && period && !f.secondPerson && !f.joining() && slices.ContainsFunc(tallyNouns, f.has) {
		return true // "mins this week?", "¿minutos de la semana?"
	}
	if f.question && !f.secondPerson && f.acts == 0 && slices.ContainsFunc(howOpeners, func(o string) bool { return strings.HasPrefix(f.words, o) }) &&
		(f.has("i") || f.has("am i") || f.has("we")) && slices.ContainsFunc(progressingWords, f.has) && !f.has("going to") && !f.has("gonna") {
		return true // "how am I getting on?", "how are we faring this week"
	}
	if f.question && !f.secondPerson && slices.ContainsFunc(howOpeners, func(o string) bool { return strings.HasPrefix(f.words, o) }) &&
		slices.ContainsFunc(groupWords, f.has) && slices.ContainsFunc(goingWords, f.has) && !slices.ContainsFunc(aheadWords, f.has) {
		return true // "¿qué tal le va a todo el mundo?", "how's everyone getting on"
	}
	if f.question && f.howMuch && !f.secondPerson && !slices.ContainsFunc(adviceWords, f.has) && !f.has("dura") && !f.has("duran") && !f.has("last") &&
		!f.has("long") && !f.has("cuesta") && !f.has("cost") && !f.has("mide") && !slices.ContainsFunc(thingCopulas, f.has) {
		return true // "how many km did I run this month?", "¿cuántos km he corrido?"
	}
	if f.question && period && (f.has("who") || f.has("who's") || f.has("whos") || f.has("quien")) && !f.joining() {
		return true // "who's crushing it this week?", "¿quién lo está petando este mes?"
	}
	for _, s := range summaryAsked {
		if f.has(s) && !f.looseNum {
			return true // but not "pulso medio 165 en esa carrera, ¿es malo?"
		}
	}
	return false
}

// joining reports an invitation ("who's coming this week?").
func (f features) joining() bool {
	how := slices.ContainsFunc(howOpeners, func(o string) bool { return strings.HasPrefix(f.words, o) })
	for _, w := range []string{"coming", "come", "joining", "join", "in", "up", "free", "available", "going", "meeting", "meet", "viene", "vienes",
		"venis", "apunta", "apuntas", "libre", "puede", "va", "vamos", "quedamos", "quiere", "wants", "want", "anyone", "alguien"} {
		if how && (w == "going" || w == "va" || w == "vamos") {
			continue // "how's everyone's week going" asks how it goes
		}
		if f.has(w) {
			return true
		}
	}
	return false
}

// isMemory reports a question about what someone logged.
func (f features) isMemory() bool {
	if slices.ContainsFunc(memoryAlone, f.has) {
		return true // "did the bot get my two from Saturday", "¿se me contó el spinning del martes?"
	}
	for _, s := range memoryAsked {
		if f.has(s) {
			return f.question || f.has("log") || f.has("logged") || strings.HasPrefix(f.words, " remind") || strings.HasPrefix(f.words, " recuerdame") ||
				slices.ContainsFunc(showVerbs, f.has) || f.has("list") || f.has("lista") || f.has("bot") // "muéstrame lo que apunté desde el lunes"
		}
	}
	if f.question && (f.bot || slices.ContainsFunc(youLogged, f.has)) && slices.ContainsFunc(loggedWhat, f.has) {
		return true // "did the bot get my swim?", "¿registraste lo mío de ayer?"
	}
	if !f.question || !f.asksMember || f.secondPerson {
		return false // "40 easy? you never do easy Sam" speaks to Sam
	}
	for _, w := range memoryVerbs {
		if f.has(w) {
			return true
		}
	}
	return false
}

// memoryAlone ask whether the bot recorded something, question mark or
// not.
var memoryAlone = []string{"did the bot get", "did the bot count", "did the bot log", "did the bot save", "bot get my", "bot got my",
	"se me conto", "se me apunto", "se me registro", "me lo conto", "me lo apunto", "me conto el", "me conto la", "lo conto el bot",
	"in there", "on the board yet"}

// ParseRequest reads what a summary request asks about: the period, the
// member (by name, or the sender), and a day ("yesterday", "el lunes")
// for a question about what was logged. today is the day it was sent.
func ParseRequest(text string, today Date) Request {
	f := analyse(text, today)
	r := Request{Period: PeriodWeek, Memory: f.isMemory()}
	for _, w := range monthWords {
		if f.has(w) {
			r.Period = PeriodMonth
		}
	}
	r.Member = memberName(text)
	if r.Member == "" {
		for _, w := range []string{"i", "i'm", "im", "me", "my", "mi", "voy", "llevo", "registre", "apunte", "hice", "he", "tengo", "estoy", "am"} {
			if f.has(w) {
				r.Self = true
			}
		}
		if f.has("we") || f.has("vamos") || f.has("llevamos") || f.has("everyone") || f.has("group") || f.has("grupo") {
			r.Self = false
		}
	}
	p := newParser(text, today, false)
	for k := range p.toks {
		if d, _, ok := p.dateAt(k); ok && d.err == nil && !d.date.After(today) && p.word(k) != "today" && p.word(k) != "hoy" {
			r.Day = d.date
			break
		}
	}
	if r.Day.IsZero() && (f.has("today") || f.has("hoy")) && r.Memory {
		r.Day = today
	}
	return r
}

// RequestedPeriod says which period a summary request asks about: a month
// when it says "month"/"mes"/"mensual", a week otherwise.
func RequestedPeriod(text string) Period {
	return ParseRequest(text, DateOf(time.Now(), time.UTC)).Period
}

// asksAboutMember reports a message naming a member (see memberName).
func asksAboutMember(text string) bool { return memberName(text) != "" }

// capitalRE finds capitalised words.
var capitalRE = regexp.MustCompile(`@?\b[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\b`)

// memberName returns the name a request asks about: the word after "how
// did", "le fue a", "ha entrenado"..., or else a capitalised word that is
// not the first word and not vocabulary ("qué ha apuntado Laura?").
func memberName(text string) string {
	p := newParser("", Date{}, false)
	ok := func(name string) bool {
		w := fold(name)
		return !p.known(w) && !slices.Contains([]string{"everyone", "everybody", "todos", "el", "la", "the", "we", "you",
			"it", "primero", "ganando", "i", "i'm", "am", "is", "are", "who", "whos", "quien", "que", "como", "semana", "mes",
			"week", "month", "bot", "pls", "please", "porfa", "lol", "jaja", "ranking", "leaderboard"}, w)
	}
	if m := memberRE.FindStringSubmatch(text); m != nil && ok(m[1]) {
		return m[1]
	}
	for _, loc := range capitalRE.FindAllStringIndex(text, -1) {
		name := strings.TrimPrefix(text[loc[0]:loc[1]], "@")
		if strings.TrimSpace(text[:loc[0]]) == "" || strings.TrimSpace(strings.Trim(text[:loc[0]], "¿¡")) == "" {
			continue // the first word is capitalised anyway
		}
		if ok(name) {
			return name
		}
	}
	return ""
}

// adviceWords ask for advice, not for a tally: "¿cuántos km recomiendan
// para empezar?", "how many minutes of cardio do you recommend?".
var adviceWords = []string{"burn", "burns", "quema", "queman", "recommend", "recommended", "recommends", "suggest", "advise", "recomiendan", "recomiendas",
	"recomendais", "recomendarias", "recomendariais", "recomienda", "sugieren", "sugieres", "aconsejan", "aconsejas",
	"beginner", "beginners", "principiante", "principiantes", "what's a good", "whats a good", "a good weekly", "un buen", "una buena", "para empezar", "to start with", "tips", "consejo", "consejos", "ideal",
	"between sets", "entre series", "rest between", "descanso entre"}

// youLogged ask the bot whether it logged something; loggedWhat is the
// sender's workout asked about.
var (
	youLogged  = []string{"apuntaste", "registraste", "guardaste", "anotaste", "pillaste", "contaste", "sumaste", "did you", "have you", "has it", "did it"}
	loggedWhat = []string{"my", "mi", "mis", "mine", "lo mio", "la mia", "me"}
)

// goalPhrases ask how far the sender or the group is from a target.
var goalPhrases = []string{"did i hit", "have i hit", "did i reach", "have i reached", "did i make it to", "did i get to", "am i over",
	"he llegado a", "llegue a", "he pasado de", "how close", "how far off", "how far am i", "how far are we", "how far from", "am i close", "are we close",
	"cuanto me falta", "cuanto nos falta", "cuanto me queda", "cuanto nos queda", "how many more", "how much more", "estoy cerca",
	"estamos cerca", "que tan cerca", "lejos estoy"}

// towardsGoal reports a question about how far one is from a target
// ("how close am I to 1000 mins this month?", "¿cuánto me falta para las
// 20 horas este mes?"): a summary request though it names an amount.
func (f features) towardsGoal() bool {
	return slices.ContainsFunc(goalPhrases, f.has) && (f.period() || f.month || f.has("goal") || f.has("target") || f.has("meta") || f.has("objetivo")) &&
		!f.secondPerson
}

// progressingWords ask how someone is progressing: "how am I getting on?".
var progressingWords = []string{"getting on", "faring", "shaping up", "doing", "going", "looking", "holding up", "tracking"}

// pleaseWords make a request of a short message.
var pleaseWords = []string{"please", "pls", "plz", "plis", "porfa", "por favor", "porfi"}

// recordWords ask for one's best or longest in a period.
var recordWords = []string{"longest", "fastest", "best", "biggest", "furthest", "farthest", "shortest", "slowest",
	"mas largo", "mas larga", "mas rapido", "mas rapida", "mejor", "mas lejos"}

// aheadWords ask about plans, not standings: "what's everyone doing this
// weekend?".
var aheadWords = []string{"weekend", "finde", "tomorrow", "tonight", "later", "manana", "esta noche", "luego", "plans", "planes"}

// botOpeners may come before a request to the bot: its name, a greeting,
// a polite "can you".
var botOpeners = []string{"bot", "hey", "hi", "ok", "okay", "can", "could", "would", "you", "u", "please", "pls", "plz", "porfa",
	"puedes", "podrias", "me", "hola", "oye"}

// askVerbs ask the bot to show or recall what was logged.
var askVerbs = []string{"show me", "show my", "show us", "list my", "list me", "remind me what", "remind me how", "remind me when",
	"pull up my", "bring up my", "ensename", "muestrame", "mostrame", "recuerdame que", "recuerdame lo", "recuerdame cuanto",
	"recuerdame cuando", "sacame mis", "pasame mis"}

// asksBotToShow reports a request that opens, past a greeting or a polite
// "can you", with a verb asking to be shown or reminded of something, and
// names no amount: "bot remind me what my long run was on sunday", "can
// you show my runs from the last 7 days". (A verb further in, "the video
// can you show me", is another matter.)
func (f features) asksBotToShow() bool {
	if f.amounts > 0 || f.sets > 0 {
		return false
	}
	ws := strings.Fields(f.words)
	i := 0
	for i < len(ws) && i < 4 && slices.Contains(botOpeners, ws[i]) {
		i++
	}
	rest := " " + strings.Join(ws[i:], " ") + " "
	for _, v := range askVerbs {
		if strings.HasPrefix(rest, " "+v+" ") {
			return !strings.Contains(rest, " pic") && !strings.Contains(rest, " photo") && !strings.Contains(rest, " video") &&
				!strings.Contains(rest, " foto") && !strings.Contains(rest, " how to ") && !strings.Contains(rest, " como se ")
		}
	}
	return false
}

// foodWords make a question about food, not about the standings.
var foodWords = []string{"eat", "eating", "ate", "food", "protein", "shake", "shakes", "breakfast", "lunch", "dinner", "snack",
	"comer", "comiendo", "comida", "desayuno", "cena", "proteina", "batido", "batidos", "macros", "calories in"}

// otherBoards are standings kept somewhere else: an app's segment, a
// fantasy league, a match being played.
var otherBoards = []string{"strava", "garmin", "zwift", "segment", "kom", "qom", "fantasy", "match", "game", "partido", "final",
	"derby", "league table", "la liga", "premier", "congrats", "congratulations", "felicidades", "enhorabuena", "well done",
	"does the bot count", "will the bot count", "el bot cuenta", "is there a way", "how do i", "how do you", "como se", "como puedo",
	"pizzas", "pizza", "tortillas", "burgers", "songs", "canciones", "movies", "films", "pelis", "bars", "bares", "restaurants"}

// elsewhere reports a message about standings that are not the group's
// ("Strava leaderboard says I'm 3rd", "who's winning the match?",
// "top 3 pizzas in town"), praise for the leader, or a question about how
// the bot works ("does the bot count walks?").
func (f features) elsewhere() bool {
	return slices.ContainsFunc(otherBoards, f.has)
}

// vocativeEndRE finds a name closing a question, said to that member:
// "how did the half marathon go Ana?".
var vocativeEndRE = regexp.MustCompile(`(?:\b(?:go|do|doing|going|went|been|feel|feeling|fue|va|fuiste|estas)|[?,])\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\s*[?!.]*\s*$`)

// didNameLogRE asks whether a member logged anything: "did Ana log
// anything this week", "has Tom posted".
var didNameLogRE = regexp.MustCompile(`(?i:\bdid|\bhas)\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\s+(?i:log|logged|post|posted|train|trained|do anything|done anything)\b`)

// pastToYou reports a Spanish verb in the second person past, asked of a
// member: "¿cuánto tardaste?", "Pablo cuántos minutos hiciste hoy?".
func pastToYou(w string) bool {
	return len(w) > 5 && (strings.HasSuffix(w, "aste") || strings.HasSuffix(w, "iste")) &&
		!slices.Contains([]string{"contraste", "desgaste", "existe", "triste", "chiste", "resiste", "insiste", "consiste", "viste"}, w) &&
		!slices.ContainsFunc([]string{"registr", "apunt", "cont", "guard", "anot", "pusiste", "sumaste"}, func(s string) bool { return strings.HasPrefix(w, s) }) // "¿registraste lo mío?" asks the bot
}
