package gymflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/llm"
)

// Photo is the vision model's typed reading of one image.
type Photo struct {
	// Workout is true when the image shows a workout summary (a watch, an
	// app, a machine's display).
	Workout    bool    `json:"is_workout"`
	Activity   string  `json:"activity"`
	Minutes    int     `json:"minutes"`
	DistanceKm float64 `json:"distance_km"`
	Calories   int     `json:"calories"`
	// Date is the day the image shows, "YYYY-MM-DD", or "".
	Date string `json:"date"`
	// Description says briefly what the image shows.
	Description string `json:"description"`
	// Source and SentAt are those of the message the image came with.
	Source string    `json:"-"`
	SentAt time.Time `json:"-"`
}

// ErrModelOutput is matched (errors.Is) by errors about a model's answer
// that Go could not accept: not JSON, not the schema, or workouts that do
// not validate.
var ErrModelOutput = errors.New("gym flow: invalid model output")

var photoSchema = json.RawMessage(`{"type":"object","properties":{` +
	`"is_workout":{"type":"boolean","description":"true if the image shows the summary of a workout (fitness watch, app, machine display)"},` +
	`"activity":{"type":"string","description":"the activity shown, in English (running, cycling, swimming, strength...), or empty"},` +
	`"minutes":{"type":"integer","description":"the duration in whole minutes, or 0"},` +
	`"distance_km":{"type":"number","description":"the distance in km, or 0"},` +
	`"calories":{"type":"integer","description":"the active calories in kcal, or 0"},` +
	`"date":{"type":"string","description":"the date shown as YYYY-MM-DD, or empty"},` +
	`"description":{"type":"string","description":"one short sentence on what the image shows"}},` +
	`"required":["is_workout","activity","minutes","distance_km","calories","date","description"],"additionalProperties":false}`)

const photoPrompt = "This photo was posted in a WhatsApp group where friends log workouts. " +
	"Say whether it shows the summary of a workout and read its numbers exactly as shown; use 0 or empty for anything not shown. Answer only with the JSON."

// workout turns the reading into the j-th photo workout of member's post.
func (ph Photo) workout(member string, j int, now time.Time, loc *time.Location) (gym.Workout, error) {
	activity, ok := gym.NormalizeActivity(ph.Activity)
	if !ok {
		return gym.Workout{}, &gym.ExtractError{Reasons: []error{gym.ErrNoActivity}}
	}
	if ph.Minutes <= 0 {
		return gym.Workout{}, &gym.ExtractError{Reasons: []error{gym.ErrNoDuration}}
	}
	sent := ph.SentAt
	if sent.IsZero() || sent.After(now) {
		sent = now
	}
	date := gym.DateOf(sent, loc)
	if d, err := gym.ParseDate(ph.Date); err == nil && !d.IsZero() {
		date = d
	}
	return gym.Workout{
		Member: member, Date: date, Activity: activity, Minutes: ph.Minutes,
		DistanceKm: math.Round(ph.DistanceKm*100) / 100, Calories: ph.Calories,
		SourceMessageID: gym.SourceID(ph.Source+"~photo", j),
	}, nil
}

// generate calls model and adds its usage to the run's meter.
func (f *Flow) generate(ctx context.Context, step string, model llm.Model, req llm.Request) (llm.Response, error) {
	resp, err := model.Generate(ctx, req)
	if err != nil {
		return llm.Response{}, err
	}
	if m, ok := ctx.Value(usageKey{}).(*llm.UsageMeter); ok {
		m.Add(resp.Usage)
	}
	f.metrics.model(step, "ok")
	return resp, nil
}

// modelFailed records a model failure: the flow goes on without it.
func (f *Flow) modelFailed(ctx context.Context, step string, err error) {
	if errors.Is(err, llm.ErrNotConfigured) {
		f.metrics.model(step, "not_configured")
		f.cfg.Logger.DebugContext(ctx, "gym flow: no model configured; using the rules", "step", step)
		return
	}
	result := "error"
	if errors.Is(err, ErrModelOutput) {
		result = "invalid"
	}
	f.metrics.model(step, result)
	f.cfg.Logger.WarnContext(ctx, "gym flow: model failed; going on without it", "step", step, "err", err)
}

