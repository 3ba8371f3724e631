package workout_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/graph"
	"github.com/switchboardhq/switchboard/gym"
	"github.com/switchboardhq/switchboard/gym/sqlstore"
	"github.com/switchboardhq/switchboard/gym/sqlstore/sqlstoretest"
	"github.com/switchboardhq/switchboard/llm"
	"github.com/switchboardhq/switchboard/metrics"
	"github.com/switchboardhq/switchboard/tools"
	"github.com/switchboardhq/switchboard/tools/workout"
)

const (
	me       = "whatsapp:+34600000001"
	stranger = "whatsapp:+34600000002"
)

// Thursday 12 March 2026, 21:30 in Madrid.
var madrid, _ = time.LoadLocation("Europe/Madrid")
var now = time.Date(2026, time.March, 12, 21, 30, 0, 0, madrid)

func newTools(t *testing.T, db *sql.DB, reg *metrics.Registry) *workout.Tools {
	t.Helper()
	w, err := workout.New(workout.Config{Store: sqlstore.New(db), Location: madrid, Now: func() time.Time { return now }, Metrics: reg})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func call(t *testing.T, set *tools.Set, name, args string) llm.Message {
	t.Helper()
	return set.RunOne(context.Background(), llm.ToolCall{ID: "c", Name: name, Arguments: args})
}

func TestLogWorkout(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		reg := metrics.New()
		set := tools.Must(tools.NewSet(newTools(t, db, reg).ToolsFor(me)...))
		tests := []struct {
			name   string
			args   string
			status string // "" for a refusal
			errHas string
			week   workout.Totals
		}{
			{"logged", `{"activity":"Pecho y Tríceps","minutes":60}`, "logged", "", workout.Totals{Sessions: 1, Minutes: 60}},
			{"within 10% the same day", `{"activity":"chest & tris","minutes":65,"date":"today"}`, "duplicate", "", workout.Totals{Sessions: 1, Minutes: 60}},
			{"yesterday is another day", `{"activity":"chest+triceps","minutes":60,"date":"yesterday"}`, "logged", "", workout.Totals{Sessions: 2, Minutes: 120}},
			{"explicit date with extras", `{"activity":"running","minutes":28,"date":"2026-03-10","distance_km":5.004,"calories":350}`, "logged", "", workout.Totals{Sessions: 3, Minutes: 148}},
			{"last week is not this week", `{"activity":"yoga","minutes":30,"date":"2026-03-08"}`, "logged", "", workout.Totals{Sessions: 3, Minutes: 148}},
			{"future date", `{"activity":"legs","minutes":45,"date":"2026-03-13"}`, "", "in the future", workout.Totals{}},
			{"too old", `{"activity":"legs","minutes":45,"date":"2026-01-01"}`, "", "too old", workout.Totals{}},
			{"too long", `{"activity":"legs","minutes":601}`, "", "out of range", workout.Totals{}},
			{"unknown activity", `{"activity":"knitting","minutes":45}`, "", "unknown activity", workout.Totals{}},
			{"bad date", `{"activity":"legs","minutes":45,"date":"13/03"}`, "", "not YYYY-MM-DD", workout.Totals{}},
			{"missing minutes", `{"activity":"legs"}`, "", "minutes", workout.Totals{}},
		}
		for _, tc := range tests {
			msg := call(t, set, workout.ToolLog, tc.args)
			if tc.status == "" {
				if !msg.IsError || !strings.Contains(msg.Content, tc.errHas) {
					t.Errorf("%s: result %q (error %v), want an error saying %q", tc.name, msg.Content, msg.IsError, tc.errHas)
				}
				continue
			}
			var res workout.LogResult
			if msg.IsError || json.Unmarshal([]byte(msg.Content), &res) != nil {
				t.Fatalf("%s: result %q", tc.name, msg.Content)
			}
			if res.Status != tc.status || res.Week != tc.week {
				t.Errorf("%s: %+v, want status %s week %+v", tc.name, res, tc.status, tc.week)
			}
			if (res.Status == "duplicate") != (res.AlreadyLogged != nil) {
				t.Errorf("%s: already_logged = %+v", tc.name, res.AlreadyLogged)
			}
		}
		var out strings.Builder
		reg.Write(&out)
		for _, want := range []string{
			`switchboard_workout_tool_calls_total{result="logged",tool="log_workout"} 4`,
			`switchboard_workout_tool_calls_total{result="duplicate",tool="log_workout"} 1`,
			`switchboard_workout_tool_calls_total{result="invalid",tool="log_workout"} 5`,
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("metrics lack %s:\n%s", want, out.String())
			}
		}
	})
}

