package gym

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Correction is a member undoing or correcting their last logged workout:
// "undo", "borra el último", "that was 40 not 45", "era pádel, no tenis".
type Correction struct {
	// Undo removes the workout.
	Undo bool
	// Minutes, when not 0, is the right duration.
	Minutes int
	// Activity, when set, is the right activity (canonical).
	Activity string
	// DistanceKm, when not 0, is the right distance in kilometres ("make
	// that 10k not 8").
	DistanceKm float64
	// Date, when set, is the right day.
	Date Date
	// Was holds what the member said was wrong, when they said it (0 or
	// ""): a correction only applies to a workout that matches it.
	WasMinutes    int
	WasActivity   string
	WasDistanceKm float64
}

// String describes the correction, for logs and tests.
func (c Correction) String() string {
	if c.Undo {
		return "undo"
	}
	s := "correct"
	if c.Activity != "" {
		s += " activity=" + c.Activity
	}
	if c.Minutes > 0 {
		s += fmt.Sprintf(" minutes=%d", c.Minutes)
	}
	if c.DistanceKm > 0 {
		s += " km=" + strconv.FormatFloat(c.DistanceKm, 'f', -1, 64)
	}
	if !c.Date.IsZero() {
		s += " date=" + c.Date.String()
	}
	return s
}

// Words of undo and correction, folded.
var (
	undoVerbs = []string{"undo", "forget", "olvida", "olvidalo", "ignore", "ignora", "ignoralo", "delete", "remove", "erase", "scratch", "scrap", "ditch", "cancel", "borra", "borrar", "borralo", "borrala", "bórralo", "deshacer", "deshaz", "deshazlo", "elimina", "eliminar", "eliminalo", "quita", "quitalo", "quitar", "anula", "anular", "anulalo", "cancela", "cancelar", "cancelalo", "cancelala", "retira", "retiralo"}
	// notLogs are things a member may ask to delete that are no log.
	notLogs     = []string{"photo", "pic", "picture", "video", "message", "msg", "comment", "foto", "mensaje", "comentario", "audio", "sticker", "group", "grupo", "app"}
	undoObjects = []string{"that", "it", "last", "last one", "this", "eso", "esto", "ultimo", "ultima", "lo", "entreno", "workout", "one", "mine", "log", "entry", "registro"}
	// correctionOpeners introduce the right value.
	correctionOpeners = []string{"nvm", "nevermind", "edit", "bad", "was", "were", "it's", "its", "typo", "errata", "correction", "corregir", "corrige", "correccion", "actually", "sorry", "oops", "wrong", "meant", "era", "eran", "fue", "fueron", "perdon", "perdona", "error", "equivoque", "equivocado", "equivocada", "fix", "corrijo", "rectifico"}
	// correctionLeads may come before the opener ("no, it was...").
	correctionLeads = []string{"bot", "hold", "hang", "on", "my", "bad", "that", "it", "no", "nope", "nah", "oh", "ah", "ups", "lol", "jaja", "ay", "pues", "so", "sorry", "oops", "perdon", "vale", "ok", "wait", "espera", "hmm", "um", "eh", "err", "uy", "me", "day", "dia", "eso", "esa", "ese", "esto", "one"}
	// correctionMarkers say the message corrects something.
	correctionMarkers = []string{"edit", "correction", "corregir", "corrige", "correccion", "actually", "sorry", "oops", "wrong", "meant", "perdon", "perdona", "error", "equivoque", "equivocado", "equivocada", "realidad", "fix", "corrijo", "rectifico"}
)

// ParseCorrection reads an undo or a correction of the sender's last
// workout, written on the day today. ok is false for any other message:
// one that logs a new workout with its own activity and duration, or that
// is longer than a short correction.
func ParseCorrection(text string, today Date) (Correction, bool) {
	p := newParser(text, today, false)
	if c, ok := parseCorrection(text, today); ok {
		return c, true
	}
	// "oops that swim was 40 not 30, can't count lengths": an excuse
	// after the correction; the head must set a value against a wrong one
	// or say it corrects, and the excuse must hold no amount
	for _, b := range slices.Backward(p.clauseBounds()) {
		if b[0] == 0 || p.amountIn(b[0], len(p.toks)) {
			continue
		}
		head := p.textBefore(b[0])
		c, ok := parseCorrection(head, today)
		hp := newParser(head, today, false)
		if ok && (c.WasMinutes > 0 || c.WasDistanceKm > 0 || c.WasActivity != "" || c.Undo || hp.phrase("not", "no", "actually", "sorry",
			"oops", "edit", "my bad", "perdon", "en realidad", "it was", "era", "eran", "fue", "fueron")) {
			return c, true
		}
	}
	return Correction{}, false
}

