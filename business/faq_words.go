package business

import "strings"

// stopWord reports whether w (folded) carries no topic in English or
// Spanish: articles, pronouns, auxiliaries, question words, greetings.
func stopWord(w string) bool {
	return strings.Contains(stopWords, " "+w+" ")
}

// stopWords is one space-separated string so lookups need no map.
const stopWords = " " +
	// English
	"a an the is are am be been was were do does did done you your yours u ur we our us i im me my mine it its " +
	"of to in on at for with and or but what whats when which who whom how can could would will should shall may might " +
	"there here this that these those have has had any some please pls hi hello hey thanks thank about from by as if " +
	"so just tell know let get got want like need one also there re ve ll d s t " +
	// Spanish
	"el la los las lo un una unos unas de del al en y e o u que cual cuales cuando como es son esta estan estais " +
	"ser soy eres somos hay tienen tiene teneis tengo vosotros vosotras ustedes usted su sus mi mis me te se le les nos os " +
	"para por con sin hola gracias buenas buenos dias tardes noches favor puedo puede pueden podeis podria quiero queria " +
	"vuestro vuestra vuestros vuestras nuestro nuestra nuestros nuestras saber decir algo alguna alguno tambien muy mas ya si sobre este ese eso esto "

// concept maps a stem (see stem) to the one term its synonyms share within
// a language, so that paraphrases meet. It never maps across languages: a
// Spanish question gets a Spanish answer or none.
func concept(t string) (string, bool) {
	switch t {
	// English
	case "open", "opening", "opens":
		return "open", true
	case "hour", "hours", "schedule", "schedul", "timetable", "timetabl":
		return "hour", true
	case "clos", "close", "closes", "closed", "closing":
		return "close", true
	case "price", "prices", "pric", "cost", "costs", "fee", "fees", "rate", "rates", "much", "charge":
		return "price", true
	case "where", "located", "location", "address":
		return "address", true
	case "park", "parking":
		return "park", true
	// Spanish
	case "horario", "horarios", "hora", "horas":
		return "horario", true
	case "abre", "abren", "abris", "abierto", "abiertos", "abrir", "apertura":
		return "abrir", true
	case "cierra", "cierran", "cerrado", "cerrados", "cerrar", "cierre":
		return "cerrar", true
	case "precio", "precios", "cuesta", "cuestan", "coste", "costo", "tarifa", "tarifas", "cuanto", "vale":
		return "precio", true
	case "donde", "direccion", "ubicacion", "ubicado", "ubicados":
		return "direccion", true
	case "aparcar", "aparcamiento", "estacionamiento", "aparco":
		return "aparcar", true
	}
	return "", false
}
