package gym

import "strings"

// IsDuplicate reports whether candidate is already among existing, and
// which workout it duplicates. A workout is a duplicate when:
//
//   - it has the same non-empty SourceMessageID (the same message, e.g. a
//     provider retry or a re-run), or
//   - it has the same member (case-insensitive), the same Date, the same
//     canonical Activity, and minutes within ±10% of each other, measured
//     against the larger of the two and inclusive: 60 and 66 are
//     duplicates (|60−66| = 6 ≤ 6.6), 60 and 67 are not, 60 and 54 are
//     (6 ≤ 6), 60 and 53 are not (7 > 6). The rule is symmetric.
//
// The first match in existing is returned.
func IsDuplicate(candidate Workout, existing []Workout) (bool, Workout) {
	for _, e := range existing {
		if candidate.SourceMessageID != "" && candidate.SourceMessageID == e.SourceMessageID {
			return true, e
		}
	}
	for _, e := range existing {
		if strings.EqualFold(candidate.Member, e.Member) && candidate.Date == e.Date &&
			candidate.Activity == e.Activity && withinTenPercent(candidate.Minutes, e.Minutes) {
			return true, e
		}
	}
	return false, Workout{}
}

// withinTenPercent reports |a−b| ≤ 10% of max(a, b), in integers.
func withinTenPercent(a, b int) bool {
	return 10*abs(a-b) <= max(a, b)
}
