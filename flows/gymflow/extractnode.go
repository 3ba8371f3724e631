package gymflow

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/gym"
)

// logText is the text a log is read from: the messages that log, and the
// fragments ("1h") that complete them.
func logText(p *Post) (string, Message) {
	var parts []string
	var first Message
	for j, m := range p.Messages {
		k := p.Kinds[j]
		if m.Text == "" || k == gym.KindSummaryRequest || k == gym.KindCorrection || len(p.Read[j].Workouts) > 0 {
			continue
		}
		if k == gym.KindOther && (p.Read[j].ByModel || !fragment(p, m.Text)) {
			continue
		}
		if len(parts) == 0 {
			first = m
		}
		parts = append(parts, m.Text)
	}
	return strings.Join(parts, "\n"), first
}

// fragment reports whether text completes another message of the post
// ("1h" after "legs"): a few words with a number, not a question.
func fragment(p *Post, text string) bool {
	return len(p.Messages) > 1 && hasDigit(text) && !strings.Contains(text, "?") && len(strings.Fields(text)) <= 4
}

// extract turns each log into workouts.
func (f *Flow) extract(ctx context.Context, s State) (State, error) {
	posts := clonePosts(s.Posts)
	now := f.cfg.Clock()
	x := gym.Extractor{MonthFirst: f.cfg.MonthFirst}
	for i := range posts {
		p := &posts[i]
		if !p.Log {
			continue
		}
		text, first := logText(p)
		var problem error
		for _, r := range p.Read {
			for _, w := range r.Workouts {
				p.Items = append(p.Items, Item{Workout: w})
			}
		}
		if text != "" {
			msg := gym.Message{ID: first.Source, Member: p.Member, Text: text, SentAt: first.SentAt}
			ws, err := x.Extract(msg, now, f.cfg.Location)
			var xe *gym.ExtractError
			switch {
			case err == nil:
			case errors.As(err, &xe):
				ws, err = f.extractWithModel(ctx, msg, xe)
				if err != nil {
					if ctx.Err() != nil {
						return State{}, ctx.Err()
					}
					problem = xe
				}
			default:
				problem = err
			}
			for _, w := range ws {
				p.Items = append(p.Items, Item{Workout: w})
			}
		}
		texts := slices.Clone(p.Items)
		for j, ph := range p.Photos {
			if !ph.Workout {
				continue
			}
			w, err := ph.workout(p.Member, j, now, f.cfg.Location)
			if err != nil {
				if problem == nil {
					problem = err
				}
				continue
			}
			it := Item{Workout: w, FromPhoto: true}
			if dup, _ := gym.IsDuplicate(withoutSource(w), withoutSources(texts)); dup {
				it.Status = StatusDropped // the text already says it
			}
			p.Items = append(p.Items, it)
		}
		if len(p.Items) == 0 {
			switch {
			case problem != nil:
				p.Problem = problem
			case p.PhotoUnread > 0:
				p.Problem = errPhotoUnread
			default:
				p.Problem = &gym.ExtractError{Reasons: []error{gym.ErrNotWorkout}}
			}
			f.metrics.rephraseAsked()
		}
	}
	return State{Posts: posts}, nil
}

func withoutSource(w gym.Workout) gym.Workout {
	w.SourceMessageID = ""
	return w
}

func withoutSources(items []Item) []gym.Workout {
	out := make([]gym.Workout, len(items))
	for i, it := range items {
		out[i] = withoutSource(it.Workout)
	}
	return out
}
