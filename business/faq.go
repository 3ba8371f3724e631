package business

import "strings"

// FAQMatcher answers a message from the approved FAQs when no model is
// available. It is lexical: a message and a question are reduced to their
// content words (lower-cased, accents removed, stop words dropped in
// English and Spanish, light stemming, a few synonyms mapped to one
// concept), and a question matches when
//
//   - at least MinMessageCoverage of the message's content words are in
//     the question (so a message asking something more, "are you open on
//     Christmas?", does not get the generic hours answer), and
//   - at least MinQuestionCoverage of the question's content words are in
//     the message (so a one-word overlap with a long question is not
//     enough), and
//   - its score (the product of the two) beats every other question's;
//     a tie between different answers matches nothing.
//
// A wrong FAQ answer is worse than the fallback, so the thresholds favour
// precision: a near miss falls through to the fallback message.
type FAQMatcher struct {
	faqs  []FAQ
	terms [][]string
}

// The thresholds of [FAQMatcher].
const (
	MinMessageCoverage  = 0.75
	MinQuestionCoverage = 0.5
)

// NewFAQMatcher prepares the matcher for faqs.
func NewFAQMatcher(faqs []FAQ) *FAQMatcher {
	m := &FAQMatcher{faqs: faqs, terms: make([][]string, len(faqs))}
	for i, f := range faqs {
		m.terms[i] = terms(f.Q)
	}
	return m
}

// Match returns the FAQ that answers text, if one does.
func (m *FAQMatcher) Match(text string) (FAQ, bool) {
	msg := terms(text)
	if len(msg) == 0 || len(msg) > 12 {
		return FAQ{}, false
	}
	best, bestScore, tie := -1, 0.0, false
	for i, q := range m.terms {
		if len(q) == 0 {
			continue
		}
		shared := intersect(msg, q)
		mc, qc := float64(shared)/float64(len(msg)), float64(shared)/float64(len(q))
		if mc < MinMessageCoverage || qc < MinQuestionCoverage {
			continue
		}
		switch score := mc * qc; {
		case score > bestScore:
			best, bestScore, tie = i, score, false
		case score == bestScore && m.faqs[i].A != m.faqs[best].A:
			tie = true
		}
	}
	if best < 0 || tie {
		return FAQ{}, false
	}
	return m.faqs[best], true
}

// intersect counts the terms of a that are in b (both are sets).
func intersect(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
				break
			}
		}
	}
	return n
}

// terms returns the distinct content terms of s.
func terms(s string) []string {
	var out []string
	for _, w := range words(s) {
		if stopWord(w) {
			continue
		}
		t := stem(w)
		if c, ok := concept(w); ok {
			t = c
		} else if c, ok := concept(t); ok {
			t = c
		}
		if t == "" || stopWord(t) {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// stem strips common English and Spanish inflections: plurals, -ing, -ed,
// -mente. It is deliberately light: it only has to make a question and
// its paraphrases meet.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	for _, suf := range []struct {
		s   string
		min int
		add string
	}{
		{"ciones", 7, "cion"}, {"iones", 7, "ion"}, {"mente", 8, ""}, {"ies", 5, "y"},
		{"ing", 6, ""}, {"ed", 5, ""}, {"es", 5, ""}, {"s", 4, ""},
	} {
		if suf.s == "s" && strings.HasSuffix(w, "ss") {
			break
		}
		if strings.HasSuffix(w, suf.s) && len(w) >= suf.min {
			w = strings.TrimSuffix(w, suf.s) + suf.add
			break
		}
	}
	// "price" and "prices", "clase" and "clases" meet without the final e.
	if len(w) > 3 && strings.HasSuffix(w, "e") {
		w = strings.TrimSuffix(w, "e")
	}
	return w
}
