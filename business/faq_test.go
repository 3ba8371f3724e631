package business_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/business"
)

func TestFAQMatch(t *testing.T) {
	p := loadExample(t)
	m := business.NewFAQMatcher(p.FAQs)
	hits := map[string]string{
		// The questions as written.
		"What are your opening hours?":      "What are your opening hours?",
		"¿Cuál es vuestro horario?":         "¿Cuál es vuestro horario?",
		"Where are you?":                    "Where are you?",
		"Is there parking?":                 "Is there parking?",
		"Can I try a class before joining?": "Can I try a class before joining?",
		// Case, accents, punctuation and emoji do not matter.
		"WHAT ARE YOUR OPENING HOURS": "What are your opening hours?",
		"cual es vuestro horario":     "¿Cuál es vuestro horario?",
		"opening hours?? 🙏":           "What are your opening hours?",
		// Paraphrases.
		"when are you open?":                "What are your opening hours?",
		"hi! what's your schedule?":         "What are your opening hours?",
		"hours":                             "What are your opening hours?",
		"¿Qué horario tenéis?":              "¿Cuál es vuestro horario?",
		"horarios":                          "¿Cuál es vuestro horario?",
		"how much does the membership cost": "How much is the membership?",
		"membership price?":                 "How much is the membership?",
		"¿cuánto vale la cuota?":            "¿Cuánto cuesta la cuota?",
		"where are you located?":            "Where are you?",
		"what's the address":                "Where are you?",
		"do you have parking":               "Is there parking?",
		"do you have showers?":              "Do you have showers and lockers?",
		"lockers and showers":               "Do you have showers and lockers?",
		"how can I cancel my membership?":   "How do I cancel my membership?",
	}
	for msg, want := range hits {
		got, ok := m.Match(msg)
		if !ok {
			t.Errorf("Match(%q): no match, want %q", msg, want)
			continue
		}
		if got.Q != want {
			t.Errorf("Match(%q) = %q, want %q", msg, got.Q, want)
		}
	}
	misses := []string{
		// Near misses: they share words with a question but ask something
		// else, and a wrong answer is worse than none.
		"are you open on Christmas?",
		"are you open tomorrow at 7?",
		"what are the opening hours of the pool on Sunday",
		"how much is personal training?",
		"how much is the membership for students?",
		"¿cuánto cuesta la cuota mensual para estudiantes?",
		"how much is a fitness assessment",
		"can I cancel my booking?",
		"where can I park my bike overnight?",
		"I want to book a class",
		"is there a sauna?",
		"¿tenéis piscina?",
		"¿a qué hora abren los domingos en agosto?",
		"I lost my membership card",
		// Nothing to match.
		"", "hi", "hola", "thanks!", "👍", "ok",
		// Long messages ask more than one thing.
		"hello, I'd like to know your opening hours and also the price of the membership and whether you have parking and showers",
	}
	for _, msg := range misses {
		if got, ok := m.Match(msg); ok {
			t.Errorf("Match(%q) = %q, want no match", msg, got.Q)
		}
	}
}

func TestFAQMatchAmbiguous(t *testing.T) {
	m := business.NewFAQMatcher([]business.FAQ{
		{Q: "Do you sell protein?", A: "Yes, whey and vegan."},
		{Q: "Do you sell protein bars?", A: "Yes, at the front desk."},
		{Q: "Do you stock protein?", A: "Ask the front desk."},
	})
	// "protein" matches the first and third questions equally well with
	// different answers: no answer is better than a guess.
	if got, ok := m.Match("protein"); ok {
		t.Errorf("Match(protein) = %q, want no match (ambiguous)", got.Q)
	}
	if got, ok := m.Match("do you sell protein bars"); !ok || got.A != "Yes, at the front desk." {
		t.Errorf("Match(protein bars) = %+v, %v", got, ok)
	}
	if _, ok := business.NewFAQMatcher(nil).Match("hours"); ok {
		t.Error("no FAQs, no match")
	}
}