// decodeJSON reads a model's JSON answer, tolerating a code fence.
func decodeJSON(text string, v any) error {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, "```json")
	text = strings.TrimPrefix(text, "```")
	text = strings.TrimSuffix(text, "```")
	dec := json.NewDecoder(strings.NewReader(strings.TrimSpace(text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %w", ErrModelOutput, err)
	}
	return nil
}

func (f *Flow) readPhoto(ctx context.Context, model llm.Model, url string) (Photo, error) {
	resp, err := f.generate(ctx, "vision", model, llm.Request{
		Messages:   []llm.Message{llm.UserWithImages(photoPrompt, url)},
		JSONSchema: photoSchema,
	})
	if err != nil {
		return Photo{}, err
	}
	var ph Photo
	if err := decodeJSON(resp.Message.Text(), &ph); err != nil {
		return Photo{}, err
	}
	return ph, nil
}

var extractSchema = json.RawMessage(`{"type":"object","properties":{"workouts":{"type":"array","items":{"type":"object","properties":{` +
	`"activity":{"type":"string","description":"what was trained, in English"},` +
	`"minutes":{"type":"integer","description":"duration in whole minutes"},` +
	`"date":{"type":"string","description":"day of the session as YYYY-MM-DD"},` +
	`"distance_km":{"type":"number","description":"distance in km, or 0"},` +
	`"sets":{"type":"integer","description":"sets, or 0"},` +
	`"reps":{"type":"integer","description":"repetitions per set, or 0"},` +
	`"calories":{"type":"integer","description":"kcal, or 0"}},` +
	`"required":["activity","minutes","date","distance_km","sets","reps","calories"],"additionalProperties":false}}},` +
	`"required":["workouts"],"additionalProperties":false}`)

// extracted is the extract model's answer.
type extracted struct {
	Workouts []struct {
		Activity   string  `json:"activity"`
		Minutes    int     `json:"minutes"`
		Date       string  `json:"date"`
		DistanceKm float64 `json:"distance_km"`
		Sets       int     `json:"sets"`
		Reps       int     `json:"reps"`
		Calories   int     `json:"calories"`
	} `json:"workouts"`
}

func extractPrompt(today gym.Date, loc *time.Location, hints []gym.Workout) string {
	var b strings.Builder
	fmt.Fprintf(&b, "You read workouts from a message posted in a WhatsApp group where friends log their training. Today is %s, %s (%s).\n", today.Weekday(), today, loc)
	b.WriteString("List each session the sender says they did, one object per session: the activity (one of: " +
		strings.Join(gym.Activities(), ", ") + "; several muscle groups of one session joined with +), " +
		"the duration in whole minutes (convert hours), the day as YYYY-MM-DD (today unless the message says another day; never a future day), " +
		"and distance, sets, reps and calories when said, else 0. " +
		"Do not guess a duration that is not said: return no workouts instead. Plans and questions are not workouts. Answer only with the JSON.")
	if len(hints) > 0 {
		if h, err := json.Marshal(hints); err == nil {
			fmt.Fprintf(&b, "\nA rule-based reader found these partial readings, which may help: %s", h)
		}
	}
	return b.String()
}

// extractWithModel asks the extract model for the workouts the rules could
// not read, validates them, and asks once more when the answer is invalid.
// It returns an error when there is no model, the model fails, or its
// second answer is invalid too (the member is then asked to rephrase).
func (f *Flow) extractWithModel(ctx context.Context, msg gym.Message, xe *gym.ExtractError) ([]gym.Workout, error) {
	model := f.cfg.Models.Extract
	if model == nil {
		return nil, xe
	}
	now := f.cfg.Clock()
	sent := msg.SentAt
	if sent.IsZero() || sent.After(now) {
		sent = now
	}
	req := llm.Request{
		System:     extractPrompt(gym.DateOf(sent, f.cfg.Location), f.cfg.Location, xe.Partial),
		Messages:   []llm.Message{llm.UserText(msg.Text)},
		JSONSchema: extractSchema,
	}
	for attempt := 1; ; attempt++ {
		resp, err := f.generate(ctx, "extract", model, req)
		if err != nil {
			f.modelFailed(ctx, "extract", err)
			return nil, err
		}
		answer := resp.Message.Text()
		ws, err := f.acceptExtraction(answer, msg, now)
		if err == nil {
			if len(ws) == 0 {
				return nil, xe
			}
			return ws, nil
		}
		f.modelFailed(ctx, "extract", err)
		if attempt == 2 {
			return nil, err
		}
		req.Messages = append(req.Messages,
			llm.Message{Role: llm.RoleAssistant, Content: answer},
			llm.UserText(fmt.Sprintf("That answer was not valid: %v. Answer again with valid JSON that follows the rules.", err)))
	}
}

// acceptExtraction decodes, normalizes and validates a model's workouts.
func (f *Flow) acceptExtraction(answer string, msg gym.Message, now time.Time) ([]gym.Workout, error) {
	var out extracted
	if err := decodeJSON(answer, &out); err != nil {
		return nil, err
	}
	var ws []gym.Workout
	var problems []string
	for i, e := range out.Workouts {
		activity, ok := gym.NormalizeActivity(e.Activity)
		if !ok {
			problems = append(problems, fmt.Sprintf("workout %d: unknown activity %q", i+1, e.Activity))
			continue
		}
		d, err := gym.ParseDate(e.Date)
		if err != nil {
			problems = append(problems, fmt.Sprintf("workout %d: date %q is not YYYY-MM-DD", i+1, e.Date))
			continue
		}
		w := gym.Workout{Member: msg.Member, Date: d, Activity: activity, Minutes: e.Minutes,
			Sets: e.Sets, Reps: e.Reps, DistanceKm: math.Round(e.DistanceKm*100) / 100, Calories: e.Calories,
			SourceMessageID: gym.SourceID(msg.ID, i)}
		if err := gym.Validate(w, now, f.cfg.Location, nil); err != nil {
			problems = append(problems, fmt.Sprintf("workout %d: %v", i+1, err))
			continue
		}
		ws = append(ws, w)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrModelOutput, strings.Join(problems, "; "))
	}
	return ws, nil
}
