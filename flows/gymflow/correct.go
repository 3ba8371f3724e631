package gymflow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
)

// CorrectionWindow is how long after logging a member may undo or correct
// it with a word ("undo", "that was 40 not 45").
const CorrectionWindow = 24 * time.Hour

// Logged is a member's last log: the source ids of the workouts it stored,
// and when (by the flow's clock). It is checkpointed with the thread, so
// an undo works after a restart.
type Logged struct {
	Sources []string  `json:"sources"`
	At      time.Time `json:"at"`
}

// remember records the workouts each post stored now as its member's last
// log, and forgets logs older than CorrectionWindow, which bounds the map
// by the members who logged within the window.
func (f *Flow) remember(recent map[string]Logged, posts []Post) map[string]Logged {
	now := f.cfg.Clock()
	out := make(map[string]Logged, len(recent))
	for m, l := range recent {
		if now.Sub(l.At) <= CorrectionWindow {
			out[m] = l
		}
	}
	for _, p := range posts {
		var sources []string
		for _, it := range p.Items {
			if it.Status == StatusInserted && it.Workout.SourceMessageID != "" {
				sources = append(sources, it.Workout.SourceMessageID)
			}
		}
		if len(sources) > 0 {
			out[p.Member] = Logged{Sources: sources, At: now}
		}
	}
	return out
}

// correct applies the undos and corrections of the turn to each member's
// last log, and says what changed in Post.Fixes.
func (f *Flow) correct(ctx context.Context, s State) (State, error) {
	if !slices.ContainsFunc(s.Posts, func(p Post) bool { return len(p.Corrections) > 0 }) {
		return State{}, nil
	}
	chat := graph.ThreadFromContext(ctx)
	posts := clonePosts(s.Posts)
	recent := maps.Clone(s.Recent)
	if recent == nil {
		recent = map[string]Logged{}
	}
	now := f.cfg.Clock()
	for i := range posts {
		p := &posts[i]
		for _, c := range p.Corrections {
			text, err := f.applyCorrection(ctx, chat, p, c, recent, now)
			if err != nil {
				return State{}, err
			}
			p.Fixes = append(p.Fixes, text)
		}
	}
	return State{Posts: posts, Recent: recent}, nil
}

// applyCorrection applies one correction and returns the reply.
func (f *Flow) applyCorrection(ctx context.Context, chat string, p *Post, c gym.Correction, recent map[string]Logged, now time.Time) (string, error) {
	who := p.Name
	if who == "" {
		who = "you"
	}
	last, ok := recent[p.Member]
	if !ok || now.Sub(last.At) > CorrectionWindow {
		return fmt.Sprintf("%s, I have nothing you logged in the last %d hours to change.", who, int(CorrectionWindow.Hours())), nil
	}
	es, err := f.store.BySource(ctx, chat, p.Member, last.Sources)
	if err != nil {
		return "", err
	}
	if len(es) == 0 {
		delete(recent, p.Member)
		return fmt.Sprintf("%s, your last log is already gone.", who), nil
	}
	if c.Undo {
		if _, err := f.store.Delete(ctx, chat, p.Member, last.Sources); err != nil {
			return "", err
		}
		delete(recent, p.Member)
		f.metrics.workout("undone")
		var gone []string
		for _, e := range es {
			gone = append(gone, f.describe(e.Workout))
		}
		return fmt.Sprintf("Undone, %s: I removed %s.", who, strings.Join(gone, ", ")), nil
	}
	target, ok := pick(es, c)
	if !ok {
		var all []string
		for _, e := range es {
			all = append(all, f.describe(e.Workout))
		}
		return fmt.Sprintf("%s, your last log was %s; I changed nothing.", who, strings.Join(all, ", ")), nil
	}
	fixed := target.Workout
	if c.Minutes > 0 {
		fixed.Minutes = c.Minutes
	}
	if c.DistanceKm > 0 {
		fixed.DistanceKm = c.DistanceKm
	}
	if c.Activity != "" {
		fixed.Activity = c.Activity
	}
	if !c.Date.IsZero() {
		fixed.Date = c.Date
	}
	if err := gym.Validate(fixed, now, f.cfg.Location, nil); err != nil {
		var ve *gym.ValidationError
		if errors.As(err, &ve) {
			return refusal(who, Item{Workout: fixed, Err: err}), nil
		}
		return "", err
	}
	if fixed == target.Workout {
		return fmt.Sprintf("%s, that's what I have already: %s.", who, f.describe(fixed)), nil
	}
	if _, err := f.store.Correct(ctx, chat, p.Member, target.SourceMessageID, fixed); err != nil {
		return "", err
	}
	f.metrics.workout("corrected")
	return fmt.Sprintf("Fixed, %s: %s is now %s.", who, f.describe(target.Workout), f.describe(fixed)), nil
}

// pick chooses the workout of the last log a correction is about: the one
// matching what the member said was wrong, or the last one. A distance is
// corrected only on a workout that has one, or when the member names the
// wrong one: "make that 10k" says nothing of the gym session logged with
// the run.
func pick(es []sqlstore.Entry, c gym.Correction) (sqlstore.Entry, bool) {
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if (c.WasMinutes == 0 || e.Minutes == c.WasMinutes) && (c.WasActivity == "" || e.Activity == c.WasActivity) &&
			(c.WasDistanceKm == 0 || sameKm(e.DistanceKm, c.WasDistanceKm)) &&
			(c.DistanceKm == 0 || c.WasDistanceKm > 0 || e.DistanceKm > 0 || len(es) == 1) {
			return e, true
		}
	}
	return sqlstore.Entry{}, false
}

// sameKm reports whether two distances agree to the 50 m a member rounds
// to: "not 8" matches the 8.04 km a watch stored.
func sameKm(a, b float64) bool { return math.Abs(a-b) < 0.5 }
