package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/tools/workout"
)

// script is what the load's conversations do beyond "hello": some messages
// ask for a workout to be logged, which the fake model does with the
// assistant's log_workout tool (a tool with a side effect, in the
// database), and the fake model fails a fraction of its calls.
type script struct {
	// threads is the number of load threads; message m is thread m%threads.
	threads int
	// workoutEvery makes every workoutEvery-th message of a thread ask
	// for a workout (0: none).
	workoutEvery int
	// failRate is the fraction of model calls that fail: a 5xx, a call
	// that hangs past the assistant's LLM_TIMEOUT (hang), or a tool call
	// whose arguments are not JSON, in turn.
	failRate float64
	hang     time.Duration
}

// Ways the fake model fails (-model-fail).
const (
	failStatus = iota
	failTimeout
	failMalformed
	failKinds
)

// fallbackText is the assistant's FALLBACK_REPLY in the load, so the fake
// Twilio can tell a fallback from a reply.
const fallbackText = "Sorry, the load test's model is down. Please try again in a minute."

// maxWorkoutCalls bounds the fake model's log_workout calls for one
// request in one turn (a call whose result was an error is made again,
// as a model told "you may retry once" would).
const maxWorkoutCalls = 3

// wantsWorkout reports whether message m asks for a workout.
func (s script) wantsWorkout(m int) bool {
	return s.workoutEvery > 0 && s.threads > 0 && (m/s.threads)%s.workoutEvery == s.workoutEvery-1
}

// text is the body of message m (its marker is added to it).
func (s script) text(m int) string {
	if s.wantsWorkout(m) {
		return "log my workout"
	}
	return "hello"
}

// loggable are the canonical activities the fake model logs, in order.
func loggable() []string {
	var out []string
	for _, a := range gym.Activities() {
		if n, ok := gym.NormalizeActivity(a); ok && n == a {
			out = append(out, a)
		}
	}
	return out
}

// workout is the workout message m asks for: distinct for each request of
// a thread (by activity, and by more than 10 % in minutes when the
// activities come round again), so no two are duplicates of each other by
// gym.IsDuplicate's rule and each must be stored exactly once.
func (s script) workout(m int) workout.LogArgs {
	acts := loggable()
	k := m / s.threads / max(s.workoutEvery, 1) // the thread's k-th request
	return workout.LogArgs{Activity: acts[k%len(acts)], Minutes: 30 + 10*(k/len(acts))}
}

// toolCall is a tool call in a chat-completions message.
type toolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// workoutCalls returns the log_workout calls the fake model makes next:
// one for each workout the newest user messages ask for that no call of
// this turn has logged yet (at most maxWorkoutCalls tries each).
func (s script) workoutCalls(req chatRequest) []workout.LogArgs {
	if s.workoutEvery == 0 {
		return nil
	}
	// The turn: everything after the last user message.
	last := -1
	for i, m := range req.Messages {
		if m.Role == "user" {
			last = i
		}
	}
	tries := map[workout.LogArgs]int{}
	done := map[workout.LogArgs]bool{}
	byID := map[string]workout.LogArgs{}
	for _, m := range req.Messages[last+1:] {
		switch m.Role {
		case "assistant":
			var calls []toolCall
			_ = json.Unmarshal(m.ToolCalls, &calls)
			for _, c := range calls {
				var a workout.LogArgs
				if c.Function.Name != workout.ToolLog || json.Unmarshal([]byte(c.Function.Arguments), &a) != nil {
					continue
				}
				tries[a]++
				byID[c.ID] = a
			}
		case "tool":
			if a, ok := byID[m.ToolCallID]; ok && !strings.HasPrefix(text(m.Content), "Error") {
				done[a] = true
			}
		}
	}
	var out []workout.LogArgs
	for _, id := range req.newest() {
		if !s.wantsWorkout(id) {
			continue
		}
		if a := s.workout(id); !done[a] && tries[a] < maxWorkoutCalls {
			out = append(out, a)
		}
	}
	return out
}

// toolCallMessage is the assistant message calling log_workout for each
// of args; malformed cuts the arguments short (not JSON).
func toolCallMessage(seq int64, args []workout.LogArgs, malformed bool) map[string]any {
	var calls []any
	for i, a := range args {
		b, _ := json.Marshal(a)
		if malformed {
			b = b[:len(b)/2]
		}
		calls = append(calls, map[string]any{
			"id": fmt.Sprintf("call_%d_%d", seq, i), "type": "function",
			"function": map[string]any{"name": workout.ToolLog, "arguments": string(b)},
		})
	}
	return map[string]any{"role": "assistant", "content": nil, "tool_calls": calls}
}

// workoutCount is what the database holds of the workouts the load asked
// for.
type workoutCount struct {
	asked    int // acknowledged messages that asked for a workout
	once     int // logged exactly once
	fallback int // not logged, and answered with the fallback (the model failed)
	missing  int // not logged, answered with a reply
	doubled  int // logged more than once
}

// countWorkouts reads the workouts table at dbURL and counts, for every
// acknowledged message m that asked for one, the rows that log it.
func countWorkouts(ctx context.Context, dbURL string, sc script, acked func(m int) bool, track *tracker) (workoutCount, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return workoutCount{}, fmt.Errorf("check workouts: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT chat_id, activity, minutes, count(*) FROM workouts GROUP BY chat_id, activity, minutes`)
	if err != nil {
		return workoutCount{}, fmt.Errorf("check workouts: %w", err)
	}
	type key struct {
		thread int
		args   workout.LogArgs
	}
	stored := map[key]int{}
	for rows.Next() {
		var chat, activity string
		var minutes, count int
		if err := rows.Scan(&chat, &activity, &minutes, &count); err != nil {
			return workoutCount{}, fmt.Errorf("check workouts: %w", err)
		}
		stored[key{threadOf(chat), workout.LogArgs{Activity: activity, Minutes: minutes}}] += count
	}
	if err := rows.Err(); err != nil {
		return workoutCount{}, fmt.Errorf("check workouts: %w", err)
	}
	var c workoutCount
	for m := range len(track.replies) {
		if !sc.wantsWorkout(m) || !acked(m) {
			continue
		}
		c.asked++
		switch n := stored[key{m % sc.threads, sc.workout(m)}]; {
		case n == 1:
			c.once++
		case n > 1:
			c.doubled++
		case track.turn(m).Fallbacks > 0:
			c.fallback++
		default:
			c.missing++
		}
	}
	return c, nil
}
