package gymflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/gym"
)

// maxListed bounds the workouts one memory answer lists.
const maxListed = 15

// aboutMember reports whether a request asks about one member (by name,
// or the sender) rather than the group.
func aboutMember(r gym.Request) bool {
	return r.Member != "" || r.Self && (r.Memory || !r.Day.IsZero())
}

// answerMember answers "how did Ana do this month?" and "what did I log
// yesterday?" from the stored workouts.
func (f *Flow) answerMember(ctx context.Context, chat string, p Post, r gym.Request, names map[string]string) (string, error) {
	id, label := p.Member, "you"
	if r.Member != "" {
		ids := matchName(r.Member, names)
		switch len(ids) {
		case 0:
			return fmt.Sprintf("I don't know anyone called %s in this group.", r.Member), nil
		case 1:
			id, label = ids[0], displayName(ids[0], names)
		default:
			var all []string
			for _, m := range ids {
				all = append(all, displayName(m, names))
			}
			return fmt.Sprintf("Which one? %s.", strings.Join(all, ", ")), nil
		}
	}
	today := gym.DateOf(f.cfg.Clock(), f.cfg.Location)
	from, to := r.Period.Range(today)
	span := "this week"
	if r.Period == gym.PeriodMonth {
		span = "this month"
	}
	if !r.Day.IsZero() {
		from, to, span = r.Day, r.Day, f.dayLabel(r.Day)
	}
	if to.After(today) {
		to = today
	}
	es, err := f.store.Workouts(ctx, chat, id, from, to)
	if err != nil {
		return "", err
	}
	subject := label
	if label == "you" {
		subject = "You"
	}
	if len(es) == 0 {
		return fmt.Sprintf("%s logged nothing %s.", subject, span), nil
	}
	minutes := 0
	for _, e := range es {
		minutes += e.Minutes
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s, %d min.", subject, span, sessions(len(es)), minutes)
	if r.Day.IsZero() {
		if sum, err := f.store.Summary(ctx, chat, r.Period, today, nil); err == nil {
			for _, m := range sum.Members {
				if m.Member == id {
					fmt.Fprintf(&b, " Rank %d of %d.", m.Rank, len(sum.Members))
				}
			}
		} else {
			return "", err
		}
	}
	for i, e := range es {
		if i == maxListed {
			fmt.Fprintf(&b, "\n…and %d more.", len(es)-maxListed)
			break
		}
		fmt.Fprintf(&b, "\n- %s: %s", short(e.Date), f.describeShort(e.Workout))
	}
	return b.String(), nil
}

// dayLabel names a day in a reply.
func (f *Flow) dayLabel(d gym.Date) string {
	switch l := f.dateLabel(d); l {
	case "today", "yesterday":
		return l
	}
	return "on " + short(d)
}

// describeShort is a workout without its date.
func (f *Flow) describeShort(w gym.Workout) string {
	s := fmt.Sprintf("%s %d min", w.Activity, w.Minutes)
	if w.DistanceKm > 0 {
		s += " " + strconv.FormatFloat(w.DistanceKm, 'f', -1, 64) + " km"
	}
	return s
}

// matchName returns the members whose display name is name, or starts
// with it as a word ("Ana" is "Ana García"), compared without case or
// accents.
func matchName(name string, names map[string]string) []string {
	want := foldName(name)
	var exact, prefix []string
	for id, n := range names {
		got := foldName(n)
		switch {
		case got == want:
			exact = append(exact, id)
		case strings.HasPrefix(got, want+" "):
			prefix = append(prefix, id)
		}
	}
	if len(exact) > 0 {
		slices.Sort(exact)
		return exact
	}
	slices.Sort(prefix)
	return prefix
}

func foldName(s string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ü", "u")
	return strings.Join(strings.Fields(r.Replace(strings.ToLower(s))), " ")
}
