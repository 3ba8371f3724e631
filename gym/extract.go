package gym

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Extractor holds the options of the rule-based extractor. The zero value
// reads explicit dates day-first ("12/03" is 12 March).
type Extractor struct {
	// MonthFirst reads "03/12" as March 12, as in the United States.
	MonthFirst bool
}

// Extract runs the zero Extractor (day-first dates).
func Extract(msg Message, now time.Time, loc *time.Location) ([]Workout, error) {
	return Extractor{}.Extract(msg, now, loc)
}

// Extract reads the workouts of msg with the rules, relative dates
// resolved on the day msg was sent in loc (nil means UTC).
//
// The message is split into clauses at line breaks, sentence punctuation
// and "then"/"luego"/"después". A clause naming an activity starts a
// session, unless the current session has no duration or distance yet, in
// which case it joins it ("chest, triceps, 1h" is one chest+triceps
// session). A clause without an activity ("1 hora", "ayer") belongs to the
// session before it, or to the first one when it comes first. An activity
// with no amount after "then"/"luego" once a session is timed ("30 min run
// then some yoga") is dropped: the timed session is logged alone. Each session
// gives one workout (or several when durations and activities pair up; see
// the package documentation). A session with no duration, no distance and
// exactly one number without a unit, 10 to MaxMinutes, next to activities
// none of which is measured in distance, reads that number as minutes
// ("biceps 45", "pierna 60"; "ran 5" stays undecided).
//
// On success every workout has a member, date, activity and minutes; it has
// not been validated (see Validate). When the rules cannot decide, Extract
// returns nil and an *ExtractError whose reasons are ErrNotWorkout,
// ErrNoActivity, ErrNoDuration, ErrAmbiguous or ErrBadDate.
func (x Extractor) Extract(msg Message, now time.Time, loc *time.Location) ([]Workout, error) {
	sent := msg.SentAt
	if sent.IsZero() || sent.After(now) {
		sent = now
	}
	// a trailing plan ("legs 1h, mañana cardio") is not a session
	p := newParser(cutLater(msg.Text, DateOf(sent, loc)), DateOf(sent, loc), x.MonthFirst)
	segs := group(p.clauses(), p.ref)

	var (
		out     []Workout
		reasons []error
		found   bool
	)
	dates := segmentDates(segs, p.ref)
	for k, s := range segs {
		if len(s.acts)+len(s.durs)+len(s.dists)+len(s.sets)+len(s.cals) == 0 {
			continue
		}
		if !s.hasAmount() && len(s.sets)+len(s.cals)+len(s.bare) == 0 && found && onlyGeneric(s.acts) {
			continue // "legs 1h, the gym was packed": commentary
		}
		ws, errs := p.build(s, dates[k])
		for i := range ws {
			ws[i].Member = msg.Member
		}
		out = append(out, ws...)
		reasons = append(reasons, errs...)
		found = true
	}
	for i := range out {
		out[i].SourceMessageID = SourceID(msg.ID, i)
	}
	if !found {
		reasons = append(reasons, ErrNotWorkout)
	}
	if len(reasons) > 0 {
		return nil, &ExtractError{Partial: out, Reasons: dedupErrors(reasons)}
	}
	return out, nil
}

// distanceSport reports whether a bare number next to one of acts could be
// a distance ("ran 5") rather than minutes.
func distanceSport(acts []actHit) bool {
	for _, a := range acts {
		switch a.name {
		case "running", "cycling", "swimming", "walking", "rowing", "hiking":
			return true
		}
	}
	return false
}

// gymOnly reports activities that are all body parts or weights: the
// exercises of one gym session.
func gymOnly(acts []actHit) bool {
	return len(acts) > 0 && !slices.ContainsFunc(acts, func(a actHit) bool {
		return !slices.Contains(bodyParts, a.name) && a.name != ActivityStrength
	})
}

func onlyGeneric(acts []actHit) bool {
	for _, a := range acts {
		if !isGeneric(a.name) {
			return false
		}
	}
	return true
}

func dedupErrors(errs []error) []error {
	var out []error
	seen := map[string]bool{}
	for _, e := range errs {
		if !seen[e.Error()] {
			seen[e.Error()] = true
			out = append(out, e)
		}
	}
	return out
}