// parseCorrection is ParseCorrection on the whole of text.
func parseCorrection(text string, today Date) (Correction, bool) {
	p := newParser(text, today, false)
	if slices.ContainsFunc(p.words(), func(w string) bool {
		return slices.Contains(otherDurations, w) && !slices.Contains([]string{"wait", "waiting", "left", "until", "till", "looking", "late"}, w) || sleeping(w)
	}) {
		return Correction{}, false // "the drive was 40 min not 20": a shift, a drive, a wait
	}
	ws := p.words()
	if len(ws) == 0 || len(ws) > 12 || linkRE.MatchString(text) ||
		slices.ContainsFunc(ws, func(w string) bool { return slices.Contains([]string{"late", "tarde", "behind", "retraso", "away"}, w) }) {
		return Correction{}, false
	}
	if p.phrase("can't", "cant", "cannot", "couldn't", "won't", "no puedo", "no podre", "no llego", "no voy") {
		return Correction{}, false // "sorry, can't do 6am spin": an apology, not a correction
	}
	if p.phrase("my best", "mi mejor", "not my best", "no fue mi mejor") {
		return Correction{}, false // "no fue mi mejor día pero 10 km en 58 min": how it went
	}
	if p.phrase("was going to", "was gonna", "were going to", "were gonna", "was about to", "was planning", "iba a", "ibamos a",
		"was meant to", "was supposed to", "were meant to", "were supposed to", "tenia que", "teniamos que", "se suponia") {
		return Correction{}, false // "was going to run 10k but it's pouring": a plan given up
	}
	if len(ws) > 1 && slices.Contains([]string{"the", "el", "la", "los", "las", "this", "esta", "este"}, ws[0]) &&
		!slices.ContainsFunc(ws, func(w string) bool {
			return slices.Contains([]string{"last", "ultimo", "ultima", "one", "entry", "log"}, w)
		}) && !(p.isActivityWord(ws[1]) || slices.Contains(sessionTerms, ws[1])) {
		return Correction{}, false // "la ruta de 5 km del río son 5,3 en realidad": about a thing
	}
	has := func(set ...string) bool {
		return slices.ContainsFunc(ws, func(w string) bool { return slices.Contains(set, w) })
	}
	// undo: "undo", "scratch that", "borra el último", "bórralo"
	doublePosted := p.phrase("double posted", "double post", "posted twice", "logged twice", "duplicado", "lo puse dos veces", "repetido")
	for i, w := range ws {
		if !slices.Contains(undoVerbs, w) && !(w == "take" && slices.Contains(ws[i+1:], "off")) {
			continue
		}
		rest := ws[i+1:]
		if len(rest) > 0 && slices.Contains([]string{"your", "tu", "tus", "his", "her", "su"}, rest[0]) ||
			slices.ContainsFunc(rest, func(x string) bool { return slices.Contains(notLogs, x) }) {
			continue // "undo your whole personality", "delete that photo Sam": not a log
		}
		switch {
		case doublePosted || len(rest) >= 1 && slices.Contains([]string{"pls", "please", "plz", "porfa", "xfa"}, rest[0]) && (len(rest) == 1 || p.punct(p.indexAfterWord(i+1), ",")):
			return Correction{Undo: true}, true // "delete pls, double posted", "borra porfa"
		case w == "undo" || w == "deshacer" || w == "deshaz" || strings.HasSuffix(w, "lo") || strings.HasSuffix(w, "la") && w != "cancela":
			// "undo", "bórralo", "quítalo", "cancélalo": the verb with its object
			return Correction{Undo: true}, true
		case slices.ContainsFunc(rest, func(x string) bool { return slices.Contains(undoObjects, x) }):
			return Correction{Undo: true}, true
		}
	}
	if p.phrase("scratch that", "ignore that", "ignora eso", "olvida eso") {
		return Correction{Undo: true}, true
	}
	if p.phrase("logging it here", "log it here", "logging here", "posting it here", "lo apunto aqui", "lo pongo aqui", "lo apunto aca",
		"lo pongo aca", "lo dejo aqui", "wrong chat", "wrong group", "wrong app", "de app", "de grupo", "de chat") {
		return Correction{}, false // "me equivoqué de app pero lo apunto aquí: pilates 50 min": a log sent to the right place
	}
	// a correction opens with what it corrects, in its first words
	opened := p.changeLast() || p.phrase("i meant") && !p.phrase("meant to") && has("not", "no", "instead") || p.phrase("quise poner", "queria poner", "should say", "should have said", "meant to say", "meant to put", "deberia decir", "quise decir", "queria decir", "ponle", "pon que", "cambialo a", "cambiala a", "change it to", "change that to", "set it to", "update it to", "make that", "should be", "deberian ser", "deberia ser", "en realidad", "was actually", "it was actually", "actually it was", "actually was")
	for k := range p.toks {
		if _, ok := p.num(k + 2); ok && p.word(k) == "make" && p.word(k+1) == "it" {
			opened = true // "make it 50 min" (not "didn't make it to the gym")
		}
	}
	contrast := p.contrastPair()
	actWords := map[string]bool{}
	for _, x := range p.figWords() {
		if x.act {
			actWords[x.w] = true
		}
	}
	waitNo := len(ws) > 2 && (ws[0] == "wait" && ws[1] == "no" || ws[0] == "no" && ws[1] == "wait" || ws[0] == "espera" && ws[1] == "no" ||
		(ws[0] == "uy" || ws[0] == "ay" || ws[0] == "ups") && ws[1] == "no" && len(ws) <= 5)
	if p.isNum(0) && p.punct(1, "*") {
		opened = true // "45* not 4": a chat's asterisk marks the fix
	}
	if waitNo {
		opened = true // "wait no the swim was 30, I'm thinking of last week"
	}
	for _, w := range ws[:min(6, len(ws))] {
		if slices.Contains(correctionOpeners, w) {
			opened = true
			break
		}
		if !slices.Contains(correctionLeads, w) && !(contrast && (actWords[w] || slices.Contains(sessionTerms, w) || slices.Contains(sessionNouns, w))) {
			break // "the class was 45 min" is about the class; "my ride was 70 km not 60" sets it right
		}
	}
	if _, ok := p.num(1); !opened && len(ws) <= 6 && (p.word(0) == "not" || p.word(0) == "no") && ok {
		for k := 2; k < min(len(p.toks), 8); k++ {
			if _, ok := p.num(k); ok {
				opened = true // "not 45, 40", "no 45, 40", "not 5k, it was 8k"
			}
		}
	}
	if !opened && len(ws) <= 4 {
		// "45 not 54", "40 no 45": a number set right against a wrong one
		for k := 0; k+2 < len(p.toks); k++ {
			_, a := p.num(k)
			_, b := p.num(k + 2)
			if a && b && (p.word(k+1) == "not" || p.word(k+1) == "no") {
				opened = true
			}
		}
	}
	if !opened || p.punct(len(p.toks)-1, "?") {
		return Correction{}, false
	}
	if len(ws) > 5 && !has(correctionMarkers...) && !has("not", "no", "instead", "wasn't", "wasnt", "nope") &&
		!p.changeLast() && !p.phrase("make that", "should be", "deberia ser", "deberian ser", "en realidad", "actually", "ponle", "cambialo a", "change it to", "make it") {
		return Correction{}, false // "it's 2h to the mountain, leaving at 7": only "it's" opens it, and it says more
	}
	c := p.correctionAmounts()
	// activities: "era pádel, no tenis", "no era correr, era nadar",
	// "it was swimming not running"
	var acts []actHit
	for k := 0; k < len(p.toks); {
		if name, next, ok := p.ix.match(p.toks, k); ok {
			if isGeneric(name) && p.changeLast() {
				k = next
				continue // "change my last workout to 45 min": the workout changed, not its new sport
			}
			acts = append(acts, actHit{name: name, pos: k, end: next})
			k = next
			continue
		}
		k++
	}
	negBefore := func(pos int) bool {
		for k := pos - 1; k >= 0 && k >= pos-3; k-- {
			if w := p.word(k); w == "not" || w == "no" || w == "wasn't" || w == "wasnt" || w == "nada" || w == "ni" || w == "sin" || w == "nothing" || w == "zero" {
				return true
			}
			if p.punct(k, ",") || p.punct(k, ".") {
				return false
			}
		}
		return false
	}
	switch len(acts) {
	case 1:
		if negBefore(acts[0].pos) && !(waitNo && acts[0].pos <= 4) { // the "no" of "wait no" opens, it negates nothing
			return Correction{}, false // "not running": what is right is not said
		}
		if a := acts[0]; slices.Contains([]string{"the", "my", "that", "el", "la", "mi"}, p.word(a.pos-1)) &&
			slices.Contains([]string{"was", "were", "fue", "era", "is"}, p.word(a.end)) && (c.Minutes > 0 || c.DistanceKm > 0) {
			break // "the swim was 30": which log, not a new sport
		}
		c.Activity = acts[0].name
	case 2:
		first, second := acts[0], acts[1]
		switch {
		case negBefore(second.pos) && !negBefore(first.pos):
			c.Activity, c.WasActivity = first.name, second.name
		case negBefore(first.pos) && !negBefore(second.pos):
			c.Activity, c.WasActivity = second.name, first.name
		case p.word(0) == "no" && first.pos <= 3 && negBefore(second.pos):
			c.Activity, c.WasActivity = first.name, second.name // "no, era natación no running": the first "no" answers, it negates nothing
		default:
			return Correction{}, false
		}
	case 0:
	default:
		return Correction{}, false
	}
	if c.Activity != "" && (c.Minutes > 0 || c.DistanceKm > 0) && c.WasActivity == "" && c.WasMinutes == 0 && c.WasDistanceKm == 0 &&
		!has(correctionMarkers...) && !waitNo {
		return Correction{}, false // "fueron 45 min de bici", "fueron 10 km de bici": a new log
	}
	// the day: "it was yesterday not today", "fue ayer, no hoy"; said
	// without a wrong day ("fue ayer") it needs a marker ("sorry, it was
	// yesterday"), or it is small talk
	var right Date
	wrongDay := false
	for k := 0; k < len(p.toks); k++ {
		d, next, ok := p.dateAt(k)
		if !ok || d.err != nil {
			continue
		}
		if negBefore(k) {
			wrongDay = true
		} else if right.IsZero() && !d.date.After(p.ref) {
			right = d.date
		}
		k = next - 1
	}
	if !right.IsZero() && (wrongDay || has(correctionMarkers...) || waitNo) {
		c.Date = right
	}
	if c.Minutes > MaxMinutes {
		return Correction{}, false // "it was 13 hrs actually": a shift, no session
	}
	if c.Minutes == 0 && c.DistanceKm == 0 && c.Activity == "" && c.Date.IsZero() {
		return Correction{}, false
	}
	return c, true
}

