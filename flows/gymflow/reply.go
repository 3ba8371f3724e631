package gymflow

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/prompts"
)

// maxReplyRunes bounds a model's reply to one post; a longer one is
// replaced by the plain text.
const maxReplyRunes = 600

// reply writes the turn's answer and records it with the watermark.
func (f *Flow) reply(ctx context.Context, s State) (State, error) {
	var parts []string
	for _, p := range s.Posts {
		if text := f.replyToLog(ctx, s, p); text != "" {
			parts = append(parts, text)
		}
		parts = append(parts, p.Fixes...)
		parts = append(parts, p.Answers...)
	}
	done := map[gym.Period]bool{}
	for _, p := range s.Posts {
		if p.Summary == "" || done[p.Summary] {
			continue
		}
		done[p.Summary] = true
		sum := s.Week
		if p.Summary == gym.PeriodMonth {
			sum = s.Month
		}
		if sum != nil {
			parts = append(parts, f.summaryText(*sum, s.Names))
		}
	}
	parts = append(parts, s.Notices...)
	upd := State{Watermark: s.Handled, Reply: strings.Join(parts, "\n\n")}
	if upd.Reply != "" {
		upd.LastReply = Answer{Seq: s.Handled, Text: upd.Reply}
	}
	return upd, nil
}

// name is how a member is called in replies: their push name, the name
// stored, or the end of their number.
func name(p Post, names map[string]string) string {
	if p.Name != "" {
		return p.Name
	}
	return displayName(p.Member, names)
}

func displayName(id string, names map[string]string) string {
	if n := names[id]; n != "" {
		return n
	}
	local, _, _ := strings.Cut(id, "@")
	digits := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, local)
	if len(digits) > 4 {
		return "…" + digits[len(digits)-4:]
	}
	return "someone"
}

// shown are the items a reply reports (not the silent photo repeats).
func shown(p Post) (logged, refused []Item) {
	for _, it := range p.Items {
		switch it.Status {
		case StatusDropped:
		case StatusInvalid:
			refused = append(refused, it)
		default:
			logged = append(logged, it)
		}
	}
	return logged, refused
}

// facts is the workout a reply confirms: the stored one for a duplicate or
// a workout stored by an earlier run.
func (it Item) facts() gym.Workout {
	if it.Status == StatusDuplicate || it.Status == StatusRecorded {
		if it.Of.Activity != "" {
			return it.Of
		}
	}
	return it.Workout
}

