package gym

import (
	"strconv"
	"strings"
	"unicode"
)

// tokKind says what a token is.
type tokKind uint8

const (
	tWord  tokKind = iota // letters, lowercased and without accents
	tNum                  // a number; num holds its value
	tClock                // "1:15" or "0:45:10"; text holds it
	tPunct                // one punctuation character
	tEmoji                // one emoji or symbol, variation selectors removed
	tBreak                // a line break
)

// token is one unit of a folded message.
type token struct {
	kind tokKind
	text string
	num  float64
}

// foldRune maps accented Latin letters to their base letter. ok is false
// for runes that must be dropped.
func foldRune(r rune) (rune, bool) {
	switch r {
	case 'á', 'à', 'ä', 'â', 'ã':
		return 'a', true
	case 'é', 'è', 'ë', 'ê':
		return 'e', true
	case 'í', 'ì', 'ï', 'î':
		return 'i', true
	case 'ó', 'ò', 'ö', 'ô', 'õ':
		return 'o', true
	case 'ú', 'ù', 'ü', 'û':
		return 'u', true
	case 'ñ':
		return 'n', true
	case 'ç':
		return 'c', true
	case '’', '‘', '´', '`', '′':
		return '\'', true
	case '×':
		return 'x', true
	case '¿', '¡':
		return ' ', true
	case '\uFE0F', '\uFE0E', '\u200D', '♀', '♂':
		return 0, false
	}
	if r >= 0x1F3FB && r <= 0x1F3FF { // skin tones
		return 0, false
	}
	return r, true
}

func isEmoji(r rune) bool {
	return r >= 0x2190 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// tokenize lowercases and folds s and splits it into tokens. Digits and
// letters glued together are split ("45min" is 45, "min"); a decimal or
// clock separator stays inside a number only between digits, so "1,5" is one
// number and "45, then" is 45 followed by a comma.
func tokenize(s string) []token {
	rs := make([]rune, 0, len(s))
	for _, r := range strings.ToLower(s) {
		if f, ok := foldRune(r); ok {
			rs = append(rs, f)
		}
	}
	var toks []token
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			toks = append(toks, token{kind: tBreak, text: "\n"})
			i++
		case unicode.IsSpace(r):
			i++
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || (rs[j] == '\'' && j+1 < len(rs) && unicode.IsLetter(rs[j+1]) && j > i)) {
				j++
			}
			w := string(rs[i:j])
			if full, ok := chatShort[w]; ok {
				w = full // "q registré ayer?": what the rules' phrases spell out
			}
			toks = append(toks, token{kind: tWord, text: w})
			i = j
		case unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsDigit(rs[j]) || ((rs[j] == '.' || rs[j] == ',' || rs[j] == ':') && j+1 < len(rs) && unicode.IsDigit(rs[j+1]))) {
				j++
			}
			toks = append(toks, numberToken(string(rs[i:j])))
			i = j
		case isEmoji(r):
			toks = append(toks, token{kind: tEmoji, text: string(r)})
			i++
		default:
			toks = append(toks, token{kind: tPunct, text: string(r)})
			i++
		}
	}
	return wordsToNumbers(dropHedges(toks))
}

// dropHedges removes "ish" glued to a number ("25ish mins" is 25 min):
// the hedge says nothing the rules read.
func dropHedges(toks []token) []token {
	out := toks[:0:0]
	for i, t := range toks {
		if t.kind == tWord && t.text == "ish" && i > 0 && toks[i-1].kind == tNum {
			continue
		}
		out = append(out, t)
	}
	return out
}

// numberToken reads "45", "1.5", "1,5", "1:15". A separator followed by
// exactly three digits is a thousands separator ("1.500", "1,500").
func numberToken(s string) token {
	if strings.Contains(s, ":") {
		return token{kind: tClock, text: s}
	}
	norm := s
	if k := strings.IndexAny(s, ".,"); k >= 0 {
		if len(s)-k-1 == 3 && strings.Count(s, ".")+strings.Count(s, ",") == 1 {
			norm = s[:k] + s[k+1:]
		} else {
			norm = strings.ReplaceAll(s, ",", ".")
		}
	}
	v, err := strconv.ParseFloat(norm, 64)
	if err != nil {
		return token{kind: tWord, text: s}
	}
	return token{kind: tNum, text: s, num: v}
}

// numberWords are cardinal numbers as spoken in voice notes. Articles ("a",
// "un", "una") are not here: they count as one only before an hour unit.
var numberWords = map[string]float64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
	"thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90,
	"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
	"ocho": 8, "nueve": 9, "diez": 10, "doce": 12, "quince": 15, "veinte": 20,
	"veinticinco": 25, "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veintiseis": 26,
	"veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "trece": 13, "catorce": 14, "dieciseis": 16,
	"diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "eleven": 11, "thirteen": 13, "fourteen": 14,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
	"sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
}

// wordsToNumbers replaces number words with number tokens, joining
// "forty five", "forty-five" and "cuarenta y cinco".
func wordsToNumbers(toks []token) []token {
	out := toks[:0:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		v, ok := numberWords[t.text]
		if t.kind != tWord || !ok {
			out = append(out, t)
			continue
		}
		if int(v)%10 == 0 && v >= 20 {
			j := i + 1
			if j < len(toks) && (toks[j].text == "-" || toks[j].text == "y" || toks[j].text == "and") {
				j++
			}
			if j < len(toks) && toks[j].kind == tWord {
				if u, ok := numberWords[toks[j].text]; ok && u < 10 {
					v += u
					i = j
				}
			}
		}
		out = append(out, token{kind: tNum, text: strconv.FormatFloat(v, 'f', -1, 64), num: v})
	}
	return out
}

// chatShort are chat spellings of common words, read as the words: "q"
// is "que", "xq" "porque", "tb" "también", "nono" "no".
var chatShort = map[string]string{"q": "que", "xq": "porque", "pq": "porque", "porq": "porque", "tb": "tambien", "tmb": "tambien",
	"nono": "no", "xfa": "porfa",
	"leaderbord": "leaderboard", "leadrboard": "leaderboard", "leaderboad": "leaderboard", "ledaerboard": "leaderboard", "leaderbaord": "leaderboard",
	"nite": "night", "tonite": "tonight", "2nite": "tonight", "yday": "yesterday", "yest": "yesterday",
	"standigns": "standings", "rankin": "ranking", "clasificacion": "clasificacion"}