func TestSummaryIsPerThread(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		w := newTools(t, db, nil)
		mine := tools.Must(tools.NewSet(w.ToolsFor(me)...))
		theirs := tools.Must(tools.NewSet(w.ToolsFor(stranger)...))
		for _, args := range []string{
			`{"activity":"running","minutes":30,"date":"2026-03-09","distance_km":5}`,
			`{"activity":"legs","minutes":60,"date":"2026-03-11"}`,
			`{"activity":"biceps","minutes":45}`,
			`{"activity":"yoga","minutes":20,"date":"2026-03-01"}`,
		} {
			if msg := call(t, mine, workout.ToolLog, args); msg.IsError {
				t.Fatal(msg.Content)
			}
		}
		if msg := call(t, theirs, workout.ToolLog, `{"activity":"swimming","minutes":50}`); msg.IsError {
			t.Fatal(msg.Content)
		}
		tests := []struct {
			set                                   *tools.Set
			args                                  string
			from, to                              string
			sessions, minutes, days, streak, list int
		}{
			{mine, `{}`, "2026-03-09", "2026-03-15", 3, 135, 3, 2, 3},
			{mine, `{"period":"month"}`, "2026-03-01", "2026-03-31", 4, 155, 4, 2, 4},
			{theirs, `{"period":"week"}`, "2026-03-09", "2026-03-15", 1, 50, 1, 1, 1},
		}
		for i, tc := range tests {
			msg := call(t, tc.set, workout.ToolSummary, tc.args)
			var res workout.SummaryResult
			if msg.IsError || json.Unmarshal([]byte(msg.Content), &res) != nil {
				t.Fatalf("#%d: %s", i, msg.Content)
			}
			if res.From != tc.from || res.To != tc.to || res.Sessions != tc.sessions || res.Minutes != tc.minutes ||
				res.ActiveDays != tc.days || res.Streak != tc.streak || len(res.Workouts) != tc.list {
				t.Errorf("#%d: %+v", i, res)
			}
		}
		if msg := call(t, tools.Must(tools.NewSet(w.ToolsFor(stranger)...)), workout.ToolSummary, `{"period":"year"}`); !msg.IsError {
			t.Errorf("period year accepted: %s", msg.Content)
		}
	})
}

// state is the state of the one-node graph the thread test runs a tool in.
type state struct{ Out string }

func TestThreadFromRun(t *testing.T) {
	db := sqlstoretest.OpenSQLite(t)
	w := newTools(t, db, nil)
	unbound := tools.Must(tools.NewSet(w.Tools()...))
	run := func(thread string, set *tools.Set) string {
		g, err := graph.New[state]().
			AddNode("tool", func(ctx context.Context, s state) (state, error) {
				msg := set.RunOne(ctx, llm.ToolCall{ID: "c", Name: workout.ToolLog, Arguments: `{"activity":"legs","minutes":40}`})
				return state{Out: msg.Content}, nil
			}).
			AddEdge(graph.START, "tool").AddEdge("tool", graph.END).Compile()
		if err != nil {
			t.Fatal(err)
		}
		var opts []graph.RunOption
		if thread != "" {
			opts = append(opts, graph.Thread(thread))
		}
		res, err := g.Invoke(context.Background(), state{}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return res.State.Out
	}
	if out := run(me, unbound); !strings.Contains(out, `"status":"logged"`) {
		t.Fatalf("unbound tool in a run of %s: %s", me, out)
	}
	if out := run(stranger, tools.Must(tools.NewSet(w.ToolsFor(me)...))); strings.Contains(out, "logged") {
		t.Fatalf("tool bound to %s ran in a run of %s: %s", me, stranger, out)
	}
	got, err := sqlstore.New(db).Workouts(context.Background(), me, "", gym.NewDate(2026, 3, 1), gym.NewDate(2026, 3, 31))
	if err != nil || len(got) != 1 || got[0].Member != me {
		t.Fatalf("workouts of %s = %+v, %v", me, got, err)
	}
	// Outside any run and unbound, the call fails without touching data.
	tool, _ := unbound.Get(workout.ToolLog)
	if _, err := tool.Call(context.Background(), `{"activity":"legs","minutes":40}`); !errors.Is(err, workout.ErrNoThread) {
		t.Fatalf("call outside a run: %v", err)
	}
}

func TestNewNeedsStore(t *testing.T) {
	if _, err := workout.New(workout.Config{}); err == nil {
		t.Fatal("New without a store succeeded")
	}
}

// TestOnlyTheSummaryOnlyReads: a turn that asked for the summary need not
// be stored before it goes on; one that logged a workout must be.
func TestOnlyTheSummaryOnlyReads(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sql.DB) {
		set := tools.Must(tools.NewSet(newTools(t, db, metrics.New()).Tools()...))
		for name, want := range map[string]bool{workout.ToolSummary: true, workout.ToolLog: false} {
			if got := set.ReadOnly([]llm.ToolCall{{Name: name}}); got != want {
				t.Errorf("%s read-only: %v, want %v", name, got, want)
			}
		}
	})
}
