package gym

import "regexp"

// The signals below say who did what is described, whether it was done,
// and when. An activity with an amount is not proof of a workout: "mi
// hermano hizo 2 horas de bici" (someone else), "watched 90 mins of
// football" (not done), "esta tarde intento ir al gym una hora" (not yet).
// Words are folded (lowercase, no accents).
var (
	// firstPersonWords put the sender in the story.
	firstPersonWords = []string{
		"i", "i've", "ive", "i'm", "im", "we", "we've", "myself", "us", "our",
		"yo", "nosotros", "nosotras", "hice", "volvi", "regrese", "hize", "hicimos", "fui", "fuimos", "corri", "corrimos", "nade", "nadamos",
		"entrene", "entrenamos", "camine", "caminamos", "termine", "acabe", "sali", "salimos", "meti", "reme", "escale",
		"pedalee", "jugue", "jugamos", "hemos", "llevo", "estuve", "estuvimos", "di", "dimos", "nos",
	}
	// pastDone say the sender did it (stronger than a plan word).
	doneWords = []string{"done", "finished", "completed", "hecho", "hecha", "hechos", "hechas", "listo", "lista", "terminado", "terminada", "termine", "acabe", "acabado", "crushed", "smashed", "nailed"}
	// kinWords name someone else after "my"/"mi" ("my brother", "mi novia").
	kinWords = []string{
		"brother", "sister", "wife", "husband", "gf", "bf", "girlfriend", "boyfriend", "dad", "mom", "mum", "father",
		"mother", "son", "daughter", "kid", "kids", "coach", "trainer", "friend", "neighbour", "neighbor", "boss",
		"partner", "coworker", "workmate", "teammate", "housemate", "classmate", "cousin", "uncle", "aunt", "grandma", "grandpa", "roommate", "colleague", "kids", "children", "ninos", "ninas", "peques", "crios", "hijos", "flatmate",
		"hermano", "hermana", "mujer", "marido", "novia", "novio", "padre", "madre", "papa", "mama", "hijo", "hija", "vieja", "viejo", "viejos",
		"amigo", "amiga", "entrenador", "entrenadora", "jefe", "jefa", "pareja", "primo", "prima", "vecino", "vecina",
		"tio", "tia", "abuelo", "abuela", "companero", "companera", "suegro", "suegra", "cunado", "cunada", "profe",
		"lads", "boys", "girls", "squad", "manager", "mates", "bestie", "crush", "aunty", "auntie", "nan", "nana", "gran", "granny", "neighbours", "neighbors", "chicos", "chicas", "chavales", "colegas",
		"physio", "fisio", "doctor", "doc", "medico", "medica", "nutritionist", "nutricionista", "pt", "instructor", "instructora", "monitor", "monitora",
	}
	// thirdPersonWords are pronouns and verb forms about someone else.
	thirdPersonWords = []string{
		"she", "they", "he's", "she's", "they're", "his", "her", "their", "him", "them",
		"hizo", "corrio", "nado", "jugo", "salio", "subio", "hace", "corre",
		"hicieron", "corrieron", "nadaron", "ella", "ellos", "ellas", "does", "lleva", "winner", "ganador", "ganadora", "gano",
	}
	// secondPersonWords address someone: a reaction to their workout.
	secondPersonWords = []string{
		"you", "you're", "youre", "your", "ur", "u", "you've", "yall", "y'all",
		"tu", "estas", "eres", "te", "hiciste", "corriste", "nadaste", "vosotros", "ustedes", "tus",
		"llevas", "tienes", "haces", "corres", "nadas", "entrenas", "tardaste", "fuiste", "apuntaste", "contigo", "ti",
	}
	// praiseWords react to someone else's feat.
	praiseWords = []string{
		"beast", "machine", "unit", "hero", "goat", "champ", "champion", "star", "superstar", "inspiration", "inspiring", "idola", "insane", "crazy", "legend", "animal", "respect", "impressive", "monster", "savage",
		"maquina", "bestia", "crack", "loco", "loca", "fiera", "monstruo", "fatal", "envidia", "idolo", "tremendo", "tremenda",
	}
	// interjections open a reaction.
	interjections = []string{"what", "lol", "lmao", "haha", "hahaha", "jaja", "jajaja", "jajajaja", "wow", "damn", "omg", "dang", "wtf", "vaya", "ostras", "hala", "uff", "buah", "guau", "que"}
	// watchWords: sport watched, not played.
	watchWords = []string{"watched", "highlights", "miraba", "mirando", "mire", "mirar", "watching", "vi", "viendo", "visto", "ver", "tele", "tv", "documentary", "documental", "stream", "streaming", "episode", "episodio", "movie", "pelicula", "serie"}
	// screenShows are watched while training ("45 min elliptical, watched
	// netflix", "rodillo 1h viendo una serie"): the watching is not the
	// activity.
	screenShows = []string{"netflix", "serie", "series", "show", "shows", "podcast", "podcasts", "youtube", "peli", "pelis", "pelicula", "movie", "movies", "episode", "episodes", "episodio", "episodios", "hbo", "anime"}
	// intentWords: wanted, tried or planned, not (yet) done.
	intentWords = []string{
		"gonna", "will", "i'll", "ill", "planning", "plan", "wanna", "want", "wants", "wanted", "quiere", "trying", "thinking", "might",
		"maybe", "hopefully", "would", "i'd", "should", "could", "let's", "lets", "tomorrow", "tmrw", "next",
		"quiero", "queria", "quise", "intento", "intentare", "intentar", "pienso", "pensaba", "igual", "ojala", "quizas",
		"quizá", "quiza", "hare", "haremos", "haria", "podria", "deberia", "toca", "vamos", "voy", "vas", "va", "iba",
		"proxima", "proximo", "hago", "empiezo", "salgo", "apunta", "apuntas", "viene", "vienes", "anyone", "alguien",
		"who's", "whos", "in?", "bring", "llevad", "traed", "join", "quien",
		"encantaria", "gustaria", "iria", "preferiria", "tendria", "querria", "saldria", "correria", "nadaria", "entrenaria",
		"love to", "aiming", "aim", "goal", "goals", "target", "objetivo", "meta", "reto", "challenge", "hoping", "hope", "espero",
	}
	// copulaWords state a fact about a thing ("the pool is 25m long").
	copulaWords = []string{
		"is", "are", "was", "were", "it's", "its", "opens", "starts", "costs", "takes", "lasts", "went", "has",
		"es", "son", "era", "eran", "estaba", "mide", "dura", "cuesta", "abre", "empieza", "tiene", "hay", "fue",
	}
	// scheduleVerbs give a class's or a place's schedule.
	scheduleVerbs = []string{"sale", "salen", "starts", "opens", "closes", "empieza", "abre", "cierra", "amanece", "sunrise", "sunset"}
	// factVerbs state a thing's length, price or schedule.
	factVerbs = []string{"dura", "duran", "tardo", "tardaron", "tarda", "tardan", "lasts", "mide", "sounds", "seems", "looks", "suena", "parece", "pinta", "membership", "cuota",
		"price", "precio", "euros", "euro", "dollars", "bucks", "pounds", "booked", "reservada", "reservado", "reserved", "miden", "costs", "cuesta",
		"cuestan", "moved", "pasa", "opens", "closes", "abre", "cierra", "empieza", "starts"}
	// otherDurations are durations of something else ("running late, 10
	// min", "waited 15 min", "slept 9 hours").
	otherDurations = []string{
		"late", "behind", "waited", "waiting", "wait", "queue", "slept", "sleep", "sleeping", "drive", "drove",
		"commute", "traffic", "retraso", "espere", "esperando", "esperar", "cola", "dormi", "dormir",
		"atasco", "coche", "bus", "metro", "tren", "faltan", "quedan", "until", "left", "till",
		"meeting", "meetings", "reunion", "away", "outage", "offline", "crashed", "caido", "caida", "trayecto", "viaje", "llamada", "shift", "turno", "looking", "searching", "buscando", "buscar",
	}
	// negWords say something was not done.
	negWords = []string{"no", "not", "zero", "cero", "didn't", "didnt", "haven't", "havent", "hasn't", "hasnt", "hadn't", "hadnt", "don't", "dont", "couldn't", "couldnt", "can't", "cant", "cannot", "wasn't", "wasnt", "skipped", "skip", "missed", "nunca", "tampoco", "never", "won't", "wont", "ni", "sin", "nada", "nothing", "cancelled", "canceled", "cancelaron"}
	// commandVerbs tell the bot to log.
	commandVerbs = []string{"log", "add", "record", "apunta", "apuntame", "anota", "anotame", "registra", "registrame", "suma", "sumame", "add:", "log:"}
	// cancelWords call a session off.
	cancelWords = []string{"cancelled", "canceled", "cancelled", "cancelaron", "cancelada", "cancelado", "suspendida",
		"suspendido", "suspended", "postponed", "aplazada", "aplazado", "called"}
	// scoreNouns count goals and points, not minutes.
	scoreNouns = []string{"goals", "goal", "goles", "gol", "points", "puntos", "baskets", "canastas", "tries", "ensayos", "aces", "wins", "victorias", "games", "juegos",
		"degrees", "grados", "kg", "kgs", "kilos", "lbs", "lb", "libras", "bpm", "ppm", "pulsaciones", "beats", "percent", "%", "watts", "vatios"}
	futureMonthRE = regexp.MustCompile(`(?i)\b(in|en|for|para|this|este|next)\s+(january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b`)
	linkRE        = regexp.MustCompile(`(?i)(https?://|www\.)\S+|\b[a-z0-9-]+\.(com|co|org|net|ly|be|io|es|uk|app|tv)/\S*`) // "youtube.com/watch?v=...", "bit.ly/abc"
	moneyRE       = regexp.MustCompile(`(?i)(\d\s*(€|\$|£|euros?|eur|dollars?|bucks|pounds|pavos|quid|pesos|lucas)\b|[€$£]\s*\d)`)
	// meetRE is a time of day to meet ("at 8", "a las 9", "7am", "19:30").
	meetRE = regexp.MustCompile(`(?i)(\b(at|a las|@|around|sobre las|salida a las|salimos a las)\s*\d{1,2}([:.h]\d\d)?\b|\b\d{1,2}(:\d\d)?\s*(am|pm)\b|\b(a las|at)\s+\d{1,2}:\d\d\b)`)
	// nameRE is a capitalised name opening the message and followed by a
	// verb: "Sara did 2 hours", "Marta hizo 1h".
	// nameVerbRE is a capitalised name followed by a verb of someone else
	// anywhere: "love how Ana does 2h of yoga", "Pete and Sam went climbing".
	nameVerbRE = regexp.MustCompile(`\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\s+(?:(?:and|y|&)\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s+)?(?:just\s+|ya\s+)?(does|did|ran|runs|went|goes|swam|swims|rode|rides|cycled|hiked|lifted|trained|played|hace|hizo|hicieron|fue|fueron|va|corre|corri[oó]|corrieron|nad[oó]|nada|entren[oó]|sali[oó]|salieron|jug[oó]|jugaron)\b`)
	// leadNameRE is a capitalised word opening the message.
	leadNameRE = regexp.MustCompile(`^\s*@?([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)\b`)
	// companionRE finds who trained with the sender: a name, or the group
	// ("with the lads", "con las chicas").
	companionRE = regexp.MustCompile(`(?:\bwith|\bcon|\bw/)\s+(?:the\s+(?:club\s+)?|las\s+|los\s+|my\s+|mis\s+)?([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+|lads|girls|ladies|guys|boys|team|crew|gang|chicas|chicos|amigas|amigos|colegas|equipo)\b`)
	nameRE      = regexp.MustCompile(`^\s*(?:@)?([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)(?:\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)?(?:'s\b|’s\b|\s+(?:just\s+|ya\s+|también\s+|tambien\s+)?(did|ran|swam|went|hit|crushed|smashed|cycled|rode|walked|hiked|has|had|is|was|trained|lifted|said|says|hizo|corrió|corrio|nadó|nado|fue|ha|hace|lleva|está|esta|se|entrenó|entreno|dice|dijo)\b)`)
)

// crewWords name a group the sender trained with.
var crewWords = []string{"lads", "girls", "ladies", "guys", "boys", "team", "crew", "gang", "chicas", "chicos", "amigas", "amigos", "colegas", "equipo"}
