package gymflow_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/flows/gymflow"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/llm"
)

// TestUndecidedWithModel: the rules cannot read the log; the extract model
// answers JSON that Go validates, retried once when invalid.
func TestUndecidedWithModel(t *testing.T) {
	valid := `{"workouts":[{"activity":"rowing","minutes":45,"date":"2026-03-12","distance_km":0,"sets":0,"reps":0,"calories":0}]}`
	tests := []struct {
		name    string
		answers []func(llm.Request) (llm.Response, error)
		want    string
		stored  int
		calls   int
	}{
		{"valid at once", []func(llm.Request) (llm.Response, error){answer(valid)}, "rowing 45 min (today)", 1, 1},
		{"fenced JSON", []func(llm.Request) (llm.Response, error){answer("```json\n" + valid + "\n```")}, "rowing 45 min (today)", 1, 1},
		{"invalid, then valid", []func(llm.Request) (llm.Response, error){
			answer(`{"workouts":[{"activity":"rowing","minutes":4500,"date":"2026-03-12","distance_km":0,"sets":0,"reps":0,"calories":0}]}`),
			answer(valid),
		}, "rowing 45 min (today)", 1, 2},
		{"not JSON twice", []func(llm.Request) (llm.Response, error){answer("45 minutes of rowing!"), answer("rowing, 45")},
			"what did you train?", 0, 2},
		{"a future date twice", []func(llm.Request) (llm.Response, error){
			answer(`{"workouts":[{"activity":"rowing","minutes":45,"date":"2026-03-13","distance_km":0,"sets":0,"reps":0,"calories":0}]}`),
			answer(`{"workouts":[{"activity":"rowing","minutes":45,"date":"2026-03-14","distance_km":0,"sets":0,"reps":0,"calories":0}]}`),
		}, "what did you train?", 0, 2},
		{"no workouts", []func(llm.Request) (llm.Response, error){answer(`{"workouts":[]}`)}, "what did you train?", 0, 1},
		{"the model is down", []func(llm.Request) (llm.Response, error){fail(llm.ErrUnavailable)}, "what did you train?", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &script{steps: tc.answers}
			fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) { c.Models.Extract = m })
			r := fx.run(fx.turn(msg{from: ana, name: "Ana", text: "did 45 min today 💪"}))
			mustContain(t, "reply", r.Text, tc.want)
			if n := len(fx.workouts()); n != tc.stored {
				t.Fatalf("%d stored: %s", n, describe(fx.workouts()))
			}
			reqs := m.requests()
			if len(reqs) != tc.calls {
				t.Fatalf("%d model calls, want %d", len(reqs), tc.calls)
			}
			if len(reqs[0].JSONSchema) == 0 || !strings.Contains(reqs[0].System, "Today is Thursday, 2026-03-12") ||
				reqs[0].Messages[0].Content != "did 45 min today 💪" {
				t.Fatalf("first request = %+v", reqs[0])
			}
			if len(reqs) == 2 {
				retry := reqs[1].Messages
				if len(retry) != 3 || retry[1].Role != llm.RoleAssistant || !strings.Contains(retry[2].Content, "not valid") {
					t.Fatalf("retry messages = %+v", retry)
				}
			}
			if tc.stored == 1 && r.Usage.InputTokens == 0 {
				t.Errorf("usage not reported: %+v", r.Usage)
			}
		})
	}
}

// TestClassifyWithModel: a message the rules call other although it has a
// number is classified by the model, then extracted.
func TestClassifyWithModel(t *testing.T) {
	classify := &script{steps: []func(llm.Request) (llm.Response, error){
		answer(`{"kind":"workout_log","who":"sender","done":true,"date":"2026-03-12","workouts":[{"activity":"crossfit","minutes":50,"date":"2026-03-12","distance_km":0,"sets":0,"reps":0,"calories":0}]}`),
		answer(`{"kind":"other","who":"nobody","done":false,"date":"","workouts":[]}`),
	}}
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) { c.Models.Classify = classify })
	got := fx.say(msg{from: ana, name: "Ana", text: "smashed it for 50 today"})
	mustContain(t, "reply", got, "crossfit 50 min (today)")
	if got := fx.say(msg{from: luis, name: "Luis", text: "see you at 7"}); got != "" {
		t.Fatalf("banter with a number got %q", got)
	}
	// Messages the rules decide never reach the model.
	fx.say(msg{from: luis, name: "Luis", text: "anyone up for pizza?"})
	fx.say(msg{from: luis, name: "Luis", text: "legs 45 min"})
	if n := len(classify.requests()); n != 2 {
		t.Fatalf("%d model calls, want 2", n)
	}
}

