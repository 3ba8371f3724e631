package gymflow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboardhq/switchboard/flows"
	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/store"
)

// ErrNoSeqs is returned for a turn whose messages carry no inbox ids: the
// flow needs them to never handle a message twice.
var ErrNoSeqs = errors.New("gym flow: turn messages need their inbox ids (Input.Seqs)")

// errPhotoUnread is a post's problem when its only content is photos no
// model could read.
var errPhotoUnread = errors.New("gym flow: photo not read")

// messages converts a runner's turn into the flow's messages: the text the
// model would see (voice notes transcribed), the images, and who sent each
// message as stored.
func messages(thread string, turn flows.Turn) ([]Message, error) {
	in := turn.Input
	if len(in.Messages) == 0 {
		return nil, nil
	}
	if len(in.Seqs) != len(in.Messages) {
		return nil, fmt.Errorf("%w: %d ids for %d messages", ErrNoSeqs, len(in.Seqs), len(in.Messages))
	}
	stored := make(map[int64]store.Inbound, len(turn.Messages))
	for _, m := range turn.Messages {
		stored[m.ID] = m
	}
	out := make([]Message, 0, len(in.Messages))
	for i, lm := range in.Messages {
		seq := in.Seqs[i]
		m := Message{Seq: seq, Text: strings.TrimSpace(lm.Text()), SentAt: lm.Time, Member: thread, Name: in.ProfileName,
			Source: "inbox:" + strconv.FormatInt(seq, 10)}
		for _, p := range lm.Parts {
			if p.Type == llm.PartImage && p.ImageURL != "" {
				m.Images = append(m.Images, p.ImageURL)
			}
		}
		if st, ok := stored[seq]; ok {
			switch {
			case st.Sender != "":
				m.Member = st.Sender
			case st.From != "":
				m.Member = st.From
			}
			m.Name = st.ProfileName
			if st.ProviderID != "" {
				m.Source = st.Channel + ":" + st.ProviderID
			}
			if !st.ReceivedAt.IsZero() {
				m.SentAt = st.ReceivedAt
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// receive drops the messages an earlier run handled and groups the others
// by member, in order of first appearance.
func (f *Flow) receive(ctx context.Context, s State) (State, error) {
	var upd State
	var fresh []Message
	for _, m := range s.Inbox {
		if m.Seq <= s.Watermark {
			upd.Skipped = append(upd.Skipped, m.Seq)
			continue
		}
		upd.Handled = max(upd.Handled, m.Seq)
		fresh = append(fresh, m)
	}
	fresh, upd.Rates, _, upd.Notices = f.admit(fresh, s.Rates)
	index := map[string]int{}
	for _, m := range fresh {
		i, ok := index[m.Member]
		if !ok {
			i = len(upd.Posts)
			index[m.Member] = i
			upd.Posts = append(upd.Posts, Post{Member: m.Member})
		}
		p := &upd.Posts[i]
		p.Messages = append(p.Messages, m)
		if m.Name != "" {
			p.Name = m.Name
		}
	}
	if len(upd.Skipped) > 0 && s.LastReply.Text != "" && s.LastReply.Seq == slices.Max(upd.Skipped) {
		earlier := s.LastReply
		upd.Earlier = &earlier
	}
	return upd, nil
}

func clonePosts(ps []Post) []Post {
	out := slices.Clone(ps)
	for i := range out {
		out[i].Items = slices.Clone(out[i].Items)
	}
	return out
}

// vision reads the photos of the turn.
func (f *Flow) vision(ctx context.Context, s State) (State, error) {
	posts := clonePosts(s.Posts)
	model := f.cfg.Models.Vision
	seen := false
	for i := range posts {
		p := &posts[i]
		for _, m := range p.Messages {
			for _, url := range m.Images {
				seen = true
				if model == nil {
					p.PhotoUnread++
					continue
				}
				ph, err := f.readPhoto(ctx, model, url)
				if err != nil {
					if ctx.Err() != nil {
						return State{}, ctx.Err()
					}
					f.modelFailed(ctx, "vision", err)
					p.PhotoUnread++
					if errors.Is(err, llm.ErrNotConfigured) {
						model = nil
					}
					continue
				}
				ph.Source = m.Source
				ph.SentAt = m.SentAt
				p.Photos = append(p.Photos, ph)
			}
		}
	}
	if !seen {
		return State{}, nil
	}
	return State{Posts: posts}, nil
}

func hasDigit(s string) bool { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }

// classify says what each message is (see Flow.Read): the rules, and the
// classify model for the messages the rules are not sure of.
func (f *Flow) classify(ctx context.Context, s State) (State, error) {
	posts := clonePosts(s.Posts)
	for i := range posts {
		p := &posts[i]
		p.Kinds = make([]gym.Kind, len(p.Messages))
		p.Read = make([]Reading, len(p.Messages))
		for j, m := range p.Messages {
			r := Reading{Kind: gym.KindOther}
			if m.Text != "" {
				var err error
				r, err = f.judge(ctx, gym.Message{ID: m.Source, Member: p.Member, Text: m.Text, SentAt: m.SentAt})
				if err != nil {
					return State{}, err
				}
			}
			p.Kinds[j], p.Read[j] = r.Kind, r
			switch r.Kind {
			case gym.KindWorkoutLog:
				p.Log = true
			case gym.KindSummaryRequest:
				req := gym.ParseRequest(m.Text, gym.DateOf(f.sentAt(m), f.cfg.Location))
				if aboutMember(req) {
					p.Requests = append(p.Requests, req)
				} else {
					p.Summary = req.Period
				}
			case gym.KindCorrection:
				p.Corrections = append(p.Corrections, r.Correction)
			}
		}
		for _, ph := range p.Photos {
			p.Log = p.Log || ph.Workout
		}
		if p.PhotoUnread > 0 && !p.Log && p.Summary == "" && textless(p) {
			// Only photos, none read: it may be a workout summary.
			p.Log = true
		}
	}
	return State{Posts: posts}, nil
}

// sentAt is when a message was sent, never after now.
func (f *Flow) sentAt(m Message) time.Time {
	now := f.cfg.Clock()
	if m.SentAt.IsZero() || m.SentAt.After(now) {
		return now
	}
	return m.SentAt
}

// textless reports whether the post's messages carry no text.
func textless(p *Post) bool {
	for _, m := range p.Messages {
		if m.Text != "" {
			return false
		}
	}
	return true
}

// known returns the chat's members, enrolling the posters under the open
// policy and updating the names of known ones.
func (f *Flow) known(ctx context.Context, chat string, posts []Post, want func(Post) bool) (map[string]string, error) {
	for _, p := range posts {
		if !want(p) {
			continue
		}
		if f.cfg.Enrolment == EnrolOpen {
			if _, err := f.store.AddMember(ctx, chat, p.Member, p.Name); err != nil {
				return nil, err
			}
		}
	}
	ms, err := f.store.Members(ctx, chat)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ms))
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	if f.cfg.Enrolment == EnrolListed {
		for _, p := range posts {
			if _, ok := names[p.Member]; ok && want(p) && p.Name != "" && p.Name != names[p.Member] {
				if _, err := f.store.AddMember(ctx, chat, p.Member, p.Name); err != nil {
					return nil, err
				}
				names[p.Member] = p.Name
			}
		}
	}
	return names, nil
}

// validate checks each workout: gym.Validate, and a known member.
func (f *Flow) validate(ctx context.Context, s State) (State, error) {
	chat := graph.ThreadFromContext(ctx)
	posts := clonePosts(s.Posts)
	names, err := f.known(ctx, chat, posts, func(p Post) bool { return len(p.Items) > 0 })
	if err != nil {
		return State{}, err
	}
	now := f.cfg.Clock()
	for i := range posts {
		p := &posts[i]
		_, isMember := names[p.Member]
		for j := range p.Items {
			it := &p.Items[j]
			if it.Status != StatusPending {
				continue
			}
			err := gym.Validate(it.Workout, now, f.cfg.Location, nil)
			if !isMember {
				err = addField(err, &gym.FieldError{Field: "member", Value: p.Member, Err: gym.ErrUnknownMember})
			}
			if err != nil {
				it.Status, it.Err = StatusInvalid, err
				f.metrics.workout("invalid")
			}
		}
	}
	return State{Posts: posts, Names: names}, nil
}

// addField adds fe to a validation error (or makes one).
func addField(err error, fe *gym.FieldError) error {
	var ve *gym.ValidationError
	if errors.As(err, &ve) {
		return &gym.ValidationError{Fields: append(slices.Clone(ve.Fields), fe)}
	}
	return &gym.ValidationError{Fields: []*gym.FieldError{fe}}
}

// dedupe marks the workouts already stored, or already logged earlier in
// this turn.
func (f *Flow) dedupe(ctx context.Context, s State) (State, error) {
	chat := graph.ThreadFromContext(ctx)
	posts := clonePosts(s.Posts)
	var accepted []gym.Workout
	for i := range posts {
		for j := range posts[i].Items {
			it := &posts[i].Items[j]
			if it.Status != StatusPending {
				continue
			}
			stored, err := f.store.Candidates(ctx, chat, it.Workout)
			if err != nil {
				return State{}, err
			}
			dup, of := gym.IsDuplicate(it.Workout, append(stored, accepted...))
			switch {
			case !dup:
				accepted = append(accepted, it.Workout)
			case it.Workout.SourceMessageID != "" && of.SourceMessageID == it.Workout.SourceMessageID:
				// This very message, stored by an earlier run of the turn.
				it.Status, it.Of = StatusRecorded, of
				f.metrics.workout("recorded")
			default:
				it.Status, it.Of = StatusDuplicate, of
				f.metrics.workout("duplicate")
			}
		}
	}
	return State{Posts: posts}, nil
}

// insert stores the new workouts.
func (f *Flow) insert(ctx context.Context, s State) (State, error) {
	chat := graph.ThreadFromContext(ctx)
	posts := clonePosts(s.Posts)
	for i := range posts {
		p := &posts[i]
		name := p.Name
		if name == "" {
			name = s.Names[p.Member]
		}
		for j := range p.Items {
			it := &p.Items[j]
			if it.Status != StatusPending {
				continue
			}
			ok, err := f.store.Insert(ctx, chat, name, it.Workout)
			if err != nil {
				return State{}, err
			}
			if ok {
				it.Status = StatusInserted
				f.metrics.workout("inserted")
			} else {
				it.Status, it.Of = StatusRecorded, it.Workout
				f.metrics.workout("recorded")
			}
		}
	}
	return State{Posts: posts, Recent: f.remember(s.Recent, posts)}, nil
}

// summary computes the week's standings (for replies to logs and week
// requests) and the month's when asked, and answers the questions about
// one member's workouts.
func (f *Flow) summary(ctx context.Context, s State) (State, error) {
	chat := graph.ThreadFromContext(ctx)
	var week, month, members bool
	for _, p := range s.Posts {
		week = week || p.Summary == gym.PeriodWeek || slices.ContainsFunc(p.Items, Item.counted) || slices.ContainsFunc(p.Items, func(it Item) bool { return it.Status == StatusDuplicate })
		month = month || p.Summary == gym.PeriodMonth
		members = members || len(p.Requests) > 0
	}
	if !week && !month && !members {
		return State{}, nil
	}
	names, err := f.known(ctx, chat, s.Posts, func(p Post) bool { return p.Summary != "" || len(p.Requests) > 0 })
	if err != nil {
		return State{}, err
	}
	ids := make([]string, 0, len(names))
	for id := range names {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	today := gym.DateOf(f.cfg.Clock(), f.cfg.Location)
	upd := State{Names: names}
	if week {
		sum, err := f.store.Summary(ctx, chat, gym.PeriodWeek, today, ids)
		if err != nil {
			return State{}, err
		}
		upd.Week = &sum
	}
	if month {
		sum, err := f.store.Summary(ctx, chat, gym.PeriodMonth, today, ids)
		if err != nil {
			return State{}, err
		}
		upd.Month = &sum
	}
	if members {
		upd.Posts = clonePosts(s.Posts)
		for i := range upd.Posts {
			p := &upd.Posts[i]
			for _, r := range p.Requests {
				text, err := f.answerMember(ctx, chat, *p, r, names)
				if err != nil {
					return State{}, err
				}
				p.Answers = append(p.Answers, text)
			}
		}
	}
	return upd, nil
}
