package console

import (
	"cmp"
	"slices"
)

// sortMessages orders a transcript by time; at equal times a customer's
// message comes before the reply, and rows keep their id order.
func sortMessages(ms []WireMessage) {
	slices.SortStableFunc(ms, func(a, b WireMessage) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if a.Out != b.Out {
			if a.Out {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
