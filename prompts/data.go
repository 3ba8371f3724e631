package prompts

import (
	"time"

	"github.com/switchboardhq/switchboard/llm"
)

// SystemData is what the system prompt is rendered from each turn.
type SystemData struct {
	// Now is the current time; zero means the Set's clock. It is shown in
	// the Set's time zone.
	Now time.Time
	// AssistantName is what the assistant calls itself; empty means
	// "Switchboard".
	AssistantName string
	// Business is the business the assistant answers for ("Studio Nine
	// Pilates"); empty makes it a personal assistant.
	Business string
	// Owner is true when the user is the owner (of the business, or of the
	// personal assistant).
	Owner bool
	// ProfileName is the user's name as the channel reported it, when known.
	ProfileName string
	// Tools are the tools offered on this thread, and only those: the
	// prompt lists their names and descriptions. tools.Set.Defs gives them.
	Tools []llm.ToolDef
}

// GymReplyData is the facts a reply to a workout log must confirm.
type GymReplyData struct {
	// Now is the current time; zero means the Set's clock.
	Now time.Time
	// MemberName is the member who logged.
	MemberName string
	// Message is the member's message as sent (or transcribed), so the
	// reply matches its language.
	Message string
	// Workouts are the workouts the message logged, in order.
	Workouts []GymWorkout
	// WeekSessions and WeekMinutes are the member's totals for the current
	// week, this message included (duplicates not counted twice).
	WeekSessions int
	WeekMinutes  int
	// Leaderboard is the week's standings, best first; optional.
	Leaderboard []GymStanding
	// Tone is "sarcastic" (the default when empty) or "friendly". An
	// override template may know more tones.
	Tone string
}

// GymWorkout is one logged workout.
type GymWorkout struct {
	// Activity is the normalized activity ("running", "chest+triceps").
	Activity string
	// Minutes is the duration.
	Minutes int
	// Date is the workout's day, as the reply should state it
	// ("2026-03-12", or "today").
	Date string
	// Duplicate is true when the workout had already been logged and was
	// not counted again.
	Duplicate bool
}

// GymStanding is one line of a leaderboard.
type GymStanding struct {
	Name    string
	Minutes int
}

// systemView is what system.tmpl receives.
type systemView struct {
	SystemData
	clock
}

// gymReplyView is what gym_reply.tmpl receives.
type gymReplyView struct {
	GymReplyData
	clock
	// AnyDuplicate and AllDuplicates summarize the workouts' Duplicate
	// flags.
	AnyDuplicate  bool
	AllDuplicates bool
}

// System renders the system prompt.
func (s *Set) System(data SystemData) (string, error) {
	if data.AssistantName == "" {
		data.AssistantName = "Switchboard"
	}
	data.ProfileName = Name(data.ProfileName)
	var c clock
	data.Now, c = s.clockAt(data.Now)
	return s.render(SystemTemplate, systemView{SystemData: data, clock: c})
}

// GymReply renders the instructions for replying to a workout log.
func (s *Set) GymReply(data GymReplyData) (string, error) {
	if data.Tone == "" {
		data.Tone = "sarcastic"
	}
	data.MemberName = Name(data.MemberName)
	data.Message = quoteSafe(data.Message)
	board := make([]GymStanding, len(data.Leaderboard))
	for i, st := range data.Leaderboard {
		st.Name = Name(st.Name)
		board[i] = st
	}
	data.Leaderboard = board
	var c clock
	data.Now, c = s.clockAt(data.Now)
	v := gymReplyView{GymReplyData: data, clock: c, AllDuplicates: len(data.Workouts) > 0}
	for _, w := range data.Workouts {
		v.AnyDuplicate = v.AnyDuplicate || w.Duplicate
		v.AllDuplicates = v.AllDuplicates && w.Duplicate
	}
	return s.render(GymReplyTemplate, v)
}
