package gym

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Dates as written in a message: "yesterday", "el martes", "12/03",
// "2026-03-12", "12 de marzo" (see the package documentation).

var (
	weekdays = map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
		"domingo": time.Sunday, "lunes": time.Monday, "martes": time.Tuesday, "miercoles": time.Wednesday,
		"jueves": time.Thursday, "viernes": time.Friday, "sabado": time.Saturday,
		// abbreviations that are no other word
		"mon": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "wed": time.Wednesday, "weds": time.Wednesday,
		"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
		"lun": time.Monday, "mie": time.Wednesday, "jue": time.Thursday, "vie": time.Friday, "sab": time.Saturday,
	}
	morningOf = []string{"esta", "la", "por", "en", "this", "in", "cada"} // not "de": "el spinning de mañana" is tomorrow's
)

// dateAt reads a date expression at i. See the package documentation for
// the rules.
func (p *parser) dateAt(i int) (dateHit, int, bool) {
	w := strings.TrimSuffix(p.word(i), "'s") // "yesterday's run"
	rel := func(days, next int) (dateHit, int, bool) {
		return dateHit{date: p.ref.AddDays(days)}, next, true
	}
	switch {
	case w == "today" || w == "hoy" || w == "tonight":
		return rel(0, i+1)
	case w == "antier" || w == "anteayer" || w == "antiayer":
		return rel(-2, i+1)
	case w == "antes" && p.word(i+1) == "de" && p.word(i+2) == "ayer":
		return rel(-2, i+3)
	case w == "day" && p.word(i+1) == "before" && p.word(i+2) == "yesterday":
		return rel(-2, i+3)
	case w == "yesterday" || w == "ayer" || w == "anoche" || w == "yday" || w == "yest":
		return rel(-1, i+1)
	case w == "last" && strings.TrimSuffix(p.word(i+1), "'s") == "night": // "last night's ride"
		return rel(-1, i+2)
	case w == "this" && slices.Contains([]string{"morning", "arvo", "afternoon", "evening"}, strings.TrimSuffix(p.word(i+1), "'s")):
		return rel(0, i+2) // "that walk was this morning not yesterday"
	case w == "tomorrow" || w == "tmrw":
		return rel(1, i+1)
	case w == "pasado" && p.word(i+1) == "manana":
		return rel(2, i+2)
	case w == "manana" && !slices.Contains(morningOf, p.word(i-1)) && !p.punct(i+1, ":"):
		return rel(1, i+1)
	}
	if (w == "sat" || w == "sun") && !p.shortDay(i) {
		return dateHit{}, 0, false // "I sat in traffic", "in the sun": a verb, a star
	}
	if w == "sun" {
		w = "sunday"
	}
	if (w == "mar" || w == "dom") && p.punct(i+1, ":") {
		w = map[string]string{"mar": "martes", "dom": "domingo"}[w] // "mar: remo 40": the sea only without the colon
	}
	if wd, ok := weekdays[w]; ok { // "saturday's swim"
		back := (int(p.ref.Weekday()) - int(wd) + 7) % 7
		next := i + 1
		last := p.word(i-1) == "last" || p.word(i-1) == "past" || p.word(i-1) == "pasado"
		if p.word(i+1) == "pasado" {
			last, next = true, i+2
		}
		if back == 0 && last {
			back = 7
		}
		return rel(-back, next)
	}
	// "on the 10th", "el día 10": a day of this month, or of the last one
	// when it is still ahead
	if (w == "the" || w == "dia" && p.word(i-1) == "el") && p.isNum(i+1) && (p.word(i+2) == "th" || p.word(i+2) == "st" || p.word(i+2) == "nd" || p.word(i+2) == "rd" || w == "dia") &&
		!(p.word(i+2) == "de" && p.isNum(i+3)) { // "día 12 de 30": a challenge's count
		if d, ok := p.intNum(i + 1); ok && d >= 1 && d <= 31 {
			next := i + 2
			if w == "the" {
				next++
			}
			m, y := int(p.ref.Month), p.ref.Year
			if d > p.ref.Day {
				if m--; m < 1 {
					m, y = 12, y-1
				}
			}
			return p.civil(y, m, d, next)
		}
	}
	// ISO 2026-03-12
	if y, ok := p.intNum(i); ok && y >= 1000 && p.punct(i+1, "-") && p.punct(i+3, "-") {
		m, ok1 := p.intNum(i + 2)
		d, ok2 := p.intNum(i + 4)
		if ok1 && ok2 {
			return p.civil(y, m, d, i+5)
		}
	}
	// 12/03 or 12/03/2026
	if x, ok := p.intNum(i); ok && p.punct(i+1, "/") {
		y2, ok2 := p.intNum(i + 2)
		if !ok2 {
			return dateHit{}, 0, false
		}
		if x < y2 && (p.word(i+3) == "de" && p.isWord(i+4, hourUnits) || p.word(i+3) == "of" && p.word(i+4) == "an") {
			return dateHit{}, 0, false // "3/4 de hora": a fraction of an hour
		}
		if y2 == 10 && x <= 10 && !p.punct(i+3, "/") && (x == 10 || p.word(i+3) == "would" || i+3 >= len(p.toks) || p.toks[i+3].kind != tWord) {
			return dateHit{}, 0, false // "10/10 would go again", "8/10": a rating, not the 10th of a month
		}
		d, m := x, y2
		if p.monthFirst {
			d, m = y2, x
		}
		if p.punct(i+3, "/") {
			if y, ok := p.intNum(i + 4); ok {
				if y < 100 {
					y += 2000
				}
				return p.civil(y, m, d, i+5)
			}
		}
		h, next, ok := p.civil(p.ref.Year, m, d, i+3)
		if ok && h.err == nil && h.date.After(p.ref) {
			h, next, ok = p.civil(p.ref.Year-1, m, d, i+3)
		}
		return h, next, ok
	}
	// "7 de junio", "7 june", "june 7"
	if d, ok := p.intNum(i); ok && d >= 1 && d <= 31 {
		if m := monthOf(p.word(i + 1)); m > 0 {
			return p.yearless(m, d, i+2)
		}
		if m := monthOf(p.word(i + 2)); m > 0 && p.word(i+1) == "de" {
			return p.yearless(m, d, i+3)
		}
	}
	if m := monthOf(w); m > 0 {
		if d, ok := p.intNum(i + 1); ok && d >= 1 && d <= 31 && !p.unitAfterNumber(i+2) {
			return p.yearless(m, d, i+2)
		}
	}
	return dateHit{}, 0, false
}