func (f *Flow) dateLabel(d gym.Date) string {
	today := gym.DateOf(f.cfg.Clock(), f.cfg.Location)
	switch today.DaysSince(d) {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return d.String()
}

// replyToLog answers one member's log: the persona through the reply
// model, or the plain text; refusals and rephrase requests are plain.
func (f *Flow) replyToLog(ctx context.Context, s State, p Post) string {
	who := name(p, s.Names)
	if p.Problem != nil {
		return rephrase(who, p.Problem)
	}
	logged, refused := shown(p)
	var parts []string
	if len(logged) > 0 {
		var week gym.MemberStats
		if s.Week != nil {
			for _, m := range s.Week.Members {
				if m.Member == p.Member {
					week = m
				}
			}
		}
		text := f.personaReply(ctx, s, p, who, logged, week)
		if text == "" {
			text = f.plainLogReply(who, logged, week)
		}
		parts = append(parts, text)
	}
	for _, it := range refused {
		parts = append(parts, refusal(who, it))
	}
	return strings.Join(parts, "\n")
}

// personaReply asks the reply model for the persona's reply and checks it
// states every number it must; "" means use the plain text.
func (f *Flow) personaReply(ctx context.Context, s State, p Post, who string, logged []Item, week gym.MemberStats) string {
	model := f.cfg.Models.Reply
	if model == nil || f.cfg.Prompts == nil {
		return ""
	}
	data := prompts.GymReplyData{
		Now:          f.cfg.Clock(),
		MemberName:   who,
		Message:      postText(p),
		WeekSessions: week.Sessions,
		WeekMinutes:  week.Minutes,
		Tone:         f.cfg.Tone,
	}
	for _, it := range logged {
		w := it.facts()
		data.Workouts = append(data.Workouts, prompts.GymWorkout{Activity: w.Activity, Minutes: w.Minutes,
			Date: f.dateLabel(w.Date), Duplicate: it.Status == StatusDuplicate})
	}
	if s.Week != nil {
		for _, m := range s.Week.Members {
			if m.Sessions > 0 && len(data.Leaderboard) < 5 {
				data.Leaderboard = append(data.Leaderboard, prompts.GymStanding{Name: displayName(m.Member, s.Names), Minutes: m.Minutes})
			}
		}
	}
	system, err := f.cfg.Prompts.GymReply(data)
	if err != nil {
		f.cfg.Logger.ErrorContext(ctx, "gym flow: render the reply prompt", "err", err)
		return ""
	}
	resp, err := f.generate(ctx, "reply", model, llm.Request{
		System:   system,
		Messages: []llm.Message{llm.UserText("Write the reply now.")},
	})
	if err != nil {
		f.modelFailed(ctx, "reply", err)
		return ""
	}
	text := strings.Trim(strings.TrimSpace(resp.Message.Text()), `"`)
	var numbers []int
	for _, w := range data.Workouts {
		numbers = append(numbers, w.Minutes)
	}
	if err := checkReply(text, numbers); err != nil {
		f.modelFailed(ctx, "reply", err)
		return ""
	}
	return text
}

var numberRE = regexp.MustCompile(`\d+`)

// checkReply accepts a model's reply that is short enough and states each
// of the numbers.
func checkReply(text string, numbers []int) error {
	if text == "" {
		return fmt.Errorf("%w: empty reply", ErrModelOutput)
	}
	if n := len([]rune(text)); n > maxReplyRunes {
		return fmt.Errorf("%w: reply of %d characters", ErrModelOutput, n)
	}
	found := numberRE.FindAllString(text, -1)
	for _, n := range numbers {
		if !slices.Contains(found, strconv.Itoa(n)) {
			return fmt.Errorf("%w: reply does not state %d", ErrModelOutput, n)
		}
	}
	return nil
}

func postText(p Post) string {
	var texts []string
	for _, m := range p.Messages {
		if m.Text != "" {
			texts = append(texts, m.Text)
		}
	}
	return strings.Join(texts, "\n")
}

func (f *Flow) describe(w gym.Workout) string {
	s := fmt.Sprintf("%s %d min", w.Activity, w.Minutes)
	if w.DistanceKm > 0 {
		s += " " + strconv.FormatFloat(w.DistanceKm, 'f', -1, 64) + " km"
	}
	return s + " (" + f.dateLabel(w.Date) + ")"
}

func sessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return strconv.Itoa(n) + " sessions"
}

// plainLogReply is the reply to a log without a model.
func (f *Flow) plainLogReply(who string, logged []Item, week gym.MemberStats) string {
	var news, dups []string
	for _, it := range logged {
		if it.Status == StatusDuplicate {
			dups = append(dups, f.describe(it.facts()))
		} else {
			news = append(news, f.describe(it.facts()))
		}
	}
	sarcastic := f.cfg.Tone == ToneSarcastic
	var b strings.Builder
	if len(news) > 0 {
		if sarcastic {
			fmt.Fprintf(&b, "Fine, %s, it's on the board: %s.", who, strings.Join(news, ", "))
		} else {
			fmt.Fprintf(&b, "Nice one, %s! Logged %s.", who, strings.Join(news, ", "))
		}
	}
	if len(dups) > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		switch {
		case len(news) > 0:
			fmt.Fprintf(&b, "Already logged, not counted again: %s.", strings.Join(dups, ", "))
		case sarcastic:
			fmt.Fprintf(&b, "Nice try, %s: you already logged that (%s). Not counted twice.", who, strings.Join(dups, ", "))
		default:
			fmt.Fprintf(&b, "%s, you already logged that (%s), so it isn't counted again.", who, strings.Join(dups, ", "))
		}
	}
	fmt.Fprintf(&b, " Your week: %s, %d min.", sessions(week.Sessions), week.Minutes)
	return b.String()
}