// segmentDates gives each session without a date of its own the date of
// the nearest dated session before it. A session before the first dated
// one gets the day of the message, unless a later session names another
// day: "pierna 1h; ayer espalda 45" cannot tell whether the legs were
// today or yesterday, so that session's date is ambiguous.
func segmentDates(segs []clause, ref Date) []dateHit {
	out := make([]dateHit, len(segs))
	var last *dateHit
	for k, s := range segs {
		for _, d := range s.dates {
			if d.err == nil {
				last = &dateHit{date: d.date}
				break
			}
		}
		if last != nil {
			out[k] = *last
			continue
		}
		out[k] = dateHit{date: ref}
		for _, later := range segs[k+1:] {
			for _, d := range later.dates {
				if d.err == nil && d.date != ref {
					out[k].err = fmt.Errorf("%w: a session before %s has no date", ErrAmbiguous, d.date)
				}
			}
		}
	}
	return out
}

// group turns clauses into sessions (see Extractor.Extract), for a
// message sent on the day ref.
func group(cs []clause, ref Date) []clause {
	var segs []clause
	var pending clause
	for _, c := range cs {
		if c.empty() || c.neg && len(c.acts)+len(c.durs)+len(c.dists)+len(c.bare) == 0 {
			continue // "ayer no, pero hoy sí: pierna 1h"
		}
		if len(segs) > 0 && onlyAhead(c, ref) {
			continue // "..., la pileta media hora. Mañana descanso total": tomorrow's rest dates no session
		}
		var last *clause
		if len(segs) > 0 {
			last = &segs[len(segs)-1]
		}
		switch {
		case last != nil && len(c.acts) > 0 && repeats(*last, c):
			// "nadé 1 km, 30 min 🏊", "swim 40 min, pool was packed":
			// the same activity again completes or comments the session.
			last.merge(c)
			last.acts = last.acts[:len(last.acts)-len(c.acts)]
		case last != nil && c.then && len(c.acts) > 0 && !c.hasAmount() && len(c.sets)+len(c.cals)+len(c.bare)+len(c.dates) == 0 &&
			last.hasAmount() && len(last.acts) > 0:
			// "30 min run then some yoga": the later activity has no
			// amount. The timed session is logged and the other dropped
			// rather than asked about: asking would log neither until the
			// member answers, and the reply names what was logged, so the
			// missing one shows and can be sent on its own. A missed
			// session costs less than a wrong row, and the corpora label
			// it so ("twenty minutes on the treadmill and then some abs").
		case last != nil && last.list && len(c.acts) > 0 && c.words == 0 && !c.hasAmount() && len(c.sets)+len(c.cals)+len(c.bare)+len(c.dates) == 0:
			// "upper body 1h: chest, shoulders, tris": the list goes on
			last.merge(c)
		case last != nil && len(c.sets) > 0 && len(c.acts) > 0 && !c.hasAmount() && len(c.bare)+len(c.dates) == 0 &&
			last.hasAmount() && len(last.sets) == 0 && gymOnly(last.acts) && gymOnly(c.acts):
			// "arms 40 mins, 4x12 curls": the scheme of the session, its
			// exercise no session of its own
			last.sets = append(last.sets, c.sets...)
		case last != nil && len(c.acts) > 0 && !c.hasAmount() && len(c.sets)+len(c.cals)+len(c.bare) == 0 &&
			last.hasAmount() && c.words > 0 && !onlyGeneric(last.acts):
			// "crossfit 1h. can't feel my arms": a comment, not a session.
		case len(c.acts) > 0 && last != nil && !last.hasAmount() && len(last.bare) == 0 && len(last.acts) > 0,
			len(c.acts) > 0 && last != nil && !c.hasAmount() && len(c.bare) == 0 && onlyGeneric(last.acts):
			// "chest, triceps, 1h" and "gym 1h, legs and glutes"
			last.merge(c)
		case len(c.acts) > 0:
			if pending.hasAmount() && (c.hasAmount() || len(c.bare) > 0) && len(pending.dates) > 0 && len(c.dates) > 0 {
				// "ayer 10k en 52 min y hoy 30 de elíptica": two sessions
				segs = append(segs, pending)
				pending = clause{}
			}
			if !pending.empty() {
				pending.merge(c)
				c, pending = pending, clause{}
			}
			segs = append(segs, c)
		case last != nil:
			last.merge(c)
		default:
			pending.merge(c)
		}
	}
	if !pending.empty() {
		segs = append(segs, pending)
	}
	return segs
}

