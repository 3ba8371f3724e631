package gym

import "strings"

// retractions end a message by taking it back: "oh yeah I definitely did
// a 2 hour run today (I did not)", "10k before breakfast, in my dreams".
var retractions = []string{"i did not", "i didn't", "i didnt", "yeah right", "as if", "in my dreams", "in your dreams", "not really",
	"all lies", "i wish", "if only", "en mis suenos", "ni de cona", "que va", "es mentira", "ya quisiera", "ya quisieras", "not true",
	"i did not lol", "i didn't lol", "no es verdad", "y una mierda"}

// retracted reports a message whose last words take it back; not when
// they answer a clause about someone else that names no sport and no
// amount: "walk with the pram 1h20, baby slept, i did not".
func (p *parser) retracted() bool {
	ws := p.words()
	for _, r := range retractions {
		if n := len(strings.Fields(r)); len(ws) > n && strings.Join(ws[len(ws)-n:], " ") == r {
			return !p.contrasted()
		}
	}
	return false
}

// contrasted reports a message of three clauses or more whose clause
// before the last names no sport and no amount.
func (p *parser) contrasted() bool {
	cb := p.clauseBounds()
	if len(cb) < 3 {
		return false
	}
	c := cb[len(cb)-2]
	for k := c[0]; k < c[1]; k++ {
		if _, _, ok := p.ix.match(p.toks, k); ok {
			return false
		}
	}
	return !p.amountIn(c[0], c[1])
}
