package gym

import (
	"fmt"
	"time"
)

// Workout is one logged training session. The zero value of an optional
// field means "not said".
type Workout struct {
	// Member identifies who trained: the sender's id as the flow knows it
	// (a thread id such as "whatsapp:+15551234567" or a group participant).
	Member string `json:"member"`
	// Date is the local civil date of the session in the group's zone.
	Date Date `json:"date"`
	// Activity is a canonical name from Activities, or a composite
	// ("chest+triceps"); see NormalizeActivity.
	Activity string `json:"activity"`
	// Minutes is the duration in whole minutes.
	Minutes int `json:"minutes"`
	// Sets and Reps describe a strength session ("4x12"); optional.
	Sets int `json:"sets,omitempty"`
	Reps int `json:"reps,omitempty"`
	// DistanceKm is the distance covered, in kilometres; optional.
	DistanceKm float64 `json:"distance_km,omitempty"`
	// Calories is the energy reported, in kcal; optional.
	Calories int `json:"calories,omitempty"`
	// SourceMessageID is the provider id of the message the workout came
	// from (see SourceID for messages holding several workouts).
	SourceMessageID string `json:"source_message_id,omitempty"`
}

// Message is one inbound message of a gym chat, as the rules read it.
type Message struct {
	// ID is the provider's message id; it becomes SourceMessageID.
	ID string `json:"id"`
	// Member is the sender's id; it becomes Workout.Member.
	Member string `json:"member"`
	// Text is the body, a voice-note transcript or a photo description.
	Text string `json:"text"`
	// SentAt is when the message was sent. Relative dates ("ayer") resolve
	// against it so a message processed after midnight keeps its day; zero
	// (or a time after now) means now.
	SentAt time.Time `json:"sent_at,omitzero"`
}

// Kind is what a message is, for the gym pipeline.
type Kind string

// The kinds of message Classify returns.
const (
	// KindWorkoutLog reports one or more sessions done.
	KindWorkoutLog Kind = "workout_log"
	// KindSummaryRequest asks how the group is doing (week or month).
	KindSummaryRequest Kind = "summary_request"
	// KindCorrection undoes or corrects the sender's last logged workout
	// ("undo", "that was 40 not 45", "era pádel, no tenis").
	KindCorrection Kind = "correction"
	// KindOther is everything else: greetings, banter, plans, questions.
	KindOther Kind = "other"
)

// SourceID returns the SourceMessageID of the index-th (from 0) workout of
// a message: the message id itself for the first, "id#2", "id#3"... for the
// others, so each workout keeps a unique source id and the same message
// extracted again yields the same ids. An empty id stays empty.
func SourceID(messageID string, index int) string {
	if messageID == "" || index == 0 {
		return messageID
	}
	return fmt.Sprintf("%s#%d", messageID, index+1)
}
