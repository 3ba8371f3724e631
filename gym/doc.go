// Package gym is the domain core of Switchboard's gym pipeline: the types
// and the deterministic rules that turn WhatsApp messages such as
// "biceps 45 min" or "ayer corrí 5k en 28'" into validated workouts, refuse
// duplicates and compute weekly and monthly leaderboards.
//
// It depends on nothing but the standard library: no database and no
// language model. Behind the rules sits a naive Bayes classifier counted
// from the labelled corpora (kindmodel.txt, embedded): where the rules are
// not sure, it may overrule their guess when it is confident, but never
// against what the rules know for a fact (a day ahead, a coach's
// timetable) and never to log a workout the rules cannot read. The rules handle the common forms in English and Spanish
// (typos, emojis and voice-note transcripts included); when they cannot
// decide, Extract says so with an *ExtractError and the caller may consult a
// model, whose typed output then goes through the same Validate and
// IsDuplicate.
//
// The flow of one message is:
//
//	kind, sure := gym.Judge(text, day)    // log, summary request, correction or other
//	ws, err := gym.Extract(msg, now, loc) // typed workouts, or why not
//	err = gym.Validate(w, now, loc, members)
//	dup, prev := gym.IsDuplicate(w, sameDayWorkouts)
//
// (gym.Read does the first two.) An activity with an amount is not proof of
// a workout: Judge also asks who did it (the sender, or "mi hermano", "Sara
// did...", a reaction to someone else's), whether it was done (watched,
// wanted, planned, negated, a fact such as "the pool is 25m long", an idiom
// such as "running late, 10 min", a link) and when (a future day, a bare
// weekday with a meeting time). It says it is sure only when nothing casts
// a doubt, so a caller with a model asks the model about the rest. The
// words around an amount count too: a quote ("'just an easy 5k' he
// said"), a workout under way, a chore called a workout, a device's count
// of the day, a place found shut, someone's amount after "your" or a
// name's possessive.
// ParseCorrection reads "undo" and "that was 40 not 45"; ParseRequest reads
// what a summary request asks about ("how did Ana do this month?", "what
// did I log yesterday?").
//
// The rules are measured on a labelled corpus of gym-chat messages
// (testdata/corpus.jsonl, package gymeval; go run ./gym/cmd/gymeval).
//
// # Dates
//
// A workout's Date is a civil Date (year, month, day) in the group's time
// zone, not an instant: "yesterday" at 00:30 in Madrid is a Madrid day.
// Relative words resolve against the message's send time (Message.SentAt,
// or now when unset) in the given location: "today"/"hoy" (also the default
// when no date is mentioned), "yesterday"/"ayer"/"anoche" is one day back,
// "antier"/"anteayer"/"antes de ayer"/"the day before yesterday" two days.
// A weekday name ("monday", "el lunes") is the most recent such day,
// today included; "last monday"/"el lunes pasado" said on a Monday is seven
// days back. An explicit "12/03" is day-first unless Extractor.MonthFirst is
// set; without a year it is the most recent such date not after today.
// "2026-03-12" (ISO) is accepted too. Dashes are not read as day/month
// separators, so "10-12 reps" is never a date.
//
// # Activities
//
// Activities are normalized to a fixed list of lowercase English names
// (see Activities). Two of them are generic: "strength" (gym, pesas,
// weights, 🏋️) and "workout" (trained, entrené, exercise). A generic name is
// dropped when a specific one is present ("gym: legs 1h" is "legs"), and
// "strength" wins over "workout".
//
// A session that names several activities with one duration ("pecho y
// tríceps 1h", "chest & tris") is one workout with a composite activity:
// the distinct names joined by "+" in the fixed order of Activities, so
// "tris and chest" and "pecho y tríceps" are both "chest+triceps". When one
// segment gives as many durations as activities ("45 min chest and 20 min
// abs") they are paired in order into separate workouts.
package gym
