package gym

import (
	"regexp"
	"slices"
	"strings"
)

// headEndRE ends the first clause of a message written as a report and
// then a remark: a comma, full stop, dash or bracket followed by a space,
// or "while"/"mientras" ("hiit 30 min in the living room while dinner was
// in the oven").
var headEndRE = regexp.MustCompile(`[.,;:!]\s|\s[-–—(]\s?|\s(?:while|mientras)\s|\n`)

// headReport reports a message that opens with a complete report of the
// sender's workout, which the rules read as a sure log on its own ("hiked
// 3h saturday in the catskills", "rowed 5000m this morning") with a word
// saying it was done, before a
// remark about something else: "saw a bear (maybe a dog)", "longest since
// the marathon in 2023", "4 hours sleep will do that". A plan, a fact, a
// time of something else or a past year named in such a remark says
// nothing of the report, so it must not cancel it; who did it, whether it
// was a joke, a question or a reaction still do, wherever they are.
func headReport(text string, today Date) bool {
	loc := headEndRE.FindStringIndex(text)
	if loc == nil {
		return false
	}
	head := strings.TrimSpace(text[:loc[0]])
	if len(strings.Fields(head)) < 2 {
		return false
	}
	hp := newParser(head, today, false)
	if !slices.ContainsFunc(hp.words(), func(w string) bool { return slices.Contains(doingVerbs, w) }) && !hp.strongPast() {
		return false // "wow 90 min of yoga, I'd fall asleep": no word says it was done
	}
	k, _ := judgeRules(head, today)
	return k == KindWorkoutLog
}
