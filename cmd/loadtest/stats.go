package main

import (
	"fmt"
	"slices"
	"time"
)

// dist summarises a set of durations.
type dist struct {
	N                             int
	P50, P90, P95, P99, Max, Mean time.Duration
}

// summarize computes the distribution of ds (nearest-rank percentiles).
// ds is not modified.
func summarize(ds []time.Duration) dist {
	if len(ds) == 0 {
		return dist{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	return dist{
		N:    len(s),
		P50:  rank(s, 0.50),
		P90:  rank(s, 0.90),
		P95:  rank(s, 0.95),
		P99:  rank(s, 0.99),
		Max:  s[len(s)-1],
		Mean: sum / time.Duration(len(s)),
	}
}

// rank returns the nearest-rank p-quantile of sorted s.
func rank(s []time.Duration, p float64) time.Duration {
	i := int(float64(len(s))*p+0.999999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// String formats the distribution on one line.
func (d dist) String() string {
	if d.N == 0 {
		return "no samples"
	}
	return fmt.Sprintf("p50 %s  p90 %s  p95 %s  p99 %s  max %s  mean %s  (n=%d)",
		ms(d.P50), ms(d.P90), ms(d.P95), ms(d.P99), ms(d.Max), ms(d.Mean), d.N)
}

// ms formats d in milliseconds with two decimals.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
}

// yesNo renders a target check.
func yesNo(ok bool) string {
	if ok {
		return "MET"
	}
	return "MISSED"
}