// onlyAhead reports a clause that names nothing but a day after ref: a
// plan said after the sessions.
func onlyAhead(c clause, ref Date) bool {
	if len(c.acts)+len(c.durs)+len(c.dists)+len(c.cals)+len(c.sets)+len(c.bare) > 0 || len(c.dates) == 0 {
		return false
	}
	for _, d := range c.dates {
		if d.err != nil || !d.date.After(ref) {
			return false
		}
	}
	return true
}

// repeats reports whether clause c names only activities session s already
// has (or only emojis), and adds no amount s already has.
func repeats(s, c clause) bool {
	if len(s.acts) == 0 {
		return false
	}
	for _, a := range c.acts {
		if !a.emoji && !slices.ContainsFunc(s.acts, func(b actHit) bool { return b.name == a.name }) {
			return false
		}
	}
	if len(c.durs) > 0 && (len(s.durs) > 0 || len(s.bare) > 0) || len(c.dists) > 0 && len(s.dists) > 0 {
		return false
	}
	return true
}

// build makes the workouts of one session.
func (p *parser) build(s clause, def dateHit) ([]Workout, []error) {
	var reasons []error
	date := def.date
	if def.err != nil && len(s.dates) == 0 {
		reasons = append(reasons, def.err)
	}
	var dates []Date
	for _, d := range s.dates {
		if d.err != nil {
			reasons = append(reasons, d.err)
			continue
		}
		if !slices.Contains(dates, d.date) {
			dates = append(dates, d.date)
		}
	}
	if len(dates) == 2 && slices.Contains(dates, p.ref) {
		// "hike yesterday, 5 hrs, legs in bits today": the workout's day,
		// and how the sender is today
		dates = slices.DeleteFunc(dates, func(d Date) bool { return d == p.ref })
	}
	if len(dates) > 1 && p.phrase("each", "both", "both days", "cada uno", "cada dia", "ambos", "ambos dias", "los dos", "los dos dias") {
		// "monday and wednesday 1h yoga each": the same session on each day
		var out []Workout
		for _, d := range dates {
			s2 := s
			s2.dates = nil
			ws, errs := p.build(s2, dateHit{date: d})
			out = append(out, ws...)
			reasons = append(reasons, errs...)
		}
		return out, reasons
	}
	switch {
	case len(dates) == 1:
		date = dates[0]
	case len(dates) > 1:
		date = dates[0]
		reasons = append(reasons, fmt.Errorf("%w: %d dates for one session", ErrAmbiguous, len(dates)))
	}

	s.acts = dropEmojis(s.acts)
	if len(s.durs) == 0 && len(s.dists) == 0 && len(s.bare) > 1 {
		// "yoga 30 + stretch 10": numbers by their activities are minutes
		for _, b := range s.bare {
			if b.val >= 10 && b.val <= MaxMinutes {
				s.durs = append(s.durs, b)
			}
		}
		if len(s.durs) != len(s.bare) {
			s.durs = nil
		} else {
			s.bare = nil
		}
	}
	if len(s.durs) >= 1 {
		// "45 min de pádel y 30 de gimnasio": a number after a duration,
		// next to an activity, is a duration too
		for _, b := range s.bare {
			if b.val >= 5 && b.val <= MaxMinutes && p.nextToActivity(s.acts, b.pos) {
				s.durs = append(s.durs, b)
			}
		}
		if len(s.durs) > 1 {
			slices.SortFunc(s.durs, func(a, b quantity) int { return a.pos - b.pos })
			s.bare = nil
		}
	}
	if t, ok := p.total(s.durs); ok && len(s.durs) > 1 {
		s.durs = []quantity{t} // "crossfit + 10 min cooldown, 1h10 total": one session
		s.bare = nil
	}
	if len(s.durs) > 1 {
		s.durs = p.ownDurations(s)
	}
	if len(s.durs) > 1 {
		if ws, ok := p.assign(s, date); ok {
			return ws, reasons
		}
	}

	w := Workout{Date: date, Activity: p.ix.composite(p.sessionNames(s.acts))}
	switch {
	case len(s.durs) == 0 && len(s.dists) == 0 && len(s.bare) == 1 && len(s.acts) > 0 &&
		s.bare[0].val >= 10 && s.bare[0].val <= MaxMinutes && (!distanceSport(s.acts) || p.indoor(s.acts) || s.bare[0].val >= 20 || p.anyDuration()):
		// "biceps 45": a lone number with a gym activity is minutes
		w.Minutes = int(s.bare[0].val)
	case len(s.durs) == 0 && len(s.dists) == 1 && len(s.bare) == 1 && len(s.acts) > 0 &&
		s.bare[0].val >= 10 && s.bare[0].val <= MaxMinutes && s.bare[0].val/s.dists[0].val >= 1 && s.bare[0].val/s.dists[0].val <= 40:
		// "did 45 on the rower. 9.2k": with the distance given, the other
		// number is the time
		w.Minutes = int(s.bare[0].val)
	case len(s.durs) == 1:
		w.Minutes = int(math.Round(s.durs[0].val))
	case len(s.durs) > 1:
		reasons = append(reasons, fmt.Errorf("%w: %d durations for one session", ErrAmbiguous, len(s.durs)))
	}
	fill(&w, s.dists, s.cals, s.sets)
	if w.Activity == "" && (slices.ContainsFunc(s.sets, trackReps) || len(s.dists) > 0 && p.word(s.dists[0].pos+1) == "x") {
		w.Activity = "running" // "6x400 off 90s", "8x800 at 3:40": repeats of a track distance
	}
	if distanceSport([]actHit{{name: w.Activity}}) || slices.Contains([]string{"tennis", "padel", "basketball", "football"}, w.Activity) {
		// "swim 45, 8x50 hard", "tempo 3x2k": an endurance session's
		// repeats are its intervals, not sets of an exercise; a match's
		// sets are its score ("padel 2h, 3 sets, won 2")
		w.Sets, w.Reps = 0, 0
	}
	if w.Activity == "swimming" && w.DistanceKm == 0 {
		for _, b := range s.bare {
			if b.val >= 100 && b.val <= 10000 && math.Mod(b.val, 25) == 0 {
				w.DistanceKm = b.val / 1000 // "swam 1500, 34 min": a swimmer's metres
				break
			}
		}
	}
	if d := distinctVals(s.dists); d > 1 {
		reasons = append(reasons, fmt.Errorf("%w: %d distances for one session", ErrAmbiguous, d))
	}
	if w.DistanceKm == 0 && w.Activity == "running" {
		w.DistanceKm = p.raceKm(s.acts) // "half marathon done, 2:01"
	}
	if w.Activity == "" && len(s.dists) > 0 && (p.raceDistance(s.dists[0].pos) || runningPace(s.dists[0].val, w.Minutes)) {
		w.Activity = "running" // "just got back from a 10k", "10k done in 52 min"
	}
	if w.Activity == "" && p.couchTo5k() {
		w.Activity = "running" // "day 3 of couch to 5k done! 30 min"
	}
	if w.Activity == "" && len(s.dists) > 0 && cyclingPace(s.dists[0].val, w.Minutes) {
		w.Activity = "cycling" // "did 45km to office and back today, 1h50 total"
	}
	if w.Activity == "" && len(s.dists) == 1 && p.word(s.dists[0].pos+1) == "k" && s.dists[0].val <= 50 {
		w.Activity = "running" // "anyone else do 5k this morning?": "k" is a runner's unit
	}
	if w.Activity == "" {
		reasons = append(reasons, ErrNoActivity)
	}
	if w.Minutes <= 0 && len(s.durs) <= 1 {
		reasons = append(reasons, ErrNoDuration)
	}
	return []Workout{w}, reasons
}

// fill sets the optional fields: the first distance and calorie figure;
// the total of the sets, and the reps when every scheme has the same.
func fill(w *Workout, dists, cals []quantity, sets []setsHit) {
	if len(dists) > 0 {
		w.DistanceKm = dists[0].val
	}
	if len(cals) > 0 {
		w.Calories = int(math.Round(cals[0].val))
	}
	reps := -1
	for _, s := range sets {
		w.Sets += s.sets
		switch {
		case s.reps == 0:
		case reps == -1:
			reps = s.reps
		case reps != s.reps:
			reps = 0
		}
	}
	if reps > 0 {
		w.Reps = reps
	}
}

func distinctVals(qs []quantity) int {
	var vs []float64
	for _, q := range qs {
		if !slices.Contains(vs, q.val) {
			vs = append(vs, q.val)
		}
	}
	return len(vs)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// trackReps reports repeats of a distance run on a track: 200 to 2000
// metres, in steps of 100 ("6x400", "5x1000").
func trackReps(h setsHit) bool {
	return h.sets > 1 && h.reps >= 200 && h.reps <= 2000 && h.reps%100 == 0
}