// TestVision: a photo of a watch summary is read by the vision model into
// a typed summary and logged; a photo that repeats the text is silent.
func TestVision(t *testing.T) {
	watch := `{"is_workout":true,"activity":"running","minutes":32,"distance_km":5.12,"calories":410,"date":"","description":"A watch showing a 5.12 km run."}`
	vision := &script{steps: []func(llm.Request) (llm.Response, error){
		answer(watch),
		answer(`{"is_workout":false,"activity":"","minutes":0,"distance_km":0,"calories":0,"date":"","description":"A selfie."}`),
		answer(watch),
		answer(`{"is_workout":true,"activity":"running","minutes":0,"distance_km":5,"calories":0,"date":"","description":"A run without a time."}`),
		answer(`not json`),
	}}
	fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) { c.Models.Vision = vision })
	photo := "data:image/jpeg;base64,/9j/AAAA"

	mustContain(t, "watch photo", fx.say(msg{from: ana, name: "Ana", images: []string{photo}}), "running 32 min 5.12 km (today)")
	req := vision.requests()[0]
	if len(req.JSONSchema) == 0 || len(req.Messages) != 1 || len(req.Messages[0].Parts) != 2 || req.Messages[0].Parts[1].ImageURL != photo {
		t.Fatalf("vision request = %+v", req)
	}
	if got := fx.say(msg{from: ana, name: "Ana", images: []string{photo}}); got != "" {
		t.Fatalf("selfie got %q", got)
	}
	// Luis writes his run and posts the watch: one workout.
	got := fx.say(msg{from: luis, name: "Luis", text: "ran 30 min", images: []string{photo}})
	mustContain(t, "text and photo", got, "running 30 min (today)")
	if strings.Contains(got, "32") {
		t.Errorf("the photo repeating the text was reported: %q", got)
	}
	mustContain(t, "no duration", fx.say(msg{from: luis, name: "Luis", images: []string{photo}}), "how long was it?")
	mustContain(t, "unreadable", fx.say(msg{from: luis, name: "Luis", images: []string{photo}}), "can't read photos")

	es := fx.workouts()
	if len(es) != 2 || es[0].Calories != 410 || es[0].DistanceKm != 5.12 || es[0].SourceMessageID != "evolution:WAMID1~photo" {
		t.Fatalf("stored %s (%+v)", describe(es), es)
	}
	if !fx.metric(`switchboard_gym_model_calls_total{result="invalid",step="vision"} 1`) {
		t.Errorf("metrics:\n%s", fx.metricsText())
	}
}

// TestPersonaReply: the reply model writes the reply from the persona
// template; a reply that drops a number, or a failing model, gives the
// plain text.
func TestPersonaReply(t *testing.T) {
	tests := []struct {
		name  string
		tone  string
		reply func(llm.Request) (llm.Response, error)
		want  string
	}{
		{"persona", "", answer("45 min of biceps, Ana? Bold. 1 session this week, try for 2."), "45 min of biceps, Ana? Bold."},
		{"quoted", "", answer(`"Biceps, 45 min. Cute."`), "Biceps, 45 min. Cute."},
		{"drops the number", "", answer("Wow, arms day. Proud of you."), "Fine, Ana, it's on the board: biceps 45 min (today)."},
		{"down", "", fail(errors.New("boom")), "Fine, Ana, it's on the board"},
		{"friendly plain", gymflow.ToneFriendly, fail(llm.ErrUnavailable), "Nice one, Ana! Logged biceps 45 min (today)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &script{steps: []func(llm.Request) (llm.Response, error){tc.reply}}
			fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) {
				c.Models.Reply = m
				c.Prompts = loadPrompts(t)
				c.Tone = tc.tone
			})
			got := fx.say(msg{from: ana, name: "Ana", text: "biceps 45 min"})
			if !strings.HasPrefix(got, tc.want) {
				t.Fatalf("reply %q, want it to start with %q", got, tc.want)
			}
			sys := m.requests()[0].System
			mustContain(t, "reply prompt", sys, "biceps, 45 min, today — logged", "Ana's week so far: 1 session, 45 min.", `"""`+"\nbiceps 45 min\n"+`"""`)
			wantTone := "sarcastic"
			if tc.tone == gymflow.ToneFriendly {
				wantTone = "warm and encouraging"
			}
			mustContain(t, "reply prompt", sys, wantTone)
		})
	}

	t.Run("duplicate", func(t *testing.T) {
		m := &script{steps: []func(llm.Request) (llm.Response, error){
			answer("Logged: legs 60 min."),
			answer("Nice try: legs 60 min was already logged."),
		}}
		fx := newFixture(t, sqlstoretest.OpenSQLite(t), func(c *gymflow.Config) { c.Models.Reply = m; c.Prompts = loadPrompts(t) })
		fx.say(msg{from: ana, name: "Ana", text: "legs 60 min"})
		got := fx.say(msg{from: ana, name: "Ana", text: "legs 62 min"})
		if got != "Nice try: legs 60 min was already logged." {
			t.Fatalf("reply %q", got)
		}
		mustContain(t, "duplicate prompt", m.requests()[1].System, "legs, 60 min, today — ALREADY LOGGED", "Nothing new was counted")
	})
}
