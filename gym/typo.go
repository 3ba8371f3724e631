package gym

import (
	"slices"
	"strings"
	"sync"
)

// Typos of activity names: a one-word synonym misspelt ("bicpes",
// "swimmming"), inflected ("climbed") or made diminutive ("trotecito").

// typo returns the activity one of whose one-word synonyms w misspells, or
// "" when none or several equally do. A word with a letter repeated
// ("yogaa", "swimmming") matches a synonym with the same letters; otherwise
// the edits are weighed (see typoCost), the first letter kept: one edit is allowed for words of
// six letters or more, only a cheap one (a transposition, a dropped or
// doubled letter, a key next to the right one) for five-letter words, and
// two for synonyms of nine letters or more.
func (ix *activityIndex) typo(w string) string {
	best, bestD := "", 99
	cw := collapse(w)
	for i, s := range ix.single {
		d := 99
		switch {
		case cw != w && cw == ix.folded[i] && len(s) >= 3:
			d = 1
		case len(w) >= 5 && len(s) >= 5 && abs(len(w)-len(s)) <= 2 && w[0] == s[0]:
			// a slip of the keyboard seldom hits the first letter; a word
			// that differs there is another word ("talking", "growing",
			// "raining", "sunning")
			d = typoCost(w, s)
		case len(w) == 4 && slices.Contains(shortSports, s) && swapped(w, s):
			d = 1 // "yoag": two letters swapped, the only edit trusted in a word this short
		}
		limit := 0
		switch {
		case len(w) >= 6 && len(s) >= 9:
			limit = 5
		case len(w) >= 6:
			limit = 3
		case len(w) == 5:
			limit = 2
		case len(w) == 4:
			limit = 1
		}
		if cw != w && cw == collapse(s) {
			limit = max(limit, 1)
		}
		if d > limit {
			continue
		}
		c := ix.phrases[s]
		switch {
		case d < bestD:
			best, bestD = c, d
		case d == bestD && c != best:
			best = "" // two activities equally close: not a typo we can fix
		}
	}
	return best
}

// inflected returns the activity of an inflected English form of a
// synonym ("climbed", "danced", "benched", "stretching", "swims") or of a
// Spanish diminutive ("trotecito", "paseito").
func (ix *activityIndex) inflected(w string) string {
	for _, suf := range []string{"ed", "d", "ing", "es", "s"} {
		stem, ok := strings.CutSuffix(w, suf)
		if !ok || len(stem) < 4 {
			continue
		}
		for _, cand := range []string{stem, stem + "e"} {
			if c, ok := ix.phrases[cand]; ok && slices.Contains(ix.single, cand) {
				return c
			}
		}
	}
	// a Spanish diminutive: "trotecito", "paseito", "carrerita"
	for _, suf := range []string{"ecito", "ecita", "cito", "cita", "ito", "ita", "illo", "illa", "itos", "itas", "illos", "illas"} {
		stem, ok := strings.CutSuffix(w, suf)
		if !ok || len(stem) < 3 {
			continue
		}
		for _, cand := range []string{stem, stem + "o", stem + "a", stem + "e"} {
			if c, ok := ix.phrases[cand]; ok && slices.Contains(ix.single, cand) {
				return c
			}
		}
	}
	return ""
}

// collapse removes repeated letters: "swimmming" and "swiming" are both
// "swiming".
func collapse(w string) string {
	var b strings.Builder
	var prev rune
	for i, r := range w {
		if i > 0 && r == prev {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// keyRows is a QWERTY keyboard, for typos made by hitting a neighbouring
// key.
var keyRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keyPos is each letter's row and column on the keyboard.
var keyPos = sync.OnceValue(func() (pos [26][2]int) {
	for row, keys := range keyRows {
		for col, r := range keys {
			pos[r-'a'] = [2]int{row, col}
		}
	}
	return pos
})

// neighbours reports whether a and b are next to each other on the
// keyboard.
func neighbours(a, b rune) bool {
	pos := func(r rune) (int, int) {
		if r < 'a' || r > 'z' {
			return -9, -9
		}
		p := keyPos()[r-'a']
		return p[0], p[1]
	}
	ra, ca := pos(a)
	rb, cb := pos(b)
	if ra < 0 || rb < 0 {
		return false
	}
	dr, dc := ra-rb, ca-cb
	return dr >= -1 && dr <= 1 && dc >= -1 && dc <= 1 && (dr != 0 || dc != 0)
}

// typoCost is the edit distance of a and b with costs in halves: 2 for an
// insertion, a deletion, a transposition or a neighbouring key, 3 for any
// other substitution.
func typoCost(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > 2 || d < -2 {
		return 99
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
		for j := 1; j <= len(rb); j++ {
			cost := 0
			switch {
			case ra[i-1] == rb[j-1]:
			case neighbours(ra[i-1], rb[j-1]):
				cost = 2
			default:
				cost = 3
			}
			cur[j] = min(prev[j]+2, cur[j-1]+2, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+2)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// editDistance is the optimal-string-alignment distance (insertions,
// deletions, substitutions and adjacent transpositions) of two ASCII-ish
// strings, compared rune by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > 2 || d < -2 {
		return 3
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// shortSports are the four-letter synonyms whose swapped spellings are no
// English or Spanish word ("lats" is not here: "last" is a word).
var shortSports = []string{"yoga", "swim", "spin", "hike", "walk", "bike", "legs"}

// swapped reports whether w is s with two neighbouring letters swapped.
func swapped(w, s string) bool {
	if len(w) != len(s) || w == s {
		return false
	}
	for i := 0; i+1 < len(w); i++ {
		if w[i] != s[i] {
			return w[i] == s[i+1] && w[i+1] == s[i] && w[i+2:] == s[i+2:]
		}
	}
	return false
}
