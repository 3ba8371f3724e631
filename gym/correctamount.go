package gym

import (
	"math"
	"slices"
)

// correctAmount is a number in a correction: a duration, a distance, or a
// bare number whose unit the other amounts give ("10k not 8").
type correctAmount struct {
	val    float64 // minutes, kilometres, or as written when bare
	neg    bool    // said to be wrong: "not 45", "logged 45"
	dist   bool    // a distance, in kilometres
	bare   bool    // no unit written
	factor float64 // for a distance: kilometres per unit written (1, a mile, 1/1000)
}

// wrongLeads say the number after them is the wrong one.
var wrongLeads = []string{"not", "no", "instead", "logged", "apunte", "puse", "put", "wrote", "escribi", "registre"}

// correctionAmounts reads the right and wrong durations and distances of a
// correction: "that was 40 not 45", "make that 35 min", "make that 10k not
// 8", "eran 12 km, no 10". A bare number takes the unit of the amount it
// is set against: a distance when only distances are written, minutes
// otherwise.
func (p *parser) correctionAmounts() Correction {
	var as []correctAmount
	for k := 0; k < len(p.toks); k++ {
		neg := slices.Contains(wrongLeads, p.word(k-1))
		if m, next, ok := p.durationAt(k); ok && m > 0 {
			as = append(as, correctAmount{val: m, neg: neg})
			k = next - 1
			continue
		}
		if km, next, ok := p.distanceAt(k); ok && km > 0 {
			n, _ := p.num(k)
			f := 1.0
			if n > 0 {
				f = km / n
			}
			as = append(as, correctAmount{val: km, neg: neg, dist: true, factor: f})
			k = next - 1
			continue
		}
		if v, ok := p.num(k); ok && v > 0 && !p.unitAfterNumber(k+1) { // not "a tough one"
			as = append(as, correctAmount{val: v, neg: neg, bare: true})
		}
	}
	dist := slices.ContainsFunc(as, func(a correctAmount) bool { return a.dist })
	dur := slices.ContainsFunc(as, func(a correctAmount) bool { return !a.dist && !a.bare })
	factor := 1.0
	if i := slices.IndexFunc(as, func(a correctAmount) bool { return a.dist }); i >= 0 {
		factor = as[i].factor
	}
	var c Correction
	for _, a := range as {
		switch {
		case a.bare && dist && !dur:
			a.val, a.dist = math.Round(a.val*factor*100)/100, true
			if a.val > MaxDistanceKm {
				continue
			}
		case a.bare:
			if a.val != math.Trunc(a.val) || a.val < 5 || a.val > MaxMinutes {
				continue
			}
		}
		switch {
		case a.dist && a.neg:
			c.WasDistanceKm = a.val
		case a.dist && c.DistanceKm == 0:
			c.DistanceKm = a.val
		case !a.dist && a.neg:
			c.WasMinutes = int(math.Round(a.val))
		case !a.dist && c.Minutes == 0:
			c.Minutes = int(math.Round(a.val))
		}
	}
	return c
}