// yearless resolves a day and a named month without a year: the most
// recent such date not after the day of the message, unless that is more than two
// months back and the next one is at most four months ahead ("la media
// maratón es el 7 de junio", said in May, is this June's).
func (p *parser) yearless(m, d, next int) (dateHit, int, bool) {
	h, next, ok := p.civil(p.ref.Year, m, d, next)
	if !ok || h.err != nil {
		return h, next, ok
	}
	past, fut := h.date, h.date
	if h.date.After(p.ref) {
		past = Date{p.ref.Year - 1, time.Month(m), d}
	} else {
		fut = Date{p.ref.Year + 1, time.Month(m), d}
	}
	if NewDate(past.Year, past.Month, past.Day) != past {
		return dateHit{date: fut}, next, true // 29 February
	}
	if p.ref.DaysSince(past) > 60 && fut.DaysSince(p.ref) <= 120 && NewDate(fut.Year, fut.Month, fut.Day) == fut {
		return dateHit{date: fut}, next, true
	}
	return dateHit{date: past}, next, true
}

// monthOf returns the month a word names, 0 for none; "may" only as a
// month next to a number.
func monthOf(w string) int {
	for i, names := range [][]string{
		{"january", "jan", "enero", "ene"}, {"february", "feb", "febrero"}, {"march", "mar", "marzo"}, {"april", "apr", "abril", "abr"},
		{"may", "mayo"}, {"june", "jun", "junio"}, {"july", "jul", "julio"}, {"august", "aug", "agosto", "ago"},
		{"september", "sep", "sept", "septiembre", "setiembre"}, {"october", "oct", "octubre"}, {"november", "nov", "noviembre"},
		{"december", "dec", "diciembre", "dic"},
	} {
		if slices.Contains(names, w) {
			return i + 1
		}
	}
	return 0
}

// civil checks y-m-d is a real date.
func (p *parser) civil(y, m, d, next int) (dateHit, int, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || NewDate(y, time.Month(m), d) != (Date{y, time.Month(m), d}) {
		return dateHit{err: fmt.Errorf("%w: no day %d in month %d", ErrBadDate, d, m)}, next, true
	}
	return dateHit{date: Date{y, time.Month(m), d}}, next, true
}

// dayParts follow a day's name: "sat morning", "sun arvo".
var dayParts = []string{"morning", "am", "pm", "arvo", "afternoon", "evening", "night", "morn"}

// shortDay reports whether "sat" or "sun" at i names a day, which the
// words around it say. A word marking a day before it ("on sat", "last
// sun") or a colon after it ("sat: long run") make it one; so does a part
// of the day after it ("sat morning"). "sat" may also stand at the end of
// a report or before its amount ("climbed 3h at the wall sat, forgot to
// post", "long run sat 2h") or open a message ("sat long run 2h"), but
// not after someone who sat ("I sat, legs gone") or before where ("sat in
// traffic 40 min"); "sun" is a star everywhere else ("45 min in the
// sun").
func (p *parser) shortDay(i int) bool {
	prev, next := p.word(i-1), p.word(i+1)
	switch {
	case slices.Contains([]string{"on", "last", "this", "next", "past", "el", "del"}, prev), p.punct(i+1, ":"),
		slices.Contains(dayParts, next):
		return true
	case p.word(i) == "sun":
		return false
	case i == 0:
		// "sat long run 2h", but "sat in traffic for 40 min"
		return !slices.Contains([]string{"in", "on", "at", "down", "there", "around", "through", "for", "by", "with", "up", "back", "outside", "inside"}, next)
	}
	if slices.Contains([]string{"i", "we", "he", "she", "they", "you", "u", "who", "just", "then", "and", "finally", "also",
		"have", "had", "i've", "ive", "we've", "literally", "basically", "still", "only", "never", "kids", "baby", "dog"}, prev) {
		return false
	}
	return i+1 >= len(p.toks) || p.toks[i+1].kind == tNum || p.toks[i+1].kind == tBreak ||
		p.toks[i+1].kind == tEmoji || p.punct(i+1, ",") || p.punct(i+1, ".") || p.punct(i+1, "!")
}