// refusal says why a workout was not logged.
func refusal(who string, it Item) string {
	w := it.Workout
	what := fmt.Sprintf("%s %d min", w.Activity, w.Minutes)
	var why []string
	var ve *gym.ValidationError
	if errors.As(it.Err, &ve) {
		for _, fe := range ve.Fields {
			switch {
			case fe.Field == "member" && errors.Is(fe, gym.ErrUnknownMember):
				why = append(why, "you're not on this group's member list (ask an admin to add you)")
			case errors.Is(fe, gym.ErrFutureDate):
				why = append(why, "that date is in the future")
			case errors.Is(fe, gym.ErrTooOld):
				why = append(why, fmt.Sprintf("that's more than %d days ago", gym.MaxAgeDays))
			case fe.Field == "minutes":
				why = append(why, fmt.Sprintf("a session is %d to %d minutes", gym.MinMinutes, gym.MaxMinutes))
			default:
				why = append(why, fmt.Sprintf("the %s doesn't look right", strings.ReplaceAll(fe.Field, "_", " ")))
			}
		}
	}
	if len(why) == 0 {
		why = append(why, "it doesn't look right")
	}
	return fmt.Sprintf("%s, I didn't log %s: %s.", who, what, strings.Join(why, "; "))
}

// rephrase asks a member to say it again, according to what the rules
// (or the model) could not read.
func rephrase(who string, problem error) string {
	const example = `like "legs 45 min" or "ran 5k in 28 min yesterday"`
	switch {
	case errors.Is(problem, errPhotoUnread):
		return fmt.Sprintf("%s, I can't read photos here yet. Type the workout, %s.", who, example)
	case errors.Is(problem, gym.ErrNoDuration):
		return fmt.Sprintf("%s, how long was it? Say it %s.", who, example)
	case errors.Is(problem, gym.ErrNoActivity):
		return fmt.Sprintf("%s, what did you train? Say it %s.", who, example)
	case errors.Is(problem, gym.ErrBadDate):
		return fmt.Sprintf("%s, that date doesn't exist. Say it again with day/month, %s.", who, example)
	}
	return fmt.Sprintf("%s, I couldn't tell what to log. One workout per line, %s.", who, example)
}

// summaryText is the plain leaderboard: sessions, minutes and streaks per
// member, and the group's totals.
func (f *Flow) summaryText(sum gym.Summary, names map[string]string) string {
	var b strings.Builder
	if sum.Period == gym.PeriodMonth {
		fmt.Fprintf(&b, "This month (%s %d):", sum.From.Month, sum.From.Year)
	} else {
		fmt.Fprintf(&b, "This week (%s to %s):", short(sum.From), short(sum.To))
	}
	if len(sum.Members) == 0 {
		b.WriteString("\nNobody has logged anything yet.")
	}
	var slacker string
	for _, m := range sum.Members {
		fmt.Fprintf(&b, "\n%d. %s: %s, %d min", m.Rank, displayName(m.Member, names), sessions(m.Sessions), m.Minutes)
		if m.Streak > 1 {
			fmt.Fprintf(&b, ", %d-day streak", m.Streak)
		}
		if m.Sessions == 0 {
			slacker = displayName(m.Member, names)
		}
	}
	fmt.Fprintf(&b, "\nGroup: %s, %d min.", sessions(sum.TotalSessions), sum.TotalMinutes)
	switch {
	case f.cfg.Tone == ToneSarcastic && slacker != "":
		fmt.Fprintf(&b, " %s, the gym called. It misses you.", slacker)
	case f.cfg.Tone == ToneSarcastic && sum.TotalSessions > 0:
		b.WriteString(" Not bad. Not great either.")
	case sum.TotalSessions > 0:
		b.WriteString(" Keep it up!")
	}
	return b.String()
}

func short(d gym.Date) string {
	return fmt.Sprintf("%s %d %s", d.Weekday().String()[:3], d.Day, d.Month.String()[:3])
}
