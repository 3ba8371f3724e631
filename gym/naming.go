package gym

import "slices"

// settingWords name where or in what form a session happened rather than
// the sport itself: a route, a circuit, intervals, a treadmill, a pool.
// Alone they name their usual sport ("ruta de 5 horas" is a hike); next
// to a sport they only qualify it ("ruta de 20 km andando" is a walk,
// "rowing intervals" are rowing).
var settingWords = []string{"ruta", "excursion", "intervals", "intervalos", "interval", "treadmill", "cinta", "pool", "piscina", "pileta", "alberca"}

// sessionNames lists the canonical names of one session's activities,
// without those only named by a setting word when a sport is named too.
func (p *parser) sessionNames(acts []actHit) []string {
	setting := func(a actHit) bool {
		return a.end == a.pos+1 && (slices.Contains(settingWords, p.word(a.pos)) ||
			// "went for a run at lunch, legs felt heavy": the body part felt
			slices.Contains(bodyParts, a.name) && slices.Contains([]string{"felt", "was", "were", "feel", "feels", "are", "is"}, p.word(a.end)))
	}
	// the company kept and a modifier name no session of their own when
	// something else is named
	aside := func(a actHit) bool { return p.company(a) || p.modifier(a, acts) || p.recordOn(a) }
	if slices.ContainsFunc(acts, func(a actHit) bool { return !aside(a) }) {
		acts = slices.DeleteFunc(slices.Clone(acts), aside)
	}
	sport := slices.ContainsFunc(acts, func(a actHit) bool { return !setting(a) && !isGeneric(a.name) })
	names := make([]string, 0, len(acts))
	for _, a := range acts {
		if sport && setting(a) {
			continue
		}
		names = append(names, a.name)
	}
	return names
}

// companyNouns name people one trains with: after an activity word they
// make it the name of the company, not of the session ("hiked 14 km with
// the walking group", "swam with my running buddy").
var companyNouns = []string{"group", "groups", "club", "clubs", "crew", "squad", "buddy", "buddies", "mates", "mate",
	"friends", "friend", "gang", "team", "partner", "partners", "lads", "girls", "pals", "coach", "grupo", "club",
	"equipo", "amigos", "amigas", "companeros", "companeras", "crew", "quedada"}

// company reports an activity named as the company kept: followed by a
// company noun ("the running club") or after "grupo de", "club de" ("con
// el grupo de running").
func (p *parser) company(a actHit) bool {
	if a.emoji {
		return false
	}
	if slices.Contains(companyNouns, p.word(a.end)) {
		return true
	}
	return (p.word(a.pos-1) == "de" || p.word(a.pos-1) == "of") && slices.Contains(companyNouns, p.word(a.pos-2))
}

// sessionNouns are the words that name the session itself when another
// activity word comes right before them as a modifier: "hill climb ride"
// is a ride, "hiit ride" a ride, "walking lunges" lunges.
var sessionNouns = []string{"ride", "rides", "run", "runs", "jog", "swim", "row", "lunges", "lunge", "class"}

// modifierWords are the activity words that qualify a session's noun
// ("squats deadlifts lunges" lists three exercises).
var modifierWords = []string{"climb", "climbing", "hiit", "tabata", "walking", "interval", "intervals", "sprint", "sprints", "tempo", "spin", "spinning"}

// modifier reports an activity written right before another one that is
// the session's noun, with no connector between them.
func (p *parser) modifier(a actHit, acts []actHit) bool {
	return !a.emoji && !isGeneric(a.name) && slices.Contains(modifierWords, p.word(a.end-1)) && slices.ContainsFunc(acts, func(b actHit) bool {
		return b.pos == a.end && b.name != a.name && slices.Contains(sessionNouns, p.word(b.pos))
	})
}

// raceKm returns the distance of a race named among acts ("half
// marathon", "media maratón", "marathon"), or 0: a race run is its
// distance (a parkrun's 5 km is left unsaid, as the corpora label it). "marathon training" and "marathon pace" are no race.
func (p *parser) raceKm(acts []actHit) float64 {
	for _, a := range acts {
		ws := p.wordsIn(a.pos, a.end)
		if len(ws) == 0 || slices.Contains([]string{"training", "prep", "plan", "pace", "entreno", "ritmo", "week", "semana", "block"}, p.word(a.end)) {
			continue
		}
		last, before := ws[len(ws)-1], p.word(a.pos-1)
		switch {
		case (last == "parkrun" || last == "parkruns") && before != "junior":
			return 5 // a parkrun is 5 km, always
		case last == "marathon" || last == "maraton":
			if len(ws) > 1 || slices.Contains([]string{"half", "media", "medio"}, before) {
				return 21.1
			}
			if before == "ultra" {
				continue
			}
			return 42.2
		}
	}
	return 0
}

// recordOn reports an exercise named as where a record fell: "weights 1h,
// PB on squat", "pesas 1h, récord en sentadilla". With no other activity
// it is the session ("hit a PR on deadlift today! 1h session").
func (p *parser) recordOn(a actHit) bool {
	prev := p.word(a.pos - 1)
	return (prev == "on" || prev == "en" || prev == "in") && slices.Contains([]string{"pb", "pr", "record", "pbs", "prs", "marca"}, p.word(a.pos-2))
}