// changeLast reports a request to change the last log: "can you change
// that last one to cycling", "change my last workout to 45 min",
// "cámbialo a natación".
func (p *parser) changeLast() bool {
	ws := p.words()
	for i, w := range ws {
		if !slices.Contains([]string{"change", "cambia", "cambiame", "switch", "update", "edit", "fix"}, w) {
			continue
		}
		rest := ws[i+1:]
		last := slices.ContainsFunc(rest, func(x string) bool {
			return slices.Contains([]string{"last", "ultimo", "ultima", "that", "it", "eso", "lo"}, x)
		})
		to := slices.ContainsFunc(rest, func(x string) bool { return x == "to" || x == "a" || x == "por" })
		if last && to {
			return true
		}
	}
	return false
}

// textBefore returns the message's text up to token k, as words and
// numbers joined by spaces, for reading a head of the message alone.
func (p *parser) textBefore(k int) string {
	var b strings.Builder
	for _, t := range p.toks[:k] {
		if t.kind == tBreak {
			b.WriteString("\n")
			continue
		}
		b.WriteString(t.text + " ")
	}
	return b.String()
}

// contrastPair reports a right value set against a wrong one around "not"
// or "no": "40 not 30", "70 km not 60", "swimming not running",
// "yesterday arvo not today" (not "so no 2k swim today").
func (p *parser) contrastPair() bool {
	value := func(k int) bool {
		if p.isNum(k) || p.isWord(k, minUnits) || p.isWord(k, hourUnits) || p.isWord(k, kmUnits) || p.isWord(k, mileUnits) ||
			slices.Contains([]string{"morning", "arvo", "afternoon", "evening", "night", "manana", "tarde", "noche"}, p.word(k)) {
			return true
		}
		if _, _, ok := p.ix.match(p.toks, k); ok {
			return true
		}
		_, _, ok := p.dateAt(k)
		return ok
	}
	for k := 1; k+1 < len(p.toks); k++ {
		if w := p.word(k); (w == "not" || w == "no" || w == "instead") && value(k-1) && (value(k+1) || p.word(k+1) == "the" && value(k+2)) {
			return true
		}
		if p.punct(k-1, ",") && (p.word(k) == "not" || p.word(k) == "no") && value(k-2) && value(k+1) {
			return true // "eran 12 km, no 10"
		}
	}
	return false
}
